"""Reading a sheet with python-calamine (Rust) instead of openpyxl, with openpyxl's values.

calamine parses a 100,000-row sheet about six times faster than openpyxl's read-only mode.  Its
values differ from openpyxl's in three ways, undone here so the importers see exactly what they
saw before: an empty cell is ``""`` (openpyxl: ``None``), a whole number is a float ``3.0``
(openpyxl: ``3`` when the file stores ``3``) and a date without a time is a ``date`` (openpyxl:
a ``datetime`` at midnight).  Numbers too large to be exact in a float (an ID number stored as a
number, which Excel writes as ``1.10105199001011E+17``) stay floats, as openpyxl gives them.

:class:`Workbook` and :class:`Worksheet` offer the part of openpyxl's read-only interface that
:mod:`civdesk.xlsx.read` uses (``worksheets``, ``title``, ``sheet_state``, ``max_row``,
``reset_dimensions``, ``iter_rows(values_only=True)``, ``close``), so anything calamine cannot
open is read by openpyxl through the same code (see :func:`civdesk.xlsx.opening.open_workbook`).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LongRow", "NotExact", "Workbook", "Worksheet", "open_fast", "python_value"]

_EXACT = 1e15  # below this every whole number a file can write is exact in a float


class NotExact(Exception):  # noqa: N818 - a signal to re-read, not an error shown to anyone
    """A cell calamine cannot give exactly as the file holds it; read the file with openpyxl."""


def _float(v: float):
    if -_EXACT < v < _EXACT:
        return int(v) if v.is_integer() else v
    if v != v or v in (float("inf"), float("-inf")):
        return v
    raise NotExact(v)


def _date(v: dt.date):
    return dt.datetime(v.year, v.month, v.day)


def _str(v: str):
    return v or None


_CONVERT = {float: _float, dt.date: _date, str: _str}


def python_value(v):
    """One calamine cell as openpyxl gives it."""
    conv = _CONVERT.get(v.__class__)
    return v if conv is None else conv(v)


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?(?:r:)?id="([^"]*)"[^>]*>')
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"|<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*[0-9]*:?[A-Z]*([0-9]+)"')


def _unescape(raw: bytes) -> str:
    return (raw.decode("utf-8").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def sheet_members(zf: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(name, zip member, visible) of each sheet, in the workbook's order."""
    rels = {}
    for m in _REL.finditer(zf.read("xl/_rels/workbook.xml.rels")):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        rels[rid] = target.decode()
    out = []
    for m in _SHEET.finditer(zf.read("xl/workbook.xml")):
        target = rels.get(m.group(2), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out.append((_unescape(m.group(1)), member, b'state="' not in m.group(0) or b'state="visible"' in m.group(0)))
    return out


def declared_rows(path: Path) -> dict[str, int]:
    """Each sheet's last row as its <dimension> tag declares it (0 when it declares none), which
    is what openpyxl's ``max_row`` gives before reading: only good for a progress estimate."""
    out: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, member, _visible in sheet_members(zf):
                try:
                    with zf.open(member) as fh:
                        found = _DIMENSION.search(fh.read(4096))
                except KeyError:
                    continue
                out[name] = int(found.group(1)) if found else 0
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass
    return out


class Worksheet:
    def __init__(self, book, name: str, visible: bool, declared: int = 0):
        self._book = book
        self.max_row = declared
        self.title = name
        self.sheet_state = "visible" if visible else "hidden"
        self._sheet = None

    def _load(self):
        if self._sheet is None:
            self._sheet = self._book.get_sheet_by_name(self.title)
        return self._sheet

    def reset_dimensions(self) -> None:
        """calamine reads the cells themselves, never the <dimension> tag."""

    # Every cell's text is held to the caller's length limit while it is converted anyway, so the
    # caller's per-cell check is left for the rare row that holds a longer text (a LongRow).
    checks_cell_length = True

    def iter_rows(self, values_only: bool = True, cell_limit: int | None = None) -> Iterator[tuple]:
        assert values_only
        get = _CONVERT.get
        limit = sys.maxsize if cell_limit is None else cell_limit
        # iter_rows() starts at the first used cell; the row numbers the clerk sees need row 1.
        for row in self._load().to_python(skip_empty_area=False):
            try:
                out = tuple([((v or None) if len(v) <= limit else _long(v)) if v.__class__ is str
                             else (v if (c := get(v.__class__)) is None else c(v)) for v in row])
            except _LongText:
                out = LongRow(python_value(v) for v in row)
            yield out


class _LongText(Exception):  # noqa: N818 - a signal inside iter_rows, never seen outside
    pass


def _long(_text: str):
    raise _LongText


class LongRow(tuple):
    """A row holding a text over the cell limit :meth:`Worksheet.iter_rows` was given: the values
    as usual, for the caller's own check to refuse with the row and column."""

    __slots__ = ()


class Workbook:
    def __init__(self, book, path: Path):
        self._book = book
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        declared = declared_rows(path)
        self.worksheets = [Worksheet(book, m.name, m.visible == SheetVisibleEnum.Visible, declared.get(m.name, 0))
                           for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]

    def close(self) -> None:
        self._book.close()


def open_fast(path: Path) -> Workbook | None:
    """The workbook through calamine, or ``None`` when calamine is missing or cannot read it
    (openpyxl then tries, and gives the clerk its precise message when it cannot either)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - an installation without the wheel
        return None
    try:
        book = CalamineWorkbook.from_path(str(path))
        return Workbook(book, path)
    except Exception:  # calamine raises its own error kinds for what it does not support
        return None
