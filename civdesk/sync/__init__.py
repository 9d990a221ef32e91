"""USB packages between the PCs of an office: export, verify, import, merge, conflicts."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.sync import due, models
    registry.add_local(models.SyncPeer, models.SyncPackage)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
