"""The first rows of a sheet at once, however long the sheet: what an import preview shows while
:func:`civdesk.xlsx.read.read_sheet` checks every row in the background.

Both calamine and openpyxl read a whole part of the file before the first row (calamine the sheet,
openpyxl the shared-string table: seconds on a 100,000-row file).  Here the sheet and the
shared strings are streamed and only as much of each is parsed as the first rows need.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel

from civdesk.xlsx.columns import ColumnSpec, HeaderMatcher, display_header
from civdesk.xlsx.fast import sheet_members
from civdesk.xlsx.opening import ExcelFileError, open_workbook

__all__ = ["Peek", "peek"]

HEADER_SCAN_ROWS = 10
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_LETTERS = re.compile(r"[A-Z]+")


@dataclass(frozen=True)
class Peek:
    sheet: str
    header_row: int | None  # None when no header was found in the first rows
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (Excel row number, the cells under the header)
    score: int = 0  # how many columns the header matched


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    try:
        data = zf.read("xl/styles.xml")
    except KeyError:
        return set()
    from xml.etree.ElementTree import fromstring

    root = fromstring(data)
    custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(f"{_NS}numFmt")}
    out = set()
    xfs = root.find(f"{_NS}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else ()):
        fid = int(xf.get("numFmtId", "0"))
        code = custom.get(fid, BUILTIN_FORMATS.get(fid, ""))
        if code and is_date_format(code):
            out.add(i)
    return out


def _rows(zf: zipfile.ZipFile, member: str, limit: int):
    """Raw rows as {column index: (type, text, style)} up to ``limit`` rows, with their numbers."""
    out = []
    with zf.open(member) as fh:
        for _event, el in iterparse(fh):
            if el.tag != f"{_NS}row":
                continue
            cells = {}
            for n, c in enumerate(el.iter(f"{_NS}c")):
                ref = c.get("r")
                col = column_index_from_string(_LETTERS.match(ref).group()) - 1 if ref else n
                t = c.get("t", "n")
                if t == "inlineStr":
                    text = "".join(x.text or "" for x in c.iter(f"{_NS}t"))
                else:
                    v = c.find(f"{_NS}v")
                    text = v.text if v is not None else None
                if text is not None:
                    cells[col] = (t, text, int(c.get("s", "0")))
            out.append((int(el.get("r", len(out) + 1)), cells))
            el.clear()
            if len(out) >= limit:
                break
    return out


def _shared(zf: zipfile.ZipFile, needed: int) -> list[str]:
    out: list[str] = []
    if needed < 0 or "xl/sharedStrings.xml" not in zf.namelist():
        return out
    with zf.open("xl/sharedStrings.xml") as fh:
        for _event, el in iterparse(fh):
            if el.tag == f"{_NS}si":
                # phonetic runs (<rPh>) are not part of the text
                out.append("".join(t.text or "" for r in el if r.tag != f"{_NS}rPh" for t in r.iter(f"{_NS}t")))
                el.clear()
                if len(out) > needed:
                    break
    return out


def _value(t: str, text: str, style: int, shared: list[str], dates: set[int]):
    if t == "s":
        i = int(text)
        return shared[i] if i < len(shared) else None
    if t in ("str", "inlineStr", "e"):
        return text
    if t == "b":
        return text == "1"
    number = float(text) if any(ch in text for ch in ".eE") else int(text)
    if style in dates:
        return from_excel(number)
    return number


def peek(path: str | Path, specs: list[ColumnSpec], *, rows: int = 20) -> Peek:
    """The header and the first ``rows`` data rows of the visible sheet whose header matches
    ``specs`` best, parsing no more of the file than they need (tens of milliseconds on a
    100,000-row file).  Raises :class:`ExcelFileError` for a file that is no .xlsx."""
    path = Path(path)
    wb, fh = open_workbook(path)  # the clerk's message for a wrong file, as the import gives it
    wb.close()
    fh.close()
    matcher = HeaderMatcher(specs)
    with zipfile.ZipFile(path) as zf:
        members = set(zf.namelist())
        raws = [(name, _rows(zf, member, HEADER_SCAN_ROWS + rows))
                for name, member, visible in sheet_members(zf) if visible and member in members]
        if not raws:
            raise ExcelFileError(f"「{path.name}」中没有可以读取的工作表。")
        needed = max((int(text) for _name, raw in raws for _n, cells in raw
                      for t, text, _s in cells.values() if t == "s"), default=-1)
        shared = _shared(zf, needed)
        dates = _date_styles(zf)
    # As read_sheet chooses: the sheet whose header matches the most columns, then one with content.
    peeks = [_assemble(name, raw, shared, dates, matcher, rows) for name, raw in raws]
    return max(peeks, key=lambda p: (p.score, bool(p.rows)))


def _assemble(name, raw, shared, dates, matcher: HeaderMatcher, rows: int) -> Peek:
    table = []
    for number, cells in raw:
        width = max(cells, default=-1) + 1
        values = [None] * width
        for col, (t, text, style) in cells.items():
            values[col] = _value(t, text, style, shared, dates)
        table.append((number, values))
    scored = [(matcher.score(tuple(v)), -i) for i, (_n, v) in enumerate(table[:HEADER_SCAN_ROWS])]
    if not scored or max(scored)[0] == 0:
        return Peek(name, None, [], [])
    index = -max(scored)[1]
    header_number, header_values = table[index]
    header = [display_header(v) if v is not None else "" for v in header_values]
    out = []
    for number, values in table[index + 1:]:
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            out.append((number, (values + [None] * len(header))[:len(header)]))
        if len(out) >= rows:
            break
    return Peek(name, header_number, header, out, max(scored)[0])
