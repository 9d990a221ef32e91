"""设置 → 本单位: the office's details, this PC's identity, and the villages/communities."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office
from civdesk.office import setup
from ui.field_errors import FieldErrors, error_label
from ui.navigation import notice_label
from ui.session import Session

EDITABLE = (("name", "单位名称"), ("contact_person", "联系人"), ("phone", "联系电话"), ("address", "地址"))


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class OfficeTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.editable = session.actor.can("edit_office") and not session.read_only
        self.errors = FieldErrors()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)

        left = QVBoxLayout()
        left.addWidget(self._build_details())
        left.addStretch(1)
        layout.addLayout(left, 3)
        layout.addWidget(self._build_villages(), 2)
        self.refresh()

    def _build_details(self) -> QGroupBox:
        """The office's own details, editable by an administrator."""
        details = QGroupBox("单位信息")
        form = QFormLayout(details)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits: dict[str, QLineEdit] = {}
        for key, caption in EDITABLE:
            edit = QLineEdit()
            edit.setReadOnly(not self.editable)
            if not self.editable:
                edit.setStyleSheet("QLineEdit { background: transparent; border: none; padding-left: 0; }")
            edit.setMaxLength(200)
            edit.textEdited.connect(lambda _text: self.saved_label.clear())
            self.edits[key] = edit
            form.addRow(f"{caption}：", self.errors.block(key, edit))
        self.edits["phone"].setPlaceholderText("手机或座机，如 13800138000 或 028-12345678")
        self.kind_label, self.township_label = _value_label(), _value_label()
        self.node_label, self.fingerprint_label = _value_label(), _value_label()
        form.addRow("单位类型：", self.kind_label)
        form.addRow("所属乡镇：", self.township_label)
        form.addRow("本机名称：", self.node_label)
        self.pc_code_edit = QLineEdit()
        self.pc_code_edit.setMaxLength(2)
        self.pc_code_edit.setPlaceholderText("如 A、B（本单位每台电脑各不相同，设定后不能再改）")
        self.pc_code_edit.setToolTip("志愿者编号、证明编号、热线工单号和整改通知书编号带上这个代码，"
                                     "几台电脑同时编号也不会重号。")
        form.addRow("本机电脑代码：", self.errors.block("pc_code", self.pc_code_edit))
        form.addRow("本机密钥指纹：", self.fingerprint_label)
        self.fingerprint_label.setToolTip("其他电脑第一次导入本机的数据包时，会请您核对这串字符。")
        buttons = self._build_save_row()
        if self.editable:
            form.addRow(buttons)
        else:
            form.addRow(notice_label("数据库以只读方式打开，不能修改。" if self.session.read_only
                                     else "只有系统管理员可以修改本单位信息。"))
        return details

    def _build_save_row(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.save_button = QPushButton("保存")
        self.save_button.setDefault(True)
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("撤销修改")
        self.revert_button.clicked.connect(self.refresh)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #2e7d32;")
        for button in (self.save_button, self.revert_button):
            button.setVisible(self.editable)
            buttons.addWidget(button)
        buttons.addWidget(self.saved_label, 1)
        return buttons

    def _build_villages(self) -> QGroupBox:
        """The villages of a township: listed, and added by an administrator."""
        villages = QGroupBox("村/社区")
        village_layout = QVBoxLayout(villages)
        self.village_list = QListWidget()
        self.village_list.setMinimumHeight(120)
        self.village_list.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        village_layout.addWidget(self.village_list)
        add_row = QHBoxLayout()
        self.village_edit = QLineEdit()
        self.village_edit.setPlaceholderText("名称，如 红星村")
        self.village_edit.returnPressed.connect(self.add_village)
        self.add_village_button = QPushButton("添加村/社区")
        self.add_village_button.clicked.connect(self.add_village)
        add_row.addWidget(self.village_edit, 1)
        add_row.addWidget(self.add_village_button)
        self.village_error = FieldErrors()
        self.village_error.add("name", error_label())
        self.village_edit.textEdited.connect(lambda _text: self.village_error.clear())
        add_box = QWidget()
        add_box_layout = QVBoxLayout(add_box)
        add_box_layout.setContentsMargins(0, 0, 0, 0)
        add_box_layout.addLayout(add_row)
        add_box_layout.addWidget(self.village_error.labels["name"])
        self.village_status = QLabel()
        self.village_status.setStyleSheet("color: #2e7d32;")
        add_box_layout.addWidget(self.village_status)
        add_box.setVisible(self.editable)
        village_layout.addWidget(add_box)
        return villages

    def refresh(self) -> None:
        self.errors.clear()
        self.saved_label.clear()
        own = office.own_office_or_none()
        if own is None:
            return
        for key, edit in self.edits.items():
            edit.setText(getattr(own, key) or "")
        township = office.township_of(own)
        self.kind_label.setText(own.kind_label)
        self.township_label.setText(township.name if township else "（未知）")
        self.node_label.setText(office.node_name() or "（未设置）")
        self.pc_code_edit.setText(office.pc_code())
        self.pc_code_edit.setReadOnly(not self.editable or bool(office.pc_code()))
        self.fingerprint_label.setText(setup.own_fingerprint() or "（未生成）")
        self.village_list.clear()
        for village in office.villages():
            self.village_list.addItem(village.name)
        if not self.village_list.count():
            self.village_list.addItem("（还没有村/社区）")

    def save(self) -> bool:
        self.errors.clear()
        values = {key: edit.text() for key, edit in self.edits.items()}
        try:
            changed = office.update_own_office(self.session.actor, values)
            code = self.pc_code_edit.text().strip().upper()
            if code and code != office.pc_code():
                office.set_pc_code(self.session.actor, code)
                changed = True
        except ValidationError as exc:
            rest = self.errors.show(exc.errors)
            if rest:
                QMessageBox.warning(self, "保存本单位信息", "；".join(rest))
            return False
        except CivDeskError as exc:
            QMessageBox.warning(self, "保存本单位信息", str(exc))
            return False
        self.refresh()
        self.saved_label.setText("已保存。" if changed else "没有需要保存的修改。")
        window = self.window()
        if changed and hasattr(window, "refresh_office_display"):
            window.refresh_office_display()
        return True

    def add_village(self) -> bool:
        self.village_error.clear()
        self.village_status.clear()
        try:
            village = office.add_village(self.session.actor, self.village_edit.text())
        except CivDeskError as exc:
            # "已经在名单中", no permission and the like read best right under the name too.
            errors = getattr(exc, "errors", None) or {"name": str(exc)}
            self.village_error.show({"name": "；".join(errors.values())})
            return False
        self.village_edit.clear()
        self.refresh()
        self.village_status.setText(f"已添加「{village.name}」。")
        return True
