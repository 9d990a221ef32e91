"""How a number is written on a printed page — one rule, written once (GB/T 15835-2011《出版物上数字
的用法》 and the practice of Chinese publications):

- a number and the Chinese unit or measure word after it are written together, without a space:
  「12.5小时」「6个」「3名」「90分」 (a space belongs only before an international unit symbol, 「5 km」,
  which our documents do not print);
- integers of five digits or more are grouped in threes with 「,」 (「12,345」); four digits stay whole
  (「2211.5」), as the standard allows and as tables of township offices print them;
- decimals keep what they carry and drop trailing zeros (「12.5」, 「12」), unless *places* asks for a
  fixed count (scores: 「90.62」);
- a date is written 「2026年11月29日」, without leading zeros (:func:`chinese_date`).

Tables right-align any cell that is such a number (civdesk/reports/widths.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def chinese_date(day: dt.date) -> str:
    """2026年11月29日 — the form official documents and certificates use (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def number(value, places: int | None = None) -> str:
    """「12,345」, 「2211.5」, 「90.62」 (places=2)."""
    if value is None:
        return ""
    if isinstance(value, (float, Decimal)) or places is not None:
        text = f"{float(value):.{places if places is not None else 2}f}"
        if places is None:
            text = text.rstrip("0").rstrip(".")
    else:
        text = str(int(value))
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(whole) >= 5:
        whole = f"{int(whole):,}"
    return sign + whole + (f".{fraction}" if fraction else "")


def quantity(value, unit: str, places: int | None = None) -> str:
    """A number with its unit or measure word, written together: 「12.5小时」, 「6个」."""
    return f"{number(value, places)}{unit}"
