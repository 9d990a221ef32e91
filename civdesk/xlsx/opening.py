"""Opening a clerk's file: a precise message for each kind of wrong file (an old .xls, a CSV
renamed, a Word document, a password, a damaged copy) before openpyxl gives a vague one.

Limits, checked before openpyxl reads anything (a 1.2 MB file holding 30 million shared strings
took 2.9 GB of memory and 256 s with the writer lock held): the workbook's parts decompressed
together, the shared strings; and while the rows are read (``guarded``): rows, columns and the
length of a cell. Each refusal names its limit. The sizes in a zip's directory bound what
Python's zipfile inflates, so a part that claims to be small cannot grow while read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook

from civdesk.core.errors import CivDeskError
from civdesk.xlsx.fast import NotExact, open_fast

__all__ = ["LIMITS", "ExcelFileError", "guarded", "open_workbook"]

MAX_UNZIPPED_MB = 300  # a 100,000-row roster is about 40 MB unzipped
MAX_SHARED_STRINGS = 2_000_000
MAX_ROWS = 500_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
LIMITS = {"unzipped_mb": MAX_UNZIPPED_MB, "shared_strings": MAX_SHARED_STRINGS, "rows": MAX_ROWS,
          "columns": MAX_COLUMNS, "cell_chars": MAX_CELL_CHARS}
_TOO_BIG = "已拒绝导入。请删去多余的内容，或分成几个文件后再导入。"


class ExcelFileError(CivDeskError):
    """The file cannot be read as an Excel workbook; the message names the file and the cure."""


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
        return _over_limits(path, name)
    if "word/document.xml" in names:
        return _not_excel(name, "是 Word 文档，不是 Excel 文件（.xlsx）。")
    if any(n.startswith("ppt/") for n in names):
        return _not_excel(name, "是 PowerPoint 演示文稿，不是 Excel 文件（.xlsx）。")
    if b"opendocument.spreadsheet" in mimetype:
        return _not_excel(name, "是 OpenDocument 表格（.ods），本软件只能读取 .xlsx。请在 WPS 或 Excel 中另存为 .xlsx 后再导入。")
    return _not_excel(name, "是一个压缩包，不是 Excel 文件（.xlsx）。")


def _over_limits(path: Path, name: str) -> ExcelFileError | None:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        unzipped = sum(i.file_size for i in infos)
        if unzipped > MAX_UNZIPPED_MB << 20:
            return ExcelFileError(f"「{name}」解压后有 {unzipped / (1 << 20):.0f} MB，超过了解压后大小的上限 "
                                  f"{MAX_UNZIPPED_MB} MB（疑似压缩炸弹或含有大量无用内容），{_TOO_BIG}")
        shared = next((i for i in infos if i.filename.lower().endswith("sharedstrings.xml")), None)
        if shared is not None:
            count = _count_shared_strings(zf, shared)
            if count > MAX_SHARED_STRINGS:
                return ExcelFileError(f"「{name}」中的共享字符串（不同的文字）超过 {MAX_SHARED_STRINGS:,} 个的上限，"
                                      f"{_TOO_BIG}")
    return None


def _count_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Counts ``<si`` elements while inflating in 1 MB steps; stops just past the limit."""

    def found(data: bytes) -> int:
        return data.count(b"<si>") + data.count(b"<si ") + data.count(b"<si/>")

    count, tail = 0, b""
    with zf.open(info) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            count += found(data) - found(tail)  # a tag cut by the 1 MB step is counted once
            if count > MAX_SHARED_STRINGS:
                break
            tail = data[-4:]
    return count


def open_workbook(path: Path, *, fast: bool = True):
    """The workbook and the file handle to close after it: calamine's reader when it can read the
    file (see :mod:`civdesk.xlsx.fast`), openpyxl's read-only one otherwise."""
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
    book = open_fast(path) if fast else None
    if book is not None:
        return book, _NoFile()
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


class _NoFile:
    """calamine reads the file by name; there is no handle to close."""

    def close(self) -> None:
        pass


def _check_row(number: int, row: tuple, name: str, sheet: str) -> None:
    if number > MAX_ROWS:
        raise ExcelFileError(f"「{name}」的工作表「{sheet}」超过 {MAX_ROWS:,} 行的行数上限，{_TOO_BIG}")
    if len(row) > MAX_COLUMNS:
        raise ExcelFileError(f"「{name}」的工作表「{sheet}」第 {number} 行有 {len(row)} 列，超过 {MAX_COLUMNS} 列的列数上限"
                             f"（可能在很远的列里有内容），{_TOO_BIG}")
    for column, cell in enumerate(row, 1):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise ExcelFileError(f"「{name}」的工作表「{sheet}」第 {number} 行第 {column} 列的单元格有 {len(cell):,} 个字，"
                                 f"超过单元格长度上限 {MAX_CELL_CHARS:,} 个字，{_TOO_BIG}")


def guarded(ws, name: str, sheet: str) -> Iterator[tuple]:
    """*ws*'s rows (values only), each held to the row, column and cell-length limits before the
    caller sees it.  A read-only workbook parses the sheet lazily, so damage inside it surfaces
    while iterating: only the iteration is guarded; errors in the caller's loop body pass through.
    calamine's sheets check the cell lengths while converting (:attr:`Worksheet.checks_cell_length`):
    only a row they flag is looked at cell by cell here."""
    cells_checked = getattr(ws, "checks_cell_length", False)
    rows = (ws.iter_rows(values_only=True, cell_limit=MAX_CELL_CHARS) if cells_checked
            else ws.iter_rows(values_only=True))
    number = 0
    try:
        for row in rows:
            number += 1
            if not cells_checked or row.__class__ is not tuple or number > MAX_ROWS or len(row) > MAX_COLUMNS:
                _check_row(number, row, name, sheet)
            yield row
    except (ExcelFileError, NotExact):
        raise
    except Exception as exc:
        raise ExcelFileError(f"「{name}」的工作表「{sheet}」已损坏，读到一半出错，请在 Excel 中另存为 .xlsx 后再导入。") from exc
