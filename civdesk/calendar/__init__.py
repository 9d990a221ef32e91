"""The working-day calendar (official holidays and 调休, editable by an administrator) and the
我们的节日 festival dates: one for the whole app, used by every deadline counted in working days."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.calendar import due, models

    registry.add_synced(models.CalendarDay)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
