"""The demo township's 热线工单: every state, a 重办, a merged duplicate, a hot issue closed by its
现场办公会, and filling twice adds nothing."""

from __future__ import annotations

import random
import time

from civdesk.demo import foundation
from civdesk.demo import hotline as hotline_demo
from civdesk.hotline import board, hot, stats
from civdesk.hotline.models import Extension, Meeting, Ticket, TicketEvent
from civdesk.hotline.terms import STATES


def _quiet(*_args):
    pass


def test_demo_tickets_cover_every_state_and_story(admin):
    foundation.fill(admin, random.Random(7), _quiet)
    started = time.perf_counter()
    hotline_demo.fill(admin, random.Random(7), _quiet)
    elapsed = time.perf_counter() - started
    rows = board.rows()
    assert {r.state for r in rows} == set(STATES)
    assert {r.colour for r in rows} >= {"ok", "yellow", "red"}
    assert {r.escalation for r in rows} >= {"urge", "supervise"}
    assert Ticket.select().where(Ticket.redo_count > 0).count() >= 2
    assert Extension.select().where(Extension.state == "approved").count() == 1
    assert Extension.select().where(Extension.state == "pending").count() == 1
    merged = Ticket.get(Ticket.state == "merged")
    assert Ticket.get_by_id(merged.merged_into).state == "closed"
    meeting = Meeting.get()
    closed = [h for h in hot.hot_issues(meeting.month) if h.meeting_id == meeting.id]
    assert closed and closed[0].village == "白鹤村" and closed[0].count == 4
    months = {r.received_at[:7] for r in rows}
    assert len(months) >= 3
    assert stats.figures(meeting.month).satisfaction.denominator > 0
    events = TicketEvent.select().count()
    hotline_demo.fill(admin, random.Random(7), _quiet)
    assert TicketEvent.select().count() == events
    assert elapsed < 20, f"the hotline demo took {elapsed:.1f} s"
