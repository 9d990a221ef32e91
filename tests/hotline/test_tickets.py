"""Callers' details, what a village PC sees, duplicates, merging, hot issues and the month's figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civdesk.core import changes
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.hotline import board, due, flow, hot, stats, tickets
from civdesk.hotline.models import Meeting, MeetingTask, Ticket
from civdesk.office import offices, settings
from tests.hotline.helpers import CLERK, REVIEWER, signed, ticket, villages


@pytest.fixture
def town(admin):
    return villages(admin)


# --- the caller ---------------------------------------------------------------------------------


def test_lists_mask_the_caller_and_only_allowed_roles_see_it_audited(town):
    row = ticket(caller_name="张三丰", caller_phone="138 0013 8000")
    shown = board.rows()[0]
    assert (shown.caller_name, shown.caller_phone) == ("张**", "138****8000")
    assert board.detail(row.id).row.caller_phone == "138****8000"
    with pytest.raises(PermissionDenied) as refused:
        tickets.caller(CLERK, row.id)
    assert "查看热线来电人的姓名和电话" in str(refused.value)
    before = AuditEntry.select().where(AuditEntry.action == "view_personal").count()
    assert tickets.caller(REVIEWER, row.id) == tickets.Caller("张三丰", "13800138000")
    tickets.caller(REVIEWER, row.id)
    viewed = list(AuditEntry.select().where(AuditEntry.action == "view_personal"))
    assert len(viewed) == before + 2 and viewed[-1].username == "lixiuying" and row.number in viewed[-1].note


def test_the_audit_log_never_holds_the_callers_details(town):
    row = ticket(caller_name="张三丰", caller_phone="13800138000")
    created = AuditEntry.get((AuditEntry.record_id == row.id) & (AuditEntry.action == "create"))
    logged = json.loads(created.changes)
    assert logged["caller_phone"][1] == "138****8000" and logged["caller_name"][1] == "（已隐藏）"
    assert "13800138000" not in created.changes and "张三丰" not in created.changes


def test_a_ticket_about_no_village_stays_on_township_pcs(town):
    row = ticket(village_id="", address="镇政府门口")
    assert row.scope == offices.own_office().id  # a village receives scope None or its own only
    with pytest.raises(CivDeskError, match="请填写承办部门"):
        flow.dispatch(CLERK, row.id)
    flow.dispatch(CLERK, row.id, department="镇城管中队", at="2026-11-02 10:00")


# --- a village PC -------------------------------------------------------------------------------


def test_a_village_pc_sees_and_handles_only_its_own_tickets(village_admin):
    own = offices.own_office()
    mine = ticket(actor=village_admin, village_id="", channel="来访")
    assert (mine.scope, mine.village_id) == (own.id, own.id)
    with pytest.raises(CivDeskError, match="派单由镇文明办进行"):
        flow.dispatch(village_admin, mine.id)
    base = {"received_at": "2026-11-02 09:00", "channel": "热线转办", "kind": "求助", "category": "其他",
            "content": "别村的事", "state": "dispatched", "assignee_kind": "village", "sign_due": dt.date(2026, 11, 3),
            "handle_due": dt.date(2026, 11, 9), "dispatched_at": "2026-11-02 10:00"}
    other = changes.create(Ticket, village_admin, {**base, "number": "QXZ-RX-2026-0009", "assignee": "x"}, scope="x")
    sent = changes.create(Ticket, village_admin, {**base, "number": "QXZ-RX-2026-0010", "assignee": own.id,
                                                   "village_id": own.id}, scope=own.id)
    to_department = changes.create(Ticket, village_admin, {**base, "number": "QXZ-RX-2026-0011",
                                                            "assignee_kind": "department", "assignee": "镇城管中队",
                                                            "village_id": own.id}, scope=own.id)
    assert {r.number for r in board.rows()} == {mine.number, sent.number, to_department.number}
    with pytest.raises(CivDeskError, match="找不到这张工单"):
        tickets.get(other.id)
    flow.sign(village_admin, sent.id, at="2026-11-02 11:00")
    with pytest.raises(PermissionDenied, match="没有派给本村/社区"):
        flow.sign(village_admin, to_department.id, at="2026-11-02 11:00")
    assert mine.number.startswith("GHC-RX-2026-")


# --- duplicates and merging ---------------------------------------------------------------------


def test_possible_duplicates_by_phone_or_by_address_and_category(town):
    first = ticket()
    same_place = ticket(caller_phone="13900139000", address="桂花村 3组", received_at="2026-11-20 09:00")
    ticket(caller_phone="13700137000", address="石桥村1组", village_id="石桥村", received_at="2026-11-21 09:00")
    long_ago = ticket(received_at="2026-09-01 09:00")
    hints = tickets.possible_duplicates("13800138000", "", "", "2026-11-25 10:00")
    assert [h.number for h in hints] == [first.number]
    assert hints[0].reason == "同一电话"
    by_place = tickets.possible_duplicates("", "桂花村3组", "环境卫生", "2026-11-25 10:00")
    assert [h.number for h in by_place] == [same_place.number, first.number]
    assert by_place[0].reason == "同一地址同一类别"
    assert tickets.possible_duplicates("", "桂花村3组", "噪声油烟", "2026-11-25 10:00") == []
    assert long_ago.number not in [h.number for h in tickets.possible_duplicates("13800138000", received="2026-11-25")]
    assert tickets.possible_duplicates("13800138000", received="2026-11-25", exclude_id=first.id) == []


def test_merging_keeps_both_numbers_and_one_flow(town):
    keep = ticket()
    other = ticket(received_at="2026-11-02 15:00", caller_name="李四", caller_phone="13900139000")
    with pytest.raises(PermissionDenied):
        tickets.merge(CLERK, keep.id, other.id)
    tickets.merge(REVIEWER, keep.id, other.id, "同一处垃圾堆", at="2026-11-02 16:00")
    merged = tickets.get(other.id)
    assert (merged.state, merged.merged_into, merged.number) == ("merged", keep.id, "QXZ-RX-2026-0002")
    assert board.detail(keep.id).merged_numbers == [other.number]
    assert board.detail(other.id).row.merged_into == keep.number
    with pytest.raises(CivDeskError, match="已合并"):
        flow.dispatch(CLERK, other.id)
    with pytest.raises(CivDeskError, match="不能合并"):
        tickets.merge(REVIEWER, keep.id, other.id)
    flow.dispatch(CLERK, keep.id, at="2026-11-03 09:00")
    assert tickets.get(keep.id).state == "dispatched"


# --- hot issues and 现场办公会 -------------------------------------------------------------------


def _hot(town, count=3):
    return [ticket(received_at=f"2026-11-{day:02d} 09:00", caller_phone=f"1380013800{day % 10}")
            for day in range(2, 2 + count)]


def test_the_same_category_in_a_village_n_times_a_month_is_hot(town, admin):
    _hot(town, 2)
    assert hot.hot_issues("2026-11") == []
    made = _hot(town, 1)
    ticket(village_id="石桥村", received_at="2026-11-05 09:00")
    found = hot.hot_issues("2026-11")
    assert [(h.village, h.category, h.count, h.closed) for h in found] == [("桂花村", "环境卫生", 3, False)]
    assert made[0].number in found[0].numbers
    settings.set_value(admin, "hotline.hot_threshold", 4)
    assert hot.hot_issues("2026-11") == []


def test_a_meeting_closes_the_hot_issue(town, monkeypatch):
    made = _hot(town)
    issue = hot.hot_issues("2026-11")[0]
    tasks = [hot.TaskInput("增设垃圾收集点两处", "村主任 刘强", "2026-11-30"),
             hot.TaskInput("保洁员每日清运两次", "保洁队长 陈敏", "2026-11-20")]
    with pytest.raises(PermissionDenied):
        hot.record_meeting(CLERK, "2026-11", issue.village_id, "环境卫生", held_on="2026-11-10", place="桂花村委会",
                           attendees="镇文明办、村两委", tasks=tasks)
    with pytest.raises(CivDeskError, match="第 1 项任务的完成期限"):
        hot.record_meeting(REVIEWER, "2026-11", issue.village_id, "环境卫生", held_on="2026-11-10", place="桂花村委会",
                           attendees="镇文明办、村两委", tasks=[hot.TaskInput("清运", "刘强", "下周")])
    assert Meeting.select().count() == 0
    meeting = hot.record_meeting(REVIEWER, "2026-11", issue.village_id, "环境卫生", held_on="2026-11-10",
                                 place="桂花村委会", attendees="镇文明办、村两委、环卫公司", tasks=tasks)
    assert json.loads(meeting.ticket_ids) == [t.id for t in made]
    assert MeetingTask.select().where(MeetingTask.meeting_id == meeting.id).count() == 2
    assert [t.owner for t in hot.meeting_tasks(meeting.id)] == ["保洁队长 陈敏", "村主任 刘强"]
    closed = hot.hot_issues("2026-11")[0]
    assert closed.closed and closed.meeting_date == dt.date(2026, 11, 10)
    assert "现场办公会" in [e.action_label for e in board.detail(made[0].id).events]
    assert [t.task for t in hot.open_tasks(dt.date(2026, 11, 25))] == ["保洁员每日清运两次"]
    monkeypatch.setattr(due, "_today", lambda: dt.date(2026, 11, 21))
    (item,) = due.meeting_tasks(CLERK)
    assert (item.severity, item.title) == ("overdue", "1 项现场办公会任务已逾期")
    assert "保洁队长 陈敏：保洁员每日清运两次（2026-11-20）" in item.detail
    hot.finish_task(CLERK, hot.meeting_tasks(meeting.id)[0].id, "2026-11-19")
    assert hot.open_tasks(dt.date(2026, 11, 25)) == []
    with pytest.raises(CivDeskError, match="已在 2026-11-10 召开过现场办公会"):
        hot.record_meeting(REVIEWER, "2026-11", issue.village_id, "环境卫生", held_on="2026-11-11", place="村委会",
                           attendees="镇文明办", tasks=tasks)


# --- month figures and 工作台 --------------------------------------------------------------------


def test_month_figures_and_their_rates(town):
    on_time = signed()
    flow.reply(CLERK, on_time.id, "已清运", at="2026-11-05 10:00")
    flow.visit(REVIEWER, on_time.id, "满意", at="2026-11-06 09:00")
    late_sign = signed(received_at="2026-11-03 09:00", dispatched_at="2026-11-03 10:00", signed_at="2026-11-06 09:00",
                       kind="咨询", category="占道经营")
    unhappy = signed(received_at="2026-11-04 09:00", dispatched_at="2026-11-04 10:00", signed_at="2026-11-04 11:00",
                     kind="求助", village_id="石桥村")
    flow.reply(CLERK, unhappy.id, "已协调", at="2026-11-10 10:00")
    flow.visit(REVIEWER, unhappy.id, "不满意", at="2026-11-11 09:00")
    ticket(received_at="2026-10-31 09:00")
    found = stats.figures("2026-11", as_of=dt.date(2026, 11, 30))
    assert found.received == 3 and dict(found.by_kind) == {"咨询": 1, "求助": 1, "投诉": 1, "建议": 0, "表扬": 0}
    assert dict(found.by_village) == {"桂花村": 2, "石桥村": 1}
    assert (found.sign.numerator, found.sign.denominator) == (2, 3)
    # 咨询 due 2026-11-05, never replied; 求助 due 11-11 but replied 11-10; 投诉 replied in time
    assert (found.handle.numerator, found.handle.denominator) == (2, 3)
    assert (found.satisfaction.numerator, found.satisfaction.denominator) == (1, 2)
    assert found.satisfaction.text == "50.0%（1/2）"
    assert [r.number for r in found.overdue] == [late_sign.number]
    assert "按期办结率 =" in stats.DEFINITIONS["handle"]


def test_dashboard_items(town, monkeypatch):
    signed()
    waiting = ticket(received_at="2026-11-04 09:00")
    flow.dispatch(CLERK, waiting.id, at="2026-11-04 10:00")
    _hot(town)
    monkeypatch.setattr(due, "_today", lambda: dt.date(2026, 11, 20))
    items = {item.kind: item for provider in due.PROVIDERS for item in provider(REVIEWER)}
    assert items["hotline_to_sign"].title == "1 件热线工单待签收" and items["hotline_to_sign"].severity == "overdue"
    assert items["hotline_supervise"].severity == "overdue"
    assert "热点：桂花村环境卫生" in items["hotline_hot"].title
    assert items["hotline_kpis"].title.startswith("本月热线工单 5 件")
    assert "hotline_meeting_tasks" not in items
    assert "按时签收率" in items["hotline_kpis"].detail


# --- attachments --------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_attachments_when_received_and_photos_with_a_note(town):
    row = tickets.receive(CLERK, {"received_at": "2026-11-02 09:00", "channel": "信件", "address": "桂花村3组",
                                  "village_id": "桂花村", "kind": "投诉", "category": "环境卫生", "content": "来信反映垃圾"},
                          attachments=[("来信.pdf", b"%PDF-1.4 letter")])
    flow.dispatch(CLERK, row.id, at="2026-11-02 10:00")
    flow.sign(CLERK, row.id, at="2026-11-02 11:00")
    flow.add_note(CLERK, row.id, "现场已清理", photos=[("清理前.png", PNG), ("清理后.png", PNG)], at="2026-11-03 09:00")
    found = board.detail(row.id)
    assert [(f.file_name, f.mime, f.with_note) for f in found.attachments] == [
        ("来信.pdf", "application/pdf", False), ("清理前.png", "image/png", True), ("清理后.png", "image/png", True)]
    assert found.events[-1].note == "现场已清理（附照片 2 张）"
    assert board.attachment(CLERK, found.attachments[1].id) == ("清理前.png", PNG)


def test_a_bad_attachment_is_refused_and_nothing_is_written(town, admin):
    from tests.hotline.helpers import log_size

    before = log_size()
    with pytest.raises(CivDeskError) as refused:
        ticket(received_at="2026-11-02 09:00")  # fine
        tickets.receive(CLERK, {"received_at": "2026-11-02 09:00", "kind": "投诉", "category": "环境卫生",
                                "content": "x"}, attachments=[("说明.docx", b"PK\x03\x04word")])
    assert "「说明.docx」不是 JPG、PNG 照片或 PDF 文件" in str(refused.value)
    assert Ticket.select().count() == 1 and log_size() > before
    settings.set_value(admin, "hotline.file_max_kb", 100)
    row = signed()
    middle = log_size()
    with pytest.raises(CivDeskError, match="「大.png」有 195 KB，超过每个附件 100 KB 的上限"):
        flow.add_note(CLERK, row.id, "现场照片", photos=[("大.png", PNG + b"\x00" * 200_000)])
    assert log_size() == middle


def test_a_long_list_takes_ids_then_rows_in_blocks(town):
    made = [ticket(received_at=f"2026-11-{day:02d} 09:00", caller_phone=f"1380013800{day % 10}") for day in range(2, 9)]
    ticket(received_at="2026-10-30 09:00")
    found = board.ids(month="2026-11")
    assert found == [t.id for t in reversed(made)]
    block = board.rows_for(found[:3], as_of=dt.date(2026, 11, 10))
    assert [r.number for r in block] == [t.number for t in reversed(made)][:3]
    assert board.ids(state="closed") == []


def test_the_start_page_collects_the_hotline_reminders(town):
    from civdesk.office import dashboard

    signed()  # handling was due on 2026-11-16: long overdue by now
    kinds = {item.kind for item in dashboard.collect(REVIEWER)}
    assert {"hotline_supervise"} <= kinds


def test_a_number_used_on_two_pcs_before_they_synced_asks_for_the_id(town, admin):
    first = ticket()
    twin = changes.create(Ticket, admin, {"number": first.number, "received_at": "2026-11-02 10:00", "channel": "来电",
                                          "kind": "咨询", "category": "其他", "content": "另一台电脑受理的"},
                          scope=first.scope)
    with pytest.raises(CivDeskError, match="对应 2 张工单"):
        tickets.by_number(first.number)
    assert tickets.by_number(twin.id).content == "另一台电脑受理的"
    assert ticket(received_at="2026-11-03 09:00").number == "QXZ-RX-2026-0002"


def test_the_entry_form_choices_follow_the_settings(town, admin):
    settings.set_value(admin, "hotline.number", "96110")
    settings.set_value(admin, "hotline.days_help", 3)
    choices = tickets.form_choices()
    assert choices.hotline == "96110政务服务便民热线"
    assert choices.categories[:2] == ["环境卫生", "占道经营"] and "热线转办" in choices.channels
    assert [name for _, name in choices.villages] == ["桂花村", "石桥村"]
    assert choices.deadlines == {"咨询": 2, "求助": 3, "投诉": 10, "建议": 10, "表扬": 5}
