"""活动与阵地: activity records of every kind (我们的节日, 道德讲堂, 三美, 未成年人, 志愿服务) with
photos and the volunteers who served, festival plans, 道德讲堂 halls and sessions, 公益广告
placements, 三美示范村, minors' care projects (their children protected by a permission of their
own), and their PDFs and sheets."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.activities import due, models

    registry.add_synced(models.ActivityRecord, models.Photo, models.PhotoChunk, models.Hall, models.HallSession,
                        models.Placement, models.SanmeiVillage, models.SanmeiEvaluation, models.MinorProject,
                        models.MinorChild, models.StationService)
    for provider in due.PROVIDERS:
        registry.add_due_provider(provider)
