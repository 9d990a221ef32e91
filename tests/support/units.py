"""Shared set-up of the civilized-unit tests: a village, organisations, and applications brought
to a given status through the services."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.office import offices as office
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import workflow as unit_workflow

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
YEAR = 2026
START = dt.date(2026, 11, 2)
AFTER = START + dt.timedelta(days=7)  # the day after a 7-day notice


def village(admin, name: str = "红星村"):
    found = [v for v in office.villages() if v.name == name]
    return found[0] if found else office.add_village(admin, name)


def org(admin, name: str = "红星村", kind: str = "村"):
    return units.create_org(CLERK, {"name": name, "kind": kind, "village_id": village(admin).id,
                                    "contact_person": "王村长", "phone": "13812345678", "size_count": 420})


def fill_self(app, *, minus: float = 0.0) -> None:
    """Self-score every item at its maximum, less *minus* points taken from point-scored items."""
    entries, shortfall = {}, round(minus * 10)
    for item in units.items(app.set_id):
        grades = item.grade_points()
        if grades:
            entries[item.id] = (max(grades, key=grades.get), "见附件")
        else:
            cut = min(shortfall, item.max_tenths)
            shortfall -= cut
            entries[item.id] = ((item.max_tenths - cut) / 10, "见台账")
    unit_scoring.enter_scores(CLERK, app.id, "self", entries)


def fill_assessed(app, total: float) -> None:
    """Assessed scores summing to *total* (the shortfall taken from point-scored items)."""
    shortfall = round((100 - total) * 10)
    entries = {}
    for item in units.items(app.set_id):
        grades = item.grade_points()
        if grades:
            entries[item.id] = (max(grades, key=grades.get), "实地查看")
            continue
        cut = min(shortfall, item.max_tenths)
        shortfall -= cut
        entries[item.id] = ((item.max_tenths - cut) / 10, "实地查看")
    unit_scoring.enter_scores(REVIEWER, app.id, "assessed", entries)


def application(admin, status: str = "draft", *, name: str = "红星村", kind: str = "村", title: str = "文明村",
                assessed: float = 92.0):
    """An application brought to *status* ("draft" … "assessing", "notice")."""
    o = org(admin, name, kind)
    app = unit_scoring.create(CLERK, o.id, YEAR, title, "镇级", work_summary="建立了文明创建工作台账。")
    if status == "draft":
        return unit_scoring.get(app.id)
    fill_self(app)
    unit_workflow.submit(CLERK, app.id)
    if status == "submitted":
        return unit_scoring.get(app.id)
    unit_workflow.accept(REVIEWER, app.id)
    if status == "prelim":
        return unit_scoring.get(app.id)
    unit_workflow.start_assessment(REVIEWER, app.id)
    fill_assessed(app, assessed)
    if status == "assessing":
        return unit_scoring.get(app.id)
    unit_workflow.publish_notice(REVIEWER, [app.id], START)
    return unit_scoring.get(app.id)
