"""The life of a ticket with its working-day deadlines, and every refused step writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.hotline import board, deadlines, flow, tickets
from civdesk.hotline.models import Extension, Ticket, TicketEvent
from civdesk.office import settings
from tests.hotline.helpers import CLERK, REVIEWER, log_size, signed, ticket, villages


@pytest.fixture
def town(admin):
    return villages(admin)


def test_a_ticket_goes_through_every_step_and_each_is_recorded(town):
    row = ticket()
    assert row.number == "QXZ-RX-2026-0001" and row.state == "received" and row.scope == town["桂花村"]
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")
    row = tickets.get(row.id)
    assert (row.state, row.assignee, row.sign_due, row.handle_due) == (
        "dispatched", town["桂花村"], dt.date(2026, 11, 3), dt.date(2026, 11, 16))
    flow.sign(CLERK, row.id, at="2026-11-03 08:30")
    flow.add_note(CLERK, row.id, "已联系村保洁员，拍照留存", at="2026-11-03 15:00")
    flow.reply(CLERK, row.id, "垃圾已于11月4日清运，已增设一个垃圾桶", at="2026-11-05 10:00")
    flow.visit(REVIEWER, row.id, "满意", note="群众表示满意", at="2026-11-06 09:00")
    flow.close(REVIEWER, row.id, at="2026-11-06 09:30")
    found = board.detail(row.id)
    assert found.row.state == "closed"
    assert [e.action_label for e in found.events] == ["受理", "派单", "签收", "办理", "答复", "回访", "办结"]
    assert [e.user for e in found.events][-2:] == ["lixiuying", "lixiuying"]
    assert found.reply.startswith("垃圾已于") and found.visited_at == "2026-11-06 09:00"


def test_numbers_run_per_year_and_are_never_reused(town, admin):
    first = ticket()
    second = ticket(received_at="2026-11-03 09:00")
    from civdesk.core import changes

    changes.delete(second, admin)
    third = ticket(received_at="2026-11-04 09:00")
    earlier = ticket(received_at="2025-12-30 16:00")
    assert [first.number, third.number, earlier.number] == ["QXZ-RX-2026-0001", "QXZ-RX-2026-0003",
                                                            "QXZ-RX-2025-0001"]


def test_deadlines_skip_the_national_day_holiday(town):
    row = ticket(kind="投诉", received_at="2026-09-29 16:00")
    consult = ticket(kind="咨询", received_at="2026-09-30 08:00")
    urgent = ticket(kind="求助", urgent=True, received_at="2026-09-30 08:00")
    for item in (row, consult, urgent):
        flow.dispatch(CLERK, item.id, at="2026-09-30 09:00")
    assert tickets.get(row.id).sign_due == dt.date(2026, 10, 8)
    assert tickets.get(row.id).handle_due == dt.date(2026, 10, 20)  # Saturday 10 October is a working day
    assert tickets.get(consult.id).handle_due == dt.date(2026, 10, 9)
    assert tickets.get(urgent.id).handle_due == tickets.get(urgent.id).sign_due == dt.date(2026, 9, 30)


def test_deadlines_follow_the_settings(town, admin):
    settings.set_value(admin, "hotline.days_complaint", 13)
    row = ticket()
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")
    assert tickets.get(row.id).handle_due == dt.date(2026, 11, 19)


def test_colours_escalations_on_given_days(town, admin):
    settings.set_value(admin, "hotline.supervise_after", 3)
    row = signed()  # handling due 2026-11-16 (Monday)
    colour = {day: board.rows(as_of=dt.date.fromisoformat(day))[0] for day in
              ("2026-11-11", "2026-11-12", "2026-11-16", "2026-11-17", "2026-11-19", "2026-11-20")}
    assert colour["2026-11-11"].colour == "ok"
    assert colour["2026-11-12"].colour == "yellow"  # Thursday: Friday and Monday are left
    assert colour["2026-11-16"].colour == "yellow"
    assert (colour["2026-11-17"].colour, colour["2026-11-17"].escalation_label) == ("red", "催办")
    assert colour["2026-11-19"].overdue_workdays == 3 and colour["2026-11-19"].escalation == "supervise"
    assert colour["2026-11-20"].escalation_label == "督办"
    assert row.id == colour["2026-11-20"].id


def test_sign_deadline_colours_while_waiting(town):
    row = ticket()
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")
    waiting = board.rows(as_of=dt.date(2026, 11, 4))[0]
    assert (waiting.due_label, waiting.due, waiting.colour, waiting.escalation) == (
        "签收期限", dt.date(2026, 11, 3), "red", "urge")


def test_return_goes_back_to_the_township_and_can_go_to_a_department(town):
    row = signed()
    flow.return_ticket(CLERK, row.id, "属于供电公司管理的线路", at="2026-11-03 10:00")
    assert tickets.get(row.id).state == "returned"
    flow.dispatch(CLERK, row.id, department="镇综合执法办", at="2026-11-03 11:00")
    again = tickets.get(row.id)
    assert (again.state, again.assignee_kind, again.assignee) == ("dispatched", "department", "镇综合执法办")
    assert board.rows()[0].assignee == "镇综合执法办"


def test_unsatisfied_visit_because_of_the_handling_reopens_as_redo(town):
    row = signed()
    flow.reply(CLERK, row.id, "已清运", at="2026-11-05 10:00")
    flow.visit(REVIEWER, row.id, "不满意", note="只清了一半", handling_at_fault=True, at="2026-11-06 09:00")
    redo = tickets.get(row.id)
    assert (redo.state, redo.redo_count, redo.handle_due) == ("redo", 1, dt.date(2026, 11, 20))
    flow.reply(CLERK, row.id, "已全部清运并安排每日巡查", at="2026-11-09 10:00")
    with pytest.raises(CivDeskError, match="答复还没有回访，不能办结"):
        flow.close(REVIEWER, row.id, at="2026-11-09 11:00")  # the first 回访 was of the first reply
    flow.visit(REVIEWER, row.id, "基本满意", at="2026-11-10 09:00")
    flow.close(REVIEWER, row.id, at="2026-11-10 10:00")
    assert tickets.get(row.id).state == "closed"
    actions = [e.action for e in board.detail(row.id).events]
    assert actions.count("reply") == 2 and "redo" in actions


def test_unsatisfied_not_because_of_the_handling_is_closed(town):
    row = signed()
    flow.reply(CLERK, row.id, "政策规定不能补贴", at="2026-11-05 10:00")
    flow.visit(REVIEWER, row.id, "不满意", note="对政策不满意", at="2026-11-06 09:00")
    flow.close(REVIEWER, row.id, at="2026-11-06 10:00")
    assert tickets.get(row.id).visit_result == "不满意"


def test_extension_before_the_deadline_approved_by_a_reviewer(town):
    row = signed()
    request = flow.request_extension(CLERK, row.id, 5, "需要协调环卫公司增加清运车辆", at="2026-11-12 09:00")
    assert request.new_due == dt.date(2026, 11, 23)
    with pytest.raises(PermissionDenied):
        flow.decide_extension(CLERK, request.id, True)
    flow.decide_extension(REVIEWER, request.id, True, note="同意", at="2026-11-12 15:00")
    assert tickets.get(row.id).handle_due == dt.date(2026, 11, 23)
    assert board.detail(row.id).extensions[0].state_label == "已批准"


def test_rejected_extension_keeps_the_deadline(town):
    row = signed()
    request = flow.request_extension(CLERK, row.id, 3, "人手不够", at="2026-11-12 09:00")
    flow.decide_extension(REVIEWER, request.id, False, note="理由不充分", at="2026-11-12 15:00")
    assert tickets.get(row.id).handle_due == dt.date(2026, 11, 16)


# --- bad input: a Chinese message and nothing written ------------------------------------------


def _refused(call, *words):
    before = log_size()
    with pytest.raises(CivDeskError) as caught:
        call()
    assert log_size() == before, "a refused step wrote something"
    for word in words:
        assert word in str(caught.value)
    return caught.value


def test_received_time_in_the_future_is_refused(town):
    tomorrow = (dt.datetime.now() + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    error = _refused(lambda: ticket(received_at=tomorrow), "受理时间不能晚于现在")
    assert set(error.errors) == {"received_at"}
    assert Ticket.select().count() == 0


def test_a_phone_that_is_not_a_phone_is_refused(town):
    error = _refused(lambda: ticket(caller_phone="1380013"), "来电人电话")
    assert set(error.errors) == {"caller_phone"}
    _refused(lambda: ticket(caller_phone="打了两次"), "来电人电话")


def test_every_bad_field_is_named_at_once(town):
    error = _refused(lambda: ticket(kind="骂人", category="天气", content="", village_id="月亮村"))
    assert set(error.errors) == {"kind", "category", "content", "village_id"}
    assert "工单类型只能是咨询、求助、投诉、建议、表扬" in error.errors["kind"]


def test_reply_before_sign_is_refused(town):
    row = ticket()
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")
    _refused(lambda: flow.reply(CLERK, row.id, "已处理完毕", at="2026-11-03 10:00"), "还没有签收，不能答复")
    fresh = ticket()
    _refused(lambda: flow.reply(CLERK, fresh.id, "已处理完毕"), "不能答复")


def test_extension_after_the_deadline_is_refused(town):
    row = signed()
    _refused(lambda: flow.request_extension(CLERK, row.id, 3, "协调中", at="2026-11-17 09:00"),
             "办理期限 2026-11-16 已过，不能再申请延期")
    assert Extension.select().count() == 0


def test_visit_on_an_open_ticket_is_refused(town):
    row = signed()
    _refused(lambda: flow.visit(REVIEWER, row.id, "满意"), "还没有答复，不能回访")
    _refused(lambda: flow.close(REVIEWER, row.id), "还没有回访，不能办结")


def test_steps_in_the_wrong_order_or_time_are_refused(town):
    row = ticket()
    _refused(lambda: flow.sign(CLERK, row.id), "不能签收")
    _refused(lambda: flow.dispatch(CLERK, row.id, at="2026-11-01 10:00"), "派单时间不能早于受理时间")
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")
    _refused(lambda: flow.return_ticket(CLERK, row.id, ""), "退单理由")
    other = signed(received_at="2026-11-02 09:30")
    _refused(lambda: flow.visit(REVIEWER, other.id, "很好"), "不能回访")
    assert TicketEvent.select().where(TicketEvent.ticket_id == row.id).count() == 2


def test_categories_come_from_the_setting(town, admin):
    settings.set_value(admin, "hotline.categories", "环境卫生；广场舞扰民")
    assert deadlines.categories() == ["环境卫生", "广场舞扰民"]
    assert ticket(category="广场舞扰民").category == "广场舞扰民"
    _refused(lambda: ticket(category="占道经营"), "类别只能是环境卫生、广场舞扰民")


def test_a_deadline_counted_without_a_holiday_schedule_says_so(town):
    old = ticket(received_at="2003-06-02 09:00")  # chinesecalendar starts in 2004
    flow.dispatch(CLERK, old.id, at="2003-06-02 10:00")
    assert "未录入 2003 年放假安排" in board.detail(old.id).calendar_warning
    row = ticket()
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")
    assert board.detail(row.id).calendar_warning == ""
