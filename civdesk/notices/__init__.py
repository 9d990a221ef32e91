"""公示: public notices and objections, shared by every domain that names or honours someone."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.notices import due, models
    registry.add_synced(models.PublicNotice, models.NoticeCandidate, models.Objection)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
