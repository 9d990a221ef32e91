"""A dialog waiting for one background answer (a password check, a password change, the first
setup: scrypt, so ``run_task``): while ``task`` runs its inputs and buttons are disabled, a line
says what it is doing, the cursor is busy, and 取消, Esc and the close button wait for the answer."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def show_waiting(dialog: QWidget, controls: Iterable[QWidget | None], status: QWidget, on: bool) -> None:
    for control in controls:
        if control is not None:
            control.setEnabled(not on)
    status.setVisible(on)
    if on:
        dialog.setCursor(Qt.CursorShape.BusyCursor)
    else:
        dialog.unsetCursor()


class WaitsForAnswer:
    """Mixed in before the Qt dialog class; the dialog keeps its run_task handle in ``task``."""

    task = None

    def waiting(self) -> bool:
        return self.task is not None

    def wait_for_answer(self, timeout_ms: int = 120_000) -> None:
        """Until the background work has answered (tests; the dialog's own loop needs no wait)."""
        if self.task is not None:
            self.task.wait(timeout_ms)

    def reject(self) -> None:
        if not self.waiting():
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.waiting():
            event.ignore()
            return
        super().closeEvent(event)
