"""文明创建: organisations, indicator sets (测评体系), applications and their workflow, scoring,
titles with reviews and recommendations, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.units import due, models, workflow
    registry.add_synced(models.Organisation, models.IndicatorSet, models.IndicatorItem, models.Application,
                        models.Score, models.StatusEvent, models.Attachment, models.AttachmentChunk, models.Veto,
                        models.TitleHeld, models.Review, models.Recommendation)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
    registry.add_decided_check("unit", workflow.is_named)
