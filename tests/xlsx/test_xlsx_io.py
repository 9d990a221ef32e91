"""The generic Excel layer: reading clerks' sheets, writing exports and templates."""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from civdesk.core.errors import CivDeskError
from civdesk.core.jobs import Cancelled
from civdesk.core.validation import date_value, id_number, mobile
from civdesk.xlsx.read import (
    ColumnSpec,
    ExcelFileError,
    normalize_header,
    read_sheet,
)
from civdesk.xlsx.write import INSTRUCTIONS_SHEET, write_table, write_template

TODAY = date(2024, 6, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
EXCEL_LOST = "身份证号码被 Excel 存成了科学计数法，后几位已丢失，请把该列设为文本后重新填写"


def make_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


ID_A = make_id("51010819850312001")
ID_B = make_id("51010819900101123")
ID_X = "11010519491231002X"
# An ID whose check character is a digit, so it can live in a number cell unharmed.
ID_DIGITS = next(i for i in (make_id(f"5101081985031200{n}") for n in range(10)) if i[-1] != "X")

SPECS = [
    ColumnSpec("name", "姓名", ("名字", "志愿者姓名"), True, None, "张三", "填写身份证上的姓名"),
    ColumnSpec("id_number", "身份证号码", ("身份证号", "公民身份号码", "身份证"), True,
               lambda v: id_number(v, TODAY), "510108198503120011", "18 位，最后一位可以是 X"),
    ColumnSpec("mobile", "手机号码", ("手机", "联系电话"), False, mobile, "13800138000", "11 位手机号码"),
    ColumnSpec("birth", "出生日期", ("生日",), False, lambda v: date_value(v, "出生日期"), "1985-03-12",
               "如 1985-03-12"),
    ColumnSpec("hours", "服务时长", ("时长",), False, None, "2", "小时"),
]


def make_xlsx(path: Path, rows: list[list[object]], *, title: str = "名单", extra_sheets: int = 0) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for i in range(extra_sheets):
        wb.create_sheet(f"其他{i}")
    wb.save(path)
    return path


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("  姓名  ", "姓名"),
    ("姓名（必填）", "姓名"),
    ("姓 名 (选填)", "姓名"),
    ("*身份证号码", "身份证号码"),
    ("身份证号码＊（必填项）", "身份证号码"),
    ("身份证号码\n(必填)", "身份证号码"),
    ("手机号码：", "手机号码"),
    ("ＩＤ　Ｎｏ", "idno"),
    ("Mobile Phone", "mobilephone"),
    ("服务时长（小时）", "服务时长(小时)"),
    ("【必填】联系电话", "联系电话"),
    (None, ""),
])
def test_normalize_header(raw, expected):
    assert normalize_header(raw) == expected


def test_messy_headers_map_through_aliases(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [
        [" 名字（必填）", "公民身份号码\n(必填)", "手 机*", "生日(选填)", "服务时长（小时）"],
        ["张三", ID_A, "13800138000", "1985-03-12", 3],
    ])
    result = read_sheet(path, SPECS)
    assert result.ok, result.file_errors + [e.message for e in result.errors]
    assert result.columns == {"name": "名字（必填）", "id_number": "公民身份号码 (必填)", "mobile": "手 机*",
                              "birth": "生日(选填)", "hours": "服务时长（小时）"}
    [row] = result.rows
    assert row.row_number == 2
    assert row.values["name"] == "张三"
    assert row.values["id_number"].number == ID_A
    assert row.values["mobile"] == "13800138000"
    assert row.values["birth"] == date(1985, 3, 12)
    assert row.values["hours"] == 3


