"""Keeping screens inside an office monitor: 1366×768, or 1920×1080 at 150 % (1280×658 usable).

* ``fit_columns(view)``: a list's columns shrink to the view's width instead of scrolling
  sideways (long cells elide; the models give the whole text as a tooltip) and grow back to the
  widths they were given when there is room.
* ``scroll_body(dialog)``: what a large dialog holds scrolls inside it, its last layout items
  (the button row) stay below, always visible; ``fit_to_screen(dialog)`` keeps it on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QScrollArea,
    QTableView,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

MIN_COLUMN = 44
TITLE_BAR = 32  # what a window manager adds above a dialog


def available_size(widget: QWidget | None = None) -> QSize:
    """The usable size of the screen *widget* is on (the fit test sets its own)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1366, 728)


def _header(view: QAbstractItemView) -> QHeaderView | None:
    if isinstance(view, QTableView):
        return view.horizontalHeader()
    if isinstance(view, QTreeView):
        return view.header()
    return None


class ColumnFitter(QObject):
    """Shrinks the columns of one view to its width, proportionally to what each can give."""

    def __init__(self, view: QAbstractItemView):
        super().__init__(view)
        self.view = view
        self.header = _header(view)
        self.wanted: dict[int, int] = {}
        self._adjusting = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        view.viewport().installEventFilter(self)
        self.header.sectionResized.connect(self._resized)
        self.header.sectionCountChanged.connect(lambda *_a: self._timer.start())

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        elif event.type() == QEvent.Type.ToolTip:
            return self._whole_text(event)
        return False

    def _whole_text(self, event) -> bool:
        """A cell cut short shows its whole text on hover, even where the list gave no tooltip."""
        index = self.view.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        room = self.view.visualRect(index).width() - 8
        if not text or self.view.fontMetrics().horizontalAdvance(text) <= room:
            return False
        QToolTip.showText(event.globalPos(), text, self.view.viewport())
        return True

    def _resized(self, section: int, _old: int, new: int) -> None:
        if not self._adjusting and self.view.isVisible():
            self.wanted[section] = new  # the user (or the page) chose this width
        self._timer.start()

    def _flexible(self) -> list[int]:
        mode = QHeaderView.ResizeMode
        last = self.header.count() - 1
        return [s for s in range(self.header.count()) if not self.header.isSectionHidden(s)
                and self.header.sectionResizeMode(s) == mode.Interactive
                and not (s == last and self.header.stretchLastSection())]

    def _minimum(self, section: int) -> int:
        title = self.view.model().headerData(section, self.header.orientation()) if self.view.model() else ""
        return max(MIN_COLUMN, self.header.fontMetrics().horizontalAdvance(str(title or "")) + 22)

    def fit(self) -> None:
        if self.header is None or self.view.model() is None:
            return
        sections = self._flexible()
        for s in sections:
            self.wanted.setdefault(s, self.header.sectionSize(s))
        fixed = sum(self.header.sectionSize(s) for s in range(self.header.count())
                    if s not in sections and not self.header.isSectionHidden(s))
        last = self.header.count() - 1
        stretched = self.header.stretchLastSection() and last >= 0 and last not in sections
        if stretched:
            # A stretched last section keeps the width it was given as its minimum: lower it.
            self.wanted.setdefault(last, self.header.sectionSize(last))
            last_minimum = min(self.wanted[last], max(self._minimum(last), 100))
            fixed = fixed - self.header.sectionSize(last) + last_minimum
        room = self.view.viewport().width() - fixed
        wanted = {s: max(self.wanted[s], self._minimum(s)) for s in sections}  # headers never clipped
        minimum = {s: min(self._minimum(s), wanted[s]) for s in sections}
        excess = sum(wanted.values()) - room
        give = sum(wanted[s] - minimum[s] for s in sections)
        widths = dict(wanted)
        if excess > 0 and give > 0:
            share = min(1.0, excess / give)
            widths = {s: wanted[s] - int((wanted[s] - minimum[s]) * share + 0.999) for s in sections}
        self._adjusting = True
        try:
            if stretched and self.header.sectionSize(last) > last_minimum:
                self.header.resizeSection(last, last_minimum)
            for s, width in widths.items():
                if self.header.sectionSize(s) != width:
                    self.header.resizeSection(s, width)
        finally:
            self._adjusting = False


def fit_columns(view: QAbstractItemView) -> ColumnFitter | None:
    """Columns that shrink to the view instead of a sideways scrollbar (once per view)."""
    existing = view.findChild(ColumnFitter)
    if existing is not None or _header(view) is None:
        return existing
    return ColumnFitter(view)


def scroll_body(dialog: QWidget, keep: int = 1) -> QScrollArea:
    """Moves everything in *dialog*'s layout but its last *keep* items into a scroll area."""
    layout = dialog.layout()
    body = QWidget()
    body.setObjectName("dialogBody")
    inner = QVBoxLayout(body)
    inner.setContentsMargins(0, 0, 6, 0)
    inner.setSpacing(layout.spacing())
    count = layout.count() - keep
    stretches = [layout.stretch(i) for i in range(count)]
    for stretch in stretches:
        item = layout.takeAt(0)
        if item.widget() is not None:
            inner.addWidget(item.widget(), stretch)
        elif item.layout() is not None:
            child = item.layout()
            child.setParent(None)
            inner.addLayout(child, stretch)
        else:
            inner.addItem(item)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(body)
    # The dialog's own background shows through (the viewport would paint the palette's grey).
    area.viewport().setAutoFillBackground(False)
    body.setAutoFillBackground(False)
    layout.insertWidget(0, area, 1)
    return area


def fit_to_screen(dialog: QWidget, size: QSize | None = None) -> None:
    """Resizes *dialog* to *size* (or its size hint) but no larger than the screen allows."""
    wanted = QSize(size) if size is not None else dialog.sizeHint()
    body = dialog.findChild(QWidget, "dialogBody")
    area = body.parentWidget().parentWidget() if body is not None else None
    if isinstance(area, QScrollArea):  # as tall as the whole body, if the screen allows
        whole = dialog.sizeHint().height() - area.sizeHint().height() + body.sizeHint().height() + 8
        wanted.setHeight(max(wanted.height(), whole))
        wanted.setWidth(max(wanted.width(), body.sizeHint().width() + 40))
    room = available_size(dialog.parentWidget() or dialog)
    dialog.resize(min(wanted.width(), room.width() - 16), min(wanted.height(), room.height() - TITLE_BAR - 8))
