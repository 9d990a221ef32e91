"""The life of an application: 草稿 → 已提交 → 初审 → 测评 → 公示 → 已命名 or 未通过, with 退回修改
back to 草稿, and 一票否决 at any point before naming.

Every move writes an append-only ``StatusEvent`` (from, to, who, when, reason) next to the
status field. Roles are enforced here: a clerk files and submits; only a reviewer moves an
application through review, scores, vetoes, publishes and names; only an administrator lifts
a veto.

The inspection module (督查整改) calls :func:`raise_veto_from_inspection` when a rectification
notice about sanitation runs overdue: that is the entry point for "环境卫生长效管理不达标".
"""

from __future__ import annotations

import datetime as dt

from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError, date_value
from civdesk.documents import service as document_numbers
from civdesk.notices import public_notices as notices
from civdesk.office import settings
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units.models import STATUSES, Application, Organisation, StatusEvent, TitleHeld, Veto, title_text

_LIVE = False
SANITATION = "环境卫生长效管理不达标"
OPEN_STATUSES = ("draft", "submitted", "prelim", "assessing", "notice")
RETURNABLE = ("submitted", "prelim", "assessing")
FAILABLE = ("submitted", "prelim", "assessing", "notice")


def history(application_id: str) -> list[StatusEvent]:
    return list(StatusEvent.select().where(StatusEvent.application_id == application_id).order_by(StatusEvent.clock))


def _move(actor: Actor, app: Application, to: str, reason: str = "", extra: dict | None = None) -> Application:
    with database.atomic():
        changes.create(StatusEvent, actor, {"application_id": app.id, "from_status": app.status, "to_status": to,
                                            "reason": reason}, scope=app.scope, audit=False)
        changes.update(app, actor, {"status": to, **(extra or {})}, note=reason or f"{STATUSES[to]}")
    return app


def _expect(app: Application, allowed: tuple[str, ...], what: str) -> None:
    if app.status not in allowed:
        names = "、".join(STATUSES[s] for s in allowed)
        raise CivDeskError(f"申报现在是「{STATUSES[app.status]}」，不能{what}（只有「{names}」的申报可以）。")


