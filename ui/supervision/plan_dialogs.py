"""The planning editors of 督查整改 → 督查计划: a 督查片区 and its route, a member of the 督查组, a
recurring round, and a mechanism's checklist template (a table: 检查内容 and, for a scored line,
its 满分). Each dialog saves through one service call: refused input shows under its field and
nothing is written; saved edits are audited by the service."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from civdesk.core.validation import ValidationError
from civdesk.supervision import common, plans
from civdesk.supervision.terms import FREQUENCIES
from ui.field_errors import error_label, hint_label
from ui.session import Session
from ui.supervision.widgets import Errors, button_row, text_area
from ui.widgets import fit
from ui.widgets.choices import village_combo
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons
from ui.widgets.table_editor import TableEditor

ROLES = ("组长", "副组长", "成员")


class PlanDialog(QDialog):
    """A form, the general message and 保存/取消, its body scrolling inside the screen."""

    size_wanted = QSize(560, 300)  # grown to the whole form by fit_to_screen, as the screen allows

    def __init__(self, session: Session, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.session = session
        self.errors = Errors()
        self.saved = None
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)

    def row(self, label: str, name: str, widget, hint: str = "") -> None:
        self.form.addRow(label, self.errors.block(name, widget, hint))

    def finish(self) -> None:
        self.layout_.addStretch(1)
        self.general = error_label()
        self.layout_.addWidget(self.general)
        self.buttons = form_buttons(self, "保存", self.save)
        self.layout_.addWidget(self.buttons)
        fit.scroll_body(self, keep=2)
        fit.fit_to_screen(self, self.size_wanted)

    def save(self) -> bool:
        """Each dialog's ``call`` makes its one service call."""
        ok, row = self.errors.submit(self.call, self.general)
        if ok:
            self.saved = row
            self.accept()
        return ok


class AreaDialog(PlanDialog):
    def __init__(self, session: Session, area_id: str | None = None, parent=None):
        super().__init__(session, "修改督查片区" if area_id else "新增督查片区", parent)
        self.area_id = area_id
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：村委会片区、人民路路段")
        self.village = village_combo("（镇区，不属于某个村）")
        self.route = text_area(3)
        self.route.setPlaceholderText("巡查路线，如：村委会—小学—菜市场—卫生院")
        self.note = text_area(2)
        self.row("片区名称：", "name", self.name)
        self.row("所属村/社区：", "village_id", self.village, "添加后不能改到另一个村（社区）" if area_id else "")
        self.row("巡查路线：", "route", self.route)
        self.row("备注：", "note", self.note)
        self.finish()
        if area_id:
            row = plans.get_area(area_id)
            self.name.setText(row.name)
            self.village.setCurrentIndex(max(0, self.village.findData(row.village_id or "")))
            self.village.setEnabled(False)
            self.route.setPlainText(row.route)
            self.note.setPlainText(row.note)

    def values(self) -> dict:
        return {"name": self.name.text(), "village": self.village.currentData() or None,
                "route": self.route.toPlainText(), "note": self.note.toPlainText()}

    def call(self):
        values, actor = self.values(), self.session.actor
        if self.area_id:
            return plans.update_area(actor, self.area_id, values)
        return plans.add_area(actor, values["name"], values["village"], route=values["route"], note=values["note"])


class MemberDialog(PlanDialog):
    def __init__(self, session: Session, member_id: str | None = None, parent=None):
        super().__init__(session, "修改督查组成员" if member_id else "新增督查组成员", parent)
        self.member_id = member_id
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.addItems(ROLES)
        self.role.setCurrentText("成员")
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("如：镇文明办、镇城管中队")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机或座机，可不填；列表中只显示部分号码")
        self.active = QCheckBox("在督查组中（取消勾选即退出督查组，以往的督查记录不受影响）")
        self.active.setChecked(True)
        self.row("姓名：", "name", self.name)
        self.row("职务：", "role", self.role)
        self.row("工作单位：", "unit", self.unit)
        self.row("联系电话：", "phone", self.phone)
        if member_id:
            self.row("", "active", self.active)
        self.finish()
        if member_id:
            row = plans.get_member(member_id)
            self.name.setText(row.name)
            self.role.setCurrentText(row.role)
            self.unit.setText(row.unit)
            self.phone.setText(row.phone)
            self.active.setChecked(bool(row.active))

    def values(self) -> dict:
        return {"name": self.name.text(), "role": self.role.currentText(), "unit": self.unit.text(),
                "phone": self.phone.text(), "active": self.active.isChecked()}

    def call(self):
        values, actor = self.values(), self.session.actor
        if self.member_id:
            return plans.update_member(actor, self.member_id, values)
        return plans.add_member(actor, values["name"], values["role"], values["unit"], values["phone"])


