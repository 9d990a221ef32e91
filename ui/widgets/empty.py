"""Empty states: instead of a blank list, board or chart, a sentence saying what belongs there and
the button that adds the first one.

``empty_hint(view, text, button=..., on_click=...)`` lays the sentence over a list's viewport and
shows it whenever the list has no rows; ``EmptyState`` is the same as a widget of its own (for a
board or a chart that is swapped for it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    def __init__(self, text: str, button: str = "", on_click: Callable[[], object] | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addStretch(1)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: #555; font-size: 11.5pt;")
        layout.addWidget(self.label)
        self.buttons_row = QHBoxLayout()
        self.buttons_row.addStretch(1)
        self.buttons_row.addStretch(1)
        layout.addLayout(self.buttons_row)
        layout.addStretch(2)
        self.buttons: list[QPushButton] = []
        self.button: QPushButton | None = None  # the first (primary) button
        if button:
            self.add_button(button, on_click)

    def add_button(self, text: str, on_click: Callable[[], object] | None = None) -> QPushButton:
        """A button that adds the first one; the first button added is the primary one."""
        button = QPushButton(text)
        button.setProperty("primary", not self.buttons)
        if on_click is not None:
            button.clicked.connect(lambda _c=False: on_click())
        self.buttons_row.insertWidget(self.buttons_row.count() - 1, button)
        self.buttons.append(button)
        if self.button is None:
            self.button = button
        return button

    def set_button(self, text: str, on_click: Callable[[], object]) -> QPushButton:
        return self.add_button(text, on_click)

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()


class _Overlay(QObject):
    """Keeps an ``EmptyState`` over a view's viewport, shown while the view's model is empty."""

    def __init__(self, view: QAbstractItemView, state: EmptyState):
        super().__init__(view)
        self.view, self.state = view, state
        self.model = None
        view.viewport().installEventFilter(self)
        self.watch()

    def watch(self) -> None:
        model = self.view.model()
        if model is not None and model is not self.model:
            self.model = model
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
                signal.connect(self.update)
        self.update()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.state.setGeometry(self.view.viewport().rect())
            self.update()
        return False

    def update(self, *_args) -> None:
        try:
            model = self.view.model()
            empty = model is None or model.rowCount() == 0
            self.state.setGeometry(self.view.viewport().rect())
            self.state.setVisible(empty)
        except RuntimeError:  # the view is being deleted (a table's own model empties on the way out)
            pass


def empty_hint(view: QAbstractItemView, text: str, button: str = "",
               on_click: Callable[[], object] | None = None) -> EmptyState:
    """An empty-state sentence (and button) over *view*, shown while it has no rows."""
    state = EmptyState(text, button, on_click, view.viewport())
    state.setAutoFillBackground(False)
    overlay = _Overlay(view, state)
    view.setProperty("empty_overlay", True)
    state.overlay = overlay
    return state
