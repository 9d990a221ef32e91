"""Small editable tables instead of syntax strings a clerk would have to type right
(「助人为乐:2；见义勇为:2」, 「100, 300, 600」): a row per item, 增加一行 / 删除所选行, a running
total and the problem shown under the table as it is typed. The services keep their text and list
formats; ``text()`` and ``pairs()`` give them what they read.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.fit import fit_columns

SEPARATOR = "；"


class TableEditor(QWidget):
    """Rows of a name and (with *number* set) a whole number.

    *fixed*: the names are given (一星…五星) and only the numbers are typed; *total*: the numbers
    must add up to it (权重 100); *increasing*: each number larger than the one before;
    *optional*: a row's number may be left empty (a checklist line that is not scored).
    """

    changed = Signal()

    def __init__(self, name_header: str, number_header: str = "", *, fixed: list[str] | None = None,
                 total: int | None = None, increasing: bool = False, unit: str = "", optional: bool = False,
                 parent=None):
        super().__init__(parent)
        self.optional = optional
        self.numbered = bool(number_header)
        self.fixed, self.total, self.increasing, self.unit = fixed, total, increasing, unit
        self.name_header = name_header
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.table = QTableWidget(0, 2 if self.numbered else 1)
        self.table.setHorizontalHeaderLabels([name_header, number_header] if self.numbered else [name_header])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if self.numbered:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(1, max(90, header.fontMetrics().horizontalAdvance(number_header) + 32))
        fit_columns(self.table)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.add_button = QPushButton("增加一行")
        self.remove_button = QPushButton("删除所选行")
        for button in (self.add_button, self.remove_button):
            button.setVisible(fixed is None)
            row.addWidget(button)
        row.addStretch(1)
        self.total_label = QLabel()
        row.addWidget(self.total_label)
        layout.addLayout(row)
        self.error_label = QLabel()
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self._update())
        if fixed is not None:
            self.set_pairs([(name, 0) for name in fixed])
        self._update()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - as QLineEdit has it
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.NoEditTriggers if read_only else triggers.AllEditTriggers)
        for button in (self.add_button, self.remove_button):
            button.setVisible(not read_only and self.fixed is None)

    def isReadOnly(self) -> bool:  # noqa: N802
        return self.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers

    # -- rows ----------------------------------------------------------------------------------

    def add_row(self, name: str = "", number: int | None = None) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(name)
        if self.fixed is not None:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 0, item)
        if self.numbered:
            value = QTableWidgetItem("" if number is None else str(number))
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, value)
        self.table.blockSignals(False)
        self._fit_height()
        self._update()
        if not name and self.isVisible():
            self.table.setCurrentCell(row, 0)
            self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._fit_height()
        self._update()

    def set_pairs(self, pairs: list[tuple[str, int | None]]) -> None:
        self.table.setRowCount(0)
        for name, number in pairs:
            self.add_row(name, number)
        self._update()

    def set_names(self, names: list[str]) -> None:
        self.set_pairs([(name, None) for name in names])

    def pairs(self) -> list[tuple[str, int | None]]:
        found = []
        for row in range(self.table.rowCount()):
            name = (self.table.item(row, 0).text() if self.table.item(row, 0) else "").strip()
            number = None
            if self.numbered:
                raw = (self.table.item(row, 1).text() if self.table.item(row, 1) else "").strip()
                number = int(raw) if raw.isdigit() else (None if not raw else -1)
            if name or number is not None:
                found.append((name, number))
        return found

    def names(self) -> list[str]:
        return [name for name, _n in self.pairs() if name]

    def numbers(self) -> list[int]:
        return [n for _name, n in self.pairs() if n is not None]

    def text(self, with_numbers: bool = True) -> str:
        """The service's text: 「甲:2；乙:3」 or 「甲；乙」."""
        if self.numbered and with_numbers:
            return SEPARATOR.join(f"{name}:{'' if n is None else n}" for name, n in self.pairs())
        return SEPARATOR.join(self.names())

    # -- checks --------------------------------------------------------------------------------

    def problem(self) -> str:
        pairs = self.pairs()
        if not pairs:
            return f"至少填写一项{self.name_header}。"
        names = [name for name, _n in pairs]
        if any(not name for name in names):
            return f"有一行没有填写{self.name_header}。"
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            return f"「{'、'.join(repeated)}」重复了。"
        if not self.numbered:
            return ""
        missing = [name for name, n in pairs if (n is None and not self.optional) or (n is not None and n < 0)]
        if missing:
            return f"「{missing[0]}」后面要填一个整数" + ("，或者留空。" if self.optional else "。")
        numbers = [n for _name, n in pairs if n is not None]
        if self.increasing and (numbers != sorted(set(numbers)) or numbers[0] <= 0):
            return "要从小到大填写，每一项都比上一项大。"
        if self.total is not None and sum(numbers) != self.total:
            return f"合计应为 {self.total}，现在是 {sum(numbers)}。"
        return ""

    def _update(self) -> None:
        if self.numbered and not self.increasing:
            numbers = [n for _name, n in self.pairs() if n is not None and n >= 0]
            target = f" / {self.total}" if self.total is not None else ""
            self.total_label.setText(f"合计 {sum(numbers)}{target}{self.unit}")
        problem = self.problem()
        self.error_label.setText(problem)
        self.error_label.setVisible(bool(problem))
        self.changed.emit()

    def _fit_height(self) -> None:
        """Tall enough for every row (up to eight), so a short list never scrolls."""
        shown = max(3, min(self.table.rowCount(), 8))
        row_height = self.table.rowHeight(0) if self.table.rowCount() else 0
        rows = shown * max(row_height, self.table.verticalHeader().defaultSectionSize())
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows + 6)
