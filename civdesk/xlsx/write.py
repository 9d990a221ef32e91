"""Write Excel files clerks open in Excel or WPS: exported tables and import templates.

Two promises hold for every file written here:

* **No formulas.**  A value typed by anyone (a volunteer's name, a complaint text) that starts
  with ``= + - @`` is stored as a plain string cell with Excel's "quote prefix" flag, so neither
  Excel nor WPS evaluates it, not even after the cell is edited (CSV/formula injection).
* **Numbers that are really text stay text.**  ID and phone columns are written as strings in a
  text-formatted column, so Excel never shows 1.10105E+17 or drops a leading zero.

Files are written to a temporary name and moved into place, so a failed or cancelled export
never leaves half a file where the clerk expects a good one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from civdesk.core import jobs
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.xlsx.columns import ColumnSpec, is_text_column
from civdesk.xlsx.opening import ExcelFileError
from civdesk.xlsx.read import PROGRESS_EVERY

__all__ = [
    "INSTRUCTIONS_SHEET",
    "CANCELLED",
    "safe_sheet_title",
    "write_table",
    "write_template",
]

INSTRUCTIONS_SHEET = "填写说明"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

Column = tuple[str, float] | tuple[str, float, str | None]
# What jobs.Cancelled says when the user stops an export.
CANCELLED = "已取消导出，没有生成文件"


# A Chinese face in every style (宋体 on Windows and WPS; LibreOffice substitutes its Song face), so a
# sheet never prints in Calibri with fallback glyphs.
CHINESE_FONT = "宋体"
_BODY_FONT = Font(name=CHINESE_FONT, size=11, charset=134)
_HEADER_FONT = Font(name=CHINESE_FONT, bold=True, charset=134)
_REQUIRED_FONT = Font(name=CHINESE_FONT, bold=True, color="C00000", charset=134)
_TITLE_FONT = Font(name=CHINESE_FONT, bold=True, size=14, charset=134)
_NOTE_FONT = Font(name=CHINESE_FONT, italic=True, color="595959", charset=134)
_EXAMPLE_FONT = Font(name=CHINESE_FONT, italic=True, color="808080", charset=134)
WRAP_FROM = 30      # a column this wide (in characters of display width) or wider wraps its text
MAX_WIDTH = 40      # content-based widths stop here; longer text wraps
FIT_WIDTH_UP_TO = 190  # total width in characters that still prints readably when fitted to one A4 width
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="A6A6A6")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)

# Characters after which Excel or WPS would start a formula; full-width forms too, because
# some input methods produce them and WPS treats "＝" like "=".
_FORMULA_START = frozenset("=+-@＝＋－＠")
_LEADING_SPACE = frozenset(" \t\r\n\u3000\u00a0")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\：＊？／＼]")


def safe_sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\ ."""
    cleaned = _SHEET_TITLE_BAD.sub("_", title or "").strip("'").strip()
    return cleaned[:31] or "Sheet1"


def _needs_guard(s: str) -> bool:
    first = s[0]
    if first in _LEADING_SPACE:
        stripped = s.lstrip(" \t\r\n\u3000\u00a0")
        return bool(stripped) and stripped[0] in _FORMULA_START
    return first in _FORMULA_START


def _clean(s: str) -> str:
    # openpyxl refuses control characters (text pasted from web pages carries them) and
    # Excel refuses cells longer than 32,767 characters.
    if ILLEGAL_CHARACTERS_RE.search(s):
        s = ILLEGAL_CHARACTERS_RE.sub("", s)
    if "\r" in s:
        # XML readers turn a bare CR into LF anyway, and LF is Excel's line break in a cell.
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return s[:32767]


