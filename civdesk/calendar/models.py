"""The office's table of official holidays and make-up working days (调休), one row a day.

A day's id is derived from its date, so the same day entered on two PCs is one record that
merges (a different 类型 becomes an ordinary conflict for a person to settle).
"""

from __future__ import annotations

from peewee import CharField, DateField

from civdesk.core.models import SyncModel

KINDS = {"休": "放假", "班": "上班（调休）"}


class CalendarDay(SyncModel):
    day = DateField(index=True)
    kind = CharField()  # 休 or 班
    name = CharField(default="")

    label = "放假安排"
    field_labels = {"day": "日期", "kind": "类型", "name": "名称"}

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "kind":
            return KINDS.get(value, value or "")
        return super().display_value(field, value)

    def record_label(self) -> str:
        return f"{self.day} {self.name}".strip()

    class Meta:
        table_name = "calendar_day"
