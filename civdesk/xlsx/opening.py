"""Opening a clerk's file: a precise message for each kind of wrong file (an old .xls, a CSV
renamed, a Word document, a password, a damaged copy) before openpyxl gives a vague one."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook

from civdesk.core.errors import CivDeskError

__all__ = ["ExcelFileError", "guarded", "open_workbook"]


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
        return None
    if "word/document.xml" in names:
        return _not_excel(name, "是 Word 文档，不是 Excel 文件（.xlsx）。")
    if any(n.startswith("ppt/") for n in names):
        return _not_excel(name, "是 PowerPoint 演示文稿，不是 Excel 文件（.xlsx）。")
    if b"opendocument.spreadsheet" in mimetype:
        return _not_excel(name, "是 OpenDocument 表格（.ods），本软件只能读取 .xlsx。请在 WPS 或 Excel 中另存为 .xlsx 后再导入。")
    return _not_excel(name, "是一个压缩包，不是 Excel 文件（.xlsx）。")


def open_workbook(path: Path):
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


def guarded(rows: Iterator[tuple], name: str, sheet: str) -> Iterator[tuple]:
    # A read-only workbook parses the sheet lazily, so damage inside it surfaces while
    # iterating.  Only the iteration is guarded; errors in the caller's loop body pass through.
    try:
        yield from rows
    except Exception as exc:
        raise ExcelFileError(f"「{name}」的工作表「{sheet}」已损坏，读到一半出错，请在 Excel 中另存为 .xlsx 后再导入。") from exc
