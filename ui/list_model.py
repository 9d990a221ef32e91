"""The one table model for large lists (the Anki browser approach).

The model holds only the ids of all matching rows, obtained from one indexed query, and
asks its :class:`ListSource` for the rows of a block of ids when a view paints them. A
small LRU cache of blocks keeps scrolling smooth and memory flat; there is no OFFSET
paging, so row 99,999 costs the same as row 0.

A source for a page is a plain Python object (usually built on a core service) with
``columns``, ``fetch_ids`` and ``fetch_rows``. It runs on the GUI thread with the GUI's
database connection; both calls must stay cheap (indexed query, ``WHERE id IN (...)``).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView

from ui.widgets.fit import fit_columns

__all__ = ["Column", "IdRole", "LargeListModel", "ListSource", "RowsSource", "attach_filter", "rows_view",
           "setup_table_view", "stretch_column"]

log = logging.getLogger(__name__)

BLOCK_SIZE = 200
CACHE_BLOCKS = 20

# data(index, IdRole) gives the row's id, so delegates and pages need not reach into the model.
IdRole = Qt.ItemDataRole.UserRole + 1

_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    "center": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int = 100
    align: str = "left"
    sortable: bool = True

    def __post_init__(self) -> None:
        if self.align not in _ALIGN:
            raise ValueError(f"align must be one of {sorted(_ALIGN)}, not {self.align!r}")


@runtime_checkable
class ListSource(Protocol):
    columns: list[Column]

    def fetch_ids(self, query: str, sort_key: str, descending: bool) -> list:
        """Ids of all rows matching ``query``, in display order."""
        ...

    def fetch_rows(self, ids: list) -> dict[Hashable, dict[str, Any]]:
        """Display values by column key for those of ``ids`` that still exist."""
        ...


class RowsSource:
    """A short list already in memory (the PCs this one knows, its sync packages, open
    conflicts) as a source for :class:`LargeListModel`, so small lists use the same model.

    Rows are ``(id, values)`` with display text by column key; a key ``"_sort_<column>"``
    gives a column another sort value (a number, say). Sorting by a key that is no column
    keeps the order the rows were given in.
    """

    def __init__(self, columns: list[Column], rows: list[tuple[Hashable, dict[str, Any]]] | None = None):
        self.columns = list(columns)
        self.rows: dict[Hashable, dict[str, Any]] = {}
        self.order: list[Hashable] = []
        self.set_rows(rows or [])

    def set_rows(self, rows: list[tuple[Hashable, dict[str, Any]]]) -> None:
        self.rows = dict(rows)
        self.order = [row_id for row_id, _values in rows]

    def row(self, row_id: Hashable) -> dict[str, Any] | None:
        return self.rows.get(row_id)

    def fetch_ids(self, query: str, sort_key: str, descending: bool) -> list:
        text = query.strip().lower()
        ids = [i for i in self.order if not text or text in self._haystack(self.rows[i])]
        if sort_key not in {c.key for c in self.columns}:
            return ids[::-1] if descending else ids
        sort_of = f"_sort_{sort_key}"
        return sorted(ids, key=lambda i: self.rows[i].get(sort_of, str(self.rows[i].get(sort_key) or "")),
                      reverse=descending)

    def fetch_rows(self, ids: list) -> dict:
        return {i: self.rows[i] for i in ids if i in self.rows}

    def _haystack(self, values: dict) -> str:
        return " ".join(str(values.get(c.key) or "") for c in self.columns).lower()


_Index = QModelIndex | QPersistentModelIndex


class LargeListModel(QAbstractTableModel):
    def __init__(self, source: ListSource, parent=None, *, sort_key: str | None = None,
                 descending: bool = False, query: str = "",
                 block_size: int = BLOCK_SIZE, cache_blocks: int = CACHE_BLOCKS):
        super().__init__(parent)
        if not source.columns:
            raise ValueError("a list source needs at least one column")
        self._source = source
        self._columns = list(source.columns)
        self._query = query
        self._sort_key = sort_key or self._columns[0].key
        self._descending = descending
        self._block_size = max(1, block_size)
        self._cache_blocks = max(1, cache_blocks)
        self._cache: OrderedDict[int, dict] = OrderedDict()
        self._row_of: dict | None = None
        self._ids: list = list(source.fetch_ids(self._query, self._sort_key, self._descending))

    # -- public API ------------------------------------------------------------------

    @property
    def source(self) -> ListSource:
        return self._source

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    @property
    def query(self) -> str:
        return self._query

    @property
    def sort_key(self) -> str:
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    def ids(self) -> list:
        return list(self._ids)

    def id_at(self, row: int) -> Hashable | None:
        if 0 <= row < len(self._ids):
            return self._ids[row]
        return None

    def row_of(self, row_id: Hashable) -> int:
        """Row of ``row_id`` in the current list, or -1."""
        if self._row_of is None:
            self._row_of = {rid: row for row, rid in enumerate(self._ids)}
        return self._row_of.get(row_id, -1)

    def sort_column(self) -> int:
        for col, column in enumerate(self._columns):
            if column.key == self._sort_key:
                return col
        return -1

    def set_query(self, text: str) -> None:
        if text == self._query:
            return
        self._query = text
        self.refresh()

    def refresh(self) -> None:
        """Re-run the id query, e.g. after rows were added, edited or deleted."""
        self._replace_ids(self._source.fetch_ids(self._query, self._sort_key, self._descending))

    def refresh_rows(self, ids: Iterable[Hashable]) -> None:
        """Forget cached values of these ids (edited in place) and repaint them."""
        rows = sorted(r for r in (self.row_of(i) for i in ids) if r >= 0)
        for block in {r // self._block_size for r in rows}:
            self._cache.pop(block, None)
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def cached_block_count(self) -> int:
        return len(self._cache)

    # -- Qt overrides ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._ids) and 0 <= col < len(self._columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            values = self._row_values(row)
            value = values.get(self._columns[col].key) if values else None
            if value is None:
                return "" if role == Qt.ItemDataRole.DisplayRole else None
            # Always text: sources format numbers and dates; views need not guess.
            return value if isinstance(value, str) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN[self._columns[col].align]
        if role == IdRole:
            return self._ids[row]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _ALIGN[column.align]
            return None
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self._columns)) or not self._columns[column].sortable:
            return
        key = self._columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._sort_key and descending == self._descending:
            return
        self._sort_key, self._descending = key, descending
        self.refresh()

    # -- internals -------------------------------------------------------------------

    def _row_values(self, row: int) -> dict | None:
        block_no = row // self._block_size
        block = self._cache.get(block_no)
        if block is None:
            start = block_no * self._block_size
            block_ids = self._ids[start:start + self._block_size]
            try:
                block = self._source.fetch_rows(block_ids)
            except Exception:
                # A failing read must not raise from every paint; show blanks until the
                # next refresh and leave the details in the log.
                log.exception("读取列表行失败（第 %d 块）", block_no)
                block = {}
            self._cache[block_no] = block
            while len(self._cache) > self._cache_blocks:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(block_no)
        return block.get(self._ids[row])

    def _replace_ids(self, new_ids: Iterable[Hashable]) -> None:
        new_ids = list(new_ids)
        if new_ids == self._ids:
            # Same rows in the same order: only values may have changed.
            self._cache.clear()
            if new_ids:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(new_ids) - 1, len(self._columns) - 1))
            return
        if len(new_ids) != len(self._ids):
            self.beginResetModel()
            self._set_ids(new_ids)
            self.endResetModel()
            return
        # Same count (typically a re-sort): a layout change keeps the selection and the
        # current row on the same records.
        self.layoutAboutToBeChanged.emit()
        old_indexes = self.persistentIndexList()
        old_ids = [self.id_at(i.row()) for i in old_indexes]
        self._set_ids(new_ids)
        new_indexes = []
        for old, rid in zip(old_indexes, old_ids, strict=True):
            row = self.row_of(rid) if rid is not None else -1
            new_indexes.append(self.index(row, old.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _set_ids(self, ids: list) -> None:
        self._ids = ids
        self._row_of = None
        self._cache.clear()


def setup_table_view(view: QTableView, model: LargeListModel) -> None:
    """Set a view up for a large list: fixed row heights, column widths, header sort."""
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    # Per-row size calculation over 100,000 rows would freeze the GUI.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    for col, column in enumerate(model.columns):
        view.setColumnWidth(col, column.width)
    order = Qt.SortOrder.DescendingOrder if model.descending else Qt.SortOrder.AscendingOrder
    # Enabling sorting sorts by the indicator at once: point it at the current order (or
    # at no column when sorted by a hidden key) so that costs no second id query.
    header.setSortIndicator(model.sort_column(), order)
    view.setSortingEnabled(True)
    fit_columns(view)  # no sideways scrolling: long cells elide, the tooltip has the whole text


def attach_filter(line_edit: QLineEdit, model: LargeListModel, delay_ms: int = 150) -> QTimer:
    """Filter ``model`` as the user types, once typing pauses for ``delay_ms``."""
    timer = QTimer(line_edit)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)

    def apply() -> None:
        timer.stop()
        model.set_query(line_edit.text().strip())

    timer.timeout.connect(apply)
    # A lambda, because textChanged(str) would otherwise pick the start(msec) overload.
    line_edit.textChanged.connect(lambda _text: timer.start())
    # Enter filters at once, without waiting for the pause.
    line_edit.returnPressed.connect(apply)
    return timer


def rows_view(source: RowsSource, parent=None) -> tuple[QTableView, LargeListModel]:
    """A single-selection table of a short in-memory list, in the order its rows were given."""
    model = LargeListModel(source, parent, sort_key="_order")
    view = QTableView()
    setup_table_view(view, model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return view, model


def stretch_column(view: QTableView, column: int) -> None:
    """Give *column* the spare width, eliding in the middle (file names: sender first, time last)."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
