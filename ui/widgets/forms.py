"""Small building blocks every form dialog uses: a multi-line text box of a given height and
the OK/cancel button row."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit


def text_box(lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    height = edit.fontMetrics().lineSpacing() * lines + 16
    edit.setFixedHeight(height)
    # The style sheet's min-height would otherwise let a crowded dialog squash it to one line.
    edit.setStyleSheet(f"QPlainTextEdit {{ min-height: {height}px; max-height: {height}px; }}")
    return edit


def form_buttons(dialog: QDialog, ok_text: str, on_ok=None) -> QDialogButtonBox:
    """A primary *ok_text* button (calling *on_ok* when given) and 取消, which rejects."""
    buttons = QDialogButtonBox()
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setProperty("primary", True)
    ok.setDefault(True)
    buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.rejected.connect(dialog.reject)
    if on_ok is not None:
        buttons.accepted.connect(on_ok)
    return buttons
