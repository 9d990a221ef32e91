"""What the volunteer and hours imports share on the Excel side: reading a sheet into rows for
the service, turning the service's problems into cells the clerk can find, the preview and
report the dialog and the command line show, and the list of rejected rows to fix.

Nothing here checks a volunteer or writes to the database: the rows go to the volunteers service
(``roster_batch`` / ``hours_batch``), which checks them and writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from civdesk.core.errors import CivDeskError
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.volunteers import import_columns
from civdesk.volunteers.batch import NOTHING_UNREAD, Outcome, Plan, Problem, RowIn
from civdesk.volunteers.hours import MINUTES_RULE
from civdesk.volunteers.import_columns import ColumnChoice
from civdesk.xlsx import guess
from civdesk.xlsx.columns import ColumnSpec, is_text_column, normalize_header
from civdesk.xlsx.opening import ExcelFileError
from civdesk.xlsx.read import CellError, SheetResult, read_sheet
from civdesk.xlsx.write import write_table

ERROR_COLUMN = "错误原因"
ROW_COLUMN = "原行号"
# Columns our own error list adds: a clerk re-importing the fixed list should not be told
# they are unknown.
IGNORED_HEADERS = {ERROR_COLUMN, ROW_COLUMN}


class ImportFileError(CivDeskError):
    """The file as a whole cannot be imported (missing columns, no data rows)."""


@dataclass
class ImportPreview:
    """What an import would do, computed without writing."""

    path: Path
    kind: str  # "volunteers" or "hours"
    sheet: str = ""
    header_row: int | None = None
    total_rows: int = 0  # non-empty data rows read
    columns: dict[str, str] = field(default_factory=dict)  # key -> header as written
    unknown_columns: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    notices: list[CellError] = field(default_factory=list)  # rows skipped on purpose, and why
    skipped: int = 0  # rows already in the database
    skipped_example_rows: list[int] = field(default_factory=list)
    skipped_summary_rows: list[tuple[int, str]] = field(default_factory=list)  # 合计/备注 rows: (row, text)
    plan: Plan | None = None  # the service's verdict on the rows; None when the file was refused
    # The file the preview was read from (size, mtime): reading it again is needed if it changed.
    file_stamp: tuple[int, int] | None = None
    update_existing: bool = False
    today: dt.date | None = None
    mapping: dict[str, str | None] | None = None  # the clerk's choices the preview was read with
    choices: list[ColumnChoice] = field(default_factory=list)  # every column and its fate

    @property
    def conversions(self) -> dict[str, list[int]]:
        """Minutes converted to hours: the conversion as shown → the rows it was made for."""
        return self.plan.conversions if self.plan is not None else {}

    def rewrite_notes(self) -> list[str]:
        """政治面貌 etc. written the standard way: what the sheet said, and what is stored."""
        rewritten = self.plan.rewritten if self.plan is not None else {}
        if not rewritten:
            return []
        return ["按标准写法改写（原写法记入审计日志）：" + "，".join(
            f"「{given}」→「{standard}」（{len(rows)} 行）" for (_k, given, standard), rows in sorted(rewritten.items()))]

    def conversion_notes(self, limit: int = 8) -> list[str]:
        """The rule once, then each distinct conversion with its rows."""
        if not self.conversions:
            return []
        lines = [f"服务时长按分钟换算（{MINUTES_RULE}）："]
        for text, rows in list(self.conversions.items())[:limit]:
            shown = "、".join(map(str, rows[:6])) + (f" 等 {len(rows)} 行" if len(rows) > 6 else "")
            lines.append(f"  {text}（第 {shown} 行）")
        if len(self.conversions) > limit:
            lines.append(f"  …共 {len(self.conversions)} 种时长")
        return lines

    @property
    def to_create(self) -> list[dict]:
        return self.plan.to_create if self.plan is not None else []

    @property
    def to_update(self) -> list[tuple[int, str, dict]]:
        return self.plan.to_update if self.plan is not None else []

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def importable(self) -> int:
        return len(self.to_create)

    @property
    def updatable(self) -> int:
        return len(self.to_update)

    def summary(self) -> str:
        if self.file_errors:
            return "；".join(self.file_errors)
        parts = [f"共 {self.total_rows} 行", f"可导入 {self.importable} 行"]
        pending = sum(1 for values in self.to_create if values.get("id_number") == "")
        if pending:
            parts.append(f"其中没有证件号码、登记为「证件待补」{pending} 行")
        if self.to_update:
            parts.append(f"将更新 {self.updatable} 行")
        if self.skipped:
            parts.append(f"已登记（跳过）{self.skipped} 行" if self.kind == "volunteers"
                         else f"已录入过（跳过）{self.skipped} 行")
        if self.errors:
            parts.append(f"有问题 {len(self.rejected_rows)} 行（{len(self.errors)} 处）")
        return "，".join(parts)


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[CellError] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    backup_path: Path | None = None
    kind: str = "volunteers"
    unknown_columns: list[str] = field(default_factory=list)
    notices: list[CellError] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field key -> the header as the file writes it
    importable: int = 0  # valid new rows: what --skip-invalid would import, reported by a strict dry run too
    updatable: int = 0
    choices: list[ColumnChoice] = field(default_factory=list)
    conversions: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def as_json(self) -> dict:
        out: dict[str, Any] = {"imported": self.imported, "updated": self.updated, "skipped": self.skipped,
                               "errors": [{"row": e.row, "column": e.column, "message": e.message}
                                          for e in self.errors]}
        if self.dry_run:
            out["dry_run"] = True
            out["importable"], out["updatable"] = self.importable, self.updatable
        out.update(columns_json(self.columns, self.unknown_columns, self.choices))
        out["skipped_rows"] = [{"row": e.row, "message": e.message} for e in self.notices]
        if self.conversions:
            out["minutes_rule"] = MINUTES_RULE
            out["conversions"] = [{"conversion": text, "rows": rows} for text, rows in self.conversions.items()]
        return out

    def summary(self) -> str:
        """A readable Chinese summary (command line and the import dialog)."""
        noun = "名志愿者" if self.kind == "volunteers" else "条服务记录"
        rejected = len(self.rejected_rows)
        if self.dry_run:
            head = f"试运行（没有写入数据库）：将导入 {self.imported} {noun}"
            if self.updated:
                head += f"，更新 {self.updated} {noun}"
            if self.errors and not self.imported and (self.importable or self.updatable):
                head += (f"（{rejected} 行有问题；选择只导入有效行时可导入 {self.importable} {noun}"
                         + (f"、更新 {self.updatable} {noun}" if self.updatable else "") + "）")
        elif self.written or not self.errors:
            head = f"已导入 {self.imported} {noun}"
            if self.updated:
                head += f"，更新 {self.updated} {noun}"
            if self.kind == "hours" and self.imported:
                head += "（待审核）"
        else:
            head = f"没有导入任何数据：{rejected} 行有问题，请改正后重新导入，或选择只导入有效行"
        parts = [head]
        if self.skipped:
            parts.append(f"跳过已{'登记' if self.kind == 'volunteers' else '录入'}的 {self.skipped} 行")
        if self.errors and (self.written or self.dry_run):
            parts.append(f"{rejected} 行有问题未导入")
        return "；".join(parts) + "。"


# --- reading ---------------------------------------------------------------------------------


def file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def still_current(result: ImportPreview) -> bool:
    """Whether neither the file nor the database changed since the preview was made."""
    return (result.file_stamp is not None and file_stamp(result.path) == result.file_stamp
            and (result.plan is None or result.plan.still_current()))


def read_checked(path: str | Path, specs: list[ColumnSpec], kind: str, *, progress: Progress | None,
                 cancelled: CancelCheck | None,
                 mapping: dict[str, str | None] | None = None) -> tuple[SheetResult, ImportPreview]:
    """read_sheet plus the file-level verdicts every importer shares."""
    path = Path(path)
    stamp = file_stamp(path)
    parse_mapping(mapping, specs)  # an unknown field is refused before anything is read
    try:
        found = import_columns.choices(path, specs, kind, mapping)
    except ExcelFileError:
        found = []  # read_sheet says what is wrong with the file
    # Unknown headers whose values say what they are (phones, dates …) are read as that field.
    guessed = {c.header: c.field for c in found if c.how in (import_columns.HOW_VALUES, import_columns.HOW_OWN)}
    sheet = read_sheet(path, specs, progress=progress, cancelled=cancelled,
                       mapping=parse_mapping({**guessed, **(mapping or {})}, specs))
    result = ImportPreview(path=path, kind=kind, sheet=sheet.sheet, header_row=sheet.header_row,
                           columns=dict(sheet.columns), file_stamp=stamp, mapping=mapping, choices=found,
                           unknown_columns=[c for c in sheet.unknown_columns if c not in IGNORED_HEADERS],
                           file_errors=list(sheet.file_errors),
                           skipped_example_rows=list(sheet.skipped_example_rows),
                           skipped_summary_rows=list(sheet.skipped_summary_rows))
    result.total_rows = len(sheet.rows)
    asked = [c.header for c in found if c.asks and c.header not in sheet.duplicate_columns]
    if asked and not result.file_errors:
        kinds = "、".join(f"「{c.header}」（{guess.KIND_LABELS.get(c.kind, '内容')}）"
                         for c in found if c.header in asked)
        result.file_errors.append(f"以下列有日期或数字，但不知道对应哪一项：{kinds}。请在「列对应」中为它选择字段，"
                                  f"或选择「{SKIP_FIELD}」（命令行：--map \"{asked[0]}=字段\"）。")
    if not result.file_errors and not sheet.rows:
        extra = "（模板中的示例行不会导入）" if sheet.skipped_example_rows else ""
        result.file_errors.append(f"「{path.name}」的工作表「{sheet.sheet}」中表头下面没有数据行{extra}。")
    if progress is not None and not result.file_errors:
        progress(result.total_rows, result.total_rows, "正在检查数据…")
    return sheet, result


SKIP_FIELD = "不导入"


def parse_mapping(mapping: dict[str, str | None] | None, specs: list[ColumnSpec]) -> dict[str, str | None] | None:
    """The clerk's mapping with fields named by key, title or alias (「不导入」 → None); an unknown
    field is refused with the fields there are."""
    if not mapping:
        return None
    names = {}
    for spec in specs:
        for name in (spec.key, spec.title, *spec.aliases):
            names.setdefault(normalize_header(name), spec.key)
    out: dict[str, str | None] = {}
    for header, field_name in mapping.items():
        if field_name is None or normalize_header(field_name) in (SKIP_FIELD, "", "skip", "none"):
            out[header] = None
            continue
        key = names.get(normalize_header(field_name))
        if key is None:
            fields = "、".join(spec.title for spec in specs)
            raise CivDeskError(f"没有名为「{field_name}」的字段（可用：{fields}、{SKIP_FIELD}）。")
        out[header] = key
    return out


def rows_in(sheet: SheetResult) -> list[RowIn]:
    """The rows for the service: the values of the file's columns, and the cells already refused."""
    return [RowIn(r.row_number, r.values, frozenset(e.key for e in r.errors) if r.errors else NOTHING_UNREAD, True)
            for r in sheet.rows]


