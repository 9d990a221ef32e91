"""Read a clerk's Excel sheet into checked rows: the generic half of every importer.

An importer describes the columns it understands (:class:`ColumnSpec`); :func:`read_sheet` finds
the header row, maps the headers the clerk actually wrote onto those columns, runs each column's
validation rule (from :mod:`civdesk.core.validation`) on every cell and returns all problems at once,
each with the row number and column title the clerk sees in Excel.  Nothing here writes to the
database: the importer decides what to do with :class:`SheetResult`.
"""

from __future__ import annotations

import contextlib
import gc
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from civdesk.core.errors import CivDeskError
from civdesk.core.validation import Checked, normalize_text, required

__all__ = [
    "HEADER_SCAN_ROWS",
    "PROGRESS_EVERY",
    "CellError",
    "ColumnSpec",
    "ExcelFileError",
    "ImportCancelled",
    "RowResult",
    "SheetResult",
    "is_text_column",
    "normalize_header",
    "read_sheet",
]

HEADER_SCAN_ROWS = 10
PROGRESS_EVERY = 500

Progress = Callable[[int, int, str], None]


class ExcelFileError(CivDeskError):
    """The file cannot be read as an Excel workbook; the message names the file and the cure."""


class ImportCancelled(CivDeskError):
    """The user pressed cancel while the sheet was being read."""

    def __init__(self, message: str = "已取消导入，没有导入任何数据"):
        super().__init__(message)


@dataclass(frozen=True)
class ColumnSpec:
    """A column an importer understands.

    ``parse`` receives the cell's value as the file holds it (strings already stripped and
    folded by :func:`~civdesk.core.validation.normalize_text`; numbers, dates untouched) and is only
    called for non-empty cells: an empty cell is an error in a ``required`` column and ``None``
    otherwise.  ``text`` says whether templates and exports keep the column as text (ID and
    phone numbers); ``None`` guesses it from the key and title.
    """

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[object], Checked] | None = None
    example: str = ""
    help: str = ""
    text: bool | None = None

    @property
    def is_text(self) -> bool:
        return self.text if self.text is not None else is_text_column(self.title, self.key)


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


# --- headers -------------------------------------------------------------------------------

_TEXT_HINTS = ("身份证", "证件号", "手机", "电话", "联系方式", "号码")
_TEXT_KEY_HINTS = ("id_number", "id_no", "phone", "mobile", "tel")


def is_text_column(title: str, key: str = "") -> bool:
    """Whether a column holds digits that must stay text (Excel would turn an 18-digit ID into
    1.10105E+17 and drop a phone's leading zero)."""
    key = key.lower()
    return any(h in title for h in _TEXT_HINTS) or any(h in key for h in _TEXT_KEY_HINTS)


_OPEN = "(（[［【〔<＜《"
_CLOSE = ")）]］】〕>＞》"
_MARKER_WORDS = (
    "必填|必填项|必须填写|必须|必需|必录|必输|选填|选填项|可选|可不填|非必填|可空|"
    "required|optional"
)
_MARKER = re.compile(rf"[{re.escape(_OPEN)}]\s*(?:{_MARKER_WORDS})\s*[{re.escape(_CLOSE)}]", re.I)
_STARS = re.compile(r"[*＊※★☆]")
_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]", "【": "[", "】": "]", "〔": "[",
                           "〕": "]", "＜": "<", "＞": ">", "《": "<", "》": ">"})
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>")
_TRAILING_PUNCT = re.compile(r"[:：]+$")


def normalize_header(text: object) -> str:
    """The form headers and aliases are compared in: "  身份证号码（必填）*" → "身份证号码".

    Strips, folds full-width letters/digits/spaces, removes every space, the "（必填）" /
    "(选填)" kind of markers, asterisks and a trailing colon, unifies full-width brackets and
    lowercases latin letters.  Other bracketed text is kept ("时长(小时)"); the header matcher
    also tries without it.
    """
    s = normalize_text(text)
    s = _MARKER.sub("", s)
    s = _STARS.sub("", s)
    s = _SPACES.sub("", s)
    s = s.translate(_BRACKETS)
    s = _TRAILING_PUNCT.sub("", s)
    return s.lower()


def _without_brackets(normalized: str) -> str:
    return _BRACKETED.sub("", normalized)


def _display_header(value: object) -> str:
    # Headers often carry a line break (Alt+Enter); the message should show them on one line.
    return " ".join(str(value).split())