def test_title_rows_above_header_and_row_numbers_as_excel_shows(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [
        ["清溪镇 2024 年志愿者花名册"],
        ["填表单位：桂花村", None, None, "填表日期：2024-05-01"],
        [],
        ["序号", "姓名", "身份证号码", "手机号码"],
        [1, "张三", ID_A, "13800138000"],
        [2, "李四", "123", "13800138000"],
        [3, "王五", ID_B, "2800138000"],
    ])
    result = read_sheet(path, SPECS)
    assert result.header_row == 4
    assert [r.row_number for r in result.rows] == [5, 6, 7]
    assert result.unknown_columns == ["序号"]
    assert result.rows[0].ok
    [err] = result.rows[1].errors
    assert (err.row, err.column, err.key) == (6, "身份证号码", "id_number")
    assert err.message == "身份证号码应为 18 位，当前为 3 位"
    [err] = result.rows[2].errors
    assert (err.row, err.column) == (7, "手机号码")
    assert "手机号码" in err.message
    assert [e.row for e in result.errors] == [6, 7]
    assert not result.ok and result.error_count == 2 and len(result.good_rows) == 1


def test_unknown_columns_reported_and_ignored(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [
        ["姓名", "备注", "身份证号码", "籍贯\n（省市）", None, "政治面貌"],
        ["张三", "老党员", ID_A, "四川成都", "??", "党员"],
    ])
    result = read_sheet(path, SPECS)
    assert result.unknown_columns == ["备注", "籍贯 （省市）", "政治面貌"]
    assert result.ok
    assert set(result.rows[0].values) == {"name", "id_number"}


def test_missing_required_column_is_a_file_error_in_chinese(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [["身份证号码", "手机号码"], [ID_A, "13800138000"]])
    result = read_sheet(path, SPECS)
    assert result.file_errors == ["缺少必需的列「姓名」（也可写作：名字、志愿者姓名）"]
    assert result.missing_columns == ["姓名"]
    assert result.rows == [] and not result.ok


def test_duplicate_columns_are_a_file_error(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [["姓名", "身份证号码", "名字"], ["张三", ID_A, "张三丰"]])
    result = read_sheet(path, SPECS)
    assert result.duplicate_columns == ["名字"]
    [message] = result.file_errors
    assert "「姓名」列出现了不止一次" in message and "第 A 列" in message and "第 C 列" in message
    assert result.rows == []


def test_no_header_found(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [["甲", "乙"], ["1", "2"]])
    result = read_sheet(path, SPECS)
    assert result.header_row is None
    [message] = result.file_errors
    assert "没有找到表头" in message and "「姓名」" in message


def test_empty_rows_skipped(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [
        ["姓名", "身份证号码", "备注"],
        ["张三", ID_A, None],
        [None, None, None],
        ["  ", "\u3000", None],
        [],
        ["", "", "只有备注的行"],
        ["李四", ID_B, None],
        [None, "", None],
    ])
    result = read_sheet(path, SPECS)
    assert [r.row_number for r in result.rows] == [2, 7]
    assert result.ok


def test_required_cell_left_empty(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [["姓名", "身份证号码", "手机号码"], ["  ", ID_A, None]])
    [row] = read_sheet(path, SPECS).rows
    assert [(e.column, e.message) for e in row.errors] == [("姓名", "「姓名」不能为空")]
    assert row.values == {"name": None, "id_number": row.values["id_number"], "mobile": None}
    assert row.values["id_number"].number == ID_A


def rewrite_member(path: Path, member: str, edit) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[member] = edit(members[member])
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)


def test_id_numbers_as_real_files_hold_them(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [
        ["姓名", "身份证号码"],
        ["整数", 1],
        ["整数（Excel 截断）", 2],
        ["浮点", float(ID_DIGITS)],
        ["科学计数文本", "5.10108E+17"],
        ["带空格", f" {ID_X[:6]} {ID_X[6:14]} {ID_X[14:].lower()} "],
        ["全角", ID_A.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})],
    ])
    # openpyxl itself writes big ints as floats; other programs write every digit.
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b'<v>1</v>', f"<v>{ID_DIGITS}</v>".encode()).replace(b'<v>2</v>', f"<v>{ID_DIGITS[:15]}000</v>".encode()))
    rows = read_sheet(path, SPECS).rows
    assert rows[0].ok and rows[0].values["id_number"].number == ID_DIGITS
    assert [e.message for e in rows[1].errors] == [EXCEL_LOST]
    assert [e.message for e in rows[2].errors] == [EXCEL_LOST]
    assert [e.message for e in rows[3].errors] == [EXCEL_LOST]
    assert rows[3].errors[0].row == 5
    assert rows[4].values["id_number"].number == ID_X
    assert rows[5].values["id_number"].number == ID_A


