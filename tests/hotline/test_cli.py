"""``python -m civdesk hotline …`` and ``report hotline-month`` end to end in a subprocess."""

from __future__ import annotations

import json

from civdesk.core import db
from civdesk.office import offices
from tests.support.databases import ADMIN_PASSWORD, run_cli, sql

ENV = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}


def cli(db_path, *args):
    return run_cli("--db", str(db_path), *args, env=ENV)


def _ready(admin, db_path):
    offices.add_village(admin, "桂花村")
    db.close_database()


def _add(db_path, *extra, received="2026-11-02 09:00", phone="13800138000"):
    return cli(db_path, "hotline", "add", "--user", "admin", "--received", received, "--caller-name", "张三",
               "--caller-phone", phone, "--address", "桂花村3组", "--village", "桂花村", "--kind", "投诉",
               "--category", "环境卫生", "--content", "垃圾没人收", *extra)


def test_a_ticket_through_the_command_line(admin, db_path, tmp_path):
    _ready(admin, db_path)
    first = _add(db_path, "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["number"] == "QXZ-RX-2026-0001"
    second = _add(db_path, received="2026-11-03 09:00")
    assert "疑似重复（同一电话）：QXZ-RX-2026-0001" in second.stdout
    number = "QXZ-RX-2026-0001"
    steps = [("dispatch", number, "--at", "2026-11-02 10:00"), ("sign", number, "--at", "2026-11-03 09:00"),
             ("note", number, "已现场查看", "--at", "2026-11-03 10:00"),
             ("extend", number, "--days", "2", "--reason", "等待清运车", "--at", "2026-11-04 09:00"),
             ("approve-extension", number, "--at", "2026-11-04 10:00"),
             ("merge", number, "QXZ-RX-2026-0002"),
             ("reply", number, "已清运", "--at", "2026-11-05 10:00"),
             ("visit", number, "--result", "不满意", "--redo", "--at", "2026-11-06 09:00"),
             ("reply", number, "已全部清运", "--at", "2026-11-09 10:00"),
             ("visit", number, "--result", "满意", "--at", "2026-11-10 09:00"),
             ("close", number, "--at", "2026-11-10 10:00")]
    for action, *rest in steps:
        done = cli(db_path, "hotline", action, "--user", "admin", *rest)
        assert done.returncode == 0, (action, done.stderr)
    listed = cli(db_path, "hotline", "list", "--json", "--as-of", "2026-11-12")
    rows = {r["number"]: r for r in json.loads(listed.stdout)}
    assert rows[number]["state"] == "closed" and rows[number]["redo_count"] == 1
    assert rows["QXZ-RX-2026-0002"]["merged_into"] == number
    shown = json.loads(cli(db_path, "hotline", "show", number).stdout)
    assert [e["action"] for e in shown["events"]].count("reply") == 2 and shown["merged_numbers"] == ["QXZ-RX-2026-0002"]
    pdf = tmp_path / "m.pdf"
    made = cli(db_path, "report", "hotline-month", "--user", "admin", "--month", "2026-11", "--out", str(pdf))
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    sheet = cli(db_path, "hotline", "export", "--user", "admin", "--month", "2026-11", "--out", str(tmp_path / "m.xlsx"))
    assert sheet.returncode == 0 and "已导出 2 件工单" in sheet.stdout


def test_list_shows_due_dates_and_colours_as_of_a_day(admin, db_path):
    _ready(admin, db_path)
    _add(db_path)
    cli(db_path, "hotline", "dispatch", "QXZ-RX-2026-0001", "--user", "admin", "--at", "2026-11-02 10:00")
    cli(db_path, "hotline", "sign", "QXZ-RX-2026-0001", "--user", "admin", "--at", "2026-11-02 11:00")
    colours = {}
    for day in ("2026-11-10", "2026-11-13", "2026-11-17", "2026-11-20"):
        (row,) = json.loads(cli(db_path, "hotline", "list", "--json", "--as-of", day).stdout)
        colours[day] = (row["colour"], row["escalation"], row["due"])
    assert colours == {"2026-11-10": ("ok", "", "2026-11-16"), "2026-11-13": ("yellow", "", "2026-11-16"),
                       "2026-11-17": ("red", "urge", "2026-11-16"), "2026-11-20": ("red", "supervise", "2026-11-16")}


def test_bad_input_exits_1_in_chinese_and_writes_nothing(admin, db_path):
    _ready(admin, db_path)
    before = sql(db_path, "SELECT COUNT(*) FROM change_log")[0][0]
    future = _add(db_path, received="2099-01-01 09:00", phone="1380")
    assert future.returncode == 1
    assert "受理时间不能晚于现在" in future.stderr and "来电人电话「1380」不是电话号码" in future.stderr
    _add(db_path)
    cli(db_path, "hotline", "dispatch", "QXZ-RX-2026-0001", "--user", "admin", "--at", "2026-11-02 10:00")
    middle = sql(db_path, "SELECT COUNT(*) FROM change_log")[0][0]
    assert middle > before
    refused = [cli(db_path, "hotline", "reply", "QXZ-RX-2026-0001", "已处理", "--user", "admin"),
               cli(db_path, "hotline", "visit", "QXZ-RX-2026-0001", "--result", "满意", "--user", "admin"),
               cli(db_path, "hotline", "sign", "QXZ-RX-2026-0009", "--user", "admin")]
    assert [r.returncode for r in refused] == [1, 1, 1]
    assert "还没有签收，不能答复" in refused[0].stderr and "不能回访" in refused[1].stderr
    assert "找不到编号为 QXZ-RX-2026-0009 的工单" in refused[2].stderr
    cli(db_path, "hotline", "sign", "QXZ-RX-2026-0001", "--user", "admin", "--at", "2026-11-02 11:00")
    late = cli(db_path, "hotline", "extend", "QXZ-RX-2026-0001", "--days", "3", "--reason", "协调中", "--user", "admin",
               "--at", "2026-11-20 09:00")
    assert late.returncode == 1 and "不能再申请延期" in late.stderr
    assert sql(db_path, "SELECT COUNT(*) FROM hotline_extension")[0][0] == 0


def test_help_lists_the_commands():
    done = run_cli("hotline", "--help")
    assert done.returncode == 0
    for action in ("add", "dispatch", "sign", "reply", "visit", "close", "return", "extend", "approve-extension",
                   "merge", "list"):
        assert action in done.stdout
    assert "hotline-month" in run_cli("report", "--help").stdout


def test_attachments_from_files(admin, db_path, tmp_path):
    _ready(admin, db_path)
    letter = tmp_path / "来信.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    added = _add(db_path, "--attachment", str(letter))
    assert added.returncode == 0, added.stderr
    missing = _add(db_path, "--attachment", str(tmp_path / "没有.pdf"))
    assert missing.returncode == 1 and "找不到附件" in missing.stderr
    shown = json.loads(cli(db_path, "hotline", "show", "QXZ-RX-2026-0001").stdout)
    assert [(f["file_name"], f["mime"]) for f in shown["attachments"]] == [("来信.pdf", "application/pdf")]


def test_a_department_not_on_the_list_is_refused(admin, db_path):
    _ready(admin, db_path)
    assert _add(db_path).returncode == 0
    refused = cli(db_path, "hotline", "dispatch", "--user", "admin", "QXZ-RX-2026-0001", "--department", "镇环保办",
                  "--at", "2026-11-02 10:00")
    assert refused.returncode == 1 and "「镇环保办」不在承办单位名单中" in refused.stderr
    assert sql(db_path, "SELECT state FROM hotline_ticket") == [("received",)]
    done = cli(db_path, "hotline", "dispatch", "--user", "admin", "QXZ-RX-2026-0001", "--department", "镇城管中队",
               "--at", "2026-11-02 10:00")
    assert done.returncode == 0, done.stderr
    assert sql(db_path, "SELECT state, assignee FROM hotline_ticket") == [("dispatched", "镇城管中队")]
