from __future__ import annotations

from datetime import date

import pytest

from civdesk.calendar.festivals import FESTIVAL_NAMES, MAX_YEAR, MIN_YEAR, UNCERTAIN, festival_date, festivals

# Published dates, each also confirmed by lunar-python, borax and cnlunar (compare.py).
PUBLISHED = [
    ("春节", "2023-01-22"), ("春节", "2024-02-10"), ("春节", "2025-01-29"), ("春节", "2026-02-17"),
    ("除夕", "2023-01-21"), ("除夕", "2024-02-09"), ("除夕", "2025-01-28"), ("除夕", "2026-02-16"),
    ("元宵", "2025-02-12"), ("元宵", "2026-03-03"),
    ("清明", "2008-04-04"), ("清明", "2019-04-05"), ("清明", "2024-04-04"), ("清明", "2025-04-04"),
    ("清明", "2026-04-05"),
    ("端午", "2020-06-25"), ("端午", "2025-05-31"), ("端午", "2026-06-19"),
    ("七夕", "2025-08-29"), ("七夕", "2026-08-19"),
    ("中秋", "2001-10-01"), ("中秋", "2008-09-14"), ("中秋", "2020-10-01"), ("中秋", "2024-09-17"),
    ("中秋", "2025-10-06"), ("中秋", "2026-09-25"),
    ("重阳", "2025-10-29"), ("重阳", "2026-10-18"),
    ("春节", "1950-02-17"), ("春节", "2000-02-05"), ("春节", "2100-02-09"),
]


@pytest.mark.parametrize(("name", "iso"), PUBLISHED)
def test_published_dates(name: str, iso: str) -> None:
    day = date.fromisoformat(iso)
    assert festival_date(day.year, name) == day


def test_names_and_calendar_order() -> None:
    got = festivals(2025)
    assert sorted(name for name, _ in got) == sorted(FESTIVAL_NAMES)
    assert [day for _, day in got] == sorted(day for _, day in got)
    # 中秋 after 烈士纪念日 in 2025 (10-06 vs 09-30), on the same day in 2012.
    assert [n for n, _ in got][6:8] == ["烈士纪念日", "中秋"]
    assert dict(festivals(2012))["中秋"] == date(2012, 9, 30)
    assert [n for n, _ in festivals(2012)][6:8] == ["中秋", "烈士纪念日"]


def test_fixed_days() -> None:
    for year in (1950, 2026, 2100):
        got = dict(festivals(year))
        assert got["烈士纪念日"] == date(year, 9, 30)
        assert got["国家公祭日"] == date(year, 12, 13)


@pytest.mark.parametrize(("year", "last_day"), [(2025, 29), (2026, 29), (2000, 29), (2024, 30), (2023, 30)])
def test_chuxi_is_last_day_of_lunar_year(year: int, last_day: int) -> None:
    """2025 and 2026: 腊月 has 29 days, so 除夕 is 腊月廿九, not 腊月三十."""
    from lunar_python import Solar

    day = festival_date(year, "除夕")
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    assert (lunar.getMonth(), lunar.getDay()) == (12, last_day)
    assert lunar.getYear() == year - 1
    import borax.calendars.lunardate as borax
    assert borax.LunarDate.last_day(year - 1).to_solar_date() == day
    assert borax.LunarDate.last_day(year - 1).day == last_day


def test_every_year_matches_borax() -> None:
    """1950–2100 against a second library (a table, where lunar-python computes)."""
    import borax.calendars.lunardate as borax
    lunar_days = {"春节": (1, 1), "元宵": (1, 15), "端午": (5, 5), "七夕": (7, 7), "中秋": (8, 15),
                  "重阳": (9, 9)}
    mismatches = []
    for year in range(MIN_YEAR, MAX_YEAR + 1):
        got = dict(festivals(year))
        expected = {n: borax.LunarDate(year, m, d).to_solar_date() for n, (m, d) in lunar_days.items()}
        expected["除夕"] = borax.LunarDate.last_day(year - 1).to_solar_date()
        expected["清明"] = borax.TermUtils.nth_term_day(year, term_name="清明")
        assert date(year, 4, 4) <= got["清明"] <= date(year, 4, 6)
        mismatches += [(year, n) for n, day in expected.items() if got[n] != day]
    # borax's table keeps the later day in two of the three near-midnight new moons;
    # in 2057 it is cnlunar that differs.
    assert set(mismatches) == {(2089, "中秋"), (2097, "七夕")}
    assert set(mismatches) <= UNCERTAIN


def test_uncertain_dates_are_lunar_pythons() -> None:
    assert festival_date(2057, "重阳") == date(2057, 10, 7)
    assert festival_date(2089, "中秋") == date(2089, 9, 18)
    assert festival_date(2097, "七夕") == date(2097, 8, 13)


def test_matches_state_council_holidays() -> None:
    """Official holiday data (chinesecalendar, 2008–2026) puts each festival on a day off."""
    import chinese_calendar as cc
    names = {"春节": {"Spring Festival"}, "清明": {"Tomb-sweeping Day"},
             "端午": {"Dragon Boat Festival"}, "中秋": {"Mid-autumn Festival", "National Day"}}
    for year in range(2008, 2027):  # 清明、端午、中秋 became public holidays in 2008
        for name, day in festivals(year):
            if name in names:
                is_rest, holiday = cc.get_holiday_detail(day)
                assert is_rest, (name, day)
                assert holiday is None or holiday in names[name], (name, day, holiday)


@pytest.mark.parametrize("year", [1949, 2101, 0, -5])
def test_out_of_range_years(year: int) -> None:
    with pytest.raises(ValueError, match="1950–2100"):
        festivals(year)


@pytest.mark.parametrize("year", ["2025", 2025.0, True, None])
def test_not_a_year(year: object) -> None:
    with pytest.raises(ValueError, match="年份"):
        festivals(year)  # type: ignore[arg-type]


def test_unknown_name() -> None:
    with pytest.raises(ValueError, match="没有这个节日"):
        festival_date(2025, "国庆")


def test_result_is_a_fresh_list() -> None:
    first = festivals(2026)
    first.clear()
    assert len(festivals(2026)) == 10
