"""The batch reads of 督查与整改 give exactly what the one-row reads give, on the demo township
(notices in every colour and state, rounds held and missed, 门前三包 holders inspected or not)."""

from __future__ import annotations

import datetime as dt

from civdesk.calendar import holidays
from civdesk.supervision import common, holders, inspections, plans, rectification, targets
from civdesk.supervision.models import Holder, Inspection
from tests.support.databases import open_db


def test_holder_scores_and_last_inspections_of_many(demo_copy):
    open_db(demo_copy)
    ids = [h.id for h in Holder.select()]
    for as_of in (None, dt.date.today() - dt.timedelta(days=200)):
        assert holders.scores(ids, as_of) == {i: holders.score(i, as_of) for i in ids}
    last = {i: (Inspection.select(Inspection.day).where((Inspection.holder_id == i) & (Inspection.deleted == False))  # noqa: E712
                .order_by(Inspection.day.desc()).limit(1).scalar()) for i in ids}
    assert holders.last_inspected(ids) == {i: day for i, day in last.items() if day is not None}
    rows = holders.rows()
    assert [(r.inspections, r.problems, r.score) for r in rows] == [holders.score(r.id) for r in rows]
    assert [r.village_name for r in rows] == [common.village_name(r.village_id) for r in rows]
    assert len({r.score for r in rows}) >= 3 and any(r.problems for r in rows)


def test_inspection_and_finding_rows_name_their_village_and_target_as_one_by_one(demo_copy):
    open_db(demo_copy)
    rows = inspections.inspection_rows()
    by_id = {i.id: i for i in Inspection.select()}
    assert [r.village_name for r in rows] == [common.village_name(r.village_id) for r in rows]
    assert [r.target_name for r in rows] == [
        targets.name_of(r.target_kind, by_id[r.id].org_id, by_id[r.id].holder_id, by_id[r.id].place) for r in rows]
    assert {r.target_kind for r in rows} == {"org", "holder", "place"} and len({r.village_name for r in rows}) >= 5
    findings = inspections.finding_rows()
    assert findings and [f.target_name for f in findings] == [
        targets.name_of(by_id[f.inspection_id].target_kind, by_id[f.inspection_id].org_id,
                        by_id[f.inspection_id].holder_id, by_id[f.inspection_id].place) for f in findings]


def test_notice_rows_count_working_days_as_the_calendar_does_for_each(demo_copy):
    open_db(demo_copy)
    for as_of in (dt.date.today(), dt.date.today() + dt.timedelta(days=40)):
        rows = rectification.notices(as_of)
        assert {r.colour for r in rows} >= {"red", "ok"}
        for r in rows:
            if r.state in ("pending", "failed"):
                count = holidays.workdays_between(as_of, r.deadline)
                assert (r.workdays_left, r.warning) == (max(0, count.days), holidays.warning_for(count))
            elif r.state == "overdue":
                count = holidays.workdays_between(r.deadline, as_of)
                assert (r.overdue_workdays, r.warning) == (max(0, count.days), holidays.warning_for(count))
        assert any(r.overdue_workdays for r in rows)


def test_round_and_area_rows_name_their_village_as_one_by_one(demo_copy):
    open_db(demo_copy)
    today = dt.date.today()
    found = plans.occurrences(today - dt.timedelta(days=120), today)
    assert found and [o.village_name for o in found] == [common.village_name(o.village_id) for o in found]
    assert [r.village_name for r in plans.round_rows()] == [
        "（全镇）" if not r.village_id else common.village_name(r.village_id) for r in plans.round_rows()]
    assert [a.village_name for a in plans.area_rows()] == [
        "（镇区）" if not a.village_id else common.village_name(a.village_id) for a in plans.area_rows()]
    names = common.village_names()
    assert names(None) == "镇区" and names("no-such-office") == "no-such-office"
