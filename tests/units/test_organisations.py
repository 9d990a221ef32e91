"""Civilized-unit records: organisations, the default indicator sets, scores (append-only, latest
counts, over-max refused), attachments stored in chunks, and scope for sync."""

from __future__ import annotations

import pytest

from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.office import settings
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units.defaults import DEFAULT_SETS
from civdesk.units.models import Application, AttachmentChunk, IndicatorItem, Score
from tests.support.units import CLERK, REVIEWER, YEAR, application, org, village


def test_an_organisation_is_checked_and_scoped_to_its_village(admin):
    with pytest.raises(ValidationError) as caught:
        units.create_org(CLERK, {"name": "", "kind": "工厂", "phone": "12345", "size_count": "很多"})
    assert set(caught.value.errors) == {"name", "kind", "phone", "size_count"}
    with pytest.raises(ValidationError, match="村、社区请选择"):
        units.create_org(CLERK, {"name": "红星村", "kind": "村"})
    red = org(admin)
    assert red.scope == red.village_id == village(admin).id
    assert red.name_initials == "hxc"
    school = units.create_org(CLERK, {"name": "清溪镇中心小学", "kind": "学校"})
    assert school.scope is None, "a township-level unit is township-wide"
    with pytest.raises(ValidationError, match="已有名为「红星村」"):
        units.create_org(CLERK, {"name": "红星村", "kind": "村", "village_id": red.village_id})
    assert [o.name for o in units.orgs("hx")] == ["红星村"]
    assert [o.name for o in units.orgs("小学")] == ["清溪镇中心小学"]


def test_default_sets_total_100_with_the_usual_groups(admin):
    made = units.ensure_default_sets(admin, YEAR)
    assert sorted(s.kind for s in made) == ["文明单位", "文明村", "文明社区"]
    for indicator_set in made:
        assert units.set_total(indicator_set.id) == 1000
        groups = {i.group_name for i in units.items(indicator_set.id)}
        assert {"组织领导", "思想道德建设", "志愿服务", "诚信建设", "平安建设"} <= groups
    assert units.ensure_default_sets(admin, YEAR) == []
    assert units.current_set("文明企业", YEAR).kind == "文明单位", "an enterprise is scored like a unit"
    for rows in DEFAULT_SETS.values():
        assert all(r[4] and r[5] for r in rows), "every item has guidance and the evidence required"


def test_only_an_admin_edits_indicator_sets_and_a_new_one_is_a_new_version(admin):
    rows = [{"group_name": "组织领导", "name": "有计划", "max_points": 60},
            {"group_name": "环境卫生", "name": "干净整洁", "max_points": "", "grades": "A=40,B=30,C=20,D=0"}]
    with pytest.raises(PermissionDenied):
        units.create_set(REVIEWER, "文明村", YEAR, rows)
    first = units.create_set(admin, "文明村", YEAR, rows)
    second = units.create_set(admin, "文明村", YEAR, rows)
    assert (first.version, second.version) == (1, 2)
    assert units.current_set("文明村", YEAR).id == second.id
    graded = units.items(second.id)[1]
    assert graded.max_tenths == 400 and graded.grade_points() == {"A": 400, "B": 300, "C": 200, "D": 0}


def test_a_bad_indicator_set_names_the_row_and_writes_nothing(admin):
    with pytest.raises(ValidationError, match="合计 90 分，应为 100 分"):
        units.create_set(admin, "文明村", YEAR, [{"group_name": "组织领导", "name": "有计划", "max_points": 90}])
    with pytest.raises(ValidationError) as caught:
        units.create_set(admin, "文明村", YEAR, [{"group_name": "组织领导", "name": "有计划", "max_points": 50},
                                               {"group_name": "", "name": "x", "max_points": "五十"}])
    assert "第 2 项指标" in str(caught.value)
    with pytest.raises(ValidationError, match="等次 A 的分值应为数字，当前为「优」"):
        units.create_set(admin, "文明村", YEAR, [{"group_name": "a", "name": "b", "grades": "A=优,B=8"}])
    with pytest.raises(ValidationError, match="等次分值应写成"):
        units.create_set(admin, "文明村", YEAR, [{"group_name": "a", "name": "b", "grades": "A=5,A=3"}])
    assert not IndicatorItem.select().exists()


def test_scores_are_append_only_and_the_latest_counts(admin):
    app = application(admin, "draft")
    item = units.items(app.set_id)[0]
    assert unit_scoring.enter_scores(CLERK, app.id, "self", {item.id: (4, "有计划")}) == 40
    assert unit_scoring.enter_scores(CLERK, app.id, "self", {item.id: ("4.5", "有计划，有专人")}) == 45
    unit_scoring.enter_scores(CLERK, app.id, "self", {item.id: ("4.5", "有计划，有专人")})  # unchanged: no entry
    history = unit_scoring.score_history(app.id, item.id)
    assert [s.tenths for s in history] == [40, 45]
    assert Score.append_only and all(s.scope == app.scope for s in history)
    assert unit_scoring.latest_scores(app.id, "self")[item.id].note == "有计划，有专人"
    assert Application.get_by_id(app.id).self_tenths == 45


