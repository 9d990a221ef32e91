"""The Excel import dialog and the import/export buttons of the volunteer and hours pages."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QSettings

from civdesk.core import db, dump
from civdesk.core.audit_log import AuditEntry
from civdesk.volunteers import hours
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import ServiceRecord, Volunteer
from tests.support.volunteers import (
    EXISTING_OTHER,
    EXISTING_SAME,
    EXPECTED_REJECTED,
    make_id,
    messy_roster,
)
from ui.main_window import MainWindow
from ui.session import Session
from ui.volunteers.import_dialog import ImportDialog, save_template

WAIT = 30000


pytestmark = pytest.mark.office(villages=("桂花村", "石桥村", "太平社区"))


@pytest.fixture(autouse=True)
def registered(admin):
    """Two villagers already registered: the roster names one the same and one differently."""
    volunteers.register(admin, {"name": "钱七", "id_number": EXISTING_SAME, "village_id": "桂花村"})
    volunteers.register(admin, {"name": "吴八", "id_number": EXISTING_OTHER, "village_id": "石桥村"})


@pytest.fixture
def dialog(admin, qtbot):
    widget = ImportDialog(Session(admin, db.state.path), "volunteers")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def finish(qtbot, handle):
    qtbot.waitUntil(lambda: handle.is_done, timeout=WAIT)


def table(model):
    return [tuple(model.data(model.index(r, c)) for c in range(3)) for r in range(model.rowCount())]


def test_preview_shows_every_rejected_row(dialog, qtbot, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    before = dump.dump_json()
    finish(qtbot, dialog.set_file(path))
    rows = table(dialog.errors_model)
    assert {(int(r), c) for r, c, _m in rows} == EXPECTED_REJECTED
    assert any("科学计数法" in m for _r, _c, m in rows)
    assert "有问题 8 行" in dialog.summary_label.text()
    assert "序号、年龄" in dialog.note_label.text()
    assert not dialog.import_button.isEnabled()  # all or nothing: nothing to import as it is
    assert dialog.error_list_button.isEnabled()
    assert dump.dump_json() == before

    out = tmp_path / "需改正.xlsx"
    finish(qtbot, dialog.export_errors(out))
    ws = load_workbook(out).active
    assert ws.max_row == 2 + 8 and "错误清单" in dialog.summary_label.text()

    dialog.skip_check.setChecked(True)
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "导入有效的 3 行"
    count = Volunteer.select().count()
    seen = []
    dialog.imported.connect(seen.append)
    finish(qtbot, dialog.start_import())
    assert Volunteer.select().count() == count + 3
    assert "已导入 3 名志愿者" in dialog.summary_label.text()
    assert len(seen) == 1 and seen[0].imported == 3
    assert not dialog.import_button.isEnabled()  # the same preview is not imported twice


def test_clean_file_imports_without_the_option(dialog, qtbot, tmp_path):
    path = messy_roster(tmp_path / "ok.xlsx", valid_only=True)
    finish(qtbot, dialog.set_file(path))
    assert dialog.errors_model.rowCount() == 0
    assert "没有发现问题" in dialog.summary_label.text()
    assert dialog.import_button.isEnabled()
    finish(qtbot, dialog.start_import())
    assert {"张三", "李四", "赵六"} <= {v.name for v in Volunteer.select()}


def test_broken_file_is_explained(dialog, qtbot, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    finish(qtbot, dialog.set_file(path))
    assert "文本文件" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()


def big_roster(path, rows: int = 4000):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("志愿者")
    ws.append(["姓名", "身份证号码", "所属村（社区）", "联系电话"])
    for i in range(rows):
        ws.append([f"志愿者{i}", make_id("19800101", f"{i % 1000:03d}", region=f"51{i // 1000:04d}"), "桂花村",
                   f"138{i:08d}"])
    wb.save(path)
    return path


def test_cancel_preview(dialog, qtbot, tmp_path):
    path = big_roster(tmp_path / "大.xlsx")
    handle = dialog.set_file(path)
    handle.cancel()
    finish(qtbot, handle)
    assert "已取消" in dialog.summary_label.text()
    assert dialog.preview is None and not dialog.import_button.isEnabled()
    assert dialog.choose_button.isEnabled()
    # and it works again afterwards
    finish(qtbot, dialog.start_preview())
    assert dialog.preview is not None and dialog.preview.importable == 4000


def test_update_existing_option(dialog, qtbot, tmp_path):
    path = tmp_path / "更新.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "手机号"])
    wb.active.append(["钱七", EXISTING_SAME, "13700002222"])
    wb.save(path)
    finish(qtbot, dialog.set_file(path))
    assert dialog.preview.skipped == 1 and not dialog.import_button.isEnabled()
    dialog.update_check.setChecked(True)  # checks the file again
    finish(qtbot, dialog.task)
    assert dialog.preview.updatable == 1 and dialog.import_button.isEnabled()
    finish(qtbot, dialog.start_import())
    assert Volunteer.get(Volunteer.id_number == EXISTING_SAME).phone == "13700002222"


def test_hours_dialog(admin, qtbot, tmp_path):
    qian = Volunteer.get(Volunteer.id_number == EXISTING_SAME)
    path = tmp_path / "时长.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "志愿者编号", "服务日期", "服务时长（小时）"])
    day = dt.date.today() - dt.timedelta(days=1)
    wb.active.append(["钱七", qian.number, day, 2])
    wb.active.append(["钱八", qian.number, day, 3])
    wb.save(path)
    widget = ImportDialog(Session(admin, db.state.path), "hours")
    qtbot.addWidget(widget)
    finish(qtbot, widget.set_file(path))
    assert [(r, c) for r, c, _m in table(widget.errors_model)] == [("3", "姓名")]
    widget.skip_check.setChecked(True)
    finish(qtbot, widget.start_import())
    assert [(r.half_hours, hours.status_of(r.id)) for r in ServiceRecord.select()] == [(4, "pending")]
    assert "待审核" in widget.summary_label.text()


def test_pages_have_the_excel_buttons(admin, qtbot, tmp_path):
    window = MainWindow(Session(admin, db.state.path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.show_page("volunteers")
    page = window.pages["volunteers"]
    assert [b.text() for b in (page.import_button, page.export_button, page.template_button)] == \
        ["导入…", "导出…", "下载导入模板"]
    out = tmp_path / "名单.xlsx"
    finish(qtbot, page.export_list(out, full_numbers=False))
    values = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert "钱七" in values and EXISTING_SAME not in values
    assert "已导出 2 名" in page.status_label.text()
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1
    template = save_template(page, "volunteers", tmp_path / "模板.xlsx")
    assert template is not None and load_workbook(template).sheetnames == ["志愿者", "填写说明"]

    dialog = page.import_volunteers()
    assert dialog.isVisible() and dialog.windowTitle() == "导入志愿者"
    finish(qtbot, dialog.set_file(messy_roster(tmp_path / "ok.xlsx", valid_only=True)))
    finish(qtbot, dialog.start_import())
    qtbot.waitUntil(lambda: "共 5 名" in page.count_label.text(), timeout=WAIT)
    dialog.close()

    assert window.show_page("hours")
    hours_page = window.pages["hours"]
    assert (hours_page.import_button.text(), hours_page.template_button.text()) == ("导入时长…", "下载时长模板")
    hours_dialog = hours_page.import_hours()
    assert hours_dialog.windowTitle() == "导入服务时长"
    hours_dialog.close()
    assert save_template(hours_page, "hours", tmp_path / "时长模板.xlsx") is not None


def test_first_rows_shown_before_the_check(dialog, qtbot, tmp_path):
    path = messy_roster(tmp_path / "花名册.xlsx")
    handle = dialog.set_file(path)
    view = dialog.first_rows_view
    # Filled before the background check has had a chance to run.
    assert view.isVisibleTo(dialog) and view.rowCount() > 0 and view.columnCount() > 0
    headers = [view.horizontalHeaderItem(c).text() for c in range(view.columnCount())]
    assert "身份证号码（必填）" in headers  # as the clerk wrote it
    finish(qtbot, handle)


def _roster_with_unknown_columns(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "入会日期", "联络号", "积分", "爱好说明"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_column_mapping_step_asks_guesses_and_remembers(dialog, qtbot, tmp_path):
    a, b = make_id("19850312", "011"), make_id("19900101", "012")
    path = _roster_with_unknown_columns(tmp_path / "协会名册.xlsx", [
        ["张三", a, dt.datetime(2021, 5, 6), "13812345678", 120, "唱歌"],
        ["李四", b, dt.datetime(2022, 7, 1), "139 0000 1111", 35, ""],
    ])
    finish(qtbot, dialog.set_file(path))
    table_ = dialog.column_map
    fates = {c.header: (c.field, c.how) for c in table_.choices}
    assert fates["姓名"] == ("name", "按表头识别")
    assert fates["联络号"] == ("phone", "按内容推测")  # 11-digit phones, header unknown
    assert fates["入会日期"] == ("join_date", "按内容推测")  # recent dates: a join date
    assert fates["积分"] == (None, "请选择")  # numbers no field takes: never dropped without asking
    assert fates["爱好说明"][0] is None
    assert table_.asking() == ["积分"] and "1 列待选择" in dialog.tabs.tabText(1)
    assert dialog.tabs.currentWidget() is table_
    assert "积分" in dialog.summary_label.text() and not dialog.import_button.isEnabled()
    assert "120" in table_.item(table_.asking_rows()[0], 1).text()

    table_.choose("积分", "不导入")
    table_ = dialog.column_map
    finish(qtbot, dialog.task)
    assert dialog.preview.columns["join_date"] == "入会日期" and dialog.preview.file_errors == []
    assert "积分" in dialog.preview.unknown_columns
    assert dialog.import_button.isEnabled()
    finish(qtbot, dialog.start_import())
    people = {v.name: v for v in Volunteer.select()}
    assert people["张三"].join_date == dt.date(2021, 5, 6) and people["李四"].phone == "13900001111"

    # The next sheet with the same headers: the choice is remembered, nothing is asked.
    again = _roster_with_unknown_columns(tmp_path / "协会名册2.xlsx", [
        ["王五", make_id("19951220", "013"), dt.datetime(2023, 1, 2), "13700001111", 5, ""]])
    finish(qtbot, dialog.set_file(again))
    assert dialog.column_map.asking() == [] and dialog.preview.file_errors == []
    assert dialog.preview.columns["join_date"] == "入会日期"


def test_a_guess_can_be_changed(dialog, qtbot, tmp_path):
    path = _roster_with_unknown_columns(tmp_path / "名册.xlsx", [
        ["张三", make_id("19850312", "021"), dt.datetime(2021, 5, 6), "13812345678", 1, ""]])
    finish(qtbot, dialog.set_file(path))
    dialog.column_map.choose("积分", "不导入")
    finish(qtbot, dialog.task)
    dialog.column_map.choose("入会日期", "不导入")
    finish(qtbot, dialog.task)
    assert dialog.preview.file_errors == [] and "入会日期" in dialog.preview.unknown_columns
    assert "join_date" not in dialog.preview.columns and "入会日期" in dialog.note_label.text()
