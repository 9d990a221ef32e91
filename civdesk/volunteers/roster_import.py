"""Import volunteers from a clerk's Excel roster: preview every problem, then write in bulk.

``preview`` reads and checks the whole file without writing anything; ``run`` previews and,
when the file is acceptable (or ``skip_invalid`` is set), backs the database up and writes the
new volunteers with :func:`civdesk.core.changes.create_many` in one transaction.  The checks are
those of :func:`civdesk.volunteers.roster.clean`, done for a whole file at once: the ID
numbers already registered are loaded in one query instead of one query per row.

The preview/report types and the error-list writer are shared with the hours import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from civdesk.core import backup, changes, db, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import Checked
from civdesk.office import offices as office_service
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import ID_TYPES, SEXES, Volunteer
from civdesk.xlsx.read import (
    CellError,
    ColumnSpec,
    ExcelFileError,
    ImportCancelled,
    SheetResult,
    read_sheet,
)
from civdesk.xlsx.write import write_table

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportPreview",
    "ImportReport",
    "apply",
    "preview",
    "run",
    "write_error_list",
]

Progress = Callable[[int, int, str], None]
RESIDENT_ID = ID_TYPES[0]
ERROR_COLUMN = "错误原因"
ROW_COLUMN = "原行号"
# Columns our own error list adds: a clerk re-importing the fixed list should not be told
# they are unknown.
IGNORED_HEADERS = {ERROR_COLUMN, ROW_COLUMN}


class ImportFileError(CivDeskError):
    """The file as a whole cannot be imported (missing columns, no data rows)."""


# --- the columns ---------------------------------------------------------------------------


def clean_name(value: object) -> Checked:
    text = value if isinstance(value, str) else validation.normalize_text(value)
    if " " in text:
        # Rosters pad two-character names to line up with three-character ones ("张  三");
        # Latin names keep one space between words.
        text = re.sub(r"\s+", " ", text)
        text = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
    if len(text) > 30:
        return Checked(None, "姓名不能超过 30 个字")
    return Checked(text, None)


def _id_type(value: object) -> Checked:
    text = validation.normalize_text(value).replace(" ", "")
    if text in ("身份证", "居民身份证", "二代身份证", "身份证号"):
        return Checked(RESIDENT_ID, None)
    if text in ID_TYPES:
        return Checked(text, None)
    return Checked(None, f"证件类型只能是：{'、'.join(ID_TYPES)}")


def _sex(value: object) -> Checked:
    text = validation.normalize_text(value).replace(" ", "")
    text = {"男性": "男", "女性": "女", "M": "男", "F": "女", "m": "男", "f": "女"}.get(text, text)
    if text in SEXES:
        return Checked(text, None)
    return Checked(None, "性别只能是「男」或「女」")


def _date(label: str) -> Callable[[object], Checked]:
    def parse(value: object) -> Checked:
        return validation.date_value(value, label)
    return parse


def _phone(value: object) -> Checked:
    return validation.phone(value, required=False)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return validation.normalize_text(value)


def _example_id() -> str:
    body = "51011419900305002"
    return body + validation.id_check_digit(body)


COLUMNS: list[ColumnSpec] = [
    ColumnSpec("name", "姓名", ("名字", "志愿者姓名"), required=True, parse=clean_name, example="张三",
               help="志愿者本人姓名，不超过 30 个字"),
    ColumnSpec("id_number", "证件号码", ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号"), required=True,
               example=_example_id(), text=True,
               help="18 位居民身份证号码，最后一位可以是 X；请把该列设为文本，避免 Excel 变成科学计数法"),
    ColumnSpec("id_type", "证件类型", (), parse=_id_type, example=RESIDENT_ID,
               help=f"不填即为居民身份证；可填：{'、'.join(ID_TYPES)}"),
    ColumnSpec("sex", "性别", (), parse=_sex, example="女", help="男或女；居民身份证可不填，按号码自动判断"),
    ColumnSpec("birth_date", "出生日期", ("出生年月日", "生日"), parse=_date("出生日期"), example="1990-03-05",
               help="居民身份证可不填，按号码自动判断；其他证件请填写，如 1990-03-05"),
    ColumnSpec("phone", "手机号码", ("联系电话", "手机号", "电话", "手机", "联系方式", "电话号码"), parse=_phone,
               example="13812345678", text=True, help="11 位手机号码；也可以填带区号的座机号码，如 028-83951234"),
    ColumnSpec("ethnicity", "民族", (), example="汉族"),
    ColumnSpec("political_status", "政治面貌", (), example="群众"),
    ColumnSpec("education", "学历", ("文化程度",), example="高中"),
    ColumnSpec("employer", "工作单位", ("单位", "工作单位及职务"), example=""),
    ColumnSpec("village_id", "所属村（社区）", ("所属村/社区", "村社区", "村/社区", "村", "社区", "所属村", "所属社区"),
               example="", help="村（社区）名称，须是 设置 → 本单位 中已有的村（社区）；村（社区）电脑上可不填"),
    ColumnSpec("address", "居住地址", ("现住址", "地址", "家庭住址", "住址"), example="清溪镇桂花村 3 组 12 号"),
    ColumnSpec("skills", "技能特长", ("特长", "技能"), example="急救"),
    ColumnSpec("service_category", "服务类别", ("服务意向", "服务类型", "服务领域"), example="敬老助残"),
    ColumnSpec("join_date", "注册日期", ("加入日期", "入队日期", "登记日期"), parse=_date("注册日期"),
               example="2024-03-05", help="不填即为导入当天"),
    ColumnSpec("note", "备注", (), example=""),
]
_TEXT_KEYS = ("ethnicity", "political_status", "education", "employer", "address", "skills", "service_category")
# What a changed cell may update on a volunteer already registered (never the ID or the name,
# which identify them).
UPDATABLE = ("sex", "birth_date", "phone", "village_id", "join_date", *_TEXT_KEYS, "note")


# --- results -------------------------------------------------------------------------------


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
    to_create: list[dict] = field(default_factory=list)
    to_update: list[tuple[int, str, dict]] = field(default_factory=list)  # (row, record id, changes)
    extra: dict[str, Any] = field(default_factory=dict)
    # What the preview was computed against, so that writing it later can tell whether it is
    # still true: the file (size, mtime) and the newest change in the database.
    file_stamp: tuple[int, int] | None = None
    db_clock: str | None = None
    update_existing: bool = False
    today: dt.date | None = None

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

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def as_json(self) -> dict:
        out: dict[str, Any] = {"imported": self.imported, "updated": self.updated, "skipped": self.skipped,
                               "errors": [{"row": e.row, "column": e.column, "message": e.message}
                                          for e in self.errors]}
        if self.dry_run:
            out["dry_run"] = True
        return out

    def summary(self) -> str:
        """A readable Chinese summary (command line and the import dialog)."""
        noun = "名志愿者" if self.kind == "volunteers" else "条服务记录"
        rejected = len(self.rejected_rows)
        if self.dry_run:
            head = f"试运行（没有写入数据库）：将导入 {self.imported} {noun}"
            if self.updated:
                head += f"，更新 {self.updated} {noun}"
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


def database_clock() -> str | None:
    """The newest change-log stamp: any synced write since a preview changes it."""
    return database.execute_sql("SELECT MAX(hlc) FROM change_log").fetchone()[0]


def still_current(result: ImportPreview) -> bool:
    """Whether neither the file nor the database changed since the preview was made."""
    return (result.file_stamp is not None and file_stamp(result.path) == result.file_stamp
            and database_clock() == result.db_clock)


def read_checked(path: str | Path, specs: list[ColumnSpec], kind: str, *, progress: Progress | None,
                 cancelled: Callable[[], bool] | None) -> tuple[SheetResult, ImportPreview]:
    """read_sheet plus the file-level verdicts every importer shares."""
    path = Path(path)
    stamp = file_stamp(path)
    clock = database_clock()
    sheet = read_sheet(path, specs, progress=progress, cancelled=cancelled)
    result = ImportPreview(path=path, kind=kind, sheet=sheet.sheet, header_row=sheet.header_row,
                           columns=dict(sheet.columns), file_stamp=stamp, db_clock=clock,
                           unknown_columns=[c for c in sheet.unknown_columns if c not in IGNORED_HEADERS],
                           file_errors=list(sheet.file_errors),
                           skipped_example_rows=list(sheet.skipped_example_rows))
    result.total_rows = len(sheet.rows)
    if not result.file_errors and not sheet.rows:
        extra = "（模板中的示例行不会导入）" if sheet.skipped_example_rows else ""
        result.file_errors.append(f"「{path.name}」的工作表「{sheet.sheet}」中表头下面没有数据行{extra}。")
    return sheet, result


def _shown(sheet: SheetResult, key: str) -> str:
    if key in sheet.columns:
        return sheet.columns[key]
    for spec in COLUMNS:
        if spec.key == key:
            return spec.title
    return key


class _Villages:
    """Village names to ids, and this PC's own village when it is a village PC."""

    _SUFFIXES = ("村民委员会", "居民委员会", "社区居委会", "村委会", "居委会")

    def __init__(self) -> None:
        rows = office_service.names("village", include_deleted=False).items()
        self.by_name = {name: oid for oid, name in rows}
        self.ids = set(self.by_name.values())
        self.names = {oid: name for name, oid in self.by_name.items()}
        own = office_service.own_office_or_none()
        self.own = own if own is not None and own.kind == "village" else None
        self.cache: dict[str, tuple[str | None, str | None]] = {}

    def resolve(self, value: object) -> tuple[str | None, str | None]:
        """(village id, error message)."""
        text = cell_text(value).replace(" ", "")
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._resolve(text)
        return found

    def _resolve(self, text: str) -> tuple[str | None, str | None]:
        own = self.own
        if not text:
            return (own.id if own else None), None
        vid = None
        if text in self.ids:
            vid = text
        else:
            stem = text
            for suffix in self._SUFFIXES:
                if stem.endswith(suffix) and len(stem) > len(suffix):
                    stem = stem[:-len(suffix)]
                    break
            for candidate in (text, stem, stem + "村", stem + "社区"):
                if candidate in self.by_name:
                    vid = self.by_name[candidate]
                    break
        if own is not None:
            if vid == own.id or text == own.name:
                return own.id, None
            return None, f"本机属于「{own.name}」，只能导入本村（社区）的志愿者，这一行是「{text}」"
        if vid is None:
            return None, f"没有名为「{text}」的村/社区，请先在 设置 → 本单位 中添加，或改成已有的名称"
        return vid, None


