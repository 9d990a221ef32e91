"""Working-day calendar over an editable table of 休/班 days.

Pure Python, no Qt and no database: the caller loads the table (defaults from
``default_entries`` plus the administrator's edits) and builds one ``Calendar``.
Days not in the table follow the rule Monday–Friday = working day. A year with no
entries at all is *assumed* to follow that rule; results say which years were assumed
so the caller can show a warning (「未录入 YYYY 年放假安排」). A year with any entry counts
as entered: importing only part of a year's schedule is the administrator's call.
"""
from __future__ import annotations

import operator
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from typing import NamedTuple

REST, WORK = "休", "班"
SHEET_MIN_YEAR, SHEET_MAX_YEAR = 1950, 2100
_MAX_ORDINAL = date.max.toordinal()


class DayEntry(NamedTuple):
    kind: str  # 休 (day off) or 班 (working day, usually a make-up weekend day)
    name: str  # e.g. 国庆节


@dataclass(frozen=True, slots=True)
class WorkdayResult:
    day: date
    assumed_years: frozenset[int]  # years counted Mon–Fri for lack of data


@dataclass(frozen=True, slots=True)
class WorkdayCount:
    days: int
    assumed_years: frozenset[int]


class CalendarSheetError(ValueError):
    """Every problem found in an imported sheet; nothing was accepted."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def _day(value: date) -> date:
    # A datetime never equals the date it falls on, so it would miss every table entry.
    return value.date() if isinstance(value, datetime) else value


class Calendar:
    """Working days from a table {date: (休|班, name)}; other days Mon–Fri work."""

    def __init__(self, entries: Mapping[date, tuple[str, str]] | None = None) -> None:
        table: dict[date, DayEntry] = {}
        for day, (kind, name) in (entries or {}).items():
            day = _day(day)
            if kind not in (REST, WORK):
                raise ValueError(f"{day.isoformat()} 的类型只能是“休”或“班”，收到的是：{kind!r}")
            table[day] = DayEntry(kind, name)
        self._entries = table
        self._years = frozenset(day.year for day in table)
        # Only entries that differ from the Mon–Fri rule change any count; keep them as
        # sorted ordinals with a running sum so counting is a bisect, not a day loop.
        changes = sorted((d.toordinal(), 1 if e.kind == WORK else -1) for d, e in table.items()
                         if (e.kind == WORK) != (d.weekday() < 5))
        self._change_ordinals = [o for o, _ in changes]
        self._change_sums = list(accumulate((delta for _, delta in changes), initial=0))

    # -- the table -------------------------------------------------------------------
    def entry(self, day: date) -> DayEntry | None:
        return self._entries.get(_day(day))

    def year_entries(self, year: int) -> list[tuple[date, DayEntry]]:
        return sorted((d, e) for d, e in self._entries.items() if d.year == year)

    def known_years(self) -> frozenset[int]:
        return self._years

    def missing_years(self, years: Iterable[int]) -> list[int]:
        """The given years that have no entry at all (counted Mon–Fri, with a warning)."""
        return sorted(set(years) - self._years)

    def assumed_years(self, first: date, last: date) -> frozenset[int]:
        """Years touched by the days first..last (either order) that have no entries."""
        lo, hi = sorted((first.year, last.year))
        return frozenset(y for y in range(lo, hi + 1) if y not in self._years)

    # -- counting --------------------------------------------------------------------
    def is_workday(self, day: date) -> bool:
        day = _day(day)
        found = self._entries.get(day)
        if found is not None:
            return found.kind == WORK
        return day.weekday() < 5

    def _count_upto(self, ordinal: int) -> int:
        """Working days with ordinal 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
        weeks, rest = divmod(ordinal, 7)
        changed = self._change_sums[bisect_right(self._change_ordinals, ordinal)]
        return weeks * 5 + min(rest, 5) + changed

    def add_workdays(self, start: date, n: int) -> WorkdayResult:
        """The n-th working day after ``start`` (「n 个工作日内」 counts from the next day).

        n = 0 gives ``start`` itself (same-day deadlines). n < 0 goes back: the working
        day d with workdays_between(d, start) == -n.
        """
        start, n = _day(start), operator.index(n)
        if n == 0:
            return WorkdayResult(start, frozenset())
        origin = start.toordinal()
        target = self._count_upto(origin) + n
        step = abs(n) * 7 // 5 + 10
        # Bracket the answer with count(lo) < target <= count(hi), then bisect.
        if n > 0:
            lo, hi = origin, origin + step
            while self._count_upto(hi) < target:
                lo, hi, step = hi, hi + step, step * 2
        else:
            lo, hi = origin - step, origin
            while self._count_upto(lo) >= target:
                lo, hi, step = lo - step, lo, step * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._count_upto(mid) >= target:
                hi = mid
            else:
                lo = mid
        if not 1 <= hi <= _MAX_ORDINAL:
            raise ValueError("工作日推算超出了可表示的日期范围")
        found = date.fromordinal(hi)
        if n > 0:
            span = self.assumed_years(date.fromordinal(origin + 1), found)
        else:
            span = self.assumed_years(found, date.fromordinal(origin - 1))
        return WorkdayResult(found, span)

    def workdays_between(self, a: date, b: date) -> WorkdayCount:
        """Working days d with a < d <= b (negative when b is before a).

        Days overdue: workdays_between(deadline, today).
        """
        a, b = _day(a), _day(b)
        if a == b:
            return WorkdayCount(0, frozenset())
        days = self._count_upto(b.toordinal()) - self._count_upto(a.toordinal())
        first, last = sorted((a.toordinal(), b.toordinal()))
        span = self.assumed_years(date.fromordinal(first + 1), date.fromordinal(last))
        return WorkdayCount(days, span)


