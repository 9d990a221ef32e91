"""公示 on screen: publishing from a module's candidate list, logging and deciding objections,
printing the list, withdrawing — and what each role may do."""

import datetime as dt

from PySide6.QtWidgets import QInputDialog

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.notices import public_notices as notices
from civdesk.notices.public_notices import Candidate
from ui.notices.notice_panel import DecideObjectionDialog, NoticePanel, ObjectionDialog, PublishNoticeDialog
from ui.session import Session

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
CANDIDATES = [Candidate("app-1", "清溪镇中心小学", "镇级文明单位"), Candidate("app-2", "桂花村", "镇级文明村（标兵）")]


def session(actor):
    return Session(actor, db.state.path)


def published(admin, start=None):
    start = start or dt.date.today() - dt.timedelta(days=2)
    return notices.publish(admin, "unit", "2026", "2026年度镇级文明单位拟命名名单公示", CANDIDATES, start)


def test_publishing_through_the_dialog(qtbot, admin):
    dialog = PublishNoticeDialog(session(admin), "unit", "2026", "2026年度拟命名名单公示", CANDIDATES)
    qtbot.addWidget(dialog)
    dialog.days_spin.setValue(5)
    assert "起可作出决定" in dialog.end_hint.text()
    dialog.title_edit.setText("")
    assert dialog.publish() is None and dialog.errors.message("title") == "请填写公示标题"
    dialog.title_edit.setText("2026年度拟命名名单公示")
    dialog.contact_edit.setText("监督电话 028-83912345")
    notice = dialog.publish()
    assert notice is not None and dialog.result() == dialog.DialogCode.Accepted
    assert (notice.end_date - notice.start_date).days == 4 and notice.contact == "监督电话 028-83912345"
    assert [c.name for c in notices.candidates(notice.id)] == ["清溪镇中心小学", "桂花村"]


def test_objection_logged_by_a_clerk_and_decided_by_a_reviewer(qtbot, admin):
    notice = published(admin)
    panel = NoticePanel(session(CLERK), columns=("单位名称", "拟命名称号"))
    qtbot.addWidget(panel)
    panel.show_notice(notice.id)
    assert panel.candidate_model.rowCount() == 2 and "还剩" in panel.state_label.text()
    assert panel.object_button.isVisibleTo(panel) and panel.object_button.isEnabled()
    assert not panel.decide_button.isVisibleTo(panel) and not panel.withdraw_button.isVisibleTo(panel)
    dialog = panel.record_objection()
    qtbot.addWidget(dialog)
    dialog.item_combo.setCurrentIndex(1)
    dialog.content_edit.setPlainText("短")
    assert dialog.save() is None and dialog.errors.message("content")
    dialog.content_edit.setPlainText("反映该村主干道两侧垃圾长期堆放无人清理。")
    dialog.source_edit.setText("村民李某")
    assert dialog.save() is not None
    assert panel.objection_model.rowCount() == 1 and "待核实" in panel.state_label.text()

    panel = NoticePanel(session(REVIEWER))
    qtbot.addWidget(panel)
    panel.show_notice(notice.id)
    panel.objection_view.selectRow(0)
    assert panel.decide_button.isEnabled()
    decide = panel.decide_selected()
    qtbot.addWidget(decide)
    assert isinstance(decide, DecideObjectionDialog)
    next(b for b in decide.outcome_group.buttons() if b.property("outcome") == "upheld").setChecked(True)
    decide.note_edit.setPlainText("经现场核实，情况属实，尚未整改。")
    assert decide.save()
    assert "异议成立" in panel.objection_model.data(panel.objection_model.index(0, 4))
    later = dt.date.today() + dt.timedelta(days=30)
    assert not notices.clearance("app-2", later).ok and notices.clearance("app-1", later).ok


def test_print_and_withdraw(qtbot, admin, tmp_path, monkeypatch):
    notice = published(admin)
    panel = NoticePanel(session(admin))
    qtbot.addWidget(panel)
    panel.show_notice(notice.id)
    monkeypatch.setattr("ui.widgets.pdf_save.QDesktopServices.openUrl", lambda url: True)
    task = panel.print_list(str(tmp_path / "公示.pdf"))
    assert task.wait() and (tmp_path / "公示.pdf").stat().st_size > 1000
    assert "公示名单已保存到" in panel.message.text()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("名单有误", True)))
    assert panel.withdraw()
    assert "已撤回" in panel.state_label.text() and not panel.object_button.isEnabled()


def test_objection_dialog_refuses_dates_outside_the_notice(qtbot, admin):
    notice = published(admin, start=dt.date.today() - dt.timedelta(days=20))  # ended two weeks ago
    dialog = ObjectionDialog(session(CLERK), notice)
    qtbot.addWidget(dialog)
    dialog.date_edit.set_value(dt.date.today())
    dialog.content_edit.setPlainText("公示结束之后才收到的意见内容")
    assert dialog.save() is None and "公示期内" in dialog.errors.message("received_date")
