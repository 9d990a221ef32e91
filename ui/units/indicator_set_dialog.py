"""Editing a 测评体系 on screen (administrators): the items in a table, the score lines, saved as a
new version of the title's set for the year — applications already started keep the version
they were filed under."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from civdesk.core.errors import CivDeskError
from civdesk.units import organisations as units
from civdesk.units.terms import TITLES, points_text
from ui.field_errors import error_label, set_error
from ui.session import Session
from ui.widgets.fit import fit_columns, fit_to_screen
from ui.widgets.forms import form_buttons

HEADERS = ["测评项目", "指标内容", "分值", "等次分值", "评分标准", "佐证材料"]
KEYS = ["group_name", "name", "max_points", "grades", "guidance", "evidence"]


class IndicatorSetDialog(QDialog):
    def __init__(self, session: Session, set_id: str | None, year: int, parent=None):
        super().__init__(parent)
        self.session = session
        self.saved = None
        self.setWindowTitle("编辑测评体系")
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form(year))
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for col, width in enumerate((110, 330, 56, 150, 260, 180)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fit_columns(self.table)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        for text, slot in (("增加一行", self.add_row), ("删除所选行", self.remove_rows), ("上移", lambda: self.move(-1)),
                           ("下移", lambda: self.move(1))):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, f=slot: f())
            row.addWidget(button)
        row.addStretch(1)
        self.total_label = QLabel()
        row.addWidget(self.total_label)
        layout.addLayout(row)
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "保存为新版本", self.save))
        fit_to_screen(self, QSize(1150, 700))
        self.table.itemChanged.connect(lambda _i: self.update_total())
        if set_id:
            existing = units.get_set(set_id)
            self.kind_combo.setCurrentText(existing.kind)
            self.self_spin.setValue(existing.self_threshold or 0)
            self.pass_spin.setValue(existing.pass_threshold or 0)
            for values in units.set_rows(set_id):
                self.add_row(values)
        self.update_total()

    def _build_form(self, year: int) -> QFormLayout:
        """Title, year, name and score lines of the set."""
        form = QFormLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(TITLES)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("留空时为「某年度某称号测评体系」")
        lines = QHBoxLayout()
        self.self_spin, self.pass_spin = QSpinBox(), QSpinBox()
        for spin in (self.self_spin, self.pass_spin):
            spin.setRange(0, 100)
            spin.setSpecialValueText("按设置")
            spin.setSuffix(" 分")
        lines.addWidget(QLabel("申报需自评"))
        lines.addWidget(self.self_spin)
        lines.addWidget(QLabel("测评通过需"))
        lines.addWidget(self.pass_spin)
        lines.addWidget(QLabel("（选「按设置」时用 设置 → 参数 中的分数线）"))
        lines.addStretch(1)
        form.addRow("适用称号：", self.kind_combo)
        form.addRow("年度：", self.year_spin)
        form.addRow("名称：", self.name_edit)
        form.addRow("分数线：", lines)
        return form

    def add_row(self, values: dict | None = None) -> None:
        values = values or {}
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, key in enumerate(KEYS):
            value = values.get(key, "")
            text = f"{value:g}" if isinstance(value, float) else str(value or "")
            self.table.setItem(row, col, QTableWidgetItem(text))

    def remove_rows(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.update_total()

    def move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        values = self.row_values(row)
        self.table.removeRow(row)
        self.table.insertRow(target)
        for col, key in enumerate(KEYS):
            self.table.setItem(target, col, QTableWidgetItem(str(values[key])))
        self.table.selectRow(target)

    def row_values(self, row: int) -> dict:
        return {key: (self.table.item(row, col).text().strip() if self.table.item(row, col) else "")
                for col, key in enumerate(KEYS)}

    def rows(self) -> list[dict]:
        found = [self.row_values(r) for r in range(self.table.rowCount())]
        return [r for r in found if any(r.values())]

    def update_total(self) -> None:
        total = 0.0
        for values in self.rows():
            try:
                total += float(values["max_points"] or units.parse_grades(values["grades"])[1] / 10)
            except (ValueError, CivDeskError):  # a wrong cell is reported on saving, with its row number
                continue
        ok = abs(total - 100) < 0.05
        self.total_label.setText(f"合计 {points_text(round(total * 10))} 分" + ("" if ok else "（应为 100 分）"))
        self.total_label.setStyleSheet("" if ok else "color: #a93226;")

    def save(self):
        set_error(self.general, None)
        try:
            self.saved = units.create_set(
                self.session.actor, self.kind_combo.currentText(), self.year_spin.value(), self.rows(),
                name=self.name_edit.text(), self_threshold=self.self_spin.value() or None,
                pass_threshold=self.pass_spin.value() or None, note="在程序中编辑")
        except CivDeskError as exc:  # ValidationError / PermissionDenied: the message says which row
            set_error(self.general, str(exc))
            return None
        self.accept()
        return self.saved