def _reason(reason: str, label: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": f"请写明{label}"})
    return reason


def submit(actor: Actor, application_id: str) -> Application:
    """草稿 → 已提交: every indicator self-scored and the total at the self-score line."""
    require(actor, "edit_unit_applications")
    app = unit_scoring.get(application_id)
    _expect(app, ("draft",), "提交")
    missing = unit_scoring.unscored_items(app, "self")
    if missing:
        names = "、".join(f"「{i.name[:12]}…」" if len(i.name) > 12 else f"「{i.name}」" for i in missing[:3])
        raise ValidationError({"self_scores": f"还有 {len(missing)} 项指标没有自评：{names}"
                                              f"{'等' if len(missing) > 3 else ''}"})
    if not app.work_summary.strip():
        raise ValidationError({"work_summary": "请填写创建工作总结后再提交"})
    line = units.thresholds(units.get_set(app.set_id))
    if app.self_tenths < line.self_tenths:
        raise ValidationError({"self_scores": f"自评总分 {unit_scoring.points_text(app.self_tenths)} 分，"
                                              f"未达到申报所需的 {line.self_text} 分，不能提交"})
    return _move(actor, app, "submitted", "提交申报")


def accept(actor: Actor, application_id: str) -> Application:
    """已提交 → 初审: the township takes the application into preliminary review."""
    require(actor, "review_units")
    app = unit_scoring.get(application_id)
    _expect(app, ("submitted",), "受理初审")
    return _move(actor, app, "prelim", "受理，进入初审")


def start_assessment(actor: Actor, application_id: str, note: str = "") -> Application:
    """初审 → 测评: the materials are complete; assessed scores may now be entered."""
    require(actor, "review_units")
    app = unit_scoring.get(application_id)
    _expect(app, ("prelim",), "进入测评")
    return _move(actor, app, "assessing", (note or "").strip() or "初审通过，进入测评")


def return_for_changes(actor: Actor, application_id: str, reason: str) -> Application:
    """已提交 / 初审 / 测评 → 草稿 with what to change."""
    require(actor, "review_units")
    app = unit_scoring.get(application_id)
    reason = _reason(reason, "退回修改的原因（要改什么）")
    _expect(app, RETURNABLE, "退回修改")
    return _move(actor, app, "draft", f"退回修改：{reason}")


def fail(actor: Actor, application_id: str, reason: str) -> Application:
    require(actor, "review_units")
    app = unit_scoring.get(application_id)
    reason = _reason(reason, "未通过的原因")
    _expect(app, FAILABLE, "评为未通过")
    return _move(actor, app, "failed", reason)


# --- 一票否决 -----------------------------------------------------------------------------------


def veto_conditions() -> list[str]:
    text = str(settings.get("unit.veto_conditions") or "")
    found = [part.strip() for part in text.replace(";", "；").replace("\n", "；").split("；") if part.strip()]
    return found if SANITATION in found else [*found, SANITATION]


def active_vetoes(application_id: str) -> list[Veto]:
    return list(Veto.select().where((Veto.application_id == application_id) & (Veto.lifted == False)  # noqa: E712
                                    & (Veto.deleted == _LIVE)).order_by(Veto.created_at))


def vetoes(application_id: str) -> list[Veto]:
    return list(Veto.select().where((Veto.application_id == application_id) & (Veto.deleted == _LIVE))
                .order_by(Veto.created_at))


def _record_veto(actor: Actor, app: Application, condition: str, reason: str, evidence: str, source: str) -> Veto:
    errors = {}
    if condition not in veto_conditions():
        errors["condition"] = f"否决情形只能是设置中列出的：{'、'.join(veto_conditions())}"
    if len((reason or "").strip()) < 4:
        errors["reason"] = "请写明否决的事实和理由（至少 4 个字）"
    if errors:
        raise ValidationError(errors)
    if app.status not in OPEN_STATUSES:
        raise CivDeskError(f"申报已{STATUSES[app.status]}，不能再否决；已命名的称号请在单位页面摘牌。")
    return changes.create(Veto, actor, {"application_id": app.id, "condition": condition,
                                        "reason": reason.strip(), "evidence": (evidence or "").strip(),
                                        "source": source}, scope=app.scope,
                          note=f"一票否决：{condition}", record_label=app.record_label())


def veto(actor: Actor, application_id: str, condition: str, reason: str, evidence: str = "") -> Veto:
    """A reviewer records a veto: the application cannot be put on a notice or named, whatever
    its score, until an administrator lifts it."""
    require(actor, "review_units")
    return _record_veto(actor, unit_scoring.get(application_id), condition, reason, evidence, "manual")


def raise_veto_from_inspection(actor: Actor, org_id: str, condition: str, reason: str, evidence: str = "") -> list[Veto]:
    """THE entry point for the inspection module: a veto on every open application of the
    organisation (e.g. condition "环境卫生长效管理不达标" when a rectification notice runs
    overdue). Idempotent: an application already vetoed for the same condition by inspection
    gets no second veto. Returns the vetoes made (empty when the organisation has no open
    application; its titles are then a matter for the annual review)."""
    require(actor, "review_units")
    org = units.get_org(org_id)
    made = []
    with database.atomic():
        for app in Application.select().where((Application.org_id == org.id) & (Application.deleted == _LIVE)
                                              & (Application.status.in_(OPEN_STATUSES))):
            if any(v.condition == condition and v.source == "inspection" for v in active_vetoes(app.id)):
                continue
            made.append(_record_veto(actor, app, condition, reason, evidence, "inspection"))
    return made


def orgs_to_veto(org_ids, condition: str) -> set[str]:
    """Of these organisations, those that :func:`raise_veto_from_inspection` would veto for
    *condition* now (an open application without that inspection veto), in two reads for all."""
    ids = list({i for i in org_ids if i})
    if not ids:
        return set()
    apps = dict(Application.select(Application.id, Application.org_id).where(
        (Application.org_id << ids) & (Application.deleted == _LIVE) & (Application.status.in_(OPEN_STATUSES))).tuples())
    vetoed = {a for (a,) in Veto.select(Veto.application_id).where(
        (Veto.application_id << list(apps)) & (Veto.lifted == False) & (Veto.deleted == _LIVE)  # noqa: E712
        & (Veto.condition == condition) & (Veto.source == "inspection")).tuples()} if apps else set()
    return {org for app, org in apps.items() if app not in vetoed}


def lift_veto(actor: Actor, veto_id: str, reason: str) -> Veto:
    require(actor, "lift_vetoes")
    row = Veto.get_or_none((Veto.id == veto_id) & (Veto.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这条一票否决记录。")
    if row.lifted:
        raise CivDeskError("这条一票否决已经解除过了。")
    reason = _reason(reason, "解除否决的理由（例如：经复核不属实）")
    changes.update(row, actor, {"lifted": True, "lifted_reason": reason, "lifted_by": actor.display_name,
                                "lifted_at": changes.now_text()}, note=f"解除一票否决：{reason}")
    return row


# --- 公示 and 命名 ------------------------------------------------------------------------------


def notice_blocker(app: Application) -> str:
    """Why the application may not go on a notice now ("" when it may)."""
    return _notice_blocker(app, lambda: not notices.notices_of(app.id), lambda: next(iter(active_vetoes(app.id)), None),
                           lambda: unit_scoring.unscored_items(app, "assessed"),
                           lambda: units.thresholds(units.get_set(app.set_id)))


def notice_blockers(apps: list[Application]) -> dict[str, str]:
    """``notice_blocker`` of many applications (id -> reason): their notices, vetoes, scores,
    indicator items and score lines read once for all."""
    on_notice = notices.notices_of_many(a.id for a in apps if a.status == "notice")
    may = [a for a in apps if a.status == "assessing" or (a.status == "notice" and not on_notice[a.id])]
    vetoes = first_vetoes([a.id for a in may])
    missing = unit_scoring.unscored_items_of([a for a in may if a.id not in vetoes], "assessed")
    lines = _lines(may)
    return {a.id: _notice_blocker(a, lambda a=a: not on_notice[a.id], lambda a=a: vetoes.get(a.id),
                                  lambda a=a: missing[a.id], lambda a=a: lines(a.set_id)) for a in apps}


def _notice_blocker(app: Application, withdrawn, veto, missing, line) -> str:
    """The rule of ``notice_blocker``; what it needs comes through callables, asked only when the
    rule gets that far (per application or from reads made for many)."""
    if app.status != "assessing" and not (app.status == "notice" and withdrawn()):  # notice withdrawn
        return f"申报现在是「{STATUSES[app.status]}」，只有测评中的申报可以公示"
    found = veto()
    if found is not None:
        return f"已被一票否决（{found.condition}）"
    unscored = missing()
    if unscored:
        return f"还有 {len(unscored)} 项指标没有测评分"
    threshold = line()
    if (app.assessed_tenths or 0) < threshold.pass_tenths:
        return (f"测评总分 {unit_scoring.points_text(app.assessed_tenths or 0)} 分，"
                f"未达到通过分数 {threshold.pass_text} 分")
    return ""


def first_vetoes(application_ids: list[str]) -> dict[str, Veto]:
    """The first active veto of each application that has one, in one read."""
    found: dict[str, Veto] = {}
    if application_ids:
        for veto in (Veto.select().where((Veto.application_id << list(application_ids))
                                         & (Veto.lifted == False) & (Veto.deleted == _LIVE))  # noqa: E712
                     .order_by(Veto.created_at)):
            found.setdefault(veto.application_id, veto)
    return found


def _lines(apps: list[Application]):
    """Score lines by indicator set: the sets of *apps* and the settings read once; another set
    (or a missing one, which raises NotFound as ``get_set`` does) when first asked for."""
    found = units.thresholds_of(units.get_sets(a.set_id for a in apps).values())

    def line(set_id: str) -> units.Thresholds:
        if set_id not in found:
            found[set_id] = units.thresholds(units.get_set(set_id))
        return found[set_id]
    return line


def candidate_for(app: Application) -> notices.Candidate:
    org = Organisation.get_by_id(app.org_id)
    return notices.Candidate(app.id, org.name, f"{title_text(app.title, app.level, app.model_grade)}"
                                               f"（测评{unit_scoring.points_text(app.assessed_tenths)}分）",
                             scope=app.scope)


def publish_notice(actor: Actor, application_ids: list[str], start_date, *, days: int | None = None,
                   title: str = "", body: str = "", contact: str | None = None):
    """Put applications on one public notice (via the shared notices module) → 公示."""
    require(actor, "review_units")
    require(actor, "publish_notices")
    apps = [unit_scoring.get(i) for i in application_ids]
    if not apps:
        raise ValidationError({"candidates": "请至少选择一份申报"})
    blockers = notice_blockers(apps)
    refused = [f"「{Organisation.get_by_id(a.org_id).name}」{blockers[a.id]}" for a in apps if blockers[a.id]]
    if refused:
        raise CivDeskError("以下申报不能公示：" + "；".join(refused) + "。")
    year = apps[0].year
    title = title.strip() or f"关于{year}年度文明单位（村、社区）拟命名对象的公示"
    with database.atomic():
        notice = notices.publish(actor, "unit", str(year), title, [candidate_for(a) for a in apps], start_date,
                                 days=days, body=body, contact=contact)
        for app in apps:
            _move(actor, app, "notice", f"列入公示：{notice.title}（{notice.start_date} 至 {notice.end_date}）")
    return notice


def naming_blocker(app: Application, today: dt.date | None = None) -> str:
    return _naming_blocker(app, lambda: next(iter(active_vetoes(app.id)), None),
                           lambda: notices.clearance(app.id, today))


def naming_blockers(apps: list[Application], today: dt.date | None = None) -> dict[str, str]:
    """``naming_blocker`` of many applications (id -> reason): vetoes and notices read once for all."""
    on_notice = [a.id for a in apps if a.status == "notice"]
    vetoes = first_vetoes(on_notice)
    cleared = notices.clearance_many([i for i in on_notice if i not in vetoes], today)
    return {a.id: _naming_blocker(a, lambda a=a: vetoes.get(a.id), lambda a=a: cleared[a.id]) for a in apps}


def _naming_blocker(app: Application, veto, clearance) -> str:
    if app.status != "notice":
        return f"申报现在是「{STATUSES[app.status]}」，只有公示过的申报可以命名"
    found = veto()
    if found is not None:
        return f"已被一票否决（{found.condition}），不能命名"
    cleared = clearance()
    return "" if cleared.ok else cleared.reason


def name(actor: Actor, application_ids: list[str], decision_number: str, decision_date, *,
         today: dt.date | None = None) -> list[TitleHeld]:
    """命名: one decision (number and date) names the applications; each gets its title for the
    set term. Only after the notice has ended with no pending or upheld objection, never with
    a veto standing."""
    require(actor, "name_units")
    number = (decision_number or "").strip()  # blank: the next number of the issuing body's year
    errors = {}
    checked = date_value(decision_date, "命名日期")
    if not checked.ok:
        errors["decision_date"] = checked.error
    if not application_ids:
        errors["candidates"] = "请至少选择一份申报"
    if errors:
        raise ValidationError(errors)
    apps = [unit_scoring.get(i) for i in application_ids]
    blockers = naming_blockers(apps, today)
    refused = [f"「{Organisation.get_by_id(a.org_id).name}」{blockers[a.id]}" for a in apps if blockers[a.id]]
    if refused:
        raise CivDeskError("以下申报不能命名：" + "；".join(refused) + "。")
    day = checked.value
    term = int(settings.get("unit.term_years"))
    titles = []
    with database.atomic():
        ref = f"{day.isoformat()}/{min(application_ids)}"
        number = document_numbers.register(actor, "unit_decision", number or ref, day.year,
                                           title=f"关于命名{apps[0].year}年度文明单位（村、社区）的决定",
                                           number=number or None)
        for app in apps:
            try:
                until = day.replace(year=day.year + term) - dt.timedelta(days=1)
            except ValueError:  # 29 February
                until = dt.date(day.year + term, 2, 28)
            titles.append(changes.create(TitleHeld, actor, {
                "org_id": app.org_id, "application_id": app.id, "title": app.title, "level": app.level,
                "model_grade": app.model_grade, "year": app.year, "term_years": term, "valid_until": until,
                "decision_number": number, "decision_date": day, "status": "active"}, scope=app.scope))
            _move(actor, app, "named", f"命名：{number}", {"decision_number": number, "decision_date": day})
    return titles


def next_step(app: Application, actor: Actor) -> str:
    """What happens next, in a sentence the editor shows above the indicator tree."""
    hints = {
        "draft": "填写自评分和创建工作总结，自评总分达到分数线后点「提交申报」。",
        "submitted": "等待镇文明办受理初审。" if not actor.can("review_units") else "点「受理初审」开始审核材料。",
        "prelim": "材料审核中。" if not actor.can("review_units") else "材料齐全后点「进入测评」，不齐全请「退回修改」。",
        "assessing": "镇文明办正在实地测评。" if not actor.can("review_units") else "逐项录入测评分，保存后在看板上选中达标的申报「发布公示」。",
        "notice": "公示期满、异议核实完毕后即可命名。",
        "named": "已命名，称号见单位页面。",
        "failed": "未通过。",
    }
    return hints.get(app.status, "")


def situation(application_id: str) -> str:
    """What stands in the way, or what may happen next, in a few words (the board's 情况)."""
    return situations([application_id])[application_id]


def situations(application_ids: list[str]) -> dict[str, str]:
    """``situation`` of many applications: applications, vetoes, notices, scores and score
    lines read once for all."""
    ids = list(application_ids)
    apps = {a.id: a for a in Application.select().where((Application.id << ids) & (Application.deleted == _LIVE))}
    for application_id in ids:
        if application_id not in apps:
            apps[application_id] = unit_scoring.get(application_id)  # raises NotFound
    first_veto = first_vetoes(ids)
    lines = _lines([a for a in apps.values() if a.status == "draft" and a.id not in first_veto])
    later = [a for a in apps.values() if a.id not in first_veto and a.status != "draft"]
    after_draft = _situations_after_draft(later)
    found = {}
    for application_id in ids:
        app = apps[application_id]
        if app.id in first_veto:
            found[app.id] = f"一票否决：{first_veto[app.id].condition}"
        elif app.status == "draft":
            line = lines(app.set_id)
            found[app.id] = (f"自评 {unit_scoring.points_text(app.self_tenths)} 分，未达到申报所需的 {line.self_text} 分"
                             if app.self_tenths < line.self_tenths else "自评已达分数线，可以提交")
        else:
            found[app.id] = after_draft[app.id]
    return found


def _situations_after_draft(apps: list[Application]) -> dict[str, str]:
    fixed = {"submitted": "等待镇文明办受理初审", "prelim": "初审中：审核申报材料"}
    last_reason: dict[str, str] = {}
    failed = [a.id for a in apps if a.status == "failed"]
    if failed:
        for event in StatusEvent.select().where(StatusEvent.application_id << failed).order_by(StatusEvent.clock):
            last_reason[event.application_id] = event.reason
    blockers = notice_blockers([a for a in apps if a.status == "assessing"])
    on_notice = [a for a in apps if a.status == "notice"]
    listed = notices.notices_of_many(a.id for a in on_notice)
    naming = naming_blockers([a for a in on_notice if listed[a.id]])
    found = {}
    for app in apps:
        if app.status in fixed:
            found[app.id] = fixed[app.status]
        elif app.status == "failed":
            found[app.id] = last_reason.get(app.id, "")
        elif app.status == "assessing":
            found[app.id] = blockers[app.id] or "可以公示"
        elif app.status == "notice":
            found[app.id] = (naming[app.id] or "公示期满，可以命名") if listed[app.id] else "公示已撤回：可以重新发布公示"
        else:
            found[app.id] = app.decision_number if app.status == "named" else ""
    return found


def is_named(application_id: str) -> bool:
    app = Application.get_or_none(Application.id == application_id)
    return app is not None and app.status == "named"

