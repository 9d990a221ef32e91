from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civdesk.core import validation as v
from civdesk.core.validation import Checked, IdNumber, ValidationError

TODAY = date(2024, 6, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(first17: str) -> str:
    """Reference implementation kept separate from the module under test."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


KNOWN = "11010519491231002X"
MALE = make_id("11010519900101123")  # 17th digit 3: odd → 男
FEMALE = make_id("44030620000229004")  # leap day; 17th digit 4: even → 女


# --- Checked, collect, ValidationError ---------------------------------------------------


def test_checked_ok_property():
    assert Checked("x").ok
    assert not Checked(None, "错").ok
    with pytest.raises(AttributeError):
        Checked("x").value = "y"  # frozen


def test_collect_returns_values_or_raises_with_all_errors():
    values = v.collect(name=v.required(" 张三 ", "姓名"), phone=v.mobile("13800138000"))
    assert values == {"name": "张三", "phone": "13800138000"}

    with pytest.raises(ValidationError) as info:
        v.collect(name=v.required("", "姓名"), phone=v.mobile("123"), ok=v.required("a", "备注"))
    err = info.value
    assert set(err.errors) == {"name", "phone"}
    assert err.errors["name"] == "「姓名」不能为空"
    assert "「姓名」不能为空" in str(err) and "手机号码" in str(err)


# --- normalize_text, required ------------------------------------------------------------


def test_normalize_text_folds_fullwidth_alnum_but_not_chinese_punctuation():
    assert v.normalize_text("\u3000１２３ＡＢｃ\u00a0") == "123ABc"
    assert v.normalize_text("北京，（朝阳）：①") == "北京，（朝阳）：①"
    assert v.normalize_text("\ufeff张\u200b三") == "张三"
    assert v.normalize_text(None) == ""


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000", float("nan")])
def test_required_rejects_blank(blank):
    assert v.required(blank, "姓名").error == "「姓名」不能为空"


def test_required_normalises_text_and_passes_other_values():
    assert v.required(" ＸＸ村３组 ", "地址").value == "XX村3组"
    assert v.required(0, "数量").value == 0


# --- ID numbers --------------------------------------------------------------------------


def test_known_valid_id():
    checked = v.id_number(KNOWN, today=TODAY)
    assert checked.ok, checked.error
    assert checked.value == IdNumber(KNOWN, date(1949, 12, 31), "女", "110105")


def test_sex_and_birth_date_derivation():
    assert v.id_number(MALE, today=TODAY).value.sex == "男"
    assert v.id_number(MALE, today=TODAY).value.birth_date == date(1990, 1, 1)
    female = v.id_number(FEMALE, today=TODAY).value
    assert female.sex == "女" and female.birth_date == date(2000, 2, 29)


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "  11010519491231002X \t",
        "１１０１０５１９４９１２３１００２ｘ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "11010519491231002×",
        "110105 19491231 002X",
        "\ufeff11010519491231002X",
    ],
)
def test_id_normalisation(typed):
    checked = v.id_number(typed, today=TODAY)
    assert checked.ok, checked.error
    assert checked.value.number == KNOWN


def test_wrong_check_digit_names_expected_digit():
    wrong = KNOWN[:17] + "3"
    assert v.id_number(wrong, today=TODAY).error == "身份证号码校验位错误：应为 X，实际为 3"
    digit_id = make_id("11010519900101123")
    other = "0" if digit_id[-1] != "0" else "1"
    assert v.id_number(digit_id[:17] + other, today=TODAY).error == (
        f"身份证号码校验位错误：应为 {digit_id[-1]}，实际为 {other}"
    )


@pytest.mark.parametrize("typed, n", [(KNOWN[:17], 17), (KNOWN + "1", 19), ("1234", 4)])
def test_wrong_length(typed, n):
    assert v.id_number(typed, today=TODAY).error == f"身份证号码应为 18 位，当前为 {n} 位"


def test_old_15_digit_id_is_explained():
    assert "15 位的旧身份证号码" in v.id_number("110105491231002", today=TODAY).error


def test_letters_inside():
    error = v.id_number("1101A519491231002X", today=TODAY).error
    assert error == "身份证号码前 17 位只能是数字，第 5 位是「A」"
    error = v.id_number("11010519491231002Y", today=TODAY).error
    assert error == "身份证号码最后一位只能是数字或 X，实际为「Y」"
    # Other Unicode digits pass str.isdigit() but are not ID digits.
    assert not v.id_number("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", today=TODAY).ok


@pytest.mark.parametrize(
    "birth, shown",
    [
        ("19900230", "1990-02-30"),
        ("19901301", "1990-13-01"),
        ("19900000", "1990-00-00"),
        ("20230229", "2023-02-29"),
    ],
)
def test_impossible_birth_date(birth, shown):
    number = make_id("110105" + birth + "123")
    assert v.id_number(number, today=TODAY).error == f"身份证号码中的出生日期 {shown} 不存在"


def test_birth_date_before_1900():
    number = make_id("11010518991231123")
    assert v.id_number(number, today=TODAY).error == "身份证号码中的出生日期 1899-12-31 早于 1900 年"


def test_future_birth_date():
    number = make_id("11010520300101123")
    assert v.id_number(number, today=TODAY).error == "身份证号码中的出生日期 2030-01-01 晚于今天"
    assert v.id_number(number, today=date(2030, 1, 1)).ok
    born_today = make_id("110105" + TODAY.strftime("%Y%m%d") + "123")
    assert v.id_number(born_today, today=TODAY).ok


def test_today_defaults_to_real_today():
    assert v.id_number(KNOWN).ok
    assert "晚于今天" in v.id_number(make_id("11010521990101123")).error


def test_excel_forms():
    assert v.id_number(int(MALE), today=TODAY).value.number == MALE
    assert v.id_number(MALE + ".0", today=TODAY).value.number == MALE
    lost = "身份证号码被 Excel 存成了科学计数法，后几位已丢失，请把该列设为文本后重新填写"
    assert v.id_number(1.10105199001011234e17, today=TODAY).error == lost
    assert v.id_number(float(MALE), today=TODAY).error == lost
    assert v.id_number("1.10105199001011E+17", today=TODAY).error == lost
    # An int that went through a number cell: 15 significant digits, then zeros.
    assert v.id_number(110105199001011000, today=TODAY).error == lost
    assert "当前为 6 位" in v.id_number(123456.0, today=TODAY).error


def test_id_blank_and_optional():
    assert v.id_number("  ").error == "身份证号码不能为空"
    assert v.id_number(None, required=False) == Checked(None, None)
    assert not v.id_number(True).ok


region = st.sampled_from(["110105", "510104", "510112", "440306", "310115", "650102", "820000"])
birth = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
seq = st.integers(min_value=0, max_value=999)


@given(region, birth, seq)
def test_generated_ids_validate(reg, born, n):
    number = make_id(f"{reg}{born:%Y%m%d}{n:03d}")
    checked = v.id_number(number, today=TODAY)
    assert checked.ok, checked.error
    assert checked.value.birth_date == born
    assert checked.value.region_code == reg
    assert checked.value.sex == ("男" if n % 2 else "女")
    assert v.id_number(number.lower(), today=TODAY).ok


@given(region, birth, seq, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_changing_any_one_character_fails(reg, born, n, pos, shift):
    number = make_id(f"{reg}{born:%Y%m%d}{n:03d}")
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    old = alphabet.index(number[pos]) if number[pos] in alphabet else 0
    new_char = alphabet[(old + shift) % len(alphabet)]
    if new_char == number[pos]:
        return
    changed = number[:pos] + new_char + number[pos + 1 :]
    assert not v.id_number(changed, today=TODAY).ok


# --- masks -------------------------------------------------------------------------------


def test_mask_id_number():
    assert v.mask_id_number(KNOWN) == "110105********002X"
    assert v.mask_id_number("11010519491231002x") == "110105********002X"
    assert v.mask_id_number(None) == ""
    assert v.mask_id_number("") == ""
    assert v.mask_id_number("12") == "**"
    assert v.mask_id_number("12345") == "1***5"
    assert v.mask_id_number("110105491231002") == "110105*****1002"


def test_mask_phone():
    assert v.mask_phone("13800138000") == "138****8000"
    assert v.mask_phone("+86 138-0013-8000") == "138****8000"
    assert v.mask_phone(13800138000) == "138****8000"
    assert v.mask_phone(None) == ""
    assert v.mask_phone("") == ""
    assert v.mask_phone("123") == "1*3"


def test_mask_name_is_the_one_for_callers_and_children():
    from civdesk.activities import common as activities
    from civdesk.hotline import tickets

    assert [v.mask_name(n) for n in ("张小明", " 张三 ", "欧阳晓明", "张", "", None)] == [
        "张**", "张*", "欧***", "*", "", ""]
    assert tickets.mask_name is activities.mask_name is v.mask_name


# --- mobile ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        " 138 0013 8000 ",
        "138-0013-8000",
        "１３８００１３８０００",
        "+86 13800138000",
        "+86-138-0013-8000",
        "8613800138000",
        "008613800138000",
        "(+86)13800138000",
        13800138000,
        13800138000.0,
        "13800138000.0",
    ],
)
def test_mobile_valid(typed):
    assert v.mobile(typed) == Checked("13800138000", None)


@pytest.mark.parametrize("first_two", ["13", "14", "15", "16", "17", "18", "19"])
def test_mobile_prefixes(first_two):
    assert v.mobile(first_two + "812345678").ok


RULE = "手机号码应为 11 位数字，以 13–19 开头"


@pytest.mark.parametrize(
    "typed, detail",
    [
        ("1380013800", "当前为 10 位"),
        ("138001380001", "当前为 12 位"),
        ("12800138000", "开头不对"),
        ("23800138000", "开头不对"),
        ("1380013800a", "含有其他字符"),
        ("028-12345678", "座机"),
        (13800138000.5, "13800138000.5"),
    ],
)
def test_mobile_invalid(typed, detail):
    error = v.mobile(typed).error
    assert error.startswith(RULE) and detail in error


def test_mobile_blank_and_optional():
    assert v.mobile("").error == "手机号码不能为空"
    assert v.mobile(None, required=False) == Checked(None, None)


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        date(2024, 3, 5),
        datetime(2024, 3, 5, 14, 30),
        "2024-03-05",
        "2024-3-5",
        "2024/3/5",
        "2024.3.5",
        "2024年3月5日",
        "2024 年 03 月 05 日",
        "2024年3月5号",
        "20240305",
        "２０２４－０３－０５",
        "２０２４年３月５日",
        "2024-03-05 00:00:00",
        "2024-03-05T08:15",
        45356,
        45356.0,
        45356.75,
        "45356",
        " 2024-03-05 ",
    ],
)
def test_date_formats(typed):
    assert v.date_value(typed) == Checked(date(2024, 3, 5), None)


def test_excel_serial_around_1900_leap_bug():
    assert v.date_value(1).value == date(1900, 1, 1)
    assert v.date_value(59).value == date(1900, 2, 28)
    assert v.date_value(61).value == date(1900, 3, 1)
    assert v.date_value(60).error == "日期「1900-02-29」不存在"
    assert not v.date_value(0).ok
    assert not v.date_value(80000).ok
    assert not v.date_value(-5).ok


@pytest.mark.parametrize(
    "typed, error",
    [
        ("2024-02-30", "日期「2024-02-30」不存在"),
        ("2023-02-29", "日期「2023-02-29」不存在"),
        ("2024-13-01", "日期「2024-13-01」不存在"),
        ("2024年2月30日", "日期「2024年2月30日」不存在"),
        ("20240230", "日期「20240230」不存在"),
        ("abc", "日期「abc」格式无法识别，请写成 2024-03-05"),
        ("2024", "日期「2024」格式无法识别，请写成 2024-03-05"),
        ("3/5/2024", "日期「3/5/2024」格式无法识别，请写成 2024-03-05"),
        ("2024-03/05", "日期「2024-03/05」格式无法识别，请写成 2024-03-05"),
        ("1800-01-01", "日期「1800-01-01」超出合理范围（1900–2100 年）"),
    ],
)
def test_bad_dates(typed, error):
    assert v.date_value(typed).error == error


def test_date_label_and_blank():
    assert v.date_value("2024-02-30", "出生日期").error == "出生日期「2024-02-30」不存在"
    assert v.date_value("abc", "活动日期").error.startswith("活动日期「abc」")
    assert v.date_value("", "活动日期").error == "「活动日期」不能为空"
    assert v.date_value(None, required=False) == Checked(None, None)
    assert not v.date_value(True).ok


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_date_round_trips(d):
    assert v.date_value(d.isoformat()).value == d
    assert v.date_value(f"{d.year}年{d.month}月{d.day}日").value == d
    assert v.date_value(f"{d:%Y%m%d}").value == d
    assert v.date_value((d - date(1899, 12, 30)).days).value == d


@pytest.mark.parametrize(("text", "value"), [
    ("028-83951234", "028-83951234"), ("（028）83951234", "028-83951234"), ("02883951234", "028-83951234"),
    ("83951234", "83951234"), ("0571-8765432", "0571-8765432"), ("010-12345678转123", "010-12345678转123"),
    ("138 0013 8000", "13800138000"),
])
def test_phone_accepts_mobiles_and_landlines(text, value):
    assert v.phone(text).value == value


@pytest.mark.parametrize("text", ["abc", "0288395", "12345", "028-8395123x"])
def test_phone_rejects_junk_with_a_message(text):
    checked = v.phone(text)
    assert not checked.ok
    assert "座机" in checked.error


def test_phone_optional_when_not_required():
    assert v.phone("  ", required=False) == Checked(None, None)


# --- the one parser for typed numbers ---------------------------------------------------------


@pytest.mark.parametrize(("typed", "value"), [
    ("12", "12"), ("１２", "12"), ("1.5", "1.5"), ("１．５", "1.5"), ("1。5", "1.5"), ("  3  ", "3"),
    ("\u30004\u3000", "4"), ("-2", "-2"), ("－2", "-2"), (".5", "0.5"), ("5.", "5"), (7, "7"), (0.3, "0.3"),
    (2.0, "2"), ("2分", "2"),
])
def test_number_accepts_what_clerks_type(typed, value):
    checked = v.number(typed, "分数", suffixes=("分",))
    assert checked.ok, checked.error
    assert checked.value == Decimal(value)


@pytest.mark.parametrize("typed", ["inf", "-inf", "Infinity", "nan", "NaN", float("inf"), float("nan"), "１e3",
                                   "abc", "十", "1,000", "1_000", "1.2.3", "0x10", "+", ".", True, [3]])
def test_number_refuses_anything_else_naming_the_field(typed):
    checked = v.number(typed, "服务时长")
    assert not checked.ok and checked.error.startswith("服务时长")


@pytest.mark.parametrize("typed", ["1e3", "1E3", "2.5e-1", "1e+2"])
def test_exponents_are_refused_with_their_own_message(typed):
    assert v.number(typed, "权重").error == f"权重请直接写数字，不要用科学计数法（当前为「{typed}」）"


def test_blank_is_refused_unless_optional():
    assert v.number("  ", "名额").error == "名额不能为空"
    assert v.number(None, "名额").error == "名额不能为空"
    assert v.number("", "名额", required=False) == Checked(None, None)


def test_too_many_digits_are_refused():
    assert "太大" in v.number("1" * 16, "分值").error
    assert "太大" in v.number(1e300, "分值").error
    assert v.number("9" * 15, "分值").ok


@pytest.mark.parametrize(("typed", "rules", "message"), [
    ("-1", {"minimum": 0, "maximum": 5, "unit": "分"}, "得分应在 0 到 5 分之间，当前为 -1"),
    ("6", {"minimum": 0, "maximum": 5, "unit": "分"}, "得分应在 0 到 5 分之间，当前为 6"),
    ("101", {"minimum": 0, "maximum": 100}, "得分应在 0 到 100 之间，当前为 101"),
    ("0", {"above": 0}, "得分应大于 0，当前为 0"),
    ("0", {"minimum": 1}, "得分不能小于 1，当前为 0"),
    ("25", {"maximum": 24, "unit": "小时"}, "得分最多 24 小时，当前为 25 小时"),
    ("1.25", {"step": "0.5", "unit": "小时"}, "得分按 0.5 小时计，1.25 小时不是 0.5 的整数倍"),
    ("1.25", {"step": "0.5"}, "得分按 0.5 计，1.25 不是 0.5 的整数倍"),
    ("9.55", {"step": "0.1"}, "得分最多保留 1 位小数，当前为 9.55"),
    ("9.555", {"step": "0.01"}, "得分最多保留 2 位小数，当前为 9.555"),
    ("2.5", {"step": 1}, "得分应为整数，当前为 2.5"),
    ("abc", {"example": "2 或 1.5"}, "得分应为数字（如 2 或 1.5），当前为「abc」"),
])
def test_bounds_and_steps_have_chinese_messages(typed, rules, message):
    assert v.number(typed, "得分", **rules).error == message


@pytest.mark.parametrize(("typed", "rules"), [
    ("0", {"minimum": 0, "maximum": 5}), ("5", {"minimum": 0, "maximum": 5}), ("0.5", {"above": 0}),
    ("24", {"maximum": 24, "step": "0.5"}), ("9.5", {"step": "0.1"}), ("3.0", {"step": 1}), ("１．５", {"step": "0.5"}),
])
def test_bounds_are_inclusive_and_steps_exact(typed, rules):
    assert v.number(typed, "得分", **rules).ok


def test_parse_number_raises_keyed_by_field():
    assert v.parse_number("２．５", "服务时长", field="hours", step="0.5") == Decimal("2.5")
    with pytest.raises(ValidationError) as caught:
        v.parse_number("inf", "服务时长", field="hours")
    assert caught.value.errors == {"hours": "服务时长应为数字，当前为「inf」"}


@given(st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_any_plain_decimal_reads_back(d):
    assert v.number(str(d), "数").value == d
    full_width = str(d).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert v.number(full_width, "数").value == d


def test_whole_numbers_ask_for_a_whole_number():
    assert v.number("三", "名额", step=1).error == "名额应为整数，当前为「三」"
    assert v.number("3.5", "名额", step=1).error == "名额应为整数，当前为 3.5"
    assert v.number("三", "分值", step="0.5").error == "分值应为数字，当前为「三」"
