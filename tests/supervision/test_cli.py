"""督查与整改 from the command line, end to end: an inspection with a finding and a photo, a notice
with --days, the list on given days (colours, overdue working days), rectification and 复查, the
veto seen by `unit list`, both PDFs; refusals exit 1 with a Chinese message and write nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest

from civdesk.core import db
from civdesk.reports.document import chinese_date
from tests.supervision.helpers import photo
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli
from tests.support.units import application

ENV = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}


def pdftotext(pdf) -> str:
    # No skip: a machine without poppler-utils fails here, as the house rules ask.
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True, encoding="utf-8")
    return re.sub(r"\s+", "", out.stdout)


@pytest.fixture
def township(admin, db_path):
    app = application(admin, "assessing", assessed=92)
    db.close_database()
    return app.id


def cli(db_path, *args, user=True):
    # Every command reads the encrypted database, so each logs in (*user* is kept for the callers).
    return run_cli("--db", str(db_path), "--user", ADMIN, *args, env=ENV)


def notices(db_path, day):
    result = cli(db_path, "supervision", "notices", "--json", "--as-of", day, user=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_whole_path(township, db_path, tmp_path):
    made = cli(db_path, "supervision", "inspect", "--org", "红星村", "--mechanism", "镇容环境卫生", "--date", "2026-03-02",
               "--inspectors", "李秀英、王强", "--finding", "主干道两侧堆放建筑垃圾", "--photo", str(photo(tmp_path)),
               "--json")
    assert made.returncode == 0, made.stderr
    (finding,) = json.loads(made.stdout)["findings"]
    issued = cli(db_path, "supervision", "issue", "--org", "红星村", "--finding-id", finding["id"], "--days", "10",
                 "--served", "2026-03-02", "--requirements", "立即清运建筑垃圾", "--json")
    assert issued.returncode == 0, issued.stderr
    notice = json.loads(issued.stdout)
    assert (notice["number"], notice["deadline"]) == ("清溪镇整改〔2026〕1号", "2026-03-16")
    (early,) = notices(db_path, "2026-03-13")
    assert (early["state"], early["colour"], early["workdays_left"]) == ("pending", "yellow", 1)
    (late,) = notices(db_path, "2026-03-20")
    assert (late["state"], late["colour"], late["overdue_workdays"], late["state_label"]) == ("overdue", "red", 4, "督办")

    assert cli(db_path, "supervision", "sweep", "--as-of", "2026-03-20").returncode == 0
    units = json.loads(run_cli("--db", str(db_path), "--user", ADMIN, "unit", "list", "--year", "2026", "--json", env=ENV).stdout)
    assert units[0]["vetoes"] == ["环境卫生长效管理不达标"]

    fixed = cli(db_path, "supervision", "rectify", notice["number"], "--date", "2026-03-23", "--text", "已清运完毕",
                "--photo", str(photo(tmp_path, "after.png", (0, 150, 0))))
    assert fixed.returncode == 0, fixed.stderr
    assert notices(db_path, "2026-03-24")[0]["state"] == "reported"
    failed = cli(db_path, "supervision", "review", notice["short_id"], "--fail", "--date", "2026-03-24",
                 "--text", "仍有残留", "--days", "3")
    assert failed.returncode == 0 and "重新限期至 2026-03-27" in failed.stdout
    assert cli(db_path, "supervision", "review", notice["short_id"], "--pass", "--date", "2026-03-26",
               "--text", "已整改到位").returncode == 0
    again = cli(db_path, "supervision", "review", notice["short_id"], "--pass", "--date", "2026-03-27", "--text", "再查")
    assert again.returncode == 1 and "已复查通过并销号" in again.stderr

    letter = tmp_path / "通知书.pdf"
    assert cli(db_path, "report", "rectification-notice", notice["number"], "--out", str(letter)).returncode == 0
    text = pdftotext(letter)
    for part in ("清溪镇整改〔2026〕1号", "限期整改通知书", "红星村：", "主干道两侧堆放建筑垃圾", "2026年3月16日前", "（10个工作日内）"):
        assert part in text
    report = tmp_path / "通报.pdf"
    assert cli(db_path, "report", "supervision-summary", "--month", "2026-03", "--out", str(report)).returncode == 0
    text = pdftotext(report)
    assert "关于2026年3月督查整改情况的通报" in text and "超期整改1件" in text and "红星村" in text
    assert "文明办〔" in text, "a 发文字号 from the register"


def test_refusals_write_nothing(township, db_path, tmp_path):
    fake = tmp_path / "假照片.jpg"
    fake.write_text("不是照片", encoding="utf-8")
    bad = cli(db_path, "supervision", "inspect", "--org", "红星村", "--mechanism", "镇容环境卫生", "--date", "2026-03-02",
              "--inspectors", "李秀英", "--finding", "垃圾", "--photo", str(fake))
    assert bad.returncode == 1 and "「假照片.jpg」不是照片" in bad.stderr
    early = cli(db_path, "supervision", "issue", "--place", "滨河路", "--village", "红星村", "--mechanism", "镇容环境卫生",
                "--problems", "乱堆乱放", "--requirements", "立即清理", "--responsible", "王村长",
                "--served", "2026-03-10", "--deadline", "2026-03-09")
    assert early.returncode == 1 and "早于送达日期" in early.stderr
    assert notices(db_path, "2026-12-31") == []
    unknown = cli(db_path, "supervision", "notices", "--as-of", "2026-02-30", user=False)
    assert unknown.returncode == 1 and "日期" in unknown.stderr


def test_holders_their_agreement_and_the_quarterly_sheet(township, db_path, tmp_path):
    from openpyxl import load_workbook

    added = cli(db_path, "supervision", "holder-add", "--name", "老王面馆", "--kind", "商铺", "--village", "红星村",
                "--address", "红星村正街 12 号", "--responsible", "王大明", "--phone", "13912345678",
                "--signed", "2026-01-15")
    assert added.returncode == 0, added.stderr
    listed = json.loads(cli(db_path, "supervision", "holders", "--json", user=False).stdout)
    assert listed[0]["phone_masked"] == "139****5678" and "13912345678" not in json.dumps(listed)
    agreement = tmp_path / "责任书.pdf"
    assert cli(db_path, "report", "frontage-agreement", "老王面馆", "--out", str(agreement)).returncode == 0
    text = pdftotext(agreement)
    assert "门前三包责任书" in text and "包卫生" in text and "2026年1月15日" in text and "责任人（签字）" in text
    # signed on 15 January, printed today: the footer says so, the last clause is a sentence, not a heading
    assert f"打印日期：{chinese_date(dt.date.today())}" in text and "三、其他" in text
    cli(db_path, "supervision", "issue", "--place", "滨河路", "--village", "红星村", "--mechanism", "镇容环境卫生",
        "--problems", "乱堆乱放", "--requirements", "立即清理", "--responsible", "王村长", "--served", "2026-02-02",
        "--days", "3")
    sheet = tmp_path / "通报.xlsx"
    made = cli(db_path, "report", "supervision-summary", "--quarter", "2026-Q1", "--out", str(sheet))
    assert made.returncode == 0, made.stderr
    rows = [r for r in load_workbook(sheet).active.iter_rows(values_only=True) if r and r[0] == 1]
    assert rows[0][1] == "红星村" and rows[0][-1] == 100 - 8  # one overdue notice
    both = cli(db_path, "report", "supervision-summary", "--quarter", "2026-Q1", "--month", "2026-01", "--out", str(sheet))
    assert both.returncode == 1 and "中的一个" in both.stderr


def test_plans_and_a_checklist_from_the_command_line(township, db_path):
    assert cli(db_path, "supervision", "area-add", "--name", "红星村主街", "--village", "红星村",
               "--route", "村委会—文化广场").returncode == 0
    assert cli(db_path, "supervision", "member-add", "--name", "王强", "--role", "组长", "--phone", "13812345678"
               ).returncode == 0
    made = cli(db_path, "supervision", "round-add", "--name", "红星村季度督查", "--frequency", "quarterly",
               "--village", "红星村", "--area", "红星村主街", "--start", "2026-01-01", "--due-day", "20")
    assert made.returncode == 0, made.stderr
    due = json.loads(cli(db_path, "supervision", "rounds", "--as-of", "2026-03-18", "--json", user=False).stdout)
    assert [(o["period"], o["due"], o["state"]) for o in due] == [("2026-Q1", "2026-03-20", "open")]
    checked = cli(db_path, "supervision", "inspect", "--org", "红星村", "--mechanism", "镇容环境卫生", "--date",
                  "2026-03-02", "--inspectors", "王强", "--check", "无乱贴乱画、乱搭乱建=不合格",
                  "--check", "环境卫生总体状况=8", "--json")
    assert checked.returncode == 0, checked.stderr
    assert [f["description"] for f in json.loads(checked.stdout)["findings"]] == ["无乱贴乱画、乱搭乱建：不合格"]
    wrong = cli(db_path, "supervision", "inspect", "--org", "红星村", "--mechanism", "镇容环境卫生",
                "--inspectors", "王强", "--check", "没有这一项=合格")
    assert wrong.returncode == 1 and "检查表中没有「没有这一项」" in wrong.stderr


def test_pairs_are_named_on_the_command_line(township, db_path, tmp_path):
    made = cli(db_path, "supervision", "inspect", "--org", "红星村", "--mechanism", "镇容环境卫生", "--date", "2026-03-02",
               "--inspectors", "李秀英", "--finding", "主干道两侧堆放建筑垃圾", "--photo", str(photo(tmp_path)), "--json")
    (finding,) = json.loads(made.stdout)["findings"]
    issued = json.loads(cli(db_path, "supervision", "issue", "--org", "红星村", "--finding-id", finding["id"],
                            "--days", "10", "--served", "2026-03-02", "--requirements", "立即清运", "--json").stdout)
    shown = json.loads(cli(db_path, "supervision", "pairs", issued["number"], "--json").stdout)
    (before,) = shown["before"]
    assert before["label"] == "问题1-1：主干道两侧堆放建筑垃圾" and shown["unpaired_before"] == [before["id"]]
    extra = cli(db_path, "supervision", "rectify", issued["number"], "--text", "已清运完毕", "--date", "2026-03-05",
                "--photo", str(photo(tmp_path, "a.png")), "--pair", "x", "--pair", "y")
    assert extra.returncode == 1 and "--pair 有 2 个" in extra.stderr
    wrong = cli(db_path, "supervision", "rectify", issued["number"], "--text", "已清运完毕", "--date", "2026-03-05",
                "--photo", str(photo(tmp_path, "a.png")), "--pair", "不存在的照片")
    assert wrong.returncode == 1 and "不属于这份通知书" in wrong.stderr
    done = cli(db_path, "supervision", "rectify", issued["number"], "--text", "已清运完毕", "--date", "2026-03-05",
               "--photo", str(photo(tmp_path, "wide.png", (0, 90, 0))), "--photo", str(photo(tmp_path, "a.png")),
               "--pair", "无", "--pair", before["id"])
    assert done.returncode == 0, done.stderr
    shown = json.loads(cli(db_path, "supervision", "pairs", issued["number"], "--json").stdout)
    assert [(p["before_id"], p["after_file"]) for p in shown["pairs"]] == [(before["id"], "a.png")]
    (wide,) = shown["unpaired_after"]
    assert wide["file"] == "wide.png"
    moved = cli(db_path, "supervision", "pair", issued["number"], "--after", wide["id"], "--before", before["id"])
    assert moved.returncode == 0 and "已保存" in moved.stdout
    shown = json.loads(cli(db_path, "supervision", "pairs", issued["number"], "--json").stdout)
    assert len(shown["pairs"]) == 2 and not shown["unpaired_after"]
