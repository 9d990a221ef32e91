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
