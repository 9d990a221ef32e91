"""志愿服务: the volunteer register, teams and activities, service hours, certificates,
statistics, Excel import and export, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.volunteers.models", {
        "volunteer": "Volunteer", "team": "Team", "team_member": "TeamMember", "activity": "Activity",
        "activity_participant": "ActivityParticipant", "service_record": "ServiceRecord",
        "service_approval": "ServiceApproval", "certificate": "Certificate"})
    registry.add_due_provider("civdesk.volunteers.due:PROVIDERS")
