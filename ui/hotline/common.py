"""Small pieces the 热线工单 screens share: a dialog whose body scrolls above a fixed button row,
the time box every step has, the one-line step dialog, months to pick from."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civdesk.hotline import tickets
from ui.field_errors import FieldErrors, error_label, hint_label
from ui.widgets.forms import form_buttons

TITLE_BAR = 32
COLOUR_BACKGROUND = {"yellow": "#fff3c4", "red": "#fbd5d0"}
COLOUR_TEXT = {"ok": "#2e7d32", "yellow": "#9a6b00", "red": "#c0392b"}


def screen_room(widget: QWidget | None) -> QSize:
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1366, 728)


class ScrollingDialog(QDialog):
    """``self.body`` (a QVBoxLayout) scrolls; ``self.footer`` stays at the bottom, always seen."""

    def __init__(self, title: str, parent=None, size: tuple[int, int] = (560, 420)):
        super().__init__(parent)
        self.setWindowTitle(title)
        outer = QVBoxLayout(self)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("dialogBody")
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(0, 0, 6, 0)
        area.setWidget(inner)
        self.scroll = area
        outer.addWidget(area, 1)
        self.footer = QVBoxLayout()
        outer.addLayout(self.footer)
        room = screen_room(parent)
        self.resize(min(size[0], room.width() - 16), min(size[1], room.height() - TITLE_BAR - 8))


def time_edit(value: dt.datetime | None = None) -> QLineEdit:
    edit = QLineEdit(tickets.stamp(value or tickets.now()))
    edit.setPlaceholderText("2026-11-03 09:30")
    edit.setMaxLength(16)
    return edit


class StepDialog(ScrollingDialog):
    """One step of a ticket: a form of a few fields, the time it happened, errors under each
    field. ``call(values)`` is the flow function; ``done`` holds its result on success."""

    def __init__(self, title: str, intro: str, ok_text: str, parent=None, size=(520, 360)):
        super().__init__(title, parent, size)
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
