"""公示 on screen: publishing a notice, and a panel that shows one with its candidates and
objections (登记异议, 核实异议, 打印公示名单, 撤回公示). Used by every module that names or
honours someone; the rules are in civdesk/notices/public_notices.py."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from civdesk.core import validation
from civdesk.core.errors import CivDeskError
from civdesk.notices import public_notices as notices
from civdesk.notices.public_notices import Candidate
from civdesk.notices.terms import OUTCOMES
from ui.field_errors import FieldErrors, error_label, hint_label, message_label, show_message
from ui.list_model import Column, RowsSource, rows_view
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.empty import empty_hint
from ui.widgets.forms import form_buttons, text_box
from ui.widgets.pdf_save import save_pdf


class PublishNoticeDialog(QDialog):
    """Title, start date, days and contact for a list of candidates the module chose."""

    def __init__(self, session: Session, subject: str, subject_ref: str, title: str, candidates: list[Candidate],
                 parent=None, *, columns: tuple[str, str] = ("名称", "说明")):
        super().__init__(parent)
        self.session, self.subject, self.subject_ref = session, subject, subject_ref
        self.candidates = candidates
        self.notice = None  # the notice published (public_notices.publish)
        self.setWindowTitle("发布公示")
        self.setMinimumWidth(560)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.title_edit = QLineEdit(title)
        form.addRow("公示标题", self.errors.block("title", self.title_edit))
        listing = QListWidget()
        listing.addItems([f"{n}. {c.label}　{c.detail}" for n, c in enumerate(candidates, 1)])
        listing.setMaximumHeight(150)
        form.addRow(f"公示名单（{len(candidates)} 个）", self.errors.block("candidates", listing))
        self.start_edit = DateField(dt.date.today())
        form.addRow("开始日期", self.errors.block("start_date", self.start_edit))
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 60)
        self.days_spin.setValue(notices.notice_days())
        self.days_spin.setSuffix(" 天")
        self.end_hint = hint_label("")
        days_box = QWidget()
        days_row = QHBoxLayout(days_box)
        days_row.setContentsMargins(0, 0, 0, 0)
        days_row.addWidget(self.days_spin)
        days_row.addWidget(self.end_hint, 1)
        form.addRow("公示天数", self.errors.block("days", days_box))
        self.body_edit = text_box(3)
        self.body_edit.setPlaceholderText(f"可不填：默认写「经推荐、审核，现将以下{len(candidates)}个对象予以公示。」")
        form.addRow("公示说明", self.body_edit)
        self.contact_edit = QLineEdit(notices.default_contact())
        self.contact_edit.setPlaceholderText("如：监督电话 028-8xxxxxxx；来信请寄镇文明办")
        form.addRow("受理异议", self.errors.block("contact", self.contact_edit, "印在公示名单上，群众据此反映意见。"))
        self.general = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "发布公示", self.publish))
        self.start_edit.dateChanged.connect(self._update_end)
        self.days_spin.valueChanged.connect(self._update_end)
        self._update_end()

    def _update_end(self) -> None:
        start = self.start_edit.value()
        end = start + dt.timedelta(days=self.days_spin.value() - 1)
        self.end_hint.setText(f"至 {end} 止，{end + dt.timedelta(days=1)} 起可作出决定")

    def publish(self):
        """The published notice, or None when refused (the reasons show beside the fields)."""
        ok, notice = self.errors.submit(lambda: notices.publish(
            self.session.actor, self.subject, self.subject_ref, self.title_edit.text(), self.candidates,
            self.start_edit.value(), days=self.days_spin.value(), body=self.body_edit.toPlainText(),
            contact=self.contact_edit.text()), self.general)
        if ok:
            self.notice = notice
            self.accept()
        return notice


class ObjectionDialog(QDialog):
    """Log an objection received by phone, letter or in person."""

    def __init__(self, session: Session, notice, parent=None, item_id: str | None = None):
        super().__init__(parent)
        self.session, self.notice = session, notice
        self.objection = None  # the objection recorded (public_notices.record_objection)
        self.setWindowTitle("登记公示异议")
        self.setMinimumWidth(520)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.item_combo = QComboBox()
        for candidate in notices.candidates(notice.id):
            self.item_combo.addItem(f"{candidate.name}　{candidate.detail}", candidate.item_id)
        if item_id is not None:
            self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(item_id)))
        form.addRow("针对", self.item_combo)
        self.date_edit = DateField(min(dt.date.today(), notice.end_date))
        form.addRow("收到日期", self.errors.block("received_date", self.date_edit,
                                              f"公示期 {notice.start_date} 至 {notice.end_date}"))
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("不留姓名的写「匿名」或不填")
        form.addRow("反映人", self.errors.block("source", self.source_edit))
        self.contact_edit = QLineEdit()
        form.addRow("联系电话", self.errors.block("contact", self.contact_edit, "可不填；只有本单位能看到。"))
        self.content_edit = text_box(5)
        form.addRow("异议内容", self.errors.block("content", self.content_edit))
        self.general = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "登记", self.save))

    def save(self):
        ok, row = self.errors.submit(lambda: notices.record_objection(
            self.session.actor, self.notice.id, self.item_combo.currentData(), self.date_edit.value(),
            self.source_edit.text(), self.content_edit.toPlainText(), self.contact_edit.text()), self.general)
        if ok:
            self.objection = row
            self.accept()
        return row


class DecideObjectionDialog(QDialog):
    """What looking into an objection found; 异议成立 means the candidate cannot be named."""

    def __init__(self, session: Session, objection, candidate_name: str, parent=None):
        super().__init__(parent)
        self.session, self.objection = session, objection
        self.setWindowTitle("核实公示异议")
        self.setMinimumWidth(520)
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        shown = QLabel(f"<b>针对：</b>{candidate_name}<br><b>收到：</b>{objection.received_date}　"
                       f"<b>反映人：</b>{objection.source or '匿名'}<br><b>内容：</b>{objection.content}")
        shown.setWordWrap(True)
        layout.addWidget(shown)
        form = QFormLayout()
        outcome_box = QWidget()
        row = QHBoxLayout(outcome_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.outcome_group = QButtonGroup(self)
        for key in ("dismissed", "upheld"):
            button = QRadioButton(OUTCOMES[key])
            button.setProperty("outcome", key)
            button.setChecked(objection.outcome == key)
            self.outcome_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        form.addRow("核实结果", self.errors.block("outcome", outcome_box,
                                              "异议成立的对象不能命名或表彰；不成立的，公示期满后可以。"))
        self.note_edit = text_box(4)
        self.note_edit.setPlainText(objection.outcome_note)
        form.addRow("核实情况", self.errors.block("outcome_note", self.note_edit))
        layout.addLayout(form)
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "保存核实结果", self.save))

    def outcome(self) -> str:
        checked = self.outcome_group.checkedButton()
        return checked.property("outcome") if checked is not None else ""

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: notices.decide_objection(
            self.session.actor, self.objection.id, self.outcome(), self.note_edit.toPlainText()), self.general)
        if ok:
            self.accept()
        return ok


class NoticePanel(QWidget):
    """One notice: its dates and state, the candidates (with whether each may be named now) and
    the objections, with the actions a role may take."""

    changed = Signal()

    def __init__(self, session: Session, parent=None, *, columns: tuple[str, str] = ("名称", "说明")):
        super().__init__(parent)
        self.session, self.columns = session, columns
        self.notice = None  # the notice shown (public_notices.get), None for none
        self.names: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("（未选择公示）")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.state_label)
        self.candidate_rows = RowsSource([
            Column("position", "序号", width=44), Column("name", columns[0], width=200),
            Column("detail", columns[1], width=200), Column("clearance", "能否命名/表彰", width=360)])
        self.candidate_view, self.candidate_model = rows_view(self.candidate_rows)
        self.candidate_view.setMinimumHeight(150)  # at least four names in sight
        empty_hint(self.candidate_view, "还没有公示。发布公示后，这里列出公示的名单和每个对象能否命名或表彰。")
        layout.addWidget(self.candidate_view, 2)
        layout.addWidget(QLabel("公示期间收到的异议"))
        self.objection_rows = RowsSource([
            Column("received_date", "收到日期", width=96), Column("candidate", "针对", width=150),
            Column("source", "反映人", width=90), Column("content", "内容", width=260),
            Column("outcome", "核实结果", width=90), Column("outcome_note", "核实情况", width=260)])
        self.objection_view, self.objection_model = rows_view(self.objection_rows)
        self.objection_view.setMinimumHeight(110)
        empty_hint(self.objection_view, "公示期间没有收到异议。收到来电、来信时点「登记异议…」记下来。")
        layout.addWidget(self.objection_view, 2)
        buttons = QHBoxLayout()
        self.object_button = QPushButton("登记异议…")
        self.decide_button = QPushButton("核实所选异议…")
        self.print_button = QPushButton("打印公示名单（PDF）…")
        self.withdraw_button = QPushButton("撤回公示…")
        for button in (self.object_button, self.decide_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.withdraw_button)
        layout.addLayout(buttons)
        self.message = message_label()
        layout.addWidget(self.message)
        self.object_button.clicked.connect(self.record_objection)
        self.decide_button.clicked.connect(self.decide_selected)
        self.print_button.clicked.connect(lambda: self.print_list())
        self.withdraw_button.clicked.connect(self.withdraw)
        self.objection_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def show_notice(self, notice_id: str | None) -> None:
        self.notice = notices.get(notice_id) if notice_id else None
        self.refresh()

    def refresh(self) -> None:
        notice = self.notice = notices.get(self.notice.id) if self.notice else None
        if notice is None:
            self.heading.setText("（未选择公示）")
            self.state_label.clear()
            self.candidate_rows.set_rows([])
            self.objection_rows.set_rows([])
            self.candidate_model.refresh()
            self.objection_model.refresh()
        else:
            state = notices.status(notice)
            self.heading.setText(notice.title)
            withdrawn = f"　撤回原因：{notice.withdrawn_reason}" if notice.withdrawn else ""
            self.state_label.setText(f"公示期 {notice.start_date} 至 {notice.end_date}　{state.text}{withdrawn}")
            rows = notices.candidates(notice.id)
            self.names = {c.item_id: c.name for c in rows}
            cleared = notices.clearance_many([c.item_id for c in rows])
            self.candidate_rows.set_rows([
                (c.item_id, {"position": c.position, "name": c.name, "detail": c.detail,
                             "clearance": cleared[c.item_id].reason}) for c in rows])
            self.objection_rows.set_rows([
                (o.id, {"received_date": str(o.received_date), "candidate": self.names.get(o.item_id, ""),
                        "source": o.source, "content": o.content, "outcome": OUTCOMES.get(o.outcome, o.outcome),
                        "outcome_note": o.outcome_note}) for o in notices.objections(notice.id)])
            self.candidate_model.refresh()
            self.objection_model.refresh()
        self._update_buttons()

    def _selected_objection(self):
        rows = self.objection_view.selectionModel().selectedRows()
        row_id = self.objection_model.id_at(rows[0].row()) if rows else None
        return notices.get_objection(row_id) if row_id else None

    def _update_buttons(self) -> None:
        actor, notice = self.session.actor, self.notice
        live = notice is not None and not notice.withdrawn and not self.session.read_only
        self.object_button.setVisible(actor.can("record_objections"))
        self.object_button.setEnabled(live and notice.start_date <= dt.date.today())
        self.decide_button.setVisible(actor.can("decide_objections"))
        self.decide_button.setEnabled(live and self._selected_objection() is not None)
        self.withdraw_button.setVisible(actor.can("publish_notices"))
        self.withdraw_button.setEnabled(live)
        self.print_button.setEnabled(notice is not None)

    def record_objection(self) -> ObjectionDialog | None:
        if self.notice is None:
            return None
        dialog = ObjectionDialog(self.session, self.notice, self)
        dialog.accepted.connect(lambda: self._done("已登记异议；核实后请登记核实结果。"))
        dialog.open()
        return dialog

    def decide_selected(self) -> DecideObjectionDialog | None:
        objection = self._selected_objection()
        if objection is None:
            return None
        dialog = DecideObjectionDialog(self.session, objection, self.names.get(objection.item_id, ""), self)
        dialog.accepted.connect(lambda: self._done("已保存核实结果。"))
        dialog.open()
        return dialog

    def withdraw(self) -> bool:
        if self.notice is None:
            return False
        reason, ok = QInputDialog.getText(self, "撤回公示", f"撤回「{self.notice.title}」的原因：")
        if not ok:
            return False
        try:
            notices.withdraw(self.session.actor, self.notice.id, reason)
        except (CivDeskError, validation.ValidationError) as exc:
            message = "；".join(exc.errors.values()) if isinstance(exc, validation.ValidationError) else str(exc)
            QMessageBox.warning(self, "不能撤回", message)
            return False
        self._done("公示已撤回；名单中的对象可以重新公示。")
        return True

    def print_list(self, path: str | None = None):
        if self.notice is None:
            return None
        from civdesk.notices import pdf as notice_pdf

        notice_id, columns = self.notice.id, self.columns
        return save_pdf(self, "公示名单", f"{self.notice.title}.pdf",
                        lambda target, _ctx: notice_pdf.write_notice_list(target, notices.get(notice_id),
                                                                          columns=columns),
                        path=path, on_saved=lambda saved: show_message(self.message, f"公示名单已保存到 {saved}"))

    def _done(self, text: str) -> None:
        self.refresh()
        show_message(self.message, text)
        self.changed.emit()
