"""What every PDF export shares: writing through a temporary file, the export audit entry, and
the message a cancelled PDF job ends with (progress and cancel are :mod:`civdesk.core.jobs`)."""

from __future__ import annotations

from pathlib import Path

from civdesk.core import changes
from civdesk.core.actor import Actor

# What jobs.Cancelled says when the user stops a PDF job (pass it as a Ticker's cancel_message).
CANCELLED = "已取消，没有生成 PDF 文件。"


def audit_export(actor: Actor, what: str, path: str | Path, note: str = "", tbl: str = "") -> None:
    """Every export is in the audit log: who wrote which document, where."""
    changes.write_audit(actor, "export", tbl=tbl, record_label=what,
                        note=f"导出「{what}」到 {Path(path).name}" + (f"：{note}" if note else ""))

