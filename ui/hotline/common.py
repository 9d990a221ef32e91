"""Small pieces the 热线工单 screens share: a dialog layout whose body scrolls above a fixed button row,
the time box every step has, the one-line step dialog, months to pick from."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civdesk.hotline import tickets
from ui.field_errors import FieldErrors, error_label, hint_label
from ui.widgets import fit
from ui.widgets.forms import form_buttons

COLOUR_BACKGROUND = {"yellow": "#fff3c4", "red": "#fbd5d0"}
COLOUR_TEXT = {"ok": "#2e7d32", "yellow": "#9a6b00", "red": "#c0392b"}


def scrolling_layout(dialog: QDialog, title: str) -> tuple[QVBoxLayout, QVBoxLayout, QScrollArea]:
    """(body, footer, scroll area) of *dialog*: the body scrolls (``fit.scroll_body``), the footer stays below it,
    always seen. Size the dialog with ``fit.fit_to_screen`` once it is filled."""
    dialog.setWindowTitle(title)
    outer = QVBoxLayout(dialog)
    body = QVBoxLayout()
    outer.addLayout(body, 1)
    footer = QVBoxLayout()
    outer.addLayout(footer)
    return body, footer, fit.scroll_body(dialog, keep=1)


def time_edit(value: dt.datetime | None = None) -> QLineEdit:
    edit = QLineEdit(tickets.stamp(value or tickets.now()))
    edit.setPlaceholderText("2026-11-03 09:30")
    edit.setMaxLength(16)
    return edit


class StepDialog(QDialog):
    """One step of a ticket: a form of a few fields, the time it happened, errors under each
    field. ``call(values)`` is the flow function; ``done`` holds its result on success. It opens
    *width* wide and as tall as its fields (its body scrolls when the screen is lower)."""

    def __init__(self, title: str, intro: str, ok_text: str, parent=None, width: int = 520):
        super().__init__(parent)
        self.body, self.footer, self.scroll = scrolling_layout(self, title)
        self._wanted: QSize | None = QSize(width, 0)
        self.errors = FieldErrors()
        self.result_value = None
        if intro:
            self.body.addWidget(hint_label(intro))
        self.form = QFormLayout()
        self.body.addLayout(self.form)
        self.body.addStretch(1)
        self.general = error_label()
        self.footer.addWidget(self.general)
        self.buttons = form_buttons(self, ok_text, self.submit)
        self.footer.addWidget(self.buttons)
        self.time_edit = time_edit()

    def add_row(self, label: str, name: str, editor: QWidget, hint: str = "") -> QWidget:
        self.form.addRow(label, self.errors.block(name, editor, hint))
        return editor

    def add_time(self, label: str) -> None:
        self.add_row(label, "time", self.time_edit, "默认是现在；补录时改成实际的时间")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._wanted is not None:  # sized once, when the subclass has added its rows
            fit.fit_to_screen(self, self._wanted)
            self._wanted = None
        super().showEvent(event)

    def call(self):  # overridden
        raise NotImplementedError

    def submit(self) -> None:
        ok, value = self.errors.submit(self.call, self.general)
        if ok:
            self.result_value = value
            self.accept()


def recent_months(count: int = 12, today: dt.date | None = None) -> list[str]:
    day = (today or dt.date.today()).replace(day=1)
    months = []
    for _ in range(count):
        months.append(f"{day.year:04d}-{day.month:02d}")
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return months


def month_combo(blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, "")
    for month in recent_months():
        year, number = month.split("-")
        combo.addItem(f"{year}年{int(number)}月", month)
    return combo


def bold(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label
