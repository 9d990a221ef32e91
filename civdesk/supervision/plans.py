"""Plans and schedules: 督查片区 and their routes (by village), the 督查组, recurring rounds with
their due dates, and the checklist templates per mechanism.

A round is due once per period (a month or a quarter) on ``due_day`` of the period's last month;
it is held in a period when an inspection of the round falls in it.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.supervision import common
from civdesk.supervision.defaults import template_for
from civdesk.supervision.models import FREQUENCIES, ITEM_KINDS, Area, Inspection, Member, Round, TemplateItem

_LIVE = False


# --- areas and members ------------------------------------------------------------------------
# Add and edit check the same way (one ``_clean_*`` each); an edit writes nothing when refused and
# everything (row, change log, audit) in one transaction when not. A record keeps its village:
# its sync scope was fixed when it was made.


def _unchanged_village(row, cleaned: dict, errors: dict, what: str) -> None:
    if "village_id" not in errors and cleaned.get("village_id") != row.village_id:
        errors["village_id"] = f"已添加的{what}不能改到另一个村（社区）；请新增一条，再停用或不再使用原来的"


def _clean_area(values: dict, errors: dict, exclude: str | None = None) -> dict:
    out = {"name": common.text(values.get("name"), "片区名称", errors, "name", minimum=1, maximum=40)}
    out["village_id"] = common.resolve_village(values.get("village"), errors)
    out["route"] = common.text(values.get("route"), "巡查路线", errors, "route", maximum=500)
    out["note"] = common.text(values.get("note"), "备注", errors, "note", maximum=500)
    if "name" not in errors and "village_id" not in errors:
        same = Area.select().where((Area.name == out["name"]) & (Area.deleted == _LIVE)
                                   & (Area.village_id.is_null() if out["village_id"] is None
                                      else Area.village_id == out["village_id"]))
        if exclude:
            same = same.where(Area.id != exclude)
        if same.exists():
            errors["name"] = f"「{common.village_name(out['village_id'])}」已经有名为「{out['name']}」的片区了"
    return out


def add_area(actor: Actor, name: str, village=None, route: str = "", note: str = "") -> Area:
    require(actor, "plan_supervision")
    errors: dict = {}
    cleaned = _clean_area({"name": name, "village": village, "route": route, "note": note}, errors)
    common.raise_if(errors)
    return changes.create(Area, actor, cleaned, scope=cleaned["village_id"])


def update_area(actor: Actor, area_id: str, values: dict) -> dict:
    require(actor, "plan_supervision")
    row = get_area(area_id)
    merged = {"name": row.name, "village": row.village_id, "route": row.route, "note": row.note, **values}
    errors: dict = {}
    cleaned = _clean_area(merged, errors, exclude=row.id)
    _unchanged_village(row, cleaned, errors, "片区")
    common.raise_if(errors)
    return changes.update(row, actor, cleaned)


def get_area(area_id: str) -> Area:
    return common.get_live(Area, area_id, "督查片区")


def areas(village_id: str | None = None) -> list[Area]:
    query = Area.select().where(Area.deleted == _LIVE)
    if village_id:
        query = query.where(Area.village_id == village_id)
    return list(query.order_by(Area.village_id, Area.name))


def _clean_member(values: dict, errors: dict) -> dict:
    out = {"name": common.text(values.get("name"), "姓名", errors, "name", minimum=1, maximum=20)}
    out["role"] = common.text(values.get("role") or "成员", "职务", errors, "role", maximum=20)
    out["unit"] = common.text(values.get("unit"), "工作单位", errors, "unit", maximum=60)
    checked = validation.phone(values.get("phone"), required=False)
    if not checked.ok:
        errors["phone"] = checked.error
    out["phone"] = checked.value or ""
    out["active"] = bool(values.get("active", True))
    return out


def add_member(actor: Actor, name: str, role: str = "成员", unit: str = "", phone: str = "") -> Member:
    require(actor, "plan_supervision")
    errors: dict = {}
    cleaned = _clean_member({"name": name, "role": role, "unit": unit, "phone": phone}, errors)
    common.raise_if(errors)
    return changes.create(Member, actor, cleaned)


def update_member(actor: Actor, member_id: str, values: dict) -> dict:
    """Edit a member; ``active=False`` takes them off the 督查组 (past inspections keep the name)."""
    require(actor, "plan_supervision")
    row = get_member(member_id)
    merged = {"name": row.name, "role": row.role, "unit": row.unit, "phone": row.phone, "active": row.active,
              **values}
    errors: dict = {}
    cleaned = _clean_member(merged, errors)
    common.raise_if(errors)
    return changes.update(row, actor, cleaned)


def get_member(member_id: str) -> Member:
    return common.get_live(Member, member_id, "督查组成员")


def members(active_only: bool = True) -> list[Member]:
    query = Member.select().where(Member.deleted == _LIVE)
    if active_only:
        query = query.where(Member.active == True)  # noqa: E712
    return list(query.order_by(Member.role.desc(), Member.name))


# --- rounds -------------------------------------------------------------------------------------


def _clean_round(values: dict, errors: dict) -> dict:
    out = {"name": common.text(values.get("name"), "计划名称", errors, "name", minimum=1, maximum=40)}
    out["frequency"] = values.get("frequency")
    if out["frequency"] not in FREQUENCIES:
        errors["frequency"] = "频次只能是每月（monthly）或每季度（quarterly）"
    out["start_date"] = common.day(values.get("start_date"), "开始日期", errors, "start_date")
    out["village_id"] = common.resolve_village(values.get("village"), errors)
    out["mechanism"] = validation.normalize_text(values.get("mechanism") or "")
    if out["mechanism"]:
        common.check_mechanism(out["mechanism"], errors)
    due_day = values.get("due_day", 25)
    try:
        out["due_day"] = int(due_day)
        if not 1 <= out["due_day"] <= 31:
            raise ValueError
    except (TypeError, ValueError):
        errors["due_day"] = f"每期截止日应为 1 到 31 之间的整数，当前为「{due_day}」"
    out["area_id"] = values.get("area_id") or None
    if out["area_id"]:
        area = Area.get_or_none((Area.id == out["area_id"]) & (Area.deleted == _LIVE))
        if area is None:
            errors["area_id"] = "找不到这个督查片区"
        elif area.village_id and "village_id" not in errors and area.village_id != out["village_id"]:
            errors["area_id"] = f"片区「{area.name}」属于{common.village_name(area.village_id)}，与计划的村（社区）不一致"
    out["active"] = bool(values.get("active", True))
    return out


def add_round(actor: Actor, name: str, frequency: str, start_date, *, village=None, area_id: str | None = None,
              mechanism: str = "", due_day: int = 25) -> Round:
    require(actor, "plan_supervision")
    errors: dict = {}
    cleaned = _clean_round({"name": name, "frequency": frequency, "start_date": start_date, "village": village,
                            "area_id": area_id, "mechanism": mechanism, "due_day": due_day}, errors)
    common.raise_if(errors)
    return changes.create(Round, actor, cleaned, scope=cleaned["village_id"])


def update_round(actor: Actor, round_id: str, values: dict) -> dict:
    """Edit a round; ``active=False`` stops it (its past periods stay in the 通报)."""
    require(actor, "plan_supervision")
    row = get_round(round_id)
    merged = {"name": row.name, "frequency": row.frequency, "start_date": row.start_date, "village": row.village_id,
              "area_id": row.area_id, "mechanism": row.mechanism, "due_day": row.due_day, "active": row.active,
              **values}
    errors: dict = {}
    cleaned = _clean_round(merged, errors)
    _unchanged_village(row, cleaned, errors, "督查计划")
    common.raise_if(errors)
    return changes.update(row, actor, cleaned)


def get_round(round_id: str) -> Round:
    return common.get_live(Round, round_id, "督查计划")


def rounds(active_only: bool = True) -> list[Round]:
    query = Round.select().where(Round.deleted == _LIVE)
    if active_only:
        query = query.where(Round.active == True)  # noqa: E712
    return list(query.order_by(Round.village_id, Round.name))


@dataclass(frozen=True)
class Occurrence:
    """One period of a round: when it starts and ends, when it is due, whether it was held."""

    round_id: str
    round_name: str
    village_id: str | None
    village_name: str
    period: str  # "2026-03" or "2026-Q1"
    start: dt.date
    end: dt.date
    due: dt.date
    held: bool
    state: str  # "held" | "open" | "missed"


def _period(frequency: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    if frequency == "monthly":
        first = day.replace(day=1)
        label = f"{day.year}-{day.month:02d}"
        last_month = first
    else:
        quarter = (day.month - 1) // 3
        first = dt.date(day.year, quarter * 3 + 1, 1)
        label = f"{day.year}-Q{quarter + 1}"
        last_month = dt.date(day.year, quarter * 3 + 3, 1)
    end = last_month.replace(day=month_calendar.monthrange(last_month.year, last_month.month)[1])
    return label, first, end


def _due(round_: Round, end: dt.date) -> dt.date:
    return end.replace(day=min(round_.due_day, end.day))


def occurrences(start: dt.date, end: dt.date, as_of: dt.date | None = None) -> list[Occurrence]:
    """Every period of every active round that overlaps start..end, with its state on *as_of*."""
    as_of = as_of or dt.date.today()
    held = {}
    for round_id, day in (Inspection.select(Inspection.round_id, Inspection.day)
                          .where(Inspection.round_id.is_null(False) & (Inspection.deleted == _LIVE)
                                 & (Inspection.day <= end)).tuples()):
        held.setdefault(round_id, []).append(day if isinstance(day, dt.date) else dt.date.fromisoformat(day))
    found = []
    village = common.village_names()
    for round_ in rounds():
        cursor = max(start, round_.start_date)
        while cursor <= end:
            label, first, last = _period(round_.frequency, cursor)
            done = any(first <= d <= last for d in held.get(round_.id, ()))
            due = _due(round_, last)
            state = "held" if done else ("missed" if as_of > due else "open")
            found.append(Occurrence(round_.id, round_.name, round_.village_id, village(round_.village_id),
                                    label, first, last, due, done, state))
            cursor = last + dt.timedelta(days=1)
    return sorted(found, key=lambda o: (o.due, o.village_name, o.round_name))


def due_soon(as_of: dt.date | None = None, days: int = 7) -> list[Occurrence]:
    """Periods not held whose due date has passed (this period or the last) or comes within *days*."""
    as_of = as_of or dt.date.today()
    window = [o for o in occurrences(as_of - dt.timedelta(days=92), as_of + dt.timedelta(days=days), as_of)
              if not o.held and o.start <= as_of + dt.timedelta(days=days)]
    return [o for o in window if o.due <= as_of + dt.timedelta(days=days)]


# --- checklist templates ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistLine:
    name: str
    kind: str  # "pass" | "score"
    max_points: int


def ensure_templates(actor: Actor) -> int:
    """Create the default template of every mechanism that has none; returns the lines made."""
    made = 0
    with database.atomic():
        for mechanism in common.mechanisms():
            if TemplateItem.select().where((TemplateItem.mechanism == mechanism) & (TemplateItem.deleted == _LIVE)).exists():
                continue
            for position, (name, kind, points) in enumerate(template_for(mechanism)):
                changes.create(TemplateItem, actor, {"mechanism": mechanism, "position": position, "name": name,
                                                     "kind": kind, "max_points": points}, audit=False)
                made += 1
    return made


def template(mechanism: str) -> list[ChecklistLine]:
    """The mechanism's checklist: its edited template, or the default one."""
    rows = list(TemplateItem.select().where((TemplateItem.mechanism == mechanism) & (TemplateItem.deleted == _LIVE))
                .order_by(TemplateItem.position))
    if rows:
        return [ChecklistLine(r.name, r.kind, r.max_points) for r in rows]
    return [ChecklistLine(name, kind, points) for name, kind, points in template_for(mechanism)]


