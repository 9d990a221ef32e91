"""The batch reads of 公示 give exactly what the one-item reads give, on the demo township."""

from __future__ import annotations

import datetime as dt

from civdesk.notices import public_notices as notices
from civdesk.notices.models import NoticeCandidate, PublicNotice
from tests.support.databases import open_db


def test_clearance_many_is_clearance_of_each_item(demo_copy):
    open_db(demo_copy)
    items = sorted({c.item_id for c in NoticeCandidate.select()}) + ["never-on-a-notice"]
    starts = [n.start_date for n in PublicNotice.select()]
    reasons = set()
    for today in (None, min(starts) - dt.timedelta(days=1), max(starts) + dt.timedelta(days=2),
                  max(starts) + dt.timedelta(days=60)):
        many = notices.clearance_many(items, today)
        assert set(many) == set(items)
        for item in items:
            assert many[item] == notices.clearance(item, today), item
        reasons |= {c.reason for c in many.values()}
    # every branch of the rule was met: not yet on a notice, before, during, pending, upheld, clear
    for start in ("尚未公示", "公示将于", "仍在公示期内", "公示期间收到", "公示期间的异议经核实成立", "公示期满"):
        assert any(reason.startswith(start) for reason in reasons), start


def test_notices_of_many_and_statuses_are_the_one_item_reads(demo_copy):
    open_db(demo_copy)
    items = sorted({c.item_id for c in NoticeCandidate.select()})
    many = notices.notices_of_many(items)
    assert all(many[item] == notices.notices_of(item) for item in items)
    assert sum(len(found) for found in many.values()) >= 10
    every = list(PublicNotice.select())
    for today in (None, dt.date.today() + dt.timedelta(days=30)):
        states = notices.statuses(every, today)
        assert {n.id: notices.status(n, today) for n in every} == states
    assert {s.state for s in notices.statuses(every).values()} >= {"已期满", "公示中"}
    assert any(s.pending for s in notices.statuses(every).values())
    assert notices.statuses([]) == {} and notices.clearance_many([]) == {}
