"""Activity records (节日, 道德讲堂, 三美, 未成年人, 志愿服务): what was held, or is planned, on a day.

The volunteers who served are not kept here: their hours go to the volunteers domain as ordinary
service records awaiting a reviewer (``civdesk.volunteers.teams.create_activity`` once per record,
then ``civdesk.volunteers.hours.enter`` per person); the record keeps the id of that 志愿活动.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civdesk.activities import common, photos
from civdesk.activities.models import ActivityRecord, MinorProject
from civdesk.activities.terms import KINDS, STATUSES
from civdesk.calendar.festivals import FESTIVAL_NAMES
from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError

FIELDS = ("kind", "status", "title", "day", "festival", "village_id", "place", "organiser", "participants",
          "content", "project_id")
_LIVE = False


@dataclass(frozen=True)
class ActivityRow:
    id: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    title: str
    day: str
    festival: str
    village_id: str | None
    village: str
    place: str
    organiser: str
    participants: int
    content: str
    photo_count: int
    volunteers: int
    volunteer_hours: float
    colour: str  # "ok" / "yellow" / "red" (a plan whose day has passed without being recorded)


@dataclass(frozen=True)
class VolunteerService:
    volunteer_id: str
    name: str
    hours: float
    status: str  # pending / approved / rejected, as the volunteers domain says


@dataclass(frozen=True)
class ActivityDetail:
    row: ActivityRow
    photos: list[photos.PhotoRow]
    volunteers: list[VolunteerService]


@dataclass(frozen=True)
class FormChoices:
    """What the activity form offers: its drop-downs, and whether the village is fixed (a village PC)."""

    kinds: dict[str, str]
    statuses: dict[str, str]
    festivals: tuple[str, ...]
    villages: dict[str, str]
    fixed_village: str | None


def form_choices() -> FormChoices:
    return FormChoices(dict(KINDS), dict(STATUSES), FESTIVAL_NAMES, common.villages(), common.own_village())


def get(record_id: str) -> ActivityRecord:
    row = ActivityRecord.get_or_none((ActivityRecord.id == record_id) & (ActivityRecord.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这条活动记录（可能已被删除）。")
    return row


def _kind_and_status(merged: dict, errors: dict) -> tuple[str, str]:
    kind, status = common.text(merged, "kind"), common.text(merged, "status") or "held"
    kind = next((code for code, label in KINDS.items() if kind in (code, label)), kind)
    status = next((code for code, label in STATUSES.items() if status in (code, label)), status)
    if kind not in KINDS:
        errors["kind"] = f"活动类型只能是：{'、'.join(KINDS.values())}"
    if status not in STATUSES:
        errors["status"] = f"状态只能是：{'、'.join(STATUSES.values())}"
    return kind, status


def clean(values: dict, existing: ActivityRecord | None = None, today: dt.date | None = None) -> dict:
    """Validate and normalise a record's fields; ValidationError names every wrong field."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise CivDeskError(f"活动记录没有这些项目：{'、'.join(sorted(unknown))}")
    today = today or dt.date.today()
    merged = {**({k: getattr(existing, k) for k in FIELDS} if existing else {}), **values}
    errors: dict[str, str] = {}
    kind, status = _kind_and_status(merged, errors)
    out = {"kind": kind, "status": status, "title": common.text(merged, "title")}
    if not out["title"]:
        errors["title"] = "请填写活动名称"
    out["day"] = common.check_day(merged.get("day"), "活动日期", today=today, errors=errors)
    if out["day"] and status == "held" and out["day"] > today:
        errors["day"] = f"活动日期 {out['day'].isoformat()} 还没到；还没开展的活动请登记为「计划」"
    out["festival"] = common.text(merged, "festival")
    if kind == "festival" and out["festival"] not in FESTIVAL_NAMES:
        errors["festival"] = f"节日活动请选择节日：{'、'.join(FESTIVAL_NAMES)}"
    elif kind != "festival" and out["festival"]:
        errors["festival"] = "只有节日活动才填写节日"
    try:
        out["village_id"] = common.resolve_village(merged.get("village_id"), what="活动")
    except ValidationError as exc:
        errors.update(exc.errors)
    out["participants"] = common.count(merged.get("participants"), "参与人数", "participants", errors) or 0
    for key in ("place", "organiser", "content"):
        out[key] = common.text(merged, key)
    out["project_id"] = merged.get("project_id") or None
    if out["project_id"] and (kind != "minors" or not MinorProject.select().where(
            (MinorProject.id == out["project_id"]) & (MinorProject.deleted == _LIVE)).exists()):
        errors["project_id"] = "只有未成年人活动才能关联关爱项目，且项目须存在"
    if errors:
        raise ValidationError(errors)
    return out


