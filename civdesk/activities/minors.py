"""Minors' care: 为未成年人办好事实事 projects, the children helped, and the service records of the
psychological station (心理健康服务示范站).

Children's data is protected (《个人信息保护法》 Art. 28, 31): only an account with the permission
``view_minors`` (未成年人信息, administrators by default) sees or enters names, and every time
names are shown the viewing is written to the audit log. Everyone else gets masked names and
counts. Every record carries its village's scope (a village is required), so sync moves it only
between that village and its township; sheets and every PDF but the one minors' report give counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from civdesk.activities import common
from civdesk.activities.models import MinorChild, MinorProject, StationService
from civdesk.activities.terms import STATION_SERVICES, TARGET_GROUPS
from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import NotFound
from civdesk.core.validation import ValidationError

PROJECT_FIELDS = ("village_id", "name", "target_group", "helpers", "done", "start_date", "end_date")
CHILD_FIELDS = ("name", "sex", "birth_year", "school", "guardian", "help_given")
HIDDEN = "（需「未成年人信息」权限）"
_LIVE = False


@dataclass(frozen=True)
class ProjectRow:
    id: str
    village_id: str
    village: str
    name: str
    target_group: str
    helpers: str
    done: str
    start_date: str
    end_date: str
    children: int  # a count: no names here


@dataclass(frozen=True)
class ChildRow:
    id: str
    name: str  # masked (张**) without the permission
    sex: str
    birth_year: int | None
    school: str
    guardian: str
    help_given: str
    masked: bool


@dataclass(frozen=True)
class ServiceRow:
    id: str
    village: str
    day: str
    service: str
    counsellor: str
    child_name: str  # masked without the permission
    child_age: int | None
    attendees: int
    summary: str
    masked: bool


@dataclass(frozen=True)
class CountRow:
    village: str
    projects: int
    children: dict[str, int]  # by target group
    services: int
    attendees: int


def get_project(project_id: str) -> MinorProject:
    row = MinorProject.get_or_none((MinorProject.id == project_id) & (MinorProject.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个关爱项目。")
    return row


def _clean_project(values: dict, existing: MinorProject | None = None, today: dt.date | None = None) -> dict:
    merged = {**({k: getattr(existing, k) for k in PROJECT_FIELDS} if existing else {}), **values}
    errors: dict[str, str] = {}
    out = {key: common.text(merged, key) for key in ("name", "target_group", "helpers", "done")}
    if not out["name"]:
        errors["name"] = "请填写项目名称，如「留守儿童四点半课堂」"
    if out["target_group"] not in TARGET_GROUPS:
        errors["target_group"] = f"关爱对象只能是：{'、'.join(TARGET_GROUPS)}"
    try:
        out["village_id"] = common.resolve_village(merged.get("village_id"), required=True, what="关爱项目")
    except ValidationError as exc:
        errors.update(exc.errors)
    out["start_date"] = common.check_day(merged.get("start_date"), "开始日期", today=today, field="start_date",
                                         errors=errors)
    out["end_date"] = None
    if merged.get("end_date"):
        out["end_date"] = common.check_day(merged.get("end_date"), "结束日期", today=today, field="end_date",
                                           errors=errors)
        if out["end_date"] and out["start_date"] and out["end_date"] < out["start_date"]:
            errors["end_date"] = "结束日期不能早于开始日期"
    if errors:
        raise ValidationError(errors)
    return out


def create_project(actor: Actor, values: dict, today: dt.date | None = None) -> MinorProject:
    require(actor, "edit_activities")
    cleaned = _clean_project(values, today=today)
    return changes.create(MinorProject, actor, cleaned, scope=cleaned["village_id"])


def update_project(actor: Actor, project_id: str, values: dict, today: dt.date | None = None) -> dict:
    require(actor, "edit_activities")
    row = get_project(project_id)
    cleaned = _clean_project(values, row, today)
    if cleaned["village_id"] != row.village_id:
        raise ValidationError({"village_id": "关爱项目不能改到另一个村/社区（儿童信息只在本村和乡镇之间同步）"})
    return changes.update(row, actor, cleaned)


def projects(village_id: str | None = None) -> list[ProjectRow]:
    query = MinorProject.select().where(MinorProject.deleted == _LIVE)
    if village_id:
        query = query.where(MinorProject.village_id == village_id)
    found = list(query.order_by(MinorProject.start_date.desc(), MinorProject.name))
    counts = dict(MinorChild.select(MinorChild.project_id, fn.COUNT(MinorChild.id))
                  .where(MinorChild.deleted == _LIVE).group_by(MinorChild.project_id).tuples())
    villages = common.villages()
    return [ProjectRow(p.id, p.village_id, villages.get(p.village_id, ""), p.name, p.target_group, p.helpers, p.done,
                       p.start_date.isoformat(), p.end_date.isoformat() if p.end_date else "", counts.get(p.id, 0))
            for p in found]


# --- the children helped -------------------------------------------------------------------------


def _clean_child(values: dict) -> dict:
    unknown = set(values) - set(CHILD_FIELDS)
    if unknown:
        raise ValidationError({"name": f"受助儿童没有这些项目：{'、'.join(sorted(unknown))}"})
    errors: dict[str, str] = {}
    out = {key: common.text(values, key) for key in CHILD_FIELDS if key != "birth_year"}
    if not out["name"]:
        errors["name"] = "请填写儿童姓名"
    if out["sex"] not in ("", "男", "女"):
        errors["sex"] = "性别只能是「男」或「女」"
    year = common.count(values.get("birth_year"), "出生年份", "birth_year", errors)
    if year is not None and not dt.date.today().year - 18 <= year <= dt.date.today().year:
        errors["birth_year"] = f"出生年份 {year} 不是未成年人（应在 {dt.date.today().year - 18} 年以后）"
    out["birth_year"] = year
    if errors:
        raise ValidationError(errors)
    return out


def add_child(actor: Actor, project_id: str, values: dict) -> str:
    """Enter a child helped by a project (needs 未成年人信息); returns the record's id."""
    require(actor, "edit_activities")
    require(actor, "view_minors")
    project = get_project(project_id)
    cleaned = _clean_child(values)
    return changes.create(MinorChild, actor, {**cleaned, "project_id": project.id}, scope=project.scope).id


