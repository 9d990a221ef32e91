"""The working-day calendar (official holidays and 调休, editable by an administrator) and the
我们的节日 festival dates: one for the whole app, used by every deadline counted in working days."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.calendar.models", {"calendar_day": "CalendarDay"})
    registry.add_due_provider("civdesk.calendar.due:PROVIDERS")
