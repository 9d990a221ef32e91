"""The indicator tree of an application: groups and items with their maximum, the self score
and evidence note, the assessed score and comment. Only the columns the actor may fill now are
editable; a score over the maximum (or a grade the item lacks) turns red in its cell at once,
and each group shows its running subtotals."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
)

from civdesk.core.validation import ValidationError
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units.terms import points_text

ItemRole = Qt.ItemDataRole.UserRole + 1
BAD = QBrush(QColor("#fdecea"))
EDITABLE = QBrush(QColor("#fffbe6"))
COLS = {"name": 0, "max": 1, "self": 2, "self_note": 3, "assessed": 4, "assessed_note": 5}


class ScoreDelegate(QStyledItemDelegate):
    """Editors only in the score and note columns the actor may fill now."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.allowed: set[int] = set()

    def sizeHint(self, option, index):  # noqa: N802 - Qt's name
        hint = super().sizeHint(option, index)
        hint.setHeight(max(hint.height(), option.fontMetrics.height() + 14))  # as tall as table rows
        return hint

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt's name
        if index.column() not in self.allowed or index.siblingAtColumn(0).data(ItemRole) is None:
            return None
        return super().createEditor(parent, option, index)


class IndicatorTree(QTreeWidget):
    changed = Signal()  # a score or note was typed (totals may have moved)
    refused = Signal(str)  # a typed score is not acceptable: the message

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: dict = {}  # the set's indicator rows (units.items) by id
        self.rows: dict[str, QTreeWidgetItem] = {}
        self.bad: dict[tuple[str, int], str] = {}
        self._loading = False
        self.setHeaderLabels(["测评项目 / 指标内容", "分值", "自评分", "佐证材料说明", "测评分", "测评说明"])
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 96), (2, 70), (3, 190), (4, 70), (5, 190)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(col, width)
        header.setStretchLastSection(False)
        self.delegate = ScoreDelegate(self)
        self.setItemDelegate(self.delegate)
        self.itemChanged.connect(self._cell_changed)

    def fill(self, application_id: str, set_id: str, self_ok: bool, assess_ok: bool) -> None:
        self._loading = True
        self.clear()
        self.items.clear()
        self.rows.clear()
        self.bad.clear()
        own = unit_scoring.latest_scores(application_id, "self")
        theirs = unit_scoring.latest_scores(application_id, "assessed")
        self.delegate.allowed = ({COLS["self"], COLS["self_note"]} if self_ok else set()) | \
            ({COLS["assessed"], COLS["assessed_note"]} if assess_ok else set())
        groups: dict[str, QTreeWidgetItem] = {}
        for item in units.items(set_id):
            self.items[item.id] = item
            group = groups.get(item.group_name)
            if group is None:
                group = groups[item.group_name] = QTreeWidgetItem(self, [item.group_name])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setExpanded(True)
            row = QTreeWidgetItem(group)
            row.setData(0, ItemRole, item.id)
            row.setText(0, item.name)
            row.setToolTip(0, item.name)
            grades = "/".join(item.grade_points())
            row.setText(1, points_text(item.max_tenths) + (f"（{grades}）" if grades else ""))
            row.setToolTip(1, f"按等次评分，填 {'、'.join(item.grade_points())}：{item.grades}" if grades
                           else f"填 0 到 {points_text(item.max_tenths)} 的分数")
            for col, score in ((COLS["self"], own.get(item.id)), (COLS["assessed"], theirs.get(item.id))):
                if score is not None:
                    row.setText(col, score.grade or points_text(score.tenths))
                    row.setText(col + 1, score.note)
            if self.delegate.allowed:
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsEditable)
            for col in self.delegate.allowed:
                row.setBackground(col, EDITABLE)
            self.rows[item.id] = row
        self._loading = False
        self.group_subtotals()

    @property
    def max_total(self) -> int:
        return sum(item.max_tenths for item in self.items.values())

    def current_indicator(self):
        """The indicator row under the cursor, or None on a group heading."""
        current = self.currentItem()
        return self.items.get(current.data(0, ItemRole)) if current is not None else None

    def _cell_changed(self, row: QTreeWidgetItem, col: int) -> None:
        if self._loading or row.data(0, ItemRole) is None or col not in self.delegate.allowed:
            return
        if col in (COLS["self"], COLS["assessed"]):
            self.check_cell(row.data(0, ItemRole), col)
        self.group_subtotals()
        self.changed.emit()

    def check_cell(self, item_id: str, col: int) -> bool:
        """Refuse a score over the maximum (or a grade the item lacks) right in the cell."""
        row = self.rows[item_id]
        text = row.text(col).strip()
        self._loading = True
        try:
            if text:
                unit_scoring.parse_score(self.items[item_id], text)
            self.bad.pop((item_id, col), None)
            row.setBackground(col, EDITABLE)
            row.setToolTip(col, "")
            return True
        except ValidationError as exc:
            self.mark(item_id, col, exc.errors[item_id])
            self.refused.emit(exc.errors[item_id])
            return False
        finally:
            self._loading = False

    def mark(self, item_id: str, col: int, message: str) -> None:
        self.bad[(item_id, col)] = message
        self.rows[item_id].setBackground(col, BAD)
        self.rows[item_id].setToolTip(col, message)

    def _score(self, item_id: str, col: int) -> int | None:
        text = self.rows[item_id].text(col).strip()
        if not text or (item_id, col) in self.bad:
            return None
        try:
            return unit_scoring.parse_score(self.items[item_id], text)[0]
        except ValidationError:
            return None

    def column_total(self, col: int) -> int:
        return sum(self._score(item_id, col) or 0 for item_id in self.rows)

    def group_subtotals(self) -> None:
        """Each group's row shows its maximum and the running self and assessed subtotals."""
        self._loading = True
        for index in range(self.topLevelItemCount()):
            group = self.topLevelItem(index)
            ids = [group.child(i).data(0, ItemRole) for i in range(group.childCount())]
            group.setText(1, points_text(sum(self.items[i].max_tenths for i in ids)))
            for col in (COLS["self"], COLS["assessed"]):
                scores = [s for s in (self._score(i, col) for i in ids) if s is not None]
                group.setText(col, points_text(sum(scores)) if scores else "")
        self._loading = False

    def entries(self, kind: str) -> dict[str, tuple[str, str]]:
        col = COLS["self"] if kind == "self" else COLS["assessed"]
        return {item_id: (row.text(col).strip(), row.text(col + 1).strip()) for item_id, row in self.rows.items()}
