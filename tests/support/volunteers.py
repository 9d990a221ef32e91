"""A messy volunteer roster as village offices send it, and the ID numbers it uses: shared by the
import tests of the service (tests/volunteers) and of the import dialog (tests/ui)."""

from __future__ import annotations

import datetime as dt
import zipfile

from openpyxl import Workbook

from civdesk.core import validation


def make_id(birth: str, seq: str, region: str = "510114") -> str:
    body = f"{region}{birth}{seq}"
    return body + validation.id_check_digit(body)


def id_ending_x() -> str:
    for seq in range(100, 999, 2):  # even: 女
        number = make_id("19900305", f"{seq:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no ID ending in X")


FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

ZHANG = make_id("19850302", "123")  # odd sequence: 男
LI_X = id_ending_x()
ZHAO = make_id("19920715", "442")
SUN = make_id("19780101", "235")
ZHOU = make_id("20010909", "318")
EXISTING_SAME = make_id("19700504", "511")
EXISTING_OTHER = make_id("19660606", "622")
DUPLICATE = make_id("19950520", "734")
WRONG_CHECK = ZHAO[:17] + ("0" if ZHAO[17] != "0" else "1")
IMPOSSIBLE = "510114199002301234"  # 30 February
SENTINEL = 987654321  # stands for 张三's ID written as a whole number (see exact_integers)


def messy_roster(path, *, valid_only: bool = False):
    """A roster as a village office sends it: a title above the header, full-width brackets and
    spaces in headers, extra columns, numbers and dates in every form Excel produces."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["清溪镇志愿者花名册（2024 年）"])
    ws.append(["序号", "姓 名", "身份证号码（必填）", "性别", "出生日期", "联系电话", "所属村（社区）", "现住址",
               "特长", "服务意向", "加入日期", "年龄", "备注"])
    rows = [
        # 3: ID as a whole number, birth date as an Excel date, phone as a number
        [1, "张三", SENTINEL, "男", dt.datetime(1985, 3, 2), 13812345678, "桂花村", "桂花村 3 组", "驾驶",
         "敬老助残", dt.datetime(2024, 3, 1), 39, None],
        # 4: ID as text with a lowercase x and full-width digits; dates as Chinese text
        [2, "李四", LI_X[:-1].translate(FULLWIDTH) + "x", "女", "1990年3月5日", "139 1234 5678", "石桥村委会",
         None, None, "文明交通", "2024年3月5日", 34, "组长"],
        # 5: ID typed as a number and shown in scientific notation: digits lost
        [3, "王五", 5.10114199003052e17, "男", None, "13600001111", "桂花村", None, None, None, None, None, None],
        [None] * 13,  # 6: empty row
        # 7: stray spaces everywhere, a date written with dots
        [4, "  赵 六 ", f" {ZHAO} ", " 女 ", "1992.7.15", " 13512345678 ", " 太平社区 ", None, None, None,
         "2023.12.1", None, None],
        # 8: wrong check digit
        [5, "孙九", WRONG_CHECK, None, None, None, "桂花村", None, None, None, None, None, None],
        # 9: impossible birth date inside the ID
        [6, "周十", IMPOSSIBLE, None, None, None, "桂花村", None, None, None, None, None, None],
        # 10 and 12: the same person twice in the file
        [7, "郑十一", DUPLICATE, None, None, 13900002222.0, "桂花村", None, None, None, None, None, None],
        # 11: already registered under another name
        [8, "冯十二", EXISTING_OTHER, None, None, None, "石桥村", None, None, None, None, None, None],
        [9, "郑十一", DUPLICATE, None, None, None, "桂花村", None, None, None, None, None, None],
        # 13: already registered, same name: skipped, not an error
        [10, "钱七", EXISTING_SAME, None, None, "13700002222", "桂花村", None, None, None, None, None, None],
        # 14: phone with letters, unknown village
        [11, "陈十三", SUN, None, None, "1380013800O", "月亮村", None, None, None, None, None, None],
        # 15: sex contradicts the ID
        [12, "何十四", ZHOU, "男", None, None, "太平社区", None, None, None, None, None, "=HYPERLINK(\"x\")"],
    ]
    if valid_only:
        rows = [rows[0], rows[1], rows[3], rows[4]]
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text, not a formula
    ws.append([None] * 13)  # trailing empty rows
    ws.append([None] * 13)
    wb.save(path)
    exact_integers(path)
    return path


def exact_integers(path) -> None:
    """openpyxl writes big integers as floats (as Excel keeps them); other programs write every
    digit.  Rewrite the cell holding 张三's ID the way those programs do."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    marker = f"<v>{SENTINEL}</v>".encode()
    assert parts[sheet].count(marker) == 1
    parts[sheet] = parts[sheet].replace(marker, f"<v>{ZHANG}</v>".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


EXPECTED_REJECTED = {
    (5, "身份证号码（必填）"),
    (8, "身份证号码（必填）"),
    (9, "身份证号码（必填）"),
    (10, "身份证号码（必填）"),
    (11, "身份证号码（必填）"),
    (12, "身份证号码（必填）"),
    (14, "联系电话"),
    (14, "所属村（社区）"),
    (15, "性别"),
}
