"""The application editor: the indicator tree with self and assessed scores, running totals
against the score lines, the materials (summary, highlights, attachments), the record of each
step and veto, and the actions the status and role allow — each calling the workflow service."""

from __future__ import annotations

import tempfile
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.core.jobs import Cancelled
from civdesk.core.validation import ValidationError
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import workflow as unit_workflow
from civdesk.units.terms import STATUSES, points_text, title_text
from ui.field_errors import message_label, show_message
from ui.list_model import Column, RowsSource, rows_view
from ui.session import Session
from ui.tasks import TaskHandle, run_task
from ui.units.dialogs import VetoDialog
from ui.units.indicator_tree import COLS, IndicatorTree
from ui.volunteers import hours_forms
from ui.widgets.forms import text_box
from ui.widgets.pdf_save import save_pdf

ItemRole = Qt.ItemDataRole.UserRole + 1


def user_names() -> dict[str, str]:
    from ui.volunteers.records import user_names as names

    return names()


class ApplicationDialog(QDialog):
    def __init__(self, session: Session, application_id: str, parent=None):
        super().__init__(parent)
        self.session, self.application_id = session, application_id
        self.setWindowTitle("创建申报")
        self.resize(1180, 780)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "notice")
        self.totals = QLabel()
        self.totals.setStyleSheet("font-size: 14px;")
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.totals)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._score_tab(), "测评指标与评分")
        self.tabs.addTab(self._materials_tab(), "申报材料")
        self.tabs.addTab(self._record_tab(), "审核记录与否决")
        self.message = message_label()
        layout.addWidget(self.message)
        layout.addLayout(self._action_row())
        self.reload()

    # -- building -----------------------------------------------------------------------------

    def _score_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.tree = IndicatorTree()
        self.tree.changed.connect(self.update_totals)
        self.tree.refused.connect(lambda text: show_message(self.message, text, ok=False))
        self.tree.currentItemChanged.connect(lambda *_: self._show_guidance())
        layout.addWidget(self.tree, 1)
        self.guidance = QLabel("选中一项指标，这里显示评分标准和需要的佐证材料。")
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet("color: #404040;")
        layout.addWidget(self.guidance)
        return box

    def _materials_tab(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.summary_edit = text_box(7)
        self.summary_edit.setPlaceholderText("创建工作的主要做法和成效（提交前必须填写）")
        self.highlights_edit = text_box(3)
        self.highlights_edit.setPlaceholderText("特色亮点（可不填）")
        form.addRow("创建工作总结：", self.summary_edit)
        form.addRow("特色亮点：", self.highlights_edit)
        self.attachment_list = QListWidget()
        self.attachment_list.setMinimumHeight(120)
        form.addRow("附件（照片、PDF）：", self.attachment_list)
        limit = QLabel(f"每个附件不超过 {unit_scoring.max_attachment_bytes() // (1024 * 1024)} MB；"
                       "附件保存在数据库中，随 U 盘同步数据包一起送到镇里。")
        limit.setStyleSheet("color: #606060;")
        form.addRow("", limit)
        row = QHBoxLayout()
        self.add_attachment_button = QPushButton("添加附件…")
        self.open_attachment_button = QPushButton("打开所选附件")
        self.remove_attachment_button = QPushButton("删除所选附件")
        for button in (self.add_attachment_button, self.open_attachment_button, self.remove_attachment_button):
            row.addWidget(button)
        row.addStretch(1)
        form.addRow("", row)
        self.add_attachment_button.clicked.connect(lambda: self.add_attachment())
        self.open_attachment_button.clicked.connect(self.open_attachment)
        self.remove_attachment_button.clicked.connect(self.remove_attachment)
        return box

    def _record_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.event_rows = RowsSource([Column("at", "时间", 150), Column("who", "操作人", 80),
                                      Column("move", "状态变化", 150), Column("reason", "原因/说明", 400)])
        self.event_view, self.event_model = rows_view(self.event_rows)
        layout.addWidget(QLabel("每一步由谁在何时办理"))
        layout.addWidget(self.event_view, 1)
        self.veto_rows = RowsSource([Column("at", "时间", 150), Column("condition", "否决情形", 180),
                                     Column("reason", "事实和理由", 300), Column("source", "来源", 100),
                                     Column("state", "状态", 260)])
        self.veto_view, self.veto_model = rows_view(self.veto_rows)
        layout.addWidget(QLabel("一票否决"))
        layout.addWidget(self.veto_view, 1)
        return box

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("save", "保存"), ("submit", "提交申报"), ("accept", "受理初审"),
                          ("assess", "进入测评"), ("return", "退回修改…"), ("fail", "评为未通过…"),
                          ("veto", "一票否决…"), ("lift", "解除否决…"), ("form_pdf", "申报表 PDF"),
                          ("scores_pdf", "评分表 PDF"), ("delete", "删除草稿…")):
            button = QPushButton(text)
            self.buttons[key] = button
            row.addWidget(button)
            if key == "veto":
                row.addStretch(1)
        self.buttons["save"].setProperty("primary", True)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        self.buttons["save"].clicked.connect(lambda: self.save())
        self.buttons["submit"].clicked.connect(lambda: self.submit())
        self.buttons["accept"].clicked.connect(lambda: self._step(unit_workflow.accept, "已受理，进入初审。"))
        self.buttons["assess"].clicked.connect(lambda: self._step(unit_workflow.start_assessment,
                                                                  "已进入测评，请逐项录入测评分。"))
        self.buttons["return"].clicked.connect(lambda: self.return_for_changes())
        self.buttons["fail"].clicked.connect(lambda: self.fail())
        self.buttons["veto"].clicked.connect(lambda: self.veto())
        self.buttons["lift"].clicked.connect(lambda: self.lift_veto())
        self.buttons["form_pdf"].clicked.connect(lambda: self.print_form())
        self.buttons["scores_pdf"].clicked.connect(lambda: self.print_scores())
        self.buttons["delete"].clicked.connect(lambda: self.delete())
        return row

    # -- state --------------------------------------------------------------------------------

    @property
    def app(self):
        return unit_scoring.get(self.application_id)

    def can_self(self) -> bool:
        return self.app.status == "draft" and self.session.actor.can("edit_unit_applications") and not self.session.read_only

    def can_assess(self) -> bool:
        return self.app.status == "assessing" and self.session.actor.can("review_units") and not self.session.read_only

    def reload(self) -> None:
        app = self.app
        org = units.get_org(app.org_id)
        self.org_name = org.name
        self.line = units.thresholds(units.get_set(app.set_id))
        self.heading.setText(f"{org.name}　{app.year}年度{title_text(app.title, app.level, app.model_grade)}　"
                             f"【{STATUSES[app.status]}】")
        vetoes = unit_workflow.active_vetoes(app.id)
        hint = unit_workflow.next_step(app, self.session.actor)
        if app.status == "notice":
            blocker = unit_workflow.naming_blocker(app)
            hint = f"{blocker}" if blocker else "公示期满，没有未核实或成立的异议：可以在看板上选中后「命名」。"
        elif app.status == "assessing" and self.session.actor.can("review_units") and not vetoes:
            blocker = unit_workflow.notice_blocker(app)
            hint += f"（现在：{blocker}）" if blocker else "（已达到通过分数，可以公示）"
        if vetoes:
            hint = f"已被一票否决（{vetoes[0].condition}）：不能公示和命名，除非系统管理员解除。" + hint
        self.hint.setText(hint)
        self._fill_tree(app)
        self.summary_edit.setPlainText(app.work_summary)
        self.highlights_edit.setPlainText(app.highlights)
        for edit in (self.summary_edit, self.highlights_edit):
            edit.setReadOnly(not self.can_self())
        self._fill_attachments()
        self._fill_records(app)
        self._update_buttons(app, bool(vetoes))
        self.update_totals()

    def _fill_tree(self, app) -> None:
        self.tree.fill(app.id, app.set_id, self.can_self(), self.can_assess())

    def _fill_attachments(self) -> None:
        self.attachment_list.clear()
        for row in unit_scoring.attachments(self.application_id):
            entry = QListWidgetItem(f"{row.file_name}（{row.size / 1024:.0f} KB）{('　' + row.note) if row.note else ''}")
            entry.setData(ItemRole, row.id)
            self.attachment_list.addItem(entry)

    def _fill_records(self, app) -> None:
        names = user_names()
        self.event_rows.set_rows([(e.id, {"at": e.created_at, "who": names.get(e.created_by, e.created_by),
                                          "move": f"{STATUSES.get(e.from_status, '')} → {STATUSES[e.to_status]}",
                                          "reason": e.reason}) for e in unit_workflow.history(app.id)])
        self.event_model.refresh()
        self.veto_rows.set_rows([(v.id, {"at": v.created_at, "condition": v.condition, "reason": v.reason,
                                         "source": v.display_value("source", v.source),
                                         "state": f"已解除：{v.lifted_reason}（{v.lifted_by}）" if v.lifted else "有效"})
                                 for v in unit_workflow.vetoes(app.id)])
        self.veto_model.refresh()

    def _update_buttons(self, app, vetoed: bool) -> None:
        actor, ro = self.session.actor, self.session.read_only
        reviewer = actor.can("review_units") and not ro
        shown = {"save": self.can_self() or self.can_assess(), "submit": app.status == "draft" and not ro
                 and actor.can("edit_unit_applications"),
                 "accept": reviewer and app.status == "submitted", "assess": reviewer and app.status == "prelim",
                 "return": reviewer and app.status in unit_workflow.RETURNABLE,
                 "fail": reviewer and app.status in unit_workflow.FAILABLE,
                 "veto": reviewer and app.status in unit_workflow.OPEN_STATUSES,
                 "lift": vetoed and actor.can("lift_vetoes") and not ro,
                 "form_pdf": True, "scores_pdf": app.status not in ("draft", "submitted"),
                 "delete": self.can_self()}
        for key, button in self.buttons.items():
            button.setVisible(shown[key])
        for button in (self.add_attachment_button, self.remove_attachment_button):
            button.setEnabled(self.can_self())
        self.add_attachment_button.setEnabled(app.status in ("draft", "submitted", "prelim", "assessing") and not ro
                                              and actor.can("edit_unit_applications"))

    # -- scores -------------------------------------------------------------------------------

    @property
    def items(self):
        return self.tree.items

    @property
    def tree_items(self):
        return self.tree.rows

    @property
    def bad(self):
        return self.tree.bad

    def update_totals(self) -> None:
        own, theirs = self.tree.column_total(COLS["self"]), self.tree.column_total(COLS["assessed"])
        top = self.tree.max_total
        self_ok = "✓ 已达到" if own >= self.line.self_tenths else "✗ 未达到"
        text = (f"自评合计 <b>{points_text(own)}</b> / {points_text(top)} 分（申报需 {self.line.self_text} 分，{self_ok}）")
        if self.app.status not in ("draft", "submitted", "prelim") or theirs:
            pass_ok = "✓ 已达到" if theirs >= self.line.pass_tenths else "✗ 未达到"
            text += f"　　测评合计 <b>{points_text(theirs)}</b> 分（通过需 {self.line.pass_text} 分，{pass_ok}）"
        if self.bad:
            text += f"　　<span style='color:#a93226'>有 {len(self.bad)} 处分数不对（标红），请改正</span>"
        self.totals.setText(text)

    def save(self, *, quiet: bool = False) -> bool:
        if self.bad:
            show_message(self.message, "有分数超出分值或等次不对（标红的格子），请改正后再保存。", ok=False)
            return False
        actor = self.session.actor
        try:
            if self.can_self():
                unit_scoring.update(actor, self.application_id, {"work_summary": self.summary_edit.toPlainText(),
                                                                 "highlights": self.highlights_edit.toPlainText()})
                total = unit_scoring.enter_scores(actor, self.application_id, "self", self.tree.entries("self"))
            elif self.can_assess():
                total = unit_scoring.enter_scores(actor, self.application_id, "assessed",
                                                  self.tree.entries("assessed"))
            else:
                return True
        except ValidationError as exc:
            col = COLS["self"] if self.can_self() else COLS["assessed"]
            for item_id, message in exc.errors.items():
                if item_id in self.tree.rows:
                    self.tree.mark(item_id, col, message)
            show_message(self.message, str(exc), ok=False)
            return False
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.reload()
        if not quiet:
            show_message(self.message, f"已保存，合计 {points_text(total)} 分。")
        return True

    def _show_guidance(self) -> None:
        item = self.tree.current_indicator()
        if item is not None:
            self.guidance.setText(f"<b>评分标准：</b>{item.guidance or '—'}　　<b>佐证材料：</b>{item.evidence or '—'}")

    # -- actions ------------------------------------------------------------------------------

    def _run(self, call, done: str) -> bool:
        try:
            call()
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.reload()
        show_message(self.message, done)
        return True

    def _step(self, function, done: str) -> bool:
        return self._run(lambda: function(self.session.actor, self.application_id), done)

    def submit(self) -> bool:
        if (self.can_self() and not self.save(quiet=True)):
            return False
        if QMessageBox.question(self, "提交申报", "提交后就不能再修改自评分和材料了（审核人可以退回修改）。确定提交吗？") \
                != QMessageBox.StandardButton.Yes:
            return False
        return self._step(unit_workflow.submit, "已提交，等待镇文明办受理。")

    def delete(self) -> bool:
        reason = hours_forms.ask_reason(self, "删除申报草稿", "删除这份草稿（例如重复新建了），请写明原因：")
        if not reason:
            return False
        try:
            unit_scoring.delete(self.session.actor, self.application_id, reason)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.accept()
        return True

    def return_for_changes(self) -> bool:
        reason = hours_forms.ask_reason(self, "退回修改", "请写明要修改什么（申报单位会看到）：")
        if not reason:
            return False
        return self._run(lambda: unit_workflow.return_for_changes(self.session.actor, self.application_id, reason),
                         "已退回修改。")

    def fail(self) -> bool:
        reason = hours_forms.ask_reason(self, "评为未通过", "请写明未通过的原因：")
        if not reason:
            return False
        return self._run(lambda: unit_workflow.fail(self.session.actor, self.application_id, reason), "已评为未通过。")

    def veto(self) -> VetoDialog:
        dialog = VetoDialog(self.session, self.application_id, self.org_name, self)
        dialog.accepted.connect(lambda: (self.reload(), show_message(self.message, "已记录一票否决。")))
        dialog.open()
        return dialog

    def lift_veto(self) -> bool:
        found = unit_workflow.active_vetoes(self.application_id)
        if not found:
            return False
        reason = hours_forms.ask_reason(self, "解除一票否决", f"解除「{found[0].condition}」的否决，请写明理由：")
        if not reason:
            return False
        return self._run(lambda: unit_workflow.lift_veto(self.session.actor, found[0].id, reason), "已解除否决。")

    def add_attachment(self, path: str | None = None) -> TaskHandle | None:
        """Read and store the file in the background (a 10 MB photo takes about a second);
        the list is refreshed, or the reason shown, when it is done."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择照片或 PDF", "", "照片或 PDF (*.jpg *.jpeg *.png *.gif *.bmp *.pdf)")
        if not path:
            return None
        name = Path(path).name
        self.add_attachment_button.setEnabled(False)
        show_message(self.message, f"正在添加附件「{name}」…")
        handle = run_task(self, "添加附件", _add_attachment_work, self.session.actor, self.application_id, path,
                          on_done=self._attachment_added, on_error=self._attachment_failed)
        handle.signals.cancelled.connect(lambda: self._attachment_failed(f"已取消添加附件「{name}」，没有保存任何内容。"))
        return handle

    def _attachment_added(self, result: tuple[str, str] | CivDeskError) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(result, CivDeskError):
            self._attachment_failed(str(result))
            return
        attachment_id, name = result
        self._fill_attachments()
        for row in range(self.attachment_list.count()):
            if self.attachment_list.item(row).data(ItemRole) == attachment_id:
                self.attachment_list.setCurrentRow(row)
        self._enable_add_attachment()
        show_message(self.message, f"已添加附件「{name}」。")

    def _attachment_failed(self, message: str) -> None:
        if shiboken6.isValid(self):
            self._enable_add_attachment()
            show_message(self.message, message, ok=False)

    def _enable_add_attachment(self) -> None:
        self._update_buttons(self.app, bool(unit_workflow.active_vetoes(self.application_id)))

    def _selected_attachment(self) -> str | None:
        item = self.attachment_list.currentItem()
        return item.data(ItemRole) if item is not None else None

    def open_attachment(self) -> None:
        attachment_id = self._selected_attachment()
        if attachment_id:
            file_name = unit_scoring.attachment_name(attachment_id)
            target = Path(tempfile.mkdtemp(prefix="civdesk-")) / file_name
            if self._run(lambda: unit_scoring.save_attachment(attachment_id, target), f"已打开「{file_name}」。"):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def remove_attachment(self) -> None:
        attachment_id = self._selected_attachment()
        if attachment_id and QMessageBox.question(self, "删除附件", "确定删除所选附件吗？") == QMessageBox.StandardButton.Yes:
            self._run(lambda: unit_scoring.remove_attachment(self.session.actor, attachment_id), "已删除附件。")

    def print_form(self, path: str | None = None):
        from civdesk.units import reports as unit_reports

        actor, app_id = self.session.actor, self.application_id
        return save_pdf(self, "申报表", f"{self.org_name}申报表.pdf",
                        lambda target, ctx: unit_reports.application_pdf(target, app_id, actor=actor), path=path)

    def print_scores(self, path: str | None = None):
        from civdesk.units import reports as unit_reports

        actor, app_id = self.session.actor, self.application_id
        return save_pdf(self, "测评评分表", f"{self.org_name}测评评分表.pdf",
                        lambda target, ctx: unit_reports.scores_pdf(target, app_id, actor=actor), path=path)


def _add_attachment_work(ctx, actor, application_id: str, path: str) -> tuple[str, str] | CivDeskError:
    def progress(done: int, total: int, text: str) -> None:
        # Cancelling raises here, between blocks read or chunks stored: nothing is kept.
        ctx.check_cancelled()
        ctx.progress(done, total, text)

    # A refusal (too big, unreadable, wrong type) is an answer shown under the form, not a crash.
    try:
        row = unit_scoring.add_attachment(actor, application_id, path, progress=progress)
    except Cancelled:
        raise  # the task's own cancel path says so under the form
    except CivDeskError as exc:
        return exc
    return row.id, row.file_name


def open_application(session: Session, application_id: str, parent=None, on_closed=None) -> ApplicationDialog:
    dialog = ApplicationDialog(session, application_id, parent)
    if on_closed is not None:
        dialog.finished.connect(lambda _code: on_closed())
    dialog.show()
    return dialog
