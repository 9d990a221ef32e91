"""Excel import and export of volunteers and service hours, with files as clerks really send them."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from civdesk.core import backup, db, dump, validation
from civdesk.core.actor import PERMISSIONS, Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import PermissionDenied
from civdesk.core.jobs import Cancelled
from civdesk.office import accounts
from civdesk.office import offices as office
from civdesk.volunteers import hours, hours_import, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers import roster_import as volunteer_import
from civdesk.volunteers import sheets as volunteer_export
from civdesk.volunteers.models import ActivityParticipant, ServiceRecord, Volunteer
from civdesk.xlsx.read import ExcelFileError, read_sheet
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli, sql
from tests.support.volunteers import (
    EXISTING_OTHER,
    EXISTING_SAME,
    EXPECTED_REJECTED,
    LI_X,
    SUN,
    ZHANG,
    ZHAO,
    make_id,
    messy_roster,
)

TODAY = dt.date.today()
CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")


@pytest.fixture
def township(admin):
    for name in ("桂花村", "石桥村", "太平社区"):
        office.add_village(admin, name)
    accounts.add_user(admin, CLERK.username, CLERK.display_name, CLERK.role, "Temp-1234x", must_change=False)
    accounts.add_user(admin, REVIEWER.username, REVIEWER.display_name, REVIEWER.role, "Temp-1234x",
                      must_change=False)
    volunteers.register(admin, {"name": "钱七", "id_number": EXISTING_SAME, "village_id": "桂花村",
                                "phone": "13700001111"})
    volunteers.register(admin, {"name": "吴八", "id_number": EXISTING_OTHER, "village_id": "石桥村"})
    return admin


def where(errors):
    return {(e.row, e.column) for e in errors}


def message(errors, row, column=None):
    return " ".join(e.message for e in errors if e.row == row and (column is None or e.column == column))


# --- volunteers: preview ---------------------------------------------------------------------


def test_preview_lists_every_rejected_row(township, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    result = volunteer_import.preview(path, CLERK)
    assert result.header_row == 2
    assert result.total_rows == 12  # the empty rows are not counted
    assert where(result.errors) == EXPECTED_REJECTED
    assert result.rejected_rows == [5, 8, 9, 10, 11, 12, 14, 15]
    assert "科学计数法" in message(result.errors, 5)
    assert "校验位错误" in message(result.errors, 8)
    assert "1990-02-30 不存在" in message(result.errors, 9)
    assert "第 10、12 行" in message(result.errors, 10) and "第 10、12 行" in message(result.errors, 12)
    assert "吴八" in message(result.errors, 11) and "冯十二" in message(result.errors, 11)
    existing = Volunteer.get(Volunteer.id_number == EXISTING_OTHER)
    assert existing.number in message(result.errors, 11)
    assert "含有其他字符" in message(result.errors, 14, "联系电话")
    assert "月亮村" in message(result.errors, 14, "所属村（社区）")
    assert "应为「女」" in message(result.errors, 15)
    # unknown columns are reported and ignored; the already registered one is a notice
    assert result.unknown_columns == ["序号", "年龄"]
    assert result.skipped == 1 and [n.row for n in result.notices] == [13]
    assert "钱七" in result.notices[0].message
    assert result.importable == 3
    assert "有问题 8 行" in result.summary()


def test_values_are_normalised(township, tmp_path):
    path = messy_roster(tmp_path / "ok.xlsx", valid_only=True)
    report = volunteer_import.run(path, CLERK)
    assert (report.imported, report.updated, report.skipped, report.errors) == (3, 0, 0, [])
    people = {v.name: v for v in Volunteer.select().where(Volunteer.created_by == CLERK.username)}
    assert set(people) == {"张三", "李四", "赵六"}
    zhang, li, zhao = people["张三"], people["李四"], people["赵六"]
    assert zhang.id_number == ZHANG and zhang.phone == "13812345678" and zhang.sex == "男"
    assert zhang.birth_date == dt.date(1985, 3, 2) and zhang.join_date == dt.date(2024, 3, 1)
    assert zhang.skills == "驾驶" and zhang.service_category == "敬老助残" and zhang.address == "桂花村 3 组"
    assert li.id_number == LI_X and li.phone == "13912345678" and li.birth_date == dt.date(1990, 3, 5)
    assert li.village_id == volunteers.resolve_village("石桥村") and li.note == "组长"
    assert zhao.name == "赵六" and zhao.id_number == ZHAO and zhao.sex == "女"
    assert zhao.village_id == volunteers.resolve_village("太平社区") and zhao.join_date == dt.date(2023, 12, 1)
    assert zhang.scope == zhang.village_id
    # numbers continue the office's sequence, in file order
    numbers = sorted(v.number for v in people.values())
    first = int(numbers[0][-6:])
    assert [int(n[-6:]) for n in numbers] == [first, first + 1, first + 2]
    assert people["张三"].number == numbers[0] and people["赵六"].number == numbers[2]
    # one audit entry for the whole import, and a backup before it
    entries = list(AuditEntry.select().where(AuditEntry.action == "import"))
    assert len(entries) == 1 and "ok.xlsx" in entries[0].note and entries[0].username == CLERK.username
    assert report.backup_path is not None and report.backup_path.exists()
    assert [b.reason for b in backup.list_backups()] == ["before-import"]
    # the same file again: everyone is already registered
    again = volunteer_import.run(path, CLERK)
    assert (again.imported, again.skipped, again.errors) == (0, 3, [])


def test_all_or_nothing_leaves_database_unchanged(township, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    before = dump.dump_json()
    report = volunteer_import.run(path, CLERK)
    assert report.imported == 0 and not report.written
    assert where(report.errors) == EXPECTED_REJECTED
    assert dump.dump_json() == before
    assert backup.list_backups() == []  # nothing to write, nothing to back up
    assert "没有导入任何数据" in report.summary()


def test_skip_invalid_imports_the_rest(township, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    count = Volunteer.select().count()
    report = volunteer_import.run(path, CLERK, skip_invalid=True)
    assert (report.imported, report.updated, report.skipped) == (3, 0, 1)
    assert where(report.errors) == EXPECTED_REJECTED
    assert Volunteer.select().count() == count + 3
    assert "已导入 3 名志愿者" in report.summary() and "8 行有问题未导入" in report.summary()
    assert report.as_json()["errors"][0] == {"row": 5, "column": "身份证号码（必填）",
                                             "message": report.errors[0].message}


def test_dry_run_writes_nothing(township, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    before = dump.dump_json()
    report = volunteer_import.run(path, CLERK, skip_invalid=True, dry_run=True)
    assert report.imported == 3 and report.dry_run and not report.written
    assert dump.dump_json() == before and backup.list_backups() == []
    assert report.summary().startswith("试运行")


def test_update_existing(township, tmp_path):
    path = tmp_path / "更新.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "手机号", "技能特长", "民族"])
    wb.active.append(["钱七", EXISTING_SAME, "13700002222", "理发", None])  # 民族 empty: kept as it is
    wb.save(path)
    plain = volunteer_import.run(path, CLERK)
    assert (plain.imported, plain.updated, plain.skipped) == (0, 0, 1)
    report = volunteer_import.run(path, CLERK, update_existing=True)
    assert (report.imported, report.updated, report.skipped) == (0, 1, 0)
    qian = Volunteer.get(Volunteer.id_number == EXISTING_SAME)
    assert (qian.phone, qian.skills, qian.name) == ("13700002222", "理发", "钱七")
    again = volunteer_import.run(path, CLERK, update_existing=True)
    assert (again.updated, again.skipped) == (0, 1)


def test_an_imported_volunteer_is_stored_like_one_registered_by_hand(township, tmp_path):
    """The import checks and writes through the register's own rules and code: the same row and
    the same change-log entry (audit: one entry per import instead of one per person)."""
    by_hand = volunteers.register(CLERK, {"name": "孙九", "id_number": SUN, "phone": "139 1234 5678",
                                          "village_id": "石桥村委会", "skills": "急救", "note": "组长",
                                          "join_date": "2024年3月5日"})
    volunteers.delete(township, by_hand.id, "登记错误")
    path = tmp_path / "一人.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "手机号", "所属村（社区）", "技能特长", "备注", "注册日期"])
    wb.active.append(["孙九", SUN, "139 1234 5678", "石桥村委会", "急救", "组长", "2024年3月5日"])
    wb.save(path)
    assert volunteer_import.run(path, CLERK).imported == 1
    imported = Volunteer.get((Volunteer.id_number == SUN) & (Volunteer.deleted == False))  # noqa: E712
    own = {"id", "clock", "created_at", "updated_at", "updated_by", "number", "deleted"}

    def stored(row) -> dict:
        return {k: v for k, v in Volunteer.get_by_id(row.id).__data__.items() if k not in own}

    def logged(row) -> dict:
        [(payload,)] = sql(db.state.path, "SELECT value FROM change_log WHERE record_id = ? AND field = '*'", (row.id,))
        return {k: v for k, v in json.loads(payload).items() if k not in own}

    assert stored(imported) == stored(by_hand)
    assert logged(imported) == logged(by_hand)
    assert imported.number != by_hand.number


def test_village_pc_imports_its_own_villagers_only(village_admin, tmp_path):
    path = tmp_path / "村.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码", "村社区"])
    wb.active.append(["张三", ZHANG, None])
    wb.active.append(["李四", LI_X, "桂花村"])
    wb.active.append(["赵六", ZHAO, "石桥村"])
    wb.save(path)
    result = volunteer_import.preview(path, village_admin)
    assert where(result.errors) == {(4, "村社区")}
    assert "只能导入本村" in result.errors[0].message
    volunteer_import.run(path, village_admin, skip_invalid=True)
    own = office.own_office()
    assert {v.village_id for v in Volunteer.select()} == {own.id}


def test_template_round_trip(township, tmp_path):
    template = tmp_path / "模板.xlsx"
    volunteer_export.volunteer_template(template, ["桂花村", "石桥村"])
    wb = load_workbook(template)
    assert wb.sheetnames == ["志愿者", "填写说明"]
    assert wb["志愿者"]["A1"].value == "姓名（必填）"
    # the untouched example row is skipped; a filled-in row is read
    with pytest.raises(volunteer_import.ImportFileError, match="示例行"):
        volunteer_import.run(template, CLERK)
    wb["志愿者"].append(["孙九", SUN])
    wb.save(template)
    report = volunteer_import.run(template, CLERK)
    assert report.imported == 1 and report.errors == []
    hours_template = tmp_path / "时长模板.xlsx"
    volunteer_export.hours_template(hours_template)
    assert load_workbook(hours_template).active["A1"].value == "姓名（必填）"


@pytest.mark.parametrize("content, words", [
    (b"", "空文件"),
    ("姓名,身份证号\n张三,1\n".encode("gbk"), "文本文件"),
    (b"PK\x03\x04 broken", "已损坏"),
])
def test_broken_file_gives_a_clear_message(township, tmp_path, content, words):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    before = dump.dump_json()
    with pytest.raises(ExcelFileError, match=words):
        volunteer_import.run(path, CLERK)
    assert dump.dump_json() == before


def test_missing_column_and_truncated_file(township, tmp_path):
    path = tmp_path / "缺列.xlsx"
    wb = Workbook()
    wb.active.append(["身份证号", "电话"])
    wb.active.append([make_id("19850312", "001"), "13812345678"])
    wb.save(path)
    result = volunteer_import.preview(path, CLERK)
    assert result.file_errors and "姓名" in result.file_errors[0]
    with pytest.raises(volunteer_import.ImportFileError, match="缺少必需的列「姓名」"):
        volunteer_import.run(path, CLERK)
    good = messy_roster(tmp_path / "好.xlsx")
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = dump.dump_json()
    with pytest.raises(ExcelFileError):
        volunteer_import.run(cut, CLERK)
    assert dump.dump_json() == before


def test_cancel_and_permissions(township, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx", valid_only=True)
    before = dump.dump_json()
    with pytest.raises(Cancelled):
        volunteer_import.run(path, CLERK, cancelled=lambda: True)
    with pytest.raises(PermissionDenied):
        volunteer_import.run(path, Actor("guest", "访客", "guest"))
    assert dump.dump_json() == before


def test_error_list_can_be_fixed_and_imported_again(township, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    result = volunteer_import.preview(path, CLERK)
    out = tmp_path / "错误清单.xlsx"
    assert volunteer_import.write_error_list(result, out) == 8
    sheet = read_sheet(out, volunteer_import.COLUMNS)
    assert [r.values["name"] for r in sheet.rows] == ["王五", "孙九", "周十", "郑十一", "冯十二", "郑十一", "陈十三",
                                                       "何十四"]
    ws = load_workbook(out).active
    header = [c.value for c in ws[sheet.header_row]]
    assert header[0] == "原行号" and header[-1] == "错误原因"
    reasons = [ws.cell(row=r, column=len(header)).value for r in range(sheet.header_row + 1, ws.max_row + 1)]
    assert "科学计数法" in reasons[0] and "校验位" in reasons[1]
    # formulas typed by someone stay text in the list too
    last = ws.cell(row=ws.max_row, column=header.index("备注") + 1)
    assert last.value == '=HYPERLINK("x")' and last.data_type == "s"
    # the clerk fixes the list and imports it: its own extra columns are not "unknown"
    fixed = volunteer_import.preview(out, CLERK)
    assert fixed.unknown_columns == ["序号", "年龄"]


# --- hours -------------------------------------------------------------------------------------


@pytest.fixture
def hour_people(township):
    zhang = volunteers.register(CLERK, {"name": "张三", "id_number": ZHANG, "village_id": "桂花村"})
    li = volunteers.register(CLERK, {"name": "李四", "id_number": LI_X, "village_id": "石桥村"})
    activity = teams.create_activity(CLERK, {"name": "清洁家园", "start_date": TODAY - dt.timedelta(days=10),
                                             "end_date": TODAY - dt.timedelta(days=8), "content": "清理河道垃圾"})
    return {"张三": zhang, "李四": li, "activity": activity}


def hours_file(path, rows, header=("姓名", "身份证号", "志愿者编号", "服务日期", "服务时长（小时）", "活动名称", "服务内容")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def test_hours_import_rules(hour_people, tmp_path):
    zhang, li = hour_people["张三"], hour_people["李四"]
    day = TODAY - dt.timedelta(days=9)
    hours.enter(CLERK, zhang.id, day, 20)  # already 20 h that day
    path = hours_file(tmp_path / "时长.xlsx", [
        ["张三", ZHANG, None, day, 3, "清洁家园", None],                        # 2: 23 h: fine
        ["张三", None, zhang.number, day, "1.5小时", None, "宣传"],             # 3: 24.5 h: over the limit
        ["李四", LI_X.lower(), None, day, 2, "清洁家园", None],                  # 4: fine
        ["李四", LI_X, None, day, 2, "清洁家园", None],                          # 5: same as row 4
        ["王五", make_id("19800101", "111"), None, day, 2, None, None],          # 6: unknown volunteer
        ["赵六", None, li.number, day, 1, None, None],                           # 7: name does not match
        ["张三", ZHANG, None, TODAY + dt.timedelta(days=1), 1, None, None],      # 8: future
        ["张三", ZHANG, None, TODAY - dt.timedelta(days=2), 1, "清洁家园", None],  # 9: outside the activity
        ["李四", LI_X, None, TODAY - dt.timedelta(days=3), 0.3, None, None],     # 10: not a half-hour step
        ["李四", LI_X, zhang.number, TODAY - dt.timedelta(days=3), 1, None, None],  # 11: two different people
        ["李四", None, None, TODAY - dt.timedelta(days=3), 1, None, None],       # 12: no identifier
        ["张三", "510114********1235", zhang.number, TODAY - dt.timedelta(days=4), 2, None, None],  # 13: masked ID
    ])
    result = hours_import.preview(path, CLERK)
    assert where(result.errors) == {(3, "服务时长（小时）"), (5, "服务时长（小时）"), (6, "身份证号"), (7, "姓名"),
                                    (8, "服务日期"), (9, "服务日期"), (10, "服务时长（小时）"), (11, "志愿者编号"),
                                    (12, "身份证号")}
    assert "已记录 20 小时" in message(result.errors, 3) and "本文件前面的行已有 3 小时" in message(result.errors, 3)
    assert "超过一天 24 小时" in message(result.errors, 3)
    assert "与第 4 行重复" in message(result.errors, 5)
    assert "找不到证件号码" in message(result.errors, 6)
    assert "赵六" in message(result.errors, 7) and "李四" in message(result.errors, 7)
    assert "还没到" in message(result.errors, 8)
    assert "不在活动「清洁家园」的日期内" in message(result.errors, 9)
    assert "0.5" in message(result.errors, 10)
    assert "不是同一人" in message(result.errors, 11)
    assert result.importable == 3

    before = dump.dump_json()
    report = hours_import.run(path, CLERK)
    assert report.imported == 0 and dump.dump_json() == before
    report = hours_import.run(path, CLERK, skip_invalid=True)
    assert report.imported == 3 and "待审核" in report.summary()
    new = list(ServiceRecord.select().order_by(ServiceRecord.created_at, ServiceRecord.half_hours))
    assert len(new) == 4
    assert all(hours.status_of(r.id) == "pending" for r in new)
    imported = [r for r in new if r.content != ""]
    assert {(r.volunteer_id, r.half_hours, r.content) for r in imported} >= {(zhang.id, 6, "清理河道垃圾"),
                                                                             (li.id, 4, "清理河道垃圾")}
    assert hours.records(status="pending") and ActivityParticipant.select().count() == 2
    # the file again: those records are already there, nothing is doubled
    again = hours_import.run(path, CLERK, skip_invalid=True)
    assert again.imported == 0 and again.skipped == 3
    # a reviewer approves them later (not the clerk who imported them)
    hours.approve(REVIEWER, [r.id for r in new if r.created_by == CLERK.username and r.content])


def test_imported_hours_are_stored_like_hours_entered_by_hand(hour_people, tmp_path):
    zhang, activity = hour_people["张三"], hour_people["activity"]
    by_hand = hours.enter(CLERK, zhang.id, TODAY - dt.timedelta(days=10), "2.5", activity_id=activity.id)
    path = hours_file(tmp_path / "时长.xlsx", [["张三", ZHANG, None, TODAY - dt.timedelta(days=9), 2.5, "清洁家园", None]])
    assert hours_import.run(path, CLERK).imported == 1
    imported = ServiceRecord.get((ServiceRecord.id != by_hand.id) & (ServiceRecord.volunteer_id == zhang.id))
    own = {"id", "clock", "created_at", "updated_at", "service_date"}

    def logged(record) -> dict:
        [(payload,)] = sql(db.state.path, "SELECT value FROM change_log WHERE record_id = ?", (record.id,))
        return {k: v for k, v in json.loads(payload).items() if k not in own}

    assert ({k: v for k, v in imported.__data__.items() if k not in own}
            == {k: v for k, v in ServiceRecord.get_by_id(by_hand.id).__data__.items() if k not in own})
    assert logged(imported) == logged(by_hand)
    assert ActivityParticipant.select().count() == 1  # the same participant, not a second one


def test_hours_limit_counts_rows_of_the_file(hour_people, tmp_path):
    zhang = hour_people["张三"]
    day = TODAY - dt.timedelta(days=1)
    path = hours_file(tmp_path / "时长.xlsx", [["张三", ZHANG, None, day, 12, None, "上午"],
                                              ["张三", ZHANG, None, day, 11.5, None, "下午"],
                                              ["张三", None, zhang.number, day, 1, None, "晚上"]])
    result = hours_import.preview(path, CLERK)
    assert where(result.errors) == {(4, "服务时长（小时）")}
    assert "本文件前面的行已有 23.5 小时" in result.errors[0].message


def test_hours_needs_an_identifier_column(hour_people, tmp_path):
    path = hours_file(tmp_path / "时长.xlsx", [["张三", TODAY, 2]], header=("姓名", "服务日期", "时长"))
    with pytest.raises(volunteer_import.ImportFileError, match="志愿者编号"):
        hours_import.run(path, CLERK)


# --- export ------------------------------------------------------------------------------------


def test_export_masks_numbers_and_writes_no_formulas(township, tmp_path):
    risky = volunteers.register(CLERK, {"name": "=1+1", "id_number": ZHANG, "phone": "13812345678",
                                        "address": "+86 桂花村", "skills": "-急救", "note": "@所有人"})
    out = tmp_path / "名单.xlsx"
    count = volunteer_export.export_volunteers(CLERK, out, ids=[risky.id])
    assert count == 1
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "志愿者编号")
    header, values = rows[header_at], rows[header_at + 1]
    record = dict(zip(header, values, strict=False))
    assert record["证件号码"] == validation.mask_id_number(ZHANG) and ZHANG not in str(values)
    assert record["手机号码"] == "138****5678"
    for cell in ws[header_at + 2]:
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
            assert cell.data_type == "s", cell.coordinate
    assert record["姓名"] == "=1+1" and record["备注"] == "@所有人"
    entry = AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.at.desc()).first()
    assert "隐去" in entry.note and entry.username == CLERK.username

    full = tmp_path / "完整.xlsx"
    volunteer_export.export_volunteers(CLERK, full, ids=[risky.id], full_numbers=True)
    assert ZHANG in [c.value for c in load_workbook(full).active[header_at + 2]]
    entry = AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.clock.desc()).first()
    assert "完整证件号码" in entry.note


def test_full_numbers_need_edit_volunteers(township, tmp_path, monkeypatch):
    monkeypatch.setitem(PERMISSIONS, "export_data", frozenset({"admin", "reviewer", "clerk", "viewer"}))
    viewer = Actor("guest", "访客", "viewer")
    volunteer_export.export_volunteers(viewer, tmp_path / "a.xlsx")
    with pytest.raises(PermissionDenied):
        volunteer_export.export_volunteers(viewer, tmp_path / "b.xlsx", full_numbers=True)
    assert not (tmp_path / "b.xlsx").exists()


def test_export_hours(hour_people, tmp_path):
    zhang = hour_people["张三"]
    hours.enter(CLERK, zhang.id, TODAY - dt.timedelta(days=9), 2.5, activity_id=hour_people["activity"].id)
    out = tmp_path / "时长.xlsx"
    assert volunteer_export.export_hours(CLERK, out, volunteer_id=zhang.id) == 1
    rows = [r for r in load_workbook(out).active.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "志愿者编号")
    record = dict(zip(rows[header_at], rows[header_at + 1], strict=False))
    assert record["证件号码"] == validation.mask_id_number(ZHANG)
    assert record["服务时长（小时）"] == 2.5 and record["活动名称"] == "清洁家园" and record["状态"] == "待审核"
    # an hours export can go back in: the masked ID is ignored, the number identifies the volunteer
    result = hours_import.preview(out, CLERK)
    assert result.errors == [] and result.skipped == 1


# --- command line ------------------------------------------------------------------------------


@pytest.fixture
def cli_db(township, db_path):
    db.close_database()
    return db_path


def dump_without_logins(db_path) -> dict:
    """``dump --json`` minus the login entries every command with --user adds to the audit log."""
    data = json.loads(run_cli("--db", str(db_path), "--user", ADMIN, "dump", "--json",
                              env={"CIVDESK_PASSWORD": ADMIN_PASSWORD}).stdout)
    data["audit_entry"] = [e for e in data["audit_entry"] if e["action"] != "login"]
    return data


def cli(db_path, *args, user=ADMIN, password=ADMIN_PASSWORD):
    return run_cli("--db", str(db_path), *args, *(["--user", user] if user else []),
                   env={"CIVDESK_PASSWORD": password})


def test_cli_import_json_and_exit_codes(cli_db, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    before = dump_without_logins(cli_db)
    result = cli(cli_db, "volunteer", "import", str(path), "--json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert {"imported", "updated", "skipped", "errors", "columns", "ignored_columns"} <= set(data)
    assert (data["imported"], data["updated"], data["skipped"]) == (0, 0, 1)
    assert {(e["row"], e["column"]) for e in data["errors"]} == EXPECTED_REJECTED
    assert set(data["errors"][0]) == {"row", "column", "message"}
    assert "身份证号码" in result.stdout  # Chinese as it is, not \\u escapes
    assert dump_without_logins(cli_db) == before

    dry = cli(cli_db, "volunteer", "import", str(path), "--json", "--skip-invalid", "--dry-run")
    assert dry.returncode == 1 and json.loads(dry.stdout)["imported"] == 3
    assert dump_without_logins(cli_db) == before

    result = cli(cli_db, "volunteer", "import", str(path), "--skip-invalid")
    assert result.returncode == 1
    assert "已导入 3 名志愿者" in result.stdout and "第 5 行「身份证号码（必填）」" in result.stdout
    assert "以下列无法识别，已忽略：序号、年龄" in result.stdout
    assert sql(cli_db, "SELECT COUNT(*) FROM volunteer")[0][0] == 5

    clean = messy_roster(tmp_path / "ok.xlsx", valid_only=True)
    result = cli(cli_db, "volunteer", "import", str(clean), "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 0 and {k: data[k] for k in ("imported", "updated", "skipped", "errors")} == {
        "imported": 0, "updated": 0, "skipped": 3, "errors": []}


def test_cli_json_lists_every_column_and_a_strict_dry_run_counts_the_valid_rows(cli_db, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    data = json.loads(cli(cli_db, "volunteer", "import", str(path), "--json", "--dry-run").stdout)
    assert data["imported"] == 0 and data["importable"] == 3  # as --skip-invalid --dry-run counts them
    assert {c["field"] for c in data["columns"]} >= {"name", "id_number"}
    assert data["ignored_columns"] == ["序号", "年龄"]
    text = cli(cli_db, "volunteer", "import", str(path), "--dry-run").stdout
    assert "选择只导入有效行时可导入 3 名志愿者" in text

    refused = tmp_path / "缺列.xlsx"
    wb = Workbook()
    wb.active.append(["身份证号", "注册时间", "志愿者编号"])
    wb.active.append([make_id("19850312", "001"), "2021-05-06", "ZYZ001"])
    wb.save(refused)
    result = cli(cli_db, "volunteer", "import", str(refused), "--json")
    data = json.loads(result.stdout)  # on stdout, with a non-zero exit
    assert result.returncode == 1 and "姓名" in data["refused"][0]
    assert data["columns"] == [{"column": "身份证号", "field": "id_number"}, {"column": "注册时间", "field": "join_date"},
                               {"column": "志愿者编号", "field": "original_number"}]
    assert data["ignored_columns"] == []
    assert {m["column"]: m["how"] for m in data["mapping"]}["注册时间"] == "按表头识别"
    mapped = cli(cli_db, "volunteer", "import", str(refused), "--json", "--map", "注册时间=不导入")
    assert mapped.returncode == 1 and json.loads(mapped.stdout)["ignored_columns"] == ["注册时间"]


def test_cli_refusals(cli_db, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx", valid_only=True)
    result = cli(cli_db, "volunteer", "import", str(path), user=None)
    assert result.returncode == 2 and "--user" in result.stderr
    result = cli(cli_db, "volunteer", "import", str(path), password="wrong-password")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    broken = tmp_path / "坏.xlsx"
    broken.write_text("姓名,身份证号\n", encoding="utf-8")
    result = cli(cli_db, "volunteer", "import", str(broken), "--json")
    assert result.returncode == 1 and "文本文件" in result.stderr and "Traceback" not in result.stderr


def test_cli_hours_export_and_templates(cli_db, tmp_path):
    template = tmp_path / "模板.xlsx"
    result = run_cli("--db", str(cli_db), "--user", ADMIN, "volunteer", "template", "--out", str(template), env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 0, result.stderr
    info = [c.value for c in load_workbook(template)["填写说明"]["A"] if c.value]
    assert any("桂花村" in text for text in info)
    result = run_cli("--db", str(cli_db), "--user", ADMIN, "hours", "template", "--out", str(tmp_path / "时长模板.xlsx"), env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 0

    out = tmp_path / "导出.xlsx"
    result = cli(cli_db, "volunteer", "export", "--out", str(out))
    assert result.returncode == 0 and "已导出 2 名" in result.stdout
    values = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert EXISTING_SAME not in values and validation.mask_id_number(EXISTING_SAME) in values
    result = cli(cli_db, "volunteer", "export", "--out", str(out), "--full-numbers")
    assert result.returncode == 0
    assert EXISTING_SAME in [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    notes = [n for (n,) in sql(cli_db, "SELECT note FROM audit_entry WHERE action = 'export' ORDER BY clock")]
    assert len(notes) == 2 and "隐去" in notes[0] and "完整" in notes[1]

    qian = sql(cli_db, "SELECT number FROM volunteer WHERE name = '钱七'")[0][0]
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    path = hours_file(tmp_path / "时长.xlsx", [["钱七", None, qian, day, 30, None, None]])
    result = cli(cli_db, "hours", "import", str(path), "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["imported"] == 0 and "24 小时" in data["errors"][0]["message"]
    path = hours_file(tmp_path / "时长.xlsx", [["钱七", None, qian, day, 3, None, "打扫"]])
    result = cli(cli_db, "hours", "import", str(path), "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["imported"] == 1
    assert sql(cli_db, "SELECT half_hours, content FROM service_record") == [(6, "打扫")]


def test_big_file_is_read_in_one_pass(township, tmp_path):
    """A few thousand rows: duplicates against the database are found without a query per row."""
    path = tmp_path / "大.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("志愿者")
    ws.append(["姓名", "身份证号码", "所属村（社区）"])
    for i in range(3000):
        ws.append([f"志愿者{i}", make_id("19800101", f"{i % 1000:03d}", region=f"51{i // 1000:04d}"), "桂花村"])
    ws.append(["钱七", EXISTING_SAME, "桂花村"])
    wb.save(path)
    statements = []
    real = db.database.execute_sql

    def counting(sql_text, params=None, *args, **kwargs):
        statements.append(sql_text)
        return real(sql_text, params, *args, **kwargs)

    db.database.execute_sql = counting
    try:
        result = volunteer_import.preview(path, CLERK)
    finally:
        db.database.execute_sql = real
    assert result.importable == 3000 and result.skipped == 1 and result.errors == []
    assert len(statements) < 20
    report = volunteer_import.apply(result, CLERK)
    assert report.imported == 3000 and Volunteer.select().count() == 3002
    assert len({v.number for v in Volunteer.select()}) == 3002
    changes_logged = sql(db.state.path, "SELECT COUNT(*) FROM change_log WHERE tbl = 'volunteer'")[0][0]
    assert changes_logged == 3002


def test_zip_without_workbook(township, tmp_path):
    path = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ExcelFileError, match="压缩包"):
        volunteer_import.preview(path, CLERK)


def test_write_audit_of_import_names_the_file(township, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    volunteer_import.run(path, CLERK, skip_invalid=True)
    notes = [e.note for e in AuditEntry.select().where(AuditEntry.action == "import")]
    assert notes == ["从「花名册.xlsx」导入 3 名志愿者"]
