"""Small read-only tables (QTableWidget) whose rows carry the id of the record they show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ui.widgets.fit import fit_columns

IdRole = Qt.ItemDataRole.UserRole + 1


def simple_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fit_columns(table)
    return table


def set_row(table: QTableWidget, row: int, values: list[str], row_id: str) -> None:
    for col, value in enumerate(values):
        item = QTableWidgetItem(value)
        item.setData(IdRole, row_id)
        item.setToolTip(value)  # the whole text of a cell cut short
        table.setItem(row, col, item)


def current_id(table: QTableWidget) -> str:
    item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    return item.data(IdRole) if item is not None else ""