def _existing_by_id_number(numbers: list[str]) -> dict[str, tuple[str, str, str]]:
    """ID number -> (volunteer id, name, volunteer number) of live volunteers, in one query
    (the whole register is one indexed scan; chunked IN lists would take longer for big files)."""
    if not numbers:
        return {}
    wanted = set(numbers)
    cursor = database.execute_sql(
        "SELECT id_number, id, name, number FROM volunteer WHERE deleted = 0 AND id_number != ''")
    return {row[0]: (row[1], row[2], row[3]) for row in cursor if row[0] in wanted}


# --- checking ------------------------------------------------------------------------------


def _check_identity(v: dict, err_keys: set, today: dt.date) -> tuple[dict, list[tuple[str, str]]]:
    """ID type, number, sex and birth date, as volunteers.clean checks them."""
    out: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    id_type = v.get("id_type") or RESIDENT_ID
    out["id_type"] = id_type
    raw = v.get("id_number")
    sex = v.get("sex") or ""
    birth = v.get("birth_date")
    if raw is None or "id_type" in err_keys:
        out["id_number"] = None
    elif id_type == RESIDENT_ID:
        checked = validation.id_number(raw, today=today)
        if checked.error is None:
            idn = checked.value
            out["id_number"] = idn.number
            if sex and sex != idn.sex and "sex" not in err_keys:
                problems.append(("sex", f"性别与身份证号码不符：按号码应为「{idn.sex}」"))
            if birth is not None and birth != idn.birth_date:
                problems.append(("birth_date", f"出生日期与身份证号码不符：按号码应为 {idn.birth_date.isoformat()}"))
            sex, birth = idn.sex, idn.birth_date
        else:
            out["id_number"] = None
            problems.append(("id_number", checked.error))
    else:
        number = re.sub(r"\s+", "", cell_text(raw)).upper()
        if not volunteers._OTHER_ID.fullmatch(number):
            problems.append(("id_number", "证件号码应为 5–24 位字母或数字"))
            number = None
        out["id_number"] = number
    out["sex"] = sex
    out["birth_date"] = birth
    return out, problems