def _audit_view(actor: Actor, what: str, count: int, scope: str | None, tbl: str) -> None:
    changes.write_audit(actor, "view", tbl=tbl, record_label=what, scope=scope,
                        note=f"查看未成年人信息：{what}（{count} 条）")


def children(actor: Actor, project_id: str) -> list[ChildRow]:
    """The children of a project: names for 未成年人信息 (the viewing audited), masked otherwise."""
    project = get_project(project_id)
    found = list(MinorChild.select().where((MinorChild.project_id == project.id) & (MinorChild.deleted == _LIVE))
                 .order_by(MinorChild.created_at, MinorChild.clock))
    if not actor.can("view_minors"):
        return [ChildRow(c.id, common.mask_name(c.name), "", None, "", "", "", True) for c in found]
    with database.atomic():
        _audit_view(actor, f"{project.name} 受助儿童名单", len(found), project.scope, "act_minor_child")
    return [ChildRow(c.id, c.name, c.sex, c.birth_year, c.school, c.guardian, c.help_given, False) for c in found]


def child(actor: Actor, child_id: str) -> ChildRow:
    """One child's record: refused without 未成年人信息, the viewing audited."""
    require(actor, "view_minors")
    row = MinorChild.get_or_none((MinorChild.id == child_id) & (MinorChild.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这名受助儿童的记录。")
    _audit_view(actor, "受助儿童记录", 1, row.scope, "act_minor_child")
    return ChildRow(row.id, row.name, row.sex, row.birth_year, row.school, row.guardian, row.help_given, False)


def remove_child(actor: Actor, child_id: str, reason: str) -> None:
    require(actor, "view_minors")
    row = MinorChild.get_or_none((MinorChild.id == child_id) & (MinorChild.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这名受助儿童的记录。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明删除原因"})
    changes.delete(row, actor, note=reason.strip())


# --- the psychological station -------------------------------------------------------------------


def add_service(actor: Actor, values: dict, today: dt.date | None = None) -> str:
    """A service of the station; naming a child (or giving an age or notes) needs 未成年人信息."""
    require(actor, "edit_activities")
    errors: dict[str, str] = {}
    out = {key: common.text(values, key) for key in ("service", "counsellor", "child_name", "summary")}
    if out["child_name"] or out["summary"] or values.get("child_age"):
        require(actor, "view_minors")
    if out["service"] not in STATION_SERVICES:
        errors["service"] = f"服务类型只能是：{'、'.join(STATION_SERVICES)}"
    try:
        out["village_id"] = common.resolve_village(values.get("village_id"), required=True, what="服务记录")
    except ValidationError as exc:
        errors.update(exc.errors)
    out["day"] = common.check_day(values.get("day"), "服务日期", today=today, errors=errors)
    if out["day"] and out["day"] > (today or dt.date.today()):
        errors["day"] = f"服务日期 {out['day'].isoformat()} 还没到"
    out["child_age"] = common.count(values.get("child_age"), "年龄", "child_age", errors)
    if out["child_age"] is not None and out["child_age"] > 17:
        errors["child_age"] = f"年龄 {out['child_age']} 岁不是未成年人"
    out["attendees"] = common.count(values.get("attendees"), "服务人数", "attendees", errors)
    out["attendees"] = 1 if out["attendees"] is None else out["attendees"]
    if errors:
        raise ValidationError(errors)
    return changes.create(StationService, actor, out, scope=out["village_id"]).id


def services(actor: Actor, date_from: dt.date | None = None, date_to: dt.date | None = None,
             village_id: str | None = None) -> list[ServiceRow]:
    query = StationService.select().where(StationService.deleted == _LIVE)
    if date_from:
        query = query.where(StationService.day >= date_from)
    if date_to:
        query = query.where(StationService.day <= date_to)
    if village_id:
        query = query.where(StationService.village_id == village_id)
    found = list(query.order_by(StationService.day, StationService.clock))
    villages, allowed = common.villages(), actor.can("view_minors")
    if allowed and any(s.child_name for s in found):
        with database.atomic():
            _audit_view(actor, "心理健康服务记录", sum(1 for s in found if s.child_name), None, "act_station_service")
    return [ServiceRow(s.id, villages.get(s.village_id, ""), s.day.isoformat(), s.service, s.counsellor,
                       s.child_name if allowed else common.mask_name(s.child_name),
                       s.child_age if allowed else None, s.attendees,
                       s.summary if allowed else (HIDDEN if s.summary else ""), not allowed) for s in found]


def counts(year: int | None = None) -> list[CountRow]:
    """Per village: projects, children helped by target group, station services and people served."""
    villages = common.villages()
    table: dict[str, dict] = {}

    def entry(village_id: str) -> dict:
        return table.setdefault(village_id, {"projects": 0, "children": dict.fromkeys(TARGET_GROUPS, 0),
                                             "services": 0, "attendees": 0})

    for project in MinorProject.select().where(MinorProject.deleted == _LIVE):
        if year and (project.start_date.year > year or (project.end_date and project.end_date.year < year)):
            continue
        row = entry(project.village_id)
        row["projects"] += 1
        row["children"][project.target_group] += (MinorChild.select().where(
            (MinorChild.project_id == project.id) & (MinorChild.deleted == _LIVE)).count())
    query = StationService.select(StationService.village_id, fn.COUNT(StationService.id),
                                  fn.SUM(StationService.attendees)).where(StationService.deleted == _LIVE)
    if year:
        query = query.where(fn.SUBSTR(StationService.day, 1, 4) == str(year))
    for village_id, number, attendees in query.group_by(StationService.village_id).tuples():
        entry(village_id).update(services=number, attendees=attendees or 0)
    position = {vid: i for i, vid in enumerate(villages)}
    return [CountRow(villages.get(v, ""), t["projects"], t["children"], t["services"], t["attendees"])
            for v, t in sorted(table.items(), key=lambda item: position.get(item[0], len(position)))]
