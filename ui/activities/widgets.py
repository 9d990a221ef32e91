"""What the 活动与阵地 tabs share: a table whose long cells elide and show the whole text on
hover (never a sideways scrollbar), state colours, an empty state with the button that adds the
first record, and a dialog body that scrolls while its buttons stay in view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

IdRole = Qt.ItemDataRole.UserRole + 1
# The services' colour classes: red overdue / damaged / failed, yellow soon / faded, ok.
BACKGROUNDS = {"red": QColor("#fdecea"), "yellow": QColor("#fff6d8"), "ok": None}
TEXTS = {"red": QColor("#a93226"), "yellow": QColor("#8a6d00"), "ok": None}
STATUS_COLOURS = {"planned": "#2f6db5", "held": "#2e7d32", "cancelled": "#9aa0a6"}
STATE_COLOURS = {"完好": "ok", "褪色": "yellow", "破损": "red", "缺失": "red", "已撤除": "ok"}


def table(headers: list[str], widths: list[int], stretch: int | None = None) -> QTableWidget:
    """A read-only, row-selecting table that fits its width: *stretch* takes the spare room,
    the others keep *widths*; long text elides (its tooltip holds all of it)."""
    view = QTableWidget(0, len(headers))
    view.setHorizontalHeaderLabels(headers)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = view.horizontalHeader()
    header.setMinimumSectionSize(40)
    header.setStretchLastSection(stretch is None)
    for col, width in enumerate(widths):
        view.setColumnWidth(col, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def fill(view: QTableWidget, rows: list[tuple[str, list, str]], *, bold_last: bool = False) -> None:
    """Rows of (id, cell values, colour class); every cell's tooltip is its whole text."""
    selected = current_id(view)
    view.setRowCount(len(rows))
    for r, (row_id, values, colour) in enumerate(rows):
        for c, value in enumerate(values):
            text = "" if value is None else str(value)
            item = QTableWidgetItem(text)
            item.setData(IdRole, row_id)
            item.setToolTip(text)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            paint(item, colour)
            if bold_last and r == len(rows) - 1:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            view.setItem(r, c, item)
    if selected:
        select_id(view, selected)


def paint(item: QTableWidgetItem, colour: str) -> None:
    if BACKGROUNDS.get(colour) is not None:
        item.setBackground(QBrush(BACKGROUNDS[colour]))
        item.setForeground(QBrush(TEXTS[colour]))


def current_id(view: QTableWidget) -> str:
    item = view.item(view.currentRow(), 0) if view.currentRow() >= 0 else None
    return item.data(IdRole) if item is not None else ""


def select_id(view: QTableWidget, row_id: str) -> bool:
    for row in range(view.rowCount()):
        item = view.item(row, 0)
        if item is not None and item.data(IdRole) == row_id:
            view.selectRow(row)
            view.setCurrentCell(row, 0)
            return True
    return False


class EmptyState(QWidget):
    """A sentence saying what belongs here and the button that adds the first one."""

    def __init__(self, text: str, button_text: str = "", on_click: Callable[[], object] | None = None,
                 enabled: bool = True, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: #555; font-size: 11pt;")
        layout.addWidget(self.label)
        self.button = None
        if button_text:
            row = QHBoxLayout()
            row.addStretch(1)
            self.button = QPushButton(button_text)
            self.button.setProperty("primary", True)
            self.button.setEnabled(enabled)
            if on_click is not None:
                self.button.clicked.connect(lambda: on_click())
            row.addWidget(self.button)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addStretch(2)


class EmptyOr(QStackedWidget):
    """A list, or its empty state when it has no rows."""

    def __init__(self, content: QWidget, empty: EmptyState, parent=None):
        super().__init__(parent)
        self.content, self.empty = content, empty
        self.addWidget(content)
        self.addWidget(empty)

    def show_empty(self, empty: bool) -> None:
        self.setCurrentWidget(self.empty if empty else self.content)

    @property
    def is_empty(self) -> bool:
        return self.currentWidget() is self.empty


def scrolling_body(dialog: QDialog, body: QWidget, bottom: list[QWidget], width: int = 640) -> None:
    """Lay *dialog* out as *body* in a scroll area over *bottom* (messages, the button row),
    no taller than the screen, so the buttons are always visible."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(body)
    body.setObjectName("dialogBody")  # the dialog's own background, not a grey band under the form
    scroll.setStyleSheet("QScrollArea { background: transparent; } QWidget#dialogBody { background: transparent; }")
    scroll.viewport().setAutoFillBackground(False)
    layout = QVBoxLayout(dialog)
    layout.addWidget(scroll, 1)
    for widget in bottom:
        layout.addWidget(widget)
    available = _available_size(dialog)
    height = min(body.sizeHint().height() + 90, available.height() - 60)
    dialog.resize(min(width, available.width() - 40), height)


def _available_size(widget: QWidget) -> QSize:
    """The usable screen size; ``ui.widgets.fit.available_size`` where that exists (issue 12's fit
    test sets the screen it lays out for there), else the screen's own."""
    try:
        from ui.widgets.fit import available_size
    except ImportError:
        screen = widget.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry().size() if screen is not None else QSize(1366, 728)
    return available_size(widget)
