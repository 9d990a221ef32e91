"""Issue 17: "records waiting for review" is answered by the partial index of schema step 19,
and the stored marker stays right however a decision arrives (service, sync, either order)."""

from __future__ import annotations

import datetime as dt
import logging

from civdesk.core import changes, db
from civdesk.sync import merge
from civdesk.volunteers import due, hours
from civdesk.volunteers.models import ServiceApproval, ServiceRecord
from tests.support.sync import ADMIN_ACTOR, copy_pcs
from tests.volunteers.test_hours import CLERK, DAY, REVIEWER, entered, vol  # noqa: F401

INDEX = "service_record_pending"


def plans_of(call) -> list[str]:
    """The query plans of the statements that *call* runs (caught from peewee's debug log)."""
    caught: list[tuple] = []

    class Catch(logging.Handler):
        def emit(self, record):
            if isinstance(record.msg, tuple):
                caught.append(record.msg)

    log, handler = logging.getLogger("peewee"), Catch()
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        call()
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    return ["\n".join(row[-1] for row in db.database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in caught if "service_record" in sql]


def pending_ids() -> set[str]:
    return {r.id for r in ServiceRecord.select(ServiceRecord.id).where(hours.waiting())}


def test_the_count_and_the_review_list_read_the_partial_index(admin):
    for call in (lambda: due.pending_service_records(REVIEWER), lambda: hours.records(status="pending")):
        (shown,) = plans_of(call)
        assert f"USING INDEX {INDEX}" in shown or f"USING COVERING INDEX {INDEX}" in shown, shown


def test_the_marker_follows_the_services_decisions(vol):  # noqa: F811
    first, second, third = entered(vol, 2), entered(vol, 1), entered(vol, 1, day=DAY - dt.timedelta(days=1))
    assert pending_ids() == {first.id, second.id, third.id}
    hours.approve(REVIEWER, [first.id])
    hours.reject(REVIEWER, second.id, "时长有误")
    assert pending_ids() == {third.id}
    assert [r.id for r in hours.records(status="pending")] == [third.id]
    (item,) = due.pending_service_records(REVIEWER)
    assert item.title.startswith("1 条")


def test_a_decision_that_arrives_before_its_record_leaves_it_decided(admin):
    """A sync package may apply the decision first; the record's row written afterwards by the
    sync writer (INSERT OR REPLACE with the default marker) must still read as decided."""
    record_id, other_id = "r" * 32, "s" * 32
    changes.create(ServiceApproval, ADMIN_ACTOR, {"record_id": record_id, "decision": "approved"})
    writer = merge._RowWriter(ServiceRecord)
    values = {"volunteer_id": "v", "service_date": DAY, "half_hours": 2, "scope": None, "deleted": False,
              "clock": "1", "created_at": "2024-05-06T00:00:00", "created_by": "zhangli",
              "updated_at": "2024-05-06T00:00:00", "updated_by": "zhangli"}
    with db.database.atomic():
        db.database.execute_sql(writer.sql, writer.tuple_for(record_id, values))
        db.database.execute_sql(writer.sql, writer.tuple_for(other_id, values))
    assert pending_ids() == {other_id}
    with db.database.atomic():  # written again (a later merge of the same record): still decided
        db.database.execute_sql(writer.sql, writer.tuple_for(record_id, values))
    assert pending_ids() == {other_id}
    assert hours.status_of(record_id) == "approved" and hours.status_of(other_id) == "pending"


def test_a_decision_made_on_another_pc_clears_the_marker_after_sync(sync_templates, tmp_path, usb):
    t1, t2 = copy_pcs(sync_templates, ["T1", "T2"], tmp_path / "pcs")
    try:
        t1.open()
        record = changes.create(ServiceRecord, CLERK, {"volunteer_id": "v", "service_date": DAY, "half_hours": 2})
        t2.import_(t1.export(usb))
        t2.open()
        assert record.id in pending_ids()
        changes.create(ServiceApproval, REVIEWER, {"record_id": record.id, "decision": "approved"})
        assert record.id not in pending_ids()
        t1.import_(t2.export(usb, t1))
        t1.open()
        assert record.id not in pending_ids()
        assert hours.status_of(record.id) == "approved"
    finally:
        db.close_database()
