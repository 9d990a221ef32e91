"""Validation rules: the one place that decides whether a typed or imported value is acceptable.

Every rule returns a :class:`Checked`; forms show ``error`` next to the field, Excel imports show
it next to the row, services call :func:`collect` and raise :class:`ValidationError`.  Messages
are written for clerks: they say what was typed and what it should look like.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import mul
from typing import Any

from civdesk.core.errors import CivDeskError

__all__ = [
    "Checked",
    "IdNumber",
    "ValidationError",
    "LONG_TEXT",
    "SHORT_TEXT",
    "collect",
    "date_value",
    "id_number",
    "mask_id_number",
    "mask_phone",
    "mobile",
    "phone",
    "normalize_text",
    "number",
    "parse_number",
    "required",
    "text_length",
]


@dataclass(frozen=True)
class Checked:
    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _good(value: Any) -> Checked:
    return Checked(value, None)


def _bad(message: str) -> Checked:
    return Checked(None, message)


class ValidationError(CivDeskError):
    """Raised by services; ``errors`` maps field name to the message to show next to it.

    A :class:`CivDeskError`, so the GUI's one handler for user-facing errors shows it too."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "；".join(self.errors.values())


def collect(**checks: Checked) -> dict[str, object]:
    """Return the normalised values, or raise with *every* failing field so a form can mark
    them all at once instead of one per save attempt."""
    errors = {name: c.error for name, c in checks.items() if c.error is not None}
    if errors:
        raise ValidationError(errors)
    return {name: c.value for name, c in checks.items()}


# --- text lengths --------------------------------------------------------------------------

# Every text field a person fills in has a limit (a clerk once saved 10,000 characters as an
# address): one line of text (CharField) or a passage (TextField: notes, stories, reasons).
# changes.create / update / create_many hold every labelled text field of a synced record to it
# (changes.text_limits maps a model's fields onto these).
SHORT_TEXT = 200
LONG_TEXT = 20_000
# Fields holding more by nature (a setting's JSON value).
TEXT_LIMIT_OVERRIDES = {("setting", "value"): 200_000}


def text_length(text: object, field_label: str, limit: int) -> Checked:
    if isinstance(text, str) and len(text) > limit:
        return _bad(f"「{field_label}」最多 {limit:,} 个字，现在有 {len(text):,} 个字")
    return _good(text)


# --- text normalisation ------------------------------------------------------------------

# Only full-width digits, letters and the ideographic space are folded.  Full NFKC would also
# turn the full-width comma, colon and brackets of correctly typeset Chinese into ASCII and
# rewrite ①, ㈠, ㎡ and compatibility ideographs, which changes what the clerk wrote.
_FOLD = {0x3000: " ", 0x00A0: " "}
_FOLD.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)})  # ０-９
_FOLD.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FOLD.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
# Text pasted from web pages and Word carries invisible characters that break matching.
_FOLD.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})
_FOLD_TABLE = str.maketrans(_FOLD)
FOLD_TABLE = _FOLD_TABLE  # for readers that fold many cells inline: normalize_text is s.translate(FOLD_TABLE).strip()


def normalize_text(s: object) -> str:
    """Strip and fold full-width digits, letters and spaces to ASCII; ``None`` becomes ""."""
    if s is None:
        return ""
    if s.__class__ is str and s.isascii():  # nothing to fold: every character _FOLD maps is non-ASCII
        return s.strip()
    return str(s).translate(_FOLD_TABLE).strip()


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):  # empty cells read through pandas
        return True
    return isinstance(value, str) and normalize_text(value) == ""


def required(text: object, field_label: str) -> Checked:
    if _is_blank(text):
        return _bad(f"「{field_label}」不能为空")
    return _good(normalize_text(text) if isinstance(text, str) else text)


