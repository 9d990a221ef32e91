"""文明创建: organisations, indicator sets (测评体系), applications and their workflow, scoring,
titles with reviews and recommendations, and their PDFs."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.units.models", {
        "unit_org": "Organisation", "indicator_set": "IndicatorSet", "indicator_item": "IndicatorItem",
        "unit_application": "Application", "unit_score": "Score", "unit_event": "StatusEvent",
        "unit_attachment": "Attachment", "unit_attachment_chunk": "AttachmentChunk", "unit_veto": "Veto",
        "unit_title": "TitleHeld", "unit_review": "Review", "unit_recommendation": "Recommendation"})
    registry.add_due_provider("civdesk.units.due:PROVIDERS")
    registry.add_decided_check("unit", "civdesk.units.workflow:is_named")
