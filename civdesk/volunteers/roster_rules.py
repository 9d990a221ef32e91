"""What a volunteer's fields must be: one set of rules for the form, the command line and every
row of an imported roster.

:func:`check` validates and normalises the fields of one volunteer and returns every problem at
once; ``roster.clean`` (one record) and ``roster_batch.check_import`` (a whole file) both call
it, so a volunteer registered by hand and one imported from Excel are held to the same rules and
stored alike.  Only the look-ups differ: a file loads the villages once (:class:`Villages`) and
finds registered ID numbers in one query instead of one per row.
"""

from __future__ import annotations

import datetime as dt
import re

from civdesk.core import validation
from civdesk.core.validation import Checked
from civdesk.office import offices as office_service
from civdesk.volunteers.batch import text_of
from civdesk.volunteers.models import ID_TYPES, SEXES, VOLUNTEER_STATUS

RESIDENT_ID = ID_TYPES[0]
TEXT_FIELDS = ("ethnicity", "political_status", "education", "employer", "address", "skills",
               "service_category", "note", "occupation", "original_number")
EDITABLE = ("name", "sex", "birth_date", "id_type", "id_number", "village_id", "phone", "landline", "join_date",
            "status", *TEXT_FIELDS)
OTHER_ID = re.compile(r"[0-9A-Za-z()（）\-]{5,24}")
# How clerks write the ID type and the sex in their own rosters.
ID_TYPE_WORDS = {"身份证": RESIDENT_ID, "居民身份证": RESIDENT_ID, "二代身份证": RESIDENT_ID, "身份证号": RESIDENT_ID}
SEX_WORDS = {"男性": "男", "女性": "女", "M": "男", "F": "女", "m": "男", "f": "女"}
# The standard values of 政治面貌, 学历 and 民族, and how rosters write them (issue 20 item 6).
STANDARD_WORDS = {
    "political_status": {"党员": "中共党员", "中国共产党党员": "中共党员", "共产党员": "中共党员",
                         "预备党员": "中共预备党员", "中国共产党预备党员": "中共预备党员",
                         "团员": "共青团员", "共青团团员": "共青团员", "中国共产主义青年团团员": "共青团员",
                         "群众（普通居民）": "群众", "普通群众": "群众", "无党派": "无党派人士"},
    "education": {"大学本科": "本科", "本科及以上": "本科", "大学专科": "大专", "专科": "大专",
                  "硕士研究生": "硕士", "博士研究生": "博士", "高中/中专": "高中", "初中及以下": "初中"},
    "ethnicity": {"汉": "汉族", "回": "回族", "藏": "藏族", "彝": "彝族", "羌": "羌族", "苗": "苗族",
                  "蒙古": "蒙古族", "满": "满族", "壮": "壮族", "土家": "土家族"},
}
# The values a field takes; anything else in an imported roster is asked about (refused with the
# list), not stored as written or guessed.
STANDARD_VALUES = {
    "political_status": ("中共党员", "中共预备党员", "共青团员", "民革党员", "民盟盟员", "民建会员", "民进会员",
                         "农工党党员", "致公党党员", "九三学社社员", "台盟盟员", "民主党派成员", "无党派人士", "群众"),
    "education": ("博士", "硕士", "研究生", "本科", "大专", "中专", "职高", "技校", "高中", "初中", "小学", "其他"),
    "ethnicity": tuple(f"{n}族" for n in ["汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"]) + ("其他",),
}
_VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "社区居委会", "村委会", "居委会")


def _blank(value: object) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def clean_name(value: object) -> Checked:
    """A person's name: rosters pad two-character names to line up with three-character ones
    ("张  三"); Latin names keep one space between words."""
    text = text_of(value)
    if " " in text:
        text = re.sub(r"\s+", " ", text)
        text = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
    if not text:
        return validation.required(None, "姓名")
    if len(text) > 30:
        return Checked(None, "姓名不能超过 30 个字")
    return Checked(text, None)


def sex_of(value: object) -> Checked:
    text = text_of(value).replace(" ", "")
    text = SEX_WORDS.get(text, text)
    if not text or text in SEXES:
        return Checked(text, None)
    return Checked(None, "性别只能是「男」或「女」")


