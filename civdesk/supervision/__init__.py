"""督查与整改: plans and rounds, inspections with findings and photos, 限期整改通知书 with working-day
deadlines, the 门前三包 registry, the sanitation 一票否决 they raise in 文明创建, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.supervision import dated, due, models

    registry.add_synced(models.Area, models.Member, models.Round, models.TemplateItem, models.Inspection,
                        models.Finding, models.Photo, models.PhotoPair, models.PhotoChunk, models.Notice, models.NoticeEvent,
                        models.Holder)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
    registry.add_calendar_provider(dated.items)