def _check_lines(lines: list[tuple[str, str, int]], errors: dict) -> list[ChecklistLine]:
    checked, seen = [], set()
    for number, (name, kind, points) in enumerate(lines, start=1):
        name = validation.normalize_text(name or "")
        if not name:
            errors[f"line{number}"] = f"第 {number} 行：请填写检查内容"
        elif len(name) > 60:
            errors[f"line{number}"] = f"第 {number} 行：检查内容不能超过 60 个字"
        elif name in seen:
            errors[f"line{number}"] = f"第 {number} 行：「{name}」重复了"
        elif kind not in ITEM_KINDS:
            errors[f"line{number}"] = f"第 {number} 行：评价方式只能是 pass（合格/不合格）或 score（打分）"
        elif kind == "score" and not (isinstance(points, int) and 0 < points <= 100):
            errors[f"line{number}"] = f"第 {number} 行：打分项的满分应为 1 到 100 的整数"
        seen.add(name)
        checked.append(ChecklistLine(name, kind, points if kind == "score" else 0))
    if not lines:
        errors["lines"] = "检查表至少要有一项"
    elif len(lines) > 50:
        errors["lines"] = f"检查表最多 50 项，现在有 {len(lines)} 项"
    return checked


def set_template(actor: Actor, mechanism: str, lines: list[tuple[str, str, int]]) -> int:
    """Replace a mechanism's template (an administrator's or reviewer's edit), all lines or none;
    returns the lines written (0 when nothing changed). Inspections already recorded keep the
    checklist they were filled with."""
    require(actor, "plan_supervision")
    errors: dict = {}
    mechanism = common.check_mechanism(mechanism, errors)
    checked = _check_lines(list(lines), errors)
    common.raise_if(errors)
    if checked == template(mechanism) and edited(mechanism):
        return 0
    with database.atomic():
        for row in TemplateItem.select().where((TemplateItem.mechanism == mechanism) & (TemplateItem.deleted == _LIVE)):
            changes.delete(row, actor, note="修改检查表")
        for position, line in enumerate(checked):
            changes.create(TemplateItem, actor, {"mechanism": mechanism, "position": position, "name": line.name,
                                                 "kind": line.kind, "max_points": line.max_points})
    return len(checked)