def preview(path: str | Path, actor: Actor, progress: Progress | None = None,
            cancelled: Callable[[], bool] | None = None, *, update_existing: bool = False,
            today: dt.date | None = None) -> ImportPreview:
    """Read and check every row; nothing is written.  Raises ExcelFileError for a file that
    cannot be read and ImportCancelled when ``cancelled()`` turns true."""
    require(actor, "import_data")
    sheet, result = read_checked(path, COLUMNS, "volunteers", progress=progress, cancelled=cancelled)
    result.update_existing, result.today = update_existing, today
    today = today or dt.date.today()
    if result.file_errors:
        return result
    if progress is not None:
        progress(result.total_rows, result.total_rows, "正在检查数据…")
    villages = _Villages()
    has_village = "village_id" in sheet.columns
    rows: list[tuple[int, dict, list[CellError]]] = []
    first_row: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    for r in sheet.rows:
        v = r.values
        errors = list(r.errors)
        err_keys = {e.key for e in errors}
        out, problems = _check_identity(v, err_keys, today)
        out["name"] = v.get("name")
        phone = v.get("phone")
        out["phone"] = phone or ""
        join = v.get("join_date")
        out["join_date"] = join if join is not None else today
        out["status"] = "active"
        if has_village or villages.own is not None:
            vid, problem = villages.resolve(v.get("village_id"))
            if problem:
                problems.append(("village_id", problem))
            out["village_id"] = vid
        else:
            out["village_id"] = None
        for key in _TEXT_KEYS:
            value = v.get(key)
            out[key] = value if value.__class__ is str else cell_text(value)
        note = v.get("note")
        out["note"] = note if note.__class__ is str else cell_text(note)
        for key, message in problems:
            errors.append(CellError(r.row_number, _shown(sheet, key), message, key))
        number = out["id_number"]
        if number:
            if number in first_row:
                repeats.setdefault(number, [first_row[number]]).append(r.row_number)
            else:
                first_row[number] = r.row_number
        rows.append((r.row_number, out, errors))
        if cancelled is not None and len(rows) % 5000 == 0 and cancelled():
            raise ImportCancelled()

    id_column = _shown(sheet, "id_number")
    for number, where in repeats.items():
        message = (f"证件号码 {validation.mask_id_number(number)} 在文件中出现了 {len(where)} 次"
                   f"（第 {'、'.join(map(str, where))} 行），请只保留一行")
        for row_number in where:
            result.errors.append(CellError(row_number, id_column, message, "id_number"))
    repeated = {n for where in repeats.values() for n in where}

    existing = _existing_by_id_number(list(first_row))
    current = _load_current([found[0] for found in existing.values()]) if update_existing else {}
    shown_columns = set(sheet.columns)
    for row_number, out, errors in rows:
        number = out["id_number"]
        found = existing.get(number) if number else None
        if found is not None and not errors and row_number not in repeated:
            vid, name, vnumber = found
            if name != out["name"]:
                errors.append(CellError(row_number, id_column,
                                        f"证件号码 {validation.mask_id_number(number)} 已登记为志愿者「{name}」"
                                        f"（编号 {vnumber}），与本行姓名「{out['name']}」不符，不能重复登记", "id_number"))
            elif update_existing:
                diff = _changes(current.get(vid), out, shown_columns)
                if diff:
                    result.to_update.append((row_number, vid, diff))
                    result.notices.append(CellError(row_number, id_column, f"已登记为「{name}」（编号 {vnumber}），"
                                                    f"将更新：{_labels(diff)}", "id_number"))
                else:
                    result.skipped += 1
                    result.notices.append(CellError(row_number, id_column,
                                                    f"已登记为「{name}」（编号 {vnumber}），信息相同，跳过", "id_number"))
                continue
            else:
                result.skipped += 1
                result.notices.append(CellError(row_number, id_column,
                                                f"已登记为「{name}」（编号 {vnumber}），跳过", "id_number"))
                continue
        if errors:
            result.errors.extend(errors)
        elif row_number not in repeated:
            out["scope"] = out["village_id"]
            result.to_create.append(out)
    order = {spec.key: i for i, spec in enumerate(COLUMNS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.key, 99)))
    return result


