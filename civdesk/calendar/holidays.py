"""The office's working-day calendar: every deadline counted in working days asks here.

Where the days come from, per year: the rows an administrator entered or imported (设置 → 节假日,
or a sheet with 日期, 类型, 名称), else the State Council schedule that the ``chinesecalendar``
package knows (2004–2026 in version 1.11), else nothing — then Monday to Friday count as working
days and every result says which years were assumed, so the screens can warn
(「未录入 YYYY 年放假安排」). Editing one day of a year that came from the package first copies
that year's schedule into the table, so the year stays whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from peewee import fn

from civdesk.calendar import festivals as festival_dates
from civdesk.calendar import workdays
from civdesk.calendar.models import CalendarDay
from civdesk.calendar.workdays import REST, WORK, Calendar, CalendarSheetError, WorkdayCount, WorkdayResult
from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError

DEFAULT_FIRST_YEAR = 2004  # the first year chinesecalendar knows
SOURCE_LABELS = {"table": "本单位录入", "package": "国务院安排（程序自带）", "none": "未录入"}

__all__ = ["REST", "WORK", "WorkdayCount", "WorkdayResult", "add_workdays", "workdays_between", "is_workday"]


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    kind: str  # 休 or 班
    name: str


@dataclass(frozen=True)
class YearInfo:
    year: int
    source: str  # "table" | "package" | "none"
    days: list[DayRow]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[tuple[dt.date, str, str], ...] | None:
    found = workdays.default_entries(year)
    if found is None:
        return None
    return tuple(sorted((day, entry.kind, entry.name) for day, entry in found.items()))


def _table_rows() -> list[tuple[dt.date, str, str]]:
    query = (CalendarDay.select(CalendarDay.day, CalendarDay.kind, CalendarDay.name)
             .where(CalendarDay.deleted == False).tuples())  # noqa: E712
    return [(day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)), kind, name)
            for day, kind, name in query]


_cached: tuple[tuple, Calendar] | None = None


def _table_key() -> tuple:
    return CalendarDay.select(fn.COUNT(CalendarDay.id), fn.MAX(CalendarDay.clock)).tuples().get()


def current(today: dt.date | None = None) -> Calendar:
    """The calendar in force (cached until the table changes)."""
    global _cached
    this_year = (today or dt.date.today()).year
    key = (_table_key(), this_year)
    if _cached is not None and _cached[0] == key:
        return _cached[1]
    entries: dict[dt.date, tuple[str, str]] = {}
    table = _table_rows()
    entered = {day.year for day, _, _ in table}
    for year in range(DEFAULT_FIRST_YEAR, this_year + 2):
        if year not in entered:
            for day, kind, name in _package_year(year) or ():
                entries[day] = (kind, name)
    for day, kind, name in table:
        entries[day] = (kind, name)
    calendar = Calendar(entries)
    _cached = (key, calendar)
    return calendar


def add_workdays(start: dt.date, n: int) -> WorkdayResult:
    """The date N working days after *start* (「N 个工作日内」 counts from the next day)."""
    return current().add_workdays(start, n)


def workdays_between(a: dt.date, b: dt.date) -> WorkdayCount:
    """Working days after *a* up to and including *b* (days overdue: deadline, today)."""
    return current().workdays_between(a, b)


def is_workday(day: dt.date) -> bool:
    return current().is_workday(day)


def missing_years(years) -> list[int]:
    return current().missing_years(years)


def year_info(year: int) -> YearInfo:
    table = [row for row in _table_rows() if row[0].year == year]
    if table:
        return YearInfo(year, "table", [DayRow(*row) for row in sorted(table)])
    package = _package_year(year)
    if package:
        return YearInfo(year, "package", [DayRow(*row) for row in package])
    return YearInfo(year, "none", [])


def warning_for(result: WorkdayResult | WorkdayCount) -> str:
    """The sentence a screen shows beside a deadline counted without a year's schedule."""
    if not result.assumed_years:
        return ""
    years = "、".join(str(y) for y in sorted(result.assumed_years))
    return f"未录入 {years} 年放假安排，按周一至周五计算，请管理员在“设置 → 节假日”中补录。"


# --- editing (administrators) ------------------------------------------------------------------


def _existing(day: dt.date) -> CalendarDay | None:
    return CalendarDay.get_or_none(CalendarDay.id == _day_id(day))


def _day_id(day: dt.date) -> str:
    return changes.deterministic_id("calendar_day", day.isoformat())


