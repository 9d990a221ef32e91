"""Read a clerk's Excel sheet into checked rows: the generic half of every importer.

An importer describes the columns it understands (:class:`ColumnSpec`); :func:`read_sheet` finds
the header row, maps the headers the clerk actually wrote onto those columns, runs each column's
validation rule (from :mod:`civdesk.core.validation`) on every cell and returns all problems at once,
each with the row number and column title the clerk sees in Excel.  Nothing here writes to the
database: the importer decides what to do with :class:`SheetResult`.  Matching headers is
:mod:`civdesk.xlsx.columns`; telling a wrong file from a workbook is :mod:`civdesk.xlsx.opening`.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from civdesk.core import jobs
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.core.validation import FOLD_TABLE, normalize_text, required
from civdesk.xlsx.columns import ColumnSpec, HeaderMatcher, display_header, is_text_column, normalize_header
from civdesk.xlsx.fast import NotExact
from civdesk.xlsx.opening import ExcelFileError, guarded, open_workbook

__all__ = [
    "CANCELLED",
    "HEADER_SCAN_ROWS",
    "PROGRESS_EVERY",
    "CellError",
    "ColumnSpec",
    "ExcelFileError",
    "RowResult",
    "SheetResult",
    "is_text_column",
    "normalize_header",
    "read_sheet",
]

HEADER_SCAN_ROWS = 10
PROGRESS_EVERY = 500
# What jobs.Cancelled says when the user stops the reading of a sheet.
CANCELLED = "已取消导入，没有导入任何数据"


@dataclass(frozen=True, slots=True)
class CellError:
    row: int  # the Excel row number the clerk sees
    column: str  # the header as written in the file
    message: str
    key: str | None = None


@dataclass(slots=True)
class RowResult:
    row_number: int
    values: dict[str, Any]
    errors: list[CellError]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class SheetResult:
    """Everything :func:`read_sheet` learned.  ``file_errors`` are problems with the sheet as a
    whole (a missing required column, a column given twice, no header found); when there are
    any, the data rows are not read, because every row would carry the same complaint."""

    path: Path
    sheet: str
    header_row: int | None
    columns: dict[str, str]  # key -> header text as written in the file
    rows: list[RowResult] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)  # titles of required columns
    file_errors: list[str] = field(default_factory=list)
    skipped_example_rows: list[int] = field(default_factory=list)
    # Totals and notes rows below or among the data (合计, 总计, 小计, 备注：…): (row, its first cell)
    skipped_summary_rows: list[tuple[int, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[CellError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def error_count(self) -> int:
        return sum(len(r.errors) for r in self.rows)

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(not r.errors for r in self.rows)

    @property
    def good_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors]


# --- reading ---------------------------------------------------------------------------------


@dataclass
class _Candidate:
    ws: Any
    rows: Iterator[tuple]
    buffered: list[tuple]
    header_index: int  # index into buffered, -1 when no header found
    score: int
    nonempty: bool
    estimated_rows: int  # from the <dimension> tag: only good enough for a progress estimate


def _scan(ws, matcher: HeaderMatcher, name: str) -> _Candidate:
    estimated_rows = ws.max_row or 0
    ws.reset_dimensions()  # trust the cells, not the <dimension> tag other programs get wrong
    rows = guarded(ws, name, ws.title)
    buffered: list[tuple] = []
    best, best_score = -1, 0
    for row in rows:
        buffered.append(row)
        score = matcher.score(row) if any(row) else 0
        if score > best_score:
            best, best_score = len(buffered) - 1, score
        if len(buffered) >= HEADER_SCAN_ROWS:
            break
    nonempty = any(_nonblank(row) for row in buffered)
    return _Candidate(ws, rows, buffered, best, best_score, nonempty, estimated_rows)


def _pick_sheet(wb, sheet: str | int | None, matcher: HeaderMatcher, name: str) -> _Candidate:
    sheets = wb.worksheets
    if not sheets:
        raise ExcelFileError(f"「{name}」中没有工作表。")
    if sheet is not None:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(sheets):
                raise ExcelFileError(f"「{name}」中只有 {len(sheets)} 个工作表，没有第 {sheet + 1} 个。")
            return _scan(sheets[sheet], matcher, name)
        for ws in sheets:
            if ws.title == sheet:
                return _scan(ws, matcher, name)
        existing = "、".join(f"「{ws.title}」" for ws in sheets)
        raise ExcelFileError(f"「{name}」中没有名为「{sheet}」的工作表（现有：{existing}）。")

    visible = [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"] or sheets
    if len(visible) == 1:
        return _scan(visible[0], matcher, name)
    # The sheet whose header matches most columns wins: a filled-in template has its
    # instructions sheet too, and the clerk may have saved with that one active.
    best: _Candidate | None = None
    for ws in visible:
        cand = _scan(ws, matcher, name)
        if best is None or (cand.score, cand.nonempty) > (best.score, best.nonempty):
            if best is not None:
                best.rows.close()
            best = cand
        else:
            cand.rows.close()
    assert best is not None
    return best


def read_sheet(
    path: str | Path,
    specs: list[ColumnSpec],
    *,
    sheet: str | int | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    mapping: dict[str, str | None] | None = None,
) -> SheetResult:
    """Read and check every data row of one sheet.

    Raises :class:`ExcelFileError` when the file is not a readable .xlsx (or is empty) and
    :class:`~civdesk.core.jobs.Cancelled` when ``cancelled()`` turns true; anything wrong with the sheet's
    columns or cells is reported in the result.  ``sheet`` is a name or 0-based index; by
    default the visible sheet whose header matches the most columns is read.  ``progress``
    gets ``(rows done, estimated total or 0 if unknown, text)`` every 500 rows and at the end.
    ``mapping`` (header → field key, or None for 「不导入」) overrides the header matching.
    """
    path = Path(path)
    try:
        return _read_book(path, specs, sheet, progress, cancelled, mapping, fast=True)
    except NotExact:  # a number calamine cannot give exactly: openpyxl reads this file
        return _read_book(path, specs, sheet, progress, cancelled, mapping, fast=False)


def _read_book(path: Path, specs: list[ColumnSpec], sheet: str | int | None, progress: Progress | None,
               cancelled: CancelCheck | None, mapping: dict[str, str | None] | None, *, fast: bool) -> SheetResult:
    name = path.name
    matcher = HeaderMatcher(specs, mapping)
    wb, fh = open_workbook(path, fast=fast)
    try:
        cand = _pick_sheet(wb, sheet, matcher, name)
        try:
            with gc_paused():
                return _read(cand, specs, matcher, path, progress, cancelled)
        finally:
            cand.rows.close()
    finally:
        wb.close()
        fh.close()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a sheet is read.

    Reading keeps every row, and each full collection walks all of them again: with 100,000
    rows that is a fifth of the reading time.  Neither openpyxl's parser nor the rows make
    reference cycles worth collecting meanwhile (measured: a few hundred objects).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(cand: _Candidate, specs: list[ColumnSpec], matcher: HeaderMatcher, path: Path,
          progress: Progress | None, cancelled: CancelCheck | None) -> SheetResult:
    name, ws = path.name, cand.ws

    if cand.header_index < 0:
        if not cand.nonempty and _exhausted(cand.rows):
            raise ExcelFileError(f"「{name}」中没有任何内容（工作表「{ws.title}」是空的）。")
        expected = "、".join(f"「{s.title}」" for s in specs if s.required) or "、".join(
            f"「{s.title}」" for s in specs[:5])
        result = SheetResult(path, ws.title, None, {})
        result.file_errors.append(
            f"在工作表「{ws.title}」的前 {HEADER_SCAN_ROWS} 行中没有找到表头。表头一行应包含 {expected} 等列，"
            "可以下载导入模板对照填写。")
        return result

    header_row_number = cand.header_index + 1
    header = cand.buffered[cand.header_index]
    result = SheetResult(path, ws.title, header_row_number, {})

    mapped: dict[str, tuple[int, ColumnSpec, str]] = {}
    for idx, raw in enumerate(header):
        if raw is None or (isinstance(raw, str) and not normalize_text(raw)):
            continue
        shown = display_header(raw)
        spec = matcher.match(raw)
        if spec is None:
            result.unknown_columns.append(shown)
            continue
        if spec.key in mapped:
            first_idx, _spec, first_shown = mapped[spec.key]
            result.duplicate_columns.append(shown)
            result.file_errors.append(
                f"「{spec.title}」列出现了不止一次（第 {get_column_letter(first_idx + 1)} 列「{first_shown}」和"
                f"第 {get_column_letter(idx + 1)} 列「{shown}」），请删除或改名多余的一列。")
            continue
        mapped[spec.key] = (idx, spec, shown)

    for spec in specs:
        if spec.required and spec.key not in mapped:
            result.missing_columns.append(spec.title)
            also = f"（也可写作：{'、'.join(spec.aliases)}）" if spec.aliases else ""
            result.file_errors.append(f"缺少必需的列「{spec.title}」{also}")
    result.columns = {key: shown for key, (_i, _s, shown) in mapped.items()}
    if result.file_errors or not mapped:
        return result

    _read_rows(cand, mapped, header_row_number, result, progress, cancelled)
    return result


@dataclass
class _Columns:
    """Everything about the mapped columns that reading a row needs, worked out once, so the row
    loop touches each cell of a mapped column once and creates no objects for good cells."""

    width: int  # rows are padded to this length
    getter: Any  # row -> the mapped cells, in sheet order
    keys: list[str]
    checked: list[tuple]  # (position, key, header, parse, message when missing): the rest is dict(zip())
    examples: list[str | None]  # the template's example row, which is skipped untouched

    @classmethod
    def of(cls, mapped: dict[str, tuple[int, ColumnSpec, str]]) -> _Columns:
        order = sorted(mapped.values(), key=lambda m: m[0])
        indexes = [idx for idx, _spec, _shown in order]
        getter = itemgetter(*indexes) if len(indexes) > 1 else (lambda row, _i=indexes[0]: (row[_i],))
        checked = [(i, spec.key, shown, spec.parse, required(None, spec.title).error if spec.required else None)
                   for i, (_idx, spec, shown) in enumerate(order) if spec.parse is not None or spec.required]
        return cls(max(indexes) + 1, getter, [spec.key for _idx, spec, _shown in order], checked,
                   [normalize_text(spec.example) or None for _idx, spec, _shown in order])

    def result(self, row_number: int, vals: list) -> RowResult:
        values: dict[str, Any] = dict(zip(self.keys, vals, strict=True))
        errors: list[CellError] = []
        for i, key, shown, parse, missing_message in self.checked:
            v = vals[i]
            if v is None:
                if missing_message is not None:
                    errors.append(CellError(row_number, shown, missing_message, key))
            elif parse is not None:
                checked = parse(v)
                if checked.error is None:
                    values[key] = checked.value
                else:
                    values[key] = None
                    errors.append(CellError(row_number, shown, checked.error, key))
        return RowResult(row_number, values, errors)


def _read_rows(cand: _Candidate, mapped: dict[str, tuple[int, ColumnSpec, str]], header_row_number: int,
               result: SheetResult, progress: Progress | None, cancelled: CancelCheck | None) -> None:
    columns = _Columns.of(mapped)
    width, getter, ncols, examples = columns.width, columns.getter, len(columns.keys), columns.examples
    pad = (None,) * width
    check_examples, first_example = any(e is not None for e in examples), examples[0]
    # 0 means "unknown" (a progress dialog then shows a busy bar): some files carry no size.
    total = max(cand.estimated_rows - header_row_number, 0)
    rows_out, skipped_examples, fold = result.rows, result.skipped_example_rows, FOLD_TABLE
    cache: dict[str, str | None] = {}
    folded = cache.get

    def fold_new(text: str) -> str | None:
        out = cache[text] = text.translate(fold).strip() or None
        return out

    row_number = header_row_number
    countdown = PROGRESS_EVERY
    for row in chain(cand.buffered[cand.header_index + 1:], cand.rows):
        row_number += 1
        countdown -= 1
        if not countdown:
            countdown = PROGRESS_EVERY
            jobs.check(cancelled, CANCELLED)
            if progress is not None:
                done = row_number - header_row_number
                progress(done, max(total, done) if total else 0, f"正在读取第 {row_number} 行")
        if not any(row) and not _nonblank(row):
            continue
        if len(row) < width:
            row = tuple(row) + pad[len(row):]
        # normalize_text, inline: a 100,000-row sheet has millions of cells.  ASCII text cannot hold
        # full-width or invisible characters: strip() is all it needs; other text is folded once
        # per distinct value (villages, 民族, 学历 … repeat), and equal cells share one folded text.
        vals = [(((v.strip() or None) if v.isascii() else f if (f := folded(v, _MISSING)) is not _MISSING
                  else fold_new(v)) if v.__class__ is str else v) for v in getter(row)]
        empty = vals.count(None) == ncols  # a note in a column not imported is still a notes row
        if not empty and check_examples and vals[0] == first_example and vals == examples:
            skipped_examples.append(row_number)
            continue
        for first in row:
            if first is not None and first != "":
                break
        if first.__class__ is str and first.lstrip()[:1] in _SUMMARY_FIRST and (label := summary_label(first)):
            result.skipped_summary_rows.append((row_number, label))
            continue
        if empty:
            continue
        rows_out.append(columns.result(row_number, vals))
    jobs.check(cancelled, CANCELLED)
    if progress is not None:
        done = row_number - header_row_number
        progress(done, done, f"已读取 {len(rows_out)} 行")


_SUMMARY = re.compile(r"^(合\s*计|总\s*计|小\s*计|累\s*计|共\s*计|总\s*数|备\s*注|注\s*[:：]|说\s*明\s*[:：]|填表说明|制表人|审核人\s*[:：]|填报人)")


# What a totals or notes row's first cell starts with, once stripped: the characters its pattern
# begins with, and the invisible ones folding drops (the fold turns nothing else into them).
_SUMMARY_FIRST = frozenset("合总小累共备注说填制审\u200b\u200c\u200d\u2060\ufeff")
_MISSING = object()


def summary_label(text: str) -> str | None:
    """The first cell of a totals or notes row ("合计", "备注：…"), shortened; None for a data row."""
    norm = normalize_text(text)
    if _SUMMARY.match(norm):
        return norm if len(norm) <= 20 else norm[:20] + "…"
    return None


def _nonblank(row) -> bool:
    return any(v is not None and (not isinstance(v, str) or normalize_text(v)) for v in row)


def _exhausted(rows: Iterator[tuple]) -> bool:
    return all(not _nonblank(row) for row in rows)


