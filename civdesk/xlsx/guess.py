"""What a column's values look like, when its header says nothing we know: dates, mobile phones,
ID numbers, small numbers or text.  Used to guess a field for an unknown header and to make sure
a column carrying dates or numbers is never dropped without asking the clerk."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from civdesk.core.validation import normalize_text

__all__ = ["KIND_LABELS", "value_kind"]

DATE, PHONE, ID_NUMBER, NUMBER = "date", "phone", "id_number", "number"
KIND_LABELS = {DATE: "日期", PHONE: "手机号码", ID_NUMBER: "证件号码", NUMBER: "数字"}

_DATE_TEXT = re.compile(r"(19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(\s+\d{1,2}:\d\d(:\d\d)?)?")
_MOBILE = re.compile(r"(\+?86)?1[3-9]\d{9}")
_ID = re.compile(r"\d{17}[\dXx]")
_NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?\s*(小时|h|H|分钟|min|分)?")
SHARE = 0.6  # the part of the filled cells that must look alike


def _kind_of(value: object) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return DATE
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return NUMBER
        digits = str(int(value))
        if _ID.fullmatch(digits):
            return ID_NUMBER
        return PHONE if _MOBILE.fullmatch(digits) else NUMBER
    text = re.sub(r"[\s\-]", "", normalize_text(value))
    if not text:
        return None
    if _ID.fullmatch(text):
        return ID_NUMBER
    if _MOBILE.fullmatch(text):
        return PHONE
    if _DATE_TEXT.fullmatch(normalize_text(value)):
        return DATE
    if _NUMBER_TEXT.fullmatch(normalize_text(value)):
        return NUMBER
    return None


def value_kind(values: Iterable[object]) -> str | None:
    """DATE, PHONE, ID_NUMBER or NUMBER when most filled cells are of that kind; None for text or
    a column with nothing in it."""
    kinds = [_kind_of(v) for v in values if v is not None and normalize_text(v) != ""]
    if not kinds:
        return None
    best = max(set(kinds), key=kinds.count)
    if best is not None and kinds.count(best) >= SHARE * len(kinds):
        return best
    return None