def test_dates_as_datetime_text_and_serial(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "出生日期"])
    ws.append(["甲", ID_A, datetime(1985, 3, 12)])
    ws.append(["乙", ID_A, "1985年3月12日"])
    ws.append(["丙", ID_A, "1985/3/12"])
    ws.append(["丁", ID_A, 31118])  # a serial in a General-formatted cell
    ws.append(["戊", ID_A, "31118"])
    ws.append(["己", ID_A, "去年"])
    ws["C2"].number_format = "yyyy年m月d日"
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    rows = read_sheet(path, SPECS).rows
    assert [r.values["birth"] for r in rows[:5]] == [date(1985, 3, 12)] * 5
    [err] = rows[5].errors
    assert (err.row, err.column) == (7, "出生日期")
    assert err.message.startswith("出生日期「去年」格式无法识别")


def test_values_without_parse_are_normalized_text(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [["姓名", "身份证号码", "服务时长"], ["\u3000张三\u200b ", ID_A, 2.5]])
    [row] = read_sheet(path, SPECS).rows
    assert row.values["name"] == "张三"
    assert row.values["hours"] == 2.5


def test_wrong_dimension_tag_does_not_lose_rows(tmp_path):
    # Some programs write <dimension ref="A1"/> whatever the size; openpyxl would stop there.
    path = make_xlsx(tmp_path / "导出.xlsx", [["姓名", "身份证号码"]] + [[f"人{i}", ID_A] for i in range(20)])
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', xml))
    result = read_sheet(path, SPECS)
    assert len(result.rows) == 20 and result.ok


def test_picks_the_data_sheet_even_if_another_is_active(tmp_path):
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["请按下表填写"])
    wb.active.append(["姓名", "写身份证上的名字"])
    data = wb.create_sheet("名单")
    data.append(["姓名", "身份证号码"])
    data.append(["张三", ID_A])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    result = read_sheet(path, SPECS)
    assert result.sheet == "名单" and len(result.rows) == 1
    assert read_sheet(path, SPECS, sheet="说明").sheet == "说明"
    assert read_sheet(path, SPECS, sheet=1).sheet == "名单"
    with pytest.raises(ExcelFileError, match="没有名为「汇总」的工作表"):
        read_sheet(path, SPECS, sheet="汇总")


def test_an_empty_first_sheet_does_not_hide_the_data(tmp_path):
    wb = Workbook()
    wb.create_sheet("数据").append(["甲", "乙"])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    result = read_sheet(path, SPECS)
    assert result.sheet == "数据" and "没有找到表头" in result.file_errors[0]


def test_progress_total_is_zero_when_the_file_does_not_say(tmp_path):
    path = tmp_path / "导出.xlsx"
    write_table(path, "名单", [("姓名", 10), ("身份证号码", 22)], ([f"人{i}", ID_A] for i in range(600)))
    calls = []
    read_sheet(path, SPECS, progress=lambda done, total, text: calls.append((done, total)))
    assert calls == [(500, 0), (600, 600)]


def test_real_xlsx_with_wrong_extension_is_read(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [["姓名", "身份证号码"], ["张三", ID_A]])
    renamed = path.rename(tmp_path / "名单.xls")
    assert len(read_sheet(renamed, SPECS).rows) == 1