def take_plan(result: ImportPreview, sheet: SheetResult, plan: Plan, specs: list[ColumnSpec]) -> ImportPreview:
    """The service's verdict, shown as cells: each problem under the column header the file
    uses, after the problems found while reading, in row and column order."""
    order = {spec.key: i for i, spec in enumerate(specs)}
    titles = {spec.key: spec.title for spec in specs}

    def cell(p: Problem) -> CellError:
        return CellError(p.row, sheet.columns.get(p.key) or titles.get(p.key, p.key), p.message, p.key)

    result.plan = plan
    result.errors = sheet.errors + [cell(p) for p in plan.problems]
    result.errors.sort(key=lambda e: (e.row, order.get(e.key, 99)))
    first = next(iter(sheet.columns.values()), "")
    result.notices = [CellError(row, first, f"合计、备注等说明行（「{text}」），已跳过") for row, text in
                      result.skipped_summary_rows] + [cell(p) for p in plan.notices]
    result.skipped = plan.skipped
    return result


def start_report(result: ImportPreview, dry_run: bool) -> ImportReport:
    if result.file_errors:
        raise ImportFileError("；".join(result.file_errors))
    return ImportReport(skipped=result.skipped, errors=list(result.errors), dry_run=dry_run, kind=result.kind,
                        unknown_columns=list(result.unknown_columns), notices=list(result.notices),
                        columns=dict(result.columns), importable=result.importable, updatable=result.updatable,
                        choices=list(result.choices), conversions=dict(result.conversions))