def create(actor: Actor, values: dict, *, photo_files: list[tuple[str, bytes]] = (),
           volunteers: list[tuple[str, object]] = (), today: dt.date | None = None) -> ActivityRecord:
    """A new record with its photos and the volunteers who served (volunteer id, hours), all or
    nothing."""
    require(actor, "edit_activities")
    cleaned = clean(values, today=today)
    with database.atomic():
        row = changes.create(ActivityRecord, actor, cleaned, scope=cleaned["village_id"])
        for name, data in photo_files:
            photos.store(actor, "activity", row.id, row.scope, name, data)
        if volunteers:
            add_volunteers(actor, row.id, volunteers)
            row = get(row.id)
    return row


def update(actor: Actor, record_id: str, values: dict, today: dt.date | None = None) -> dict:
    require(actor, "edit_activities")
    row = get(record_id)
    cleaned = clean(values, row, today)
    if cleaned["village_id"] != row.village_id:
        raise ValidationError({"village_id": "已登记的活动不能改到另一个村/社区（记录的归属随它同步）"})
    with database.atomic():
        changed = changes.update(row, actor, cleaned)
        if row.volunteer_activity_id and set(changed) & {"title", "day", "place", "content", "organiser"}:
            from civdesk.volunteers import teams

            teams.update_activity(actor, row.volunteer_activity_id, _volunteer_activity_values(row))
    return changed


def edit(actor: Actor, record_id: str, values: dict, *, add_photos: list[tuple[str, bytes]] = (),
         remove_photos: list[str] = (), volunteers: list[tuple[str, object]] = (),
         today: dt.date | None = None) -> dict:
    """Save an edited record as one whole: its fields, the photos removed and added, the volunteers
    who served. An error in any part (a field, a file that is not a photo, a volunteer's hours)
    writes nothing; returns the fields that changed."""
    require(actor, "edit_activities")
    row = get(record_id)
    for name, data in add_photos:  # checked before anything is written
        photos.check_photo(name, data)
    owned = {p.id for p in photos.photos(row.id)}
    stranger = [photo_id for photo_id in remove_photos if photo_id not in owned]
    if stranger:
        raise CivDeskError("要删除的照片不属于这条活动记录（可能已被删除），请重新打开后再保存。")
    with database.atomic():
        changed = update(actor, record_id, values, today)
        for photo_id in remove_photos:
            photos.remove(actor, photo_id)
        for name, data in add_photos:
            photos.store(actor, "activity", row.id, row.scope, name, data)
        if volunteers:
            add_volunteers(actor, record_id, list(volunteers))
    return changed


