"""Sheets laid out like the exports clerks really have (issue 20), built here with openpyxl, and
what each row becomes."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from civdesk.core.errors import CivDeskError
from civdesk.office import offices as office
from civdesk.volunteers import hours, hours_import
from civdesk.volunteers import roster_import as volunteer_import
from civdesk.volunteers.models import ServiceRecord, Volunteer
from tests.support.volunteers import make_id

A = make_id("19850312", "001")
B = make_id("19900101", "002")
C = make_id("19951220", "003")


def sheet(path, rows, title=None):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def township(admin):
    office.add_village(admin, "桂花村")
    return admin


def test_national_system_roster_keeps_join_dates_and_skips_the_totals_row(township, tmp_path):
    # 志愿者注册系统 export: 序号, 注册时间 (a text date), 志愿者手机, 所在村（社区）, 最高学历, a 合计 row.
    path = sheet(tmp_path / "全国志愿服务信息系统导出.xlsx", [
        ["序号", "姓名", "身份证号码", "志愿者手机", "注册时间", "所在村（社区）", "最高学历", "特长爱好"],
        [1, "张三", A, "13812345678", "2021-05-06 10:12:00", "桂花村", "本科", "急救"],
        [2, "李四", B, "139 0000 1111", dt.datetime(2022, 7, 1), "桂花村", "高中", ""],
        [None, None, None, None, None, None, None, None],
        ["合计", "2人", None, None, None, None, None, None],
    ], title="清溪镇志愿者花名册")
    preview = volunteer_import.preview(path, township)
    assert preview.file_errors == [] and preview.errors == []
    assert preview.unknown_columns == ["序号"]  # shown, not silently dropped
    assert preview.skipped_summary_rows == [(6, "合计")]
    assert any("合计" in n.message for n in preview.notices)
    report = volunteer_import.apply(preview, township)
    assert report.imported == 2
    people = {v.name: v for v in Volunteer.select()}
    assert people["张三"].join_date == dt.date(2021, 5, 6) and people["李四"].join_date == dt.date(2022, 7, 1)
    assert people["张三"].phone == "13812345678" and people["李四"].phone == "13900001111"
    assert people["张三"].education == "本科" and people["张三"].skills == "急救"


def test_minutes_are_converted_with_the_rounding_shown(township, tmp_path):
    # A 志愿北京-style batch-hours sheet: 服务时长（分钟）. 20 minutes is never 20 hours: it is
    # converted by the one rule, and the preview says how each value was rounded.
    register_zhang(township)
    path = sheet(tmp_path / "批量录入时长.xlsx", [
        ["参与人", "身份证号", "服务开始时间", "服务时长（分钟）"],
        ["张三", A, dt.datetime(2024, 3, 5, 9), 20],
        ["张三", A, dt.datetime(2024, 3, 6, 9), 90],
        ["张三", A, dt.datetime(2024, 3, 7, 9), 10],
        ["张三", A, dt.datetime(2024, 3, 8, 9), "半天"],
    ])
    preview = hours_import.preview(path, township)
    assert preview.file_errors == [] and preview.columns["minutes"] == "服务时长（分钟）"
    assert preview.conversions == {"20 分钟 → 0.33 小时，计 0.5 小时": [2], "90 分钟 → 1.5 小时，计 1.5 小时": [3]}
    notes = preview.conversion_notes()
    assert hours.MINUTES_RULE in notes[0] and "20 分钟 → 0.33 小时" in notes[1]
    errors = {(e.row, e.column): e.message for e in preview.errors}
    assert "不足 15 分钟" in errors[(4, "服务时长（分钟）")]
    assert "「半天」不能换算成小时" in errors[(5, "服务时长（分钟）")] and "如 4 或 3.5" in errors[(5, "服务时长（分钟）")]
    report = hours_import.apply(preview, township, skip_invalid=True)
    assert report.imported == 2
    assert sorted(r.half_hours for r in ServiceRecord.select()) == [1, 3]


def test_hours_written_as_minutes_or_days_in_the_hours_column(township, tmp_path):
    register_zhang(township)
    path = sheet(tmp_path / "时长.xlsx", [["姓名", "身份证号", "服务日期", "服务时长"],
                                         ["张三", A, "2024-03-05", "45分钟"], ["张三", A, "2024-03-06", "一天"]])
    preview = hours_import.preview(path, township)
    assert preview.conversions == {"45 分钟 → 0.75 小时，计 1 小时": [2]}
    assert [(e.row, e.column) for e in preview.errors] == [(3, "服务时长")]
    assert "「一天」不能换算成小时" in preview.errors[0].message


def register_zhang(actor):
    from civdesk.volunteers import roster

    roster.register(actor, {"name": "张三", "id_number": A, "village_id": "桂花村"})


@pytest.mark.parametrize("header", ["认定时数", "服务时数", "时数", "学时", "工时", "志愿时长", "服务小时", "活动时长"])
def test_hours_headers_of_other_systems(township, tmp_path, header):
    path = sheet(tmp_path / "时长.xlsx", [["学生姓名", "身份证号", "签到时间", header], ["张三", A, "2024-03-05", 2]])
    preview = hours_import.preview(path, township)
    assert preview.columns["hours"] == header and preview.columns["name"] == "学生姓名"
    assert preview.columns["service_date"] == "签到时间" and preview.unknown_columns == []


def test_a_mapping_chosen_by_the_clerk_wins(township, tmp_path):
    # 服务时间 is the service date in this layout (its values are dates), the hours are 认定时数.
    path = sheet(tmp_path / "学校志愿记录.xlsx", [
        ["学生姓名", "身份证号", "服务时间", "认定时数", "备注说明"],
        ["张三", A, dt.datetime(2024, 3, 5), 2, "x"],
    ])
    preview = hours_import.preview(path, township, mapping={"服务时间": "服务日期", "备注说明": "不导入"})
    assert preview.columns["service_date"] == "服务时间" and preview.columns["hours"] == "认定时数"
    assert preview.unknown_columns == ["备注说明"] and preview.file_errors == []
    with pytest.raises(CivDeskError, match="没有名为「年龄」的字段"):
        hours_import.preview(path, township, mapping={"服务时间": "年龄"})


def test_value_lists_are_normalised(township, tmp_path):
    path = sheet(tmp_path / "团员名单.xlsx", [
        ["姓名", "身份证号码", "政治面貌", "最高学历", "民族"],
        ["张三", A, "团员", "大学本科", "汉"],
        ["李四", B, "党员", "硕士研究生", "回族"],
        ["王五", C, "群众", "高中", "汉族"],
    ])
    assert volunteer_import.run(path, township).imported == 3
    people = {v.name: (v.political_status, v.education, v.ethnicity) for v in Volunteer.select()}
    assert people == {"张三": ("共青团员", "本科", "汉族"), "李四": ("中共党员", "硕士", "回族"),
                      "王五": ("群众", "高中", "汉族")}


def test_the_sheet_own_numbers_occupation_and_landline_are_kept(township, tmp_path):
    from civdesk.volunteers import roster

    path = sheet(tmp_path / "社区志愿者名册.xlsx", [
        ["志愿者编号", "姓名", "身份证号码", "联系手机", "座机电话", "职业", "加入时间"],
        ["ZYZ2021000123", "张三", A, "13812345678", "028-83951234", "教师", "2021-05-06"],
    ])
    preview = volunteer_import.preview(path, township)
    assert preview.errors == [] and preview.unknown_columns == []
    assert preview.columns["original_number"] == "志愿者编号"
    volunteer_import.apply(preview, township)
    v = Volunteer.get()
    assert (v.original_number, v.occupation, v.landline) == ("ZYZ2021000123", "教师", "028-83951234")
    assert v.number != v.original_number  # CivDesk numbers on in its own series
    assert roster.matching_ids(roster.VolunteerFilter(text="zyz2021000123")) == [v.id]

    # An hours sheet of the same system names people by that number; 项目名称 and 岗位 become the content.
    hours_path = sheet(tmp_path / "时长.xlsx", [
        ["志愿者编号", "姓名", "服务日期", "服务时长", "项目名称", "岗位"],
        ["ZYZ2021000123", "张三", "2024-03-05", 2, "敬老助残", "陪护"],
    ])
    hours_preview = hours_import.preview(hours_path, township)
    assert hours_preview.errors == [] and hours_preview.importable == 1
    assert hours_preview.to_create[0]["content"] == "项目：敬老助残；岗位：陪护"


def test_our_own_export_read_back_keeps_its_number_column_apart(township, tmp_path):
    from civdesk.volunteers import roster, sheets

    roster.register(township, {"name": "张三", "id_number": A, "village_id": "桂花村", "original_number": "X1"})
    out = tmp_path / "导出.xlsx"
    sheets.export_volunteers(township, out, full_numbers=True)
    preview = volunteer_import.preview(out, township, update_existing=True)
    assert preview.file_errors == [] and preview.errors == [] and preview.skipped == 1
    fates = {c.header: c.how for c in preview.choices}
    assert fates["志愿者编号"] == "本系统导出的编号，无需导入" and fates["原编号"] == "按表头识别"


def test_a_roster_without_id_numbers_registers_people_as_pending(township, tmp_path):
    from civdesk.core.audit_log import AuditEntry
    from civdesk.core.errors import CivDeskError as Refused
    from civdesk.volunteers import certificates, due, roster

    # A youth-volunteer export: no ID column at all, people known by name and mobile.
    rows = [["成员姓名", "性别", "联系手机", "政治面貌", "所在村（社区）"],
            ["张三", "男", "13812345678", "团员", "桂花村"],
            ["李四", "女", "13900001111", "党员", "桂花村"],
            ["王五", "男", "", "群众", "桂花村"]]
    path = sheet(tmp_path / "青年志愿者导出.xlsx", rows)
    preview = volunteer_import.preview(path, township)
    assert preview.file_errors == [] and preview.errors == [] and preview.importable == 3
    assert "证件待补」3 行" in preview.summary()
    assert all("证件待补" in n.message for n in preview.notices)
    assert preview.rewrite_notes() and "「团员」→「共青团员」（1 行）" in preview.rewrite_notes()[0]
    volunteer_import.apply(preview, township)
    people = {v.name: v for v in Volunteer.select()}
    assert {v.id_number for v in people.values()} == {""} and people["张三"].political_status == "共青团员"
    # The original writing is in the audit entry of the import.
    note = AuditEntry.select().where(AuditEntry.note.contains("导入 3 名志愿者")).get().note
    assert "政治面貌「团员」→「共青团员」（1 行）" in note and "政治面貌「党员」→「中共党员」（1 行）" in note
    # A visible state: in the list, on 工作台, and no certificate without the number.
    shown = roster.rows([people["张三"].id])[people["张三"].id]
    assert shown.id_masked == "证件待补"
    assert set(roster.matching_ids(roster.VolunteerFilter(text="证件待补"))) == {v.id for v in people.values()}
    items = due.volunteers_without_id(township)
    assert len(items) == 1 and items[0].title == "3 名志愿者的证件号码待补"
    with pytest.raises(Refused, match="证件号码待补"):
        certificates.issue(township, people["张三"].id)
    # The same roster again: known by name+phone (or name+village), never registered twice.
    again = volunteer_import.preview(path, township)
    assert again.importable == 0 and again.skipped == 3
    # Now with the ID numbers: with 「更新」 they complete the records, one ID each.
    full = sheet(tmp_path / "补证件.xlsx", [["姓名", "身份证号码", "手机号码"], ["张三", A, "13812345678"]])
    assert volunteer_import.preview(full, township).skipped == 1
    report = volunteer_import.run(full, township, update_existing=True)
    assert report.updated == 1 and Volunteer.get(Volunteer.name == "张三").id_number == A
    assert len(due.volunteers_without_id(township)) == 1 and roster.pending_id_count() == 2


def test_pending_people_that_cannot_be_told_apart_are_refused(township, tmp_path):
    from civdesk.volunteers import roster

    for number in (A, B):  # two 张三 of 桂花村, neither with a phone
        roster.register(township, {"name": "张三", "id_number": number, "village_id": "桂花村"})
    path = sheet(tmp_path / "b.xlsx", [["姓名", "所在村"], ["张三", "桂花村"], ["李四", "桂花村"], ["李四", "桂花村"]])
    preview = volunteer_import.preview(path, township)
    messages = {(e.row, e.column): e.message for e in preview.errors}
    assert "姓名和村（社区）相同的志愿者已有 2 名" in messages[(2, "证件号码")]
    assert "与第 3 行是同一人" in messages[(4, "姓名")]


def test_hours_without_id_column_are_matched_by_name_and_phone(township, tmp_path):
    from civdesk.volunteers import roster

    roster.register(township, {"name": "张三", "id_number": A, "phone": "13812345678", "village_id": "桂花村"})
    roster.register(township, {"name": "李四", "id_number": B, "phone": "13900001111", "village_id": "桂花村"})
    roster.register(township, {"name": "李四", "id_number": C, "phone": "13900001111", "village_id": "桂花村"})
    path = sheet(tmp_path / "活动签到时长.xlsx", [
        ["服务人员", "联系电话", "活动时间", "服务时数"],
        ["张三", "138 1234 5678", "2024-03-05", 2],
        ["李四", "13900001111", "2024-03-05", 2],
        ["王五", "13700000000", "2024-03-05", 2],
    ])
    preview = hours_import.preview(path, township)
    assert preview.file_errors == [] and preview.importable == 1
    notes = {n.row: n.message for n in preview.notices}
    assert notes[2].startswith("按姓名和手机号码确认为「张三」（编号 ")
    errors = {e.row: e.message for e in preview.errors}
    assert "对应 2 名志愿者" in errors[3] and "无法确定是哪一位" in errors[3]
    assert "找不到姓名为「王五」" in errors[4]


def test_unknown_values_of_standard_lists_are_asked_not_guessed(township, tmp_path):
    path = sheet(tmp_path / "名单.xlsx", [["姓名", "身份证号码", "政治面貌", "学历", "民族"],
                                         ["张三", A, "积极分子", "大学", "汉"]])
    preview = volunteer_import.preview(path, township)
    errors = {e.column: e.message for e in preview.errors}
    assert "政治面貌「积极分子」不是标准写法" in errors["政治面貌"] and "共青团员" in errors["政治面貌"]
    assert "学历「大学」不是标准写法" in errors["学历"]
    assert "民族" not in errors  # 「汉」 is 汉族
