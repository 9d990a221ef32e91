"""All models; importing this package registers every synced table."""

from civdesk.models.accounts import ROLES, User
from civdesk.models.audit import AuditEntry
from civdesk.models.base import SyncModel, model_for_table, synced_models
from civdesk.models.meta import ChangeLog, LocalMeta
from civdesk.models.office import Office, Setting

LOCAL_MODELS = [LocalMeta, ChangeLog, User]

__all__ = ["ROLES", "AuditEntry", "ChangeLog", "LOCAL_MODELS", "LocalMeta", "Office", "Setting",
           "SyncModel", "User", "model_for_table", "synced_models"]
