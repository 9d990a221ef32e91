"""下发限期整改通知书: the target, the responsible person, the problems (findings of the target
with their photos, ticked), requirements, the deadline in working days or as a date, and the
served date; the due date it makes is shown as it is typed, counted with the working-day
calendar, with the calendar's warning for a year without its holiday schedule."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.calendar import holidays
from civdesk.office import settings
from civdesk.supervision import common, inspections, rectification
from ui.field_errors import FieldErrors, error_label, hint_label
from ui.session import Session
from ui.supervision.target_picker import TargetPicker
from ui.supervision.widgets import Errors, PhotoStrip, cell, plain_table, text_area
from ui.widgets import fit
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons

WEEKDAYS = "一二三四五六日"


def due_text(served: dt.date | None, days: int | None, deadline: dt.date | None,
             start_word: str = "送达") -> tuple[str, str]:
    """(the due date sentence, the calendar's warning) for the editor's live line."""
    if served is None:
        return f"请先填写{start_word}日期", ""
    if days:
        result = holidays.add_workdays(served, days)
        return (f"整改期限：{result.day}（星期{WEEKDAYS[result.day.weekday()]}），"
                f"即{start_word}次日起 {days} 个工作日内", holidays.warning_for(result))
    if deadline is not None:
        if deadline < served:
            return f"截止日期 {deadline} 早于{start_word}日期 {served}", ""
        count = holidays.workdays_between(served, deadline)
        return (f"整改期限：{deadline}（星期{WEEKDAYS[deadline.weekday()]}），{start_word}后 {count.days} 个工作日",
                holidays.warning_for(count))
    return "", ""


class DeadlineField(QWidget):
    """N working days (from the day after a start date) or a date, with the live due line."""

    def __init__(self, errors: FieldErrors, start_field: DateField, parent=None, *, start_word: str = "送达"):
        super().__init__(parent)
        self.start_field, self.start_word = start_field, start_word
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.by_days = QRadioButton("工作日内")
        self.by_date = QRadioButton("截止日期")
        group = QButtonGroup(self)
        group.addButton(self.by_days)
        group.addButton(self.by_date)
        self.days = QSpinBox()
        self.days.setRange(1, 250)
        self.days.setValue(int(settings.get("supervision.default_workdays")))
        self.days.setSuffix(" 个工作日")
        self.date = DateField(dt.date.today() + dt.timedelta(days=14))
        row.addWidget(self.by_days)
        row.addWidget(self.days)
        row.addSpacing(16)
        row.addWidget(self.by_date)
        row.addWidget(self.date)
        row.addStretch(1)
        layout.addLayout(row)
        self.due = QLabel()
        self.due.setStyleSheet("font-weight: bold;")
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #9a6b00;")
        layout.addWidget(self.due)
        layout.addWidget(self.warning)
        self.by_days.setChecked(True)
        for signal in (self.by_days.toggled, self.days.valueChanged, self.date.dateChanged,
                       start_field.dateChanged):
            signal.connect(lambda *_a: self.update_due())
        self.update_due()

    def values(self) -> dict:
        if self.by_days.isChecked():
            return {"days": self.days.value(), "deadline": None}
        return {"days": None, "deadline": self.date.value()}

    def update_due(self) -> None:
        self.days.setEnabled(self.by_days.isChecked())
        self.date.setEnabled(self.by_date.isChecked())
        chosen = self.values()
        text, warning = due_text(self.start_field.value(), chosen["days"], chosen["deadline"], self.start_word)
        self.due.setText(text)
        self.warning.setText(f"⚠ {warning}" if warning else "")
        self.warning.setVisible(bool(warning))


class NoticeEditor(QDialog):
    def __init__(self, session: Session, parent=None, *, target: tuple[str, str] | None = None,
                 finding_ids: list[str] | None = None, mechanism: str = ""):
        super().__init__(parent)
        self.setWindowTitle("下发限期整改通知书")
        layout = QVBoxLayout(self)
        self.session = session
        self.errors = Errors()
        self.saved = None
        self.finding_rows: list = []
        layout.addWidget(self._target_box())
        layout.addWidget(self._problem_box())
        layout.addWidget(self._deadline_box())
        layout.addStretch(1)
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "下发通知书", self.save))
        fit.scroll_body(self, keep=2)
        fit.fit_to_screen(self, QSize(900, 760))
        self.target.changed.connect(self.target_changed)
        self.findings.itemChanged.connect(lambda _i: self.show_photos())
        if mechanism:
            self.mechanism.setCurrentIndex(max(0, self.mechanism.findText(mechanism)))
        if target:
            self.target.set_target(*target)
        self.target_changed()
        for finding_id in finding_ids or []:
            self.tick(finding_id)

    def _target_box(self) -> QGroupBox:
        box = QGroupBox("整改对象")
        form = QFormLayout(box)
        self.target = TargetPicker()
        self.mechanism = QComboBox()
        self.mechanism.addItems(common.mechanisms())
        self.responsible = QLineEdit()
        self.responsible.setPlaceholderText("整改责任人（选了单位或责任户会自动填上联系人）")
        form.addRow("整改对象：", self.errors.block("target", self.target))
        self.errors.alias("target_kind", "target")
        self.errors.alias("village_id", "target")
        form.addRow("长效机制：", self.errors.block("mechanism", self.mechanism))
        form.addRow("整改责任人：", self.errors.block("responsible", self.responsible))
        return box

    def _problem_box(self) -> QGroupBox:
        box = QGroupBox("存在的问题")
        form = QFormLayout(box)
        self.findings: QTableWidget = plain_table(["督查日期", "检查项", "问题", "照片"], [96, 150, 300, 56], 2)
        self.findings.setMinimumHeight(150)
        self.findings.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.no_findings = hint_label("")
        self.photos = PhotoStrip("（所选问题没有照片）")
        self.problems = text_area(3)
        self.problems.setPlaceholderText("不填时，按勾选的问题逐条写入通知书")
        self.requirements = text_area(3)
        self.requirements.setPlaceholderText("如：立即清运建筑垃圾，恢复路面整洁，并建立日常保洁制度")
        findings = QWidget()
        column = QVBoxLayout(findings)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.no_findings)
        column.addWidget(self.findings)
        form.addRow("督查发现：", self.errors.block("findings", findings))
        form.addRow("问题照片：", self.photos)
        self.photo_form = form
        form.addRow("问题说明：", self.errors.block("problems", self.problems))
        form.addRow("整改要求：", self.errors.block("requirements", self.requirements))
        return box

    def _deadline_box(self) -> QGroupBox:
        box = QGroupBox("整改期限")
        form = QFormLayout(box)
        self.served = DateField(dt.date.today())
        self.deadline = DeadlineField(self.errors, self.served)
        form.addRow("送达日期：", self.errors.block("served_date", self.served))
        form.addRow("整改期限：", self.errors.block("deadline", self.deadline))
        self.errors.alias("deadline_days", "deadline")
        return box

    # -- behaviour ----------------------------------------------------------------------------

    def target_changed(self) -> None:
        name, village = self.target.name(), self.target.village_id()
        if not self.responsible.isModified():
            self.responsible.setText(self.target.responsible())
        self.finding_rows = [f for f in reversed(inspections.finding_rows()) if name and f.target_name == name
                             and f.village_id == village][:60]
        self.findings.blockSignals(True)
        self.findings.setRowCount(len(self.finding_rows))
        for row, f in enumerate(self.finding_rows):
            first = cell(str(f.day), f.id)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Unchecked)
            self.findings.setItem(row, 0, first)
            for col, text in enumerate((f.item or f.mechanism, f.description, f"{len(f.photo_ids)} 张"), start=1):
                self.findings.setItem(row, col, cell(text))
        self.findings.blockSignals(False)
        self.findings.setVisible(bool(self.finding_rows))
        self.no_findings.setText("这个对象还没有督查发现的问题：请在下面「问题说明」中写明。" if name else
                                 "先选择整改对象，这里列出对它督查发现的问题，勾选要整改的。")
        self.no_findings.setVisible(not self.finding_rows)
        self.photo_form.setRowVisible(self.photos, bool(self.finding_rows))
        self.show_photos()

    def tick(self, finding_id: str) -> None:
        for row in range(self.findings.rowCount()):
            item = self.findings.item(row, 0)
            if item.data(Qt.ItemDataRole.UserRole) == finding_id:
                item.setCheckState(Qt.CheckState.Checked)

    def ticked(self) -> list[str]:
        return [self.findings.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.findings.rowCount())
                if self.findings.item(r, 0).checkState() == Qt.CheckState.Checked]

    def show_photos(self) -> None:
        ticked = set(self.ticked())
        ids, captions = [], []
        for f in self.finding_rows:
            if f.id in ticked:
                ids += list(f.photo_ids)
                captions += [f.description] * len(f.photo_ids)
        self.photos.set_stored(ids, captions)

    def values(self) -> dict:
        return {**self.target.values(), "mechanism": self.mechanism.currentText(),
                "responsible": self.responsible.text().strip(), "findings": self.ticked(),
                "problems": self.problems.toPlainText().strip(), "requirements": self.requirements.toPlainText(),
                "served_date": self.served.value(), **self.deadline.values()}

    def save(self) -> bool:
        actor = self.session.actor
        ok, row = self.errors.submit(lambda: rectification.issue(actor, self.values()), self.general)
        if ok:
            self.saved = row
            self.accept()
        return ok
