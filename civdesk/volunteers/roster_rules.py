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
from operator import mul

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
    registered already is the caller's look-up (one query per form, one per file).  A file's rows
    go through one :class:`Checker`, which remembers the answers for values that repeat.
    """
    return Checker(villages=villages, today=today, importing=importing, read=read)(values, existing, unread)


_STANDARD_SETS = {field: frozenset(values) for field, values in STANDARD_VALUES.items()}
_LIST_LABELS = {"political_status": "政治面貌", "education": "学历", "ethnicity": "民族"}


def _standard(field: str, text: str, importing: bool) -> tuple[str, str | None]:
    """A 政治面貌/学历/民族 as stored, written the standard way: 「团员」 is 共青团员, 「汉」 汉族; in an
    import, anything else outside the list is asked (the problem), not guessed."""
    value = STANDARD_WORDS[field].get(text, text)
    if not importing or not value or value in _STANDARD_SETS[field]:
        return value, None
    standard = STANDARD_VALUES[field]
    if field == "ethnicity" and value + "族" in standard:
        return value + "族", None
    shown = "、".join(standard[:14]) + ("等" if len(standard) > 14 else "")
    return value, f"{_LIST_LABELS[field]}「{value}」不是标准写法，请改为其中之一：{shown}"


# Values whose answers a Checker remembers: equal values of these classes are the same value
# (unlike 1, 1.0 and True, which are equal keys but read differently).
_MEMO_CLASSES = frozenset({str, type(None), dt.datetime, dt.date})
_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # a clean mobile: validation.phone keeps it as it is
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_OFFSET = 48 * sum(_ID_WEIGHTS)  # the weights times the code of "0", taken off the codes' sum
_ID_CHECK_CHARS = "10X98765432"
_MIN_BIRTH = dt.date(1900, 1, 1)


def resident_id(raw: object, today: dt.date) -> tuple[str, dt.date, str] | None:
    """(number, birth date, sex) of a clean 18-character resident ID number that
    :func:`validation.id_number` accepts, without building its objects; None for anything else
    (then the rule itself decides and says what is wrong).  The same answers (tested)."""
    if raw.__class__ is not str or len(raw) != 18 or not raw.isascii() or not (body := raw[:17]).isdigit():
        return None
    last = raw[17].upper()
    try:
        born = dt.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        return None
    if born < _MIN_BIRTH or born > today or last != _ID_CHECK_CHARS[(sum(map(mul, body.encode(), _ID_WEIGHTS))
                                                                      - _ID_OFFSET) % 11]:
        return None
    return body + last, born, "男" if raw[16] in "13579" else "女"


class _Answers(dict):
    """``rule(value)`` for each value asked, worked out once: ``answers[value]`` costs one look-up."""

    __slots__ = ("rule",)

    def __init__(self, rule) -> None:
        super().__init__()
        self.rule = rule

    def __missing__(self, value):
        answer = self[value] = self.rule(value)
        return answer

    def of(self, value):
        return self[value] if value.__class__ in _MEMO_CLASSES else self.rule(value)


class Checker:
    """:func:`check` for one form or many rows: the same rules, with the answers for values that
    repeat down a roster (sexes, dates, villages, 民族, names …) remembered, and the ID number and
    a mobile phone in their usual clean form taken without building the rules' result objects."""

    def __init__(self, *, villages: Villages, today: dt.date, importing: bool = False, read: bool = False) -> None:
        self.villages, self.today, self.importing, self.read = villages, today, importing, read
        self.tx = tx = as_read if read else text_of
        self.name, self.join_date, self.sex = _Answers(clean_name), _Answers(_join_date), _Answers(sex_of)
        self.village, self.id_type, self.birth_date = _Answers(self._village), _Answers(_id_type), _Answers(_birth_date)
        self.standard = {field: _Answers(lambda v, f=field: _standard(f, tx(v), importing)) for field in STANDARD_WORDS}

    def __call__(self, values: dict, existing: dict | None = None,
                 unread: frozenset[str] = frozenset()) -> tuple[dict, dict[str, str]]:
        merged = {**existing, **values} if existing else values
        get = merged.get
        out: dict = {}
        errors: dict[str, str] = {}
        if "name" not in unread:
            _take(out, errors, "name", self.name.of(get("name")))
        # A roster row without an ID number registers as 证件待补, and such a volunteer can be
        # corrected by hand before the number is known; a new registration by hand needs it.
        pending_ok = self.importing or (existing is not None and not existing.get("id_number"))
        self._identity(merged, values, out, errors, unread, pending_ok)
        for field in ("phone", "landline"):
            value = get(field)
            if value is None or (value.__class__ is str and _MOBILE.fullmatch(value)):
                out[field] = value or ""  # what validation.phone keeps of a clean mobile, or nothing
            else:
                _take(out, errors, field, validation.phone(value, required=False))
                out[field] = out[field] or ""
        join = get("join_date")
        if _blank(join):
            out["join_date"] = existing["join_date"] if existing else self.today
        else:
            _take(out, errors, "join_date", self.join_date.of(join))
        status = get("status") or "active"
        if status not in VOLUNTEER_STATUS:
            errors["status"] = "状态只能是在册或已退出"
        out["status"] = status
        if existing is None or "village_id" in values:
            out["village_id"], problem = self.village.of(values.get("village_id"))
            if problem:
                errors["village_id"] = problem
        else:
            out["village_id"] = existing["village_id"]
        self._texts(get, out, errors)
        return out, errors

    def _village(self, value: object) -> tuple[str | None, str | None]:
        return self.villages.resolve(value, importing=self.importing)

    def _texts(self, get, out: dict, errors: dict[str, str]) -> None:
        tx, read = self.tx, self.read
        for field in TEXT_FIELDS:
            value = get(field)
            if field in STANDARD_WORDS:
                answers = self.standard[field]
                out[field], problem = answers[value] if value.__class__ in _MEMO_CLASSES else answers.rule(value)
                if problem:
                    errors[field] = problem
            elif field == "note":  # a note keeps what was typed, full-width characters and all
                out[field] = value.strip() if value.__class__ is str else tx(value)
            else:
                text = value if read and value.__class__ is str else "" if value is None else tx(value)
                out[field] = re.sub(r"\s+", "", text).upper() if field == "original_number" and text else text

    def _identity(self, merged: dict, given: dict, out: dict, errors: dict[str, str], unread: frozenset[str],
                  pending_ok: bool) -> None:
        """ID type and number, sex and birth date: a resident ID number decides the last two, and a
        sex or birth date given beside it must agree with it."""
        get = merged.get
        id_type, id_type_error = self.id_type.of(get("id_type"))
        out["id_type"] = id_type
        if id_type_error:
            errors["id_type"] = id_type_error
        value, answers = get("sex"), self.sex
        sex = answers[value] if value.__class__ in _MEMO_CLASSES else sex_of(value)
        if sex.error:
            errors["sex"] = sex.error
        out["sex"] = sex.value or ""
        birth = get("birth_date")
        if not _blank(birth):
            birth_checked = self.birth_date.of(birth)
            birth = birth_checked.value
            if birth_checked.error:
                errors["birth_date"] = birth_checked.error
        else:
            birth = None
        out["birth_date"] = birth
        out["id_number"] = None
        if "id_number" in unread or id_type_error:
            return
        raw = get("id_number")
        if pending_ok and _blank(raw):
            out["id_number"] = ""  # 证件待补: sex and birth date as given
            return
        if id_type != RESIDENT_ID:
            _take(out, errors, "id_number", other_id_number(raw))
            return
        found = resident_id(raw, self.today)
        if found is None:
            checked = validation.id_number(raw, today=self.today)
            if checked.error:
                errors["id_number"] = checked.error
                return
            found = (checked.value.number, checked.value.birth_date, checked.value.sex)
        number, born, id_sex = found
        out["id_number"] = number
        if out["sex"] and out["sex"] != id_sex and "sex" not in errors:
            errors["sex"] = f"性别与身份证号码不符：按号码应为「{id_sex}」"
        if birth is not None and birth != born and not _blank(given.get("birth_date")):
            errors["birth_date"] = f"出生日期与身份证号码不符：按号码应为 {born.isoformat()}"
        out["sex"], out["birth_date"] = id_sex, born


def _take(out: dict, errors: dict[str, str], field: str, checked: Checked) -> None:
    if checked.error is None:
        out[field] = checked.value
    else:
        out[field] = None
        errors[field] = checked.error


def _id_type(value: object) -> tuple[str, str | None]:
    """The ID type as stored (what was written, when it is none of them) and the problem."""
    checked = id_type_of(value)
    return checked.value or text_of(value), checked.error


def _join_date(value: object) -> Checked:
    return validation.date_value(value, "注册日期")


def _birth_date(value: object) -> Checked:
    return validation.date_value(value, "出生日期")