class RoundDialog(PlanDialog):
    size_wanted = QSize(600, 420)

    def __init__(self, session: Session, round_id: str | None = None, parent=None):
        super().__init__(session, "修改督查计划" if round_id else "新增督查计划", parent)
        self.round_id = round_id
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：红星村月度督查、全镇季度督查")
        self.frequency = QComboBox()
        for key, label in FREQUENCIES.items():
            self.frequency.addItem(label, key)
        self.village = village_combo("（全镇）")
        self.area = QComboBox()
        self.area.addItem("（不指定片区）", "")
        for area in plans.area_rows():
            self.area.addItem(f"{area.name}（{area.village_name}）", area.id)
        self.mechanism = QComboBox()
        self.mechanism.addItem("（不限长效机制）", "")
        for mechanism in common.mechanisms():
            self.mechanism.addItem(mechanism, mechanism)
        self.due_day = QSpinBox()
        self.due_day.setRange(1, 31)
        self.due_day.setValue(25)
        self.due_day.setSuffix(" 日")
        self.start = DateField(dt.date.today().replace(day=1))
        self.active = QCheckBox("启用（停用后不再提醒，以往各期仍计入督查通报）")
        self.active.setChecked(True)
        self.row("计划名称：", "name", self.name)
        self.row("频次：", "frequency", self.frequency)
        self.row("村/社区：", "village_id", self.village, "添加后不能改到另一个村（社区）" if round_id else "")
        self.row("督查片区：", "area_id", self.area)
        self.row("长效机制：", "mechanism", self.mechanism)
        self.row("每期截止日：", "due_day", self.due_day, "每月计划为当月的这一天，季度计划为季度末月的这一天（月末不足时取最后一天）")
        self.row("开始日期：", "start_date", self.start)
        if round_id:
            self.row("", "active", self.active)
        self.finish()
        if round_id:
            self._load(plans.get_round(round_id))

    def _load(self, row) -> None:
        self.name.setText(row.name)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(row.frequency)))
        self.village.setCurrentIndex(max(0, self.village.findData(row.village_id or "")))
        self.village.setEnabled(False)
        self.area.setCurrentIndex(max(0, self.area.findData(row.area_id or "")))
        self.mechanism.setCurrentIndex(max(0, self.mechanism.findData(row.mechanism or "")))
        self.due_day.setValue(row.due_day)
        self.start.set_value(row.start_date)
        self.active.setChecked(bool(row.active))

    def values(self) -> dict:
        return {"name": self.name.text(), "frequency": self.frequency.currentData(),
                "village": self.village.currentData() or None, "area_id": self.area.currentData() or None,
                "mechanism": self.mechanism.currentData() or "", "due_day": self.due_day.value(),
                "start_date": self.start.value(), "active": self.active.isChecked()}

    def call(self):
        values, actor = self.values(), self.session.actor
        if self.round_id:
            return plans.update_round(actor, self.round_id, values)
        return plans.add_round(actor, values["name"], values["frequency"], values["start_date"],
                               village=values["village"], area_id=values["area_id"], mechanism=values["mechanism"],
                               due_day=values["due_day"])


class TemplateDialog(PlanDialog):
    """One mechanism's checklist: a row per line; a 满分 makes the line scored, an empty one makes it
    合格/不合格. Saved whole (the service replaces the lines in one transaction) or not at all."""

    size_wanted = QSize(640, 480)

    def __init__(self, session: Session, mechanism: str, parent=None):
        super().__init__(session, f"检查表：{mechanism}", parent)
        self.mechanism = mechanism
        self.layout_.insertWidget(0, hint_label(
            f"「{mechanism}」督查时逐项评价的内容。填了满分的是打分项，满分留空的按合格/不合格评价。"
            "修改只影响以后登记的督查，已登记的督查记录保留当时的检查表。"))
        self.editor = TableEditor("检查内容", "满分（不打分留空）", unit=" 分", optional=True)
        self.errors.add("lines", self.editor.error_label)
        self.layout_.addWidget(self.editor)
        self.default_button = QPushButton("恢复默认检查表")
        self.layout_.addWidget(button_row(self.default_button))
        self.default_button.clicked.connect(lambda: self.show_lines(plans.default_template(mechanism)))
        self.finish()
        self.show_lines(plans.template(mechanism))

    def show_lines(self, lines) -> None:
        self.editor.set_pairs([(line.name, line.max_points if line.kind == "score" else None) for line in lines])

    def lines(self) -> list[tuple[str, str, int]]:
        return [(name, "score" if number else "pass", number or 0) for name, number in self.editor.pairs()]

    def call(self):
        problem = self.editor.problem()
        if problem:  # what the table already says under itself: nothing is sent
            raise ValidationError({"lines": problem})
        return plans.set_template(self.session.actor, self.mechanism, self.lines())
