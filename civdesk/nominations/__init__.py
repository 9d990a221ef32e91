"""好人评选: sessions, nominees and nominations, 初审, the committee's 评议, 公示 and 表彰,
upward submissions, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.nominations import award, due, models
    registry.add_synced(models.NominationSession, models.Nominee, models.Nomination, models.NominationFile,
                        models.CommitteeMember, models.Recusal, models.NominationScore, models.TieDecision,
                        models.NominationEvent, models.NomineeHonour, models.UpwardSubmission)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
    registry.add_decided_check("nomination", award.is_honoured)
