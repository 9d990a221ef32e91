"""The ticket board: tickets by state in the order of the flow, with the deadline colours
(临期 yellow, 逾期 red, 催办/督办), filters, callers masked; double-click opens a ticket.

The list holds ids only (``board.ids`` per state, in flow order) and reads rows in blocks
through ``board.rows_for``; a deadline filter (colours only run on open tickets) asks
``board.rows`` for the open tickets and keeps the matching ids.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from civdesk.hotline import board, flow
from civdesk.hotline.terms import STATE_ORDER, STATES
from ui.hotline.common import COLOUR_BACKGROUND, COLOUR_TEXT, month_combo
from ui.list_model import Column, LargeListModel, attach_filter, setup_table_view
from ui.widgets.choices import village_combo

DEADLINE_FILTERS = (("", "全部期限"), ("red", "逾期"), ("yellow", "临期（两个工作日内）"), ("ok", "正常"),
                    ("supervise", "督办"), ("extensions", "延期待审批"))
EMPTY_TEXT = ("这里列出本单位受理的热线工单：12345 转办、来电、来访、网络和信件反映的问题，"
              "从受理、派单、签收、办理、答复、回访到办结。还没有工单。")


def mark_text(row: board.TicketRow) -> str:
    parts = [row.colour_label if row.colour in ("yellow", "red") else "", row.escalation_label,
             "紧急" if row.urgent else "", f"重办{row.redo_count}次" if row.redo_count else "",
             f"并入{row.merged_into}" if row.merged_into else "", row.visit_result]
    return " ".join(p for p in parts if p)


def row_values(row: board.TicketRow) -> dict:
    due = f"{row.due_label[:2]} {row.due:%m-%d}" if row.due else ""
    if row.overdue_workdays:
        due += f"（逾{row.overdue_workdays}）"
    return {"number": row.number, "received": row.received_at, "state": row.state_label, "due": due,
            "mark": mark_text(row), "caller": " ".join(p for p in (row.caller_name, row.caller_phone) if p),
            "village": row.village or "镇级", "problem": f"{row.category}·{row.kind}", "summary": row.summary,
            "_colour": row.colour}


class TicketSource:
    columns = [Column("number", "工单编号", 132, sortable=False), Column("received", "受理时间", 118, sortable=False),
               Column("state", "状态", 60, sortable=False), Column("due", "期限", 126, sortable=False),
               Column("mark", "提示", 96, sortable=False), Column("caller", "来电人", 130, sortable=False),
               Column("village", "村/社区", 72, sortable=False), Column("problem", "问题", 100, sortable=False),
               Column("summary", "诉求", 140, sortable=False)]

    def __init__(self):
        self.state = self.month = self.village = self.deadline = ""

    def _filters(self, query: str) -> dict:
        return {"month": self.month or None, "village_id": self.village or None, "text": query.strip()}

    def fetch_ids(self, query: str, sort_key: str = "", descending: bool = False) -> list:
        found = self._filters(query)
        if self.deadline:
            rows = board.rows(state=self.state or None, open_only=True, **found)
            if self.deadline == "supervise":
                rows = [r for r in rows if r.escalation == "supervise"]
            elif self.deadline == "extensions":
                waiting = {x.ticket_id for x in flow.pending_extensions()}
                rows = [r for r in rows if r.id in waiting]
            else:
                rows = [r for r in rows if r.colour == self.deadline]
            return [r.id for r in rows]
        if self.state:
            return board.ids(state=self.state, **found)
        return board.ids_in_flow(**found)

    def counts(self, query: str) -> dict[str, int]:
        return board.state_counts(**self._filters(query))

    def fetch_rows(self, ids: list) -> dict:
        return {row.id: row_values(row) for row in board.rows_for(list(ids))}


class TicketModel(LargeListModel):
    """The large-list model with the deadline colours on the 期限 and 提示 cells."""

    COLOURED = ("due", "mark")
    _BACKGROUND, _FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if (role == self._BACKGROUND or role == self._FOREGROUND) and index.isValid():
            if self._columns[index.column()].key not in self.COLOURED:
                return None
            values = self._row_values(index.row()) or {}
            colour = values.get("_colour", "")
            if role == self._BACKGROUND:
                return QBrush(QColor(COLOUR_BACKGROUND[colour])) if colour in COLOUR_BACKGROUND else None
            return QBrush(QColor(COLOUR_TEXT[colour])) if colour in COLOUR_TEXT else None
        return super().data(index, role)


class TicketBoard(QWidget):
    """``open_ticket(id)`` when a ticket is double-clicked; ``new_ticket()`` for 受理登记."""

    open_ticket = Signal(str)
    new_ticket = Signal()

    def __init__(self, can_enter: bool, parent=None):
        super().__init__(parent)
        self.source = TicketSource()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(self._build_filters(can_enter))
        layout.addLayout(self._build_states())
        self.model = TicketModel(self.source, self, sort_key="_flow")
        self.view = QTableView()
        setup_table_view(self.view, self.model)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # cells elide; hover shows all
        self.view.horizontalHeader().setMinimumSectionSize(48)
        self.view.setToolTip("双击打开工单")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self._build_empty(can_enter))
        layout.addWidget(self.stack, 1)
        bottom = QHBoxLayout()
        self.count_label = QLabel()
        bottom.addWidget(self.count_label, 1)
        self.open_button = QPushButton("打开工单")
        self.open_button.clicked.connect(self.open_selected)
        bottom.addWidget(self.open_button)
        layout.addLayout(bottom)
        attach_filter(self.search_edit, self.model)
        self.model.modelReset.connect(self.update_counts)
        self.view.doubleClicked.connect(lambda index: self.open_ticket.emit(self.model.id_at(index.row())))
        self.update_counts()

    def _build_filters(self, can_enter: bool) -> QHBoxLayout:
        row = QHBoxLayout()
        self.month_combo = month_combo("全部月份")
        self.village_combo = village_combo("全部村/社区")
        self.deadline_combo = QComboBox()
        for key, label in DEADLINE_FILTERS:
            self.deadline_combo.addItem(label, key)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索编号、诉求内容、地址")
        self.search_edit.setClearButtonEnabled(True)
        for widget in (self.month_combo, self.village_combo, self.deadline_combo):
            row.addWidget(widget)
            widget.currentIndexChanged.connect(lambda _i: self.apply_filters())
        row.addWidget(self.search_edit, 1)
        self.new_button = QPushButton("受理登记…")
        self.new_button.setProperty("primary", True)
        self.new_button.setEnabled(can_enter)
        self.new_button.clicked.connect(self.new_ticket.emit)
        row.addWidget(self.new_button)
        return row

    def _build_states(self) -> QHBoxLayout:
        strip = QHBoxLayout()
        strip.setSpacing(4)
        self.state_group = QButtonGroup(self)
        self.state_buttons: dict[str, QPushButton] = {}
        for key in ("", *STATE_ORDER):
            button = QPushButton(STATES.get(key, "全部"))
            button.setCheckable(True)
            self.state_group.addButton(button)
            self.state_buttons[key] = button
            strip.addWidget(button)
            button.clicked.connect(lambda _c=False, k=key: self.show_state(k))
        self.state_buttons[""].setChecked(True)
        strip.addStretch(1)
        return strip

    def _build_empty(self, can_enter: bool) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addStretch(1)
        text = QLabel(EMPTY_TEXT)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(text)
        self.first_button = QPushButton("登记第一张工单…")
        self.first_button.setProperty("primary", True)
        self.first_button.setEnabled(can_enter)
        self.first_button.clicked.connect(self.new_ticket.emit)
        layout.addWidget(self.first_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return box

    # -- filters ----------------------------------------------------------------------------

    def apply_filters(self) -> None:
        self.source.month = self.month_combo.currentData() or ""
        self.source.village = self.village_combo.currentData() or ""
        self.source.deadline = self.deadline_combo.currentData() or ""
        self.refresh()

    def show_state(self, state: str) -> None:
        self.source.state = state
        self.state_buttons[state].setChecked(True)
        self.refresh()

    def show_deadline(self, key: str) -> None:
        """工作台 links: "red", "yellow", "supervise", "extensions" (all states, this filter); "" for
        no filter at all."""
        self.state_buttons[""].setChecked(True)
        self.source.state = ""
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.model.set_query("")
        self.month_combo.setCurrentIndex(0)
        self.deadline_combo.setCurrentIndex(max(0, self.deadline_combo.findData(key)))
        self.apply_filters()

    def refresh(self) -> None:
        self.model.refresh()
        self.update_counts()

    def update_counts(self) -> None:
        counts = self.source.counts(self.model.query)
        for key, button in self.state_buttons.items():
            button.setText(f"{STATES.get(key, '全部')} {counts[key] if key else sum(counts.values())}")
        empty = not board.any_ticket()
        self.stack.setCurrentIndex(1 if empty else 0)
        shown = self.model.rowCount()
        self.count_label.setText("" if empty else f"显示 {shown} 张工单" + ("（没有符合条件的工单，可清除筛选条件）"
                                                                           if not shown else ""))
        self.open_button.setEnabled(not empty)

    def selected_id(self) -> str | None:
        return self.model.id_at(self.view.currentIndex().row())

    def open_selected(self) -> None:
        ticket_id = self.selected_id()
        if ticket_id:
            self.open_ticket.emit(ticket_id)

    def select(self, ticket_id: str) -> None:
        row = self.model.row_of(ticket_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
