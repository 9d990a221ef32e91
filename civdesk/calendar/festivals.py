"""我们的节日: the festival dates of one Gregorian year, computed with lunar-python.

Pure Python, no Qt and no database. See FINDINGS.md for why lunar-python.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar

MIN_YEAR = 1950
MAX_YEAR = 2100

FESTIVAL_NAMES: tuple[str, ...] = (
    "除夕", "春节", "元宵", "清明", "端午", "七夕", "中秋", "重阳", "烈士纪念日", "国家公祭日",
)

# (lunar month, lunar day); never a leap month.
_LUNAR_FIXED: dict[str, tuple[int, int]] = {
    "春节": (1, 1), "元宵": (1, 15), "端午": (5, 5), "七夕": (7, 7), "中秋": (8, 15), "重阳": (9, 9),
}
_SOLAR_FIXED: dict[str, tuple[int, int]] = {"烈士纪念日": (9, 30), "国家公祭日": (12, 13)}

# 2057 重阳, 2089 中秋 and 2097 七夕 fall on a new moon within seconds to minutes of
# Beijing midnight; the libraries disagree and no one can settle it yet (FINDINGS.md).
UNCERTAIN: frozenset[tuple[int, str]] = frozenset({(2057, "重阳"), (2089, "中秋"), (2097, "七夕")})


def check_year(year: object) -> int:
    """Return ``year`` if it is a whole year in 1950–2100, else raise ValueError (Chinese)."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"年份必须是整数，收到的是：{year!r}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"年份 {year} 超出范围：节日日期只能计算 {MIN_YEAR}–{MAX_YEAR} 年")
    return year


def _to_date(solar: Solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=64)
def _compute(year: int) -> tuple[tuple[str, date], ...]:
    days: dict[str, date] = {
        name: _to_date(Lunar.fromYmd(year, month, day).getSolar())
        for name, (month, day) in _LUNAR_FIXED.items()
    }
    # 除夕 is the last day of the old lunar year: 腊月廿九 when 腊月 is short, so it is
    # the eve of 春节 and never "腊月三十".
    days["除夕"] = days["春节"] - timedelta(days=1)
    # The solar-term table of a lunar year spans its neighbours; ask from mid-year so
    # the 清明 we get is the one in this Gregorian year.
    qingming = _to_date(Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()["清明"])
    if (qingming.year, qingming.month) != (year, 4):
        raise RuntimeError(f"清明 of {year} came out as {qingming}")
    days["清明"] = qingming
    for name, (month, day) in _SOLAR_FIXED.items():
        days[name] = date(year, month, day)
    order = {name: i for i, name in enumerate(FESTIVAL_NAMES)}
    # 中秋 can fall after 9-30 (2025-10-06) or on it (2012-09-30): sort by date, ties in
    # the usual order.
    return tuple(sorted(days.items(), key=lambda item: (item[1], order[item[0]])))


def festivals(year: int) -> list[tuple[str, date]]:
    """The ten 我们的节日 dates of ``year`` in calendar order, as (name, date).

    Raises ValueError with a Chinese message for years outside 1950–2100.
    """
    return list(_compute(check_year(year)))


def festival_date(year: int, name: str) -> date:
    """The date of one festival in ``year``; ValueError for an unknown name."""
    for fname, day in festivals(year):
        if fname == name:
            return day
    raise ValueError(f"没有这个节日：{name}（可选：{'、'.join(FESTIVAL_NAMES)}）")
