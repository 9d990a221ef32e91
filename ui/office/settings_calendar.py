"""设置 → 节假日: the official holidays and make-up working days (调休) of a year, where they come
from, and an administrator's edits or a sheet import. Every working-day deadline uses them."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from civdesk.calendar import holidays
from civdesk.core.errors import CivDeskError
from ui.field_errors import message_label, show_message
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.empty import empty_hint
from ui.widgets.tables import current_id, set_row, simple_table

KIND_LABELS = {"休": "休（放假）", "班": "班（调休上班）"}


class CalendarTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.editable = session.actor.can("edit_settings") and not session.read_only
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_year_row())
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        layout.addWidget(self.source_label)
        self.table = simple_table(["日期", "星期", "类型", "名称"])
        empty_hint(self.table, "这一年还没有放假安排。国务院每年年底公布下一年的安排，请逐日录入或从表格导入。",
                   "从表格导入…" if self.editable else "", self.import_sheet if self.editable else None)
        layout.addWidget(self.table, 1)
        if self.editable:
            layout.addLayout(self._build_edit_row())
        self.message = message_label()
        layout.addWidget(self.message)
        self.refresh()

    def _build_year_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("年份"))
        self.year = QSpinBox()
        self.year.setRange(1950, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _value: self.refresh())
        row.addWidget(self.year)
        row.addStretch(1)
        if self.editable:
            button = QPushButton("从表格导入…")
            button.setToolTip("表格的三列：日期、类型（休 或 班）、名称。导入的年份整年替换。")
            button.clicked.connect(lambda: self.import_sheet())
            row.addWidget(button)
        return row

    def _build_edit_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.day = DateField()
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.name = QLineEdit()
        self.name.setPlaceholderText("名称，如 国庆节")
        add = QPushButton("设为这一天")
        add.clicked.connect(self.set_day)
        remove = QPushButton("恢复为普通日")
        remove.setToolTip("删除所选日期的安排：周一至周五上班，周末休息。")
        remove.clicked.connect(self.remove_day)
        for widget in (QLabel("日期"), self.day, self.kind, self.name):
            row.addWidget(widget)
        row.addWidget(add)
        row.addWidget(remove)
        return row

    def refresh(self) -> None:
        info = holidays.year_info(self.year.value())
        texts = {"table": f"{info.year} 年的安排由本单位录入，共 {len(info.days)} 天。",
                 "package": f"{info.year} 年的安排来自国务院公布的放假通知（程序自带）。修改其中一天时，"
                            "整年的安排会先复制过来，再作修改。",
                 "none": f"未录入 {info.year} 年放假安排：这一年的工作日暂按周一至周五计算，整改、热线等期限可能算错。"}
        show_message(self.source_label, texts[info.source], ok=info.source != "none")
        weekdays = "一二三四五六日"
        self.table.setRowCount(len(info.days))
        for row, day in enumerate(info.days):
            set_row(self.table, row, [day.day.isoformat(), f"星期{weekdays[day.day.weekday()]}",
                                      KIND_LABELS.get(day.kind, day.kind), day.name], day.day.isoformat())
        self.table.resizeColumnsToContents()  # 「班（调休上班）」 whole; 名称 takes the rest

    def set_day(self) -> None:
        day = self.day.value()
        try:
            holidays.set_day(self.session.actor, day, self.kind.currentData(), self.name.text())
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return
        self.year.setValue(day.year)
        self.refresh()
        show_message(self.message, f"已把 {day} 设为“{self.kind.currentText()}”。")

    def remove_day(self) -> None:
        chosen = current_id(self.table)
        if not chosen:
            show_message(self.message, "请先在表中选择要恢复为普通日的日期。", ok=False)
            return
        try:
            holidays.remove_day(self.session.actor, dt.date.fromisoformat(chosen))
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return
        self.refresh()
        show_message(self.message, f"{chosen} 已恢复为普通日。")

    def import_sheet(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "导入放假安排", "", "Excel 表格 (*.xlsx)")
        if not path:
            return
        try:
            years = holidays.import_sheet(self.session.actor, path)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return
        if years:
            self.year.setValue(max(years))
        self.refresh()
        show_message(self.message, "已导入：" + "，".join(f"{year} 年 {count} 天" for year, count in years.items()))
