"""文明创建 in the GUI: the whole cycle from a new organisation and application to naming, the
annual review and revocation; inline refusal of over-max scores; what each role sees; veto and
its lifting; the PDFs from the pages."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from civdesk.core.actor import Actor
from civdesk.notices import public_notices as notices
from civdesk.office import offices as office
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import workflow as unit_workflow
from civdesk.units.models import Application, Organisation, TitleHeld
from ui.units.application import COLS, ApplicationDialog
from ui.volunteers import hours_forms

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
TODAY = dt.date.today()


pytestmark = pytest.mark.office(villages=("红星村",), users=(CLERK, REVIEWER))


def fill_tree(editor: ApplicationDialog, col: int, total_short: float = 0.0) -> None:
    """Type every score into the tree as a person would: the best grade, or full points less a
    shortfall taken from the first point-scored items."""
    short = round(total_short * 10)
    for item_id, row in editor.tree_items.items():
        item = editor.items[item_id]
        grades = item.grade_points()
        if grades:
            row.setText(col, max(grades, key=grades.get).lower())
        else:
            cut = min(short, item.max_tenths)
            short -= cut
            row.setText(col, f"{(item.max_tenths - cut) / 10:g}")
        row.setText(col + 1, "见台账")


def editor_for(page, qtbot, app_id) -> ApplicationDialog:
    page.refresh()
    page.select_ids([app_id])
    editor = page.open_selected()
    qtbot.addWidget(editor)
    return editor


def test_the_whole_cycle_in_the_gui(admin, make_window, qtbot, monkeypatch):
    # The clerk registers the village and files its application.
    clerk = make_window(CLERK)
    assert clerk.show_page("organisations")
    orgs = clerk.pages["organisations"]
    dialog = orgs.add_org()
    dialog.name_edit.setText("红星村")
    dialog.kind_combo.setCurrentText("村")
    dialog.village.setCurrentIndex(dialog.village.findText("红星村"))
    dialog.size_edit.setText("420")
    assert dialog.save()
    org = Organisation.get(Organisation.name == "红星村")
    assert clerk.show_page("units")
    board = clerk.pages["units"]
    assert not board.publish_button.isVisible() and not board.name_button.isVisible(), "a clerk cannot publish or name"
    new = board.new_application()
    new.org_combo.setCurrentIndex(new.org_combo.findData(org.id))
    assert new.title_combo.currentText() == "文明村", "the title follows the kind of organisation"
    assert new.save()
    editor = board.editor
    qtbot.addWidget(editor)
    app_id = editor.application_id
    assert not editor.buttons["veto"].isVisible() and not editor.buttons["accept"].isVisible()

    # Over the maximum is refused right in the cell, and saving is refused while it stands.
    first_id, first_row = next(iter(editor.tree_items.items()))
    first_row.setText(COLS["self"], "9")
    assert (first_id, COLS["self"]) in editor.bad and "得分应在 0 到 5 分之间" in editor.message.text()
    assert "1 处分数不对" in editor.totals.text()
    assert not editor.save()
    fill_tree(editor, COLS["self"], total_short=3)
    assert not editor.bad and "自评合计 <b>97</b>" in editor.totals.text() and "✓ 已达到" in editor.totals.text()
    editor.summary_edit.setPlainText("修订村规民约，开展道德讲堂 8 次。")
    assert editor.submit()
    assert Application.get_by_id(app_id).status == "submitted"
    assert not editor.buttons["save"].isVisible(), "scores are locked after submitting"
    editor.close()

    # The reviewer takes it through review and assessment.
    reviewer = make_window(REVIEWER)
    reviewer.show_page("units")
    board = reviewer.pages["units"]
    assert "已提交（1）" in board.status_buttons["submitted"].text()
    editor = editor_for(board, qtbot, app_id)
    assert editor.buttons["accept"].isVisible() and editor.buttons["veto"].isVisible()
    editor.buttons["accept"].click()
    editor.buttons["assess"].click()
    assert Application.get_by_id(app_id).status == "assessing"
    fill_tree(editor, COLS["assessed"], total_short=8)
    assert editor.save() and Application.get_by_id(app_id).assessed_tenths == 920
    editor.close()

    # Publish: a notice that started ten days ago has ended by today.
    board.refresh()
    board.select_ids([app_id])
    notice_dialog = board.publish()
    notice_dialog.start_edit.set_value(TODAY - dt.timedelta(days=10))
    assert notice_dialog.publish() is not None
    assert Application.get_by_id(app_id).status == "notice"
    assert board.notice_combo.currentData() == notice_dialog.notice.id
    board.select_ids([app_id])
    naming = board.name()
    naming.number_edit.setText("清溪镇文明委〔2026〕5号")
    assert naming.save()
    assert Application.get_by_id(app_id).status == "named"
    title = TitleHeld.get(TitleHeld.application_id == app_id)

    # Annual review (keep), then revocation, on the organisation's page.
    reviewer.show_page("organisations")
    orgs = reviewer.pages["organisations"]
    orgs.select_org(org.id)
    assert orgs.title_model.rowCount() == 1
    review = orgs.review()
    review.year_spin.setValue(TODAY.year + 1)
    review.date_edit.set_value(TODAY)
    review.reason_edit.setPlainText("复查合格")
    assert review.save()
    monkeypatch.setattr(hours_forms, "ask_reason", lambda *a: "发生重大安全生产事故，摘牌")
    assert orgs.revoke()
    assert TitleHeld.get_by_id(title.id).status == "revoked"
    assert "已摘牌" in orgs.title_rows.row(title.id)["status"]
    assert "保留" in orgs.title_rows.row(title.id)["reviews"]


def _assessing(admin, name="红星村"):
    org = units.create_org(CLERK, {"name": name, "kind": "村", "village_id": office.villages()[0].id})
    app = unit_scoring.create(CLERK, org.id, TODAY.year, "文明村", work_summary="总结")
    entries = {i.id: (max(i.grade_points(), key=i.grade_points().get) if i.grades else i.max_tenths / 10, "")
               for i in units.items(app.set_id)}
    unit_scoring.enter_scores(CLERK, app.id, "self", entries)
    unit_workflow.submit(CLERK, app.id)
    unit_workflow.accept(REVIEWER, app.id)
    unit_workflow.start_assessment(REVIEWER, app.id)
    unit_scoring.enter_scores(REVIEWER, app.id, "assessed", entries)
    return app


def test_a_veto_from_the_editor_blocks_the_notice_and_only_an_admin_lifts_it(admin, make_window, qtbot, monkeypatch):
    app = _assessing(admin)
    reviewer = make_window(REVIEWER)
    reviewer.show_page("units")
    board = reviewer.pages["units"]
    editor = editor_for(board, qtbot, app.id)
    dialog = editor.veto()
    dialog.condition_combo.setCurrentText("发生重大安全生产事故")
    dialog.reason_edit.setPlainText("3 月村办砖厂发生安全事故")
    assert dialog.save()
    assert "已被一票否决" in editor.hint.text() and not editor.buttons["lift"].isVisible()
    editor.close()
    board.refresh()
    assert "一票否决" in board.rows.row(app.id)["state"]
    board.select_ids([app.id])
    assert board.publish() is None and "已被一票否决" in board.message.text()
    assert notices.for_subject("unit") == []

    admin_window = make_window(admin)
    admin_window.show_page("units")
    editor = editor_for(admin_window.pages["units"], qtbot, app.id)
    assert editor.buttons["lift"].isVisible()
    monkeypatch.setattr(hours_forms, "ask_reason", lambda *a: "经安监站复核，事故不在本村")
    assert editor.lift_veto()
    assert unit_workflow.active_vetoes(app.id) == []


def test_return_for_changes_from_the_editor(admin, make_window, qtbot, monkeypatch):
    app = _assessing(admin)
    reviewer = make_window(REVIEWER)
    reviewer.show_page("units")
    editor = editor_for(reviewer.pages["units"], qtbot, app.id)
    monkeypatch.setattr(hours_forms, "ask_reason", lambda *a: "缺少村规民约公示照片")
    assert editor.return_for_changes()
    assert Application.get_by_id(app.id).status == "draft"
    assert editor.event_rows.row(unit_workflow.history(app.id)[-1].id)["reason"] == "退回修改：缺少村规民约公示照片"


def test_naming_is_refused_on_the_board_while_the_notice_runs(admin, make_window, qtbot):
    app = _assessing(admin)
    unit_workflow.publish_notice(REVIEWER, [app.id], TODAY - dt.timedelta(days=2))
    reviewer = make_window(REVIEWER)
    reviewer.show_page("units")
    board = reviewer.pages["units"]
    board.refresh()
    board.select_ids([app.id])
    assert board.name() is None and "仍在公示期内" in board.message.text()
    assert "仍在公示期内" in board.rows.row(app.id)["state"]


def test_pdfs_from_the_pages(admin, make_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("ui.widgets.pdf_save.QDesktopServices.openUrl", lambda url: True)
    app = _assessing(admin)
    unit_workflow.publish_notice(REVIEWER, [app.id], TODAY - dt.timedelta(days=10))
    unit_workflow.name(REVIEWER, [app.id], "清溪镇文明委〔2026〕5号", TODAY)
    reviewer = make_window(REVIEWER)
    reviewer.show_page("units")
    board = reviewer.pages["units"]
    assert board.print_decision(str(tmp_path / "决定.pdf")).wait()
    editor = editor_for(board, qtbot, app.id)
    assert editor.print_scores(str(tmp_path / "评分表.pdf")).wait()
    assert editor.print_form(str(tmp_path / "申报表.pdf")).wait()
    reviewer.show_page("organisations")
    assert reviewer.pages["organisations"].print_roster(str(tmp_path / "名录.pdf")).wait()
    for name in ("决定", "评分表", "申报表", "名录"):
        assert (tmp_path / f"{name}.pdf").read_bytes().startswith(b"%PDF")


def test_attachments_and_indicator_sets_on_screen(admin, make_window, qtbot, tmp_path):
    org = units.create_org(CLERK, {"name": "红星村", "kind": "村", "village_id": office.villages()[0].id})
    app = unit_scoring.create(CLERK, org.id, TODAY.year, "文明村")
    clerk = make_window(CLERK)
    clerk.show_page("units")
    editor = editor_for(clerk.pages["units"], qtbot, app.id)
    photo = tmp_path / "公示栏.jpg"
    photo.write_bytes(b"\xff\xd8" + b"0" * 5000)
    assert editor.add_attachment(str(photo)).wait()
    assert editor.attachment_list.count() == 1 and "公示栏.jpg" in editor.attachment_list.item(0).text()
    editor.close()
    board = clerk.pages["units"]
    board.tabs.setCurrentIndex(2)
    assert board.set_model.rowCount() == 3
    assert not board.import_set_button.isEnabled(), "only an administrator edits indicator sets"
    board.set_view.selectRow(0)
    assert board.export_set(str(tmp_path / "体系.xlsx"))


def test_an_attachment_is_read_and_stored_in_the_background(admin, make_window, qtbot, tmp_path, monkeypatch):
    org = units.create_org(CLERK, {"name": "红星村", "kind": "村", "village_id": office.villages()[0].id})
    app = unit_scoring.create(CLERK, org.id, TODAY.year, "文明村")
    clerk = make_window(CLERK)
    clerk.show_page("units")
    editor = editor_for(clerk.pages["units"], qtbot, app.id)
    editor.summary_edit.setPlainText("还没保存的总结")
    real, seen = unit_scoring.add_attachment, []

    def recording(*args, **kwargs):
        seen.append((threading.current_thread() is threading.main_thread(), kwargs.get("progress") is not None))
        return real(*args, **kwargs)

    monkeypatch.setattr(unit_scoring, "add_attachment", recording)
    scan = tmp_path / "台账.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * (3 * unit_scoring.CHUNK_BYTES))
    handle = editor.add_attachment(str(scan))
    assert not editor.add_attachment_button.isEnabled(), "one file at a time"
    assert handle.wait() and not handle.progress_dialog
    assert seen == [(False, True)], "read and stored on a worker thread, with progress"
    assert editor.attachment_list.count() == 1 and "台账.pdf" in editor.attachment_list.currentItem().text()
    assert "已添加附件「台账.pdf」" in editor.message.text() and editor.add_attachment_button.isEnabled()
    assert editor.summary_edit.toPlainText() == "还没保存的总结", "typing is not thrown away"
    assert unit_scoring.attachment_bytes(unit_scoring.attachments(app.id)[0].id) == scan.read_bytes()

    # Refusals come back in Chinese under the form, and nothing is stored.
    big = tmp_path / "航拍.jpg"
    with big.open("wb") as stream:
        stream.truncate(unit_scoring.max_attachment_bytes() + 1)
    assert editor.add_attachment(str(big)).wait()
    assert "超过了每个附件 10 MB 的上限" in editor.message.text() and editor.add_attachment_button.isEnabled()
    assert editor.add_attachment(str(tmp_path / "不见了.jpg")).wait()
    assert "无法读取「不见了.jpg」：文件不存在" in editor.message.text()
    assert editor.add_attachment(str(tmp_path)).wait()
    assert f"无法读取「{tmp_path.name}」" in editor.message.text()
    assert editor.attachment_list.count() == 1 and len(unit_scoring.attachments(app.id)) == 1

    # A cancel (the dialog's button) stops between blocks read or chunks stored: nothing is kept.
    go = threading.Event()

    def after_cancel(*args, **kwargs):
        go.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(unit_scoring, "add_attachment", after_cancel)
    handle = editor.add_attachment(str(scan))
    handle.cancel()
    go.set()
    assert handle.wait()
    assert "已取消添加附件" in editor.message.text() and len(unit_scoring.attachments(app.id)) == 1


def test_an_admin_edits_an_indicator_set_as_a_new_version(admin, make_window, qtbot):
    units.ensure_default_sets(admin, TODAY.year)
    window = make_window(admin)
    window.show_page("units")
    board = window.pages["units"]
    board.tabs.setCurrentIndex(2)
    village_set = next(i for i in board.set_model.ids() if board.set_rows.row(i)["kind"] == "文明村")
    board.set_view.selectRow(board.set_model.row_of(village_set))
    dialog = board.edit_set()
    assert dialog.table.rowCount() == 20 and dialog.total_label.text() == "合计 100 分"
    dialog.table.item(0, 2).setText("6")
    assert "应为 100 分" in dialog.total_label.text()
    assert dialog.save() is None and "合计 101 分，应为 100 分" in dialog.general.text()
    dialog.table.item(1, 2).setText("4")
    dialog.pass_spin.setValue(88)
    saved = dialog.save()
    assert saved.version == 2 and units.thresholds(saved).pass_tenths == 880
    assert units.current_set("文明村", TODAY.year).id == saved.id
    assert board.set_model.rowCount() == 4


def test_the_start_page_opens_the_board_at_the_submitted_applications(admin, make_window, qtbot):
    app = _assessing(admin)
    unit_workflow.return_for_changes(REVIEWER, app.id, "补充材料")
    unit_workflow.submit(CLERK, app.id)
    window = make_window(REVIEWER)
    assert window.show_page("units/submitted")
    board = window.pages["units"]
    assert board.status == "submitted" and board.model.rowCount() == 1
    assert "受理初审" in board.help_label.text()


def test_the_start_page_opens_the_organisations_due_for_review(admin, make_window, qtbot):
    from civdesk.core import changes

    app = _assessing(admin)
    _assessing(admin, "白鹤村")
    unit_workflow.publish_notice(REVIEWER, [app.id], TODAY - dt.timedelta(days=10))
    (title,) = unit_workflow.name(REVIEWER, [app.id], "清溪镇文明委〔2026〕5号", TODAY)
    changes.update(TitleHeld.get_by_id(title.id), admin, {"year": TODAY.year - 1})
    window = make_window(REVIEWER)
    assert window.show_page("organisations/due")
    page = window.pages["organisations"]
    assert page.due_check.isChecked()
    assert [page.org_rows.row(i)["name"] for i in page.org_model.ids()] == ["红星村"]
    page.due_check.setChecked(False)
    assert page.org_model.rowCount() == 2


def test_deleting_a_draft_and_an_organisation_registered_by_mistake(admin, make_window, qtbot, monkeypatch):
    org = units.create_org(CLERK, {"name": "红星村", "kind": "村", "village_id": office.villages()[0].id})
    spare = units.create_org(CLERK, {"name": "红星村村委会", "kind": "其他"})
    app = unit_scoring.create(CLERK, org.id, TODAY.year, "文明村")
    monkeypatch.setattr(hours_forms, "ask_reason", lambda *a: "重复新建")
    clerk = make_window(CLERK)
    clerk.show_page("units")
    editor = editor_for(clerk.pages["units"], qtbot, app.id)
    assert editor.buttons["delete"].isVisible() and editor.delete()
    assert Application.get_by_id(app.id).deleted
    clerk.show_page("organisations")
    page = clerk.pages["organisations"]
    page.refresh()
    page.select_org(spare.id)
    assert page.delete_org() and Organisation.get_by_id(spare.id).deleted
    unit_scoring.create(CLERK, org.id, TODAY.year, "文明村")
    page.select_org(org.id)
    assert not page.delete_org() and "已有申报或称号记录，不能删除" in page.message.text()


def test_an_admin_imports_an_indicator_sheet_in_the_background(admin, make_window, qtbot, tmp_path):
    from openpyxl import Workbook

    from civdesk.units import indicator_sheets as indicator_xlsx

    (village_set,) = [s for s in units.ensure_default_sets(admin, TODAY.year) if s.kind == "文明村"]
    good = tmp_path / "区测评细则.xlsx"
    indicator_xlsx.export_set(admin, village_set.id, good)
    bad = tmp_path / "错的.xlsx"
    wb = Workbook()
    wb.active.append(["测评项目", "指标内容", "分值"])
    wb.active.append(["组织领导", "有计划", "五分"])
    wb.save(bad)
    window = make_window(admin)
    window.show_page("units")
    board = window.pages["units"]
    board.tabs.setCurrentIndex(2)
    board.import_kind.setCurrentText("文明村")
    handle = board.import_set(str(bad))
    assert handle.wait()
    qtbot.waitUntil(lambda: "第 2 行「分值」" in board.set_message.text(), timeout=3000)
    assert board.set_model.rowCount() == 3
    assert board.import_set(str(good)).wait()
    qtbot.waitUntil(lambda: "第 2 版" in board.set_message.text(), timeout=3000)
    assert board.set_model.rowCount() == 4
