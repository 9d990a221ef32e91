"""What every PDF export shares: writing through a temporary file, the export audit entry,
and progress that reaches the GUI at most ten times a second with a way to cancel."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError

T = TypeVar("T")
Progress = Callable[[int, int, str], None]


class ReportCancelled(CivDeskError):
    def __init__(self, message: str = "已取消，没有生成 PDF 文件。"):
        super().__init__(message)


def audit_export(actor: Actor, what: str, path: str | Path, note: str = "", tbl: str = "") -> None:
    """Every export is in the audit log: who wrote which document, where."""
    changes.write_audit(actor, "export", tbl=tbl, record_label=what,
                        note=f"导出「{what}」到 {Path(path).name}" + (f"：{note}" if note else ""))


class Ticker:
    """Calls *progress* at most ten times a second (and always for the last step)."""

    def __init__(self, progress: Progress | None, total: int, text: str,
                 cancel: Callable[[], bool] | None = None):
        self.progress, self.total, self.text, self.cancel = progress, total, text, cancel
        self._last = 0.0

    def __call__(self, done: int, text: str | None = None) -> None:
        if self.cancel is not None and self.cancel():
            raise ReportCancelled()
        if self.progress is None:
            return
        now = time.monotonic()
        if now - self._last >= 0.1 or done >= self.total:
            self._last = now
            self.progress(done, self.total, text or self.text)
