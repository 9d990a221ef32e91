from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta

import pytest

from civdesk.calendar.workdays import (
    Calendar,
    CalendarSheetError,
    DayEntry,
    WorkdayCount,
    WorkdayResult,
    default_entries,
    parse_sheet_rows,
)

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> Calendar:
    entries: dict[date, DayEntry] = {}
    for year in (2025, 2026):
        found = default_entries(year)
        assert found is not None
        entries.update(found)
    return Calendar(entries)


# -- what chinesecalendar 1.11.0 says ---------------------------------------------------
def test_defaults_2026_national_day() -> None:
    got = default_entries(2026)
    assert got is not None
    for day in range(1, 8):
        assert got[date(2026, 10, day)] == DayEntry("休", "国庆节")
    assert got[D("2026-09-20")] == DayEntry("班", "国庆节")  # Sunday
    assert got[D("2026-10-10")] == DayEntry("班", "国庆节")  # Saturday
    assert got[D("2026-09-25")] == DayEntry("休", "中秋节")
    assert got[D("2026-01-04")] == DayEntry("班", "元旦")
    assert {d for d, e in got.items() if e.kind == "班"} == {
        D("2026-01-04"), D("2026-02-14"), D("2026-02-28"), D("2026-05-09"), D("2026-09-20"),
        D("2026-10-10")}


@pytest.mark.parametrize("year", [2027, 2030, 2003])
def test_defaults_unknown_year(year: int) -> None:
    assert default_entries(year) is None


def test_agrees_with_chinesecalendar_every_day(cal: Calendar) -> None:
    import chinese_calendar

    day = D("2025-01-01")
    while day.year < 2027:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


# -- 「N 个工作日内」 ---------------------------------------------------------------------
@pytest.mark.parametrize(("start", "n", "expected"), [
    ("2026-03-06", 1, "2026-03-09"),   # Friday + 1 → Monday
    ("2026-03-09", 1, "2026-03-10"),
    ("2026-03-07", 1, "2026-03-09"),   # from a Saturday
    # National Day 2026: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 worked.
    ("2026-09-30", 1, "2026-10-08"),
    ("2026-09-18", 1, "2026-09-20"),
    ("2026-10-08", 2, "2026-10-10"),
    ("2026-10-09", 1, "2026-10-10"),
    ("2026-10-10", 1, "2026-10-12"),
    ("2026-09-25", 10, "2026-10-15"),  # from 中秋: 9-28..9-30, 10-8..10-10, 10-12..10-15
    # Spring Festival 2026: 02-15..02-23 off, Saturdays 02-14 and 02-28 worked.
    ("2026-02-13", 1, "2026-02-14"),
    ("2026-02-13", 2, "2026-02-24"),
    ("2026-02-14", 1, "2026-02-24"),
    ("2026-02-27", 1, "2026-02-28"),
    ("2026-02-28", 1, "2026-03-02"),
    ("2026-02-10", 5, "2026-02-24"),   # 11, 12, 13, 14(六), 24
    ("2025-12-31", 1, "2026-01-04"),   # 元旦 1-1..1-3 off, Sunday 1-4 worked
    ("2025-12-31", 2, "2026-01-05"),
])
def test_add_workdays(cal: Calendar, start: str, n: int, expected: str) -> None:
    result = cal.add_workdays(D(start), n)
    assert result == WorkdayResult(D(expected), frozenset())
    assert cal.workdays_between(D(start), D(expected)).days == n


def test_zero_and_negative(cal: Calendar) -> None:
    assert cal.add_workdays(D("2026-10-03"), 0).day == D("2026-10-03")
    assert cal.add_workdays(D("2026-10-08"), -1).day == D("2026-09-30")
    assert cal.add_workdays(D("2026-10-09"), -2).day == D("2026-09-30")  # yellow 2 days before
    assert cal.add_workdays(D("2026-02-24"), -1).day == D("2026-02-14")


def test_against_plain_list_of_workdays(cal: Calendar) -> None:
    """Every start in 2025 and n up to 60, against chinesecalendar's own day list."""
    import chinese_calendar

    work = chinese_calendar.get_workdays(D("2025-01-01"), D("2026-12-31"))
    day = D("2025-01-01")
    while day.year == 2025:
        after = bisect_right(work, day)
        for n in (1, 2, 3, 5, 10, 13, 60):
            got = cal.add_workdays(day, n)
            assert got.day == work[after + n - 1], (day, n)
            assert cal.workdays_between(day, got.day).days == n
        day += timedelta(days=1)


def test_workdays_between(cal: Calendar) -> None:
    assert cal.workdays_between(D("2026-09-30"), D("2026-10-10")) == WorkdayCount(3, frozenset())
    assert cal.workdays_between(D("2026-10-10"), D("2026-09-30")).days == -3
    assert cal.workdays_between(D("2026-10-01"), D("2026-10-07")).days == 0
    assert cal.workdays_between(D("2026-10-05"), D("2026-10-05")).days == 0
    # 2026: 261 weekdays - 19 weekday holidays (1-1, 1-2, 2-16..2-20, 2-23, 4-6, 5-1, 5-4,
    # 5-5, 6-19, 9-25, 10-1, 10-2, 10-5..10-7) + 6 make-up days.
    assert cal.workdays_between(D("2025-12-31"), D("2026-12-31")).days == 248


