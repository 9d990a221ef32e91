"""Entering many service records at once (an hours file): the service half of an import.

A row names the volunteer by ID number or volunteer number, and the name must match.  The rules
are those of :func:`hours.enter`: hours in steps of 0.5, a service date not in the future and
within the named activity's dates, at most 24 hours in one person's day across the file and the
records already entered.  Records entered before are skipped, not doubled.  :func:`import_records`
writes the records through :func:`hours.enter_many` (enter's bulk path) after a backup, in one
transaction; they are pending until a reviewer approves them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import fn

from civdesk.core import jobs, validation
from civdesk.core import merges as merging
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.core.validation import ValidationError
from civdesk.volunteers import batch, hours, roster_pending, roster_rules
from civdesk.volunteers.batch import Outcome, Plan, RowIn, text_of
from civdesk.volunteers.models import Activity, ServiceRecord, Volunteer
from civdesk.volunteers.roster_rules import clean_name

_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")
_EXCEL_LOST = "证件号码被 Excel 存成了科学计数法，后几位已丢失，请把该列设为文本后重新填写"
_BLOCK = 500  # ids per IN (...) query


@dataclass(slots=True)
class _Row:
    """One row on its way through the checks."""

    row: int
    problems: list[tuple[str, str]]  # (field, message)
    id_number: str | None = None
    number: str | None = None
    name: str | None = None
    day: dt.date | None = None
    half: int | None = None
    activity_name: str | None = None
    content: str = ""
    volunteer: tuple[str, str, str | None] | None = None  # (id, name, scope)
    activity: Activity | None = None
    conversion: str | None = None  # minutes converted to hours, as the preview shows it
    phone: str = ""  # with the name, who the row means when it has no ID or volunteer number
    village: str = ""


def require_import(actor: Actor) -> None:
    require(actor, "import_data")
    require(actor, "enter_hours")


def check_import(actor: Actor, rows: list[RowIn], *, today: dt.date | None = None,
                 cancelled: CancelCheck | None = None) -> Plan:
    """What importing *rows* would do; nothing is written."""
    require_import(actor)
    plan = batch.new_plan()
    today = today or dt.date.today()
    read = [_read(r) for r in rows]
    jobs.check(cancelled, batch.CANCELLED)
    by_id = _volunteers("id_number", {r.id_number for r in read if r.id_number})
    numbers = {r.number for r in read if r.number}
    by_number = _volunteers("number", numbers)
    # Another system's sheet numbers people by that system's numbers: kept as 原编号 on import.
    by_number.update(_volunteers("original_number", numbers - by_number.keys()))
    activities = _activities({r.activity_name for r in read if r.activity_name})
    named = [r for r in read if not r.id_number and not r.number and r.name and (r.phone or r.village)]
    by_name, named_rows = _ByName(named), {id(r) for r in named}
    for r in read:
        if r.id_number or r.number:
            _identify(r, by_id, by_number)
        elif id(r) in named_rows:
            by_name.identify(r, plan)
        _check_day(r, activities, today)
    good = []
    for r, given in zip(read, rows, strict=True):
        if r.conversion and not r.problems:
            plan.conversions.setdefault(r.conversion, []).append(r.row)
        for key, message in r.problems:
            plan.refuse(r.row, key, message)
        if r.problems or given.unread:
            plan.rejected.add(r.row)
        else:
            good.append(r)
    _check_days(plan, good)
    plan.problems.sort(key=lambda p: p.row)  # the importer orders a row's problems by its columns
    return plan


def _identifier(value: object) -> tuple[str | None, str | None]:
    """(normalised ID number, problem) to find the volunteer by; masked numbers count as absent."""
    if value is None:
        return None, None
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1e15:
            return None, _EXCEL_LOST
        value = int(value) if value.is_integer() else value
    text = re.sub(r"\s+", "", text_of(value)).replace("×", "X").upper()
    if "*" in text:
        return None, None
    if _SCIENTIFIC.fullmatch(text):
        return None, _EXCEL_LOST
    return text or None, None


def _read(given: RowIn) -> _Row:
    """The row's values as the checks need them, and the problems of single cells."""
    v, skip = given.values, given.unread
    r = _Row(given.row, [])
    r.id_number, problem = _identifier(v.get("id_number"))
    if problem:
        r.problems.append(("id_number", problem))
    r.number = re.sub(r"\s+", "", text_of(v.get("number"))).upper() or None
    r.phone = validation.phone(v.get("phone"), required=False).value or ""
    r.village = text_of(v.get("village")).replace(" ", "")
    if not r.id_number and not r.number and not problem and not (r.phone or r.village):
        key = "id_number" if "id_number" in v else "number"
        r.problems.append((key, "证件号码和志愿者编号至少要填一项（都没有时填手机号码或村（社区），按姓名确认）"))
    if "name" not in skip:
        checked = clean_name(v.get("name"))
        r.name = checked.value
        if checked.error:
            r.problems.append(("name", checked.error))
    if "service_date" not in skip:
        checked = validation.date_value(v.get("service_date"), "服务日期")
        r.day = checked.value
        if checked.error:
            r.problems.append(("service_date", checked.error))
    if "hours" not in skip and "minutes" not in skip:
        _read_hours(r, v)
    r.activity_name = text_of(v.get("activity")) or None
    r.content = text_of(v.get("content")) or _content_of(v)
    return r