def id_type_of(value: object) -> Checked:
    if _blank(value):
        return Checked(RESIDENT_ID, None)
    text = text_of(value).replace(" ", "")
    text = ID_TYPE_WORDS.get(text, text)
    if text in ID_TYPES:
        return Checked(text, None)
    return Checked(None, f"证件类型只能是：{'、'.join(ID_TYPES)}")


def other_id_number(value: object) -> Checked:
    """A passport or permit number: 5–24 letters or digits, spaces dropped, upper case."""
    number = re.sub(r"\s+", "", text_of(value)).upper()
    if OTHER_ID.fullmatch(number):
        return Checked(number, None)
    return Checked(None, "证件号码应为 5–24 位字母或数字")


class Villages:
    """Village names to ids, and this PC's own village when it is a village PC: loaded once,
    whether for one form or a file of 100,000 rows."""

    def __init__(self) -> None:
        self.by_id = office_service.names("village", include_deleted=False)
        self.by_name = {name: vid for vid, name in self.by_id.items()}
        own = office_service.own_office_or_none()
        self.own = own if own is not None and own.kind == "village" else None
        self._cache: dict[tuple[str, bool], tuple[str | None, str | None]] = {}

    def find(self, text: str) -> str | None:
        """The id of a village written by id or name, also as "桂花村委会" or "桂花"."""
        if text in self.by_id:
            return text
        stem = text
        for suffix in _VILLAGE_SUFFIXES:
            if stem.endswith(suffix) and len(stem) > len(suffix):
                stem = stem[:-len(suffix)]
                break
        for candidate in (text, stem, stem + "村", stem + "社区"):
            if candidate in self.by_name:
                return self.by_name[candidate]
        return None

    def resolve(self, value: object, *, importing: bool = False) -> tuple[str | None, str | None]:
        """(village id, problem) for a volunteer's village; a village PC registers its own only."""
        text = text_of(value).replace(" ", "")
        key = (text, importing)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._resolve(text, importing)
        return found

    def _resolve(self, text: str, importing: bool) -> tuple[str | None, str | None]:
        own = self.own
        if not text:
            return (own.id if own else None), None
        vid = self.find(text)
        if own is not None:
            if vid == own.id or text == own.name:
                return own.id, None
            if importing:
                return None, f"本机属于「{own.name}」，只能导入本村（社区）的志愿者，这一行是「{text}」"
            return None, f"本机属于「{own.name}」，只能登记本村（社区）的志愿者"
        if vid is None:
            return None, f"没有名为「{text}」的村/社区，请先在 设置 → 本单位 中添加，或改成已有的名称"
        return vid, None


def as_read(value: object) -> str:
    """:func:`text_of` for a value the sheet reader already gave: its text is stripped and folded."""
    return value if value.__class__ is str else text_of(value)