# -- defaults from chinesecalendar ------------------------------------------------------
# The names the State Council notice uses (the package says 清明, 端午, 中秋).
_OFFICIAL_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def default_entries(year: int) -> dict[date, DayEntry] | None:
    """The State Council schedule of ``year`` as known to ``chinesecalendar``.

    None when the package has no data for that year (1.11.0 knows 2004–2026); the caller
    then warns that the year is missing.
    """
    import chinese_calendar  # only needed when seeding the table

    entries: dict[date, DayEntry] = {}
    day = date(year, 1, 1)
    while day.year == year:
        try:
            is_rest, english = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        if english is not None:
            name = _OFFICIAL_NAMES.get(english)
            if name is None:
                try:
                    name = chinese_calendar.Holiday(english).chinese
                except ValueError:
                    name = english
            entries[day] = DayEntry(REST if is_rest else WORK, name)
        day = date.fromordinal(day.toordinal() + 1)
    return entries


# -- sheet import -----------------------------------------------------------------------
_HEADER = ("日期", "类型", "名称")
_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_date(value: object) -> tuple[date | None, str]:
    """(date, '') or (None, the Chinese reason)."""
    day = _read_date(value)
    if isinstance(day, str):
        return None, day
    if not SHEET_MIN_YEAR <= day.year <= SHEET_MAX_YEAR:
        return None, f"{day.isoformat()} 超出范围（{SHEET_MIN_YEAR}–{SHEET_MAX_YEAR} 年）"
    return day, ""


def _read_date(value: object) -> date | str:
    """The date written in a cell, or why it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _blank(value):
        return "不能为空"
    if isinstance(value, (int, float)):
        return f"{value} 不是日期（单元格可能被设成了数字格式），请写成 2026-10-01"
    text = unicodedata.normalize("NFKC", str(value)).strip()  # full-width digits too
    match = _DATE_TEXT.fullmatch(text)
    if match is None:
        return f"无法识别“{value}”，请写成 2026-10-01、2026/10/1 或 2026年10月1日"
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return f"“{value}”不是存在的日期"


def parse_sheet_rows(rows: Iterable[Sequence[object]], first_row: int = 1) -> dict[date, DayEntry]:
    """Validate sheet rows (日期, 类型, 名称) and return the entries, all or nothing.

    ``first_row`` is the sheet row number of the first row given, so messages name the
    row the clerk sees. A leading header row 日期/类型/名称 and blank rows are skipped.
    Raises CalendarSheetError carrying every problem found.
    """
    errors: list[str] = []
    entries: dict[date, DayEntry] = {}
    seen: dict[date, int] = {}
    for number, row in enumerate(rows, start=first_row):
        cells = list(row) + [None] * (3 - len(row))
        if all(_blank(cell) for cell in cells):
            continue
        if number == first_row and tuple(str(c).strip() for c in cells[:3]) == _HEADER:
            continue
        if any(not _blank(cell) for cell in cells[3:]):
            errors.append(f"第 {number} 行：多出了第 4 列以后的内容，只应有 日期、类型、名称 三列")
        day, problem = _parse_date(cells[0])
        if day is None:
            errors.append(f"第 {number} 行，日期：{problem}")
        elif day in seen:
            errors.append(f"第 {number} 行，日期：{day.isoformat()} 出现了两次（第 {seen[day]} 行也是这一天）")
        else:
            seen[day] = number
        kind = "" if _blank(cells[1]) else unicodedata.normalize("NFKC", str(cells[1])).strip()
        if kind not in (REST, WORK):
            shown = "为空" if not kind else f"填的是“{kind}”"
            errors.append(f"第 {number} 行，类型：{shown}，只能填“休”或“班”")
        name = "" if _blank(cells[2]) else str(cells[2]).strip()
        if day is not None and seen[day] == number and kind in (REST, WORK):
            entries[day] = DayEntry(kind, name)
    if errors:
        raise CalendarSheetError(errors)
    return entries
