"""Documents that go out under the office's name: issuing bodies (发文机关) as settings, which body issues
which document, the 套红纸打印 choice of this PC, and the register of 发文字号 (per body and year)."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``; names its modules, imported when first used."""
    registry.add_synced_tables("civdesk.documents.models", {
        "issuing_body": "IssuingBody", "document_number": "DocumentNumber"})
