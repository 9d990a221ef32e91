"""USB packages between the PCs of an office: export, verify, import, merge, conflicts."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_local_tables("civdesk.sync.models", {"sync_peer": "SyncPeer", "sync_package": "SyncPackage"})
    registry.add_due_provider("civdesk.sync.due:PROVIDERS")