def _write_day(actor: Actor, day: dt.date, kind: str, name: str) -> None:
    row = _existing(day)
    values = {"day": day, "kind": kind, "name": name}
    if row is None:
        changes.create(CalendarDay, actor, values, id=_day_id(day), record_label=f"{day} {name}".strip())
    elif row.deleted or (row.kind, row.name) != (kind, name):
        changes.update(row, actor, {"kind": kind, "name": name, "deleted": False})


def _take_over(actor: Actor, year: int) -> None:
    """Copy the package's schedule of *year* into the table before the first edit of that year."""
    if any(row[0].year == year for row in _table_rows()):
        return
    for day, kind, name in _package_year(year) or ():
        _write_day(actor, day, kind, name)


def _check_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if kind not in (REST, WORK):
        raise ValidationError({"kind": f"类型只能是“休”（放假）或“班”（调休上班），当前为“{kind}”"})
    return kind


def set_day(actor: Actor, day: dt.date, kind: str, name: str = "") -> None:
    """Mark *day* as a day off (休) or a make-up working day (班)."""
    require(actor, "edit_settings")
    kind = _check_kind(kind)
    if not festival_dates.MIN_YEAR <= day.year <= festival_dates.MAX_YEAR:
        raise ValidationError({"day": f"日期 {day} 超出范围（1950–2100 年）"})
    with database.atomic():
        _take_over(actor, day.year)
        _write_day(actor, day, kind, (name or "").strip())


def remove_day(actor: Actor, day: dt.date) -> None:
    """Make *day* an ordinary day again (Monday–Friday work, weekends off)."""
    require(actor, "edit_settings")
    with database.atomic():
        _take_over(actor, day.year)
        row = _existing(day)
        if row is None or row.deleted:
            raise CivDeskError(f"{day} 不在放假安排中。")
        changes.delete(row, actor, note="从放假安排中删除")


def import_rows(actor: Actor, rows, first_row: int = 1) -> dict[int, int]:
    """Import (日期, 类型, 名称) rows, all or nothing: each year in the sheet replaces that year's
    table. Returns {year: days}. Raises ValidationError naming every bad row."""
    require(actor, "edit_settings")
    try:
        entries = workdays.parse_sheet_rows(rows, first_row)
    except CalendarSheetError as exc:
        raise ValidationError({"sheet": "；".join(exc.errors)}) from None
    if not entries:
        raise ValidationError({"sheet": "表格里没有任何日期。请按“日期、类型、名称”三列填写，类型填“休”或“班”。"})
    years: dict[int, int] = {}
    with database.atomic():
        for year in sorted({day.year for day in entries}):
            keep = {day for day in entries if day.year == year}
            in_year = (CalendarDay.day >= dt.date(year, 1, 1)) & (CalendarDay.day <= dt.date(year, 12, 31))
            for row in CalendarDay.select().where((CalendarDay.deleted == False) & in_year):  # noqa: E712
                if row.day not in keep:
                    changes.delete(row, actor, note="导入放假安排时替换")
            years[year] = len(keep)
        for day, entry in sorted(entries.items()):
            _write_day(actor, day, entry.kind, entry.name)
        changes.write_audit(actor, "import", tbl="calendar_day", record_label="放假安排",
                            note="导入放假安排：" + "，".join(f"{y} 年 {n} 天" for y, n in years.items()))
    return years


def import_sheet(actor: Actor, path: str | Path) -> dict[int, int]:
    """Import the first sheet of an .xlsx with the columns 日期, 类型, 名称."""
    from civdesk.xlsx.read import ColumnSpec, read_sheet

    specs = [ColumnSpec("day", "日期", required=True), ColumnSpec("kind", "类型", required=True),
             ColumnSpec("name", "名称")]
    result = read_sheet(path, specs)
    if result.file_errors:
        raise ValidationError({"sheet": "；".join(result.file_errors)})
    by_number = {r.row_number: (r.values.get("day"), r.values.get("kind"), r.values.get("name"))
                 for r in result.rows}
    if not by_number:
        return import_rows(actor, [])
    first = min(by_number)
    rows = [by_number.get(n, (None, None, None)) for n in range(first, max(by_number) + 1)]
    return import_rows(actor, rows, first_row=first)


def festivals(year: int) -> list[tuple[str, dt.date]]:
    """我们的节日 of *year* in calendar order (1950–2100; ValueError in Chinese otherwise)."""
    return festival_dates.festivals(year)
