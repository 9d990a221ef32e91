"""The office's working-day calendar: package defaults, an administrator's edits and imports, the
start-page warning for a missing year, and the command line."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from civdesk.calendar import due, holidays
from civdesk.core.actor import Actor
from civdesk.core.errors import PermissionDenied
from civdesk.core.validation import ValidationError
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli

D = dt.date.fromisoformat
CLERK = Actor("lisi", "李四", "clerk")


def test_2026_comes_from_the_package(admin):
    info = holidays.year_info(2026)
    assert info.source == "package"
    assert next((d.kind, d.name) for d in info.days if d.day == D("2026-10-01")) == ("休", "国庆节")
    # 国庆 2026: 10-01..10-07 off, Saturday 10-10 worked; from Wednesday 09-30, one working day is 10-08
    assert holidays.add_workdays(D("2026-09-30"), 1).day == D("2026-10-08")
    assert holidays.is_workday(D("2026-10-10"))
    assert not holidays.add_workdays(D("2026-09-30"), 1).assumed_years


def test_a_year_without_data_counts_monday_to_friday_with_a_warning(admin):
    result = holidays.add_workdays(D("2027-09-30"), 1)
    assert result.day == D("2027-10-01")  # a Friday: the real 国庆 is not known yet
    assert result.assumed_years == {2027}
    assert "未录入 2027 年放假安排" in holidays.warning_for(result)
    assert holidays.year_info(2027).source == "none"


def test_an_admin_enters_a_day_and_the_year_stays_whole(admin):
    holidays.set_day(admin, D("2026-12-31"), "休", "测试调休")
    info = holidays.year_info(2026)
    assert info.source == "table"
    days = {d.day: d for d in info.days}
    assert days[D("2026-12-31")].name == "测试调休"
    assert days[D("2026-10-01")].name == "国庆节", "the package's schedule was copied before the edit"
    assert not holidays.is_workday(D("2026-12-31"))
    holidays.remove_day(admin, D("2026-12-31"))
    assert holidays.is_workday(D("2026-12-31"))


def test_only_an_administrator_edits_the_calendar(admin):
    with pytest.raises(PermissionDenied):
        holidays.set_day(CLERK, D("2026-12-31"), "休", "x")
    with pytest.raises(ValidationError, match="只能是“休”"):
        holidays.set_day(admin, D("2026-12-31"), "假", "x")


def test_import_replaces_a_year_all_or_nothing(admin, tmp_path):
    rows = [("日期", "类型", "名称"), ("2027-01-01", "休", "元旦"), ("2027/10/1", "休", "国庆节"),
            ("2027年10月9日", "班", "国庆节")]
    assert holidays.import_rows(admin, rows) == {2027: 3}
    assert holidays.add_workdays(D("2027-09-30"), 1).day == D("2027-10-04")
    assert not holidays.add_workdays(D("2027-09-30"), 1).assumed_years
    before = holidays.year_info(2027).days
    bad = [("日期", "类型", "名称"), ("2027-05-01", "休", "劳动节"), ("2027-05-01", "休", "劳动节"),
           ("2027-05-02", "放", "劳动节")]
    with pytest.raises(ValidationError) as caught:
        holidays.import_rows(admin, bad)
    message = str(caught.value)
    assert "第 3 行，日期：2027-05-01 出现了两次" in message and "第 4 行，类型" in message
    assert holidays.year_info(2027).days == before, "a refused sheet changes nothing"


def test_import_from_an_excel_file(admin, tmp_path):
    path = tmp_path / "放假安排.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "名称"])
    ws.append([dt.datetime(2028, 1, 1), "休", "元旦"])
    ws.append(["2028-02-05", "班", "春节"])
    wb.save(path)
    assert holidays.import_sheet(admin, path) == {2028: 2}
    assert holidays.is_workday(D("2028-02-05"))


def test_start_page_warns_from_december(admin, monkeypatch):
    monkeypatch.setattr(due, "_today", lambda: D("2026-11-30"))
    assert due.schedule_missing(admin) == []
    monkeypatch.setattr(due, "_today", lambda: D("2026-12-01"))
    [item] = due.schedule_missing(admin)
    assert item.title == "未录入 2027 年放假安排" and item.severity == "due"
    holidays.import_rows(admin, [("2027-01-01", "休", "元旦")])
    assert due.schedule_missing(admin) == []
    monkeypatch.setattr(due, "_today", lambda: D("2029-03-01"))
    [item] = due.schedule_missing(admin)
    assert item.title == "未录入 2029 年放假安排" and item.severity == "overdue"


def test_command_line(db_path, admin, tmp_path):
    from civdesk.core import db

    db.close_database()
    out = run_cli("--db", str(db_path), "--user", ADMIN, "calendar", "workday", "2026-09-30", "1", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert out.returncode == 0 and out.stdout == "2026-10-08\n"
    out = run_cli("--db", str(db_path), "--user", ADMIN, "calendar", "workday", "2027-09-30", "1", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert out.stdout == "2027-10-01\n" and "未录入 2027 年放假安排" in out.stderr
    out = run_cli("--db", str(db_path), "--user", ADMIN, "calendar", "holidays", "--year", "2026", "--json", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    data = json.loads(out.stdout)
    assert {"date": "2026-10-10", "type": "班", "name": "国庆节"} in data["days"]
    path = tmp_path / "2027.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["日期", "类型", "名称"])
    wb.active.append(["2027-10-01", "休", "国庆节"])
    wb.active.append(["2027-10-01", "休", "国庆节"])
    wb.save(path)
    out = run_cli("--db", str(db_path), "calendar", "import", str(path), "--user", ADMIN,
                  env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert out.returncode == 1 and "第 3 行，日期：2027-10-01 出现了两次" in out.stderr
    out = run_cli("--db", str(db_path), "--user", ADMIN, "calendar", "workday", "2026-09-30", "x", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert out.returncode == 1 and "整数" in out.stderr


def test_festivals_on_the_command_line_need_no_database(tmp_path):
    out = run_cli("--db", str(tmp_path / "none.sqlite3"), "calendar", "festivals", "--year", "2025", "--json")
    days = {d["name"]: d["date"] for d in json.loads(out.stdout)}
    assert days["除夕"] == "2025-01-28" and days["中秋"] == "2025-10-06" and days["清明"] == "2025-04-04"
    out = run_cli("--db", str(tmp_path / "none.sqlite3"), "calendar", "festivals", "--year", "1900")
    assert out.returncode == 1 and "1950" in out.stderr
