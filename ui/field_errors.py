"""Red messages right under the form field they are about.

Forms build each field with :func:`field_block` and show a service's
``ValidationError.errors`` with :meth:`FieldErrors.show`. Editing a field clears its message,
so a clerk is not scolded for something already fixed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QVBoxLayout, QWidget

from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError

ERROR_COLOR = "#c0392b"
OK_COLOR = "#2e7d32"


def error_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "error")
    # Inline as well as in style.qss, so the message is red even without the style sheet.
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    label.setWordWrap(True)
    label.hide()
    return label


def hint_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


def set_error(label: QLabel, message: str | None) -> None:
    if label.text() == (message or "") and label.isHidden() != bool(message):
        return
    label.setText(message or "")
    label.setVisible(bool(message))
    # QFormLayout keeps a stale height-for-width for a row whose nested label just appeared
    # (seen after QFormLayout.setRowVisible), so the message would overlap the next field.
    widget = label.parentWidget()
    while widget is not None:
        if widget.layout() is not None:
            widget.layout().invalidate()
        if widget.isWindow():
            break
        widget = widget.parentWidget()


class FieldErrors:
    """The error labels of one form, keyed by the field names services use."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}

    def block(self, name: str, editor: QWidget, hint: str = "") -> QWidget:
        """The editor with an optional grey hint and its (hidden) error label underneath."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(editor)
        if hint:
            layout.addWidget(hint_label(hint))
        label = error_label()
        layout.addWidget(label)
        self.labels[name] = label
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text, n=name: self.clear(n))
        elif isinstance(editor, QAbstractButton):
            editor.toggled.connect(lambda _on, n=name: self.clear(n))
        return box

    def add(self, name: str, label: QLabel) -> None:
        self.labels[name] = label

    def show(self, errors: dict[str, str]) -> list[str]:
        """Show the messages for this form's fields; returns the ones that have no field here."""
        unplaced = []
        for name, label in self.labels.items():
            set_error(label, errors.get(name))
        for name, message in errors.items():
            if name not in self.labels:
                unplaced.append(message)
        return unplaced

    def submit(self, call, general: QLabel) -> tuple[bool, object]:
        """Run a service call for this form: a ValidationError's messages go under their fields
        (those without a field here, and any other refusal, into *general*). Returns
        (succeeded, the call's result)."""
        self.clear()
        set_error(general, None)
        try:
            return True, call()
        except ValidationError as exc:
            rest = self.show(exc.errors)
            set_error(general, "；".join(rest) if rest else None)
        except CivDeskError as exc:
            set_error(general, str(exc))
        return False, None

    def clear(self, name: str | None = None) -> None:
        for key, label in self.labels.items():
            if name is None or key == name:
                set_error(label, None)

    def message(self, name: str) -> str:
        label = self.labels.get(name)
        return label.text() if label is not None and not label.isHidden() else ""


def message_label() -> QLabel:
    """A line under a form or table for what just happened (green) or was refused (red)."""
    label = QLabel()
    label.setWordWrap(True)
    return label


def show_message(label: QLabel, text: str, ok: bool = True) -> None:
    label.setStyleSheet(f"color: {OK_COLOR if ok else ERROR_COLOR};")
    label.setText(text)
