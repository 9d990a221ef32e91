"""Forms around service hours, used by the 服务时长 page and the volunteer detail alike:
entering a record, correcting an approved one, and asking for a reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.volunteers import hours, teams
from civdesk.volunteers.hours import RecordRow
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.session import Session
from ui.volunteers.picker import VolunteerPicker
from ui.volunteers.records import hours_text
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box

ACTIVITY_DAYS = 400  # activities offered in the entry form: about the last year


def hours_box(value: float = 2.0, minimum: float = 0.5) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setRange(minimum, 24.0)
    box.setValue(value)
    box.setSuffix(" 小时")
    box.setMinimumWidth(box.sizeHint().width() + 20)
    return box


class HoursEntryForm(QWidget):
    """志愿者, 服务日期, 服务时长, 活动, 服务内容 → ``hours.enter``; ``entered(record_id)`` on success."""

    entered = Signal(str)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.errors = FieldErrors()
        self.last_record = None
        self.picker = VolunteerPicker()
        self.date_edit = DateField(dt.date.today())
        self.date_edit.set_latest(dt.date.today())
        self.hours_edit = hours_box()
        self.activity_combo = QComboBox()
        self.activity_combo.setMinimumContentsLength(16)
        self.activity_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.activity_hint = hint_label("")
        self.activity_hint.hide()
        self.content_edit = text_box()
        self.content_edit.setPlaceholderText("做了什么，例如：清理河道垃圾；留空时使用活动的服务内容")

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("志愿者：", self.errors.block("volunteer_id", self.picker))
        activity_box = self.errors.block("activity_id", self.activity_combo)
        activity_box.layout().insertWidget(1, self.activity_hint)
        form.addRow("所属活动：", activity_box)
        form.addRow("服务日期：", self.errors.block("service_date", self.date_edit))
        form.addRow("服务时长：", self.errors.block("hours", self.hours_edit, "按 0.5 小时计；同一人一天合计不超过 24 小时"))
        form.addRow("服务内容：", self.errors.block("content", self.content_edit))
        self.general_error = error_label()
        form.addRow(self.general_error)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.save_button = QPushButton("保存记录")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton("清空")
        self.clear_button.clicked.connect(self.clear)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("color: #2e7d32;")
        form.addRow(self.done_label)

        self.picker.chosen.connect(lambda _id: self.errors.clear("volunteer_id"))
        self.date_edit.dateChanged.connect(lambda _d: self.errors.clear("service_date"))
        self.hours_edit.valueChanged.connect(lambda _v: self.errors.clear("hours"))
        self.activity_combo.currentIndexChanged.connect(self._activity_changed)
        editable = session.actor.can("enter_hours") and not session.read_only
        self.save_button.setEnabled(editable)
        self.reload_activities()

    def reload_activities(self) -> None:
        current = self.activity_combo.currentData() or ""
        self.activity_combo.blockSignals(True)
        self.activity_combo.clear()
        self.activity_combo.addItem("（不属于某项活动）", "")
        self.activities = {a.id: a for a in teams.activities(dt.date.today() - dt.timedelta(days=ACTIVITY_DAYS))}
        for activity in self.activities.values():
            self.activity_combo.addItem(f"{activity.start_date:%m-%d} {activity.name}", activity.id)
        index = self.activity_combo.findData(current)
        self.activity_combo.setCurrentIndex(max(0, index))
        self.activity_combo.blockSignals(False)
        self._show_activity_hint()

    def preset(self, volunteer_id: str | None = None, activity_id: str | None = None) -> None:
        if activity_id:
            index = self.activity_combo.findData(activity_id)
            if index < 0:
                activity = teams.get_activity(activity_id)
                self.activities[activity.id] = activity
                self.activity_combo.addItem(f"{activity.start_date:%m-%d} {activity.name}", activity.id)
                index = self.activity_combo.count() - 1
            self.activity_combo.setCurrentIndex(index)
        if volunteer_id:
            self.picker.set_volunteer(volunteer_id)

    def _activity_changed(self, _index: int) -> None:
        self.errors.clear("activity_id")
        activity = self.activities.get(self.activity_combo.currentData() or "")
        if activity is not None:
            day = self.date_edit.value()
            if day is None or not activity.start_date <= day <= activity.end_date:
                # Service inside the activity's dates is what the service accepts.
                self.date_edit.set_value(min(activity.end_date, dt.date.today()))
        self._show_activity_hint()

    def _show_activity_hint(self) -> None:
        activity = self.activities.get(self.activity_combo.currentData() or "")
        if activity is None:
            self.activity_hint.hide()
            return
        when = activity.start_date.isoformat()
        if activity.end_date != activity.start_date:
            when += f" 至 {activity.end_date.isoformat()}"
        place = f"，{activity.place}" if activity.place else ""
        self.activity_hint.setText(f"活动日期：{when}{place}")
        self.activity_hint.show()

    def save(self):
        self.done_label.clear()
        ok, record = self.errors.submit(lambda: hours.enter(
            self.session.actor, self.picker.volunteer_id(), self.date_edit.text_value(),
            f"{self.hours_edit.value():g}", activity_id=self.activity_combo.currentData() or None,
            content=self.content_edit.toPlainText()), self.general_error)
        if not ok:
            return None
        name = self.picker.edit.text()
        self.done_label.setText(f"已保存：{name} {record.service_date:%Y-%m-%d} {record.half_hours / 2:g} 小时，"
                                "等待审核。可以接着录入下一位。")
        self.last_record = record
        # The next entry is usually another person of the same activity and day.
        self.picker.clear()
        self.content_edit.clear()
        self.picker.edit.setFocus()
        self.entered.emit(record.id)
        return record

    def clear(self) -> None:
        self.errors.clear()
        set_error(self.general_error, None)
        self.done_label.clear()
        self.picker.clear()
        self.content_edit.clear()
        self.activity_combo.setCurrentIndex(0)
        self.date_edit.set_value(dt.date.today())
        self.hours_edit.setValue(2.0)


class HoursEntryDialog(QDialog):
    """The entry form on its own, e.g. from a volunteer's detail; stays open for more entries."""

    def __init__(self, session: Session, volunteer_id: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("录入服务时长")
        self.setMinimumWidth(620)
        self.form = HoursEntryForm(session)
        self.form.preset(volunteer_id)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)


