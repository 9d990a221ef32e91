"""A date box that may also be left empty, shown as （未填写）, with a calendar drop-down."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtWidgets import QDateEdit

EMPTY = QDate(1900, 1, 1)


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DateField(QDateEdit):
    def __init__(self, value: dt.date | None = None, *, optional: bool = False, parent=None):
        super().__init__(parent)
        self.optional = optional
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        if optional:
            # Qt's way of an empty date box: the minimum date shows the special text instead.
            self.setMinimumDate(EMPTY)
            self.setSpecialValueText("（未填写）")
        else:
            self.setMinimumDate(QDate(1900, 1, 2))
        self.setMaximumDate(QDate(2099, 12, 31))
        self.calendarWidget().installEventFilter(self)
        self.set_value(value if value is not None or optional else dt.date.today())
        self.setMinimumWidth(self.sizeHint().width() + 12)

    def value(self) -> dt.date | None:
        if self.optional and self.date() == EMPTY:
            return None
        return from_qdate(self.date())

    def text_value(self) -> str:
        value = self.value()
        return value.isoformat() if value else ""

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(to_qdate(value) if value else EMPTY if self.optional else QDate.currentDate())

    def set_latest(self, value: dt.date) -> None:
        """No date after *value* can be picked (e.g. service cannot be recorded in advance)."""
        self.setMaximumDate(to_qdate(value))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An empty box would open the calendar at January 1900; open it at this month instead.
        if event.type() == QEvent.Type.Show and self.optional and self.date() == EMPTY:
            today = dt.date.today()
            self.calendarWidget().setCurrentPage(today.year, today.month)
        return super().eventFilter(watched, event)