def test_spec_aliases_must_not_clash():
    specs = [ColumnSpec("a", "电话"), ColumnSpec("b", "手机", ("电话（必填）",))]
    with pytest.raises(ValueError):
        read_sheet("unused.xlsx", specs)


# --- broken files ----------------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")


def _empty_workbook(path: Path) -> None:
    Workbook().save(path)


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.write_bytes(os.urandom(4096)), "不是有效的 Excel 文件（.xlsx）。如果是旧版 .xls，请在 Excel 中另存为 .xlsx 后再导入。"),
    (lambda p: p.write_text("姓名,身份证号码\n张三,510108198503120011\n", encoding="utf-8"), "是文本文件（例如 CSV）"),
    (lambda p: p.write_text("姓名,身份证号码\n张三,510108198503120011\n", encoding="gbk"), "是文本文件（例如 CSV）"),
    (lambda p: p.write_bytes(b""), "是空文件"),
    (_zip_without_workbook, "是一个压缩包"),
    (lambda p: p.write_bytes(OLE + os.urandom(2048)), "是旧版 Excel（.xls）"),
    (lambda p: p.write_bytes(OLE + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512), "设置了打开密码"),
    (lambda p: p.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>"), "是网页（HTML）格式"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + os.urandom(300)), "已损坏或不完整"),
    (_empty_workbook, "没有任何内容"),
])
def test_broken_files_raise_excel_file_error(tmp_path, make, expected):
    path = tmp_path / "名单.xlsx"
    make(path)
    with pytest.raises(ExcelFileError) as info:
        read_sheet(path, SPECS)
    assert isinstance(info.value, CivDeskError)
    message = str(info.value)
    assert "「名单.xlsx」" in message
    assert expected in message


def test_damaged_workbook_inside_a_valid_zip(tmp_path):
    path = make_xlsx(tmp_path / "名单.xlsx", [["姓名", "身份证号码"], ["张三", ID_A]])
    rewrite_member(path, "xl/workbook.xml", lambda xml: b"<workbook><sheets><sheet")
    with pytest.raises(ExcelFileError, match="「名单.xlsx」已损坏"):
        read_sheet(path, SPECS)


def test_missing_file(tmp_path):
    with pytest.raises(ExcelFileError, match="找不到文件"):
        read_sheet(tmp_path / "没有.xlsx", SPECS)


# --- progress and cancel ---------------------------------------------------------------------


def _many_rows(tmp_path: Path, n: int) -> Path:
    return make_xlsx(tmp_path / "名单.xlsx", [["姓名", "身份证号码"]] + [[f"人{i}", ID_A] for i in range(n)])


def test_progress_at_most_every_500_rows(tmp_path):
    path = _many_rows(tmp_path, 1200)
    calls = []
    result = read_sheet(path, SPECS, progress=lambda done, total, text: calls.append((done, total, text)))
    assert len(result.rows) == 1200
    assert [c[0] for c in calls] == [500, 1000, 1200]
    assert calls[0][1] == 1200 and calls[-1][:2] == (1200, 1200)


def test_cancel(tmp_path):
    path = _many_rows(tmp_path, 1200)
    with pytest.raises(Cancelled, match="已取消导入"):
        read_sheet(path, SPECS, cancelled=lambda: True)
    # The file is closed afterwards: it can be replaced (Windows would refuse otherwise).
    path.unlink()


# --- writing ---------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+cmd", "-2", "@SUM(A1)", " =x", "\t=HYPERLINK(\"http://x\")", "\r=1", "＝1+1", "#N/A",
             "=cmd|' /C calc'!A0"]


def test_formula_injection_is_neutralized(tmp_path):
    path = tmp_path / "导出.xlsx"
    rows = [[text, text, 1] for text in DANGEROUS]
    write_table(path, "名单", [("备注", 20), ("联系电话", 15), ("数量", 8)], rows,
                title="=标题", note="+说明")
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    wb = load_workbook(path)
    ws = wb.active
    assert ws["A1"].value == "=标题" and ws["A2"].value == "+说明"
    for i, text in enumerate(DANGEROUS, start=4):
        for col in "AB":
            cell = ws[f"{col}{i}"]
            assert cell.value == text.replace("\r", "\n")  # LF is Excel's line break in a cell
            assert cell.data_type == "s"
            assert cell.quotePrefix
    assert ws["C4"].value == 1