def check(values: dict, *, villages: Villages, today: dt.date, existing: dict | None = None,
          unread: frozenset[str] = frozenset(), importing: bool = False,
          read: bool = False) -> tuple[dict, dict[str, str]]:
    """The volunteer's fields, validated and normalised, and {field: problem} for every problem.

    *values* are the fields given (a form's, or a file's columns); *existing* the stored fields
    of the volunteer being corrected, which fill in what is not given.  Fields in *unread* were
    already refused by whoever read them and are not checked again; ``read``: the values come
    from the sheet reader, whose text is already stripped and folded.  Whether the ID number is
    registered already is the caller's look-up (one query per form, one per file).
    """
    merged = {**existing, **values} if existing else values
    out: dict = {}
    errors: dict[str, str] = {}

    def take(field: str, checked: Checked) -> None:
        if checked.error is None:
            out[field] = checked.value
        else:
            out[field] = None
            errors[field] = checked.error

    if "name" not in unread:
        take("name", clean_name(merged.get("name")))
    # A roster row without an ID number registers as 证件待补, and such a volunteer can be
    # corrected by hand before the number is known; a new registration by hand needs it.
    pending_ok = importing or (existing is not None and not existing.get("id_number"))
    _check_identity(merged, values, out, errors, unread, today, pending_ok)
    take("phone", validation.phone(merged.get("phone"), required=False))
    out["phone"] = out["phone"] or ""
    take("landline", validation.phone(merged.get("landline"), required=False))
    out["landline"] = out["landline"] or ""
    join = merged.get("join_date")
    if _blank(join):
        out["join_date"] = existing["join_date"] if existing else today
    else:
        take("join_date", validation.date_value(join, "注册日期"))
    status = merged.get("status") or "active"
    if status not in VOLUNTEER_STATUS:
        errors["status"] = "状态只能是在册或已退出"
    out["status"] = status
    if existing is None or "village_id" in values:
        out["village_id"], problem = villages.resolve(values.get("village_id"), importing=importing)
        if problem:
            errors["village_id"] = problem
    else:
        out["village_id"] = existing["village_id"]
    tx = as_read if read else text_of
    for field in TEXT_FIELDS:
        value = merged.get(field)
        # A note keeps what was typed, full-width characters and all.
        out[field] = value.strip() if field == "note" and value.__class__ is str else tx(value)
        if field == "original_number":
            out[field] = re.sub(r"\s+", "", out[field]).upper()
        words = STANDARD_WORDS.get(field)
        if words is not None:
            out[field] = words.get(out[field], out[field])
            if importing and out[field] and out[field] not in _STANDARD_SETS[field]:
                _ask(field, out, errors)
    return out, errors


_STANDARD_SETS = {field: frozenset(values) for field, values in STANDARD_VALUES.items()}
_LIST_LABELS = {"political_status": "政治面貌", "education": "学历", "ethnicity": "民族"}


def _ask(field: str, out: dict, errors: dict[str, str]) -> None:
    """A value outside the standard list: 「汉」 is 汉族, anything else is asked, not guessed."""
    standard = STANDARD_VALUES[field]
    if field == "ethnicity" and out[field] + "族" in standard:
        out[field] += "族"
        return
    shown = "、".join(standard[:14]) + ("等" if len(standard) > 14 else "")
    errors[field] = f"{_LIST_LABELS[field]}「{out[field]}」不是标准写法，请改为其中之一：{shown}"


def _check_identity(merged: dict, given: dict, out: dict, errors: dict[str, str], unread: frozenset[str],
                    today: dt.date, pending_ok: bool = False) -> None:
    """ID type and number, sex and birth date: a resident ID number decides the last two, and a
    sex or birth date given beside it must agree with it."""
    id_type = id_type_of(merged.get("id_type"))
    out["id_type"] = id_type.value or text_of(merged.get("id_type"))
    if id_type.error:
        errors["id_type"] = id_type.error
    sex = sex_of(merged.get("sex"))
    if sex.error:
        errors["sex"] = sex.error
    out["sex"] = sex.value or ""
    birth = merged.get("birth_date")
    if not _blank(birth):
        birth_checked = validation.date_value(birth, "出生日期")
        birth = birth_checked.value
        if birth_checked.error:
            errors["birth_date"] = birth_checked.error
    else:
        birth = None
    out["birth_date"] = birth
    out["id_number"] = None
    if "id_number" in unread or id_type.error:
        return
    raw = merged.get("id_number")
    if pending_ok and _blank(raw):
        out["id_number"] = ""  # 证件待补: sex and birth date as given
        return
    if id_type.value != RESIDENT_ID:
        checked = other_id_number(raw)
        out["id_number"] = checked.value
        if checked.error:
            errors["id_number"] = checked.error
        return
    checked = validation.id_number(raw, today=today)
    if checked.error:
        errors["id_number"] = checked.error
        return
    idn = checked.value
    out["id_number"] = idn.number
    if out["sex"] and out["sex"] != idn.sex and "sex" not in errors:
        errors["sex"] = f"性别与身份证号码不符：按号码应为「{idn.sex}」"
    if birth is not None and birth != idn.birth_date and not _blank(given.get("birth_date")):
        errors["birth_date"] = f"出生日期与身份证号码不符：按号码应为 {idn.birth_date.isoformat()}"
    out["sex"], out["birth_date"] = idn.sex, idn.birth_date
