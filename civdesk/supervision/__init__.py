"""督查与整改: plans and rounds, inspections with findings and photos, 限期整改通知书 with working-day
deadlines, the 门前三包 registry, the sanitation 一票否决 they raise in 文明创建, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.supervision.models", {
        "supervision_area": "Area", "supervision_member": "Member", "supervision_round": "Round",
        "supervision_template_item": "TemplateItem", "supervision_inspection": "Inspection",
        "supervision_finding": "Finding", "supervision_photo": "Photo", "supervision_photo_pair": "PhotoPair",
        "supervision_photo_chunk": "PhotoChunk", "supervision_notice": "Notice",
        "supervision_notice_event": "NoticeEvent", "supervision_holder": "Holder"})
    registry.add_due_provider("civdesk.supervision.due:PROVIDERS")
    registry.add_calendar_provider("civdesk.supervision.dated:items")
