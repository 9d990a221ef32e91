"""督查与整改 in the GUI: the board on the demo and on an empty database, an inspection with a
finding recorded from the form, a notice issued in working days with its due date, a non-image
photo refused by its field with nothing written, a failed 复查 that vetoes the organisation's
application, 工作台 links, and every screen inside 1366×728 and 1280×658."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractScrollArea, QApplication

from civdesk.calendar import holidays
from civdesk.core import db
from civdesk.supervision import inspections, photos, rectification
from civdesk.supervision.models import Finding, Inspection, Notice, Photo
from civdesk.units import workflow as unit_workflow
from tests.supervision.helpers import SERVED, notice, photo
from tests.support.databases import admin_actor, copy_db, open_db
from tests.support.units import application, org
from ui.main_window import MainWindow
from ui.session import Session
from ui.supervision.notice_editor import NoticeEditor
from ui.supervision.notice_page import NoticePage

SIZES = {"1366x728": (1366, 728), "1280x658": (1280, 658)}


def quiet(*_args) -> None:
    pass


@pytest.fixture(scope="module")
def supervision_demo_template(township_template, tmp_path_factory):
    """The township with the demo's organisations, applications and year of supervision."""
    from civdesk.demo import foundation
    from civdesk.demo import supervision as supervision_demo
    from civdesk.demo import units as unit_demo

    path = tmp_path_factory.mktemp("supervision-demo") / "demo.sqlite3"
    copy_db(township_template, path)
    open_db(path)
    rng = random.Random(7)
    for step in (foundation.fill, unit_demo.fill, supervision_demo.fill):
        step(admin_actor(), rng, quiet)
    db.close_database()
    return path


