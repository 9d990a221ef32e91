"""The eight real layouts of issue 20 (tests/support/layouts.py), each imported end to end: the
mapping step asks about exactly the columns it should, every column's fate is shown, no value is
lost or misread, and each row becomes what it should (or is refused with a reason)."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.office import offices as office
from civdesk.volunteers import hours_import
from civdesk.volunteers import roster_import as volunteer_import
from civdesk.volunteers.models import ServiceRecord, Volunteer
from tests.support import layouts
from tests.support.layouts import LAYOUTS, register_people


@pytest.fixture
def township(admin):
    office.add_village(admin, "桂花村")
    return admin


def _module(layout):
    return volunteer_import if layout.kind == "volunteers" else hours_import


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_each_layout_imports_with_every_column_accounted_for(township, tmp_path, layout):
    if layout.kind == "hours":
        register_people(township)
    module = _module(layout)
    path = layout.build(tmp_path)
    first = module.preview(path, township)
    assert [c.header for c in first.choices if c.asks] == layout.asks
    if layout.asks:  # refused until the clerk says what those columns are
        assert len(first.file_errors) == 1 and all(f"「{h}」" in first.file_errors[0] for h in layout.asks)
    preview = module.preview(path, township, mapping=layout.mapping)
    assert preview.file_errors == []
    assert [c.header for c in preview.choices] == layout.header  # every column's fate is shown
    assert {key: preview.columns.get(key) for key in layout.columns} == layout.columns
    assert sorted(preview.unknown_columns) == sorted(layout.not_imported)
    errors = {e.row: e.message for e in preview.errors}
    assert set(errors) == set(layout.problems)
    for row, text in layout.problems.items():
        assert text in errors[row]
    report = module.apply(preview, township, skip_invalid=True)
    assert report.imported == layout.imported and report.written


def _run(layout, actor, tmp_path):
    if layout.kind == "hours":
        register_people(actor)
    module = _module(layout)
    preview = module.preview(layout.build(tmp_path), actor, mapping=layout.mapping)
    module.apply(preview, actor, skip_invalid=True)
    return preview


def _people():
    return {v.name: v for v in Volunteer.select()}


def _records():
    return {(r.volunteer_id, r.service_date): r for r in ServiceRecord.select()}


def test_community_template_values(township, tmp_path):
    preview = _run(layouts.COMMUNITY, township, tmp_path)
    assert preview.skipped_summary_rows == [(5, "备注：报名表由村委会汇总")]
    zhang, li = _people()["张三"], _people()["李四"]
    assert (zhang.occupation, zhang.landline, zhang.education, zhang.political_status) == (
        "教师", "028-83951234", "本科", "中共党员")
    assert zhang.join_date == dt.date(2023, 4, 1) and li.join_date == dt.date(2023, 4, 2)
    assert li.phone == "13900001111" and li.note == "夜班" and zhang.birth_date == dt.date(1985, 3, 12)


def test_jeecgboot_export_values(township, tmp_path):
    _run(layouts.JEECGBOOT, township, tmp_path)
    people = _people()
    assert people["张三"].original_number == layouts.ZHANG_ZYZ and people["张三"].join_date == dt.date(2022, 3, 5)
    assert people["王五"].political_status == "共青团员" and people["王五"].education == "大专"


def test_youth_export_registers_pending_ids(township, tmp_path):
    preview = _run(layouts.YOUTH, township, tmp_path)
    people = _people()
    assert {v.id_number for v in people.values()} == {""}
    assert people["赵六"].birth_date == dt.date(2008, 5, 6) and people["赵六"].ethnicity == "汉族"
    assert people["钱七"].political_status == "共青团员" and people["钱七"].ethnicity == "回族"
    assert people["钱七"].join_date == dt.date(2024, 9, 1)
    assert sum("证件待补" in n.message for n in preview.notices) == 2


def test_national_roster_values(township, tmp_path):
    preview = _run(layouts.NATIONAL, township, tmp_path)
    assert preview.skipped_summary_rows == [(6, "合计")]
    people = _people()
    assert people["张三"].join_date == dt.date(2021, 5, 6) and people["李四"].join_date == dt.date(2021, 7, 1)
    assert people["李四"].original_number == "ZYZ2021000124" and people["张三"].id_type == "居民身份证"


def test_ruoyi_hours_matched_by_name_and_phone(township, tmp_path):
    preview = _run(layouts.RUOYI, township, tmp_path)
    people = _people()
    records = _records()
    day = dt.date(2024, 3, 5)
    assert records[(people["张三"].id, day)].half_hours == 5 and records[(people["李四"].id, day)].half_hours == 6
    assert records[(people["张三"].id, day)].content == "项目：敬老助残；岗位：陪护"
    assert {n.row for n in preview.notices if n.message.startswith("按姓名和手机号码确认为")} == {2, 3}


def test_beijing_minutes_converted(township, tmp_path):
    preview = _run(layouts.BEIJING_MINUTES, township, tmp_path)
    people, records = _people(), _records()
    assert records[(people["张三"].id, dt.date(2024, 3, 5))].half_hours == 1  # 20 minutes: 0.5 h
    assert records[(people["李四"].id, dt.date(2024, 3, 5))].half_hours == 3  # 90 minutes: 1.5 h
    assert "20 分钟 → 0.33 小时，计 0.5 小时" in preview.conversions
    assert records[(people["张三"].id, dt.date(2024, 3, 5))].content == "岗位：引导"


def test_beijing_hours_found_by_the_national_number(township, tmp_path):
    _run(layouts.BEIJING_HOURS, township, tmp_path)
    record = ServiceRecord.get()
    assert record.volunteer_id == _people()["张三"].id and record.service_date == dt.date(2024, 3, 7)
    assert record.content == "项目：文明交通劝导"


def test_school_record_reads_service_time_as_the_date(township, tmp_path):
    preview = _run(layouts.SCHOOL, township, tmp_path)
    fates = {c.header: (c.field, c.how) for c in preview.choices}
    assert fates["服务时间"] == ("service_date", "按内容推测") and fates["认定时数"] == ("hours", "按表头识别")
    people, records = _people(), _records()
    assert records[(people["李四"].id, dt.date(2024, 3, 9))].half_hours == 2
    assert preview.skipped_summary_rows == [(5, "合计")]
