"""The month calendar shows the dated items other domains register (core.calendar_items): 督查
rounds and 整改 deadlines, 热线 deadlines, each opening its record; a village PC sees its own only."""

from __future__ import annotations

import datetime as dt

from civdesk.activities import festival_plans
from civdesk.core import calendar_items, changes
from civdesk.core.actor import Actor
from civdesk.core.registry import registry
from civdesk.hotline import flow, tickets
from civdesk.hotline.models import Ticket
from civdesk.office import offices
from civdesk.supervision import dated as supervision_dated
from civdesk.supervision import plans
from civdesk.supervision.models import Round
from tests.activities.helpers import CLERK

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _day(weeks, day: dt.date) -> festival_plans.CalendarDay:
    return next(d for week in weeks for d in week if d.day == day.isoformat())


def _ticket(actor, **values):
    base = {"received_at": "2026-11-02 09:00", "channel": "来电", "caller_phone": "13800138000", "address": "3组",
            "village_id": "桂花村", "kind": "投诉", "category": "环境卫生", "content": "3组路口的垃圾没人收"}
    return tickets.receive(actor, {**base, **values})


def test_both_domains_registered_a_provider():
    providers = registry.calendar_providers()
    assert supervision_dated.items in providers
    assert any(p.__module__ == "civdesk.hotline.dated" for p in providers)


def test_rounds_deadlines_and_tickets_appear_on_their_days(admin):
    village = offices.add_village(admin, "桂花村")
    plans.add_round(admin, "桂花村环境卫生月查", "monthly", "2026-01-01", village=village.id, due_day=20)
    row = _ticket(CLERK)
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")  # 签收 due 2026-11-03
    weeks = festival_plans.month_calendar(2026, 11, actor=admin, today=dt.date(2026, 11, 2))
    sign_day = _day(weeks, tickets.get(row.id).sign_due)
    assert [(i.source, i.target) for i in sign_day.items] == [("hotline", f"hotline/ticket/{row.id}")]
    assert "签收期限" in sign_day.items[0].detail and sign_day.items[0].mark == "▲"
    round_day = _day(weeks, dt.date(2026, 11, 20))
    assert [(i.source, i.title) for i in round_day.items] == [("supervision", "桂花村环境卫生月查")]
    assert round_day.items[0].target.startswith("supervision/round/") and round_day.items[0].mark == "◆"
    flow.sign(CLERK, row.id, at="2026-11-03 09:00")  # now the handling deadline runs
    handle_due = tickets.get(row.id).handle_due
    items = calendar_items.items(admin, *NOV)
    assert [(i.day, i.source) for i in items if i.source == "hotline"] == [(handle_due, "hotline")]
    # without the permission to handle tickets, no ticket shows
    assert [i.source for i in calendar_items.items(Actor("guest", "访客", "guest"), *NOV)] == ["supervision"]
    # without an actor the calendar is the activities' own
    assert all(not d.items for week in festival_plans.month_calendar(2026, 11) for d in week)


def test_a_village_pc_sees_only_its_own(village_admin):
    own = offices.own_office()
    base = {"received_at": "2026-11-02 09:00", "channel": "热线转办", "kind": "求助", "category": "其他",
            "content": "别村的事", "state": "dispatched", "assignee_kind": "village", "sign_due": dt.date(2026, 11, 3),
            "handle_due": dt.date(2026, 11, 9), "dispatched_at": "2026-11-02 10:00"}
    changes.create(Ticket, village_admin, {**base, "number": "QXZ-RX-2026-0009", "assignee": "x"}, scope="x")
    mine = changes.create(Ticket, village_admin, {**base, "number": "QXZ-RX-2026-0010", "assignee": own.id,
                                                   "village_id": own.id}, scope=own.id)
    changes.create(Round, village_admin, {"name": "别村月查", "frequency": "monthly", "village_id": "x", "due_day": 20,
                                          "start_date": dt.date(2026, 1, 1), "active": True}, scope="x")
    changes.create(Round, village_admin, {"name": "本村月查", "frequency": "monthly", "village_id": own.id,
                                          "due_day": 20, "start_date": dt.date(2026, 1, 1), "active": True},
                   scope=own.id)
    items = calendar_items.items(village_admin, *NOV)
    assert [(i.source, i.target) for i in items if i.source == "hotline"] == [("hotline", f"hotline/ticket/{mine.id}")]
    assert [i.title for i in items if i.source == "supervision"] == ["本村月查"]
