"""The 活动与阵地 page: it opens on the demo and on an empty database, fits both office screens,
the activity form refuses bad input by the field and writes nothing, planning from a template
adds a plan, 工作台's targets open the right place, and a clerk never sees a child's name."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QDialogButtonBox, QLabel, QWidget

from civdesk.activities import festival_plans, halls, minors, placements, records
from civdesk.calendar import festivals
from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.demo import activities as activity_demo
from civdesk.demo import foundation
from civdesk.office import offices as office
from tests.activities.helpers import png, volunteer
from tests.support.databases import DB_NAME, admin_actor, copy_db, initialize, open_db, setup_request
from ui.activities.record_form import ActivityFormDialog
from ui.activities.sanmei_tab import SanmeiDialog
from ui.main_window import MainWindow
from ui.session import Session

CLERK = Actor("zhangli", "张丽", "clerk")
SIZES = ((1366, 728), (1280, 658))


@pytest.fixture(scope="session")
def activities_demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("activities-demo") / DB_NAME
    actor = initialize(path, setup_request())
    rng = random.Random(7)
    foundation.fill(actor, rng, lambda *a: None)
    for seq, name in enumerate(("王秀英", "李建国", "赵晓东", "钱多多"), 11):
        volunteer(name, seq)
    activity_demo.fill(actor, rng, lambda *a: None)
    db.close_database()
    return path


@pytest.fixture
def demo(activities_demo_template, db_path):
    copy_db(activities_demo_template, db_path)
    open_db(db_path)
    return admin_actor()


@pytest.fixture
def make_page(qtbot, tmp_path):
    def make(actor, size=(1366, 728)):
        window = MainWindow(Session(actor, db.state.path), QSettings(str(tmp_path / "ui.ini"),
                                                                     QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        assert window.show_page("activities")
        return window, window.pages["activities"]
    return make


def horizontal_scrollers(widget: QWidget) -> list[str]:
    QApplication.processEvents()
    return [f"{type(a).__name__} {a.horizontalScrollBar().maximum()} px" for a in widget.findChildren(QAbstractScrollArea)
            if a.isVisible() and a.horizontalScrollBar().maximum() > 0 and a.objectName() != "navigation"]


def all_text(widget: QWidget) -> str:
    texts = [label.text() for label in widget.findChildren(QLabel)]
    for view in widget.findChildren(QAbstractScrollArea):
        model = getattr(view, "model", lambda: None)()
        if model is not None:
            texts += [str(model.index(r, c).data() or "") for r in range(model.rowCount())
                      for c in range(model.columnCount())]
    return "\n".join(texts)


def buttons_visible(dialog) -> bool:
    QApplication.processEvents()
    box = dialog.findChildren(QDialogButtonBox)[0]
    bottom = box.mapTo(dialog, box.rect().bottomRight())
    return box.isVisible() and bottom.y() <= dialog.height() and bottom.x() <= dialog.width()


@pytest.mark.parametrize("size", SIZES)
def test_the_page_opens_on_the_demo_and_fits(demo, make_page, size):
    window, page = make_page(demo, size)
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        assert not horizontal_scrollers(window), page.tabs.tabText(index)
    assert page.plan_tab.table.rowCount() == 10
    assert page.halls_tab.hall_table.rowCount() == 2 and page.halls_tab.session_table.rowCount() >= 1
    assert page.placements_tab.counts.item(page.placements_tab.counts.rowCount() - 1, 0).text() == "合计"
    assert page.sanmei_tab.table.rowCount() >= 1 and page.minors_tab.table.rowCount() == 1
    for tab in (page.halls_tab, page.placements_tab, page.sanmei_tab, page.minors_tab):
        assert not tab.stack.is_empty if hasattr(tab, "stack") else not tab.list_stack.is_empty
    held = records.rows(status="held")[-1]
    dialog = page.show_section(f"record/{held.id}")
    assert dialog.title_edit.text() == held.title and dialog.photo_list.count() == held.photo_count
    assert dialog.volunteer_table.rowCount() == held.volunteers
    assert buttons_visible(dialog) and dialog.height() <= window.screen().availableGeometry().height()
    assert not horizontal_scrollers(dialog)
    assert page.calendar_tab.selected.isoformat() == held.day
    dialog.reject()


def test_the_page_opens_on_an_empty_database(admin, make_page):
    window, page = make_page(admin)
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
    assert page.halls_tab.stack.is_empty and page.halls_tab.empty.button.isEnabled()
    assert page.placements_tab.list_stack.is_empty and page.sanmei_tab.stack.is_empty
    assert page.minors_tab.stack.is_empty and page.minors_tab.empty.button.text() == "新建关爱项目…"
    assert page.placements_tab.counts.rowCount() == 1  # only 合计
    page.tabs.setCurrentIndex(0)
    assert page.calendar_tab.day_stack.is_empty and page.calendar_tab.day_empty.button.text() == "登记活动…"
    assert not horizontal_scrollers(window)
    page.tabs.setCurrentWidget(page.halls_tab)
    dialog = page.halls_tab.add_hall()
    assert buttons_visible(dialog)
    dialog.name_edit.setText("清溪镇道德讲堂")
    dialog.kind_combo.setCurrentText("总堂")
    assert dialog.save(), dialog.general_error.text()
    assert not page.halls_tab.stack.is_empty and page.halls_tab.session_stack.is_empty


def test_the_form_refuses_bad_input_by_the_field_and_writes_nothing(admin, make_page, tmp_path):
    office.add_village(admin, "红星村")
    _window, page = make_page(admin)
    dialog = ActivityFormDialog(page.session, day=dt.date(1949, 10, 1), parent=page)
    dialog.participants_edit.setText("-3")
    not_a_photo = tmp_path / "通知.txt"
    not_a_photo.write_text("这不是照片", encoding="utf-8")
    assert dialog.add_photo_files([str(not_a_photo)]) == 0
    assert "不是 JPG 或 PNG 照片" in dialog.errors.message("photo")
    assert not dialog.save()
    assert dialog.errors.message("title") == "请填写活动名称"
    assert "活动类型只能是" in dialog.errors.message("kind")
    assert "早于 1950 年" in dialog.errors.message("day")
    assert "不能小于 0" in dialog.errors.message("participants")
    assert not dialog.add_volunteer() and "选择一名志愿者" in dialog.volunteer_error.text()
    assert records.rows() == [] and dialog.result() == 0


def test_the_form_saves_photos_and_sends_hours_for_review(admin, make_page, tmp_path):
    helper = volunteer("王秀英", 11)
    _window, page = make_page(admin)
    dialog = ActivityFormDialog(page.session, day=dt.date.today() - dt.timedelta(days=1), kind="volunteer",
                                parent=page)
    photo = tmp_path / "现场.png"
    photo.write_bytes(png())
    assert dialog.add_photo_files([str(photo)]) == 1 and dialog.photo_list.count() == 1
    dialog.title_edit.setText("清理河道志愿服务")
    dialog.participants_edit.setText("12")
    dialog.picker.set_volunteer(helper.id)
    dialog.hours_spin.setValue(3)
    assert dialog.add_volunteer()
    assert dialog.save(), dialog.general_error.text()
    [row] = records.rows()
    assert (row.title, row.participants, row.photo_count) == ("清理河道志愿服务", 12, 1)
    assert [(s.hours, s.status) for s in records.volunteer_services(row.id)] == [(3.0, "pending")]


def test_planning_a_festival_from_its_template_adds_a_plan(admin, make_page):
    _window, page = make_page(admin)
    today = dt.date.today()
    name, day = next((n, d) for y in (today.year, today.year + 1) for n, d in festivals.festivals(y) if d > today)
    page.show_section(f"calendar/{day.isoformat()}")
    tab = page.calendar_tab
    assert tab.selected == day and not tab.template_button.isHidden() and name in tab.festival_label.text()
    made = tab.plan_selected_festival()
    [row] = records.rows(kind="festival")
    assert (row.id, row.status, row.festival, row.day) == (made, "planned", name, day.isoformat())
    assert tab.template_button.isHidden() and tab.day_table.rowCount() == 1
    page.tabs.setCurrentWidget(page.plan_tab)
    plan_rows = {r.name: r for r in festival_plans.year_plan(day.year)}
    assert plan_rows[name].plans and "已按模板" in tab.message.text()


def test_minors_names_only_for_the_permission(admin, make_page):
    village = office.add_village(admin, "白鹤村")
    project = minors.create_project(admin, {"village_id": village.id, "name": "四点半课堂", "target_group": "留守儿童",
                                            "start_date": dt.date.today()})
    minors.add_child(admin, project.id, {"name": "汪福生", "sex": "男", "birth_year": dt.date.today().year - 9})
    _window, page = make_page(CLERK)
    page.tabs.setCurrentWidget(page.minors_tab)
    tab = page.minors_tab
    assert tab.table.item(0, 6).text() == "1"
    assert tab.children_table is None and tab.report_button.isHidden()
    assert "汪" not in all_text(page.minors_tab) and "未成年人信息" in tab.hidden_label.text()
    _window, page = make_page(admin)
    page.tabs.setCurrentWidget(page.minors_tab)
    tab = page.minors_tab
    assert "审计日志" in tab.logged_label.text() and not tab.report_button.isHidden()
    assert tab.children_table.isHidden()
    before = AuditEntry.select().count()
    tab.table.selectRow(0)
    assert tab.show_children() == 1 and tab.children_table.item(0, 0).text() == "汪福生"
    assert AuditEntry.select().count() == before + 1


def test_inspecting_a_placement_and_a_session_at_a_hall(demo, make_page):
    _window, page = make_page(demo)
    page.tabs.setCurrentWidget(page.placements_tab)
    tab = page.placements_tab
    tab.table.selectRow(0)
    row = tab.current()
    dialog = tab.inspect()
    dialog.state_combo.setCurrentText("破损")
    assert dialog.save()
    assert next(p for p in placements.placements() if p.id == row.id).state == "破损"
    page.tabs.setCurrentWidget(page.halls_tab)
    hall = page.halls_tab.current_hall()
    before = len(halls.sessions(hall.id))
    dialog = page.halls_tab.add_session()
    assert dialog.parts_table.rowCount() == 5
    dialog.attendance_edit.setText("-1")
    assert not dialog.save() and "不能小于 0" in dialog.errors.message("participants")
    dialog.attendance_edit.setText("40")
    dialog.story_title.setText("邻里守望")
    assert dialog.save(), dialog.general_error.text()
    assert len(halls.sessions(hall.id)) == before + 1


def test_workbench_items_open_the_right_place(admin, make_page, monkeypatch):
    from civdesk.activities import due

    late = records.create(admin, {"kind": "hall", "status": "planned", "title": "道德讲堂月度活动",
                                  "day": dt.date.today() - dt.timedelta(days=3)})
    [unrecorded] = due.plans_not_recorded(admin)
    name, day = festivals.festivals(dt.date.today().year + 1)[3]
    monkeypatch.setattr(due, "_today", lambda: day - dt.timedelta(days=10))
    [item] = [i for i in due.festivals_without_plan(admin) if name in i.title]
    window, page = make_page(admin)
    window.show_page("home")
    assert window.show_page(item.target_page)
    tab = page.calendar_tab
    assert window.current_page_key() == "activities" and page.tabs.currentWidget() is tab
    assert tab.selected == day and not tab.template_button.isHidden()
    assert window.show_page(unrecorded.target_page)
    dialog = next(d for d in tab.findChildren(ActivityFormDialog) if d.isVisible())
    assert dialog.record_id == late.id and tab.selected.isoformat() == late.day.isoformat()
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("held"))
    dialog.participants_edit.setText("30")
    assert dialog.save(), dialog.general_error.text()
    assert records.rows(status="held")[0].id == late.id


def test_a_village_pc_fixes_the_village(village_admin, make_page):
    _window, page = make_page(village_admin)
    dialog = page.calendar_tab.add_activity()
    own = office.own_office()
    assert not dialog.village_combo.isEnabled() and dialog.village_combo.currentData() == own.id
    dialog.title_edit.setText("村史馆开放日")
    assert not dialog.save() and "活动类型只能是" in dialog.errors.message("kind")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("volunteer"))
    assert dialog.save(), dialog.general_error.text()
    assert records.rows()[0].village_id == own.id


def test_the_station_masks_a_child_for_a_clerk_and_loads_names_on_asking(demo, make_page):
    _window, page = make_page(CLERK)
    page.tabs.setCurrentWidget(page.minors_tab)
    page.minors_tab.inner.setCurrentWidget(page.minors_tab.station)
    station = page.minors_tab.station
    assert station.show_button.isHidden() and station.table.rowCount() >= 1
    names = {s.child_name for s in minors.services(demo) if s.child_name}
    assert names and not any(name in all_text(station) for name in names)
    page.minors_tab.inner.setCurrentWidget(page.minors_tab.counts)
    grid = page.minors_tab.counts.table
    assert grid.item(grid.rowCount() - 1, 0).text() == "合计"
    _window, page = make_page(demo)
    page.tabs.setCurrentWidget(page.minors_tab)
    page.minors_tab.inner.setCurrentWidget(page.minors_tab.station)
    station = page.minors_tab.station
    assert station.table.rowCount() == 0 and "审计日志" in station.logged_label.text()
    before = AuditEntry.select().count()
    assert station.load() >= 1 and any(name in all_text(station.table) for name in names)
    assert AuditEntry.select().count() == before + 1


def every_dialog(page):
    """Each dialog of the page, opened the way a clerk opens it."""
    page.tabs.setCurrentWidget(page.calendar_tab)
    yield page.calendar_tab.add_activity()
    yield page.calendar_tab.open_record(records.rows(status="held")[-1].id)
    page.tabs.setCurrentWidget(page.halls_tab)
    yield page.halls_tab.add_hall()
    yield page.halls_tab.add_session()
    page.halls_tab.session_table.selectRow(0)
    yield page.halls_tab.edit_session()
    page.tabs.setCurrentWidget(page.placements_tab)
    yield page.placements_tab.add()
    page.placements_tab.table.selectRow(0)
    yield page.placements_tab.inspect()
    page.tabs.setCurrentWidget(page.sanmei_tab)
    for what in ("plan", "evaluate", "name"):
        yield page.sanmei_tab.open_form(what)
    page.tabs.setCurrentWidget(page.minors_tab)
    yield page.minors_tab.add_project()
    page.minors_tab.table.selectRow(0)
    yield page.minors_tab.add_child()
    yield page.minors_tab.station.add()


@pytest.mark.parametrize("size", SIZES)
def test_every_dialog_fits_with_its_buttons_in_view(demo, make_page, size):
    window, page = make_page(demo, size)
    screen = window.screen().availableGeometry()
    count = 0
    for dialog in every_dialog(page):
        title = dialog.windowTitle()
        assert dialog.width() <= screen.width() and dialog.height() <= screen.height(), title
        assert buttons_visible(dialog), title
        assert not horizontal_scrollers(dialog), title
        dialog.reject()
        count += 1
    assert count == 13


def test_sanmei_and_placement_forms_refuse_by_the_field(demo, make_page, tmp_path):
    _window, page = make_page(demo)
    page.tabs.setCurrentWidget(page.sanmei_tab)
    row = next(r for r in page.sanmei_tab.rows if not r.named_on)
    from civdesk.activities import sanmei

    before = sanmei.villages_status(page.sanmei_tab.year_spin.value())
    dialog = SanmeiDialog(page.session, "evaluate", page.sanmei_tab.year_spin.value(), row.village_id, page)
    dialog.score_edits["fengshang"].setText("120")
    dialog.score_edits["huanjing"].setText("九十")
    assert not dialog.save()
    assert "0 到 100" in dialog.errors.message("fengshang") and "整数" in dialog.errors.message("huanjing")
    assert "请填写" in dialog.errors.message("shenghuo")
    assert sanmei.villages_status(page.sanmei_tab.year_spin.value()) == before
    page.tabs.setCurrentWidget(page.placements_tab)
    count = len(placements.placements(include_removed=True))
    dialog = page.placements_tab.add()
    bad = tmp_path / "广告.pdf"
    bad.write_bytes(b"%PDF-1.4 not a photo")
    assert not dialog.set_photo_file(str(bad)) and "不是 JPG 或 PNG" in dialog.errors.message("photo")
    dialog.place_edit.setText("")
    assert not dialog.save() and "请填写设置位置" in dialog.errors.message("place")
    assert len(placements.placements(include_removed=True)) == count


def test_photos_preview_and_removal(demo, make_page, tmp_path):
    _window, page = make_page(demo)
    held = records.rows(status="held")[-1]
    dialog = page.show_section(f"record/{held.id}")
    extra = tmp_path / "补充.png"
    extra.write_bytes(png(60, 40))
    assert dialog.add_photo_files([str(extra)]) == 1 and dialog.photo_list.count() == 2
    many = []
    for number in range(8):
        many.append(tmp_path / f"现场{number}.png")
        many[-1].write_bytes(png(50 + number, 40))
    assert dialog.add_photo_files([str(p) for p in many]) == 8 and not horizontal_scrollers(dialog)
    for _ in many:
        dialog.photo_list.setCurrentRow(dialog.photo_list.count() - 1)
        dialog.remove_photo()
    preview = dialog.preview(dialog.photo_list.item(0))
    assert preview is not None and preview.isVisible()
    preview.reject()
    dialog.photo_list.setCurrentRow(1)
    dialog.remove_photo()
    assert dialog.new_photos == [] and dialog.photo_list.count() == 1
    dialog.photo_list.setCurrentRow(0)
    dialog.remove_photo()
    assert dialog.save(), dialog.general_error.text()
    assert records.detail(held.id).photos == []


@pytest.mark.parametrize("filled", [True, False])
def test_the_screens_list_opens_every_dialog(admin, activities_demo_template, db_path, make_page, filled):
    from ui.activities.screens import SCREENS

    if filled:
        db.close_database()
        copy_db(activities_demo_template, db_path)
        open_db(db_path)
    window, _page = make_page(admin_actor())
    opened = 0
    for name, _title, factory in SCREENS:
        dialog = factory(window)
        if dialog is None:
            assert not filled, name
            continue
        dialog.show()
        assert buttons_visible(dialog), name
        dialog.reject()
        opened += 1
    assert opened == (len(SCREENS) if filled else 6)


def test_deleting_a_record_asks_why_and_refuses_one_with_hours(demo, make_page):
    _window, page = make_page(demo)
    with_hours = next(r for r in records.rows(status="held") if r.volunteers)
    form = page.show_section(f"record/{with_hours.id}")
    ask = form.ask_delete()
    assert not ask.save() and "删除原因" in ask.errors.message("reason")
    ask.reason_edit.setText("重复录入")
    assert not ask.save() and "已录入志愿服务时长" in ask.general_error.text()
    ask.reject()
    form.reject()
    plain = next(r for r in records.rows() if not r.volunteers)
    form = page.show_section(f"record/{plain.id}")
    ask = form.ask_delete()
    ask.reason_edit.setText("重复录入")
    assert ask.save() and form.deleted and form.result() == 1
    assert plain.id not in {r.id for r in records.rows()}


def test_the_month_exports_to_excel_in_the_background(demo, make_page, tmp_path, qtbot):
    from openpyxl import load_workbook

    _window, page = make_page(demo)
    tab = page.calendar_tab
    held = records.rows(status="held")[-1]
    tab.go_to(dt.date.fromisoformat(held.day))
    assert tab.xlsx_button.isVisibleTo(tab)
    out = tmp_path / "活动.xlsx"
    assert tab.save_month_xlsx(str(out)) is not None
    qtbot.waitUntil(lambda: "已导出" in tab.message.text(), timeout=20000)
    day = dt.date.fromisoformat(held.day)
    first = day.replace(day=1)
    expected = [r.title for r in records.rows(first, (first + dt.timedelta(days=32)).replace(day=1)
                                              - dt.timedelta(days=1))]
    values = list(load_workbook(out).active.iter_rows(values_only=True))
    titles = [row[3] for row in values if row and row[3] in expected]
    assert sorted(titles) == sorted(expected) and held.title in titles
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1


def test_the_calendar_shows_a_ticket_deadline_and_opens_the_ticket(admin, make_page, qtbot):
    from civdesk.hotline import flow, tickets
    from ui.activities.calendar_tab import ITEM_PREFIX
    from ui.activities.widgets import current_id

    village = office.add_village(admin, "桂花村")
    row = tickets.receive(admin, {"received_at": "2026-11-02 09:00", "channel": "来电", "caller_phone": "13800138000",
                                  "address": "3组", "village_id": village.id, "kind": "投诉", "category": "环境卫生",
                                  "content": "3组路口的垃圾没人收"})
    flow.dispatch(admin, row.id, at="2026-11-02 10:00")
    due = tickets.get(row.id).sign_due
    window, page = make_page(admin)
    tab = page.calendar_tab
    tab.go_to(due)
    assert "▲" in tab.legend.text() and "◆" in tab.legend.text()
    cell = next(tab.grid.cellWidget(r, c) for r in range(tab.grid.rowCount()) for c in range(7)
                if tab.grid.cellWidget(r, c).day.day == due.isoformat())
    assert "▲" in cell.text() and "环境卫生投诉" in cell.text() and row.number in cell.toolTip()
    assert tab.day_table.rowCount() == 1 and not tab.day_stack.is_empty
    tab.day_table.selectRow(0)
    assert current_id(tab.day_table) == f"{ITEM_PREFIX}hotline/ticket/{row.id}"
    tab.open_selected()
    hotline = window.pages["hotline"]
    assert window.nav.current_key() == "hotline" and row.id in hotline.dialogs
    hotline.dialogs[row.id].reject()


def test_a_finding_about_a_placement_is_named_in_the_inspection_and_shown_on_the_placement(demo, make_page):
    from civdesk.supervision import inspections
    from ui.field_errors import FieldErrors
    from ui.supervision.inspection_form import FindingBox

    _window, page = make_page(demo)
    page.tabs.setCurrentWidget(page.placements_tab)
    tab = page.placements_tab
    row = tab.rows[0]
    assert tab.table.item(0, 8).text() == "—"
    box = FindingBox(1, FieldErrors(), [], lambda _b: None)
    assert not box.placement_state.isEnabled()
    box.description.setText("公益广告被风刮破一角")
    box.placement.setCurrentIndex(box.placement.findData(row.id))
    assert box.placement_state.isEnabled()
    box.placement_state.setCurrentText("破损")
    found = box.value()
    assert (found.placement_id, found.placement_state) == (row.id, "破损")
    inspections.record(demo, {"day": dt.date.today(), "mechanism": "镇容环境卫生", "inspectors": "李秀英",
                              "target_kind": "place", "place": row.place, "village": row.village_id}, [found])
    tab.refresh()
    index = next(i for i, p in enumerate(tab.rows) if p.id == row.id)
    assert tab.table.item(index, 8).text() == "1 个未整改" and "公益广告被风刮破一角" in tab.table.item(index, 8).toolTip()
    tab.table.selectRow(index)
    dialog = tab.inspect()
    assert "督查发现破损：公益广告被风刮破一角" in all_text(dialog)
    dialog.reject()


def test_a_rectification_deadline_on_the_calendar_opens_its_notice(admin, make_page, tmp_path):
    from tests.supervision.helpers import notice
    from ui.activities.calendar_tab import ITEM_PREFIX
    from ui.activities.widgets import current_id

    made = notice(admin, tmp_path)
    window, page = make_page(admin)
    tab = page.calendar_tab
    tab.go_to(made.deadline)
    ids = [tab.day_table.item(r, 0).text() for r in range(tab.day_table.rowCount())]
    assert any(made.number in text and "◆" in text for text in ids)
    row = next(r for r in range(tab.day_table.rowCount()) if made.number in tab.day_table.item(r, 0).text())
    tab.day_table.selectRow(row)
    assert current_id(tab.day_table) == f"{ITEM_PREFIX}supervision/notice/{made.id}"
    tab.open_selected()
    board = window.pages["supervision"]
    assert window.nav.current_key() == "supervision" and board.dialog.notice_id == made.id
    board.dialog.reject()
