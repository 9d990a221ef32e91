"""好人评选 in the GUI: a session from recommendation to 公示, 表彰 and upward submission, with
the editor's counters and photo preview, keyboard entry in the scoring grid, recusal marked,
ties shown and decided, and the page registered in the main window."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.demo import nominations as nomination_demo
from civdesk.demo.names import VILLAGES
from civdesk.nominations import nominees as nominations
from civdesk.nominations import review as nomination_review
from civdesk.nominations.models import NomineeHonour
from civdesk.office import offices as office
from tests.support.nominations import PHOTO, make_id, story
from ui.main_window import MainWindow
from ui.nominations.board import NominationsPage
from ui.nominations.editor import NominationEditor
from ui.nominations.forms import SessionDialog
from ui.session import Session

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")


pytestmark = pytest.mark.office(villages=("桂花村", "石桥村"), users=(CLERK, REVIEWER))


@pytest.fixture
def page(admin, qtbot):
    widget = NominationsPage(Session(admin, db.state.path))
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "照片.png"
    path.write_bytes(PHOTO)
    return path


def fill_editor(editor: NominationEditor, name: str, seq: int, category: str, photo_file) -> None:
    editor.name_edit.setText(name)
    editor.id_edit.setText(make_id("19700101", seq))
    editor._id_entered()
    editor.village_combo.setCurrentIndex(editor.village_combo.findText("桂花村"))
    editor.category_combo.setCurrentIndex(editor.category_combo.findText(category))
    editor.summary_edit.setText(f"{name}多年照顾孤寡老人")
    editor.story_edit.setPlainText(story(900, seq))
    editor.recommender_edit.setText("桂花村村民委员会")
    editor.relation_edit.setText("所在村")
    assert editor.choose_file("photo", str(photo_file))


def type_cell(grid, text: str, key=Qt.Key.Key_Return) -> None:
    """Type into the current cell as a clerk does: the first key opens the editor."""
    QTest.keyClicks(grid, text[0])
    editor = grid.indexWidget(grid.currentIndex())
    assert editor is not None and editor.text() == text[0], "typing opened an editor in the cell"
    QTest.keyClicks(editor, text[1:])
    QTest.keyClick(editor, key)
    QApplication.processEvents()  # the delegate commits and closes the editor through queued calls


def test_editor_counters_photo_preview_and_duplicate(page, admin, photo_file, qtbot):
    dialog = SessionDialog(page.session, parent=page)
    dialog.name_edit.setText("清溪镇2026年第4季度身边好人评选")
    assert dialog.save()
    page.load_sessions(dialog.saved_id)
    editor = page.nominations_tab.open_nomination(new=True)
    editor.summary_edit.setText("好" * 141)
    assert editor.summary_counter.text() == "141/140" and "c0392b" in editor.summary_counter.styleSheet()
    editor.story_edit.setPlainText("事" * 799)
    assert editor.story_counter.text().startswith("799 字，还差 1 字")
    editor.story_edit.setPlainText("事" * 800)
    assert editor.story_counter.text().startswith("800 字") and "✓" in editor.story_counter.text()
    fill_editor(editor, "张桂英", 22, "助人为乐", photo_file)
    assert editor.id_hint.text() == "出生日期 1970-01-01，女"
    assert editor.preview.pixmap() is not None and not editor.preview.pixmap().isNull(), "the photo is previewed"
    big = photo_file.parent / "大.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(3 * 1024 * 1024))
    assert not editor.choose_file("photo", str(big)) and "超过了 2 MB 的上限" in editor.file_error.text()
    assert editor.save()
    assert [r.name for r in nominations.rows(page.session_id)] == ["张桂英"]
    assert nominations.first_photo(nominations.rows(page.session_id)[0].id) == PHOTO

    again = page.nominations_tab.open_nomination(new=True)
    fill_editor(again, "张桂英", 22, "孝老爱亲", photo_file)
    assert not again.save()
    assert "同一人在一次评选中只能推荐一次" in again.general.text()
    assert len(nominations.rows(page.session_id)) == 1, "nothing written, the photo neither"
    again.reject()


def test_session_runs_from_recommendation_to_upward_submission(page, admin, photo_file, qtbot, tmp_path,
                                                              monkeypatch):
    created = nominations.create_session(admin, {"name": "清溪镇2026年第4季度身边好人评选", "kind": "quarterly",
                                                 "quotas": {"助人为乐": 1, "孝老爱亲": 1}})
    page.load_sessions(created.id)
    assert page.next_button.text() == "推荐截止，开始初审"
    for name, seq, category in (("张桂英", 22, "助人为乐"), ("李秀兰", 44, "助人为乐"), ("陈志强", 13, "孝老爱亲"),
                                ("王建华", 15, "孝老爱亲")):
        editor = page.nominations_tab.open_nomination(new=True)
        fill_editor(editor, name, seq, category, photo_file)
        assert editor.save(), editor.general.text()

    page.tabs.setCurrentWidget(page.members_tab)
    for name in ("委员甲", "委员乙"):
        page.members_tab.name_edit.setText(name)
        assert page.members_tab.add()
    assert page.next_step()  # 推荐 → 初审
    assert nominations.get_session(created.id).phase == "check"
    page.tabs.setCurrentWidget(page.nominations_tab)
    tab = page.nominations_tab
    rows = {r.name: r.id for r in nominations.rows(created.id)}
    tab.show_session(created.id, rows["王建华"])
    dialog = tab.check(returning=True)
    dialog.reasons.setPlainText("事迹与村委会证明不符，请核实")
    assert dialog.save()
    for name in ("张桂英", "李秀兰", "陈志强"):
        tab.show_session(created.id, rows[name])
        dialog = tab.check(returning=False)
        assert not dialog.save() and "符合推荐条件" in dialog.errors.message("eligible")
        dialog.eligible.setChecked(True)
        assert dialog.save()
    assert page.next_step()  # 初审 → 评议
    assert nominations.get(rows["王建华"]).status == "returned"

    # 评议打分: keyboard entry, one nominee per row; 委员乙 recused from 陈志强
    members = nomination_review.members(created.id)
    nomination_review.declare_recusal(admin, rows["陈志强"], members[1].id, "亲属")
    page.tabs.setCurrentWidget(page.scoring_tab)
    grid = page.scoring_tab.grid
    labels = [grid.verticalHeaderItem(r).text() for r in range(grid.rowCount())]
    assert sorted(labels) == sorted(["张桂英（助人为乐）", "李秀兰（助人为乐）", "陈志强（孝老爱亲）"]), "one nominee a row"
    order = [label.split("（")[0] for label in labels]
    for member_index in (0, 1):
        page.scoring_tab.member_combo.setCurrentIndex(member_index)
        grid.setFocus()
        assert (grid.currentRow(), grid.currentColumn()) == (0, 0)
        for row_name in order:
            if member_index == 1 and row_name == "陈志强":
                r = order.index(row_name)
                assert grid.item(r, 0).text() == "回避" and not grid.item(r, 0).flags() & Qt.ItemFlag.ItemIsEnabled
                continue
            for number in range(4):
                type_cell(grid, str(85 + number), Qt.Key.Key_Tab if number % 2 else Qt.Key.Key_Return)
        totals = [grid.item(r, 4).text() for r in range(grid.rowCount())]
        assert totals[order.index("张桂英")] == "86.35", "85×30% + 86×25% + 87×25% + 88×20%, shown at once"
    member0 = members[0].id
    scores = nomination_review.current_scores(nominations.get_session(created.id))
    assert scores[(rows["张桂英"], member0, "事迹真实性")] == 85 and scores[(rows["李秀兰"], member0, "示范意义")] == 88
    # a wrong value is refused with a message and not saved
    page.scoring_tab.member_combo.setCurrentIndex(0)
    grid.setCurrentCell(0, 0)
    type_cell(grid, "120")
    assert "0 到 100 之间" in page.scoring_tab.message.text()
    assert (grid.currentRow(), grid.currentColumn()) == (0, 0), "a refused value keeps the cell"
    type_cell(grid, "85")
    assert "已保存" in page.scoring_tab.message.text()
    assert nomination_review.current_scores(nominations.get_session(created.id))[(rows[order[0]], member0,
                                                                                    "事迹真实性")] != 120

    assert page.next_step()  # close 评议: scores locked
    assert nominations.get_session(created.id).scores_locked_at
    page.tabs.setCurrentWidget(page.scoring_tab)
    assert not grid.item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable, "locked scores are read-only"

    # the tie at the quota line is shown, not broken, until decided here
    page.tabs.setCurrentWidget(page.tally_tab)
    tally = page.tally_tab
    assert "并列" in tally.state.text() and tally.tie_button.isEnabled()
    assert tally.table.item(0, 2).toolTip().startswith("各委员：委员甲 "), "each member's score on the row"
    page.tabs.setCurrentWidget(page.award_tab)
    assert page.award_tab.publish() is None and "并列" in page.award_tab.message.text()
    page.tabs.setCurrentWidget(page.tally_tab)
    tie = tally.decide_tie()
    tie.choices.item(0).setCheckState(Qt.CheckState.Checked)
    tie.reason.setPlainText("评议委员会复议投票 2:0")
    assert tie.save()
    assert not tally.tie_button.isEnabled()

    # 公示 through the shared dialog, then 表彰 only after the notice ended
    page.tabs.setCurrentWidget(page.award_tab)
    award_tab = page.award_tab
    publish = award_tab.publish()
    publish.start_edit.set_value(dt.date.today() - dt.timedelta(days=3))
    publish.publish()
    assert award_tab.award_button.isEnabled()
    assert not award_tab.award()
    assert "仍在公示期内" in award_tab.message.text() and NomineeHonour.select().count() == 0
    from civdesk.nominations import award as nomination_award
    from civdesk.notices.models import PublicNotice

    notice = nomination_award.session_notice(created.id)
    PublicNotice.update(start_date=dt.date.today() - dt.timedelta(days=10),
                        end_date=dt.date.today() - dt.timedelta(days=4)).where(PublicNotice.id == notice.id).execute()
    assert award_tab.award(), award_tab.message.text()
    assert nominations.get_session(created.id).phase == "award"
    honoured = nomination_award.honoured(created.id)
    assert len(honoured) == 2 and award_tab.decision_button.isEnabled()
    monkeypatch.setattr("ui.widgets.pdf_save.QDesktopServices.openUrl", lambda url: True)
    handle = award_tab.print_decision(str(tmp_path / "决定.pdf"))
    assert handle.wait(60000) and (tmp_path / "决定.pdf").read_bytes().startswith(b"%PDF")

    # upward submission from the person's record
    page.tabs.setCurrentWidget(page.nominations_tab)
    page.nominations_tab.show_session(created.id, honoured[0].id)
    record = page.nominations_tab.open_record()
    assert record.submit_button.isEnabled()
    submission = record.submit()
    submission.period_edit.setText("2026年12月")
    assert submission.save()
    outcome = record.record_outcome()
    assert outcome.save()
    assert record.upward_table.item(0, 0).text() == "新都好人" and record.upward_table.item(0, 3).text() == "已入选"
    assert record.honours_table.rowCount() == 2


def test_page_is_in_the_navigation(admin, qtbot, tmp_path):
    window = MainWindow(Session(admin, db.state.path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "好人评选" in titles
    assert window.show_page("nominations/scoring")
    page = window.pages["nominations"]
    assert page.tabs.currentWidget() is page.scoring_tab
    assert "还没有评选活动" in page.empty.text() and not page.empty.isHidden() and page.tabs.isHidden()
    assert page.new_session_button.isEnabled()
    clerk_window = MainWindow(Session(CLERK, db.state.path), QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(clerk_window)
    assert clerk_window.show_page("nominations")
    assert not clerk_window.pages["nominations"].new_session_button.isEnabled(), "a clerk cannot set up sessions"


def test_delete_a_nomination_and_record_an_earlier_honour(page, admin, photo_file):
    created = nominations.create_session(admin, {"name": "2026年11月身边好人", "kind": "monthly"})
    page.load_sessions(created.id)
    editor = page.nominations_tab.open_nomination(new=True)
    fill_editor(editor, "张桂英", 22, "助人为乐", photo_file)
    assert editor.save()
    tab = page.nominations_tab
    record = tab.open_record()
    assert not record.submit_button.isEnabled(), "only a person honoured here is sent up"
    honour = record.add_honour()
    assert not honour.save() and "不能为空" in honour.errors.message("title")
    honour.title_edit.setText("2024年度清溪镇道德模范")
    assert honour.save()
    assert record.honours_table.item(0, 0).text() == "2024年度清溪镇道德模范" and record.submit_button.isEnabled()
    record.accept()
    assert not tab.delete("  ") and "删除原因" in tab.message.text()
    assert tab.delete("推荐人撤回")
    assert nominations.rows(created.id) == [] and tab.table.rowCount() == 0


def test_votes_are_typed_into_the_grid(page, admin, photo_file):
    created = nominations.create_session(admin, {"name": "第5届清溪镇道德模范评选", "kind": "biennial", "method": "vote",
                                                 "period": "第5届"})
    nomination_review.add_member(admin, created.id, "委员甲")
    page.load_sessions(created.id)
    for name, seq in (("张桂英", 22), ("李秀兰", 44)):
        editor = page.nominations_tab.open_nomination(new=True)
        fill_editor(editor, name, seq, "助人为乐", photo_file)
        assert editor.save()
    assert page.next_step()
    for row in nominations.nominations(created.id):
        nominations.pass_check(REVIEWER, row.id, eligible=True)
    assert page.next_step()
    assert page.phase_labels["check"].text() == "✓ 初审（通过 2）"
    page.tabs.setCurrentWidget(page.scoring_tab)
    grid = page.scoring_tab.grid
    assert grid.horizontalHeaderItem(0).text() == "投票" and grid.columnCount() == 2
    grid.setFocus()
    type_cell(grid, "1")  # 1 赞成, 0 反对, -1 弃权 (QTest cannot type Chinese; the service reads 赞成 too)
    type_cell(grid, "-1")
    values = sorted(grid.item(r, 0).text() for r in range(2))
    assert values == ["弃权", "赞成"]
    result = nomination_review.tally(created.id)
    assert sorted((r.agree, r.abstain) for r in result.rows()) == [(0, 1), (1, 0)]


def test_the_tally_fits_the_window_at_1280_pixels(admin, qtbot, tmp_path):
    for name in VILLAGES[2:]:  # the demo's sessions: one honoured, one still being scored
        office.add_village(admin, name)
    nomination_demo.fill(admin, random.Random(1), lambda *a: None)
    window = MainWindow(Session(admin, db.state.path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert window.show_page("nominations")
    page = window.pages["nominations"]
    for index in range(page.session_combo.count()):
        page.session_combo.setCurrentIndex(index)
        page.tabs.setCurrentWidget(page.tally_tab)
        table = page.tally_tab.table
        qtbot.waitUntil(lambda t=table: t.viewport().width() > 0)
        QApplication.processEvents()
        assert table.rowCount() > 0
        assert table.horizontalScrollBar().maximum() == 0, "no sideways scrolling at 1280 × 800"
        widths = sum(table.columnWidth(c) for c in range(table.columnCount()))
        assert widths <= table.viewport().width()
        header = table.horizontalHeader()
        for c in range(table.columnCount()):  # no header cut short
            assert table.columnWidth(c) >= header.sectionSizeFromContents(c).width() - 1, \
                table.horizontalHeaderItem(c).text()
