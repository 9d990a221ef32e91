"""Service hours: parsing, entry rules, review, corrections, totals, star levels, due activities."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError, NotFound, PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.office import settings
from civdesk.volunteers import hours, teams
from civdesk.volunteers.models import ActivityParticipant, ServiceApproval, ServiceRecord
from tests.volunteers.test_roster import CLERK, GUEST, REVIEWER, field_error, person

DAY = dt.date(2024, 5, 6)  # a Monday
REVIEWER2 = Actor("chenjing", "陈静", "reviewer")


@pytest.fixture
def vol(admin):
    return person(CLERK, "张三")


def activity(start=dt.date(2024, 5, 6), end=dt.date(2024, 5, 8), name="清洁家园"):
    return teams.create_activity(CLERK, {"name": name, "start_date": start, "end_date": end,
                                         "content": "清理河道垃圾"})


def entered(volunteer, amount, day=DAY, **kw):
    return hours.enter(CLERK, volunteer.id, day, amount, **kw)


# --- parse_hours ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, half", [
    (2, 4), ("1.5", 3), ("2小时", 4), ("2 小时", 4), ("３", 6), ("２．５", 5), ("1。5", 3), (0.5, 1),
    (24, 48), ("8h", 16), (" 4 ", 8), ("１．５", 3), ("　２　小时", 4),
])
def test_parse_hours_accepts(value, half):
    assert hours.parse_hours(value) == half


@pytest.mark.parametrize("value, words", [
    (0, "大于 0"), ("-1", "大于 0"), (-0.5, "大于 0"), ("1.25", "0.5"), (0.3, "0.5"),
    (25, "24 小时"), ("24.5", "24 小时"), ("abc", "应为数字"), ("", "不能为空"), ("两小时", "应为数字"),
    ("1e1", "科学计数法"), ("2,5", "应为数字"),
])
def test_parse_hours_refuses(value, words):
    with pytest.raises(ValidationError) as exc:
        hours.parse_hours(value)
    message = field_error(exc, "hours")
    assert words in message and "服务时长" in message


@pytest.mark.parametrize("value", ["nan", "NaN", float("nan"), "inf", "-Infinity", float("inf")])
def test_parse_hours_refuses_nan_and_infinity_as_a_validation_error(value):
    # An empty Excel cell read through pandas is NaN: it must be reported, never crash the import.
    with pytest.raises(ValidationError):
        hours.parse_hours(value)


def test_parse_hours_label_in_message():
    with pytest.raises(ValidationError) as exc:
        hours.parse_hours("x", "更正后的时长")
    assert exc.value.errors["hours"].startswith("更正后的时长")


# --- entering ---------------------------------------------------------------------------------


def test_enter_writes_a_pending_record(vol):
    record = entered(vol, "2.5", content="  打扫卫生 ")
    stored = ServiceRecord.get_by_id(record.id)
    assert (stored.volunteer_id, stored.service_date, stored.half_hours, stored.content) == \
        (vol.id, DAY, 5, "打扫卫生")
    assert stored.hours == 2.5 and stored.created_by == CLERK.username and stored.scope == vol.scope
    assert hours.status_of(record.id) == "pending"
    [row] = hours.records(vol.id)
    assert (row.status, row.hours, row.entered_by, row.volunteer_name) == ("pending", 2.5, "zhangli", "张三")


def test_enter_refuses_a_future_date(vol):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        entered(vol, 2, tomorrow)
    assert "还没到" in field_error(exc, "service_date")
    entered(vol, 2, dt.date.today())
    assert ServiceRecord.select().count() == 1


def test_enter_refuses_bad_inputs_together(vol):
    with pytest.raises(ValidationError) as exc:
        hours.enter(CLERK, "no-such-volunteer", "2024-02-30", "1.25")
    assert {"volunteer_id", "service_date", "hours"} <= set(exc.value.errors)
    with pytest.raises(PermissionDenied):
        hours.enter(GUEST, vol.id, DAY, 2)
    assert not ServiceRecord.select().exists()


def test_enter_refuses_a_date_outside_the_activity(vol):
    act = activity()
    for day in (dt.date(2024, 5, 5), dt.date(2024, 5, 9)):
        with pytest.raises(ValidationError) as exc:
            entered(vol, 2, day, activity_id=act.id)
        message = field_error(exc, "service_date")
        assert "不在活动「清洁家园」的日期内" in message and "2024-05-06 至 2024-05-08" in message
    for day in (dt.date(2024, 5, 6), dt.date(2024, 5, 8)):
        entered(vol, 2, day, activity_id=act.id)
    with pytest.raises(ValidationError) as exc:
        entered(vol, 2, DAY, activity_id="no-such-activity")
    assert "activity_id" in exc.value.errors
    assert ServiceRecord.select().count() == 2


def test_enter_with_an_activity_takes_its_content(vol):
    act = activity()
    assert entered(vol, 2, activity_id=act.id).content == "清理河道垃圾"
    assert entered(vol, 2, dt.date(2024, 5, 7), activity_id=act.id, content="分拣垃圾").content == "分拣垃圾"


def test_more_than_24_hours_on_one_day_is_refused_across_records(vol):
    first = entered(vol, 10, activity_id=activity().id)
    second = entered(vol, 10, activity_id=activity(name="关爱空巢老人").id)
    with pytest.raises(ValidationError) as exc:
        entered(vol, 4.5)
    assert "24 小时" in field_error(exc, "hours") and "已记录 20 小时" in exc.value.errors["hours"]
    entered(vol, 2, dt.date(2024, 5, 7))  # another day is another day
    other = person(CLERK, "李四")
    entered(other, 20)  # and another person is another person
    entered(vol, 4)  # exactly 24 is allowed
    with pytest.raises(ValidationError):
        entered(vol, 0.5)
    hours.approve(REVIEWER, [first.id])
    with pytest.raises(ValidationError):
        entered(vol, 0.5)
    hours.reject(REVIEWER, second.id, "签到表上没有此人")
    entered(vol, 10)  # rejected records do not count
    with pytest.raises(ValidationError):
        entered(vol, 0.5)


def test_entering_with_an_activity_adds_the_participant_once(vol):
    act = activity()
    entered(vol, 2, activity_id=act.id)
    entered(vol, 2, dt.date(2024, 5, 7), activity_id=act.id)
    rows = list(ActivityParticipant.select().where(ActivityParticipant.activity_id == act.id))
    assert len(rows) == 1 and rows[0].volunteer_id == vol.id and rows[0].scope == vol.scope
    assert rows[0].id == changes.deterministic_id("participant", act.id, vol.id)
    assert [v.id for v in teams.participants(act.id)] == [vol.id]
    entered(vol, 2, dt.date(2024, 5, 7))  # without an activity: no participant
    assert ActivityParticipant.select().count() == 1


# --- review ---------------------------------------------------------------------------------


def test_reviewer_approves(vol):
    record = entered(vol, 2)
    assert hours.approve(REVIEWER, [record.id]) == 1
    assert hours.status_of(record.id) == "approved"
    decision = ServiceApproval.get(ServiceApproval.record_id == record.id)
    assert (decision.decision, decision.created_by, decision.scope) == ("approved", REVIEWER.username, vol.scope)
    assert hours.records(vol.id, status="approved")[0].id == record.id
    assert hours.records(vol.id, status="pending") == []


def test_clerk_cannot_approve(vol):
    record = hours.enter(REVIEWER, vol.id, DAY, 2)
    with pytest.raises(PermissionDenied):
        hours.approve(CLERK, [record.id])
    with pytest.raises(PermissionDenied):
        hours.reject(CLERK, record.id, "不对")
    assert hours.status_of(record.id) == "pending"


@pytest.mark.parametrize("who", [REVIEWER, "admin"])
def test_nobody_approves_what_they_entered(vol, admin, who):
    who = admin if who == "admin" else who
    record = hours.enter(who, vol.id, DAY, 2)
    with pytest.raises(CivDeskError) as exc:
        hours.approve(who, [record.id])
    assert "自己录入" in str(exc.value)
    with pytest.raises(CivDeskError):
        hours.reject(who, record.id, "重复")
    assert hours.status_of(record.id) == "pending" and not ServiceApproval.select().exists()
    hours.approve(REVIEWER2 if who is REVIEWER else REVIEWER, [record.id])
    assert hours.status_of(record.id) == "approved"


def test_a_decided_record_cannot_be_decided_again(vol, admin):
    approved, rejected = entered(vol, 2), entered(vol, 3)
    hours.approve(REVIEWER, [approved.id])
    hours.reject(REVIEWER, rejected.id, "时长有误")
    for actor in (REVIEWER, REVIEWER2, admin):
        for record in (approved, rejected):
            with pytest.raises(CivDeskError) as exc:
                hours.approve(actor, [record.id])
            assert "已经审核过" in str(exc.value)
            with pytest.raises(CivDeskError):
                hours.reject(actor, record.id, "再退回")
    assert ServiceApproval.select().count() == 2
    assert hours.status_of(approved.id) == "approved" and hours.status_of(rejected.id) == "rejected"


def test_approving_a_list_is_all_or_nothing(vol):
    a, b, c = entered(vol, 1), entered(vol, 2), entered(vol, 3)
    own = hours.enter(REVIEWER, vol.id, DAY, 1)
    with pytest.raises(NotFound):
        hours.approve(REVIEWER, [a.id, b.id, "no-such-record", c.id])
    with pytest.raises(CivDeskError):
        hours.approve(REVIEWER, [a.id, b.id, own.id])
    hours.approve(REVIEWER2, [c.id])
    with pytest.raises(CivDeskError):
        hours.approve(REVIEWER, [a.id, c.id, b.id])
    assert {r.id: hours.status_of(r.id) for r in (a, b)} == {a.id: "pending", b.id: "pending"}
    assert ServiceApproval.select().count() == 1
    assert hours.approve(REVIEWER, [a.id, b.id]) == 2
    assert hours.total_half_hours(vol.id) == 12


def test_reject_needs_a_reason_and_rejected_hours_do_not_count(vol):
    record = entered(vol, 3)
    for reason in ("", "  ", None):
        with pytest.raises(ValidationError) as exc:
            hours.reject(REVIEWER, record.id, reason)
        assert "原因" in field_error(exc, "reason")
    assert hours.status_of(record.id) == "pending"
    hours.reject(REVIEWER, record.id, "  签到表上没有此人 ")
    assert hours.status_of(record.id) == "rejected"
    [row] = hours.records(vol.id)
    assert (row.status, row.reason) == ("rejected", "签到表上没有此人")
    assert hours.total_half_hours(vol.id) == 0 and hours.totals_for([vol.id]) == {}


def test_totals_count_only_approved_records(vol):
    other = person(CLERK, "李四")
    a = entered(vol, 2, dt.date(2024, 5, 6))
    b = entered(vol, 3.5, dt.date(2024, 6, 1))
    entered(vol, 8, dt.date(2024, 6, 2))  # pending
    c = entered(vol, 1, dt.date(2024, 7, 1))
    d = entered(other, 4)
    rejected = entered(vol, 6, dt.date(2024, 6, 3))
    hours.approve(REVIEWER, [a.id, b.id, c.id, d.id])
    hours.reject(REVIEWER, rejected.id, "重复录入")
    assert hours.total_half_hours(vol.id) == 13
    assert hours.total_half_hours(vol.id, dt.date(2024, 6, 1), dt.date(2024, 6, 30)) == 7
    assert hours.total_half_hours(vol.id, date_from=dt.date(2024, 6, 2)) == 2
    assert hours.total_half_hours(vol.id, date_to=dt.date(2024, 6, 1)) == 11
    assert hours.totals_for([vol.id, other.id]) == {vol.id: 13, other.id: 8}
    assert hours.totals_for([]) == {}


def test_a_record_approved_on_two_pcs_counts_once(vol):
    """Two reviewers on two PCs may approve the same record before their packages meet; the
    approvals are append-only and both arrive, but the hours must not double."""
    record = entered(vol, 2)
    hours.approve(REVIEWER, [record.id])
    changes.create(ServiceApproval, REVIEWER2, {"record_id": record.id, "decision": "approved"},
                   scope=vol.scope)  # what applying the other PC's package leaves behind
    assert hours.status_of(record.id) == "approved"
    assert hours.total_half_hours(vol.id) == 4
    assert hours.totals_for([vol.id]) == {vol.id: 4}
    assert len(hours.records(vol.id)) == 1


# --- corrections ----------------------------------------------------------------------------


def test_only_approved_originals_can_be_corrected(vol):
    pending = entered(vol, 2)
    with pytest.raises(CivDeskError) as exc:
        hours.correct(CLERK, pending.id, 3, "少记了")
    assert "已审核" in str(exc.value)
    rejected = entered(vol, 2, dt.date(2024, 5, 7))
    hours.reject(REVIEWER, rejected.id, "不对")
    with pytest.raises(CivDeskError):
        hours.correct(CLERK, rejected.id, 3, "少记了")
    with pytest.raises(NotFound):
        hours.correct(CLERK, "no-such-record", 3, "少记了")
    with pytest.raises(PermissionDenied):
        hours.correct(GUEST, pending.id, 3, "少记了")
    assert ServiceRecord.select().count() == 2


def test_correction_is_a_new_pending_record_with_the_difference(vol):
    original = entered(vol, 4)
    hours.approve(REVIEWER, [original.id])
    with pytest.raises(ValidationError) as exc:
        hours.correct(CLERK, original.id, 3, " ")
    assert "reason" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        hours.correct(CLERK, original.id, 4, "核对")
    assert "无需更正" in field_error(exc, "hours")
    with pytest.raises(ValidationError):
        hours.correct(CLERK, original.id, "1.25", "核对")

    fix = hours.correct(CLERK, original.id, "2.5", "签到表记录为 2.5 小时")
    assert fix.id != original.id
    assert (fix.half_hours, fix.corrects_id, fix.service_date, fix.volunteer_id) == (-3, original.id, DAY, vol.id)
    assert "签到表记录为 2.5 小时" in fix.content
    assert ServiceRecord.get_by_id(original.id).half_hours == 8, "the original is never edited"
    assert hours.status_of(fix.id) == "pending"
    assert hours.total_half_hours(vol.id) == 8, "a pending correction does not count yet"
    assert hours.effective_half_hours(original.id) == 8
    with pytest.raises(CivDeskError):
        hours.approve(CLERK, [fix.id])
    hours.approve(REVIEWER, [fix.id])
    assert hours.total_half_hours(vol.id) == 5
    assert hours.effective_half_hours(original.id) == 5
    with pytest.raises(CivDeskError) as exc:
        hours.correct(CLERK, fix.id, 2, "再改")
    assert "更正记录" in str(exc.value)

    up = hours.correct(CLERK, original.id, 6, "补记下午")
    assert up.half_hours == 7  # from the corrected 2.5 h to 6 h
    hours.approve(REVIEWER, [up.id])
    assert hours.total_half_hours(vol.id) == 12 and hours.effective_half_hours(original.id) == 12


def test_rejected_correction_changes_nothing(vol):
    original = entered(vol, 4)
    hours.approve(REVIEWER, [original.id])
    fix = hours.correct(CLERK, original.id, 3, "核对")
    hours.reject(REVIEWER, fix.id, "原记录无误")
    assert hours.total_half_hours(vol.id) == 8 and hours.effective_half_hours(original.id) == 8


def test_a_second_correction_while_one_is_pending_is_refused(vol):
    """Both would hold the same difference, and approving both would subtract it twice."""
    original = entered(vol, 4)
    hours.approve(REVIEWER, [original.id])
    hours.correct(CLERK, original.id, 3, "核对")
    with pytest.raises(CivDeskError):
        hours.correct(CLERK, original.id, 3, "核对")
    assert ServiceRecord.select().where(ServiceRecord.corrects_id == original.id).count() == 1


def test_correction_upwards_respects_the_day_limit(vol):
    original = entered(vol, 20)
    hours.approve(REVIEWER, [original.id])
    with pytest.raises(ValidationError) as exc:
        hours.correct(CLERK, original.id, 24.5, "补记")
    assert "hours" in exc.value.errors
    entered(vol, 3)
    with pytest.raises(ValidationError):
        hours.correct(CLERK, original.id, 22, "补记")
    assert hours.correct(CLERK, original.id, 21, "补记").half_hours == 2


def test_pending_reduction_does_not_make_room_for_more_hours(vol):
    """A pending correction downwards may still be rejected; until it is approved it must not
    free hours on that day, or the day ends above 24 h once it is rejected."""
    original = entered(vol, 20)
    hours.approve(REVIEWER, [original.id])
    fix = hours.correct(CLERK, original.id, 10, "核对")
    with pytest.raises(ValidationError):
        entered(vol, 14)
    hours.reject(REVIEWER, fix.id, "原记录无误")
    assert hours.total_half_hours(vol.id, DAY, DAY) <= 48


def test_service_records_are_append_only(vol, admin):
    record = entered(vol, 2)
    hours.approve(REVIEWER, [record.id])
    with pytest.raises(CivDeskError) as exc:
        changes.update(record, admin, {"half_hours": 10})
    assert "只能新增" in str(exc.value)
    with pytest.raises(CivDeskError):
        changes.delete(record, admin)
    decision = ServiceApproval.get(ServiceApproval.record_id == record.id)
    with pytest.raises(CivDeskError):
        changes.update(decision, admin, {"decision": "rejected"})
    stored = ServiceRecord.get_by_id(record.id)
    assert stored.half_hours == 4 and not stored.deleted
    assert hours.status_of(record.id) == "approved"


# --- star levels ----------------------------------------------------------------------------


def test_star_levels_default_thresholds(admin):
    assert hours.star_thresholds() == [100, 300, 600, 1000, 1500]
    levels = {h: hours.star_level(h * 2) for h in (0, 99.5, 100, 299.5, 300, 600, 999.5, 1000, 1500, 9000)}
    assert levels == {0: 0, 99.5: 0, 100: 1, 299.5: 1, 300: 2, 600: 3, 999.5: 3, 1000: 4, 1500: 5, 9000: 5}
    assert hours.star_level(7, [1, 2, 3]) == 3


def test_star_levels_follow_the_setting(vol, admin):
    for day in range(6, 9):
        record = entered(vol, 10, dt.date(2024, 5, day))
        hours.approve(REVIEWER, [record.id])
    assert hours.star_level(hours.total_half_hours(vol.id)) == 0
    settings.set_value(admin, "volunteer.star_hours", "10，20、30,40,50")
    assert hours.star_thresholds() == [10, 20, 30, 40, 50]
    assert hours.star_level(hours.total_half_hours(vol.id)) == 3
    settings.set_value(admin, "volunteer.star_hours", "25,100")
    assert hours.star_level(hours.total_half_hours(vol.id)) == 1


# --- activities without hours ---------------------------------------------------------------


def test_record_deadline_follows_the_working_day_calendar(admin):
    # 2024: 劳动节 May 1–5 off, Saturday May 11 worked (the State Council schedule)
    assert hours.record_deadline(dt.date(2024, 4, 30), 1) == dt.date(2024, 5, 6)
    assert hours.record_deadline(dt.date(2024, 5, 6), 10) == dt.date(2024, 5, 17)
    assert hours.record_deadline(dt.date(2024, 5, 17), 1) == dt.date(2024, 5, 20)
    monday = dt.date(2024, 5, 20)
    assert hours.record_cutoff(monday, 1) == dt.date(2024, 5, 17)
    assert hours.record_cutoff(monday, 10) == dt.date(2024, 5, 7)
    assert hours.record_cutoff(dt.date(2024, 5, 19), 1) == dt.date(2024, 5, 17)


def names_due(today):
    return [a.name for a in hours.activities_without_hours(today)]


def test_activities_without_hours_respect_working_days(vol, admin):
    act = activity(dt.date(2024, 5, 23), dt.date(2024, 5, 24), "清洁家园")  # ends on a Friday
    clinic = activity(dt.date(2024, 6, 12), dt.date(2024, 6, 12), "义诊进村")
    assert names_due(dt.date(2024, 5, 24)) == []
    assert names_due(dt.date(2024, 6, 7)) == [], "the tenth working day after the end is still in time"
    assert names_due(dt.date(2024, 6, 8)) == ["清洁家园"]
    settings.set_value(admin, "volunteer.record_within_workdays", 5)
    assert names_due(dt.date(2024, 5, 31)) == []
    assert names_due(dt.date(2024, 6, 1)) == ["清洁家园"]
    settings.set_value(admin, "volunteer.record_within_workdays", 1)
    for weekend_or_monday in (dt.date(2024, 5, 25), dt.date(2024, 5, 26), dt.date(2024, 5, 27)):
        assert names_due(weekend_or_monday) == [], "Saturday and Sunday are not working days"
    assert names_due(dt.date(2024, 5, 28)) == ["清洁家园"]
    assert names_due(dt.date(2024, 6, 30)) == ["清洁家园", "义诊进村"]
    entered(vol, 2, dt.date(2024, 5, 24), activity_id=act.id)
    assert names_due(dt.date(2024, 6, 30)) == ["义诊进村"], "gone once hours are recorded"
    teams.add_participant(CLERK, clinic.id, vol.id)
    assert names_due(dt.date(2024, 6, 30)) == ["义诊进村"], "participants alone are not hours"


def test_audit_log_names_what_was_entered_and_decided(vol, admin):
    from civdesk.office import audit

    act = activity()
    record = hours.enter(CLERK, vol.id, DAY, "2.5", activity_id=act.id)
    hours.approve(REVIEWER, [record.id])
    ids = audit.matching_ids(admin, audit.AuditFilter())
    summaries = {row.table_label: row.summary for row in audit.rows(admin, ids).values()}
    entered_text, decided_text = summaries["志愿服务记录"], summaries["服务记录审核"]
    assert f"活动：（空） → {act.name}" in entered_text and "时长：（空） → 2.5 小时" in entered_text
    assert act.id not in entered_text and vol.id not in entered_text
    assert decided_text == "审核结果：（空） → 已审核" and record.id not in decided_text


def test_activities_without_hours_skip_holidays_and_count_make_up_days(vol, admin):
    # 劳动节 2024: May 1–5 off and Saturday May 11 worked, so the tenth working day after
    # Friday May 3 is Thursday May 16
    activity(dt.date(2024, 5, 3), dt.date(2024, 5, 3), "五一志愿服务")
    assert names_due(dt.date(2024, 5, 16)) == []
    assert names_due(dt.date(2024, 5, 17)) == ["五一志愿服务"]
