"""活动与阵地 from the command line: add and list activity records as JSON, plan a festival, halls
and sessions, placements, the reports; bad input exits 1 with a Chinese message and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from civdesk.calendar import festivals
from civdesk.core import db
from civdesk.office import accounts
from tests.activities.helpers import png, villages, volunteer
from tests.reports.test_reports_infra import pdftotext
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli, sql

ENV = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}
TODAY = dt.date.today()
CLERK_PASSWORD = "Zhangli@2024"


@pytest.fixture
def prepared(admin, db_path, tmp_path):
    villages(admin, "桂花村")
    number = volunteer("王秀英", 11).number
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD, must_change=False)
    db.close_database()
    photo = tmp_path / "合影.png"
    photo.write_bytes(png())
    return {"number": number, "photo": photo}


def cli(db_path, *args, env=ENV):
    user = [] if "--user" in args else ["--user", "admin"]  # the database is encrypted: reads log in too
    return run_cli("--db", str(db_path), *user, *args, env=env)


def test_add_and_list_activity_records_as_json(prepared, db_path):
    day = (TODAY - dt.timedelta(days=2)).isoformat()
    added = cli(db_path, "activity-record", "add", "--kind", "节日", "--festival", "重阳", "--title", "重阳敬老",
                "--date", day, "--village", "桂花村", "--participants", "40", "--photo", str(prepared["photo"]),
                "--volunteer", f"{prepared['number']}=2.5", "--json", "--user", ADMIN)
    assert added.returncode == 0, added.stderr
    row = json.loads(added.stdout)
    assert (row["title"], row["village"], row["participants"], row["photo_count"]) == ("重阳敬老", "桂花村", 40, 1)
    assert row["volunteer_services"] == [{"volunteer_id": row["volunteer_services"][0]["volunteer_id"],
                                          "name": "王秀英", "hours": 2.5, "status": "pending"}]
    listed = cli(db_path, "activity-record", "list", "--json", "--kind", "节日")
    assert [r["title"] for r in json.loads(listed.stdout)] == ["重阳敬老"] and "重阳敬老" in listed.stdout


@pytest.mark.parametrize("args, message", [
    (("--date", "1949-09-30"), "早于 1950 年"), (("--participants", "-4"), "参与人数不能小于 0"),
    (("--photo", "NOT_AN_IMAGE"), "不是 JPG 或 PNG 照片")])
def test_bad_input_exits_1_and_writes_nothing(prepared, db_path, tmp_path, args, message):
    if "NOT_AN_IMAGE" in args:
        fake = tmp_path / "照片.jpg"
        fake.write_text("这不是照片", encoding="utf-8")
        args = ("--photo", str(fake))
    base = {"--date": TODAY.isoformat(), "--participants": "3"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = cli(db_path, "activity-record", "add", "--kind", "三美", "--title", "整治", *sum(base.items(), ()),
                 "--user", ADMIN)
    assert result.returncode == 1 and message in result.stderr and result.stdout == ""
    assert sql(db_path, "SELECT COUNT(*) FROM act_record") == [(0,)]


def test_plan_a_festival_and_print_the_plan(prepared, db_path, tmp_path):
    year = TODAY.year + 1
    planned = cli(db_path, "activity-record", "plan-festival", "--year", str(year), "--festival", "春节", "--json",
                  "--user", ADMIN)
    assert planned.returncode == 0, planned.stderr
    row = json.loads(planned.stdout)
    assert row["day"] == festivals.festival_date(year, "春节").isoformat() and row["status"] == "planned"
    out = tmp_path / "plan.pdf"
    printed = cli(db_path, "report", "festival-plan", "--year", str(year), "--out", str(out), "--user", ADMIN)
    assert printed.returncode == 0, printed.stderr
    assert "“我们的节日·春节”文明过" in re.sub(r"\s+", "", pdftotext(out, layout=False))


def test_halls_sessions_and_the_register(prepared, db_path, tmp_path):
    assert cli(db_path, "hall", "add", "土城分堂", "--kind", "分堂", "--village", "桂花村", "--user", ADMIN).returncode == 0
    day = (TODAY - dt.timedelta(days=5)).isoformat()
    session = cli(db_path, "hall", "session", "--hall", "土城分堂", "--date", day, "--attendance", "45",
                  "--story-title", "好儿媳的故事", "--json", "--user", ADMIN)
    assert session.returncode == 0, session.stderr
    assert json.loads(session.stdout)["parts"][0] == {"part": "唱一首歌", "content": ""}
    listed = json.loads(cli(db_path, "hall", "list", "--json").stdout)
    assert listed[0]["name"] == "土城分堂" and listed[0]["sessions_this_year"] == (1 if day[:4] == str(TODAY.year) else 0)
    out = tmp_path / "register.pdf"
    done = cli(db_path, "report", "hall-register", "--hall", "土城分堂", "--year", day[:4], "--out", str(out),
               "--user", ADMIN)
    assert done.returncode == 0, done.stderr
    assert "好儿媳的故事" in pdftotext(out)
    missing = cli(db_path, "hall", "session", "--hall", "没有的堂", "--date", day, "--attendance", "1", "--user", ADMIN)
    assert missing.returncode == 1 and "找不到道德讲堂「没有的堂」" in missing.stderr


def test_placements_counts_and_inspection(prepared, db_path):
    for kind, place in (("街巷", "正街"), ("居民院落", "幸福院")):
        made = cli(db_path, "placement", "add", "--type", kind, "--place", place, "--theme", "讲文明树新风",
                   "--date", TODAY.isoformat(), "--village", "桂花村", "--json", "--user", ADMIN)
        assert made.returncode == 0, made.stderr
    counts = json.loads(cli(db_path, "placement", "list", "--counts", "--json").stdout)
    assert counts[0]["village"] == "桂花村" and counts[0]["by_type"]["街巷"] == 1 and counts[-1]["total"] == 2
    first = json.loads(made.stdout)["id"][:8]
    inspected = cli(db_path, "placement", "inspect", first, "--state", "破损", "--user", ADMIN)
    assert inspected.returncode == 0 and "破损" in inspected.stdout


def test_the_minors_report_is_refused_without_the_permission(prepared, db_path, tmp_path):
    out = tmp_path / "minors.pdf"
    refused = cli(db_path, "report", "minors", "--year", str(TODAY.year), "--out", str(out), "--user", "zhangli",
                  env={"CIVDESK_PASSWORD": CLERK_PASSWORD})
    assert refused.returncode == 1 and "未成年人信息" in refused.stderr and not out.exists()
    allowed = cli(db_path, "report", "minors", "--year", str(TODAY.year), "--out", str(out), "--user", ADMIN)
    assert allowed.returncode == 0, allowed.stderr
    assert "内部资料" in pdftotext(out)
