"""Volunteer statistics, and the volunteer items on the start page."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core.actor import Actor
from civdesk.office import dashboard, settings
from civdesk.office import offices as office_service
from civdesk.volunteers import due, hours, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers import stats as volunteer_stats
from civdesk.volunteers.models import Volunteer
from tests.volunteers.test_roster import CLERK, GUEST, REVIEWER, person


def approved(volunteer, amount, day):
    record = hours.enter(CLERK, volunteer.id, day, amount)
    hours.approve(REVIEWER, [record.id])
    return record


@pytest.fixture
def world(admin):
    guihua = office_service.add_village(admin, "桂花村")
    shiqiao = office_service.add_village(admin, "石桥社区")
    a = person(CLERK, "张三", village_id=guihua.id, join_date="2024-01-10")
    b = person(CLERK, "李四", village_id=shiqiao.id, join_date="2023-06-01")
    c = person(CLERK, "王五", join_date="2024-03-01")
    d = person(CLERK, "赵六", village_id=guihua.id, join_date="2024-02-01")
    e = person(CLERK, "钱七", village_id=guihua.id, join_date="2024-02-01")
    volunteers.leave(CLERK, d.id)
    volunteers.delete(admin, e.id, "重复登记")
    big = teams.create_team(CLERK, {"name": "清溪镇志愿服务总队"})
    small = teams.create_team(CLERK, {"name": "桂花村志愿服务队", "leader_id": a.id})
    for v in (a, b):
        teams.add_member(CLERK, big.id, v.id)
    approved(a, 2, dt.date(2024, 1, 15))
    approved(a, 3, dt.date(2024, 3, 10))
    approved(b, 4, dt.date(2024, 3, 11))
    approved(c, 1, dt.date(2024, 2, 1))
    approved(a, 10, dt.date(2023, 12, 31))  # before the period
    approved(b, "0.5", dt.date(2024, 5, 1))  # after it
    hours.enter(CLERK, a.id, dt.date(2024, 2, 2), 5)  # pending
    rejected = hours.enter(CLERK, b.id, dt.date(2024, 2, 3), 6)
    hours.reject(REVIEWER, rejected.id, "签到表上没有此人")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "big": big, "small": small}


def test_counts_and_totals(world):
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert (stats.date_from, stats.date_to) == (dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert stats.volunteers_active == 3, "张三 李四 王五; not the one who left, not the deleted one"
    assert stats.volunteers_left == 1
    assert stats.volunteers_new == 3, "张三, 王五 and 赵六 joined within the period"
    assert stats.served_volunteers == 3
    assert stats.total_hours == 10


def test_hours_by_month_lists_every_month_of_the_period(world):
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert stats.by_month == [("2024-01", 2), ("2024-02", 1), ("2024-03", 7), ("2024-04", 0)]
    across = volunteer_stats.compute(dt.date(2023, 11, 15), dt.date(2024, 2, 10))
    assert across.by_month == [("2023-11", 0), ("2023-12", 10), ("2024-01", 2), ("2024-02", 1)]
    assert across.total_hours == 13
    one_day = volunteer_stats.compute(dt.date(2024, 3, 10), dt.date(2024, 3, 10))
    assert one_day.by_month == [("2024-03", 3)] and one_day.served_volunteers == 1


def test_hours_by_village_and_by_team(world):
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert stats.by_village == [("桂花村", 5), ("石桥社区", 4), ("未指定村/社区", 1)]
    assert stats.by_team == [("清溪镇志愿服务总队", 9), ("桂花村志愿服务队", 5)]
    teams.remove_member(CLERK, world["big"].id, world["a"].id)
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert dict(stats.by_team) == {"清溪镇志愿服务总队": 4, "桂花村志愿服务队": 5}


def test_star_distribution(world, admin):
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert stats.stars == [("未评星", 3), ("一星", 0), ("二星", 0), ("三星", 0), ("四星", 0), ("五星", 0)]
    settings.set_value(admin, "volunteer.star_hours", "4,12")
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    # all-time approved hours of active volunteers: 张三 15, 李四 4.5, 王五 1
    assert stats.stars == [("未评星", 1), ("一星", 1), ("二星", 1)]


def test_only_approved_hours_count(world):
    period = (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    stats = volunteer_stats.compute(*period)
    assert stats.total_hours == 1 and stats.served_volunteers == 1, "pending 5 h and rejected 6 h left out"
    pending = hours.records(world["a"].id, status="pending")[0]
    hours.approve(REVIEWER, [pending.id])
    stats = volunteer_stats.compute(*period)
    assert stats.total_hours == 6 and stats.by_month == [("2024-02", 6)]
    assert dict(stats.by_village) == {"桂花村": 5, "未指定村/社区": 1}


def test_empty_database(admin):
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    assert (stats.volunteers_active, stats.total_hours, stats.served_volunteers) == (0, 0, 0)
    assert stats.by_month == [("2024-01", 0), ("2024-02", 0)]
    assert stats.by_team == [] and stats.by_village == []
    assert [n for _, n in stats.stars] == [0] * 6


# --- start page -------------------------------------------------------------------------------


def items_of(actor, kind):
    return [item for item in dashboard.collect(actor) if item.kind == kind]


def test_activities_without_hours_on_the_start_page(admin):
    v = person(CLERK, "张三")
    today = dt.date.today()
    ended = today - dt.timedelta(days=40)
    act = teams.create_activity(CLERK, {"name": "清洁家园", "start_date": ended, "end_date": ended})
    teams.create_activity(CLERK, {"name": "昨天的义诊", "start_date": today - dt.timedelta(days=1)})
    for actor in (CLERK, REVIEWER, admin):
        [item] = items_of(actor, "activity_hours")
        assert item.title == "活动「清洁家园」还没有录入服务时长"
        assert item.severity == "overdue" and item.target_page == "teams/activities"
        assert item.due_date == hours.record_deadline(ended, 10) and item.due_date < today
    assert items_of(GUEST, "activity_hours") == []
    hours.enter(CLERK, v.id, ended, 2, activity_id=act.id)
    assert items_of(CLERK, "activity_hours") == []


def test_many_unrecorded_activities_make_one_item(admin):
    ended = dt.date.today() - dt.timedelta(days=60)
    for n in range(5):
        teams.create_activity(CLERK, {"name": f"活动{n}", "start_date": ended - dt.timedelta(days=n),
                                      "end_date": ended - dt.timedelta(days=n)})
    [item] = items_of(CLERK, "activity_hours")
    assert item.title == "5 项活动还没有录入服务时长"
    assert "「活动4」" in item.detail, "the oldest first"


def test_pending_records_for_reviewers_excluding_their_own(admin):
    a = person(CLERK, "张三")
    entered = [hours.enter(CLERK, a.id, dt.date(2024, 5, 6), 2), hours.enter(CLERK, a.id, dt.date(2024, 5, 3), 1)]
    [item] = items_of(REVIEWER, "pending_hours")
    assert item.title == "2 条服务时长记录等待您审核"
    assert "2024-05-03" in item.detail and item.target_page == "hours/review" and item.severity == "due"
    assert items_of(CLERK, "pending_hours") == [], "a clerk cannot approve"
    assert items_of(GUEST, "pending_hours") == []

    own = hours.enter(REVIEWER, a.id, dt.date(2024, 5, 7), 2)
    [item] = items_of(REVIEWER, "pending_hours")
    assert item.title == "2 条服务时长记录等待您审核" and "其中 1 条是您自己录入的" in item.detail
    [item] = items_of(admin, "pending_hours")
    assert item.title == "3 条服务时长记录等待您审核"

    hours.approve(REVIEWER, [r.id for r in entered])
    assert items_of(REVIEWER, "pending_hours") == [], "only its own entry waits: someone else must review it"
    [item] = items_of(admin, "pending_hours")
    assert item.title == "1 条服务时长记录等待您审核"
    other = Actor("chenjing", "陈静", "reviewer")
    hours.reject(other, own.id, "重复录入")
    assert items_of(admin, "pending_hours") == [] and items_of(REVIEWER, "pending_hours") == []


def test_volunteer_providers_are_registered():
    from civdesk.core.registry import registry

    registered = registry.due_providers()
    assert due.activities_without_hours in registered
    assert due.pending_service_records in registered


def test_deleted_volunteers_are_not_counted(world, admin):
    assert Volunteer.get_by_id(world["e"].id).deleted
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert stats.volunteers_active + stats.volunteers_left == 4


def test_hours_of_a_deleted_volunteer_leave_the_statistics(world, admin):
    """A deleted registration (made by mistake) is gone from every count and every total; its
    hours must not stay behind in the office's figures either."""
    duplicate = person(CLERK, "孙八", join_date="2024-01-02")
    approved(duplicate, 8, dt.date(2024, 2, 5))
    volunteers.delete(admin, duplicate.id, "重复登记")
    stats = volunteer_stats.compute(dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert stats.volunteers_new == 3
    assert stats.total_hours == 10 and stats.served_volunteers == 3
    assert dict(stats.by_month)["2024-02"] == 1