def delete(actor: Actor, record_id: str, reason: str) -> None:
    require(actor, "edit_activities")
    row = get(record_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明删除原因（例如：重复录入、活动取消）"})
    if row.volunteer_activity_id and _services(row):
        raise CivDeskError("这次活动已录入志愿服务时长，不能删除；如活动没有开展，请改为「已取消」，"
                           "并在志愿服务中退回那些时长。")
    changes.delete(row, actor, note=reason.strip())


def add_photo(actor: Actor, record_id: str, name: str, data: bytes, caption: str = "") -> photos.PhotoRow:
    require(actor, "edit_activities")
    row = get(record_id)
    made = photos.store(actor, "activity", row.id, row.scope, name, data, caption)
    return photos.PhotoRow(made.id, made.file_name, made.caption, made.size, made.mime)


# --- the volunteers who served --------------------------------------------------------------


def _volunteer_activity_values(row: ActivityRecord) -> dict:
    return {"name": row.title, "start_date": row.day, "end_date": row.day, "place": row.place,
            "content": row.content or row.title, "organizer": row.organiser, "village_id": row.village_id,
            "service_category": KINDS[row.kind] if row.kind != "volunteer" else ""}


def add_volunteers(actor: Actor, record_id: str, served: list[tuple[str, object]]) -> list[str]:
    """Enter the hours of the volunteers who served (they wait for a reviewer in 志愿服务);
    returns the service records' ids. Refused, with nothing written, if any line is wrong."""
    require(actor, "edit_activities")
    from civdesk.volunteers import hours, teams

    row = get(record_id)
    if row.status != "held":
        raise CivDeskError("只有已开展的活动才能登记志愿者的服务时长。")
    made = []
    with database.atomic():
        if not row.volunteer_activity_id:
            activity = teams.create_activity(actor, _volunteer_activity_values(row))
            changes.update(row, actor, {"volunteer_activity_id": activity.id}, audit=False)
        for number, (volunteer_id, amount) in enumerate(served, start=1):
            try:
                record = hours.enter(actor, volunteer_id, row.day, amount, activity_id=row.volunteer_activity_id,
                                     content=row.content or row.title)
            except ValidationError as exc:
                raise ValidationError({f"volunteers.{number}": f"第 {number} 名志愿者：{exc}"}) from None
            made.append(record.id)
    return made


def _services(row: ActivityRecord) -> list:
    from civdesk.volunteers import hours

    return hours.records(activity_id=row.volunteer_activity_id) if row.volunteer_activity_id else []


def _services_of(records: list[ActivityRecord]) -> dict[str, list]:
    """``_services`` of many records in one read: volunteer activity id -> its service records."""
    from civdesk.volunteers import hours

    ids = list({r.volunteer_activity_id for r in records if r.volunteer_activity_id})
    found: dict[str, list] = {}
    for service in hours.records(activity_ids=ids) if ids else ():
        found.setdefault(service.activity_id, []).append(service)
    return found


def volunteer_services(record_id: str) -> list[VolunteerService]:
    return [VolunteerService(r.volunteer_id, r.volunteer_name, r.hours, r.status) for r in _services(get(record_id))]


# --- lists ----------------------------------------------------------------------------------


def _row(record: ActivityRecord, villages: dict, photo_counts: dict, today: dt.date, services: list) -> ActivityRow:
    services = [s for s in services if s.status != "rejected"]
    colour = common.colour((record.day - today).days) if record.status == "planned" else "ok"
    return ActivityRow(
        record.id, record.kind, KINDS.get(record.kind, record.kind), record.status,
        STATUSES.get(record.status, record.status), record.title, record.day.isoformat(), record.festival,
        record.village_id, villages.get(record.village_id, ""), record.place, record.organiser,
        record.participants, record.content, photo_counts.get(record.id, 0),
        len({s.volunteer_id for s in services}), sum(s.hours for s in services), colour)


def rows(date_from: dt.date | None = None, date_to: dt.date | None = None, *, kind: str = "",
         village_id: str | None = None, festival: str = "", status: str = "",
         today: dt.date | None = None) -> list[ActivityRow]:
    """Records by date (oldest first) with what a list or the calendar shows."""
    query = ActivityRecord.select().where(ActivityRecord.deleted == _LIVE)
    if date_from:
        query = query.where(ActivityRecord.day >= date_from)
    if date_to:
        query = query.where(ActivityRecord.day <= date_to)
    if kind:
        query = query.where(ActivityRecord.kind == next((c for c, lb in KINDS.items() if kind in (c, lb)), kind))
    if village_id:
        query = query.where(ActivityRecord.village_id == village_id)
    if festival:
        query = query.where(ActivityRecord.festival == festival)
    if status:
        query = query.where(ActivityRecord.status == status)
    found = list(query.order_by(ActivityRecord.day, ActivityRecord.title_pinyin))
    villages = common.villages()
    counts = photos.counts([r.id for r in found])
    services = _services_of(found)
    today = today or dt.date.today()
    return [_row(r, villages, counts, today, services.get(r.volunteer_activity_id, [])) for r in found]


def detail(record_id: str, today: dt.date | None = None) -> ActivityDetail:
    record = get(record_id)
    row = _row(record, common.villages(), photos.counts([record.id]), today or dt.date.today(), _services(record))
    return ActivityDetail(row, photos.photos(record.id), volunteer_services(record.id))