def test_over_max_wrong_grade_and_text_are_refused_per_item_and_nothing_is_written(admin):
    app = application(admin, "draft")
    items = units.items(app.set_id)
    plain = next(i for i in items if not i.grades)
    graded = next(i for i in items if i.grades)
    with pytest.raises(ValidationError) as caught:
        unit_scoring.enter_scores(CLERK, app.id, "self", {plain.id: (plain.max_tenths / 10 + 1, ""),
                                                          graded.id: ("E", ""), items[2].id: ("满分", "")})
    assert set(caught.value.errors) == {plain.id, graded.id, items[2].id}
    assert "得分应在 0 到 5 分之间" in caught.value.errors[plain.id]
    assert "请选择等次：A、B、C、D" in caught.value.errors[graded.id]
    assert not Score.select().exists()
    unit_scoring.enter_scores(CLERK, app.id, "self", {graded.id: ("b", "")})
    assert unit_scoring.latest_scores(app.id, "self")[graded.id].grade == "B"


def test_a_clerk_cannot_score_the_assessment(admin):
    app = application(admin, "assessing")
    item = units.items(app.set_id)[0]
    with pytest.raises(PermissionDenied):
        unit_scoring.enter_scores(CLERK, app.id, "assessed", {item.id: (1, "")})
    draft = application(admin, "draft", name="白鹤社区", kind="社区", title="文明社区")
    with pytest.raises(CivDeskError, match="只有进入测评后"):
        unit_scoring.enter_scores(REVIEWER, draft.id, "assessed", {units.items(draft.set_id)[0].id: (1, "")})


def test_an_application_per_title_and_year(admin):
    app = application(admin, "draft")
    with pytest.raises(ValidationError, match="已有文明村的申报"):
        unit_scoring.create(CLERK, app.org_id, YEAR, "文明村")
    with pytest.raises(ValidationError) as caught:
        unit_scoring.create(CLERK, app.org_id, YEAR, "文明镇", "省级")
    assert set(caught.value.errors) == {"title", "level"}


def test_attachments_travel_in_chunks_and_come_back_whole(admin, tmp_path):
    app = application(admin, "draft")
    photo = tmp_path / "村规民约公示栏.jpg"
    data = bytes(range(256)) * 2100  # ~538 KB: three chunks
    photo.write_bytes(data)
    row = unit_scoring.add_attachment(CLERK, app.id, photo, note="公示栏照片")
    assert row.chunks == 3 and row.size == len(data) and row.scope == app.scope
    assert AttachmentChunk.select().where(AttachmentChunk.attachment_id == row.id).count() == 3
    assert unit_scoring.attachment_bytes(row.id) == data
    out = unit_scoring.save_attachment(row.id, tmp_path / "out" / "copy.jpg")
    assert out.read_bytes() == data


def test_attachment_limits_say_what_is_wrong(admin, tmp_path):
    app = application(admin, "draft")
    settings.set_value(admin, "unit.max_attachment_mb", 1)
    big = tmp_path / "航拍.jpg"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="超过了每个附件 1 MB 的上限"):
        unit_scoring.add_attachment(CLERK, app.id, big)
    doc = tmp_path / "总结.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(ValidationError, match="不是照片或 PDF"):
        unit_scoring.add_attachment(CLERK, app.id, doc)
    assert unit_scoring.attachments(app.id) == []


def test_an_attachment_is_removed_only_from_a_draft(admin, tmp_path):
    app = application(admin, "draft")
    row = unit_scoring.add_attachment(CLERK, app.id, name="照片.png", data=b"\x89PNG....")
    unit_scoring.remove_attachment(CLERK, row.id)
    assert unit_scoring.attachments(app.id) == []
    kept = unit_scoring.add_attachment(CLERK, app.id, name="台账.pdf", data=b"%PDF-1.4")
    from civdesk.units import workflow as unit_workflow
    from tests.support.units import fill_self

    fill_self(app)
    unit_workflow.submit(CLERK, app.id)
    with pytest.raises(CivDeskError, match="提交后附件不能删除"):
        unit_scoring.remove_attachment(CLERK, kept.id)


def test_a_village_pc_files_only_for_its_own_village(village_admin):
    from civdesk.office import offices as office

    own = office.own_office()
    made = units.create_org(CLERK, {"name": "桂花村", "kind": "村"})
    assert made.village_id == own.id and made.scope == own.id
    app = unit_scoring.create(CLERK, made.id, YEAR, "文明村")
    assert app.scope == own.id


