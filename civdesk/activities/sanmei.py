"""「三美」示范村: a village's plan, the yearly evaluation of 风尚新美、环境秀美、生活富美 (each scored
out of 100), and naming as 示范村 with a date once every aspect of that year's evaluation reaches
the pass score (a setting, 85 by default).

A village's plan and each year's evaluation have ids derived from the village (and year), so the
village's PC and the township's, working apart, hold one record that merges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civdesk.activities import common
from civdesk.activities.models import SanmeiEvaluation, SanmeiVillage
from civdesk.activities.terms import SANMEI_ASPECTS
from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError

_LIVE = False


@dataclass(frozen=True)
class SanmeiRow:
    village_id: str
    village: str
    plan_year: int | None
    plan: str
    scores: dict[str, int] | None  # aspect label -> score of the year asked for, None when not evaluated
    passed: bool
    named_on: str
    decision: str
    colour: str  # "ok" named, "yellow" evaluated and not yet named / not evaluated, "red" failed an aspect


def pass_score() -> int:
    from civdesk.office import settings

    return int(settings.get("activities.sanmei_pass_score"))


def _village(value) -> str:
    return common.resolve_village(value, required=True, what="三美示范村创建")


def _upsert(model, actor: Actor, record_id: str, values: dict, scope: str):
    row = model.get_or_none(model.id == record_id)
    if row is None:
        return changes.create(model, actor, values, id=record_id, scope=scope)
    changes.update(row, actor, {**values, "deleted": False})
    return model.get_by_id(record_id)


def set_plan(actor: Actor, village, plan: str, plan_year: int) -> SanmeiVillage:
    """A village's 三美 plan (创建方案): what it will do for each aspect."""
    require(actor, "edit_activities")
    errors: dict[str, str] = {}
    try:
        village_id = _village(village)
    except ValidationError as exc:
        errors.update(exc.errors)
    text = common.text({"plan": plan}, "plan")
    if not text:
        errors["plan"] = "请填写创建方案（风尚新美、环境秀美、生活富美各做什么）"
    if not isinstance(plan_year, int) or not 1950 <= plan_year <= dt.date.today().year + 1:
        errors["plan_year"] = f"方案年度应为 1950 到 {dt.date.today().year + 1} 之间的年份，当前为「{plan_year}」"
    if errors:
        raise ValidationError(errors)
    return _upsert(SanmeiVillage, actor, changes.deterministic_id("sanmei", village_id),
                   {"village_id": village_id, "plan": text, "plan_year": plan_year}, village_id)


def _score(value, label: str, errors: dict, key: str) -> int | None:
    number = common.count(value, f"{label}得分", key, errors, required=True)
    if number is not None and number > 100:
        errors[key] = f"{label}得分应在 0 到 100 之间，当前为 {number}"
        return None
    return number


def evaluate(actor: Actor, village, year: int, scores: dict, evaluated_on=None, note: str = "",
             today: dt.date | None = None) -> SanmeiEvaluation:
    """The year's evaluation; *scores* maps 风尚新美/环境秀美/生活富美 (or fengshang/…) to 0–100."""
    require(actor, "name_sanmei")
    errors: dict[str, str] = {}
    try:
        village_id = _village(village)
    except ValidationError as exc:
        errors.update(exc.errors)
    values = {}
    for key, label in SANMEI_ASPECTS.items():
        values[key] = _score(scores.get(label, scores.get(key)), label, errors, key)
    day = common.check_day(evaluated_on or (today or dt.date.today()), "测评日期", today=today, field="evaluated_on",
                           errors=errors)
    if day and day > (today or dt.date.today()):
        errors["evaluated_on"] = f"测评日期 {day.isoformat()} 还没到"
    if day and day.year not in (year, year + 1):
        errors["evaluated_on"] = f"{year} 年度的测评应在 {year} 年或次年进行，测评日期为 {day.isoformat()}"
    if errors:
        raise ValidationError(errors)
    return _upsert(SanmeiEvaluation, actor, changes.deterministic_id("sanmei-evaluation", village_id, str(year)),
                   {**values, "village_id": village_id, "year": year, "evaluated_on": day,
                    "note": common.text({"note": note}, "note")}, village_id)


