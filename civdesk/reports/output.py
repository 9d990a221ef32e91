"""What every PDF export shares: writing through a temporary file, the export audit entry,
and progress that reaches the GUI at most ten times a second with a way to cancel."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from civdesk import changes
from civdesk.actor import Actor
from civdesk.errors import CivDeskError

T = TypeVar("T")
Progress = Callable[[int, int, str], None]


class ReportCancelled(CivDeskError):
    def __init__(self, message: str = "已取消，没有生成 PDF 文件。"):
        super().__init__(message)


def _umask() -> int:
    """The process umask, read without changing it (os.umask sets it, racing other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _give_normal_mode(tmp: str) -> None:
    """mkstemp made the file 0600; the finished PDF gets the mode any new file gets (0o666 & ~umask)."""
    try:
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError:
        pass  # FAT/exFAT (USB sticks) refuse chmod: the mount options decide there anyway


def save_atomically(path: str | Path, write: Callable[[str], T]) -> T:
    """Run ``write(temporary path)`` in the target folder, then rename: a half-written or
    cancelled PDF never takes the place of a good one."""
    path = Path(path)
    name = path.name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~civdesk-", suffix=".pdf", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise CivDeskError(f"无法在「{path.parent}」中保存「{name}」：{exc.strerror or exc}。请换一个文件夹。") from exc
    try:
        result = write(tmp)
        _give_normal_mode(tmp)
        os.replace(tmp, path)
        return result
    except PermissionError as exc:
        raise CivDeskError(f"无法保存「{name}」：文件可能正在 PDF 阅读器或 WPS 中打开，请关闭后重试，或换一个文件名。") from exc
    except OSError as exc:
        raise CivDeskError(f"无法保存「{name}」：{exc.strerror or exc}（U 盘是否已拔出或已满？）") from exc
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


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
