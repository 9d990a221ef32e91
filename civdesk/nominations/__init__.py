"""好人评选: sessions, nominees and nominations, 初审, the committee's 评议, 公示 and 表彰,
upward submissions, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.nominations.models", {
        "nomination_session": "NominationSession", "nominee": "Nominee", "nomination": "Nomination",
        "nomination_file": "NominationFile", "committee_member": "CommitteeMember", "recusal": "Recusal",
        "nomination_score": "NominationScore", "tie_decision": "TieDecision", "nomination_event": "NominationEvent",
        "nominee_honour": "NomineeHonour", "upward_submission": "UpwardSubmission"})
    registry.add_due_provider("civdesk.nominations.due:PROVIDERS")
    registry.add_decided_check("nomination", "civdesk.nominations.award:is_honoured")
