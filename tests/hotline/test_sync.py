"""A ticket dispatched to a village reaches that village's PC only, is signed and answered there,
and the township sees the answer after the next exchange; tickets about no village and other
villages' tickets (with their callers) never leave the township."""

from __future__ import annotations

import pytest

from civdesk.core import db
from civdesk.hotline import board, flow, tickets
from civdesk.hotline.models import Ticket, TicketEvent
from civdesk.office import offices
from civdesk.sync.models import SyncPeer
from tests.support.sync import ADMIN_ACTOR, Pc, copy_pcs


@pytest.fixture
def pcs(sync_templates, tmp_path):
    made = copy_pcs(sync_templates, ["T1", "A1", "B1"], tmp_path / "pcs")
    yield {pc.name: pc for pc in made}
    db.close_database()


def exchange(village: Pc, township: Pc, usb) -> None:
    village.open()
    known = SyncPeer.get_or_none(SyncPeer.node_id == township.node_id) is not None
    township.import_(village.export(usb, township if known else None))
    village.import_(township.export(usb, village))


def _receive(village_id, address, phone="13800138000"):
    return tickets.receive(ADMIN_ACTOR, {"received_at": "2026-11-02 09:00", "caller_name": "张三",
                                         "caller_phone": phone, "address": address, "village_id": village_id,
                                         "kind": "投诉", "category": "环境卫生", "content": f"{address}垃圾没人收"})


def test_a_village_handles_its_ticket_after_sync(pcs, usb):
    t, a, b = pcs["T1"], pcs["A1"], pcs["B1"]
    exchange(a, t, usb)
    exchange(b, t, usb)
    t.open()
    assert {v.id for v in offices.villages()} == {a.office_id, b.office_id}  # the villages introduced themselves
    ours = _receive(a.office_id, "桂花村3组")
    theirs = _receive(b.office_id, "荷塘村1组", phone="13900139000")
    township_only = _receive(None, "镇政府门口", phone="13700137000")
    flow.dispatch(ADMIN_ACTOR, ours.id, at="2026-11-02 10:00")
    flow.dispatch(ADMIN_ACTOR, township_only.id, department="镇城管中队", at="2026-11-02 10:00")

    exchange(a, t, usb)
    a.open()
    assert [r.number for r in board.rows()] == [ours.number]
    assert Ticket.select().count() == 1, "another village's ticket or a township-only one reached the village"
    flow.sign(ADMIN_ACTOR, ours.id, at="2026-11-03 09:00")
    flow.reply(ADMIN_ACTOR, ours.id, "已清运，并增设垃圾桶", at="2026-11-04 09:00")

    exchange(a, t, usb)
    t.open()
    back = tickets.get(ours.id)
    assert (back.state, back.reply) == ("replied", "已清运，并增设垃圾桶")
    flow.visit(ADMIN_ACTOR, ours.id, "满意", at="2026-11-05 09:00")
    flow.close(ADMIN_ACTOR, ours.id, at="2026-11-05 10:00")
    actions = [e.action for e in TicketEvent.select().where(TicketEvent.ticket_id == ours.id).order_by(TicketEvent.at)]
    assert actions == ["receive", "dispatch", "sign", "reply", "visit", "close"]

    exchange(b, t, usb)
    b.open()
    assert [row.id for row in Ticket.select()] == [theirs.id]
    assert not Ticket.select().where(Ticket.caller_phone.in_(["13800138000", "13700137000"])).exists()