def columns_json(columns: dict[str, str], unknown: list[str],
                 choices: list[ColumnChoice] | None = None) -> dict[str, Any]:
    """Every column's fate for --json: the field each header was read as, and those not imported."""
    out: dict[str, Any] = {"columns": [{"column": header, "field": key} for key, header in columns.items()],
                           "ignored_columns": list(unknown)}
    if choices:
        out["mapping"] = [{"column": c.header, "field": c.field, "how": c.how, "values": c.kind}
                          for c in choices]
    return out


def refusal_json(result: ImportPreview) -> dict[str, Any]:
    """A file refused as a whole (a missing column, no header …), for --json on stdout."""
    return {"imported": 0, "updated": 0, "refused": list(result.file_errors),
            **columns_json(result.columns, result.unknown_columns, result.choices)}


def finish_report(report: ImportReport, outcome: Outcome) -> ImportReport:
    report.imported, report.updated = outcome.imported, outcome.updated
    report.written, report.backup_path = outcome.written, outcome.backup_path
    return report


# --- the list of rejected rows ---------------------------------------------------------------


def write_error_list(result: ImportPreview, out: str | Path) -> int:
    """The rejected rows exactly as the file holds them, with the reasons in an extra column,
    so the clerk can fix them and import this list again.  Returns the number of rows."""
    rejected = result.rejected_rows
    if not rejected or result.header_row is None:
        raise CivDeskError("没有需要改正的行。")
    reasons: dict[int, list[str]] = {}
    for e in result.errors:
        reasons.setdefault(e.row, []).append(f"{e.column}：{e.message}")
    path = Path(result.path)
    header, rows = _rows_as_written(path, result.sheet, result.header_row, set(rejected))
    while header and header[-1] is None:
        header.pop()
    width = max([len(header)] + [len(r) - 1 for r in rows])
    titles = [ROW_COLUMN] + [(" ".join(str(h).split()) if h is not None else "") for h in header]
    titles += [""] * (width + 1 - len(titles))
    columns: list = [(ROW_COLUMN, 8)]
    for title in titles[1:]:
        columns.append((title, 16, "text") if title and is_text_column(title) else (title, 16))
    columns.append((ERROR_COLUMN, 60))
    data = []
    for r in rows:
        cells = list(r[1:]) + [None] * (width - (len(r) - 1))
        data.append([r[0], *cells[:width], "；".join(reasons.get(r[0], []))])
    write_table(out, "需改正的行", columns, data,
                note=f"「{path.name}」中未能导入的 {len(data)} 行：请按「{ERROR_COLUMN}」改正后重新导入本表")
    return len(data)


def _rows_as_written(path: Path, sheet: str, header_row: int, wanted: set[int]) -> tuple[list, list[list]]:
    """The header and the *wanted* rows (each led by its row number), values as the file holds them."""
    try:
        with path.open("rb") as fh:
            wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
            try:
                ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
                ws.reset_dimensions()
                header: list = []
                rows: list[list] = []
                last = max(wanted)
                for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    if number == header_row:
                        header = list(values)
                    elif number in wanted:
                        rows.append([number, *values])
                    if number >= last:
                        break
            finally:
                wb.close()
    except OSError as exc:
        raise ExcelFileError(f"无法再次读取「{path.name}」（{exc.strerror or exc}），可能已被移动或删除。") from exc
    return header, rows
