"""帮助 → 关于 CivDesk: the versions and this PC's identity, for a phone call with support."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from civdesk import APP_TITLE, __version__
from civdesk.office import maintenance, setup
from civdesk.office import offices as office
from ui.session import Session


def about_rows(session: Session) -> list[tuple[str, str]]:
    return [("版本", __version__), ("数据库", str(session.db_path)),
            ("数据库版本", str(maintenance.schema_version())), ("本机名称", office.node_name() or "（未设置）"),
            ("本机密钥指纹", setup.own_fingerprint() or "（未生成）"),
            ("Qt / PySide6", f"{qVersion()} / {pyside_version}"),
            ("Python", f"{platform.python_version()}（{platform.system()} {platform.release()}）")]


class AboutDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("关于 CivDesk")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(f"{APP_TITLE}（CivDesk）")
        heading.setProperty("role", "title")
        layout.addWidget(heading)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for caption, value in about_rows(session):
            label = QLabel(value)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(f"{caption}：", label)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