def edited(mechanism: str) -> bool:
    """Whether the mechanism has its own template rows (else the default one is used)."""
    return TemplateItem.select().where((TemplateItem.mechanism == mechanism)
                                       & (TemplateItem.deleted == _LIVE)).exists()


# --- what the planning screens list -------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    id: str
    name: str
    village_id: str | None
    village_name: str
    route: str
    note: str
    rounds: int


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    role: str
    unit: str
    phone_masked: str
    active: bool


@dataclass(frozen=True)
class RoundRow:
    id: str
    name: str
    frequency: str
    frequency_label: str
    village_id: str | None
    village_name: str
    area_id: str | None
    area_name: str
    mechanism: str
    due_day: int
    start_date: dt.date
    active: bool


@dataclass(frozen=True)
class TemplateSummary:
    mechanism: str
    lines: int
    scored: int  # lines scored out of points
    points: int  # their total
    edited: bool  # differs from the default checklist


def area_rows() -> list[AreaRow]:
    used: dict[str, int] = {}
    for (area_id,) in Round.select(Round.area_id).where(Round.area_id.is_null(False) & (Round.deleted == _LIVE)).tuples():
        used[area_id] = used.get(area_id, 0) + 1
    village = common.village_names()
    return [AreaRow(a.id, a.name, a.village_id, "（镇区）" if not a.village_id else village(a.village_id),
                    a.route, a.note, used.get(a.id, 0)) for a in areas()]