class _HeaderMatcher:
    def __init__(self, specs: list[ColumnSpec]):
        self.exact: dict[str, ColumnSpec] = {}
        for spec in specs:
            for name in (spec.title, *spec.aliases, spec.key):
                norm = normalize_header(name)
                if not norm:
                    continue
                other = self.exact.get(norm)
                if other is not None and other.key != spec.key:
                    raise ValueError(f"columns {other.key!r} and {spec.key!r} both accept header {name!r}")
                self.exact[norm] = spec

    def match(self, header: object) -> ColumnSpec | None:
        if header is None:
            return None
        norm = normalize_header(header)
        if not norm:
            return None
        spec = self.exact.get(norm)
        if spec is None:
            loose = _without_brackets(norm)
            if loose != norm:
                spec = self.exact.get(loose)
        return spec

    def score(self, row: tuple) -> int:
        return len({spec.key for v in row if (spec := self.match(v)) is not None})


# --- opening the file ------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_NOT_XLSX_HINT = "如果是旧版 .xls，请在 Excel 中另存为 .xlsx 后再导入。"


def _not_excel(name: str, what: str = "") -> ExcelFileError:
    what = what or "不是有效的 Excel 文件（.xlsx）。"
    return ExcelFileError(f"「{name}」{what}{_NOT_XLSX_HINT}")


def _diagnose(path: Path, name: str) -> ExcelFileError | None:
    """A precise message for the usual wrong files, before openpyxl gives a vague one."""
    with path.open("rb") as fh:
        head = fh.read(8192)
        if not head:
            return ExcelFileError(f"「{name}」是空文件（0 字节），可能没有保存完整或复制时出错，请重新保存后再导入。")
        if head.startswith(_OLE_MAGIC):
            # Password-protected .xlsx files are OLE containers like .xls; they differ by the
            # stream that holds the encrypted package.
            fh.seek(0)
            if _ENCRYPTED_STREAM in fh.read(64 * 1024 * 1024):
                return ExcelFileError(
                    f"「{name}」设置了打开密码，无法读取。请在 Excel 中打开后取消密码"
                    "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码），保存后再导入。"
                )
            return _not_excel(name, "是旧版 Excel（.xls）或 WPS（.et）格式，本软件只能读取 .xlsx。")
    if head.startswith(b"PK"):
        return _diagnose_zip(path, name)
    if b"\x00" not in head:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<", b"<?xml")) and (b"<html" in text or b"<table" in text or b"<!doctype" in text):
            return _not_excel(name, "是网页（HTML）格式的表格，不是真正的 Excel 文件（.xlsx）。"
                                    "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。")
        for encoding in ("utf-8", "gb18030"):
            try:
                head.decode(encoding)
            except UnicodeDecodeError:
                continue
            return _not_excel(name, "是文本文件（例如 CSV），不是 Excel 文件（.xlsx）。"
                                    "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。")
    return _not_excel(name)  # every .xlsx is a zip: whatever this is, it is not one


def _diagnose_zip(path: Path, name: str) -> ExcelFileError | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError):
        return ExcelFileError(f"「{name}」已损坏或不完整（可能复制时中断），无法读取。请重新复制或重新保存后再导入。")
    if "xl/workbook.xml" in names or any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
        return None
    if "word/document.xml" in names:
        return _not_excel(name, "是 Word 文档，不是 Excel 文件（.xlsx）。")
    if any(n.startswith("ppt/") for n in names):
        return _not_excel(name, "是 PowerPoint 演示文稿，不是 Excel 文件（.xlsx）。")
    if b"opendocument.spreadsheet" in mimetype:
        return _not_excel(name, "是 OpenDocument 表格（.ods），本软件只能读取 .xlsx。请在 WPS 或 Excel 中另存为 .xlsx 后再导入。")
    return _not_excel(name, "是一个压缩包，不是 Excel 文件（.xlsx）。")


def _open_workbook(path: Path):
    name = path.name
    if not path.exists():
        raise ExcelFileError(f"找不到文件「{path}」，可能已被移动或删除。")
    if path.is_dir():
        raise ExcelFileError(f"「{name}」是文件夹，不是 Excel 文件。")
    try:
        problem = _diagnose(path, name)
    except PermissionError as exc:
        raise ExcelFileError(f"「{name}」无法打开：没有读取权限，或文件正被其他程序占用。请关闭该文件后重试。") from exc
    except OSError as exc:
        raise ExcelFileError(f"「{name}」无法读取（{exc.strerror or exc}）。") from exc
    if problem is not None:
        raise problem
    # A file object, not the name: openpyxl refuses names ending in .xls or .csv even when the
    # content is a genuine .xlsx that was merely renamed.
    fh = path.open("rb")
    try:
        wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises a dozen kinds for a damaged package
        fh.close()
        raise ExcelFileError(
            f"「{name}」已损坏，或不是 Excel 保存的 .xlsx 文件，无法读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。"
        ) from exc
    return wb, fh