def _text_cell(ws, value: str, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    # openpyxl would store "=…" as a formula and "#N/A" as an error; force a string cell.
    cell.data_type = "s"
    cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    return cell


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _number_to_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _make_converter(ws, kind: str | None) -> Callable[[object], object]:
    """One function per column, chosen once, so the row loop does no per-column decisions."""

    if kind == "text":
        def to_text(v: object) -> object:
            if v is None:
                return None
            s = _clean(v) if v.__class__ is str else _number_to_text(v)
            if not s:
                return None
            return _text_cell(ws, s, TEXT_FORMAT)

        return to_text

    def to_cell(v: object) -> object:
        cls = v.__class__
        if cls is str:
            if not v:
                return None
            v = _clean(v)
            if _needs_guard(v) or v in ERROR_CODES:
                return _text_cell(ws, v)
            return v
        if v is None or cls is int or cls is float or cls is date or cls is Decimal:
            return v
        if cls is datetime:
            cell = WriteOnlyCell(ws, v.replace(tzinfo=None))
            cell.number_format = DATETIME_FORMAT if (v.hour, v.minute, v.second) != (0, 0, 0) else DATE_FORMAT
            return cell
        if isinstance(v, bool):
            return "是" if v else "否"
        if isinstance(v, (int, float, date, time, timedelta)):
            return v
        return to_cell(str(v))

    return to_cell


def _wrapping(ws, convert: Callable[[object], object]) -> Callable[[object], object]:
    """A wide column's text wraps within the column (printed whole instead of clipped)."""

    def to_cell(v: object) -> object:
        out = convert(v)
        if out.__class__ is str:
            cell = WriteOnlyCell(ws, out)
            cell.alignment = _WRAP
            return cell
        if isinstance(out, Cell) and out.data_type == "s":  # WriteOnlyCell is a function making a Cell
            out.alignment = _WRAP
        return out

    return to_cell


def _column_kind(column: Sequence) -> str | None:
    title = column[0]
    kind = column[2] if len(column) > 2 else None
    if kind is None and is_text_column(title):
        return "text"
    return kind


def _abandon(ws) -> None:
    """Close a half-written streaming sheet and delete openpyxl's own temporary file; left
    alone, its generators complain when garbage-collected and the file stays until exit."""
    with contextlib.suppress(Exception):
        if ws._rows is not None:
            ws._rows.close()
    writer = ws._writer
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def write_table(
    path: str | Path,
    sheet_title: str,
    columns: list[Column],
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = None,
    note: str | None = None,
    total: int | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write one table to a new .xlsx and return the number of data rows.

    ``columns`` are ``(title, width)`` or ``(title, width, kind)`` with kind ``"text"`` (kept
    as text; guessed for ID and phone titles) or ``None``.  An optional ``title`` (bold, large)
    and ``note`` (e.g. "导出时间：…") go above the header row.  Dates become real dates shown
    as yyyy-mm-dd; ``True``/``False`` become 是/否.
    """
    path = Path(path)
    if total is None and hasattr(rows, "__len__"):
        total = len(rows)  # type: ignore[arg-type]
    written = 0

    def save(tmp: str) -> None:
        nonlocal written
        wb = Workbook(write_only=True)
        _set_up_workbook(wb, title or sheet_title)
        ws = wb.create_sheet(safe_sheet_title(sheet_title))
        kinds = [_column_kind(c) for c in columns]
        header_row = 1 + (title is not None) + (note is not None)
        last_letter = _set_up_table(ws, columns, kinds, header_row, rows)
        _write_heading(ws, columns, title, note)
        try:
            count = _write_rows(ws, rows, kinds, total, progress, cancelled)
        except BaseException:
            _abandon(ws)
            raise
        # The filter range is written after the rows, so it can cover them exactly.
        ws.auto_filter.ref = f"A{header_row}:{last_letter}{header_row + max(count, 1)}"
        wb.save(tmp)
        written = count
        if progress is not None:
            progress(count, count, f"已导出 {count} 行")

    save_atomically(path, save, suffix=".xlsx", opened_in="Excel 或 WPS", error=ExcelFileError)
    return written


def _office_name() -> str:
    """The office that exports (document author), read through the core: xlsx/ may not use office/."""
    try:
        from civdesk.core.meta import LocalMeta
        from civdesk.core.models import record_name

        office_id = LocalMeta.get_value("office_id")
        return record_name("office", office_id) if office_id else ""
    except Exception:  # no database open (a template written by a test): no author rather than a failure
        return ""


def _set_up_workbook(wb, title: str) -> None:
    """Document properties (title, author = the office, not 「openpyxl」) and a Chinese default font."""
    author = _office_name() or "CivDesk"
    wb.properties.title = title
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb._fonts[0] = _BODY_FONT  # the default (Normal) font every unstyled cell uses


def content_widths(columns: list[Column], rows) -> list[float]:
    """Widths from the content: the widest value (or the header, wrapped at a separator such as
    「已评/应评」, or its longest piece) with a minimum, at most MAX_WIDTH; given widths without rows."""
    if not isinstance(rows, (list, tuple)) or not rows:
        return [c[1] for c in columns]
    widths = []
    for i, column in enumerate(columns):
        header = max(_display_width(piece) for piece in re.split(r"(?<=[/／])", str(column[0])) or [""])
        values = [_display_width(_number_to_text(r[i])) for r in rows[:2000] if i < len(r) and r[i] is not None]
        widths.append(min(MAX_WIDTH, max(6, header + 2, *(v + 2 for v in values))))
    return widths


def _set_up_table(ws, columns: list[Column], kinds: list[str | None], header_row: int, rows) -> str:
    """Column widths and formats, frozen header, A4 printing; returns the last column's letter."""
    ncols = len(columns)
    last_letter = get_column_letter(max(ncols, 1))
    widths = content_widths(columns, rows)
    for i, (width, kind) in enumerate(zip(widths, kinds, strict=True), start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = width
        if kind == "text":
            dim.number_format = TEXT_FORMAT
    if isinstance(rows, (list, tuple)):
        # The <dimension> tag goes before the rows, so only a known length can fill it in.
        # Without it openpyxl's read-only mode scans the whole sheet just to open it.
        ws.calculate_dimension = lambda: f"A1:{last_letter}{header_row + len(rows)}"
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    total = sum(widths)
    ws.page_setup.orientation = "landscape" if total > 95 or ncols > 8 else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if total <= FIT_WIDTH_UP_TO:  # wider sheets print across pages rather than tiny
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws._civdesk_wrap = [w >= WRAP_FROM or w >= MAX_WIDTH for w in widths]
    ws._civdesk_widths = widths
    ws._civdesk_header_row = header_row
    return last_letter


def _write_heading(ws, columns: list[Column], title: str | None, note: str | None) -> None:
    for text, font in ((title, _TITLE_FONT), (note, _NOTE_FONT)):
        if text is not None:
            cell = _text_cell(ws, _clean(text)) if _needs_guard(text or " ") else WriteOnlyCell(ws, _clean(text))
            cell.font = font
            ws.append([cell])
    header = []
    for column in columns:
        cell = _text_cell(ws, _clean(str(column[0])))
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER, _HEADER_ALIGN
        header.append(cell)
    ws.append(header)


def _write_rows(ws, rows: Iterable[Sequence[object]], kinds: list[str | None], total: int | None,
                progress: Progress | None, cancelled: CancelCheck | None) -> int:
    converters = [_wrapping(ws, _make_converter(ws, kind)) if wrap else _make_converter(ws, kind)
                  for kind, wrap in zip(kinds, getattr(ws, "_civdesk_wrap", [False] * len(kinds)), strict=False)]
    countdown = PROGRESS_EVERY
    count = 0
    widths = getattr(ws, "_civdesk_widths", None)
    first_row = getattr(ws, "_civdesk_header_row", 0) + 1
    for row in rows:
        if widths:  # wrapped text needs a taller row: LibreOffice and WPS do not grow written rows
            lines = max((-(-_display_width(str(v)) // max(int(w) - 2, 1)) for v, w in zip(row, widths, strict=False)
                         if isinstance(v, str) and v), default=1)
            if lines > 1:
                ws.row_dimensions[first_row + count].height = 14.5 * lines
        ws.append([conv(v) for conv, v in zip(converters, row, strict=False)])
        count += 1
        countdown -= 1
        if not countdown:
            countdown = PROGRESS_EVERY
            jobs.check(cancelled, CANCELLED)
            if progress is not None:
                progress(count, max(total or 0, count), f"正在写入第 {count} 行")
    jobs.check(cancelled, CANCELLED)
    return count


def write_template(path: str | Path, specs: list[ColumnSpec], sheet_title: str, instructions: list[str]) -> None:
    """An import template: the header row (required columns red and marked "（必填）"), one
    grey example row, ID and phone columns pre-formatted as text, and a "填写说明" sheet that
    explains every column and the other headers it may be written as."""
    path = Path(path)

    def save(tmp: str) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = safe_sheet_title(sheet_title)
        _template_columns(ws, specs)
        _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), ws.title, specs, instructions)
        wb.active = 0
        wb.save(tmp)

    save_atomically(path, save, suffix=".xlsx", opened_in="Excel 或 WPS", error=ExcelFileError)


def _template_columns(ws, specs: list[ColumnSpec]) -> None:
    for col, spec in enumerate(specs, start=1):
        letter = get_column_letter(col)
        shown = f"{spec.title}（必填）" if spec.required else spec.title
        head = ws.cell(row=1, column=col, value=shown)
        head.font = _REQUIRED_FONT if spec.required else _HEADER_FONT
        head.fill, head.border, head.alignment = _HEADER_FILL, _HEADER_BORDER, _HEADER_ALIGN
        head.data_type = "s"
        if spec.help:
            head.comment = Comment(spec.help, "CivDesk", width=260, height=110)
        example = ws.cell(row=2, column=col)
        if spec.example:
            example.value = _clean(spec.example)
            example.data_type = "s"
            if _needs_guard(spec.example):
                example.quotePrefix = True
        example.font = _EXAMPLE_FONT
        dim = ws.column_dimensions[letter]
        if spec.is_text:
            # A column style: what the clerk types or pastes into empty cells stays text.
            dim.number_format = TEXT_FORMAT
            example.number_format = TEXT_FORMAT
        dim.width = min(max(_display_width(shown), _display_width(spec.example), 8) + 4, 60)
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"


def _instructions(info, sheet_title: str, specs: list[ColumnSpec], instructions: list[str]) -> None:
    line = 1
    info.cell(row=line, column=1, value=f"「{sheet_title}」填写说明").font = _TITLE_FONT
    line += 1
    for text in [*instructions, "第 2 行灰色文字是示例，请直接覆盖或删除；导入时会自动跳过未修改的示例行。"]:
        cell = info.cell(row=line, column=1, value=_clean(text))
        cell.data_type = "s"
        line += 1
    line += 1
    for col, head in enumerate(("列名", "是否必填", "填写要求", "示例", "表头也可写作"), start=1):
        cell = info.cell(row=line, column=col, value=head)
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER, _HEADER_ALIGN
    for spec in specs:
        line += 1
        values = (spec.title, "必填" if spec.required else "选填", spec.help, spec.example, "、".join(spec.aliases))
        for col, value in enumerate(values, start=1):
            cell = info.cell(row=line, column=col, value=_clean(value) or None)
            if cell.value is not None:
                cell.data_type = "s"
                cell.alignment = _WRAP
            if col == 2 and spec.required:
                cell.font = _REQUIRED_FONT
    for letter, width in zip("ABCDE", (18, 10, 50, 24, 30), strict=True):
        info.column_dimensions[letter].width = width
