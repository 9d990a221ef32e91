"""The navigation on the left: the pages of ``ui.navigation.PAGES`` in their groups.

A group (志愿服务, 文明创建, 系统…) is a heading with its pages beneath it; a page without a group
stands on its own (工作台, 设置). When every group opened at once would not fit the window's
height, only the group of the current page stays open, so ~20 pages fit a 1280×658 window
without a scrollbar and 设置 is always in sight. Clicking a heading opens its first page.

``count()``, ``item(i)`` (``.text()``) and ``titles()`` list the pages in order, headings left out.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from ui.navigation import GROUPS, PageSpec

KEY_ROLE = Qt.ItemDataRole.UserRole
STYLE = """
QTreeWidget#navigation { border: none; background: #f2efe9; padding-top: 6px; outline: 0; }
QTreeWidget#navigation::item { padding: 5px 4px; border-radius: 5px; }
QTreeWidget#navigation::item:selected { background: #e2d6c8; color: black; }
QTreeWidget#navigation::item:hover:!selected { background: #ebe4da; }
QTreeWidget#navigation::branch { background: transparent; border-image: none; image: none; }
"""


def glyph_icon(glyph: str, color: str, size: int = 64) -> QIcon:
    """A rounded square with one white character: readable at any scale, no image files."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(2, 2, size - 4, size - 4), size * 0.22, size * 0.22)
    font = QFont()
    font.setPixelSize(int(size * 0.55))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # no pale tint on the current page's icon
    return icon


class NavItem(QTreeWidgetItem):
    """A page or a heading; ``text()`` without a column, as a list item has it."""

    def text(self, column: int = 0) -> str:  # noqa: D102 - the same text, column optional
        return super().text(column)

    @property
    def key(self) -> str:
        return self.data(0, KEY_ROLE) or ""


class NavigationTree(QTreeWidget):
    page_chosen = Signal(str)

    def __init__(self, specs: list[PageSpec], parent=None):
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setIndentation(14)
        self.setRootIsDecorated(False)
        self.setIconSize(QSize(24, 24))
        self.setFixedWidth(178)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setExpandsOnDoubleClick(False)
        self.setUniformRowHeights(False)
        self.setStyleSheet(STYLE)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self.pages: list[NavItem] = []
        self.groups: list[NavItem] = []
        self._build(specs)
        self.currentItemChanged.connect(self._current_changed)
        self.itemClicked.connect(self._clicked)

    def _build(self, specs: list[PageSpec]) -> None:
        groups: dict[str, NavItem] = {}
        for spec in specs:
            parent = None
            if spec.group:
                parent = groups.get(spec.group)
                if parent is None:
                    title, glyph, color = GROUPS.get(spec.group, (spec.group, spec.glyph, spec.color))
                    parent = groups[spec.group] = NavItem(self, [title])
                    parent.setIcon(0, glyph_icon(glyph, color))
                    heading_font = QFont(self.font())
                    heading_font.setBold(True)
                    parent.setFont(0, heading_font)
                    parent.setToolTip(0, f"{title}：点一下打开其中第一页")
                    self.groups.append(parent)
            item = NavItem(parent if parent is not None else self, [spec.title])
            item.setData(0, KEY_ROLE, spec.key)
            if parent is None:
                item.setIcon(0, glyph_icon(spec.glyph, spec.color))
            self.pages.append(item)
        self.expandAll()

    # -- the pages, as a list ---------------------------------------------------------------

    def count(self) -> int:
        return len(self.pages)

    def item(self, index: int) -> NavItem:
        return self.pages[index]

    def titles(self) -> list[str]:
        return [item.text() for item in self.pages]

    def current_key(self) -> str:
        item = self.currentItem()
        return item.key if isinstance(item, NavItem) else ""

    def select_key(self, key: str) -> bool:
        for item in self.pages:
            if item.key == key:
                if self.currentItem() is not item:
                    self.setCurrentItem(item)
                return True
        return False

    # -- behaviour --------------------------------------------------------------------------

    def _first_page(self, heading: QTreeWidgetItem) -> NavItem | None:
        return heading.child(0) if heading.childCount() else None

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item in self.groups and (first := self._first_page(item)) is not None:
            self.setCurrentItem(first)

    def _current_changed(self, current, _previous) -> None:
        if current is None:
            return
        if current in self.groups:
            first = self._first_page(current)
            if first is not None:
                self.setCurrentItem(first)
            return
        self.fit_groups()
        self.page_chosen.emit(current.key)

    def full_height(self) -> int:
        """The height every heading and page needs, all groups open."""
        total = 0
        for index in range(self.topLevelItemCount()):
            top = self.topLevelItem(index)
            total += self.sizeHintForIndex(self.indexFromItem(top)).height()
            for child in range(top.childCount()):
                total += self.sizeHintForIndex(self.indexFromItem(top.child(child))).height()
        return total + 12

    def fit_groups(self) -> None:
        """All groups open if they fit; otherwise only the current page's group."""
        fits = self.full_height() <= self.viewport().height()
        current = self.currentItem()
        for group in self.groups:
            group.setExpanded(fits or (current is not None and current.parent() is group))

    def needs_scrolling(self) -> bool:
        return self.verticalScrollBar().maximum() > 0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_groups()
