"""The demo's 活动与阵地: festival activities on the real dates, two halls with sessions, placements
in every location type, one 示范村, a minors' project — quick, and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
import time

from civdesk.activities import festival_plans, halls, minors, placements, records, sanmei
from civdesk.activities.models import ActivityRecord
from civdesk.activities.terms import LOCATION_TYPES
from civdesk.calendar import festivals
from civdesk.demo import activities as activity_demo
from civdesk.demo import foundation
from tests.activities.helpers import volunteer


def test_the_demo_year_of_activities(admin):
    rng = random.Random(7)
    foundation.fill(admin, rng, lambda *a: None)
    for seq, name in enumerate(("王秀英", "李建国", "赵晓东", "钱多多"), 11):
        volunteer(name, seq)
    started = time.monotonic()
    activity_demo.fill(admin, rng, lambda *a: None)
    assert time.monotonic() - started < 10
    today = dt.date.today()
    held = records.rows(kind="festival", status="held")
    dates = {(n, d.isoformat()) for y in (today.year - 1, today.year) for n, d in festivals.festivals(y)}
    assert len(held) >= 9 and all((r.festival, r.day) in dates for r in held)
    assert all(r.photo_count == 1 and r.volunteers == 3 for r in held)
    assert {s.status for s in records.volunteer_services(held[-1].id)} == {"pending"}
    assert {s.status for s in records.volunteer_services(held[0].id)} == {"approved"}
    assert len(festival_plans.unplanned(today)) <= 1
    assert [(h.kind, h.name) for h in halls.halls()] == [("总堂", "清溪镇道德讲堂"), ("分堂", "土城分堂")]
    assert len(halls.sessions()) == 5
    assert set(placements.counts()[-1].by_type) == set(LOCATION_TYPES)
    assert all(v > 0 for v in placements.counts()[-1].by_type.values())
    from civdesk.supervision import placement_findings

    shown = placements.placements()
    found = placement_findings.of_placements([p.id for p in shown], open_only=True)
    assert [(f.state, f.open) for items in found.values() for f in items] == [("破损", True)]
    assert next(p for p in shown if p.id in found).state == "破损"
    named = [r for r in sanmei.villages_status(today.year - 1) if r.named_on]
    assert [r.village for r in named] == ["桂花村"]
    project = minors.projects()[0]
    assert project.children == 4 and minors.children(admin, project.id)[0].name
    count = ActivityRecord.select().count()
    activity_demo.fill(admin, rng, lambda *a: None)
    assert ActivityRecord.select().count() == count