# --- 测评体系 in Excel ------------------------------------------------------------------------------


def test_an_indicator_set_round_trips_through_excel(admin, tmp_path):
    from civdesk.units import indicator_sheets as indicator_xlsx

    (original,) = [s for s in units.ensure_default_sets(admin, YEAR) if s.kind == "文明村"]
    path = tmp_path / "测评体系.xlsx"
    assert indicator_xlsx.export_set(admin, original.id, path) == 20
    copy = indicator_xlsx.import_set(admin, path, "文明村", YEAR + 1)
    assert (copy.year, copy.version) == (YEAR + 1, 1)
    assert units.set_rows(copy.id) == units.set_rows(original.id)
    with pytest.raises(PermissionDenied):
        indicator_xlsx.import_set(REVIEWER, path, "文明村", YEAR + 1)


def test_a_bad_indicator_sheet_names_row_and_column_and_writes_nothing(admin, tmp_path):
    from openpyxl import Workbook

    from civdesk.units import indicator_sheets as indicator_xlsx

    path = tmp_path / "bad.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["测评项目", "指标内容", "分值", "等次分值"])
    ws.append(["组织领导", "有计划", "五分", ""])
    ws.append(["", "干净整洁", 10, ""])
    ws.append(["环境卫生", "房前屋后", "", "A=优"])
    ws.append(["环境卫生", "垃圾分类", 6, "A=5,B=3"])
    wb.save(path)
    with pytest.raises(ValidationError) as caught:
        indicator_xlsx.import_set(admin, path, "文明村", YEAR)
    message = str(caught.value)
    assert "第 2 行「分值」：分值应为数字，当前为「五分」" in message
    assert "第 3 行「测评项目」" in message
    assert "第 4 行「等次分值」" in message
    assert "第 5 行：分值 6 与最高等次的分值 5 不一致" in message
    assert not IndicatorItem.select().exists()


def test_a_score_once_entered_cannot_be_cleared_only_corrected(admin):
    app = application(admin, "draft")
    item = units.items(app.set_id)[0]
    unit_scoring.enter_scores(CLERK, app.id, "self", {item.id: (4, "")})
    with pytest.raises(ValidationError, match="已填过分数，不能清空"):
        unit_scoring.enter_scores(CLERK, app.id, "self", {item.id: ("", "")})
    assert unit_scoring.enter_scores(CLERK, app.id, "self", {item.id: (0, "")}) == 0


@pytest.mark.parametrize(("typed", "tenths"), [("9．5", 95), ("９.５", 95), ("4。5", 45), (" 3 ", 30), ("2分", 20),
                                               (4.5, 45), ("0", 0)])
def test_scores_are_read_by_the_one_number_parser(typed, tenths):
    item = IndicatorItem(id="item-1", name="房前屋后干净整洁", max_tenths=100, grades="")
    assert unit_scoring.parse_score(item, typed) == (tenths, "")


@pytest.mark.parametrize(("typed", "words"), [("inf", "应为数字"), ("nan", "应为数字"), ("1e1", "科学计数法"),
                                              ("9.55", "最多保留 1 位小数"), ("-1", "之间"), ("九", "应为数字")])
def test_scores_refused_name_the_item(typed, words):
    item = IndicatorItem(id="item-1", name="房前屋后干净整洁", max_tenths=100, grades="")
    with pytest.raises(ValidationError) as caught:
        unit_scoring.parse_score(item, typed)  # "inf" used to escape as an OverflowError
    message = caught.value.errors[item.id]
    assert words in message and message.startswith("「房前屋后干净整洁」得分")


def test_indicator_points_grades_and_sizes_use_the_one_parser(admin):
    made = units.create_set(admin, "文明村", YEAR + 1, [
        {"group_name": "组织领导", "name": "有计划", "max_points": "９５"},
        {"group_name": "环境卫生", "name": "整洁", "max_points": "", "grades": "A=５，B=２．５"}])
    assert [i.max_tenths for i in units.items(made.id)] == [950, 50]
    assert units.items(made.id)[1].grades == "A=5,B=2.5"
    with pytest.raises(ValidationError) as caught:
        units.create_set(admin, "文明村", YEAR + 1, [{"group_name": "a", "name": "b", "max_points": "1e2"}])
    assert "科学计数法" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        units.create_org(CLERK, {"name": "清溪中学", "kind": "学校", "size_count": "12.5"})
    assert caught.value.errors == {"size_count": "职工数/户数应为整数，当前为 12.5"}
    assert units.create_org(CLERK, {"name": "清溪中学", "kind": "学校", "size_count": "１２０"}).size_count == 120
