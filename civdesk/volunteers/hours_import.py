"""Import service records (志愿服务记录) from Excel: same preview / run / report as volunteers.

A row names the volunteer by ID number or volunteer number, and the name must match.  Hours
go in steps of 0.5; the service date may not be in the future and must fall within the named
activity's dates; one person's day holds at most 24 hours across this file and the records
already in the database.  Imported records are pending: a reviewer approves them later.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from peewee import fn

from civdesk.core import backup, changes, db, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.validation import Checked, ValidationError
from civdesk.volunteers import hours
from civdesk.volunteers.models import Activity, ActivityParticipant, ServiceRecord, Volunteer
from civdesk.volunteers.roster_import import (
    ImportFileError,
    ImportPreview,
    ImportReport,
    Progress,
    cell_text,
    clean_name,
    read_checked,
    still_current,
)
from civdesk.xlsx.read import CellError, ColumnSpec, ImportCancelled

__all__ = ["COLUMNS", "apply", "preview", "run"]


def _hours(value: object) -> Checked:
    try:
        return Checked(hours.parse_hours(value), None)
    except ValidationError as exc:
        return Checked(None, "；".join(exc.errors.values()))


def _service_date(value: object) -> Checked:
    return validation.date_value(value, "服务日期")


def _example_id() -> str:
    body = "51011419900305002"
    return body + validation.id_check_digit(body)


COLUMNS: list[ColumnSpec] = [
    ColumnSpec("name", "姓名", ("名字", "志愿者姓名"), required=True, parse=clean_name, example="张三",
               help="志愿者姓名，须与证件号码或志愿者编号对应的志愿者一致"),
    ColumnSpec("id_number", "证件号码", ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号"),
               example=_example_id(), text=True, help="证件号码和志愿者编号至少填一项"),
    ColumnSpec("number", "志愿者编号", ("编号", "志愿者号"), example="", text=True,
               help="证件号码和志愿者编号至少填一项"),
    ColumnSpec("service_date", "服务日期", ("日期", "活动日期"), required=True, parse=_service_date,
               example="2024-03-05", help="如 2024-03-05；不能晚于今天，有活动时须在活动日期内"),
    ColumnSpec("hours", "服务时长（小时）", ("服务时长", "时长", "小时数", "服务小时数", "时长(小时)", "服务时间"),
               required=True, parse=_hours, example="2.5", help="按 0.5 小时计，如 2 或 1.5；一人一天合计不超过 24 小时"),
    ColumnSpec("activity", "活动名称", ("活动", "志愿活动", "服务项目"), example="",
               help="可不填；填写时须与 队伍与活动 中已有的活动名称一致"),
    ColumnSpec("content", "服务内容", ("内容", "服务事项"), example="上门陪伴空巢老人"),
]
_ORDER = {spec.key: i for i, spec in enumerate(COLUMNS)}
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")


def _identifier(value: object) -> tuple[str | None, str | None]:
    """(normalised ID number, error) for the lookup; masked numbers count as absent."""
    if value is None:
        return None, None
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1e15:
            return None, "证件号码被 Excel 存成了科学计数法，后几位已丢失，请把该列设为文本后重新填写"
        value = int(value) if value.is_integer() else value
    text = re.sub(r"\s+", "", cell_text(value)).replace("×", "X").upper()
    if "*" in text:
        return None, None
    if _SCIENTIFIC.fullmatch(text):
        return None, "证件号码被 Excel 存成了科学计数法，后几位已丢失，请把该列设为文本后重新填写"
    return text or None, None


def _lookup(column: str, keys: set[str]) -> dict[str, tuple[str, str, str | None]]:
    """key -> (volunteer id, name, scope) for live volunteers, in chunks of 500."""
    found: dict[str, tuple[str, str, str | None]] = {}
    keys_list = sorted(keys)
    for start in range(0, len(keys_list), 500):
        chunk = keys_list[start:start + 500]
        marks = ",".join("?" * len(chunk))
        cursor = database.execute_sql(
            f"SELECT {column}, id, name, scope FROM volunteer WHERE deleted = 0 AND {column} IN ({marks})", chunk)
        for key, vid, name, scope in cursor:
            found[key] = (vid, name, scope)
    return found


def _activities(names: set[str]) -> dict[str, list[Activity]]:
    found: dict[str, list[Activity]] = {}
    if not names:
        return found
    query = (Activity.select().where((Activity.deleted == False) & (Activity.name << sorted(names)))  # noqa: E712
             .order_by(Activity.start_date.desc()))
    for activity in query:
        found.setdefault(activity.name, []).append(activity)
    return found


def _day_totals(volunteer_ids: set[str], first: dt.date, last: dt.date) -> dict[tuple[str, dt.date], int]:
    """Half-hours already recorded per (volunteer, day), as hours.check_day_limit counts them."""
    totals: dict[tuple[str, dt.date], int] = {}
    ids = sorted(volunteer_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        query = (ServiceRecord.select(ServiceRecord.volunteer_id, ServiceRecord.service_date,
                                      fn.SUM(ServiceRecord.half_hours))
                 .where((ServiceRecord.volunteer_id << chunk) & ServiceRecord.service_date.between(first, last)
                        & hours.counts_toward_day_limit())
                 .group_by(ServiceRecord.volunteer_id, ServiceRecord.service_date).tuples())
        for vid, day, total in query:
            totals[(vid, dt.date.fromisoformat(str(day)[:10]))] = total
    return totals


def _existing_records(volunteer_ids: set[str], first: dt.date, last: dt.date) -> set[tuple]:
    """(volunteer, day, activity, half-hours) of records already entered (not rejected)."""
    seen: set[tuple] = set()
    ids = sorted(volunteer_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        query = (ServiceRecord.select(ServiceRecord.volunteer_id, ServiceRecord.service_date,
                                      ServiceRecord.activity_id, ServiceRecord.half_hours)
                 .where((ServiceRecord.volunteer_id << chunk) & ServiceRecord.service_date.between(first, last)
                        & ServiceRecord.corrects_id.is_null() & ~hours.decided("rejected")).tuples())
        for vid, day, activity_id, half in query:
            seen.add((vid, dt.date.fromisoformat(str(day)[:10]), activity_id, half))
    return seen


def preview(path: str | Path, actor: Actor, progress: Progress | None = None,
            cancelled: Callable[[], bool] | None = None, *, today: dt.date | None = None) -> ImportPreview:
    """Read and check every row of an hours file; nothing is written."""
    require(actor, "import_data")
    require(actor, "enter_hours")
    sheet, result = read_checked(path, COLUMNS, "hours", progress=progress, cancelled=cancelled)
    result.today = today
    today = today or dt.date.today()
    if not result.file_errors and "id_number" not in sheet.columns and "number" not in sheet.columns:
        result.file_errors.append("缺少「证件号码」或「志愿者编号」列：至少要有其中一列，用来确认是哪一名志愿者。")
    if result.file_errors:
        return result
    if progress is not None:
        progress(result.total_rows, result.total_rows, "正在检查数据…")

    def shown(key: str) -> str:
        return sheet.columns.get(key) or COLUMNS[_ORDER[key]].title

    parsed = []
    id_keys: set[str] = set()
    number_keys: set[str] = set()
    activity_names: set[str] = set()
    for r in sheet.rows:
        v = r.values
        errors = list(r.errors)
        idn, problem = _identifier(v.get("id_number"))
        if problem:
            errors.append(CellError(r.row_number, shown("id_number"), problem, "id_number"))
        number = re.sub(r"\s+", "", cell_text(v.get("number"))).upper() or None
        if idn:
            id_keys.add(idn)
        if number:
            number_keys.add(number)
        if not idn and not number and not problem:
            column = shown("id_number") if "id_number" in sheet.columns else shown("number")
            key = "id_number" if "id_number" in sheet.columns else "number"
            errors.append(CellError(r.row_number, column, "证件号码和志愿者编号至少要填一项", key))
        activity = cell_text(v.get("activity")) or None
        if activity:
            activity_names.add(activity)
        parsed.append((r, idn, number, activity, errors))

    by_id = _lookup("id_number", id_keys)
    by_number = _lookup("number", number_keys)
    activities = _activities(activity_names)

    checked = []
    for r, idn, number, activity_name, errors in parsed:
        v = r.values
        row = r.row_number
        volunteer = None
        a = by_id.get(idn) if idn else None
        b = by_number.get(number) if number else None
        if idn and a is None:
            errors.append(CellError(row, shown("id_number"),
                                    f"找不到证件号码为 {validation.mask_id_number(idn)} 的志愿者，请先登记该志愿者",
                                    "id_number"))
        if number and b is None:
            errors.append(CellError(row, shown("number"), f"找不到编号为「{number}」的志愿者", "number"))
        if a is not None and b is not None and a[0] != b[0]:
            errors.append(CellError(row, shown("number"),
                                    f"证件号码对应的是「{a[1]}」，志愿者编号「{number}」对应的是「{b[1]}」，不是同一人",
                                    "number"))
        else:
            volunteer = a or b
        name = v.get("name")
        if volunteer is not None and name and name != volunteer[1]:
            by = f"证件号码 {validation.mask_id_number(idn)}" if a is not None else f"志愿者编号「{number}」"
            errors.append(CellError(row, shown("name"),
                                    f"姓名「{name}」与{by}对应的志愿者「{volunteer[1]}」不符", "name"))
        day = v.get("service_date")
        if day is not None and day > today:
            errors.append(CellError(row, shown("service_date"),
                                    f"服务日期 {day.isoformat()} 还没到，不能提前记录", "service_date"))
        activity = None
        if activity_name:
            candidates = activities.get(activity_name, [])
            if not candidates:
                errors.append(CellError(row, shown("activity"),
                                        f"找不到名为「{activity_name}」的活动，请先在 队伍与活动 中添加，或不填活动名称",
                                        "activity"))
            elif day is not None:
                inside = [c for c in candidates if c.start_date <= day <= c.end_date]
                if inside:
                    activity = inside[0]
                else:
                    spans = "、".join(f"{c.start_date.isoformat()} 至 {c.end_date.isoformat()}" for c in candidates[:3])
                    errors.append(CellError(row, shown("service_date"),
                                            f"服务日期 {day.isoformat()} 不在活动「{activity_name}」的日期内（{spans}）",
                                            "service_date"))
        checked.append((row, volunteer, day, v.get("hours"), activity, cell_text(v.get("content")), errors))

    good = [c for c in checked if not c[6]]
    vids = {c[1][0] for c in good}
    days = [c[2] for c in good]
    totals = _day_totals(vids, min(days), max(days)) if good else {}
    existing = _existing_records(vids, min(days), max(days)) if good else set()
    in_file: dict[tuple, int] = {}
    added: dict[tuple[str, dt.date], int] = {}
    for row, volunteer, day, half, activity, content, errors in checked:
        if errors:
            result.errors.extend(errors)
            continue
        vid, name, scope = volunteer
        activity_id = activity.id if activity else None
        key = (vid, day, activity_id, half)
        if key in in_file:
            what = f"「{activity.name}」" if activity else ""
            result.errors.append(CellError(row, shown("hours"),
                                           f"与第 {in_file[key]} 行重复：{name} {day.isoformat()} {what}"
                                           f"{half / 2:g} 小时出现了两次，请删除重复的一行", "hours"))
            continue
        in_file[key] = row
        if key in existing:
            result.skipped += 1
            result.notices.append(CellError(row, shown("hours"), f"{name} {day.isoformat()} {half / 2:g} 小时"
                                            "已录入过，跳过", "hours"))
            continue
        before = totals.get((vid, day), 0)
        mine = added.get((vid, day), 0)
        if before + mine + half > hours.MAX_HALF_HOURS_PER_DAY:
            parts = []
            if before:
                parts.append(f"已记录 {before / 2:g} 小时")
            if mine:
                parts.append(f"本文件前面的行已有 {mine / 2:g} 小时")
            result.errors.append(CellError(row, shown("hours"),
                                           f"{name} 在 {day.isoformat()} {'，'.join(parts)}，再记录 {half / 2:g} 小时"
                                           "将超过一天 24 小时", "hours"))
            continue
        added[(vid, day)] = mine + half
        result.to_create.append({"volunteer_id": vid, "activity_id": activity_id, "service_date": day,
                                 "half_hours": half, "content": (content or (activity.content if activity else "")),
                                 "scope": scope})
    result.errors.sort(key=lambda e: (e.row, _ORDER.get(e.key, 99)))
    return result


def apply(result: ImportPreview, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
          progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Write what a preview found (made again first if the file or the database changed)."""
    require(actor, "import_data")
    require(actor, "enter_hours")
    if not still_current(result):
        result = preview(result.path, actor, progress, cancelled, today=result.today)
    if result.file_errors:
        raise ImportFileError("；".join(result.file_errors))
    report = ImportReport(skipped=result.skipped, errors=list(result.errors), dry_run=dry_run, kind="hours",
                          unknown_columns=list(result.unknown_columns), notices=list(result.notices))
    if result.errors and not skip_invalid:
        return report
    report.imported = result.importable
    if dry_run or not result.to_create:
        return report
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    db.ensure_writable()
    total = result.importable
    if progress is not None:
        progress(0, total, "正在备份数据库…")
    report.backup_path = backup.make_backup("before-import")
    if progress is not None:
        progress(0, total, f"正在写入 {total} 条服务记录，请稍候…")
    pairs = {(v["activity_id"], v["volunteer_id"]) for v in result.to_create if v["activity_id"]}
    with database.atomic():
        changes.create_many(ServiceRecord, actor, result.to_create,
                            note=f"从「{Path(result.path).name}」导入 {total} 条服务记录（待审核）")
        _add_participants(actor, pairs)
    report.written = True
    if progress is not None:
        progress(total, total, "导入完成")
    return report


