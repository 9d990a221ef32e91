"""志愿服务 on the command line: teams, activities and their participants, and hours entered by
a clerk then approved or returned by a reviewer — never by the one who entered them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civdesk.core.actor import Actor
from civdesk.office import accounts
from civdesk.office import offices as office
from civdesk.volunteers import hours, teams
from civdesk.volunteers import roster as volunteers
from tests.support.volunteers import make_id

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
PASSWORD = "Temp-1234x"
DAY = dt.date.today() - dt.timedelta(days=3)
ZHANG, LI = make_id("19850302", "123"), make_id("19900515", "222")


@pytest.fixture
def staffed(admin, civ):
    for user in (CLERK, REVIEWER):
        accounts.add_user(admin, user.username, user.display_name, user.role, PASSWORD, must_change=False)
        civ.passwords[user.username] = PASSWORD
    office.add_village(admin, "桂花村")
    people = {"张三": volunteers.register(admin, {"name": "张三", "id_number": ZHANG, "village_id": "桂花村"}),
              "李四": volunteers.register(admin, {"name": "李四", "id_number": LI, "village_id": "桂花村"})}
    return people


def test_teams(staffed, civ):
    made = civ("team", "add", "桂花村志愿服务队", "--village", "桂花村", "--leader", ZHANG, "--category", "敬老助残",
               "--founded", "2024-03-05", user="zhangli")
    assert made.returncode == 0, made.stderr
    sub = civ("team", "add", "巾帼分队", "--parent", "桂花村志愿服务队", user="zhangli")
    assert sub.returncode == 0, sub.stderr
    joined = civ("team", "add-member", "巾帼分队", LI, staffed["张三"].number, user="zhangli")
    assert joined.returncode == 0 and "已把 2 名志愿者加入「巾帼分队」" in joined.stdout
    rows = {r["name"]: r for r in json.loads(civ("team", "list", "--json").stdout)}
    assert rows["桂花村志愿服务队"]["leader"] == "张三" and rows["桂花村志愿服务队"]["village"] == "桂花村"
    assert rows["桂花村志愿服务队"]["founded_date"] == "2024-03-05" and rows["桂花村志愿服务队"]["members"] == 1
    assert rows["巾帼分队"]["parent"] == "桂花村志愿服务队" and rows["巾帼分队"]["members"] == 2
    members = json.loads(civ("team", "members", "桂花村志愿服务队", "--json").stdout)
    assert [(m["name"], m["role"]) for m in members] == [("张三", "队长")]
    assert "共 2 支志愿队伍" in civ("team", "list").stdout


def test_team_refusals(staffed, civ):
    assert civ("team", "add", "桂花村志愿服务队", user="zhangli").returncode == 0
    for args, words in ((("team", "add", "桂花村志愿服务队"), "已有名为「桂花村志愿服务队」的队伍"),
                        (("team", "add", "x队", "--village", "月亮村"), "没有名为「月亮村」的村/社区"),
                        (("team", "add", "x队", "--founded", "2024-02-30"), "成立日期"),
                        (("team", "add", "x队", "--parent", "没有这个队"), "没有名为「没有这个队」的志愿队伍"),
                        (("team", "add-member", "桂花村志愿服务队", "110105194912310021"), "找不到证件号码")):
        result = civ(*args, user="zhangli")
        assert result.returncode == 1 and words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert [t.name for t in teams.teams()] == ["桂花村志愿服务队"]


def test_activities_and_participants(staffed, civ):
    assert civ("team", "add", "桂花村志愿服务队", user="zhangli").returncode == 0
    start = DAY.isoformat()
    made = civ("activity", "add", "重阳节敬老", "--start", start, "--end", (DAY + dt.timedelta(days=1)).isoformat(),
               "--team", "桂花村志愿服务队", "--village", "桂花村", "--place", "村活动室", "--content", "陪老人聊天",
               user="zhangli")
    assert made.returncode == 0, made.stderr
    joined = civ("activity", "add-participant", "重阳节敬老", ZHANG, LI, user="zhangli")
    assert joined.returncode == 0, joined.stderr
    [row] = json.loads(civ("activity", "list", "--json").stdout)
    assert (row["name"], row["start_date"], row["team"], row["village"], row["participants"]) == (
        "重阳节敬老", start, "桂花村志愿服务队", "桂花村", 2)
    names = [p["name"] for p in json.loads(civ("activity", "participants", "重阳节敬老", "--json").stdout)]
    assert sorted(names) == ["张三", "李四"]
    later = (DAY + dt.timedelta(days=30)).isoformat()
    assert json.loads(civ("activity", "list", "--from", later, "--json").stdout) == []
    # two activities of one name: the start date tells them apart
    assert civ("activity", "add", "重阳节敬老", "--start", "2025-10-29", user="zhangli").returncode == 0
    both = civ("activity", "participants", "重阳节敬老")
    assert both.returncode == 1 and "请同时给出开始日期" in both.stderr
    assert "共 2 人参加" in civ("activity", "participants", "重阳节敬老", "--date", start).stdout
    bad = civ("activity", "add", "x", "--start", start, "--end", "2020-01-01", user="zhangli")
    assert bad.returncode == 1 and "结束日期不能早于开始日期" in bad.stderr


def test_hours_entered_then_reviewed(staffed, civ):
    first = civ("hours", "add", ZHANG, "--date", DAY.isoformat(), "--hours", "２．５", "--content", "打扫卫生",
                user="zhangli")
    assert first.returncode == 0 and "2.5 小时（待审核）" in first.stdout, first.stderr
    assert civ("hours", "add", LI, "--date", DAY.isoformat(), "--hours", "3", user="zhangli").returncode == 0
    assert civ("hours", "add", LI, "--date", DAY.isoformat(), "--hours", "1", user="lixiuying").returncode == 0
    pending = json.loads(civ("hours", "list", "--pending", "--json").stdout)
    assert len(pending) == 3 and {r["status"] for r in pending} == {"pending"}
    by = {(r["volunteer_name"], r["hours"]): r for r in pending}
    assert by[("张三", 2.5)]["status_label"] == "待审核" and by[("张三", 2.5)]["content"] == "打扫卫生"
    zhang, li, own = by[("张三", 2.5)], by[("李四", 3.0)], by[("李四", 1.0)]

    approved = civ("hours", "approve", zhang["short_id"], li["id"], user="lixiuying")
    assert approved.returncode == 0 and "已审核通过 2 条" in approved.stdout, approved.stderr
    mine = civ("hours", "approve", own["short_id"], user="lixiuying")
    assert mine.returncode == 1 and "不能审核自己录入的记录" in mine.stderr
    clerk = civ("hours", "approve", own["short_id"], user="zhangli")
    assert clerk.returncode == 1 and "没有权限" in clerk.stderr
    twice = civ("hours", "approve", zhang["short_id"], user="admin")
    assert twice.returncode == 1 and "已经审核过" in twice.stderr

    blank = civ("hours", "reject", own["short_id"], "--reason", " ", user="admin")
    assert blank.returncode == 1 and "请写明原因" in blank.stderr
    rejected = civ("hours", "reject", own["short_id"], "--reason", "活动当天未到场", user="admin")
    assert rejected.returncode == 0, rejected.stderr
    assert hours.status_of(own["id"]) == "rejected" and hours.status_of(zhang["id"]) == "approved"
    assert json.loads(civ("hours", "list", "--pending", "--json").stdout) == []
    returned = json.loads(civ("hours", "list", "--status", "rejected", "--json").stdout)
    assert [(r["id"], r["reason"]) for r in returned] == [(own["id"], "活动当天未到场")]
    assert len(json.loads(civ("hours", "list", "--volunteer", LI, "--json").stdout)) == 2
    assert hours.total_half_hours(staffed["张三"].id) == 5


def test_hours_refusals(staffed, civ):
    for typed, words in (("inf", "应为数字"), ("1e1", "科学计数法"), ("1.25", "0.5"), ("25", "24 小时")):
        result = civ("hours", "add", ZHANG, "--date", DAY.isoformat(), "--hours", typed, user="zhangli")
        assert result.returncode == 1 and words in result.stderr and "服务时长" in result.stderr, (typed, result.stderr)
    for args, words in ((("approve", "abc"), "太短"), (("approve", "ffffffff"), "找不到编号"),
                        (("reject", "ffffffffff", "--reason", "x"), "找不到编号")):
        result = civ("hours", *args, user="lixiuying")
        assert result.returncode == 1 and words in result.stderr
    assert civ("hours", "reject", "ffffffff").returncode == 2, "--reason is required"
    assert civ("hours", "list", "--pending", "--status", "approved").returncode == 2
    assert json.loads(civ("hours", "list", "--json").stdout) == []
