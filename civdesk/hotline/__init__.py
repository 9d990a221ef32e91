"""热线工单: citizen hotline tickets with working-day deadlines, 回访, duplicates, hot issues with
their 现场办公会, and the monthly 通报."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.hotline import dated, due, models

    registry.add_synced(models.Ticket, models.TicketEvent, models.TicketFile, models.Extension, models.Meeting, models.MeetingTask)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
    registry.add_calendar_provider(dated.items)