def _add_participants(actor: Actor, pairs: set[tuple[str, str]]) -> None:
    """Record who took part in each activity, as entering hours by hand does."""
    if not pairs:
        return
    wanted = {changes.deterministic_id("participant", a, v): (a, v) for a, v in pairs}
    present = set()
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        present.update(p.id for p in ActivityParticipant.select(ActivityParticipant.id)
                       .where((ActivityParticipant.id << ids[start:start + 500])
                              & (ActivityParticipant.deleted == False)))  # noqa: E712
    missing = [pair for pid, pair in wanted.items() if pid not in present]
    if not missing:
        return
    activities = {a.id: a for a in Activity.select().where(Activity.id << sorted({a for a, _ in missing}))}
    people = {}
    vids = sorted({v for _, v in missing})
    for start in range(0, len(vids), 500):
        people.update({p.id: p for p in Volunteer.select().where(Volunteer.id << vids[start:start + 500])})
    for activity_id, volunteer_id in missing:
        hours.add_participant(actor, activities[activity_id], people[volunteer_id])


def run(path: str | Path, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
        progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
        today: dt.date | None = None) -> ImportReport:
    """Preview and import an hours file (records enter as pending)."""
    require(actor, "import_data")
    require(actor, "enter_hours")
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    result = preview(path, actor, progress, cancelled, today=today)
    return apply(result, actor, skip_invalid=skip_invalid, dry_run=dry_run, progress=progress, cancelled=cancelled)

