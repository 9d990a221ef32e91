"""Saving a PDF the user asked for: pick the file, write it in the background, open it.

One way for every page: ``save_pdf(parent, "公示名单", "公示名单.pdf", write)`` where
``write(path, ctx)`` writes the PDF with Qt-free code; it runs on a worker thread with its own
database connection, and may report ``ctx.progress(done, total, text)`` and poll
``ctx.cancelled`` (see ui/tasks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.tasks import TaskHandle, run_task

_FOLDER_KEY = "pdf/last_folder"


def _work(ctx, write: Callable[[str, object], object], path: str) -> str:
    write(path, ctx)
    return path


def choose_path(parent: QWidget | None, title: str, suggested_name: str) -> str:
    folder = QSettings().value(_FOLDER_KEY) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in suggested_name)
    path, _ = QFileDialog.getSaveFileName(parent, f"保存{title}", str(Path(folder) / safe), "PDF 文件 (*.pdf)")
    if path:
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        QSettings().setValue(_FOLDER_KEY, str(Path(path).parent))
    return path


def save_pdf(parent: QWidget | None, title: str, suggested_name: str, write: Callable[[str, object], object], *,
             path: str | None = None, on_saved: Callable[[str], None] | None = None,
             open_when_done: bool = True) -> TaskHandle | None:
    """Ask where (unless *path* is given), write in the background, then open the PDF."""
    path = path or choose_path(parent, title, suggested_name)
    if not path:
        return None

    def done(saved: str) -> None:
        if on_saved is not None:
            on_saved(saved)
        if open_when_done:
            QDesktopServices.openUrl(QUrl.fromLocalFile(saved))

    def failed(message: str) -> None:
        QMessageBox.warning(parent, f"无法生成{title}", message)

    return run_task(parent, f"正在生成{title}", _work, write, path, on_done=done, on_error=failed)
