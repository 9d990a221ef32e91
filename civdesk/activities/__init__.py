"""活动与阵地: activity records of every kind (我们的节日, 道德讲堂, 三美, 未成年人, 志愿服务) with
photos and the volunteers who served, festival plans, 道德讲堂 halls and sessions, 公益广告
placements, 三美示范村, minors' care projects (their children protected by a permission of their
own), and their PDFs and sheets."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.activities.models", {
        "act_record": "ActivityRecord", "act_photo": "Photo", "act_photo_chunk": "PhotoChunk", "act_hall": "Hall",
        "act_hall_session": "HallSession", "act_placement": "Placement", "act_sanmei_village": "SanmeiVillage",
        "act_sanmei_evaluation": "SanmeiEvaluation", "act_minor_project": "MinorProject",
        "act_minor_child": "MinorChild", "act_station_service": "StationService"})
    registry.add_due_provider("civdesk.activities.due:PROVIDERS")
