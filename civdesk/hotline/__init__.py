"""热线工单: citizen hotline tickets with working-day deadlines, 回访, duplicates, hot issues with
their 现场办公会, and the monthly 通报."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.hotline.models", {
        "hotline_ticket": "Ticket", "hotline_event": "TicketEvent", "hotline_file": "TicketFile",
        "hotline_extension": "Extension", "hotline_meeting": "Meeting", "hotline_meeting_task": "MeetingTask"})
    registry.add_due_provider("civdesk.hotline.due:PROVIDERS")
    registry.add_calendar_provider("civdesk.hotline.dated:items")
