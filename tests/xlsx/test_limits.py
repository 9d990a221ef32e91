"""Finding 5 of issue 13: Excel limits checked before (or while) reading, each refusal naming its
limit — a 1.2 MB file with 30 M shared strings took 2.9 GB and 256 s and was then called 已损坏."""

from __future__ import annotations

import time
import zipfile

import pytest
from openpyxl import Workbook

from civdesk.xlsx import opening
from civdesk.xlsx.read import ColumnSpec, ExcelFileError, read_sheet

SPECS = [ColumnSpec("name", "姓名", required=True), ColumnSpec("note", "备注")]


def workbook(path, rows) -> str:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "备注"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def shared_strings_bomb(source, dest, count: int):
    """A real workbook whose sharedStrings.xml is replaced by *count* empty strings (compresses to little)."""
    body = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/' \
           b'spreadsheetml/2006/main">' + b"<si/>" * count + b"</sst>"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if not info.filename.endswith("sharedStrings.xml"):
                zout.writestr(info.filename, zin.read(info))
        zout.writestr("xl/sharedStrings.xml", body)
    return dest


def refused_with(path, words: str) -> None:
    with pytest.raises(ExcelFileError) as info:
        read_sheet(path, SPECS)
    assert words in str(info.value) and "已损坏" not in str(info.value), str(info.value)


def test_too_many_shared_strings_refused_before_reading(tmp_path):
    source = workbook(tmp_path / "ok.xlsx", [["张三", "好"]])
    bomb = shared_strings_bomb(source, tmp_path / "bomb.xlsx", opening.MAX_SHARED_STRINGS + 1)
    assert bomb.stat().st_size < 200_000
    started = time.perf_counter()
    refused_with(bomb, f"共享字符串（不同的文字）超过 {opening.MAX_SHARED_STRINGS:,} 个的上限")
    assert time.perf_counter() - started < 20


def test_decompressed_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "MAX_UNZIPPED_MB", 1)
    path = workbook(tmp_path / "big.xlsx", [[f"张{i}", "备注" * 50] for i in range(5000)])
    refused_with(path, "超过了解压后大小的上限 1 MB")


def test_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "MAX_ROWS", 50)
    refused_with(workbook(tmp_path / "rows.xlsx", [[f"张{i}", ""] for i in range(60)]), "超过 50 行的行数上限")


def test_column_limit(tmp_path):
    path = tmp_path / "wide.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "备注"])
    ws.append(["张三", "好"])
    ws.cell(row=2, column=opening.MAX_COLUMNS + 100, value="远处的内容")
    wb.save(path)
    refused_with(path, f"超过 {opening.MAX_COLUMNS} 列的列数上限")


def test_cell_length_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(opening, "MAX_CELL_CHARS", 1000)
    refused_with(workbook(tmp_path / "long.xlsx", [["张三", "长" * 1001]]), "超过单元格长度上限 1,000 个字")


def test_a_normal_sheet_still_reads(tmp_path):
    result = read_sheet(workbook(tmp_path / "ok.xlsx", [["张三", "好"], ["李四", ""]]), SPECS)
    assert [r.values["name"] for r in result.rows] == ["张三", "李四"]
