"""登记督查: date, round, area, inspectors, mechanism, the checklist of the mechanism's template
(合格/不合格 or a score per line), the target, and the problems found with their photos. Every
photo is checked as it is added; the service checks everything again and writes nothing on bad
input (the messages go under their fields)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.supervision import common, inspections, placement_findings, plans
from civdesk.supervision.terms import ITEM_KINDS
from ui.field_errors import FieldErrors, error_label, hint_label
from ui.session import Session
from ui.supervision.target_picker import TargetPicker
from ui.supervision.widgets import Errors, PhotoField, button_row, cell, plain_table
from ui.widgets import fit
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons

PASS_CHOICES = (("", "（未检查）"), ("pass", "合格"), ("fail", "不合格"))


class FindingBox(QGroupBox):
    """One problem: what, under which checklist line, and its 整改前 photos."""

    def __init__(self, number: int, errors: FieldErrors, items: list[str], on_remove, parent=None):
        super().__init__(f"问题 {number}", parent)
        layout = QFormLayout(self)
        self.description = QLineEdit()
        self.description.setPlaceholderText("写明问题，如：主干道两侧堆放建筑垃圾")
        self.item = QComboBox()
        self.set_items(items)
        self.error = error_label()
        self.photos = PhotoField()
        self.photo_error = self.photos.error
        layout.addRow("问题：", self.description)
        layout.addRow("对应检查项：", self.item)
        layout.addRow("公益广告：", self._placement_row())
        layout.addRow("整改前照片：", self.photos)
        layout.addRow("", self.error)
        remove = QPushButton("删去这个问题")
        remove.clicked.connect(lambda: on_remove(self))
        layout.addRow("", button_row(remove))

    def _placement_row(self) -> QWidget:
        """A problem about a 公益广告 (破损, 褪色, 缺失) names it; the placement then shows it."""
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.placement = QComboBox()
        self.placement.addItem("（不涉及公益广告）", "")
        for choice in placement_findings.choices():
            self.placement.addItem(choice.label, choice.id)
        self.placement.setMinimumWidth(260)
        self.placement_state = QComboBox()
        self.placement_state.addItems(placement_findings.STATES)
        self.placement_state.setEnabled(False)
        self.placement.currentIndexChanged.connect(
            lambda _i: self.placement_state.setEnabled(bool(self.placement.currentData())))
        line.addWidget(self.placement, 1)
        line.addWidget(self.placement_state)
        return row

    def set_items(self, items: list[str]) -> None:
        current = self.item.currentText()
        self.item.clear()
        self.item.addItem("（不对应某一检查项）", "")
        for name in items:
            self.item.addItem(name, name)
        index = self.item.findText(current)
        self.item.setCurrentIndex(max(0, index))

    def is_blank(self) -> bool:
        return not self.description.text().strip() and not self.photos.files

    def value(self) -> inspections.FindingInput:
        placement = self.placement.currentData() or ""
        return inspections.FindingInput(self.description.text().strip(), self.item.currentData() or "",
                                        list(self.photos.files), placement,
                                        self.placement_state.currentText() if placement else "")


class InspectionDialog(QDialog):
    def __init__(self, session: Session, parent=None, *, target: tuple[str, str] | None = None,
                 round_id: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("登记督查记录")
        layout = QVBoxLayout(self)
        self.session = session
        self.errors = Errors()
        self.saved = None
        self.findings: list[FindingBox] = []
        layout.addWidget(self._basics())
        layout.addWidget(self._checklist())
        layout.addWidget(self._problems())
        layout.addStretch(1)
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "保存督查记录", self.save))
        fit.scroll_body(self, keep=2)
        fit.fit_to_screen(self, QSize(900, 760))
        self.mechanism.currentIndexChanged.connect(lambda _i: self.load_checklist())
        self.load_checklist()
        if target:
            self.target.set_target(*target)
        if round_id:
            self.round_combo.setCurrentIndex(max(0, self.round_combo.findData(round_id)))

    # -- building -----------------------------------------------------------------------------

    def _basics(self) -> QGroupBox:
        box = QGroupBox("督查情况")
        form = QFormLayout(box)
        e = self.errors
        self.day = DateField(dt.date.today())
        self.day.set_latest(dt.date.today())
        self.mechanism = QComboBox()
        self.mechanism.addItems(common.mechanisms())
        self.round_combo = QComboBox()
        self.round_combo.addItem("（不属于某个督查计划）", "")
        for r in plans.rounds():
            self.round_combo.addItem(r.name, r.id)
        self.area_combo = QComboBox()
        self.area_combo.addItem("（不指定片区）", "")
        for area in plans.areas():
            self.area_combo.addItem(f"{area.name}", area.id)
        self.inspectors = QLineEdit()
        names = "、".join(m.name for m in plans.members()[:4])
        self.inspectors.setPlaceholderText(f"用顿号隔开，如：{names}" if names else "用顿号隔开，如：王强、李秀英")
        self.target = TargetPicker()
        self.location = QLineEdit()
        self.location.setPlaceholderText("具体位置，如：村委会门前主干道（可不填）")
        form.addRow("督查日期：", e.block("day", self.day))
        form.addRow("长效机制：", e.block("mechanism", self.mechanism))
        form.addRow("督查计划：", e.block("round_id", self.round_combo))
        form.addRow("督查片区：", e.block("area_id", self.area_combo))
        form.addRow("督查人员：", e.block("inspectors", self.inspectors))
        form.addRow("督查对象：", e.block("target", self.target))
        self.errors.alias("target_kind", "target")
        self.errors.alias("village_id", "target")
        form.addRow("具体位置：", self.location)
        return box

    def _checklist(self) -> QGroupBox:
        box = QGroupBox("检查表")
        layout = QVBoxLayout(box)
        layout.addWidget(hint_label("按所选长效机制的检查表逐项评价；判为不合格（打分项低于满分的 60%）而没有单独写问题的，"
                                    "保存时自动记为一个问题，以便下发整改通知。"))
        self.table: QTableWidget = plain_table(["检查内容", "评价方式", "结果"], [360, 110, 150], 0)
        self.table.setMinimumHeight(200)
        layout.addWidget(self.errors.block("checklist", self.table))
        return box

    def _problems(self) -> QGroupBox:
        box = QGroupBox("发现的问题")
        self.problem_layout = QVBoxLayout(box)
        self.no_problem = hint_label("没有发现问题就不用填写；发现问题请点「增加一个问题」，写明问题并附上照片。")
        self.problem_layout.addWidget(self.no_problem)
        self.add_problem_button = QPushButton("增加一个问题")
        row = QHBoxLayout()
        row.addWidget(self.add_problem_button)
        row.addStretch(1)
        self.problem_layout.addLayout(row)
        self.add_problem_button.clicked.connect(lambda: self.add_finding())
        return box

    # -- the checklist ------------------------------------------------------------------------

    def load_checklist(self) -> None:
        self.lines = plans.template(self.mechanism.currentText())
        self.table.setRowCount(len(self.lines))
        self.result_widgets: dict[str, QWidget] = {}
        for row, line in enumerate(self.lines):
            self.table.setItem(row, 0, cell(line.name))
            kind = ITEM_KINDS.get(line.kind, line.kind) + (f"（满分 {line.max_points}）" if line.kind == "score" else "")
            self.table.setItem(row, 1, cell(kind))
            if line.kind == "pass":
                widget = QComboBox()
                for value, label in PASS_CHOICES:
                    widget.addItem(label, value)
            else:
                widget = QLineEdit()
                widget.setPlaceholderText(f"0–{line.max_points}")
            self.table.setCellWidget(row, 2, widget)
            self.result_widgets[line.name] = widget
        self.table.resizeRowsToContents()
        for box in self.findings:
            box.set_items([line.name for line in self.lines])

    def set_result(self, item: str, value: str) -> None:
        widget = self.result_widgets[item]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        else:
            widget.setText(value)

    def checklist_values(self) -> dict:
        found = {}
        for name, widget in self.result_widgets.items():
            value = widget.currentData() if isinstance(widget, QComboBox) else widget.text().strip()
            if value:
                found[name] = value
        return found

    # -- problems -----------------------------------------------------------------------------

    def add_finding(self) -> FindingBox:
        box = FindingBox(len(self.findings) + 1, self.errors, [line.name for line in self.lines], self.remove_finding)
        self.findings.append(box)
        self.problem_layout.insertWidget(self.problem_layout.count() - 1, box)
        self.no_problem.hide()
        return box

    def remove_finding(self, box: FindingBox) -> None:
        self.findings.remove(box)
        for key in [k for k, label in self.errors.labels.items() if label is box.error]:
            del self.errors.labels[key]
        box.hide()
        box.deleteLater()
        for number, other in enumerate(self.findings, start=1):
            other.setTitle(f"问题 {number}")
        self.no_problem.setVisible(not self.findings)

    # -- saving -------------------------------------------------------------------------------

    def values(self) -> dict:
        return {"day": self.day.value(), "mechanism": self.mechanism.currentText(),
                "inspectors": self.inspectors.text(), "location": self.location.text(),
                "round_id": self.round_combo.currentData() or None, "area_id": self.area_combo.currentData() or None,
                "checklist": self.checklist_values(), **self.target.values()}

    def save(self) -> bool:
        given = [box for box in self.findings if not box.is_blank()]
        for number, box in enumerate(given, start=1):
            self.errors.add(f"finding{number}", box.error)
        actor = self.session.actor
        ok, row = self.errors.submit(
            lambda: inspections.record(actor, self.values(), [box.value() for box in given]), self.general)
        if ok:
            self.saved = row
            self.accept()
        return ok
