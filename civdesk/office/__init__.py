"""The office this PC belongs to, its villages, accounts, settings, audit log, first-run setup
and the start page's 工作台 feed."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.office.models", {"office": "Office", "setting": "Setting"})
    registry.add_local_tables("civdesk.office.account_model", {"user": "User"})
    registry.add_due_provider("civdesk.office.dashboard:PROVIDERS")
    registry.set_setting_reader("civdesk.office.settings:get")