def _content_of(v: dict) -> str:
    """Project and post joined as the content, for sheets that have no content column."""
    parts = [f"{label}：{text}" for key, label in (("project", "项目"), ("post", "岗位")) if (text := text_of(v.get(key)))]
    return "；".join(parts)


def _read_hours(r: _Row, v: dict) -> None:
    """Hours, or minutes converted by hours.MINUTES_RULE (a minutes column, or "90分钟" in the
    hours column); 「半天」「一天」 are refused with how to write them."""
    key = "hours" if v.get("hours") is not None or "minutes" not in v else "minutes"
    value = v.get(key)
    try:
        hours.refuse_day_words(value)
        if key == "minutes" or hours.in_minutes(value):
            r.half, r.conversion = hours.parse_minutes(value)
        else:
            r.half = hours.parse_hours(value)
    except ValidationError as exc:
        r.problems.append((key, "；".join(exc.errors.values())))


class _ByName:
    """Rows without an ID or volunteer number: the volunteer their name and phone (or name and
    village) fit, when exactly one does; the preview says which one it took."""

    def __init__(self, rows: list[_Row]) -> None:
        self.known = roster_pending.Known({r.name for r in rows}) if rows else None
        self.villages = roster_rules.Villages() if rows else None

    def identify(self, r: _Row, plan: Plan) -> None:
        village = self.villages.find(r.village) if r.village else None
        if r.village and village is None:
            r.problems.append(("village", f"没有名为「{r.village}」的村/社区"))
            return
        found, how = self.known.matches({"name": r.name, "phone": r.phone, "village_id": village}, either=True)
        said = f"手机号码 {validation.mask_phone(r.phone)}" if how == "姓名和手机号码" else f"村（社区）「{r.village}」"
        if not found:
            r.problems.append(("name", f"找不到姓名为「{r.name}」、{said}的志愿者，请先登记，或填写证件号码"))
        elif len(found) > 1:
            numbers = "、".join(row[2] for row in found[:5])
            r.problems.append(("name", f"姓名「{r.name}」、{said}对应 {len(found)} 名志愿者（编号 {numbers}），"
                                       "无法确定是哪一位，请填写证件号码或志愿者编号"))
        else:
            vid, name, number = found[0][:3]
            r.volunteer = (vid, name, found[0][6])
            plan.notices.append(batch.Problem(r.row, "name", f"按{how}确认为「{name}」（编号 {number}）"))