def _load_current(ids: list[str]) -> dict[str, dict]:
    found = {}
    for start in range(0, len(ids), 500):
        for row in Volunteer.select().where(Volunteer.id << ids[start:start + 500]):
            found[row.id] = {f: getattr(row, f) for f in volunteers.EDITABLE}
    return found


def _changes(current: dict | None, new: dict, shown_columns: set[str]) -> dict:
    """Fields whose cell was filled in and differs; an empty cell never erases what is known."""
    if current is None:
        return {}
    diff = {}
    for key in UPDATABLE:
        value = new.get(key)
        if value in (None, ""):
            continue
        if key in ("sex", "birth_date"):
            if new.get("id_type") == RESIDENT_ID and current.get(key):
                continue  # derived from the same ID number
        elif key not in shown_columns:
            continue  # a default (today's join date, this PC's village), not what the file says
        if value != current.get(key):
            diff[key] = value
    return diff


def _labels(diff: dict) -> str:
    return "、".join(Volunteer.field_labels.get(k, k) for k in diff)


# --- writing -------------------------------------------------------------------------------


def apply(result: ImportPreview, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
          progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Write what a preview found (all or nothing unless ``skip_invalid``).  A preview the file
    or the database has moved on from is made again first, so nothing stale is written."""
    require(actor, "import_data")
    if not still_current(result):
        result = preview(result.path, actor, progress, cancelled, update_existing=result.update_existing,
                         today=result.today)
    if result.file_errors:
        raise ImportFileError("；".join(result.file_errors))
    report = ImportReport(skipped=result.skipped, errors=list(result.errors), dry_run=dry_run, kind=result.kind,
                          unknown_columns=list(result.unknown_columns), notices=list(result.notices))
    if result.to_update:
        require(actor, "edit_volunteers")
    if result.errors and not skip_invalid:
        return report
    report.imported, report.updated = result.importable, result.updatable
    if dry_run or not (result.to_create or result.to_update):
        return report
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    db.ensure_writable()
    total = result.importable + result.updatable
    if progress is not None:
        progress(0, total, "正在备份数据库…")
    report.backup_path = backup.make_backup("before-import")
    if progress is not None:
        progress(0, total, f"正在写入 {total} 条记录，请稍候…")
    name = Path(result.path).name
    with database.atomic():
        if result.to_create:
            prefix = volunteers.number_prefix()
            first = volunteers.next_number(prefix, taken=0)
            start = int(first[len(prefix):])
            # next_number(taken=i) for every row, without one MAX() query per row.
            for i, values in enumerate(result.to_create):
                values["number"] = f"{prefix}{start + i:06d}"
            changes.create_many(Volunteer, actor, result.to_create,
                                note=f"从「{name}」导入 {result.importable} 名志愿者")
        for done, (_row, vid, diff) in enumerate(result.to_update, start=1):
            volunteers.update(actor, vid, diff)
            if progress is not None and done % 200 == 0:
                progress(result.importable + done, total, f"正在更新第 {done} 名已登记的志愿者…")
    report.written = True
    if progress is not None:
        progress(total, total, "导入完成")
    return report


def run(path: str | Path, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
        update_existing: bool = False, progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None, today: dt.date | None = None) -> ImportReport:
    """Preview and import a volunteer roster.  Any rejected row means nothing is written,
    unless ``skip_invalid``; ``dry_run`` writes nothing in any case."""
    require(actor, "import_data")
    if update_existing:
        require(actor, "edit_volunteers")
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    result = preview(path, actor, progress, cancelled, update_existing=update_existing, today=today)
    return apply(result, actor, skip_invalid=skip_invalid, dry_run=dry_run, progress=progress, cancelled=cancelled)


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
    wanted = set(rejected)
    path = Path(result.path)
    try:
        with path.open("rb") as fh:
            wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
            try:
                ws = wb[result.sheet] if result.sheet in wb.sheetnames else wb.worksheets[0]
                ws.reset_dimensions()
                header: list = []
                rows: list[list] = []
                last = max(wanted)
                for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    if number == result.header_row:
                        header = list(values)
                    elif number in wanted:
                        rows.append([number, *values])
                    if number >= last:
                        break
            finally:
                wb.close()
    except OSError as exc:
        raise ExcelFileError(f"无法再次读取「{path.name}」（{exc.strerror or exc}），可能已被移动或删除。") from exc
    while header and header[-1] is None:
        header.pop()
    width = max([len(header)] + [len(r) - 1 for r in rows])
    titles = [ROW_COLUMN] + [(" ".join(str(h).split()) if h is not None else "") for h in header]
    titles += [""] * (width + 1 - len(titles))
    columns: list = [(ROW_COLUMN, 8)]
    for title in titles[1:]:
        columns.append((title, 16, "text") if title and _is_text_header(title) else (title, 16))
    columns.append((ERROR_COLUMN, 60))
    data = []
    for r in rows:
        cells = list(r[1:]) + [None] * (width - (len(r) - 1))
        data.append([r[0], *cells[:width], "；".join(reasons.get(r[0], []))])
    write_table(out, "需改正的行", columns, data,
                note=f"「{path.name}」中未能导入的 {len(data)} 行：请按「{ERROR_COLUMN}」改正后重新导入本表")
    return len(data)


def _is_text_header(title: str) -> bool:
    from civdesk.xlsx.read import is_text_column

    return is_text_column(title)