# --- resident ID number (GB 11643) -------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_LABEL = "身份证号码"
_EXCEL_LOST = "身份证号码被 Excel 存成了科学计数法，后几位已丢失，请把该列设为文本后重新填写"
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")
_MIN_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    sex: str
    region_code: str


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for 17 ASCII digits."""
    if len(first17) != 17:
        raise ValueError(f"17 digits expected, got {len(first17)}")
    total = sum(map(mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def _id_from_number(value: int | float) -> str | Checked:
    # Excel keeps 15 significant digits, so an 18-digit ID that went through a number cell
    # has lost its tail; better to say so than to report a puzzling check-digit error.
    if isinstance(value, float):
        if not value.is_integer():
            return _bad(f"身份证号码「{value}」不是有效的号码")
        if abs(value) >= 1e15:
            return _bad(_EXCEL_LOST)
        value = int(value)
    return str(value)


def id_number(text: object, today: date | None = None, *, required: bool = True) -> Checked:
    """Validate a mainland resident ID number; ``value`` is an :class:`IdNumber`."""
    if _is_blank(text):
        return _bad(f"{_ID_LABEL}不能为空") if required else _good(None)
    if isinstance(text, bool):
        return _bad(f"{_ID_LABEL}「{text}」不是有效的号码")
    excel_int = isinstance(text, int)
    if (text.__class__ is str and len(text) == 18 and text.isascii() and text[:17].isdigit()
            and text[17] in "0123456789Xx"):
        # The common case (an ID typed or stored as text, nothing to clean): the folding and
        # character checks below would leave it as it is, bar the upper-case x.
        s = text.upper()
    elif isinstance(text, (int, float)):
        converted = _id_from_number(text)
        if isinstance(converted, Checked):
            return converted
        s = converted
    else:
        # "×" is what several Chinese input methods produce when a clerk types X.
        s = re.sub(r"\s+", "", normalize_text(text)).replace("×", "X").upper()
        if _SCIENTIFIC.fullmatch(s):
            return _bad(_EXCEL_LOST)
        if re.fullmatch(r"[0-9]{18}\.0+", s):  # a number cell exported as text
            s = s.split(".")[0]

    if len(s) == 15 and s.isascii() and s.isdigit():
        return _bad("这是 15 位的旧身份证号码，请填写 18 位的新号码")
    if len(s) != 18:
        return _bad(f"{_ID_LABEL}应为 18 位，当前为 {len(s)} 位")
    if not (s.isascii() and s[:17].isdigit()):
        for pos, ch in enumerate(s[:17], start=1):
            if ch not in "0123456789":
                return _bad(f"{_ID_LABEL}前 17 位只能是数字，第 {pos} 位是「{ch}」")
    if s[17] not in "0123456789X":
        return _bad(f"{_ID_LABEL}最后一位只能是数字或 X，实际为「{s[17]}」")

    # The birth date is checked before the check digit: a typo in the date also breaks the
    # check digit, and "应为 7" would tempt the clerk to change the wrong character.
    y, m, d = s[6:10], s[10:12], s[12:14]
    try:
        born = date(int(y), int(m), int(d))
    except ValueError:
        return _bad(f"{_ID_LABEL}中的出生日期 {y}-{m}-{d} 不存在")
    if born < _MIN_BIRTH:
        return _bad(f"{_ID_LABEL}中的出生日期 {born.isoformat()} 早于 1900 年")
    if born > (today or date.today()):
        return _bad(f"{_ID_LABEL}中的出生日期 {born.isoformat()} 晚于今天")

    expected = id_check_digit(s[:17])
    if s[17] != expected:
        if excel_int and s.endswith("000"):
            return _bad(_EXCEL_LOST)
        return _bad(f"{_ID_LABEL}校验位错误：应为 {expected}，实际为 {s[17]}")

    sex = "男" if int(s[16]) % 2 == 1 else "女"
    return _good(IdNumber(number=s, birth_date=born, sex=sex, region_code=s[:6]))


# --- mobile phone ------------------------------------------------------------------------

_MOBILE_RULE = "手机号码应为 11 位数字，以 13–19 开头"
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def mobile(text: object, *, required: bool = True) -> Checked:
    """Validate a mainland mobile number; ``value`` is the bare 11-digit string."""
    if text.__class__ is str and _MOBILE.fullmatch(text):  # already clean: nothing below changes it
        return _good(text)
    if _is_blank(text):
        return _bad("手机号码不能为空") if required else _good(None)
    if isinstance(text, bool):
        return _bad(_MOBILE_RULE)
    if isinstance(text, float):
        if not text.is_integer():
            return _bad(f"{_MOBILE_RULE}（当前为「{text}」）")
        text = int(text)
    shown = normalize_text(text)
    s = re.sub(r"[\s\-－—()（）]", "", shown)
    if s.startswith("+"):
        s = s[1:]
    if s.startswith("0086"):
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    if re.fullmatch(r"[0-9]+\.0+", s):
        s = s.split(".")[0]
    if _MOBILE.fullmatch(s):
        return _good(s)
    if not re.fullmatch(r"[0-9]+", s):
        return _bad(f"{_MOBILE_RULE}，「{shown}」含有其他字符")
    if s.startswith("0"):
        return _bad(f"{_MOBILE_RULE}，「{shown}」像是座机号码")
    if len(s) != 11:
        return _bad(f"{_MOBILE_RULE}，当前为 {len(s)} 位")
    return _bad(f"{_MOBILE_RULE}，「{shown}」开头不对")


_LANDLINE = re.compile(r"(?:0[0-9]{2,3})?[2-9][0-9]{6,7}(?:转[0-9]{1,6})?")
_PHONE_RULE = "联系电话应为手机号码（11 位）或座机号码（如 028-83951234）"


def phone(text: object, *, required: bool = True) -> Checked:
    """A mobile or a landline (area code optional, extension after 转); value keeps the
    digits with a dash after the area code, the way offices write it."""
    if text.__class__ is str and _MOBILE.fullmatch(text):  # a clean mobile, as mobile() keeps it
        return _good(text)
    if _is_blank(text):
        return _bad("联系电话不能为空") if required else _good(None)
    shown = normalize_text(text)
    bare = re.sub(r"[\s\-－—()（）]", "", shown).replace("-", "")
    if bare.startswith("1") or bare.startswith("+") or bare.startswith("86"):
        checked = mobile(text)
        return checked if checked.ok else _bad(f"{checked.error}（如是座机请带区号，如 028-83951234）")
    if not _LANDLINE.fullmatch(bare):
        return _bad(f"{_PHONE_RULE}，当前为「{shown}」")
    area = re.match(r"0(?:10|2[0-9]|[3-9][0-9]{2})", bare)
    return _good(f"{area.group(0)}-{bare[area.end():]}" if area else bare)


# --- dates -------------------------------------------------------------------------------

# Excel's 1900 date system counts from 1899-12-31 but believes 1900-02-29 existed (serial 60),
# so serials from 61 on are counted from 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 80000
_DATE_HINT = "请写成 2024-03-05"
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_DATE_PATTERNS = (
    re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})" + _TIME),
    re.compile(r"([0-9]{4})\s*(年)\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?"),
    re.compile(r"([0-9]{4})()([0-9]{2})([0-9]{2})"),
)
# A bare number typed as text is only read as an Excel serial when it has five digits:
# "2024" is far more likely an incomplete year than 1905-07-16.
_SERIAL_TEXT = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_DATE_PUNCT = str.maketrans({"－": "-", "／": "/", "．": ".", "。": "."})


def _from_excel_serial(serial: float, label: str, shown: str) -> Checked:
    if not 1 <= serial < _EXCEL_MAX_SERIAL:
        return _bad(f"{label}「{shown}」不是有效的日期，{_DATE_HINT}")
    whole = int(serial)
    if whole == 60:
        return _bad(f"{label}「1900-02-29」不存在")
    start = _EXCEL_EPOCH if whole > 60 else _EXCEL_EPOCH + timedelta(days=1)
    return _in_range(start + timedelta(days=whole), label, shown)


def _in_range(value: date, label: str, shown: str) -> Checked:
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        return _bad(f"{label}「{shown}」超出合理范围（{_MIN_YEAR}–{_MAX_YEAR} 年）")
    return _good(value)


def date_value(text: object, field_label: str = "日期", *, required: bool = True) -> Checked:
    """Read a date as clerks type it or as Excel stores it; ``value`` is a ``datetime.date``."""
    if _is_blank(text):
        return _bad(f"「{field_label}」不能为空") if required else _good(None)
    if isinstance(text, datetime):
        return _in_range(text.date(), field_label, text.date().isoformat())
    if isinstance(text, date):
        return _in_range(text, field_label, text.isoformat())
    if isinstance(text, bool):
        return _bad(f"{field_label}「{text}」格式无法识别，{_DATE_HINT}")
    if isinstance(text, (int, float)):
        shown = str(int(text)) if float(text).is_integer() else str(text)
        return _from_excel_serial(float(text), field_label, shown)

    shown = normalize_text(text)
    s = shown.translate(_DATE_PUNCT)
    if _SERIAL_TEXT.fullmatch(s):
        return _from_excel_serial(float(s), field_label, shown)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(s)
        if match:
            year, _sep, month, day = match.groups()
            try:
                value = date(int(year), int(month), int(day))
            except ValueError:
                return _bad(f"{field_label}「{shown}」不存在")
            return _in_range(value, field_label, shown)
    return _bad(f"{field_label}「{shown}」格式无法识别，{_DATE_HINT}")


# --- masking for lists and PDFs ----------------------------------------------------------


def _mask_middle(s: str, head: int, tail: int) -> str:
    if len(s) <= head + tail:
        # Too short to keep both ends without revealing nearly everything.
        if len(s) <= 2:
            return "*" * len(s)
        return s[0] + "*" * (len(s) - 2) + s[-1]
    return s[:head] + "*" * (len(s) - head - tail) + s[-tail:]


def mask_id_number(number: object) -> str:
    """110105194912310021 → 110105********0021; never raises."""
    if number is None:
        return ""
    s = re.sub(r"\s+", "", normalize_text(number)).upper()
    return _mask_middle(s, 6, 4)


def mask_name(name: object) -> str:
    """张小明 → 张**, 张三 → 张*, 张 → *: a caller's or a child's name for whoever may not see it;
    never raises."""
    s = normalize_text(name)
    return s[0] + "*" * (len(s) - 1) if len(s) > 1 else "*" * len(s)


def mask_phone(phone: object) -> str:
    """13800138000 → 138****8000; never raises."""
    if phone is None:
        return ""
    checked = mobile(phone)
    s = checked.value if checked.ok else re.sub(r"\s+", "", normalize_text(phone))
    return _mask_middle(s, 3, 4)


# --- typed numbers: hours, scores, points, weights, quotas ------------------------------------

# The decimal point and signs as Chinese input methods type them; digits are folded by normalize_text.
_NUMBER_PUNCT = str.maketrans({"．": ".", "。": ".", "－": "-", "−": "-", "＋": "+"})
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+")
_MAX_DIGITS = 15  # what Excel keeps; beyond it a typed number is a slip of the finger


def _decimal(value: object) -> Decimal | None:
    """*value* as a Decimal when it is a plain number already (int, float, Decimal); None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() is the shortest text that reads back as the same float: 0.3 stays 0.3.
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def _number_text(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def _shown(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return normalize_text(value)


def _step_error(d: Decimal, step: Decimal, label: str, unit: str, shown: str) -> str | None:
    if (d / step) % 1 == 0:
        return None
    if step == 1:
        return f"{label}应为整数，当前为 {shown}"
    if step.normalize().as_tuple().digits == (1,) and step < 1:  # 0.1, 0.01: a number of decimal places
        return f"{label}最多保留 {-step.normalize().as_tuple().exponent} 位小数，当前为 {shown}"
    steps = _number_text(step)
    return f"{label}按 {steps} {unit}计，{shown} {unit}不是 {steps} 的整数倍"


def _range_error(d: Decimal, label: str, unit: str, shown: str, minimum, maximum, above) -> str | None:
    after = f" {unit}" if unit else ""
    if above is not None and d <= above:
        return f"{label}应大于 {_number_text(above)}，当前为 {shown}"
    if minimum is not None and maximum is not None and not minimum <= d <= maximum:
        return f"{label}应在 {_number_text(minimum)} 到 {_number_text(maximum)} {unit}之间，当前为 {shown}"
    if minimum is not None and d < minimum:
        return f"{label}不能小于 {_number_text(minimum)}{after}，当前为 {shown}"
    if maximum is not None and d > maximum:
        return f"{label}最多 {_number_text(maximum)}{after}，当前为 {shown}{after}"
    return None


def number(value: object, label: str, *, required: bool = True, minimum=None, maximum=None, above=None,
           step=None, unit: str = "", example: str = "", suffixes: tuple[str, ...] = ()) -> Checked:
    """THE parser of a number a person typed (or a spreadsheet cell held): hours, scores, points,
    weights, quotas, settings. ``value`` is a :class:`~decimal.Decimal`.

    Accepted: full-width digits, ``．`` or ``。`` as the decimal point, spaces around, and one of
    *suffixes* (a unit such as 小时 or 分) at the end. Refused, with a message that starts with
    *label*: anything else, ``inf``, ``nan`` and exponents (``1e3``: Excel's way of mangling long
    numbers). *minimum*/*maximum* are inclusive, *above* exclusive; *step* is the grain
    (0.5 for hours, 0.1 for one decimal place, 1 for whole numbers).
    """
    hint = f"（如 {example}）" if example else ""
    wanted = "整数" if step is not None and Decimal(str(step)) == 1 else "数字"
    if _is_blank(value):
        return _bad(f"{label}不能为空") if required else _good(None)
    d = _decimal(value)
    shown = _shown(value)
    if d is None:
        if not isinstance(value, str):
            return _bad(f"{label}应为{wanted}{hint}，当前为「{shown}」")
        text = shown.translate(_NUMBER_PUNCT)
        for suffix in suffixes:
            if text.endswith(suffix):
                text = text[: -len(suffix)].rstrip()
                break
        if _EXPONENT.fullmatch(text):
            return _bad(f"{label}请直接写数字，不要用科学计数法（当前为「{shown}」）")
        if not _PLAIN_NUMBER.fullmatch(text):
            return _bad(f"{label}应为{wanted}{hint}，当前为「{shown}」")
        d = Decimal(text)
        shown = text
    if d.adjusted() >= _MAX_DIGITS:
        return _bad(f"{label}的数字太大，当前为「{shown}」")
    bounds = [None if b is None else Decimal(str(b)) for b in (minimum, maximum, above, step)]
    error = (_step_error(d, bounds[3], label, unit, shown) if bounds[3] is not None else None) or \
        _range_error(d, label, unit, shown, *bounds[:3])
    return _bad(error) if error else _good(d)


def parse_number(value: object, label: str, *, field: str, **rules) -> Decimal:
    """:func:`number` for services: the Decimal, or ValidationError ``{field: message}``."""
    checked = number(value, label, **rules)
    if not checked.ok:
        raise ValidationError({field: checked.error})
    return checked.value
