"""The one number service: 发文字号, 整改通知书, 热线工单 and 证明 numbers all come from the register."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core import db
from civdesk.core.db import database
from civdesk.documents import numbering, service
from civdesk.documents.models import DocumentNumber
from tests.support.sync import ADMIN_ACTOR, copy_pcs


def _fmt(serial: int) -> str:
    return f"X-{serial:04d}"


def test_two_allocations_in_one_transaction_do_not_collide(admin):
    with database.atomic():
        first = numbering.allocate(admin, "test:X", 2026, _fmt, kind="test", ref="a")
        second = numbering.allocate(admin, "test:X", 2026, _fmt, kind="test", ref="b")
        series = numbering.Series("test:X", 2026, _fmt, kind="test")
        third, fourth = series.next(admin, "c"), series.next(admin, "d")
    assert [a.number for a in (first, second, third, fourth)] == ["X-0001", "X-0002", "X-0003", "X-0004"]
    assert numbering.find("test", "b").number == "X-0002"
    assert numbering.lookup("X-0004").ref == "d"


def test_numbers_printed_before_the_register_are_passed_over_and_never_reused(admin):
    assert numbering.allocate(admin, "test:Y", 2026, _fmt, kind="test", floor=7).number == "X-0008"
    entry = numbering.find("test", "")
    from civdesk.core import changes

    changes.delete(entry, admin)
    assert numbering.allocate(admin, "test:Y", 2026, _fmt, kind="test").number == "X-0009"  # a tombstone counts
    assert numbering.allocate(admin, "test:Y", 2027, _fmt, kind="test").number == "X-0001"  # a new year starts over


def test_a_decision_number_and_a_rectification_notice_share_the_register(admin, tmp_path):
    from tests.supervision.helpers import notice

    made = notice(admin, tmp_path)
    entry = numbering.find("rectification", made.id)
    assert entry is not None and entry.number == made.number == "清溪镇整改〔2026〕1号"
    assert service.number_for(admin, "unit_decision", "d1", 2026) == "清溪文明委〔2026〕1号"
    second = notice(admin, tmp_path, name="新民村")
    assert (second.number, second.seq) == ("清溪镇整改〔2026〕2号", 2)


def test_certificates_and_tickets_are_registered_and_found_by_number(admin):
    from civdesk.hotline import tickets
    from civdesk.volunteers import certificates
    from tests.volunteers.test_certificates import CLERK, make_people

    people = make_people(admin)
    cert = certificates.issue(CLERK, people.wang.id, today=dt.date(2026, 11, 3))
    batch = certificates.issue_batch(CLERK, [people.li.id, people.zhao.id], today=dt.date(2026, 11, 3))
    assert [c.number for c in batch] == ["QXZ-ZM-2026-0002", "QXZ-ZM-2026-0003"]
    assert numbering.lookup(cert.number).ref == cert.id
    assert certificates.verify(cert.number, cert.check_code).ok
    ticket = tickets.receive(admin, {"received_at": "2026-11-02 09:00", "caller_name": "张三",
                                     "caller_phone": "13800138000", "address": "桂花村3组", "village_id": None,
                                     "kind": "投诉", "category": "环境卫生", "content": "垃圾没人收"})
    assert numbering.lookup(ticket.number).ref == ticket.id
    assert DocumentNumber.select().where(DocumentNumber.kind == "ticket").count() == 1


@pytest.fixture
def township_pcs(sync_templates, tmp_path):
    made = copy_pcs(sync_templates, ["T1", "T2"], tmp_path / "pcs")
    yield made
    db.close_database()


def test_after_a_sync_the_next_number_follows_the_other_pcs(township_pcs, usb):
    one, two = township_pcs
    one.open()
    assert service.number_for(ADMIN_ACTOR, "unit_decision", "a", 2026) == "清溪文明委〔2026〕1号"
    assert service.number_for(ADMIN_ACTOR, "nomination_decision", "b", 2026) == "清溪文明委〔2026〕2号"
    two.import_(one.export(usb))
    two.open()
    assert service.number_for(ADMIN_ACTOR, "unit_decision", "c", 2026) == "清溪文明委〔2026〕3号"
    assert numbering.peek("committee", 2026) == 4