def _identify(r: _Row, by_id: dict, by_number: dict) -> None:
    """Which volunteer the row means: ID number and volunteer number must name the same one,
    and the name must be theirs."""
    a = by_id.get(r.id_number) if r.id_number else None
    b = by_number.get(r.number) if r.number else None
    if r.id_number and a is None:
        r.problems.append(("id_number", f"找不到证件号码为 {validation.mask_id_number(r.id_number)} 的志愿者，"
                                            "请先登记该志愿者"))
    if r.number and b is None:
        r.problems.append(("number", f"找不到编号为「{r.number}」的志愿者"))
    if a is not None and b is not None and a[0] != b[0]:
        r.problems.append(("number", f"证件号码对应的是「{a[1]}」，志愿者编号「{r.number}」对应的是「{b[1]}」，"
                                         "不是同一人"))
        return
    r.volunteer = a or b
    if r.volunteer is not None and r.name and r.name != r.volunteer[1]:
        by = f"证件号码 {validation.mask_id_number(r.id_number)}" if a is not None else f"志愿者编号「{r.number}」"
        r.problems.append(("name", f"姓名「{r.name}」与{by}对应的志愿者「{r.volunteer[1]}」不符"))


def _check_day(r: _Row, activities: dict[str, list[Activity]], today: dt.date) -> None:
    """Not in the future, and within the activity's dates."""
    day = r.day
    if day is not None and (problem := hours.future_problem(day, today)):
        r.problems.append(("service_date", problem))
    if not r.activity_name:
        return
    candidates = activities.get(r.activity_name, [])
    if not candidates:
        r.problems.append(("activity", f"找不到名为「{r.activity_name}」的活动，请先在 队伍与活动 中添加，"
                                           "或不填活动名称"))
    elif day is not None:
        problem = hours.outside_problem(day, r.activity_name, candidates)
        if problem:
            r.problems.append(("service_date", problem))
        else:
            r.activity = next(c for c in candidates if c.start_date <= day <= c.end_date)


def _check_days(plan: Plan, good: list[_Row]) -> None:
    """The same record twice in the file, records entered before, and a day's 24 hours."""
    if not good:
        return
    vids = {r.volunteer[0] for r in good}
    first, last = min(r.day for r in good), max(r.day for r in good)
    totals = _day_totals(vids, first, last)
    entered = _entered(vids, first, last)
    in_file: dict[tuple, int] = {}
    added: dict[tuple[str, dt.date], int] = {}
    for r in good:
        vid, name, scope = r.volunteer
        day, half = r.day, r.half
        activity_id = r.activity.id if r.activity else None
        key = (vid, day, activity_id, half)
        if key in in_file:
            what = f"「{r.activity.name}」" if r.activity else ""
            plan.refuse(r.row, "hours", f"与第 {in_file[key]} 行重复：{name} {day.isoformat()} {what}"
                                        f"{half / 2:g} 小时出现了两次，请删除重复的一行")
            continue
        in_file[key] = r.row
        if key in entered:
            plan.skipped += 1
            plan.notices.append(batch.Problem(r.row, "hours", f"{name} {day.isoformat()} {half / 2:g} 小时已录入过，跳过"))
            continue
        before, mine = totals.get((vid, day), 0), added.get((vid, day), 0)
        if before + mine + half > hours.MAX_HALF_HOURS_PER_DAY:
            parts = ([f"已记录 {before / 2:g} 小时"] if before else []) + (
                [f"本文件前面的行已有 {mine / 2:g} 小时"] if mine else [])
            plan.refuse(r.row, "hours", f"{name} 在 {day.isoformat()} {'，'.join(parts)}，再记录 {half / 2:g} 小时"
                                        "将超过一天 24 小时")
            continue
        added[(vid, day)] = mine + half
        plan.to_create.append({"volunteer_id": vid, "activity_id": activity_id, "service_date": day,
                               "half_hours": half, "content": r.content or (r.activity.content if r.activity else ""),
                               "scope": scope})


