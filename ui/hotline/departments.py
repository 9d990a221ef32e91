"""设置 → 参数 → 热线工单: the department names typed on tickets before the 承办单位 list, each
offered for mapping to a listed department or for putting on the list as it is."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from civdesk.core.errors import CivDeskError
from civdesk.hotline import departments
from ui.field_errors import message_label, show_message
from ui.session import Session


class DepartmentMapping(QWidget):
    """Hidden while every ticket names a listed department. ``changed`` after the list grew."""

    changed = Signal()

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.editable = session.actor.can("edit_settings") and not session.read_only
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.intro = QLabel("以下承办单位是以前派单时手工填写的，不在名单中。请对应到名单中的单位，或加入名单：")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        row = QHBoxLayout()
        self.value_combo = QComboBox()
        self.value_combo.setMinimumWidth(180)
        self.target_combo = QComboBox()
        self.target_combo.setMinimumWidth(160)
        self.map_button = QPushButton("对应")
        self.add_button = QPushButton("加入名单")
        row.addWidget(self.value_combo)
        self.arrow = QLabel("→")
        row.addWidget(self.arrow)
        row.addWidget(self.target_combo)
        row.addWidget(self.map_button)
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = message_label()
        layout.addWidget(self.message)
        for widget in (self.value_combo, self.target_combo, self.map_button, self.add_button):
            widget.setEnabled(self.editable)
        self.map_button.clicked.connect(lambda: self.map_selected())
        self.add_button.clicked.connect(lambda: self.add_selected())
        self.refresh()

    def refresh(self) -> None:
        found = departments.free_text_values()
        self.value_combo.clear()
        for item in found:
            self.value_combo.addItem(f"{item.value}（{item.tickets} 件）", item.value)
        self.target_combo.clear()
        self.target_combo.addItems(departments.names())
        for widget in (self.intro, self.value_combo, self.target_combo, self.map_button, self.add_button,
                       self.arrow):
            widget.setVisible(bool(found))
        self.setVisible(bool(found) or bool(self.message.text()))  # the last mapping's message stays

    def map_selected(self) -> int:
        value, target = self.value_combo.currentData(), self.target_combo.currentText()
        if not value:
            return 0
        try:
            count = departments.map_value(self.session.actor, value, target)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return 0
        show_message(self.message, f"已把 {count} 件工单的承办单位「{value}」对应到「{target}」。")
        self.refresh()
        return count

    def add_selected(self) -> bool:
        value = self.value_combo.currentData()
        if not value:
            return False
        try:
            departments.add_to_list(self.session.actor, value)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        show_message(self.message, f"已把「{departments.key(value)}」加入承办单位名单。")
        self.refresh()
        self.changed.emit()
        return True