def _guarded(rows: Iterator[tuple], name: str, sheet: str) -> Iterator[tuple]:
    # A read-only workbook parses the sheet lazily, so damage inside it surfaces while
    # iterating.  Only the iteration is guarded; errors in the caller's loop body pass through.
    try:
        yield from rows
    except Exception as exc:
        raise ExcelFileError(f"「{name}」的工作表「{sheet}」已损坏，读到一半出错，请在 Excel 中另存为 .xlsx 后再导入。") from exc


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


def _scan(ws, matcher: _HeaderMatcher, name: str) -> _Candidate:
    estimated_rows = ws.max_row or 0
    ws.reset_dimensions()  # trust the cells, not the <dimension> tag other programs get wrong
    rows = _guarded(ws.iter_rows(values_only=True), name, ws.title)
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


def _pick_sheet(wb, sheet: str | int | None, matcher: _HeaderMatcher, name: str) -> _Candidate:
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
    cancelled: Callable[[], bool] | None = None,
) -> SheetResult:
    """Read and check every data row of one sheet.

    Raises :class:`ExcelFileError` when the file is not a readable .xlsx (or is empty) and
    :class:`ImportCancelled` when ``cancelled()`` turns true; anything wrong with the sheet's
    columns or cells is reported in the result.  ``sheet`` is a name or 0-based index; by
    default the visible sheet whose header matches the most columns is read.  ``progress``
    gets ``(rows done, estimated total or 0 if unknown, text)`` every 500 rows and at the end.
    """
    path = Path(path)
    name = path.name
    matcher = _HeaderMatcher(specs)
    wb, fh = _open_workbook(path)
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


def _read(cand: _Candidate, specs: list[ColumnSpec], matcher: _HeaderMatcher, path: Path,
          progress: Progress | None, cancelled: Callable[[], bool] | None) -> SheetResult:
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
        shown = _display_header(raw)
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


def _read_rows(cand: _Candidate, mapped: dict[str, tuple[int, ColumnSpec, str]], header_row_number: int,
               result: SheetResult, progress: Progress | None,
               cancelled: Callable[[], bool] | None) -> None:
    # Everything that depends only on the column is worked out once; the loop below touches
    # each cell of a mapped column once and creates no objects for cells without problems.
    order = sorted(mapped.values(), key=lambda m: m[0])
    indexes = [idx for idx, _spec, _shown in order]
    width = max(indexes) + 1
    pad = (None,) * width
    getter = itemgetter(*indexes) if len(indexes) > 1 else (lambda row, _i=indexes[0]: (row[_i],))
    keys = [spec.key for _idx, spec, _shown in order]
    ncols = len(keys)
    # Optional columns without a rule are done by dict(zip()); only these need a Python loop.
    checked_columns = [
        (i, spec.key, shown, spec.parse, required(None, spec.title).error if spec.required else None)
        for i, (_idx, spec, shown) in enumerate(order)
        if spec.parse is not None or spec.required
    ]
    examples = [normalize_text(spec.example) or None for _idx, spec, _shown in order]
    check_examples = any(e is not None for e in examples)
    first_example = examples[0]

    # 0 means "unknown" (a progress dialog then shows a busy bar): some files carry no size.
    total = max(cand.estimated_rows - header_row_number, 0)
    rows_out = result.rows
    skipped_examples = result.skipped_example_rows
    nt = normalize_text

    def data_rows() -> Iterator[tuple]:
        yield from cand.buffered[cand.header_index + 1:]
        yield from cand.rows

    row_number = header_row_number
    countdown = PROGRESS_EVERY
    for row in data_rows():
        row_number += 1
        countdown -= 1
        if not countdown:
            countdown = PROGRESS_EVERY
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None:
                done = row_number - header_row_number
                progress(done, max(total, done) if total else 0, f"正在读取第 {row_number} 行")
        if not any(row) and not _nonblank(row):
            continue
        if len(row) < width:
            row = tuple(row) + pad[len(row):]
        # ASCII text cannot hold full-width or invisible characters: strip() is all it needs.
        vals = [((v.strip() if v.isascii() else nt(v)) or None) if v.__class__ is str else v for v in getter(row)]
        if vals.count(None) == ncols:
            continue
        if check_examples and vals[0] == first_example and vals == examples:
            skipped_examples.append(row_number)
            continue
        values: dict[str, Any] = dict(zip(keys, vals, strict=True))
        errors: list[CellError] = []
        for i, key, shown, parse, missing_message in checked_columns:
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
        rows_out.append(RowResult(row_number, values, errors))

    if cancelled is not None and cancelled():
        raise ImportCancelled()
    if progress is not None:
        done = row_number - header_row_number
        progress(done, done, f"已读取 {len(rows_out)} 行")


def _nonblank(row) -> bool:
    return any(v is not None and (not isinstance(v, str) or normalize_text(v)) for v in row)


def _exhausted(rows: Iterator[tuple]) -> bool:
    return all(not _nonblank(row) for row in rows)

