"""Pieces the 督查与整改 screens share: state colours, tables that never scroll sideways, empty
states, photo strips and pairs. Dialogs scroll their body and fit the screen through
ui/widgets/fit.py (scroll_body, fit_to_screen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.supervision import photos
from ui.field_errors import FieldErrors, error_label, set_error

# Row backgrounds of a notice's colour (terms.COLOURS) and the 督办 mark.
COLOUR_BACKGROUNDS = {"ok": None, "yellow": "#fdf2c4", "red": "#f8d3cf"}
COLOUR_TEXT = {"ok": "#2e7d32", "yellow": "#9a6b00", "red": "#c0392b"}
ESCALATED_BACKGROUND = "#e8a39b"
THUMB = (128, 96)


def plain_table(headers: list[str], widths: list[int], stretch: int) -> QTableWidget:
    """A read-only table that never scrolls sideways: column *stretch* takes the spare width and
    shrinks first; long cells elide and the whole text shows on hover (see :func:`cell`)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setVisible(False)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setMinimumSectionSize(40)
    header.setStretchLastSection(False)
    for col, width in enumerate(widths):
        table.setColumnWidth(col, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def cell(text, data=None, *, align_right: bool = False, background: str | None = None,
         foreground: str | None = None) -> QTableWidgetItem:
    value = "" if text is None else str(text)
    item = QTableWidgetItem(value)
    item.setToolTip(value)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if background:
        item.setBackground(QBrush(QColor(background)))
    if foreground:
        item.setForeground(QBrush(QColor(foreground)))
    return item


def fill(table: QTableWidget, rows: list[tuple[object, list]], styles: dict | None = None) -> None:
    """Rows of (id, [text, ...]); *styles* maps an id to (background, foreground) for the row."""
    table.setRowCount(len(rows))
    styles = styles or {}
    for r, (row_id, values) in enumerate(rows):
        background, foreground = styles.get(row_id, (None, None))
        for c, value in enumerate(values):
            table.setItem(r, c, cell(value, row_id if c == 0 else None, background=background,
                                     foreground=foreground if c == 0 else None))


def selected_id(table: QTableWidget):
    row = table.currentRow()
    if row < 0 or not table.selectionModel().hasSelection():
        return None
    item = table.item(row, 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def select_id(table: QTableWidget, row_id) -> bool:
    for r in range(table.rowCount()):
        item = table.item(r, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == row_id:
            table.selectRow(r)
            return True
    return False


class EmptyState(QFrame):
    """What belongs here, in a sentence, and the button that adds the first one."""

    def __init__(self, text: str, button_text: str = "", on_click=None, parent=None):
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setStyleSheet("QFrame#emptyState { background: #ffffff; border: 1px dashed #b8bec7; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #555; border: none;")
        layout.addWidget(self.label)
        self.button = None
        if button_text:
            self.button = QPushButton(button_text)
            self.button.setProperty("primary", True)
            if on_click is not None:
                self.button.clicked.connect(lambda _c=False: on_click())
            row = QHBoxLayout()
            row.addWidget(self.button)
            row.addStretch(1)
            layout.addLayout(row)


# --- photos --------------------------------------------------------------------------------


def pixmap_of(data: bytes) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    if pixmap.isNull():
        return pixmap
    return pixmap.scaled(*THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def thumbnail(data: bytes | None, caption: str, tooltip: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    picture = QLabel()
    picture.setFixedSize(*THUMB)
    picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
    picture.setStyleSheet("background: #eceff3; border: 1px solid #d0d4da;")
    pixmap = pixmap_of(data) if data else QPixmap()
    if pixmap.isNull():
        picture.setText("（照片未到）" if data is None else "（无法显示）")
    else:
        picture.setPixmap(pixmap)
    text = QLabel()
    text.setFixedWidth(THUMB[0])
    text.setText(text.fontMetrics().elidedText(caption, Qt.TextElideMode.ElideMiddle, THUMB[0]))
    text.setToolTip(tooltip or caption)
    text.setStyleSheet("color: #555;")
    layout.addWidget(picture)
    layout.addWidget(text)
    box.setToolTip(tooltip or caption)
    return box


def stored_photo(photo_id: str) -> bytes | None:
    """A stored photo's bytes, or None while part of it is still on its way by sync."""
    try:
        return photos.data(photo_id)
    except CivDeskError:
        return None


class PhotoStrip(QWidget):
    """Thumbnails in a row that scrolls sideways inside itself (never the page)."""

    def __init__(self, empty_text: str = "（没有照片）", parent=None):
        super().__init__(parent)
        self.empty_text = empty_text
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setFixedHeight(THUMB[1] + 44)
        outer.addWidget(self.area)
        self.count = 0
        self.set_items([])

    def set_items(self, items: list[tuple[bytes | None, str]]) -> None:
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(0, 0, 0, 0)
        for data, caption in items:
            row.addWidget(thumbnail(data, caption))
        if not items:
            label = QLabel(self.empty_text)
            label.setStyleSheet("color: #777;")
            row.addWidget(label)
        row.addStretch(1)
        self.area.setWidget(inner)
        self.area.setFixedHeight(THUMB[1] + 44 if items else 30)
        self.count = len(items)

    def set_files(self, files: list[photos.PhotoFile]) -> None:
        self.set_items([(f.data, f.name) for f in files])

    def set_stored(self, photo_ids, captions: list[str] | None = None) -> None:
        ids = list(photo_ids)
        captions = captions or [""] * len(ids)
        self.set_items([(stored_photo(i), c) for i, c in zip(ids, captions, strict=True)])


def pair_widget(before: bytes | None, after: bytes | None, caption: str) -> QWidget:
    """整改前 and 整改后 side by side."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(thumbnail(before, "整改前", caption))
    arrow = QLabel("→")
    arrow.setStyleSheet("font-size: 20px; color: #777;")
    row.addWidget(arrow)
    row.addWidget(thumbnail(after, "整改后", caption))
    return box


def short_name(path: str) -> str:
    return Path(path).name


class PhotoField(QWidget):
    """「添加照片…」 with previews; each file is checked (photos.read) as it is added, and a file
    that is not a picture, or is too big, is refused with the message under the field (it stays
    there when the form is saved, for the file was never added). ``changed`` after an add or a clear."""

    changed = Signal()

    def __init__(self, button_text: str = "添加照片…", parent=None):
        super().__init__(parent)
        self.files: list[photos.PhotoFile] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.add_button = QPushButton(button_text)
        self.clear_button = QPushButton("清除照片")
        row.addWidget(self.add_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.strip = PhotoStrip("（还没有照片：照片可不加，最好附上）")
        layout.addWidget(self.strip)
        self.error = error_label()
        layout.addWidget(self.error)
        self.add_button.clicked.connect(lambda: self.choose())
        self.clear_button.clicked.connect(self.clear)

    def choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(self, "选择照片", "", "图片 (*.jpg *.jpeg *.png *.gif *.bmp *.webp);;所有文件 (*)")
        if paths:
            self.add_paths(paths)

    def add_paths(self, paths) -> bool:
        """Add the pictures among *paths*; False (with the message shown) when one was refused."""
        refused = []
        for path in paths:
            try:
                self.files.append(photos.read(path))
            except ValidationError as exc:
                refused.append("；".join(exc.errors.values()))
        self.strip.set_files(self.files)
        set_error(self.error, "；".join(refused) if refused else None)
        self.changed.emit()
        return not refused

    def clear(self) -> None:
        self.files = []
        self.strip.set_files([])
        set_error(self.error, None)
        self.changed.emit()


class Errors(FieldErrors):
    """Field errors where several of the service's names show under one field (target_kind and
    village_id under the target, deadline_days under the deadline)."""

    def __init__(self) -> None:
        super().__init__()
        self.aliases: dict[str, str] = {}

    def alias(self, name: str, shown_as: str) -> None:
        self.aliases[name] = shown_as

    def show(self, errors: dict[str, str]) -> list[str]:
        merged: dict[str, str] = {}
        for name, message in errors.items():
            key = self.aliases.get(name, name)
            merged[key] = f"{merged[key]}；{message}" if key in merged else message
        return super().show(merged)


class TextArea(QPlainTextEdit):
    """A multi-line box that keeps its *lines* however tight the dialog: the style sheet's
    min-height, applied when the box is polished, would let a form squeeze it to one line."""

    def __init__(self, lines: int = 3, parent=None):
        super().__init__(parent)
        self.wanted = self.fontMetrics().lineSpacing() * lines + 16
        self.setFixedHeight(self.wanted)

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Polish:
            self.setFixedHeight(self.wanted)
        return handled


def text_area(lines: int = 3) -> TextArea:
    return TextArea(lines)


def button_row(*buttons: QPushButton) -> QWidget:
    """Buttons at their own width on the left of a form row (a form stretches a lone button)."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return box