class CorrectionDialog(QDialog):
    """更正已审核记录的时长：a new correcting record, reviewed like any other."""

    def __init__(self, session: Session, record: RecordRow, parent=None):
        super().__init__(parent)
        self.session, self.record = session, record
        self.created = None
        self.errors = FieldErrors()
        self.setWindowTitle("更正服务时长")
        self.setMinimumWidth(560)
        current = hours.effective_half_hours(record.id) / 2
        layout = QVBoxLayout(self)
        info = QLabel(f"<b>{record.volunteer_name}</b>（{record.volunteer_number}）　{record.service_date}　"
                      f"{record.activity or '（不属于某项活动）'}<br>现记录时长：<b>{current:g} 小时</b>")
        info.setWordWrap(True)
        layout.addWidget(info)
        layout.addWidget(hint_label("已审核的记录不能直接修改。更正会新增一条更正记录，写明差额，"
                                    "经其他审核人审核后生效，原记录保留。"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.hours_edit = hours_box(current if current >= 0.5 else 0.5)
        self.reason_edit = text_box(3)
        self.reason_edit.setPlaceholderText("例如：签到表核对后实际为 3 小时")
        form.addRow("更正后时长：", self.errors.block("hours", self.hours_edit))
        form.addRow("更正原因：", self.errors.block("reason", self.reason_edit))
        layout.addLayout(form)
        self.general_error = error_label()
        layout.addWidget(self.general_error)
        layout.addWidget(form_buttons(self, "提交更正", self.save))
        self.hours_edit.valueChanged.connect(lambda _v: self.errors.clear("hours"))
        self.reason_edit.textChanged.connect(lambda: self.errors.clear("reason"))

    def save(self) -> bool:
        ok, created = self.errors.submit(lambda: hours.correct(
            self.session.actor, self.record.id, f"{self.hours_edit.value():g}", self.reason_edit.toPlainText()),
            self.general_error)
        if ok:
            self.created = created
            self.accept()
        return ok

    def summary(self) -> str:
        if self.created is None:
            return ""
        return (f"已提交更正：{self.record.volunteer_name} {self.record.service_date} 调整 "
                f"{hours_text(self.created.half_hours / 2, signed=True)} 小时，审核通过后生效。")


class ReasonDialog(QDialog):
    def __init__(self, title: str, prompt: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.edit = text_box(4)
        layout.addWidget(self.edit)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(form_buttons(self, "确定", self._accept))

    def _accept(self) -> None:
        if not self.edit.toPlainText().strip():
            set_error(self.error, "请写明原因")
            return
        self.accept()

    def reason(self) -> str:
        return self.edit.toPlainText().strip()


def ask_reason(parent, title: str, prompt: str) -> str | None:
    """A reason typed by the user, or None if they cancelled (tests replace this function)."""
    dialog = ReasonDialog(title, prompt, parent)
    return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
