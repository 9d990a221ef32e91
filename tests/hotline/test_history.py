"""A past month's figures count each ticket as it stood at the month's end (replayed from its
events), so October's 通报 printed again in December says what it said in October; 承办单位 are
counted per department, a department typed with a space counted with it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from civdesk.core import changes
from civdesk.core.validation import ValidationError
from civdesk.hotline import departments, flow, history, hot, stats, tickets
from civdesk.hotline.models import Ticket
from civdesk.office import offices
from tests.hotline.helpers import CLERK, REVIEWER, signed, ticket, villages

OCTOBER_END = dt.date(2026, 10, 31)


def _snapshot(found: stats.MonthFigures) -> dict:
    values = dataclasses.asdict(found)
    values["overdue"] = [(r["number"], r["state"], r["due"], r["overdue_workdays"]) for r in values["overdue"]]
    return values


@pytest.fixture
def october(admin):
    villages(admin)
    answered = signed(received_at="2026-10-20 09:00", dispatched_at="2026-10-20 10:00",
                      signed_at="2026-10-21 09:00", kind="咨询")  # due 2026-10-22: overdue at the month's end
    waiting = ticket(received_at="2026-10-26 09:00", caller_phone="13900139001", village_id="石桥村",
                     category="噪声油烟")
    flow.dispatch(CLERK, waiting.id, department="镇城管中队", at="2026-10-30 10:00")
    returned = signed(received_at="2026-10-27 09:00", dispatched_at="2026-10-27 10:00",
                      signed_at="2026-10-27 11:00", caller_phone="13900139002", category="占道经营")
    flow.return_ticket(CLERK, returned.id, "不属于本村办理", at="2026-10-28 09:00")
    flow.dispatch(CLERK, returned.id, department="镇综合执法办", at="2026-10-28 10:00")
    done = signed(received_at="2026-10-08 09:00", dispatched_at="2026-10-09 10:00", signed_at="2026-10-09 11:00",
                  caller_phone="13900139003", kind="咨询")
    flow.reply(CLERK, done.id, "已答复", at="2026-10-10 10:00")
    flow.visit(REVIEWER, done.id, "不满意", handling_at_fault=True, at="2026-10-15 10:00")
    flow.reply(CLERK, done.id, "重新办理后答复", at="2026-10-16 10:00")
    return {"answered": answered, "waiting": waiting, "returned": returned, "done": done}


def test_a_past_month_says_what_it_said_at_its_end(october):
    before = stats.figures("2026-10", dt.date(2026, 12, 4))
    assert before.as_of == OCTOBER_END
    # 答复 due 10-22 not given; 签收 of the re-dispatched ticket due 10-29 not done
    assert sorted(r.number for r in before.overdue) == sorted([october["answered"].number,
                                                               october["returned"].number])
    assert dict(before.by_state) == {"signed": 1, "dispatched": 2, "replied": 1}
    # November: every October ticket moves on, a 现场办公会 is held, a department is re-typed.
    ids = {k: v.id for k, v in october.items()}
    flow.reply(CLERK, ids["answered"], "已处理完毕", at="2026-11-03 10:00")
    flow.visit(REVIEWER, ids["answered"], "满意", at="2026-11-04 10:00")
    flow.close(REVIEWER, ids["answered"], at="2026-11-04 11:00")
    flow.sign(CLERK, ids["waiting"], at="2026-11-02 09:00")
    flow.reply(CLERK, ids["waiting"], "已处理", at="2026-11-05 09:00")
    flow.return_ticket(CLERK, ids["returned"], "应由城管办理", at="2026-11-02 09:00")
    flow.dispatch(CLERK, ids["returned"], department="镇城管中队", at="2026-11-02 10:00")
    flow.visit(REVIEWER, ids["done"], "满意", at="2026-11-02 10:00")
    flow.close(REVIEWER, ids["done"], at="2026-11-02 11:00")
    after = stats.figures("2026-10", dt.date(2026, 12, 4))
    assert _snapshot(after) == _snapshot(before)
    # ... while November's own figures see the new states
    november = stats.figures("2026-11", dt.date(2026, 11, 30))
    assert dict(november.visits)["满意"] == 2
    assert [r.number for r in november.overdue] == [october["returned"].number]  # not signed since 11-02
    assert {f.name: f.overdue for f in after.by_assignee if f.kind == "department"} == {"镇综合执法办": 1,
                                                                                        "镇城管中队": 0}


def test_a_replayed_ticket_matches_the_stored_one_when_nothing_came_after(october):
    stored = {t.id: t for t in Ticket.select()}
    replayed = history.as_of(list(stored.values()), "2026-12-31 23:59", offices.names())
    for ticket_now in replayed:
        assert ticket_now is stored[ticket_now.id]  # nothing after: the ticket itself
    flow.reply(CLERK, october["answered"].id, "已处理完毕", at="2026-11-03 10:00")
    fresh = {t.id: t for t in Ticket.select()}
    past = {t.id: t for t in history.as_of(list(fresh.values()), "2026-10-31 23:59", offices.names())}
    answered = past[october["answered"].id]
    assert (answered.state, answered.replied_at, answered.handle_due) == ("signed", None, dt.date(2026, 10, 22))
    assert fresh[october["answered"].id].state == "replied"
    redo = past[october["done"].id]
    assert (redo.state, redo.redo_count, redo.visit_result) == ("replied", 1, "不满意")
    returned = past[october["returned"].id]
    assert (returned.state, returned.assignee_kind, returned.assignee) == ("dispatched", "department", "镇综合执法办")


def test_a_meeting_held_later_does_not_close_a_past_hot_issue(admin):
    ids = villages(admin)
    made = [ticket(received_at=f"2026-10-0{d} 09:00", caller_phone=f"1390013900{d}") for d in (5, 6, 7)]
    issue = hot.hot_issues("2026-10")[0]
    hot.record_meeting(REVIEWER, issue.month, ids["桂花村"], issue.category, held_on="2026-11-10",
                       place="桂花村委会", attendees="张丽、王强",
                       tasks=[hot.TaskInput("清运垃圾", "王强", "2026-11-20")])
    assert len(made) == 3
    assert not stats.figures("2026-10", dt.date(2026, 12, 1)).hot_issues[0].closed
    assert hot.hot_issues("2026-10")[0].closed


def test_departments_come_from_the_list_and_count_without_spaces(admin):
    villages(admin)
    row = ticket(received_at="2026-11-02 09:00", village_id="")
    with pytest.raises(ValidationError, match="不在承办单位名单"):
        flow.dispatch(CLERK, row.id, department="镇环保办", at="2026-11-02 10:00")
    assert tickets.get(row.id).state == "received"
    flow.dispatch(CLERK, row.id, department=" 镇城管中队 ", at="2026-11-02 10:00")
    assert tickets.get(row.id).assignee == "镇城管中队"
    # two tickets from before the list, one typed with a space, one with a name not on the list
    for phone, name in (("13900139005", "镇城管 中队"), ("13900139006", "城管队")):
        old = ticket(received_at="2026-11-03 09:00", caller_phone=phone, village_id="")
        changes.update(old, CLERK, {"state": "dispatched", "assignee_kind": "department", "assignee": name,
                                    "dispatched_at": "2026-11-03 10:00", "sign_due": dt.date(2026, 11, 4),
                                    "handle_due": dt.date(2026, 11, 17)})
    found = {f.name: f.received for f in stats.figures("2026-11", dt.date(2026, 11, 30)).by_assignee}
    assert found == {"镇城管中队": 2, "城管队": 1}
    assert [(f.value, f.tickets) for f in departments.free_text_values()] == [("城管队", 1)]
    with pytest.raises(ValidationError):
        departments.map_value(admin, "城管队", "不存在的部门")
    assert departments.map_value(admin, "城管队", "镇城管中队") == 1
    assert departments.free_text_values() == []
    found = {f.name: f.received for f in stats.figures("2026-11", dt.date(2026, 11, 30)).by_assignee}
    assert found == {"镇城管中队": 3}
    assert "镇环保办" in departments.add_to_list(admin, "镇 环保办")
    flow.dispatch(CLERK, ticket(received_at="2026-11-04 09:00", caller_phone="13900139007", village_id="").id,
                  department="镇环保办", at="2026-11-04 10:00")


def test_a_mapped_department_counts_as_mapped_in_a_past_month(admin):
    villages(admin)
    row = ticket(received_at="2026-10-12 09:00", village_id="")
    flow.dispatch(CLERK, row.id, department="镇城管中队", at="2026-10-12 10:00")
    changes.update(tickets.get(row.id), CLERK, {"assignee": "城管队"})  # as typed before the list existed
    flow.sign(CLERK, row.id, at="2026-11-02 09:00")  # a step after October: October is replayed
    assert {f.name for f in stats.figures("2026-10", OCTOBER_END).by_assignee} == {"城管队"}
    departments.map_value(admin, "城管队", "镇城管中队")
    october = stats.figures("2026-10", OCTOBER_END)
    assert [(f.name, f.received, f.overdue) for f in october.by_assignee] == [("镇城管中队", 1, 1)]
    assert dict(october.by_state) == {"dispatched": 1}