# -- a year with no data ----------------------------------------------------------------
def test_year_without_data(cal: Calendar) -> None:
    assert cal.missing_years([2025, 2026, 2027]) == [2027]
    # 2027-01-01 is New Year's Day, but nobody has entered 2027: Mon–Fri counts, and
    # the result says so.
    assert cal.add_workdays(D("2026-12-31"), 1) == WorkdayResult(D("2027-01-01"), frozenset({2027}))
    assert cal.add_workdays(D("2026-12-24"), 3) == WorkdayResult(D("2026-12-29"), frozenset())
    assert cal.workdays_between(D("2026-12-30"), D("2027-01-05")) == WorkdayCount(4, frozenset({2027}))
    assert cal.add_workdays(D("2027-01-04"), -1) == WorkdayResult(D("2027-01-01"), frozenset({2027}))
    assert cal.add_workdays(D("2027-01-04"), -2) == WorkdayResult(D("2026-12-31"), frozenset({2027}))


def test_empty_calendar_assumes_every_year() -> None:
    empty = Calendar()
    assert empty.add_workdays(D("2026-09-30"), 1) == WorkdayResult(D("2026-10-01"), frozenset({2026}))
    assert empty.missing_years(range(2025, 2028)) == [2025, 2026, 2027]
    assert empty.add_workdays(D("2026-12-31"), 260).assumed_years == frozenset({2027})


def test_admin_edits_win() -> None:
    edited = Calendar({D("2026-03-10"): ("休", "本地假日"), D("2026-03-14"): ("班", "补班")})
    assert not edited.is_workday(D("2026-03-10"))
    assert edited.is_workday(D("2026-03-14"))
    assert edited.add_workdays(D("2026-03-09"), 1).day == D("2026-03-11")
    assert edited.add_workdays(D("2026-03-13"), 1).day == D("2026-03-14")
    assert edited.entry(D("2026-03-10")) == DayEntry("休", "本地假日")


def test_datetimes_count_as_their_day(cal: Calendar) -> None:
    assert not cal.is_workday(datetime(2026, 10, 1, 9, 30))
    assert cal.add_workdays(datetime(2026, 9, 30, 17, 0), 1).day == D("2026-10-08")
    assert cal.workdays_between(datetime(2026, 9, 30, 8), D("2026-10-08")).days == 1


def test_rejects_bad_kind() -> None:
    with pytest.raises(ValueError, match="只能是“休”或“班”"):
        Calendar({D("2026-03-10"): ("假", "x")})


# -- sheet import -----------------------------------------------------------------------
def test_sheet_accepts_common_spellings() -> None:
    rows = [
        ("日期", "类型", "名称"),
        ("2026-10-01", "休", "国庆节"),
        ("2026/10/2", "休", "国庆节"),
        ("2026年10月3日", " 休 ", "国庆节"),
        (date(2026, 10, 4), "休", "国庆节"),
        (datetime(2026, 10, 5, 0, 0), "休", None),
        ("２０２６年１０月６日", "休", "国庆节"),
        ("2026-10-07 00:00:00", "休", "国庆节"),
        (None, None, None),
        ("2026.10.10", "班", "国庆节"),
        ("2026-09-20", "班"),
    ]
    got = parse_sheet_rows(rows)
    assert got[D("2026-10-01")] == DayEntry("休", "国庆节")
    assert got[D("2026-10-05")] == DayEntry("休", "")
    assert got[D("2026-09-20")] == DayEntry("班", "")
    assert sorted(got) == [D("2026-09-20")] + [date(2026, 10, d) for d in (1, 2, 3, 4, 5, 6, 7, 10)]
    assert Calendar(got).add_workdays(D("2026-09-30"), 1).day == D("2026-10-08")


def test_sheet_collects_every_error() -> None:
    rows = [
        ("日期", "类型", "名称"),          # row 1
        ("2026-10-01", "休", "国庆节"),    # row 2
        ("2026-10-02", "假", "国庆节"),    # row 3: type
        ("", "休", "国庆节"),              # row 4: no date
        ("2026-10-01", "休", "国庆节"),    # row 5: duplicate
        ("2026-02-30", "休", ""),          # row 6: no such day
        (46296, "班", ""),                 # row 7: a number
        ("下周一", "", ""),                # row 8: date and type
        ("2200-01-01", "休", ""),          # row 9: out of range
        ("2026-11-01", "休", "x", "extra"),  # row 10: a fourth column
    ]
    with pytest.raises(CalendarSheetError) as caught:
        parse_sheet_rows(rows)
    errors = caught.value.errors
    assert errors[0] == "第 3 行，类型：填的是“假”，只能填“休”或“班”"
    assert errors[1] == "第 4 行，日期：不能为空"
    assert errors[2].startswith("第 5 行，日期：2026-10-01 出现了两次")
    assert "第 2 行" in errors[2]
    assert errors[3].startswith("第 6 行，日期：")
    assert errors[4].startswith("第 7 行，日期：46296 不是日期")
    assert errors[5].startswith("第 8 行，日期：无法识别“下周一”")
    assert errors[6] == "第 8 行，类型：为空，只能填“休”或“班”"
    assert errors[7].startswith("第 9 行，日期：2200-01-01 超出范围")
    assert errors[8].startswith("第 10 行：多出了第 4 列")
    assert len(errors) == 9
    assert str(caught.value).splitlines() == errors
    assert isinstance(caught.value, ValueError)


def test_sheet_first_row_number() -> None:
    with pytest.raises(CalendarSheetError, match="第 5 行，类型"):
        parse_sheet_rows([("2026-10-01", "休", ""), ("2026-10-02", "上班", "")], first_row=4)


def test_sheet_empty_is_no_entries() -> None:
    assert parse_sheet_rows([("日期", "类型", "名称")]) == {}