def test_write_table_layout_text_columns_and_dates(tmp_path):
    path = tmp_path / "sub" / "导出.xlsx"
    rows = [
        ["张三", int(ID_DIGITS), 13800138000, date(2024, 3, 5), datetime(2024, 3, 5, 14, 30), True, 2.5],
        ["李四", ID_X, "028-83951234", None, None, False, None],
    ]
    columns = [("姓名", 10), ("身份证号码", 22), ("联系电话", 16), ("服务日期", 12), ("登记时间", 18),
               ("是否党员", 8), ("时长", 8)]
    assert write_table(path, "志愿者/名单", columns, rows, title="志愿者名单", note="导出时间：2024-06-01") == 2
    ws = load_workbook(path).active
    assert ws.title == "志愿者_名单"
    assert ws["A1"].value == "志愿者名单" and ws["A1"].font.b
    assert ws["A2"].value == "导出时间：2024-06-01"
    assert [c.value for c in ws[3]] == [c[0] for c in columns]
    assert all(c.font.b for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["B"].width == 20, "from the content: 18 digits and a margin"
    assert ws.column_dimensions["A"].width == 6, "a short column stays narrow"
    assert ws.parent.properties.title == "志愿者名单" and ws.parent.properties.creator != "openpyxl"
    assert ws["A4"].font.name == "宋体" and ws["A3"].font.name == "宋体"
    assert ws.print_title_rows == "$3:$3" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.auto_filter.ref == "A3:G5"
    assert ws["B4"].value == ID_DIGITS and ws["B4"].number_format == "@"
    assert ws["C4"].value == "13800138000" and ws["C4"].number_format == "@"
    assert ws["B5"].value == ID_X and ws["C5"].value == "028-83951234"
    assert ws["D4"].value == datetime(2024, 3, 5) and ws["D4"].number_format == "yyyy-mm-dd"
    assert ws["E4"].value == datetime(2024, 3, 5, 14, 30) and ws["E4"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["F4"].value == "是" and ws["F5"].value == "否"
    assert ws["G4"].value == 2.5 and ws["G5"].value is None
    assert not list(path.parent.glob(".~civdesk-*"))


def test_write_table_strips_control_characters(tmp_path):
    path = tmp_path / "导出.xlsx"
    write_table(path, "名单", [("备注", 20)], [["网页\x0b复制\x00的文字"]])
    assert load_workbook(path).active["A2"].value == "网页复制的文字"


def test_exported_table_reads_back(tmp_path):
    path = tmp_path / "导出.xlsx"
    write_table(path, "名单", [("姓名", 10), ("身份证号码", 22), ("手机号码", 14), ("出生日期", 12)],
                [["张三", ID_X, "13800138000", date(1949, 12, 31)]], title="志愿者名单")
    result = read_sheet(path, SPECS)
    assert result.header_row == 2 and result.ok
    values = result.rows[0].values
    assert values["id_number"].number == ID_X and values["birth"] == date(1949, 12, 31)


def test_export_progress_and_cancel_leave_no_file(tmp_path):
    path = tmp_path / "导出.xlsx"
    calls = []
    rows = [[f"人{i}", ID_A] for i in range(1100)]
    write_table(path, "名单", [("姓名", 10), ("身份证号码", 22)], rows,
                progress=lambda done, total, text: calls.append((done, total)))
    assert calls == [(500, 1100), (1000, 1100), (1100, 1100)]
    path.unlink()
    with pytest.raises(Cancelled, match="已取消导出"):
        write_table(path, "名单", [("姓名", 10), ("身份证号码", 22)], iter(rows), cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


# --- templates -------------------------------------------------------------------------------


def test_template(tmp_path):
    path = tmp_path / "志愿者导入模板.xlsx"
    write_template(path, SPECS, "志愿者", ["每行填写一名志愿者。", "身份证号码请填写 18 位。"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["志愿者", INSTRUCTIONS_SHEET]
    ws = wb["志愿者"]
    assert [c.value for c in ws[1]] == ["姓名（必填）", "身份证号码（必填）", "手机号码", "出生日期", "服务时长"]
    assert ws["A1"].font.color.rgb.endswith("C00000") and ws["A1"].font.b
    assert [c.value for c in ws[2]] == [s.example for s in SPECS]
    assert ws["B2"].data_type == "s" and ws["B2"].number_format == "@"
    assert ws["C2"].number_format == "@"
    assert ws.column_dimensions["B"].number_format == "@"
    assert ws.column_dimensions["C"].number_format == "@"
    assert ws.column_dimensions["A"].number_format != "@"
    assert ws.freeze_panes == "A2"
    info = wb[INSTRUCTIONS_SHEET]
    text = [[c for c in row if c is not None] for row in info.iter_rows(values_only=True)]
    flat = "\n".join("|".join(map(str, r)) for r in text)
    assert "每行填写一名志愿者。" in flat and "身份证号码请填写 18 位。" in flat
    assert "姓名|必填|填写身份证上的姓名|张三|名字、志愿者姓名" in flat
    assert "手机号码|选填|11 位手机号码|13800138000|手机、联系电话" in flat


def test_filled_template_reads_back_and_example_row_is_skipped(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path, SPECS, "志愿者", ["每行填写一名志愿者。"])
    result = read_sheet(path, SPECS)
    assert result.ok and result.rows == [] and result.skipped_example_rows == [2]
    assert result.unknown_columns == []

    wb = load_workbook(path)
    wb["志愿者"].append(["李四", ID_B, "13900139000", "1990-01-01", 4])
    wb.active = 1  # the clerk saved with the instructions sheet showing
    wb.save(path)
    result = read_sheet(path, SPECS)
    assert result.sheet == "志愿者" and result.skipped_example_rows == [2]
    [row] = result.rows
    assert row.row_number == 3 and row.ok
    assert row.values["id_number"].number == ID_B and row.values["hours"] == 4


def test_a_wide_column_holds_empty_cells_and_numbers(tmp_path):
    from openpyxl import load_workbook

    from civdesk.xlsx.write import write_table

    out = tmp_path / "宽列.xlsx"
    long_text = "义诊、理发、包饺子，" * 8
    count = write_table(out, "表", [("名称", 10), ("内容", 50)], [["甲", long_text], ["乙", ""], ["丙", 12]])
    assert count == 3
    values = [row for row in load_workbook(out).active.iter_rows(values_only=True) if row[0] in ("甲", "乙", "丙")]
    assert values == [("甲", long_text), ("乙", None), ("丙", 12)]


def test_a_wrapped_column_takes_text_that_looks_like_a_formula(tmp_path: Path):
    """A long-text column wraps; text starting like a formula (「-」「=」) is kept as text there too
    (the activities export of the demo stopped at 「-负责人…」 with a TypeError)."""
    from civdesk.xlsx.write import write_table

    out = tmp_path / "w.xlsx"
    long = "-负责人带队清理河道垃圾，" * 6
    assert write_table(out, "表", [("名称", 10), ("内容", 60)], [["甲", long], ["乙", "=1+1"]]) == 2
    ws = load_workbook(out).active
    cells = [row for row in ws.iter_rows(values_only=False) if row[0].value in ("甲", "乙")]
    assert [c[1].value for c in cells] == [long, "=1+1"] and all(c[1].data_type == "s" for c in cells)
    assert all(c[1].alignment.wrap_text for c in cells)
