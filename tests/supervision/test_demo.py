"""The demo's year of 督查与整改: rounds held and missed, notices in every colour and state, the
veto of 柳林村's application through the units domain — quick, and added once."""

from __future__ import annotations

import datetime as dt
import random
import time

from civdesk.demo import foundation
from civdesk.demo import supervision as supervision_demo
from civdesk.demo import units as unit_demo
from civdesk.office import dashboard
from civdesk.supervision import holders, plans, rectification, summary
from civdesk.supervision.models import Inspection, Notice, Photo
from civdesk.units import workflow as unit_workflow
from civdesk.units.models import Application, Organisation


def test_the_demo_year(admin):
    rng = random.Random(7)
    foundation.fill(admin, rng, lambda *a: None)
    unit_demo.fill(admin, rng, lambda *a: None)
    started = time.monotonic()
    supervision_demo.fill(admin, rng, lambda *a: None)
    assert time.monotonic() - started < 10
    today = dt.date.today()
    rows = rectification.notices(today)
    states = {r.state for r in rows}
    assert {"passed", "overdue", "failed", "pending"} <= states
    assert {r.colour for r in rows} == {"ok", "yellow", "red"} and any(r.escalated for r in rows)
    assert any(r.state == "overdue" and not r.escalated for r in rows)
    outcomes = {summary.timeliness(Notice.get_by_id(r.id), today) for r in rows}
    assert {"on_time", "late", "overdue"} <= outcomes
    liulin = Organisation.get(Organisation.name == "柳林村")
    (app,) = Application.select().where((Application.org_id == liulin.id) & (Application.year == today.year))
    (veto,) = unit_workflow.active_vetoes(app.id)
    notice = next(r for r in rows if r.target_name == "柳林村")
    assert veto.source == "inspection" and notice.number in veto.evidence
    assert Photo.select().where(Photo.stage == "after", Photo.pair_id.is_null(False)).exists()
    assert any(o.state == "missed" for o in plans.due_soon(today))
    assert len(holders.rows()) == 8 and all(r.phone_masked.count("*") == 4 for r in holders.rows())
    kinds = {item.kind for item in dashboard.collect(admin)}
    assert {"supervision_notice", "supervision_round"} <= kinds
    count = Inspection.select().count()
    supervision_demo.fill(admin, rng, lambda *a: None)
    assert Inspection.select().count() == count
