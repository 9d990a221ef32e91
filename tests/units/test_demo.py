"""The demo's 文明创建 year: applications in every status, a veto, objections, named, revoked and
expiring titles, district recommendations — deterministic and quick."""

from __future__ import annotations

import random
import time

from civdesk.demo import foundation
from civdesk.demo import units as unit_demo
from civdesk.notices.models import Objection
from civdesk.office import dashboard
from civdesk.units.models import STATUSES, Application, Recommendation, TitleHeld, Veto


def test_the_demo_cycle_covers_every_status(admin):
    rng = random.Random(7)
    foundation.fill(admin, rng, lambda *a: None)
    started = time.monotonic()
    unit_demo.fill(admin, rng, lambda *a: None)
    assert time.monotonic() - started < 10
    seen = {a.status for a in Application.select()}
    assert seen == set(STATUSES)
    veto = Veto.get()
    assert veto.source == "inspection" and veto.condition == "环境卫生长效管理不达标"
    assert {o.outcome for o in Objection.select()} == {"pending", "upheld", "dismissed"}
    assert {t.status for t in TitleHeld.select()} == {"active", "revoked"}
    assert TitleHeld.select().where(TitleHeld.level == "区级").count() == 1
    assert {r.outcome for r in Recommendation.select()} == {"approved", "pending"}
    kinds = {item.kind for item in dashboard.collect(admin)}
    assert {"unit_titles_expiring", "unit_reviews_due", "unit_applications_submitted"} <= kinds
    count = Application.select().count()
    unit_demo.fill(admin, rng, lambda *a: None)  # a second run adds nothing
    assert Application.select().count() == count
