"""我们的节日: a plan from the template in one call, the year's plan, the month calendar and the
工作台 reminder 30 days before a festival without a plan."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.activities import due, festival_plans, records
from civdesk.calendar import festivals
from civdesk.core.validation import ValidationError
from civdesk.office import dashboard
from tests.activities.helpers import CLERK, villages

YEAR = dt.date.today().year + 1 if dt.date.today().month >= 10 else dt.date.today().year


def test_planning_a_festival_is_one_call_with_the_template(admin):
    today = dt.date(YEAR, 1, 1)
    row = festival_plans.plan_festival(CLERK, YEAR, "中秋", place="村文化广场", today=today)
    assert row.status == "planned" and row.kind == "festival" and row.festival == "中秋"
    assert row.day == festivals.festival_date(YEAR, "中秋")
    assert row.title == f"{YEAR}年“我们的节日·中秋”团圆邻里情" and "做月饼" in row.content and row.place == "村文化广场"
    custom = festival_plans.plan_festival(CLERK, YEAR, "重阳", title="重阳登高", content="组织老人登山",
                                          today=today)
    assert (custom.title, custom.content) == ("重阳登高", "组织老人登山")
    with pytest.raises(ValidationError, match="没有这个节日"):
        festival_plans.plan_festival(CLERK, YEAR, "圣诞", today=today)


def test_every_festival_has_a_template():
    assert set(festival_plans.TEMPLATES) == set(festivals.FESTIVAL_NAMES)


def test_the_year_plan_lists_every_festival_with_its_plans(admin):
    today = dt.date(YEAR, 1, 1)
    festival_plans.plan_festival(CLERK, YEAR, "端午", today=today)
    plan = festival_plans.year_plan(YEAR, today=today)
    assert [(p.name, p.day) for p in plan] == [(n, d.isoformat()) for n, d in festivals.festivals(YEAR)]
    by_name = {p.name: p for p in plan}
    assert [r.festival for r in by_name["端午"].plans] == ["端午"] and by_name["端午"].colour == "ok"
    assert by_name["国家公祭日"].plans == [] and by_name["国家公祭日"].colour == "yellow"


def test_the_month_calendar_shows_festivals_and_activities(admin):
    day = festivals.festival_date(YEAR, "中秋")
    festival_plans.plan_festival(CLERK, YEAR, "中秋", today=dt.date(YEAR, 1, 1))
    weeks = festival_plans.month_calendar(day.year, day.month)
    assert all(len(week) == 7 for week in weeks) and dt.date.fromisoformat(weeks[0][0].day).weekday() == 0
    cell = next(c for week in weeks for c in week if c.day == day.isoformat())
    assert "中秋" in cell.festivals and [a.festival for a in cell.activities] == ["中秋"] and cell.in_month
    sep30 = next((c for week in weeks for c in week if c.day == f"{YEAR}-09-30"), None)
    if sep30 is not None:
        assert "烈士纪念日" in sep30.festivals


def test_the_start_page_says_30_days_before_a_festival_without_a_plan(admin, monkeypatch):
    chongyang = festivals.festival_date(YEAR, "重阳")
    today = chongyang - dt.timedelta(days=20)
    monkeypatch.setattr(due, "_today", lambda: today)
    expected = [n for n, d in festivals.festivals(YEAR) if today <= d <= today + dt.timedelta(days=30)]
    items = due.festivals_without_plan(admin)
    assert [i.title.split("（")[0] for i in items] == expected and "重阳" in expected
    item = next(i for i in items if i.title.startswith("重阳"))
    assert item.due_date == chongyang and item.severity == "due" and "还有 20 天" in item.detail
    for name in expected:
        festival_plans.plan_festival(CLERK, YEAR, name, today=today)
    assert due.festivals_without_plan(admin) == []
    assert all(i.kind != "festival_unplanned" for i in dashboard.collect(admin))


def test_a_village_pc_is_reminded_of_its_own_plans(admin, monkeypatch):
    ids = villages(admin, "桂花村", "荷塘村")
    day = festivals.festival_date(YEAR, "端午")
    monkeypatch.setattr(due, "_today", lambda: day - dt.timedelta(days=5))
    festival_plans.plan_festival(CLERK, YEAR, "端午", village_id=ids["荷塘村"], today=day - dt.timedelta(days=5))
    assert festival_plans.unplanned(day - dt.timedelta(days=5), ids["桂花村"]) == [("端午", day)]
    assert festival_plans.unplanned(day - dt.timedelta(days=5), ids["荷塘村"]) == []
    assert [i.severity for i in due.festivals_without_plan(admin)] == []  # the township sees a plan


def test_a_plan_not_recorded_after_its_day_is_on_the_start_page(admin, monkeypatch):
    past = dt.date.today() - dt.timedelta(days=3)
    row = records.create(CLERK, {"kind": "三美", "status": "planned", "title": "环境整治", "day": past})
    items = due.plans_not_recorded(admin)
    assert [(i.title, i.severity, i.target_page) for i in items] == [
        ("「环境整治」还没有登记开展情况", "overdue", f"activities/record/{row.id}")]
    records.update(CLERK, row.id, {"status": "held", "participants": 30})
    assert due.plans_not_recorded(admin) == []