@pytest.fixture
def demo(supervision_demo_template, tmp_path):
    path = tmp_path / "demo.sqlite3"
    copy_db(supervision_demo_template, path)
    open_db(path)
    return admin_actor()


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(actor, size=(1366, 728)):
        window = MainWindow(Session(actor, db.state.path), QSettings(str(tmp_path / "ui.ini"),
                                                                     QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(*size)
        return window
    return make


def settle(qtbot) -> None:
    QApplication.processEvents()
    qtbot.wait(5)
    QApplication.processEvents()


def _in_scroll_area(widget, root) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def fit_problems(root, where: str) -> list[str]:
    """Lists scrolling sideways and buttons out of sight (as the screens issue's fit test)."""
    found = []
    for view in root.findChildren(QAbstractItemView):
        if view.isVisible() and view.horizontalScrollBar().maximum() > 0:
            found.append(f"{where}: a list scrolls sideways")
        if view.isVisible() and view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            header = getattr(view, "horizontalHeader", None)
            if header is not None and header().length() > view.viewport().width() + 1:
                found.append(f"{where}: columns wider than their list ({header().length()} > "
                             f"{view.viewport().width()})")
    for button in root.findChildren(QAbstractButton):
        if button.isVisible() and not _in_scroll_area(button, root):
            rect = QRect(button.mapTo(root, QPoint(0, 0)), button.size())
            if not root.rect().contains(rect):
                found.append(f"{where}: the button 「{button.text()}」 lies outside")
    return found


# --- the board --------------------------------------------------------------------------------


def test_the_board_opens_on_the_demo_with_colours_rounds_and_working_days(demo, make_window, qtbot):
    window = make_window(demo)
    assert window.show_page("supervision")
    page = window.pages["supervision"]
    rows = rectification.notices(open_only=True)
    assert page.notices.rowCount() == len(rows) > 0 and not page.empty.isVisible()
    texts = [page.notices.item(r, 6).text() for r in range(page.notices.rowCount())]
    assert any(t.startswith("逾期") for t in texts) and any(t.startswith("剩") for t in texts)
    states = [page.notices.item(r, 7).text() for r in range(page.notices.rowCount())]
    assert "督办" in states
    red = next(r for r in range(len(rows)) if rows[r].colour == "red" and not rows[r].escalated)
    assert page.notices.item(red, 0).background().color().name() == "#f8d3cf"
    assert page.rounds.isVisibleTo(page) and page.rounds.rowCount() >= 1, "柳林村's missed round"
    # Filters: 已销号 shows closed notices only; a village shows its own.
    page.state_combo.setCurrentIndex(page.state_combo.findData("passed"))
    assert page.notices.rowCount() == len(rectification.notices(state="passed")) > 0
    village = rows[0].village_id
    page.state_combo.setCurrentIndex(page.state_combo.findData(""))
    page.village_combo.setCurrentIndex(page.village_combo.findData(village))
    assert {page.notices.item(r, 2).text() for r in range(page.notices.rowCount())} == {rows[0].village_name}


def test_opening_the_board_sweeps_overdue_notices_off_the_gui_thread(admin, make_window, qtbot, tmp_path,
                                                                      monkeypatch):
    import threading

    from civdesk.supervision import sanitation

    app = application(admin, "sweep", assessed=92)
    served = dt.date.today() - dt.timedelta(days=40)
    if served.year != dt.date.today().year:
        served = dt.date(dt.date.today().year, 1, 5)
    issued = notice(admin, tmp_path, served=served, days=1)
    threads = []
    real = sanitation.sweep
    monkeypatch.setattr(sanitation, "sweep", lambda *a: threads.append(threading.current_thread()) or real(*a))
    window = make_window(admin)
    window.show_page("supervision")
    page = window.pages["supervision"]
    handle = page.sweep_task
    qtbot.waitUntil(lambda: handle.is_done, timeout=60000)
    assert threads and threads[0] is not threading.main_thread()
    (veto,) = unit_workflow.active_vetoes(app.id)
    assert issued.number in veto.evidence
    assert "一票否决" in page.message.text()
    assert page.sweep() is None, "once a day per session"


def test_the_board_on_an_empty_database_says_what_belongs_there(admin, make_window, qtbot):
    window = make_window(admin)
    window.show()
    window.show_page("supervision")
    page = window.pages["supervision"]
    assert page.empty.isVisible() and not page.notices.isVisible()
    assert page.empty.button.isVisible() and "下发第一份" in page.empty.button.text()
    assert "都已按计划完成" in page.rounds_label.text()
    page.tabs.setCurrentIndex(1)
    assert page.records_empty.isVisible() and page.records_empty.button.text() == "登记第一次督查…"
    window.show_page("frontage")
    frontage = window.pages["frontage"]
    assert frontage.empty.isVisible() and frontage.empty.button.text() == "登记第一个责任户…"
    dialog = frontage.empty.button.click() or frontage.dialog
    qtbot.addWidget(dialog)
    dialog.name.setText("老王面馆")
    dialog.address.setText("清溪镇主街 12 号")
    dialog.responsible.setText("王德福")
    dialog.phone.setText("13812345678")
    assert dialog.save()
    assert frontage.table.rowCount() == 1 and frontage.table.item(0, 5).text() == "138****5678"


def test_start_page_items_open_the_board_where_they_are_dealt_with(demo, make_window, qtbot):
    window = make_window(demo)
    window.show_page("home")
    home = window.pages["home"]
    cards = [c for c in home.cards if c.item.kind.startswith("supervision_")]
    assert {c.item.target_page for c in cards} == {"supervision/rounds", "supervision/notices"}
    window.pages.get("supervision") or window.page("supervision")
    page = window.pages["supervision"]
    page.state_combo.setCurrentIndex(page.state_combo.findData("passed"))
    page.tabs.setCurrentIndex(1)
    notice_card = next(c for c in cards if c.item.target_page == "supervision/notices")
    qtbot.mouseClick(notice_card, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "supervision" and page.tabs.currentIndex() == 0
    assert page.state_combo.currentData() == "open"
    window.show_page("home")
    round_card = next(c for c in window.pages["home"].cards if c.item.target_page == "supervision/rounds")
    qtbot.mouseClick(round_card, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "supervision" and page.rounds.currentRow() == 0


# --- forms ------------------------------------------------------------------------------------


def test_an_inspection_with_a_finding_is_recorded_from_the_form(admin, make_window, qtbot, tmp_path):
    made = org(admin)
    window = make_window(admin)
    window.show_page("supervision")
    page = window.pages["supervision"]
    dialog = page.new_inspection()
    qtbot.addWidget(dialog)
    dialog.mechanism.setCurrentText("镇容环境卫生")
    dialog.day.set_value(dt.date(2026, 3, 2))
    dialog.inspectors.setText("李秀英、王强")
    dialog.target.set_target("org", made.id)
    dialog.set_result("道路、街面无垃圾杂物、无积水", "pass")
    dialog.set_result("环境卫生总体状况", "9")
    box = dialog.add_finding()
    box.description.setText("主干道两侧堆放建筑垃圾")
    assert box.photos.add_paths([photo(tmp_path)])
    assert box.photos.strip.count == 1, "the photo is previewed"
    assert dialog.save()
    (row,) = Inspection.select()
    (finding,) = Finding.select()
    assert row.org_id == made.id and finding.description == "主干道两侧堆放建筑垃圾"
    assert [p.file_name for p in photos.rows([finding.id])] == ["before.png"]
    assert "发现 1 个问题" in page.message.text()
    page.tabs.setCurrentIndex(1)
    assert page.records.rowCount() == 1 and page.records.item(0, 6).text() == "1"


def test_a_form_with_bad_input_writes_nothing_and_says_where(admin, make_window, qtbot):
    window = make_window(admin)
    window.show_page("supervision")
    dialog = window.pages["supervision"].new_inspection()
    qtbot.addWidget(dialog)
    dialog.set_result(dialog.lines[-1].name, "99")
    dialog.add_finding().description.setText("脏")
    assert not dialog.save()
    assert dialog.errors.message("inspectors") == "请填写督查人员"
    assert dialog.errors.message("target") == "请选择创建单位"
    assert "得分应在 0 到" in dialog.errors.message("checklist")
    assert "至少 2 个字" in dialog.findings[0].error.text()
    assert Inspection.select().count() == 0 and Finding.select().count() == 0


def test_a_non_image_photo_is_refused_by_its_field_and_nothing_is_written(admin, make_window, qtbot, tmp_path):
    made = org(admin)
    fake = tmp_path / "现场照片.jpg"
    fake.write_text("这不是照片", encoding="utf-8")
    window = make_window(admin)
    window.show_page("supervision")
    dialog = window.pages["supervision"].new_inspection()
    qtbot.addWidget(dialog)
    dialog.inspectors.setText("李秀英")
    dialog.target.set_target("org", made.id)
    box = dialog.add_finding()
    box.description.setText("垃圾箱满溢")
    assert not box.photos.add_paths([str(fake)])
    assert "「现场照片.jpg」不是照片" in box.photo_error.text() and not box.photo_error.isHidden()
    assert box.photos.files == [] and box.photos.strip.count == 0
    assert Photo.select().count() == 0 and Inspection.select().count() == 0
    dialog.add_finding().description.setText("脏")  # refused: the form stays open
    assert not dialog.save() and "不是照片" in box.photo_error.text(), "the refusal stays while the form is open"
    assert Inspection.select().count() == 0
    # The 整改 report's photo field refuses it the same way.
    issued = notice(admin, tmp_path)
    page = NoticePage(window.session, issued.id, window)
    qtbot.addWidget(page)
    assert not page.report_photos.add_paths([str(fake)])
    assert "不是照片" in page.report_photos.error.text()
    page.report_text.setPlainText("已清运建筑垃圾")
    assert page.report(), "the report goes without the refused file"
    assert Photo.select().where(Photo.stage == "after").count() == 0


def test_a_notice_issued_in_working_days_shows_its_due_date(admin, make_window, qtbot, tmp_path):
    made = org(admin)
    _, ins = None, inspections.record(admin, {
        "day": SERVED, "mechanism": "镇容环境卫生", "inspectors": "李秀英", "target_kind": "org", "org": made.id},
        [inspections.FindingInput("主干道两侧堆放建筑垃圾", "", [photo(tmp_path)])])
    window = make_window(admin)
    window.show_page("supervision")
    page = window.pages["supervision"]
    editor = page.new_notice()
    qtbot.addWidget(editor)
    assert isinstance(editor, NoticeEditor)
    editor.target.set_target("org", made.id)
    assert editor.responsible.text() == "王村长", "the organisation's contact person"
    assert editor.findings.rowCount() == 1 and editor.photos.count == 0
    finding = inspections.findings_of([ins.id])[0]
    editor.tick(finding.id)
    assert editor.photos.count == 1, "the ticked finding's photo is shown"
    editor.served.set_value(SERVED)
    editor.deadline.days.setValue(10)
    due = holidays.add_workdays(SERVED, 10).day
    assert str(due) in editor.deadline.due.text() and "10 个工作日" in editor.deadline.due.text()
    editor.deadline.days.setValue(3)
    assert str(holidays.add_workdays(SERVED, 3).day) in editor.deadline.due.text(), "the due date follows the days"
    editor.deadline.days.setValue(10)
    editor.requirements.setPlainText("立即清运建筑垃圾，恢复路面整洁")
    assert editor.save()
    (row,) = Notice.select()
    assert row.deadline == due and row.deadline_days == 10
    page.state_combo.setCurrentIndex(page.state_combo.findData(""))
    assert page.notices.item(0, 5).text() == str(due)
    assert str(due) in page.message.text()


def test_a_deadline_before_the_served_date_is_refused_by_its_field(admin, make_window, qtbot):
    made = org(admin)
    window = make_window(admin)
    window.show_page("supervision")
    editor = window.pages["supervision"].new_notice(target=("org", made.id))
    qtbot.addWidget(editor)
    editor.problems.setPlainText("垃圾乱堆")
    editor.requirements.setPlainText("立即清理干净")
    editor.served.set_value(dt.date(2026, 3, 10))
    editor.deadline.by_date.setChecked(True)
    editor.deadline.date.set_value(dt.date(2026, 3, 5))
    assert "早于送达日期" in editor.deadline.due.text()
    assert not editor.save()
    assert "早于送达日期" in editor.errors.message("deadline")
    assert Notice.select().count() == 0


def test_a_failed_review_from_the_notice_page_vetoes_the_application(admin, make_window, qtbot, tmp_path):
    app = application(admin, "notice", assessed=92)
    issued = notice(admin, tmp_path)
    window = make_window(admin)
    page = NoticePage(window.session, issued.id, window)
    qtbot.addWidget(page)
    assert page.review_box.isVisibleTo(page) and page.problem_layout.count() >= 2
    page.report_day.set_value(dt.date(2026, 3, 6))
    page.report_text.setPlainText("已清运大部分建筑垃圾")
    assert page.report_photos.add_paths([photo(tmp_path, "after.png", (40, 160, 40)),
                                         photo(tmp_path, "wide.png", (40, 120, 40))])
    assert page.report_pairs_row.isVisibleTo(page) and len(page.report_pairs.combos) == 2
    (choice,) = page.pair_view.choices
    page.report_pairs.choose(1, choice.id)  # the second photo answers the problem; the first, a wide view, none
    assert page.report()
    assert page.pair_layout.count() == 2, "one before/after pair and the stretch"
    (pair,) = page.pair_view.pairs
    assert (pair[0].id, pair[1].file_name) == (choice.id, "wide.png")
    assert [a.file_name for a in page.pair_view.unpaired_after] == ["after.png"]
    assert page.pairs_view.after_strip.isVisibleTo(page) and not page.pairs_view.before_strip.isVisibleTo(page)
    page.review_fail.setChecked(True)
    page.review_day.set_value(dt.date(2026, 3, 10))
    page.review_text.setPlainText("路边仍有建筑垃圾")
    page.new_deadline.days.setValue(3)
    assert str(holidays.add_workdays(dt.date(2026, 3, 10), 3).day) in page.new_deadline.due.text()
    assert page.review()
    (veto,) = unit_workflow.active_vetoes(app.id)
    assert veto.source == "inspection" and issued.number in veto.evidence and "复查未通过" in veto.reason
    assert "复查未通过" in page.history.item(page.history.rowCount() - 2, 1).text()
    assert "一票否决" in page.message.text()


def test_the_notice_pdf_is_written_from_its_page(admin, make_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("ui.widgets.pdf_save.QDesktopServices.openUrl", lambda url: True)
    issued = notice(admin, tmp_path)
    window = make_window(admin)
    page = NoticePage(window.session, issued.id, window)
    qtbot.addWidget(page)
    target = tmp_path / "notice.pdf"
    handle = page.print_notice(str(target))
    qtbot.waitUntil(lambda: handle.is_done, timeout=60000)
    assert target.read_bytes().startswith(b"%PDF")


# --- fit --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_every_supervision_screen_fits(demo, make_window, qtbot, monkeypatch, size):
    from ui.app import configure_application

    configure_application(QApplication.instance())
    monkeypatch.setattr("ui.widgets.fit.available_size", lambda widget=None: QSize(*size))
    window = make_window(demo, size)
    window.show()
    found = []
    for key in ("supervision", "frontage"):
        window.show_page(key)
        settle(qtbot)
        found += fit_problems(window.pages[key], key)
    page = window.pages["supervision"]
    page.tabs.setCurrentIndex(1)
    settle(qtbot)
    found += fit_problems(page, "督查记录")
    page.tabs.setCurrentIndex(0)
    page.notices.selectRow(0)
    frontage = window.pages["frontage"]
    frontage.table.selectRow(0)
    dialogs = {"inspection": page.new_inspection(), "notice editor": page.new_notice(),
               "notice page": page.open_notice(), "holder": frontage.add()}
    dialogs["inspection"].add_finding()
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot)
        if dialog.width() > size[0] or dialog.height() + 32 > size[1]:
            found.append(f"{name}: {dialog.width()}×{dialog.height()}")
        found += fit_problems(dialog, name)
        dialog.reject()
    assert not found, "\n".join(found)


def test_a_notice_is_issued_from_an_inspection_record(demo, make_window, qtbot):
    window = make_window(demo)
    window.show()
    window.show_page("supervision")
    page = window.pages["supervision"]
    page.tabs.setCurrentIndex(1)
    assert page.record_notice_button.isVisible()
    with_problem = next(r for r in range(page.records.rowCount()) if page.records.item(r, 6).text())
    page.records.selectRow(with_problem)
    editor = page.notice_from_inspection()
    qtbot.addWidget(editor)
    assert editor.ticked() and editor.target.name() == page.records.item(with_problem, 3).text()


def test_a_village_clerk_records_its_own_self_inspections(village_admin, make_window, qtbot):
    from civdesk.core.actor import Actor
    from civdesk.office import offices
    from civdesk.units import organisations as unit_orgs

    own = offices.own_office()
    clerk = Actor("zhangli", "张丽", "clerk")
    made = unit_orgs.create_org(clerk, {"name": "桂花村", "kind": "村", "village_id": own.id, "contact_person": "王村长"})
    window = make_window(clerk)
    window.show_page("supervision")
    page = window.pages["supervision"]
    assert not page.notice_button.isVisibleTo(page) and not page.empty.button.isVisibleTo(page)
    dialog = page.new_inspection()
    qtbot.addWidget(dialog)
    assert list(dialog.target.orgs) == [made.id]
    assert not dialog.target.village.isEnabled() and dialog.target.village.currentData() == own.id
    dialog.inspectors.setText("张丽")
    dialog.target.set_target("org", made.id)
    assert dialog.save()
    assert Inspection.get().kind == "自查"


def test_the_summary_is_written_as_pdf_and_xlsx_and_a_round_opens_the_form(demo, make_window, qtbot, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr("ui.widgets.pdf_save.QDesktopServices.openUrl", lambda url: True)
    window = make_window(demo)
    window.show_page("supervision")
    page = window.pages["supervision"]
    page.period_kind.setCurrentIndex(1)
    assert "Q" in page.period_combo.currentText()
    handle = page.summary_pdf(str(tmp_path / "summary.pdf"))
    qtbot.waitUntil(lambda: handle.is_done, timeout=60000)
    assert (tmp_path / "summary.pdf").read_bytes().startswith(b"%PDF")
    page.period_kind.setCurrentIndex(0)
    handle = page.summary_xlsx(str(tmp_path / "summary.xlsx"))
    qtbot.waitUntil(lambda: "督查通报已保存" in page.message.text(), timeout=60000)
    assert (tmp_path / "summary.xlsx").read_bytes().startswith(b"PK")
    page.rounds.selectRow(0)
    dialog = page.inspect_round()
    qtbot.addWidget(dialog)
    assert dialog.round_combo.currentData() == page.rounds.item(0, 0).data(Qt.ItemDataRole.UserRole)[0]


def test_a_deadline_in_a_year_without_its_schedule_shows_the_calendars_warning(admin, make_window, qtbot):
    window = make_window(admin)
    window.show_page("supervision")
    editor = window.pages["supervision"].new_notice()
    qtbot.addWidget(editor)
    editor.served.set_value(dt.date(2026, 12, 28))
    editor.deadline.days.setValue(10)
    result = holidays.add_workdays(dt.date(2026, 12, 28), 10)
    warning = holidays.warning_for(result)
    assert warning, "this test needs a year the calendar does not know"
    assert str(result.day) in editor.deadline.due.text()
    assert not editor.deadline.warning.isHidden() and warning in editor.deadline.warning.text()
    editor.served.set_value(dt.date(2026, 3, 2))
    assert editor.deadline.warning.isHidden()


def test_a_holder_is_refused_by_its_fields_then_edited_and_inspected(admin, make_window, qtbot, tmp_path):
    from civdesk.supervision import holders

    window = make_window(admin)
    window.show_page("frontage")
    page = window.pages["frontage"]
    dialog = page.add()
    qtbot.addWidget(dialog)
    dialog.phone.setText("12345")
    assert not dialog.save()
    assert dialog.errors.message("name") and dialog.errors.message("address") and dialog.errors.message("phone")
    assert holders.rows() == []
    dialog.name.setText("惠民超市")
    dialog.address.setText("清溪镇主街 66 号")
    dialog.responsible.setText("江志明")
    dialog.phone.setText("")
    assert dialog.save()
    page.table.selectRow(0)
    edit = page.edit()
    qtbot.addWidget(edit)
    edit.signed.set_value(dt.date(2026, 1, 11))
    assert edit.save()
    assert page.table.item(0, 6).text() == "2026-01-11"
    form = page.inspect()
    qtbot.addWidget(form)
    assert form.target.kind() == "holder" and form.mechanism.currentText() == "门前三包"
    form.inspectors.setText("李秀英")
    form.set_result(form.lines[0].name, "fail")
    assert form.save()
    assert page.table.item(0, 7).text() == "1 次/1 个问题" and page.table.item(0, 8).text() == "0"
    assert page.history.rowCount() == 1


def test_a_deadline_just_passed_on_a_rest_day_reads_as_passed_not_zero_days_overdue():
    from types import SimpleNamespace

    from ui.supervision.board import days_text
    from ui.supervision.notice_page import state_line

    passed = SimpleNamespace(state="overdue", overdue_workdays=0, workdays_left=0, warning="", colour="red",
                             state_label="逾期")
    assert days_text(passed) == "已过期限" and "已过整改期限" in state_line(passed)
    later = SimpleNamespace(**{**vars(passed), "overdue_workdays": 3})
    assert days_text(later) == "逾期 3 个工作日" and "已逾期 3 个工作日" in state_line(later)