def member_rows() -> list[MemberRow]:
    """Every member, those in the 督查组 first; phones masked."""
    found = sorted(members(active_only=False), key=lambda m: not m.active)
    return [MemberRow(m.id, m.name, m.role, m.unit, validation.mask_phone(m.phone), m.active) for m in found]


def round_rows() -> list[RoundRow]:
    """Every round, active ones first."""
    names = {a.id: a.name for a in areas()}
    found = sorted(rounds(active_only=False), key=lambda r: not r.active)
    village = common.village_names()
    return [RoundRow(r.id, r.name, r.frequency, FREQUENCIES.get(r.frequency, r.frequency), r.village_id,
                     "（全镇）" if not r.village_id else village(r.village_id), r.area_id,
                     names.get(r.area_id, "") if r.area_id else "", r.mechanism, r.due_day, r.start_date, r.active)
            for r in found]


def template_summaries() -> list[TemplateSummary]:
    out = []
    for mechanism in common.mechanisms():
        lines = template(mechanism)
        scored = [line for line in lines if line.kind == "score"]
        out.append(TemplateSummary(mechanism, len(lines), len(scored), sum(line.max_points for line in scored),
                                   lines != default_template(mechanism)))
    return out


def default_template(mechanism: str) -> list[ChecklistLine]:
    """The checklist a mechanism starts with (恢复默认 in the template editor)."""
    return [ChecklistLine(name, kind, points) for name, kind, points in template_for(mechanism)]
