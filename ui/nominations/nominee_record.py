"""人员档案: a nominee's details, every nomination, honours, and the upward track (推荐到新都好人、
成都好人榜、四川好人榜、中国好人榜 and the outcome), with the forms to add to them."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from civdesk.core import validation
from civdesk.nominations import award
from civdesk.nominations.terms import UPWARD_LISTS, UPWARD_OUTCOMES
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.session import Session
from ui.widgets import fit
from ui.widgets.choices import choice_combo
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons
from ui.widgets.tables import current_id, set_row, simple_table


class SubmissionDialog(QDialog):
    def __init__(self, session: Session, nominee_id: str, nomination_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session, self.nominee_id, self.nomination_id = session, nominee_id, nomination_id
        self.setWindowTitle("向上推荐")
        self.setMinimumWidth(460)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.list_combo = choice_combo(UPWARD_LISTS, editable=True, blank=None)
        self.list_combo.setCurrentIndex(0)
        today = dt.date.today()
        self.period_edit = QLineEdit(f"{today.year}年{today.month}月")
        self.period_edit.setPlaceholderText("如：2026年11月、2026年第4季度")
        self.date_edit = DateField(today)
        self.note_edit = QLineEdit()
        form.addRow("推荐到：", self.errors.block("list_name", self.list_combo))
        form.addRow("月份/季度：", self.errors.block("period", self.period_edit))
        form.addRow("报送日期：", self.errors.block("submitted_date", self.date_edit))
        form.addRow("备注：", self.note_edit)
        self.general = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "登记报送", self.save))

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: award.submit_upward(
            self.session.actor, self.nominee_id, self.list_combo.currentText(), self.date_edit.value(),
            period=self.period_edit.text(), nomination_id=self.nomination_id, note=self.note_edit.text()), self.general)
        if ok:
            self.accept()
        return ok


def submission_text(submission) -> str:
    """「2026年第4季度 成都好人榜（2026-11-20 报送）」: which submission a result is for."""
    return f"{submission.period} {submission.list_name}（{submission.submitted_date.isoformat()} 报送）".strip()


class OutcomeDialog(QDialog):
    def __init__(self, session: Session, submission_id: str, parent=None, *, label: str = ""):
        super().__init__(parent)
        self.session, self.submission_id = session, submission_id
        self.setWindowTitle("登记评选结果")
        self.setMinimumWidth(460)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.outcome_combo = QComboBox()
        for key in ("listed", "not_listed"):
            self.outcome_combo.addItem(UPWARD_OUTCOMES[key], key)
        self.date_edit = DateField(dt.date.today())
        self.note_edit = QLineEdit()
        form.addRow("结果：", self.errors.block("outcome", self.outcome_combo))
        form.addRow("结果日期：", self.errors.block("outcome_date", self.date_edit))
        form.addRow("备注：", self.note_edit)
        self.general = error_label()
        layout = QVBoxLayout(self)
        if label:
            shown = QLabel(label)
            shown.setWordWrap(True)
            layout.addWidget(shown)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "保存", self.save))

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: award.record_outcome(
            self.session.actor, self.submission_id, self.outcome_combo.currentData(), self.date_edit.value(),
            self.note_edit.text()), self.general)
        if ok:
            self.accept()
        return ok


class HonourDialog(QDialog):
    """An honour the person received before (from paper records), so new nominations show it."""

    def __init__(self, session: Session, nominee_id: str, parent=None):
        super().__init__(parent)
        self.session, self.nominee_id = session, nominee_id
        self.setWindowTitle("登记以往荣誉")
        self.setMinimumWidth(460)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("如：2024年度清溪镇道德模范")
        self.level_combo = choice_combo(("镇级", "区级", "市级", "省级", "国家级"), editable=True, blank=None)
        self.level_combo.setCurrentIndex(0)
        self.by_edit = QLineEdit()
        self.date_edit = DateField(optional=True)
        form.addRow("荣誉名称：", self.errors.block("title", self.title_edit))
        form.addRow("级别：", self.level_combo)
        form.addRow("授予单位：", self.by_edit)
        form.addRow("授予日期：", self.errors.block("awarded_date", self.date_edit))
        self.general = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "登记", self.save))

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: award.add_honour(
            self.session.actor, self.nominee_id, self.title_edit.text(), self.level_combo.currentText(),
            self.by_edit.text(), self.date_edit.value()), self.general)
        if ok:
            self.accept()
        return ok


class PersonRecordDialog(QDialog):
    def __init__(self, session: Session, nominee_id: str, nomination_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session, self.nominee_id, self.nomination_id = session, nominee_id, nomination_id
        self.setMinimumSize(760, 480)
        self.can_edit = session.actor.can("edit_nominations") and not session.read_only
        layout = QVBoxLayout(self)
        self.info = QLabel()
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        history = QGroupBox("推荐记录")
        history_layout = QVBoxLayout(history)
        self.history_table = simple_table(["评选活动", "类别", "结果"])
        self.history_table.setColumnWidth(0, 360)
        history_layout.addWidget(self.history_table)
        layout.addWidget(history, 2)  # one or two nominations as a rule: the lists below get more
        honours = QGroupBox("所获荣誉")
        honours_layout = QVBoxLayout(honours)
        self.honours_table = simple_table(["荣誉", "级别", "授予单位", "日期"])
        self.honours_table.setColumnWidth(0, 360)
        honours_layout.addWidget(self.honours_table)
        self.honour_button = QPushButton("登记以往荣誉…")
        honour_row = QHBoxLayout()
        honour_row.addWidget(self.honour_button)
        honour_row.addStretch(1)
        honours_layout.addLayout(honour_row)
        layout.addWidget(honours, 3)
        upward = QGroupBox("向上推荐")
        upward_layout = QVBoxLayout(upward)
        self.upward_table = simple_table(["推荐到", "月份/季度", "报送日期", "结果", "结果日期", "备注"])
        for col, width in enumerate((130, 140, 110, 80, 110)):
            self.upward_table.setColumnWidth(col, width)
        upward_layout.addWidget(self.upward_table)
        buttons = QHBoxLayout()
        self.submit_button = QPushButton("向上推荐…")
        self.submit_button.setProperty("primary", True)
        self.outcome_button = QPushButton("登记评选结果…")
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.outcome_button)
        buttons.addStretch(1)
        upward_layout.addLayout(buttons)
        layout.addWidget(upward, 3)
        self.message = message_label()
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)  # beside 关闭: the lists keep its line
        row.addWidget(close)
        layout.addLayout(row)
        self.submit_button.clicked.connect(lambda: self.submit())
        self.honour_button.clicked.connect(lambda: self.add_honour())
        self.outcome_button.clicked.connect(lambda: self.record_outcome())
        self.refresh()
        fit.fit_to_screen(self, QSize(940, 720))  # as much of the three lists as the screen shows

    def refresh(self) -> None:
        record = award.person_record(self.nominee_id)
        person = record.nominee
        self.setWindowTitle(f"人员档案：{person.name}")
        village = person.display_value("village_id", person.village_id)
        self.info.setText(f"<b style='font-size:large'>{person.name}</b>　{person.sex}　"
                          f"{validation.mask_id_number(person.id_number)}　{village}　{person.occupation}　"
                          f"{person.political_status}　{validation.mask_phone(person.phone)}")
        self.history_table.setRowCount(len(record.nominations))
        for r, values in enumerate(record.nominations):
            set_row(self.history_table, r, list(values), "")
        self.honours_table.setRowCount(len(record.honours))
        for r, h in enumerate(record.honours):
            set_row(self.honours_table, r, [h.title, h.level, h.awarded_by,
                                            h.awarded_date.isoformat() if h.awarded_date else ""], h.id)
        self.upward_table.setRowCount(len(record.submissions))
        for r, s in enumerate(record.submissions):
            set_row(self.upward_table, r, [s.list_name, s.period, s.submitted_date.isoformat(),
                                           UPWARD_OUTCOMES[s.outcome],
                                           s.outcome_date.isoformat() if s.outcome_date else "", s.note], s.id)
        self.honour_button.setEnabled(self.can_edit)
        self.submit_button.setEnabled(self.can_edit and bool(record.honours))
        self.submit_button.setToolTip("" if record.honours else "本级表彰后才能向上推荐")
        self.outcome_button.setEnabled(self.can_edit and any(s.outcome == "pending" for s in record.submissions))

    def add_honour(self) -> HonourDialog:
        dialog = HonourDialog(self.session, self.nominee_id, self)
        dialog.accepted.connect(lambda: (self.refresh(), show_message(self.message, "已登记荣誉。")))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def submit(self) -> SubmissionDialog:
        dialog = SubmissionDialog(self.session, self.nominee_id, self.nomination_id, self)
        dialog.accepted.connect(lambda: (self.refresh(), show_message(self.message, "已登记向上推荐。")))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def record_outcome(self) -> OutcomeDialog | None:
        submission_id = current_id(self.upward_table)
        record = award.person_record(self.nominee_id)
        if not submission_id:
            pending = [s for s in record.submissions if s.outcome == "pending"]
            if not pending:
                return None
            submission_id = pending[0].id
        chosen = next((s for s in record.submissions if s.id == submission_id), None)
        label = f"{record.nominee.name}：{submission_text(chosen)}" if chosen else ""
        dialog = OutcomeDialog(self.session, submission_id, self, label=label)
        dialog.accepted.connect(lambda: (self.refresh(), show_message(self.message, "已登记评选结果。")))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