def _evaluation(village_id: str, year: int) -> SanmeiEvaluation | None:
    return SanmeiEvaluation.get_or_none((SanmeiEvaluation.id == changes.deterministic_id(
        "sanmei-evaluation", village_id, str(year))) & (SanmeiEvaluation.deleted == _LIVE))


def _passed(row: SanmeiEvaluation | None, line: int | None = None) -> bool:
    """Every aspect at the pass line (*line*: the setting, when a list has read it once already)."""
    return row is not None and min(row.fengshang, row.huanjing, row.shenghuo) >= (
        pass_score() if line is None else line)


def name_model_village(actor: Actor, village, year: int, named_on, decision: str = "",
                       today: dt.date | None = None) -> SanmeiVillage:
    """Name the village a 三美示范村 on *named_on*, on the strength of *year*'s evaluation."""
    require(actor, "name_sanmei")
    village_id = _village(village)
    name = common.villages().get(village_id, "该村")
    plan = SanmeiVillage.get_or_none((SanmeiVillage.id == changes.deterministic_id("sanmei", village_id))
                                     & (SanmeiVillage.deleted == _LIVE))
    if plan is None:
        raise CivDeskError(f"{name}还没有三美示范村创建方案，请先登记方案和测评。")
    if plan.named_on:
        raise CivDeskError(f"{name}已于 {plan.named_on.isoformat()} 命名为三美示范村。")
    evaluation = _evaluation(village_id, year)
    if evaluation is None:
        raise CivDeskError(f"{name}还没有 {year} 年度的三美测评。")
    if not _passed(evaluation):
        low = "、".join(f"{label} {getattr(evaluation, key)} 分" for key, label in SANMEI_ASPECTS.items()
                       if getattr(evaluation, key) < pass_score())
        raise CivDeskError(f"{name} {year} 年度测评未达到每项 {pass_score()} 分（{low}），不能命名为示范村。")
    day = common.check_day(named_on, "命名日期", today=today, field="named_on")
    if day < evaluation.evaluated_on or day > (today or dt.date.today()):
        raise ValidationError({"named_on": f"命名日期应在测评日期 {evaluation.evaluated_on.isoformat()} 和今天之间"})
    changes.update(plan, actor, {"named_on": day, "decision": common.text({"d": decision}, "d")},
                   note=f"命名为三美示范村（{year} 年度测评）")
    return SanmeiVillage.get_by_id(plan.id)


def villages_status(year: int) -> list[SanmeiRow]:
    """Every village with a plan: its plan, *year*'s scores and whether it is named."""
    names = common.villages()
    rows = []
    plans = list(SanmeiVillage.select().where(SanmeiVillage.deleted == _LIVE))
    key = {changes.deterministic_id("sanmei-evaluation", p.village_id, str(year)): p.village_id for p in plans}
    evaluations = {key[e.id]: e for e in SanmeiEvaluation.select().where(
        SanmeiEvaluation.id.in_(list(key)) & (SanmeiEvaluation.deleted == _LIVE))} if key else {}
    line = pass_score()
    for plan in plans:
        evaluation = evaluations.get(plan.village_id)
        scores = ({label: getattr(evaluation, key) for key, label in SANMEI_ASPECTS.items()}
                  if evaluation is not None else None)
        passed = _passed(evaluation, line)
        colour = "ok" if plan.named_on or passed else ("red" if evaluation is not None else "yellow")
        rows.append(SanmeiRow(plan.village_id, names.get(plan.village_id, ""), plan.plan_year, plan.plan, scores,
                              passed, plan.named_on.isoformat() if plan.named_on else "", plan.decision, colour))
    position = {vid: i for i, vid in enumerate(names)}
    return sorted(rows, key=lambda r: position.get(r.village_id, len(position)))
