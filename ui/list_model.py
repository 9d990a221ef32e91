"""The one table model for large lists (the Anki browser approach).

The model holds a :class:`~civdesk.core.listing.Listing` of the matching rows — how many there
are, the ids of a window of them, where one id stands — and asks its :class:`ListSource` for the
rows of a block of ids when a view paints them. A list a service reads through an index (the
volunteer register, the audit log) is never read whole: a reload costs a count and the windows in
sight, whatever the list's length. A small LRU cache of blocks (ids and rows) keeps scrolling
smooth and memory flat. Views set up by :func:`setup_table_view` keep their selection (the same
records) across a reload.

A source for a page is a plain Python object (usually built on a core service) with ``columns``,
``fetch_rows`` and either ``listing(query, sort_key, descending)`` (a service's listing, read a
window at a time) or ``fetch_ids(query, sort_key, descending)`` (every id at once: short lists,
lists already in memory). It runs on the GUI thread with the GUI's database connection; every
call must stay cheap (indexed queries, ``WHERE id IN (...)``).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView

from civdesk.core.listing import IdList, Listing
from ui.widgets.fit import fit_columns

__all__ = ["Column", "IdRole", "LargeListModel", "ListSource", "RowsSource", "attach_filter", "rows_view",
           "setup_table_view", "stretch_column"]

log = logging.getLogger(__name__)

BLOCK_SIZE = 100  # rows read at once: a screenful or two
CACHE_BLOCKS = 20

# data(index, IdRole) gives the row's id, so delegates and pages need not reach into the model.
IdRole = Qt.ItemDataRole.UserRole + 1

# Looked up once: data() runs for every role of every painted cell.
_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_TEXT_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_TEXT_ROLES = frozenset({int(_DISPLAY), int(_TOOLTIP)})
_ANSWERED = _TEXT_ROLES | {int(_TEXT_ALIGNMENT), int(IdRole)}

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

    def fetch_rows(self, ids: list) -> dict[Hashable, dict[str, Any]]:
        """Display values by column key for those of ``ids`` that still exist."""
        ...


def listing_of(source, query: str, sort_key: str, descending: bool) -> Listing:
    """The source's listing for this query and order (``listing`` or, for sources that give
    every id at once, ``fetch_ids`` wrapped)."""
    if hasattr(source, "listing"):
        return source.listing(query, sort_key, descending)
    return IdList(source.fetch_ids(query, sort_key, descending))


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


class _Block:
    __slots__ = ("ids", "rows")

    def __init__(self, ids: list):
        self.ids = ids
        self.rows: dict | None = None


class LargeListModel(QAbstractTableModel):
    def __init__(self, source, parent=None, *, sort_key: str | None = None,
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
        self._cache: OrderedDict[int, _Block] = OrderedDict()
        self._last: tuple[int, _Block] | None = None  # the block read last (painting reads one block cell by cell)
        self._listing: Listing = self._new_listing()
        self._count = self._listing.count()

    # -- public API ------------------------------------------------------------------

    @property
    def source(self):
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
        """Every id in the list, in order (one query for a listing read in windows)."""
        return self._listing.all()

    def id_at(self, row: int) -> Hashable | None:
        if not 0 <= row < self._count:
            return None
        ids = self._block(row // self._block_size).ids
        offset = row % self._block_size
        return ids[offset] if offset < len(ids) else None

    def row_of(self, row_id: Hashable) -> int:
        """Row of ``row_id`` in the current list, or -1."""
        for block_no, block in self._cache.items():
            if row_id in block.ids:
                return block_no * self._block_size + block.ids.index(row_id)
        row = self._listing.position(row_id)
        return row if 0 <= row < self._count else -1

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
        """Ask the source again, e.g. after rows were added, edited or deleted."""
        self._replace(self._new_listing())

    def refresh_rows(self, ids: Iterable[Hashable]) -> None:
        """Forget cached values of these ids (edited in place) and repaint them."""
        wanted = set(ids)
        rows = []
        for block_no, block in self._cache.items():
            hit = [n for n, rid in enumerate(block.ids) if rid in wanted]
            if hit:
                block.rows = None
                rows += [block_no * self._block_size + n for n in hit]
        for row in sorted(rows):
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def cached_block_count(self) -> int:
        return sum(1 for block in self._cache.values() if block.rows is not None)

    # -- Qt overrides ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED:
            return None
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < self._count and 0 <= col < len(self._columns)):
            return None
        if role in _TEXT_ROLES:
            values = self._row_values(row)
            value = values.get(self._columns[col].key) if values else None
            if value is None:
                return "" if role == _DISPLAY else None
            # Always text: sources format numbers and dates; views need not guess.
            return value if isinstance(value, str) else str(value)
        if role == _TEXT_ALIGNMENT:
            return _ALIGN[self._columns[col].align]
        if role == IdRole:
            return self.id_at(row)
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

    def _new_listing(self) -> Listing:
        return listing_of(self._source, self._query, self._sort_key, self._descending)

    def _block(self, block_no: int) -> _Block:
        block = self._cache.get(block_no)
        if block is None:
            start = block_no * self._block_size
            block = _Block(list(self._listing.window(start, self._block_size)))
            self._cache[block_no] = block
            while len(self._cache) > self._cache_blocks:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(block_no)
        return block

    def _row_values(self, row: int) -> dict | None:
        block_no = row // self._block_size
        last = self._last
        block = last[1] if last is not None and last[0] == block_no else self._block(block_no)
        if block.rows is None:
            try:
                block.rows = self._source.fetch_rows(block.ids)
            except Exception:
                # A failing read must not raise from every paint; show blanks until the
                # next refresh and leave the details in the log.
                log.exception("读取列表行失败（第 %d 块）", block_no)
                block.rows = {}
        self._last = (block_no, block)
        offset = row % self._block_size
        return block.rows.get(block.ids[offset]) if offset < len(block.ids) else None

    def _replace(self, listing: Listing) -> None:
        old = self._listing
        count = listing.count()
        if isinstance(old, IdList) and isinstance(listing, IdList) and old.ids == listing.ids:
            # Same rows in the same order: only values may have changed.
            self._set_listing(listing, count)
            if count:
                self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(self._columns) - 1))
            return
        if count != self._count or not isinstance(listing, IdList):
            # A view set up by setup_table_view selects the same records again afterwards (by
            # id: a listing read in windows finds each one with a query, so only a few).
            self.beginResetModel()
            self._set_listing(listing, count)
            self.endResetModel()
            return
        # Same count of ids in memory (typically a re-sort): a layout change keeps the whole
        # selection and the current row on the same records.
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [self.id_at(i.row()) for i in persistent]
        self._set_listing(listing, count)
        new_indexes = []
        for index, rid in zip(persistent, old_ids, strict=True):
            row = listing.position(rid) if rid is not None else -1
            new_indexes.append(self.index(row, index.column()) if 0 <= row < count else QModelIndex())
        self.changePersistentIndexList(persistent, new_indexes)
        self.layoutChanged.emit()

    def _set_listing(self, listing: Listing, count: int) -> None:
        self._listing = listing
        self._count = count
        self._cache.clear()
        self._last = None


class _SelectionKeeper(QObject):
    """Selects the same records again after the model was reset (a reload whose row count
    changed): the current one and up to ``limit`` others, by id, without scrolling."""

    def __init__(self, view: QAbstractItemView, model: LargeListModel, limit: int = 200):
        super().__init__(view)
        self.view, self.model, self.limit = view, model, limit
        self.current: Hashable | None = None
        self.selected: list = []
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)

    def _remember(self) -> None:
        chosen = self.view.selectionModel()
        if self.view.model() is not self.model or chosen is None:
            self.current, self.selected = None, []
            return
        current = chosen.currentIndex()
        self.current = self.model.id_at(current.row()) if current.isValid() else None
        rows: list[int] = []
        for part in chosen.selection():
            rows += range(part.top(), min(part.bottom() + 1, part.top() + self.limit))
            if len(rows) >= self.limit:
                break
        self.selected = [rid for rid in (self.model.id_at(r) for r in sorted(set(rows))[:self.limit]) if rid is not None]

    def _restore(self) -> None:
        chosen = self.view.selectionModel()
        if chosen is None or self.view.model() is not self.model or (self.current is None and not self.selected):
            return
        flags = QItemSelectionModel.SelectionFlag
        selection = QItemSelection()
        for rid in self.selected:
            row = self.model.row_of(rid)
            if row >= 0:
                selection.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
        if not selection.isEmpty():
            chosen.select(selection, flags.ClearAndSelect | flags.Rows)
        row = self.model.row_of(self.current) if self.current is not None else -1
        if row >= 0:
            chosen.setCurrentIndex(self.model.index(row, 0), flags.NoUpdate)
        self.current, self.selected = None, []


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
    _SelectionKeeper(view, model)
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
