"""志愿服务: the volunteer register, teams and activities, service hours, certificates,
statistics, Excel import and export, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.volunteers import due, models
    registry.add_synced(models.Volunteer, models.Team, models.TeamMember, models.Activity,
                          models.ActivityParticipant, models.ServiceRecord, models.ServiceApproval, models.Certificate)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
