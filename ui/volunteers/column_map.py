"""The column-mapping step of the import dialog: every column of the clerk's sheet with a few of
its values and the field it goes to, chosen from a list (「不导入」 is a choice like any other).
A column with dates or numbers that nothing claims is shown in red until the clerk decides.

The widget only shows what ``civdesk.volunteers.import_columns.choices`` worked out (in the
background, with the preview) and reports the clerk's choices as a mapping.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from civdesk.volunteers.import_columns import SKIP, ColumnChoice
from civdesk.xlsx.guess import KIND_LABELS
from civdesk.xlsx.read import ColumnSpec
from ui.field_errors import ERROR_COLOR

__all__ = ["ColumnMapTable"]

HEADERS = ("表格中的列", "示例", "导入为", "说明")
ASK_BACKGROUND = QColor("#fdecea")


class ColumnMapTable(QTableWidget):
    """header · samples · field (a combo box) · why."""

    mapping_changed = Signal(dict)  # header -> field key or None, for every column

    def __init__(self, specs: list[ColumnSpec], parent: QWidget | None = None):
        super().__init__(0, len(HEADERS), parent)
        self.specs = specs
        self.choices: list[ColumnChoice] = []
        self.setHorizontalHeaderLabels(HEADERS)
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)

    def set_choices(self, choices: list[ColumnChoice]) -> None:
        self.choices = list(choices)
        self.setRowCount(len(choices))
        for row, choice in enumerate(choices):
            self.setItem(row, 0, QTableWidgetItem(choice.header))
            samples = QTableWidgetItem("，".join(choice.samples))
            samples.setToolTip("\n".join(choice.samples))
            self.setItem(row, 1, samples)
            self.setCellWidget(row, 2, self._combo(choice))
            self.setItem(row, 3, QTableWidgetItem(self._why(choice)))
            if choice.asks:
                for col in (0, 1, 3):
                    self.item(row, col).setBackground(QBrush(ASK_BACKGROUND))
                self.item(row, 3).setForeground(QBrush(QColor(ERROR_COLOR)))

    def _why(self, choice: ColumnChoice) -> str:
        what = KIND_LABELS.get(choice.kind or "")
        if choice.asks:
            return f"有{what or '数据'}，请选择对应的字段或「{SKIP}」"
        return choice.how + (f"（内容像{what}）" if what and choice.how != "按表头识别" else "")

    def _combo(self, choice: ColumnChoice) -> QComboBox:
        combo = QComboBox()
        combo.addItem("请选择…" if choice.asks else SKIP, None)
        if choice.asks:
            combo.addItem(SKIP, None)
        for spec in self.specs:
            combo.addItem(spec.title, spec.key)
        if choice.field is not None:
            combo.setCurrentIndex(combo.findData(choice.field))
        combo.setAccessibleName(f"「{choice.header}」导入为")
        combo.activated.connect(lambda _i: self.mapping_changed.emit(self.mapping()))
        return combo

    def combo(self, header: str) -> QComboBox | None:
        for row, choice in enumerate(self.choices):
            if choice.header == header:
                return self.cellWidget(row, 2)
        return None

    def choose(self, header: str, title: str) -> None:
        """Choose a field (by its title, or 「不导入」) for a column, as the clerk would."""
        combo = self.combo(header)
        index = combo.findText(title, Qt.MatchFlag.MatchExactly)
        if index < 0:
            raise KeyError(title)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)

    def mapping(self) -> dict[str, str | None]:
        """Every column's field as chosen now; a red column not yet answered stays unanswered."""
        out: dict[str, str | None] = {}
        for row, choice in enumerate(self.choices):
            combo = self.cellWidget(row, 2)
            if choice.asks and combo.currentIndex() == 0:
                continue  # still asking: the preview keeps asking
            out[choice.header] = combo.currentData()
        return out

    def asking(self) -> list[str]:
        return [c.header for c in self.choices if c.asks]

    def asking_rows(self) -> list[int]:
        return [row for row, c in enumerate(self.choices) if c.asks]