def _volunteers(column: str, keys: set[str]) -> dict[str, tuple[str, str, str | None]]:
    """key -> (volunteer id, name, scope) for live volunteers, in chunks of 500."""
    found: dict[str, tuple[str, str, str | None]] = {}
    merged = merging.merges(Volunteer)
    pointed: dict[str, str] = {}  # the number of a record merged into another: the person kept
    keys_list = sorted(keys)
    for start in range(0, len(keys_list), _BLOCK):
        chunk = keys_list[start:start + _BLOCK]
        marks = ",".join("?" * len(chunk))
        cursor = database.execute_sql(
            f"SELECT {column}, id, name, scope FROM volunteer WHERE (deleted = 0 OR merged_into IS NOT NULL) "
            f"AND {column} IN ({marks})", chunk)
        for key, vid, name, scope in cursor:
            if merged.survivor(vid) == vid:
                found[key] = (vid, name, scope)
            else:
                pointed[key] = merged.survivor(vid)
    missing = {key: vid for key, vid in pointed.items() if key not in found}
    if missing:
        kept = {v.id: v for v in Volunteer.select().where(Volunteer.id << sorted(set(missing.values())))}
        found.update({key: (vid, kept[vid].name, kept[vid].scope) for key, vid in missing.items() if vid in kept})
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
    for start in range(0, len(ids), _BLOCK):
        query = (ServiceRecord.select(ServiceRecord.volunteer_id, ServiceRecord.service_date,
                                      fn.SUM(ServiceRecord.half_hours))
                 .where((ServiceRecord.volunteer_id << ids[start:start + _BLOCK])
                        & ServiceRecord.service_date.between(first, last) & hours.counts_toward_day_limit())
                 .group_by(ServiceRecord.volunteer_id, ServiceRecord.service_date).tuples())
        for vid, day, total in query:
            totals[(vid, dt.date.fromisoformat(str(day)[:10]))] = total
    return totals


def _entered(volunteer_ids: set[str], first: dt.date, last: dt.date) -> set[tuple]:
    """(volunteer, day, activity, half-hours) of records already entered (not rejected)."""
    seen: set[tuple] = set()
    ids = sorted(volunteer_ids)
    for start in range(0, len(ids), _BLOCK):
        query = (ServiceRecord.select(ServiceRecord.volunteer_id, ServiceRecord.service_date,
                                      ServiceRecord.activity_id, ServiceRecord.half_hours)
                 .where((ServiceRecord.volunteer_id << ids[start:start + _BLOCK])
                        & ServiceRecord.service_date.between(first, last)
                        & ServiceRecord.corrects_id.is_null() & ~hours.decided("rejected")).tuples())
        for vid, day, activity_id, half in query:
            seen.add((vid, dt.date.fromisoformat(str(day)[:10]), activity_id, half))
    return seen


def import_records(actor: Actor, plan: Plan, *, source: str, skip_invalid: bool = False, dry_run: bool = False,
                   progress: Progress | None = None, cancelled: CancelCheck | None = None) -> Outcome:
    """Write a plan (all or nothing unless ``skip_invalid``; ``dry_run`` only counts); the
    records are pending.  *source* (the file's name) goes into the audit entry."""
    require_import(actor)
    outcome = Outcome()
    if plan.rejected and not skip_invalid:
        return outcome
    outcome.imported = len(plan.to_create)
    if dry_run or not plan.to_create:
        return outcome

    def write() -> None:
        hours.enter_many(actor, plan.to_create, note=f"从「{source}」导入 {outcome.imported} 条服务记录（待审核）")

    outcome.backup_path = batch.write(plan, outcome.imported, "条服务记录", write, progress=progress,
                                      cancelled=cancelled)
    outcome.written = True
    return outcome
