"""The preview's first rows (civdesk.xlsx.peek) hold what openpyxl reads from the same cells."""

import datetime as dt

import openpyxl
import pytest

from civdesk.volunteers.roster_import import COLUMNS
from civdesk.xlsx.opening import ExcelFileError
from civdesk.xlsx.peek import peek


def _book(path, rows, title_row=True, extra_sheet=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    if extra_sheet:
        notes = ws
        notes.title = "填写说明"
        notes.append(["请按模板填写"])
        ws = wb.create_sheet("名单")
    if title_row:
        ws.append(["清溪镇志愿者名单"])
        ws.merge_cells("A1:E1")
    for row in rows:
        ws.append(row)
    ws["D3"].number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def test_first_rows_as_openpyxl_reads_them(tmp_path):
    rows = [["姓名", "证件号码", "手机号码", "注册日期", "时长"],
            ["张三", "110105199001011237", 13800000000, dt.datetime(2024, 3, 5), 2.5],
            [None, None, None, None, None],
            [" 李四 ", "11010519900101123X", "139 0000 0000", "2024/3/6", 3]]
    path = _book(tmp_path / "名单.xlsx", rows, extra_sheet=True)
    p = peek(path, COLUMNS)
    assert p.sheet == "名单" and p.header_row == 2
    assert p.header == ["姓名", "证件号码", "手机号码", "注册日期", "时长"]
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)["名单"]
    expected = [(i + 1, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True)) if i >= 2 and any(r)]
    assert p.rows == expected
    assert p.rows[0][1][3] == dt.datetime(2024, 3, 5)


def test_only_the_first_rows(tmp_path):
    path = _book(tmp_path / "长.xlsx", [["姓名", "证件号码"]] + [[f"人{i}", str(i)] for i in range(500)], title_row=False)
    p = peek(path, COLUMNS, rows=5)
    assert [n for n, _v in p.rows] == [2, 3, 4, 5, 6] and p.rows[-1][1] == ["人4", "4"]


def test_no_header(tmp_path):
    path = _book(tmp_path / "无表头.xlsx", [["甲", "乙"], [1, 2]], title_row=False)
    assert peek(path, COLUMNS).header_row is None


def test_not_an_excel_file(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_text("姓名,证件号码\n张三,1\n", encoding="utf-8")
    with pytest.raises(ExcelFileError, match="文本文件"):
        peek(path, COLUMNS)
