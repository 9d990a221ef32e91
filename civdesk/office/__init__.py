"""The office this PC belongs to, its villages, accounts, settings, audit log, first-run setup
and the start page's 工作台 feed."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.office import account_model, dashboard, models, settings
    registry.add_synced(models.Office, models.Setting)
    registry.add_local(account_model.User)
    for provider in dashboard.PROVIDERS:
        registry.add_due_provider(provider)
    registry.set_setting_reader(settings.get)
