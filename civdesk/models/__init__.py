"""All models; importing this package registers every synced table."""

from civdesk.models.accounts import ROLES, User
from civdesk.models.audit import AuditEntry
from civdesk.models.base import SyncModel, model_for_table, synced_models
from civdesk.models.meta import ChangeLog, LocalMeta
from civdesk.models.nominations import (
    CommitteeMember,
    Nomination,
    NominationEvent,
    NominationFile,
    NominationScore,
    NominationSession,
    Nominee,
    NomineeHonour,
    Recusal,
    TieDecision,
    UpwardSubmission,
)
from civdesk.models.notices import NoticeCandidate, Objection, PublicNotice
from civdesk.models.office import Office, Setting
from civdesk.models.sync import SyncConflict, SyncPackage, SyncPeer
from civdesk.models.units import (
    Application,
    Attachment,
    AttachmentChunk,
    IndicatorItem,
    IndicatorSet,
    Organisation,
    Recommendation,
    Review,
    Score,
    StatusEvent,
    TitleHeld,
    Veto,
)
from civdesk.models.volunteers import (
    Activity,
    ActivityParticipant,
    Certificate,
    ServiceApproval,
    ServiceRecord,
    Team,
    TeamMember,
    Volunteer,
)

LOCAL_MODELS = [LocalMeta, ChangeLog, User, SyncPeer, SyncPackage, SyncConflict]

__all__ = ["ROLES", "Activity", "ActivityParticipant", "AuditEntry", "Certificate", "ServiceApproval",
           "ServiceRecord", "Team", "TeamMember", "Volunteer", "ChangeLog", "LOCAL_MODELS", "LocalMeta", "NoticeCandidate", "Objection", "PublicNotice", "Office", "Setting",
           "SyncConflict", "SyncModel", "SyncPackage", "SyncPeer", "User", "model_for_table", "synced_models",
           "Application", "Attachment", "AttachmentChunk", "IndicatorItem", "IndicatorSet", "Organisation",
           "Recommendation", "Review", "Score", "StatusEvent", "TitleHeld", "Veto",
           "CommitteeMember", "Nomination", "NominationEvent", "NominationFile", "NominationScore",
           "NominationSession", "Nominee", "NomineeHonour", "Recusal", "TieDecision", "UpwardSubmission"]
