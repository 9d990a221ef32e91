"""热线工单 in the GUI: the board on the demo and on an empty database, the entry form's
duplicate hint and its refusal of a bad phone, a ticket taken through 派单/签收/答复/回访 from
the screens, what a clerk may not see, and the pages fitting both office screen sizes."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.core.errors import PermissionDenied
from civdesk.hotline import board, tickets
from civdesk.office import offices
from tests.support.databases import DB_NAME, admin_actor, copy_db, open_db
from ui.hotline.form import TicketForm
from ui.main_window import MainWindow
from ui.session import Session

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
SIZES = {"1366x728": (1366, 728), "1280x658": (1280, 658)}


@pytest.fixture(scope="session")
def hotline_demo_template(township_template, tmp_path_factory):
    """The demo township's villages and its 热线工单 (every state, a hot issue), built once."""
    from civdesk.demo import foundation
    from civdesk.demo import hotline as hotline_demo

    path = tmp_path_factory.mktemp("hotline-demo") / DB_NAME
    copy_db(township_template, path)
    open_db(path)
    foundation.fill(admin_actor(), random.Random(7), lambda *_a: None)
    hotline_demo.fill(admin_actor(), random.Random(7), lambda *_a: None)
    db.close_database()
    return path


@pytest.fixture
def demo(hotline_demo_template, db_path):
    copy_db(hotline_demo_template, db_path)
    open_db(db_path)
    return admin_actor()


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(actor, size=(1366, 728)):
        window = MainWindow(Session(actor, db.state.path), QSettings(str(tmp_path / "ui.ini"),
                                                                     QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        return window
    return make


def settle(qtbot) -> None:
    QApplication.processEvents()
    qtbot.wait(5)
    QApplication.processEvents()


def hotline_page(window):
    assert window.show_page("hotline")
    return window.page("hotline")


def fill_form(form, **values) -> None:
    base = {"phone": "13800138000", "address": "桂花村3组", "content": "3组路口的垃圾堆了一个星期没人收"}
    base.update(values)
    form.name_edit.setText("张三")
    form.phone_edit.setText(base["phone"])
    form.address_edit.setText(base["address"])
    form.village_combo.setCurrentIndex(form.village_combo.findText("桂花村"))
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("投诉"))
    form.category_combo.setCurrentIndex(form.category_combo.findText("环境卫生"))
    form.content_edit.setPlainText(base["content"])


@pytest.fixture
def town(admin):
    offices.add_village(admin, "桂花村")
    return admin


# --- the board ------------------------------------------------------------------------------


def test_the_board_opens_on_the_demo_in_flow_order_with_colours(demo, make_window, qtbot):
    page = hotline_page(make_window(demo))
    settle(qtbot)
    model = page.board.model
    assert model.rowCount() == len(board.ids()) > 20
    assert page.board.stack.currentIndex() == 0
    states = [r.state for r in board.rows_for(model.ids())]
    order = list(dict.fromkeys(states))
    assert order == [s for s in board.STATE_ORDER if s in order]  # grouped in the flow's order
    colours = {model.data(model.index(r, 3), Qt.ItemDataRole.BackgroundRole) is not None
               for r in range(model.rowCount())}
    assert colours == {True, False}
    page.board.show_deadline("red")
    assert model.rowCount() and all(r.colour == "red" for r in board.rows_for(model.ids()))
    assert page.board.state_buttons["dispatched"].text().startswith("待签收")
    dialog = page.open_ticket(model.id_at(0))
    qtbot.addWidget(dialog)
    assert dialog.detail.row.id == model.id_at(0) and dialog.events.order


def test_start_page_links_open_the_right_place(demo, make_window):
    window = make_window(demo)
    page = hotline_page(window)
    for target, tab, check in (("hotline/red", 0, lambda: page.board.source.deadline == "red"),
                               ("hotline/dispatched", 0, lambda: page.board.source.state == "dispatched"),
                               ("hotline/supervise", 0, lambda: page.board.model.rowCount() >= 1),
                               ("hotline/extensions", 0, lambda: page.board.model.rowCount() == 1),
                               ("hotline/hot", 1, lambda: True), ("hotline/meetings", 1, lambda: True),
                               ("hotline/month", 2, lambda: (page.month.wait(), page.month.values["received"].text() != "—")[1])):
        assert window.show_page(target)
        assert page.tabs.currentIndex() == tab and check(), target
    window.show_page("home")
    cards = [c for c in window.page("home").cards if c.item.target_page.startswith("hotline/")]
    assert {c.item.target_page for c in cards} >= {"hotline/red", "hotline/supervise", "hotline/extensions",
                                              "hotline/dispatched", "hotline/month"}
    for card in cards:
        window.page("home")._open_target(card.item.target_page)
        assert window.current_page_key() == "hotline", card.item.target_page
        window.show_page("home")


def test_the_board_on_an_empty_database_says_what_belongs_there(admin, make_window, qtbot):
    page = hotline_page(make_window(admin))
    settle(qtbot)
    assert page.board.stack.currentIndex() == 1 and page.board.first_button.isVisible()
    page.board.first_button.click()
    forms = page.findChildren(TicketForm)
    assert len(forms) == 1 and forms[0].isVisible()
    page.tabs.setCurrentIndex(1)
    settle(qtbot)
    assert page.hot.empty_label.isVisible() and "热点问题" in page.hot.empty_label.text()
    page.tabs.setCurrentIndex(2)
    settle(qtbot)
    page.month.wait()  # the month's figures are counted in the background
    assert page.month.values["received"].text() == "0 件"


# --- the form -------------------------------------------------------------------------------


def test_the_form_points_at_duplicates_and_merges_into_one(town, make_window, qtbot):
    first = tickets.receive(town, {"caller_phone": "13800138000", "address": "桂花村3组", "village_id": "桂花村",
                                   "kind": "投诉", "category": "环境卫生", "content": "垃圾没人收"})
    page = hotline_page(make_window(town))
    form = page.new_ticket()
    assert not form.hint.isVisible()
    form.phone_edit.setText("138 0013 8000")
    qtbot.waitUntil(lambda: form.hint.isVisible(), timeout=2000)
    assert form.hint.model.rowCount() == 1 and form.hint.selected().number == first.number
    assert form.hint.model.data(form.hint.model.index(0, 4)) == "同一电话"
    fill_form(form)
    assert form.save_and_merge()
    saved = tickets.get(form.ticket_id)
    assert saved.state == "merged" and saved.merged_into == first.id
    assert first.number in page.message.text()


def test_a_bad_phone_is_refused_under_its_field_and_nothing_is_written(town, make_window, qtbot):
    page = hotline_page(make_window(town))
    form = page.new_ticket()
    fill_form(form, phone="12345")
    form.content_edit.setPlainText("")
    assert not form.save()
    assert "不是电话号码" in form.errors.message("caller_phone")
    assert form.errors.message("content")
    assert form.isVisible() and board.ids() == []
    form.phone_edit.clear()
    qtbot.keyClicks(form.phone_edit, "13800138000")
    assert not form.errors.message("caller_phone")  # editing clears the message


def test_a_ticket_goes_through_dispatch_sign_reply_and_visit_in_the_gui(town, make_window, qtbot):
    page = hotline_page(make_window(town))
    form = page.new_ticket()
    fill_form(form)
    assert form.save()
    dialog = page.open_ticket(form.ticket_id)
    qtbot.addWidget(dialog)
    shown = [k for k, b in dialog.step_buttons.items() if b.isVisibleTo(dialog)]
    assert shown == ["dispatch", "merge"]
    step = dialog.take_step("dispatch")
    assert step.target_combo.currentData() == "village"
    step.submit()
    assert dialog.detail.row.state == "dispatched" and dialog.detail.row.assignee == "桂花村"
    dialog.take_step("sign").submit()
    step = dialog.take_step("reply")
    step.submit()
    assert "请填写答复内容" in step.errors.message("reply") and dialog.detail.row.state == "signed"
    step.reply_edit.setPlainText("垃圾已清运，增设一个垃圾桶")
    step.submit()
    assert dialog.detail.row.state == "replied"
    visit = dialog.take_step("visit")
    assert not visit.redo_check.isEnabled()
    visit.result_buttons["不满意"].setChecked(True)
    assert visit.redo_check.isEnabled()
    visit.result_buttons["满意"].setChecked(True)
    assert not visit.redo_check.isEnabled() and not visit.redo_check.isChecked()
    visit.submit()
    assert dialog.detail.row.visit_result == "满意"
    assert dialog.step_buttons["close"].isVisibleTo(dialog)
    dialog.take_step("close").submit()
    assert [e.action_label for e in dialog.detail.events] == ["受理", "派单", "签收", "答复", "回访", "办结"]
    assert dialog.events_model.rowCount() == 6
    assert page.board.source.counts("")["closed"] == 1


def test_an_unhappy_visit_because_of_the_handling_reopens_the_ticket(town, make_window, qtbot):
    page = hotline_page(make_window(town))
    form = page.new_ticket()
    fill_form(form)
    form.save()
    dialog = page.open_ticket(form.ticket_id)
    qtbot.addWidget(dialog)
    dialog.take_step("dispatch").submit()
    dialog.take_step("sign").submit()
    step = dialog.take_step("reply")
    step.reply_edit.setPlainText("已清运")
    step.submit()
    visit = dialog.take_step("visit")
    visit.result_buttons["不满意"].setChecked(True)
    visit.redo_check.setChecked(True)
    visit.submit()
    assert dialog.detail.row.state == "redo" and dialog.detail.row.redo_count == 1


# --- who sees the caller --------------------------------------------------------------------


def test_a_clerk_cannot_see_the_caller(town, make_window, qtbot):
    row = tickets.receive(town, {"caller_name": "张三丰", "caller_phone": "13800138000", "village_id": "桂花村",
                                 "kind": "投诉", "category": "环境卫生", "content": "垃圾没人收"})
    page = hotline_page(make_window(CLERK))
    dialog = page.open_ticket(row.id)
    qtbot.addWidget(dialog)
    assert not dialog.caller_button.isVisibleTo(dialog)
    assert dialog.caller_label.text() == "张** 138****8000"
    assert "13800138000" not in page.board.model.data(page.board.model.index(0, 5))
    with pytest.raises(PermissionDenied):
        tickets.caller(CLERK, row.id)
    assert dialog.reveal_caller() is None


def test_a_reviewer_sees_the_caller_and_is_told_it_is_audited(town, make_window, qtbot):
    from civdesk.office import audit

    row = tickets.receive(town, {"caller_name": "张三丰", "caller_phone": "13800138000", "village_id": "桂花村",
                                 "kind": "投诉", "category": "环境卫生", "content": "垃圾没人收"})
    page = hotline_page(make_window(REVIEWER))
    dialog = page.open_ticket(row.id)
    qtbot.addWidget(dialog)
    assert dialog.caller_button.isVisibleTo(dialog) and "审计" in dialog.caller_hint.text()
    dialog.caller_button.click()
    assert "13800138000" in dialog.caller_label.text() and "已记入审计日志" in dialog.caller_hint.text()
    logged = audit.rows(town, audit.matching_ids(town, audit.AuditFilter()))
    assert any("来电人" in (r.note or "") for r in logged.values())


# --- fitting the office screens -------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_pages_and_dialogs_fit(demo, make_window, qtbot, size, monkeypatch):
    monkeypatch.setattr("ui.widgets.fit.available_size", lambda widget=None: QSize(*size))
    page = hotline_page(make_window(demo, size))
    found = []
    for index in range(3):
        page.tabs.setCurrentIndex(index)
        settle(qtbot)
        for view in page.tabs.currentWidget().findChildren(type(page.board.view)):
            if view.isVisible() and view.horizontalHeader().length() > view.viewport().width() + 1:
                found.append(f"tab {index}: columns need {view.horizontalHeader().length()} px, "
                             f"the view has {view.viewport().width()}")
    page.tabs.setCurrentIndex(0)
    dialogs = [page.new_ticket(), page.open_ticket(page.board.model.id_at(0))]
    for dialog in dialogs:
        settle(qtbot)
        room = dialog.rect()
        if dialog.width() > size[0] or dialog.height() + 32 > size[1]:
            found.append(f"{dialog.windowTitle()} is {dialog.width()}×{dialog.height()}")
        for button in dialog.findChildren(QPushButton):
            if not button.isVisible() or dialog.scroll.isAncestorOf(button):
                continue
            if not room.contains(QRect(button.mapTo(dialog, QPoint(0, 0)), button.size())):
                found.append(f"{dialog.windowTitle()}: 「{button.text()}」 out of sight")
    assert not found, "\n".join(found)


# --- 延期, photos, hot issues, the 通报 -----------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_extension_asked_by_the_handler_and_approved_by_a_reviewer(town, make_window, qtbot, tmp_path):
    row = tickets.receive(town, {"caller_phone": "13800138000", "village_id": "桂花村", "kind": "投诉",
                                 "category": "环境卫生", "content": "垃圾没人收"})
    page = hotline_page(make_window(town))
    dialog = page.open_ticket(row.id)
    qtbot.addWidget(dialog)
    dialog.take_step("dispatch").submit()
    dialog.take_step("sign").submit()
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    note = dialog.take_step("note")
    note.note_edit.setPlainText("到现场查看，已通知保洁员")
    note.add_photos([str(photo)])
    note.submit()
    assert dialog.files_model.rowCount() == 1 and dialog.files_view.isVisibleTo(dialog)
    dialog.files_view.selectRow(0)
    dialog.save_file(str(tmp_path / "saved.png"))
    assert (tmp_path / "saved.png").read_bytes() == PNG
    ask = dialog.take_step("extend")
    ask.reason_edit.setPlainText("需要协调环卫公司")
    ask.submit()
    assert not dialog.step_buttons["extend"].isVisibleTo(dialog)  # one request at a time
    assert dialog.decide_button.isVisibleTo(dialog)
    old_due = dialog.detail.row.handle_due
    dialog.decide().submit()
    assert dialog.detail.extensions[0].state == "approved" and dialog.detail.row.handle_due > old_due
    assert not dialog.decide_button.isVisibleTo(dialog)


def test_a_refused_step_says_why_and_writes_nothing(town, make_window, qtbot):
    row = tickets.receive(town, {"caller_phone": "13800138000", "village_id": "桂花村", "kind": "投诉",
                                 "category": "环境卫生", "content": "垃圾没人收", "received_at": "2026-11-02 09:00"})
    page = hotline_page(make_window(town))
    dialog = page.open_ticket(row.id)
    qtbot.addWidget(dialog)
    step = dialog.take_step("dispatch")
    step.time_edit.setText("2026-11-01 09:00")
    step.submit()
    assert "不能早于受理" in step.errors.message("time") and step.isVisible()
    assert tickets.get(row.id).state == "received"


def test_the_hot_issue_gets_its_meeting_and_the_month_its_report(demo, make_window, qtbot, tmp_path,
                                                                 no_blocking_boxes):
    window = make_window(demo)
    page = hotline_page(window)
    window.show_page("hotline/meetings")
    issue = page.hot.issue()
    assert issue is not None and issue.closed and page.hot.tasks_model.rowCount() >= 1
    page.hot.tasks_view.selectRow(0)
    page.hot.finish_task()
    assert "完成" in page.hot.message.text()
    page.tabs.setCurrentIndex(2)
    page.month.month_combo.setCurrentIndex(page.month.month_combo.findData(issue.month))
    page.month.wait()
    assert "%" in page.month.values["sign"].text()
    pdf, sheet = tmp_path / "通报.pdf", tmp_path / "工单.xlsx"
    assert page.month.write_pdf(str(pdf)).wait(60000)
    assert page.month.write_xlsx(str(sheet)).wait(60000)
    qtbot.waitUntil(lambda: "已导出" in page.month.message.text() or bool(no_blocking_boxes), timeout=3000)
    assert not no_blocking_boxes and sheet.exists()
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_meeting_is_recorded_on_an_open_hot_issue(town, make_window, qtbot):
    for day in (2, 3, 4):
        tickets.receive(town, {"caller_phone": f"1380013800{day}", "village_id": "桂花村", "kind": "投诉",
                               "category": "环境卫生", "content": "垃圾没人收", "received_at": f"2026-11-0{day} 09:00"})
    page = hotline_page(make_window(town))
    page.tabs.setCurrentIndex(1)
    page.hot.month_combo.setCurrentIndex(page.hot.month_combo.findData("2026-11"))
    assert page.hot.issue().count == 3 and page.hot.meeting_button.isEnabled()
    dialog = page.hot.record_meeting()
    dialog.submit()
    assert dialog.errors.message("place") and dialog.isVisible()
    dialog.place_edit.setText("桂花村村委会")
    dialog.attendees_edit.setPlainText("镇文明办王主任、桂花村支书")
    dialog.tasks.item(0, 0).setText("增设垃圾桶")
    dialog.tasks.item(0, 1).setText("桂花村")
    dialog.submit()
    assert not dialog.isVisible() and page.hot.issue().closed
    assert page.hot.tasks_model.rowCount() == 1 and page.hot.linked_model.rowCount() == 3
    shown = page.hot.meeting_label.text()
    assert "在桂花村村委会召开" in shown and "镇文明办王主任、桂花村支书" in shown


def test_a_village_pc_enters_its_own_tickets_and_leaves_dispatch_to_the_township(village_admin, make_window,
                                                                                  qtbot):
    page = hotline_page(make_window(village_admin))
    form = page.new_ticket()
    assert form.village_combo.currentText() == "桂花村" and not form.village_combo.isEnabled()
    fill_form(form)
    assert form.save()
    dialog = page.open_ticket(form.ticket_id)
    qtbot.addWidget(dialog)
    assert not dialog.step_buttons["dispatch"].isVisibleTo(dialog)
    assert tickets.get(form.ticket_id).village_id == tickets.own_village()


def test_a_reviewer_merges_a_duplicate_from_the_ticket(town, make_window, qtbot):
    values = {"address": "桂花村3组", "village_id": "桂花村", "kind": "投诉", "category": "环境卫生",
              "content": "垃圾没人收"}
    first = tickets.receive(town, {**values, "caller_phone": "13800138000"})
    second = tickets.receive(town, {**values, "caller_phone": "13900139000"})
    page = hotline_page(make_window(REVIEWER))
    dialog = page.open_ticket(second.id)
    qtbot.addWidget(dialog)
    step = dialog.take_step("merge")
    assert step.target_combo.currentData() == first.number
    step.submit()
    assert dialog.detail.row.state == "merged" and dialog.detail.row.merged_into == first.number
    assert not any(b.isVisibleTo(dialog) for k, b in dialog.step_buttons.items())
    assert page.board.source.counts("")["merged"] == 1


def test_the_ticket_warns_when_a_deadline_was_counted_without_holidays(town, make_window, qtbot, monkeypatch):
    row = tickets.receive(town, {"caller_phone": "13800138000", "village_id": "桂花村", "kind": "投诉",
                                 "category": "环境卫生", "content": "垃圾没人收"})
    monkeypatch.setattr("civdesk.hotline.deadlines.calendar_warning",
                        lambda start, end: "未录入 2027 年放假安排，期限按周一至周五计算")
    page = hotline_page(make_window(town))
    dialog = page.open_ticket(row.id)
    qtbot.addWidget(dialog)
    assert dialog.calendar_label.isVisibleTo(dialog) and "2027" in dialog.calendar_label.text()


def test_a_read_only_database_offers_no_step(demo, qtbot, tmp_path):
    window = MainWindow(Session(demo, db.state.path, read_only=True, read_only_reason="另一台电脑正在使用"),
                        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    page = hotline_page(window)
    assert not page.board.new_button.isEnabled() and not page.month.pdf_button.isEnabled()
    dialog = page.open_ticket(page.board.model.id_at(0))
    qtbot.addWidget(dialog)
    assert not any(b.isVisibleTo(dialog) for b in dialog.step_buttons.values())


def test_a_department_is_chosen_from_the_list_and_old_names_are_mapped_in_settings(town, make_window, qtbot):
    from civdesk.core import changes
    from civdesk.hotline import departments, flow
    from ui.office.settings_values import ValuesTab

    window = make_window(town)
    page = hotline_page(window)
    form = page.new_ticket()
    fill_form(form)
    assert form.save()
    dialog = page.open_ticket(form.ticket_id)
    qtbot.addWidget(dialog)
    step = dialog.take_step("dispatch")
    step.target_combo.setCurrentIndex(step.target_combo.findData("department"))
    listed = [step.department_combo.itemText(i) for i in range(step.department_combo.count())]
    assert listed == departments.names() and "镇城管中队" in listed
    step.department_combo.setCurrentText("镇综合执法办")
    step.submit()
    assert dialog.detail.row.assignee == "镇综合执法办"
    # a ticket from before the list names a department typed by hand
    old = tickets.receive(town, {"received_at": "2026-11-02 09:00", "channel": "来电", "caller_phone": "13900139009",
                                 "address": "镇街", "kind": "投诉", "category": "环境卫生", "content": "路灯不亮已有三天"})
    flow.dispatch(town, old.id, department="镇城管中队", at="2026-11-02 10:00")
    changes.update(tickets.get(old.id), town, {"assignee": "城管队"})
    tab = ValuesTab(window.session)
    qtbot.addWidget(tab)
    mapping = tab.department_mapping
    assert not mapping.isHidden() and mapping.value_combo.currentData() == "城管队"
    mapping.target_combo.setCurrentText("镇城管中队")
    assert mapping.map_selected() == 1
    assert tickets.get(old.id).assignee == "镇城管中队" and mapping.value_combo.count() == 0
    assert mapping.value_combo.isHidden() and "对应到「镇城管中队」" in mapping.message.text()
    changes.update(tickets.get(old.id), town, {"assignee": "镇环保 办"})
    mapping.refresh()
    assert mapping.add_selected()
    assert "镇环保办" in tab.editors[departments.KEY].names() and "镇环保办" in departments.names()
