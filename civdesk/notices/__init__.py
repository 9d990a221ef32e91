"""公示: public notices and objections, shared by every domain that names or honours someone."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.notices.models", {
        "public_notice": "PublicNotice", "notice_candidate": "NoticeCandidate", "objection": "Objection"})
    registry.add_due_provider("civdesk.notices.due:PROVIDERS")
