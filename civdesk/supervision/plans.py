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


def add_area(actor: Actor, name: str, village=None, route: str = "", note: str = "") -> Area:
    require(actor, "plan_supervision")
    errors: dict = {}
    name = common.text(name, "片区名称", errors, "name", minimum=1, maximum=40)
    village_id = common.resolve_village(village, errors)
    common.raise_if(errors)
    return changes.create(Area, actor, {"name": name, "village_id": village_id, "route": (route or "").strip(),
                                        "note": (note or "").strip()}, scope=village_id)


def areas(village_id: str | None = None) -> list[Area]:
    query = Area.select().where(Area.deleted == _LIVE)
    if village_id:
        query = query.where(Area.village_id == village_id)
    return list(query.order_by(Area.village_id, Area.name))


def add_member(actor: Actor, name: str, role: str = "成员", unit: str = "", phone: str = "") -> Member:
    require(actor, "plan_supervision")
    errors: dict = {}
    name = common.text(name, "姓名", errors, "name", minimum=1, maximum=20)
    checked = validation.phone(phone, required=False)
    if not checked.ok:
        errors["phone"] = checked.error
    common.raise_if(errors)
    return changes.create(Member, actor, {"name": name, "role": (role or "成员").strip(), "unit": (unit or "").strip(),
                                          "phone": checked.value or "", "active": True})


def members(active_only: bool = True) -> list[Member]:
    query = Member.select().where(Member.deleted == _LIVE)
    if active_only:
        query = query.where(Member.active == True)  # noqa: E712
    return list(query.order_by(Member.role.desc(), Member.name))


# --- rounds -------------------------------------------------------------------------------------


def add_round(actor: Actor, name: str, frequency: str, start_date, *, village=None, area_id: str | None = None,
              mechanism: str = "", due_day: int = 25) -> Round:
    require(actor, "plan_supervision")
    errors: dict = {}
    name = common.text(name, "计划名称", errors, "name", minimum=1, maximum=40)
    if frequency not in FREQUENCIES:
        errors["frequency"] = "频次只能是每月（monthly）或每季度（quarterly）"
    start = common.day(start_date, "开始日期", errors, "start_date")
    village_id = common.resolve_village(village, errors)
    if mechanism:
        common.check_mechanism(mechanism, errors)
    try:
        due_day = int(due_day)
        if not 1 <= due_day <= 31:
            raise ValueError
    except (TypeError, ValueError):
        errors["due_day"] = f"每期截止日应为 1 到 31 之间的整数，当前为「{due_day}」"
    if area_id and not Area.select().where((Area.id == area_id) & (Area.deleted == _LIVE)).exists():
        errors["area_id"] = "找不到这个督查片区"
    common.raise_if(errors)
    return changes.create(Round, actor, {"name": name, "frequency": frequency, "village_id": village_id,
                                         "area_id": area_id, "mechanism": mechanism.strip(), "due_day": due_day,
                                         "start_date": start, "active": True}, scope=village_id)


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
    for round_ in rounds():
        cursor = max(start, round_.start_date)
        while cursor <= end:
            label, first, last = _period(round_.frequency, cursor)
            done = any(first <= d <= last for d in held.get(round_.id, ()))
            due = _due(round_, last)
            state = "held" if done else ("missed" if as_of > due else "open")
            found.append(Occurrence(round_.id, round_.name, round_.village_id, common.village_name(round_.village_id),
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


def set_template(actor: Actor, mechanism: str, lines: list[tuple[str, str, int]]) -> int:
    """Replace a mechanism's template (an administrator's or reviewer's edit)."""
    require(actor, "plan_supervision")
    errors: dict = {}
    common.check_mechanism(mechanism, errors)
    for number, (name, kind, points) in enumerate(lines, start=1):
        if not str(name or "").strip():
            errors[f"line{number}"] = f"第 {number} 行：请填写检查内容"
        if kind not in ITEM_KINDS:
            errors[f"line{number}"] = f"第 {number} 行：评价方式只能是 pass（合格/不合格）或 score（打分）"
        if kind == "score" and not (isinstance(points, int) and 0 < points <= 100):
            errors[f"line{number}"] = f"第 {number} 行：打分项的满分应为 1 到 100 的整数"
    if not lines:
        errors["lines"] = "检查表至少要有一项"
    common.raise_if(errors)
    with database.atomic():
        for row in TemplateItem.select().where((TemplateItem.mechanism == mechanism) & (TemplateItem.deleted == _LIVE)):
            changes.delete(row, actor, note="修改检查表")
        for position, (name, kind, points) in enumerate(lines):
            changes.create(TemplateItem, actor, {"mechanism": mechanism, "position": position, "name": name.strip(),
                                                 "kind": kind, "max_points": points if kind == "score" else 0})
    return len(lines)
