"""Issue 17: a sheet is parsed once.  Picking the sheet and its header (``_pick_sheet``/``_scan``)
and reading its rows share one calamine parse; a profile shows the parse under ``_scan`` because
the header scan asks for the first row."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from civdesk.xlsx import fast
from civdesk.xlsx.read import ColumnSpec, read_sheet

SPECS = [ColumnSpec("name", "姓名", required=True), ColumnSpec("note", "备注")]


class _CountingBook:
    """A calamine workbook that notes each sheet it is asked to parse."""

    def __init__(self, book, parsed: list[str]) -> None:
        self._book, self._parsed = book, parsed

    def get_sheet_by_name(self, name: str):
        self._parsed.append(name)
        return self._book.get_sheet_by_name(name)

    def __getattr__(self, attr):
        return getattr(self._book, attr)


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    names: list[str] = []
    original = fast.Workbook.__init__

    def counting(self, book, path):
        original(self, _CountingBook(book, names), path)

    monkeypatch.setattr(fast.Workbook, "__init__", counting)
    return names


def test_one_sheet_is_parsed_once(tmp_path, parsed):
    wb = Workbook()
    wb.active.title = "名单"
    wb.active.append(["姓名", "备注"])
    for i in range(1200):
        wb.active.append([f"人{i}", "备注" if i % 2 else None])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    result = read_sheet(path, SPECS)
    assert len(result.rows) == 1200 and result.ok
    assert parsed == ["名单"]


def test_each_candidate_sheet_is_parsed_once(tmp_path, parsed):
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["请按下表填写"])
    data = wb.create_sheet("名单")
    data.append(["姓名", "备注"])
    for i in range(600):
        data.append([f"人{i}", None])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    result = read_sheet(path, SPECS)
    assert result.sheet == "名单" and len(result.rows) == 600
    assert sorted(parsed) == ["名单", "说明"]
