"""道德讲堂: halls (the township's 总堂 and branch 分堂) and their sessions.

A session is an activity record of kind 道德讲堂 (date, place, attendance, photos) plus what
was done: the customary parts (唱一首歌、看一部短片、诵一段经典、讲一个故事、作一番点评 by
default, a setting) and the story told — a 好人 of the nominations domain when it is one (its
nominee id is kept; the name is asked of the nominations' service).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from peewee import fn

from civdesk.activities import common, records
from civdesk.activities.models import ActivityRecord, Hall, HallSession
from civdesk.activities.terms import HALL_KINDS, STORY_KINDS
from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError

_LIVE = False
SESSION_FIELDS = ("parts", "story_kind", "story_title", "storyteller", "nominee_id")


def default_parts() -> list[str]:
    from civdesk.office import settings

    text = str(settings.get("activities.hall_parts") or "")
    return [p.strip() for p in text.replace(";", "；").split("；") if p.strip()]


@dataclass(frozen=True)
class HallRow:
    id: str
    name: str
    kind: str
    village_id: str | None
    village: str
    address: str
    sessions_this_year: int
    last_session: str


@dataclass(frozen=True)
class SessionRow:
    id: str
    record_id: str
    hall_id: str
    hall: str
    day: str
    title: str
    place: str
    attendance: int
    parts: list[dict]
    story_kind: str
    story_title: str
    storyteller: str
    nominee_id: str | None
    nominee_name: str
    photo_count: int


def get_hall(hall_id: str) -> Hall:
    row = Hall.get_or_none((Hall.id == hall_id) & (Hall.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个道德讲堂。")
    return row


def find_hall(key: str) -> Hall:
    """A hall by its id or its name (the command line)."""
    key = validation.normalize_text(key)
    row = Hall.get_or_none(((Hall.id == key) | (Hall.name == key)) & (Hall.deleted == _LIVE))
    if row is None:
        raise NotFound(f"找不到道德讲堂「{key}」。")
    return row


def _clean_hall(values: dict, existing: Hall | None = None) -> dict:
    merged = {**({k: getattr(existing, k) for k in Hall.data_fields()} if existing else {}), **values}
    errors: dict[str, str] = {}
    out = {"name": common.text(merged, "name"), "kind": common.text(merged, "kind") or "分堂",
           "address": common.text(merged, "address"), "note": common.text(merged, "note")}
    if not out["name"]:
        errors["name"] = "请填写讲堂名称，如「土城分堂」"
    if out["kind"] not in HALL_KINDS:
        errors["kind"] = f"讲堂类型只能是：{'、'.join(HALL_KINDS)}"
    try:
        out["village_id"] = common.resolve_village(merged.get("village_id"), what="道德讲堂")
    except ValidationError as exc:
        errors.update(exc.errors)
    clash = Hall.select().where((Hall.name == out["name"]) & (Hall.deleted == _LIVE))
    main = Hall.select().where((Hall.kind == "总堂") & (Hall.deleted == _LIVE))
    if existing is not None:
        clash, main = clash.where(Hall.id != existing.id), main.where(Hall.id != existing.id)
    if out["name"] and clash.exists():
        errors["name"] = f"已有名为「{out['name']}」的讲堂"
    if out["kind"] == "总堂" and out.get("village_id"):
        errors["kind"] = "总堂由乡镇设立；村（社区）的讲堂请登记为分堂"
    elif out["kind"] == "总堂" and main.exists():
        errors["kind"] = f"已有总堂「{main.first().name}」；其他讲堂请登记为分堂"
    if errors:
        raise ValidationError(errors)
    return out


def create_hall(actor: Actor, values: dict) -> Hall:
    require(actor, "edit_activities")
    cleaned = _clean_hall(values)
    return changes.create(Hall, actor, cleaned, scope=cleaned["village_id"])


def update_hall(actor: Actor, hall_id: str, values: dict) -> dict:
    require(actor, "edit_activities")
    row = get_hall(hall_id)
    cleaned = _clean_hall(values, row)
    if cleaned["village_id"] != row.village_id:
        raise ValidationError({"village_id": "讲堂不能改到另一个村/社区（记录的归属随它同步）"})
    return changes.update(row, actor, cleaned)


def halls(year: int | None = None) -> list[HallRow]:
    year = year or dt.date.today().year
    found = list(Hall.select().where(Hall.deleted == _LIVE))
    found.sort(key=lambda h: (HALL_KINDS.index(h.kind), h.name))
    stats = dict.fromkeys([h.id for h in found], (0, ""))
    query = (HallSession.select(HallSession.hall_id, ActivityRecord.day)
             .join(ActivityRecord, on=(ActivityRecord.id == HallSession.record_id))
             .where((HallSession.deleted == _LIVE) & (ActivityRecord.deleted == _LIVE)).tuples())
    for hall_id, day in query:
        count, last = stats.get(hall_id, (0, ""))
        stats[hall_id] = (count + (day.year == year), max(last, day.isoformat()))
    villages = common.villages()
    return [HallRow(h.id, h.name, h.kind, h.village_id, villages.get(h.village_id, ""), h.address, *stats[h.id])
            for h in found]


# --- sessions ---------------------------------------------------------------------------------


def _clean_parts(value, errors: dict) -> str:
    if value is None:
        value = [{"part": name, "content": ""} for name in default_parts()]
    if isinstance(value, str):
        value = json.loads(value or "[]")
    parts = []
    for number, item in enumerate(value, start=1):
        part = item if isinstance(item, dict) else {"part": item, "content": ""}
        name = validation.normalize_text(part.get("part"))
        if not name:
            errors["parts"] = f"第 {number} 个环节没有名称"
            continue
        parts.append({"part": name, "content": validation.normalize_text(part.get("content"))})
    return json.dumps(parts, ensure_ascii=False)


def _nominee_name(nominee_id: str | None) -> str:
    if not nominee_id:
        return ""
    from civdesk.nominations import nominees

    try:
        return nominees.get_nominee(nominee_id).name
    except NotFound:
        return ""


def _clean_session(values: dict, existing: HallSession | None = None) -> dict:
    merged = {**({k: getattr(existing, k) for k in SESSION_FIELDS} if existing else {}), **values}
    errors: dict[str, str] = {}
    out = {"parts": _clean_parts(merged.get("parts"), errors), "story_kind": common.text(merged, "story_kind"),
           "story_title": common.text(merged, "story_title"), "storyteller": common.text(merged, "storyteller"),
           "nominee_id": merged.get("nominee_id") or None}
    if out["story_kind"] and out["story_kind"] not in STORY_KINDS:
        errors["story_kind"] = f"故事类别只能是：{'、'.join(STORY_KINDS)}"
    if out["nominee_id"]:
        name = _nominee_name(out["nominee_id"])
        if not name:
            errors["nominee_id"] = "找不到这位好人（好人评选中的被推荐人）"
        else:
            out["story_kind"] = out["story_kind"] or "好人故事"
            out["story_title"] = out["story_title"] or f"{name}的故事"
    if errors:
        raise ValidationError(errors)
    return out


def add_session(actor: Actor, hall_id: str, values: dict, *, photo_files: list[tuple[str, bytes]] = (),
                today: dt.date | None = None) -> HallSession:
    """A session held at a hall: its activity record (day, place, attendance as participants,
    photos) and its parts and story, all or nothing."""
    require(actor, "edit_activities")
    hall = get_hall(hall_id)
    values = dict(values)
    if "attendance" in values:
        values["participants"] = values.pop("attendance")
    session_values = {k: values[k] for k in SESSION_FIELDS if k in values}
    record_values = {k: v for k, v in values.items() if k not in SESSION_FIELDS}
    record_values.update(kind="hall", village_id=hall.village_id)
    record_values.setdefault("place", hall.address or hall.name)
    errors: dict[str, str] = {}
    try:
        cleaned = _clean_session(session_values)
    except ValidationError as exc:
        errors.update(exc.errors)
    if not record_values.get("title"):
        story = session_values.get("story_title") or ("" if errors else cleaned["story_title"])
        name = hall.name if hall.name.endswith("讲堂") else f"{hall.name}道德讲堂"
        record_values["title"] = name + (f"：{story}" if story else "")
    try:
        records.clean(record_values, today=today)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        record = records.create(actor, record_values, photo_files=photo_files, today=today)
        return changes.create(HallSession, actor, {**cleaned, "hall_id": hall.id, "record_id": record.id},
                              scope=record.scope)


def update_session(actor: Actor, session_id: str, values: dict) -> dict:
    require(actor, "edit_activities")
    row = HallSession.get_or_none((HallSession.id == session_id) & (HallSession.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这次道德讲堂活动。")
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise CivDeskError(f"这里只能修改环节和故事；日期、人数等请修改活动记录（{'、'.join(sorted(unknown))}）")
    return changes.update(row, actor, _clean_session(values, row))


def sessions(hall_id: str | None = None, year: int | None = None) -> list[SessionRow]:
    """Sessions by date, of one hall or all, of one year or all."""
    query = (HallSession.select(HallSession, ActivityRecord)
             .join(ActivityRecord, on=(ActivityRecord.id == HallSession.record_id))
             .where((HallSession.deleted == _LIVE) & (ActivityRecord.deleted == _LIVE)))
    if hall_id:
        query = query.where(HallSession.hall_id == hall_id)
    if year:
        query = query.where(fn.SUBSTR(ActivityRecord.day, 1, 4) == str(year))
    found = list(query.order_by(ActivityRecord.day))
    hall_names = dict(Hall.select(Hall.id, Hall.name).tuples())
    from civdesk.activities import photos

    counts = photos.counts([s.record_id for s in found])
    result = []
    for s in found:
        r = s.activityrecord
        result.append(SessionRow(s.id, r.id, s.hall_id, hall_names.get(s.hall_id, ""), r.day.isoformat(), r.title,
                                 r.place, r.participants, json.loads(s.parts or "[]"), s.story_kind, s.story_title,
                                 s.storyteller, s.nominee_id, _nominee_name(s.nominee_id), counts.get(r.id, 0)))
    return result
