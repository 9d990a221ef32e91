"""Documents that go out under the office's name: issuing bodies (发文机关) as settings, which body issues
which document, the 套红纸打印 choice of this PC, and the register of 发文字号 (per body and year)."""


def register(registry) -> None:
    """Called once by ``civdesk.domains.register_all``."""
    from civdesk.documents import models

    registry.add_synced(models.IssuingBody, models.DocumentNumber)
