"""The batch reads of 文明创建 give exactly what the one-application reads give, on the demo
township (applications in every status, a veto, objections pending, upheld and dismissed)."""

from __future__ import annotations

import datetime as dt

from civdesk.notices import public_notices as notices
from civdesk.units import organisations, scoring, workflow
from civdesk.units.models import Application, IndicatorSet, Organisation
from tests.support.databases import open_db


def _apps() -> list[Application]:
    return list(Application.select().where(Application.deleted == False))  # noqa: E712


def test_blockers_of_many_are_the_blocker_of_each(demo_copy):
    open_db(demo_copy)
    apps = _apps()
    assert {a.status for a in apps} >= {"draft", "assessing", "notice", "named", "failed"}
    for today in (None, dt.date.today() + dt.timedelta(days=60)):
        naming = workflow.naming_blockers(apps, today)
        assert naming == {a.id: workflow.naming_blocker(a, today) for a in apps}
    publish = workflow.notice_blockers(apps)
    assert publish == {a.id: workflow.notice_blocker(a) for a in apps}
    assert "" in publish.values() and len(set(publish.values())) >= 4  # publishable, vetoed, scores missing …
    assert workflow.notice_blockers([]) == {} and workflow.naming_blockers([]) == {}


def _situation_one_by_one(app: Application) -> str:
    """What the board's 情况 said when it asked per application (before the batch reads)."""
    vetoes = workflow.active_vetoes(app.id)
    if vetoes:
        return f"一票否决：{vetoes[0].condition}"
    if app.status == "draft":
        line = organisations.thresholds(organisations.get_set(app.set_id))
        return (f"自评 {scoring.points_text(app.self_tenths)} 分，未达到申报所需的 {line.self_text} 分"
                if app.self_tenths < line.self_tenths else "自评已达分数线，可以提交")
    fixed = {"submitted": "等待镇文明办受理初审", "prelim": "初审中：审核申报材料"}
    if app.status in fixed:
        return fixed[app.status]
    if app.status == "failed":
        events = workflow.history(app.id)
        return events[-1].reason if events else ""
    if app.status == "assessing":
        return workflow.notice_blocker(app) or "可以公示"
    if app.status == "notice":
        if not notices.notices_of(app.id):
            return "公示已撤回：可以重新发布公示"
        return workflow.naming_blocker(app) or "公示期满，可以命名"
    return app.decision_number if app.status == "named" else ""


def test_situations_are_what_each_application_said_alone(demo_copy):
    open_db(demo_copy)
    apps = _apps()
    found = workflow.situations([a.id for a in apps])
    assert found == {a.id: _situation_one_by_one(a) for a in apps}
    assert len(set(found.values())) >= 6


def test_scores_items_names_and_open_organisations_of_many(demo_copy):
    open_db(demo_copy)
    apps = _apps()
    for kind in ("self", "assessed"):
        assert scoring.unscored_items_of(apps, kind) == {a.id: scoring.unscored_items(a, kind) for a in apps}
    assert any(scoring.unscored_items_of(apps, "assessed").values())
    set_ids = [s.id for s in IndicatorSet.select()]
    assert organisations.items_of_sets(set_ids) == {i: organisations.items(i) for i in set_ids}
    orgs = [o.id for o in Organisation.select()]
    assert organisations.names_of(orgs + [None, "no-such-org"]) == {i: organisations.name_of(i) for i in orgs}
    would_veto = {o for o in orgs if any(
        a.org_id == o and a.status in workflow.OPEN_STATUSES
        and not any(v.condition == workflow.SANITATION and v.source == "inspection" for v in workflow.active_vetoes(a.id))
        for a in apps)}
    assert workflow.orgs_to_veto(orgs, workflow.SANITATION) == would_veto
    assert would_veto and len(would_veto) < len(orgs)


def test_score_lines_and_sets_of_many(demo_copy):
    open_db(demo_copy)
    every = organisations.sets()
    assert organisations.get_sets([s.id for s in every] + ["no-such-set"]) == {s.id: s for s in every}
    assert organisations.thresholds_of(every) == {s.id: organisations.thresholds(s) for s in every}
    own = every[0]
    own.self_threshold, own.pass_threshold = 88, None  # a set with a line of its own, the other from settings
    lines = organisations.thresholds_of([own])
    assert lines[own.id] == organisations.thresholds(own) and lines[own.id].self_tenths == 880
