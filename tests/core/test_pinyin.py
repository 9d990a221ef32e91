import pytest
from hypothesis import given
from hypothesis import strategies as st

from civdesk.core.pinyin import SURNAME_READINGS, initials, sort_key


def test_sort_key_basic():
    assert sort_key("张三") == "zhang san"
    assert sort_key("吕布") == "lv bu"
    assert sort_key("") == ""


def test_sort_key_keeps_other_characters_lowercase():
    assert sort_key("Tom李") == "tom li"
    assert sort_key("王2") == "wang 2"
    assert sort_key("ＡＢ张") == "ab zhang"
    assert sort_key("  李  四 ") == "li si"


def test_names_sort_like_a_dictionary():
    names = ["张三", "李四", "王五", "赵六", "林一", "阿依古丽", "曾国藩", "单雄信", "陈二", "李思思", "安宁"]
    ordered = sorted(names, key=sort_key)
    assert ordered == [
        "阿依古丽",
        "安宁",
        "陈二",
        "李四",
        "李思思",
        "林一",
        "单雄信",
        "王五",
        "曾国藩",
        "张三",
        "赵六",
    ]


def test_syllable_by_syllable_order():
    # With a space between syllables 李四 (li) sorts before 林 (lin), as in a dictionary.
    assert sort_key("李四") < sort_key("林一")
    assert sort_key("李") < sort_key("李四")


@pytest.mark.parametrize(
    "name, key, first",
    [
        ("单雄信", "shan xiong xin", "sxx"),
        ("曾国藩", "zeng guo fan", "zgf"),
        ("仇英", "qiu ying", "qy"),
        ("解缙", "xie jin", "xj"),
        ("查良镛", "zha liang yong", "zly"),
        ("朴槿惠", "piao jin hui", "pjh"),
        ("区永", "ou yong", "oy"),
        ("尉迟恭", "yu chi gong", "ycg"),
        ("万俟卨", "mo qi xie", "mqx"),
        ("翟志刚", "zhai zhi gang", "zzg"),
        ("曾", "zeng", "z"),
    ],
)
def test_surname_readings(name, key, first):
    assert sort_key(name) == key
    assert initials(name) == first


def test_surname_reading_only_for_first_character():
    assert sort_key("张曾") == "zhang ceng"
    assert sort_key("李单") == "li dan"


def test_not_a_person():
    assert sort_key("区文明办", person=False) == "qu wen ming ban"
    assert initials("区文明办", person=False) == "qwmb"
    assert initials("单位", person=False) == "dw"


def test_initials():
    assert initials("张三丰") == "zsf"
    assert initials("Tom李") == "toml"
    assert initials("王2") == "w2"
    assert initials("第3组张三") == "d3zzs"
    assert initials("阿依古丽·买买提") == "ayglmmt"
    assert initials("") == ""


def test_unknown_character_stays_out_of_initials():
    assert initials("𠮷野") == "y"
    assert sort_key("𠮷野").endswith("ye")


def test_surname_table_readings_are_plain_pinyin():
    for reading in SURNAME_READINGS.values():
        assert all(s.isascii() and s.isalpha() and s.islower() for s in reading)


@given(st.text(alphabet=st.sampled_from("张王李赵曾单区仇abcXYZ019 ·"), max_size=12))
def test_initials_and_key_agree(name):
    key = sort_key(name)
    assert key == key.lower()
    assert all(ch.isascii() and ch.isalnum() for ch in initials(name))
    han_count = sum(1 for ch in name if "\u4e00" <= ch <= "\u9fff")
    assert len(key.split()) >= han_count if han_count else True


@pytest.mark.parametrize("name", ["重庆", "银行行长", "张重阳", "李长青", "王乐乐", "朝阳区", "曾国藩", "单雄信", "张三", "欧阳娜娜"])
def test_per_character_readings_change_nothing(name):
    # Characters with one reading are read one by one (cached); a run with any other character is
    # read as a whole, so phrases keep their readings: 重庆 chong qing, 银行 yin hang, 行长 hang zhang.
    from pypinyin import Style, lazy_pinyin

    from civdesk.core import pinyin

    whole = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    tokens = [t for t, _han in pinyin._tokens(name, False)]
    assert tokens == whole
