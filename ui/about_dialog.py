"""帮助 → 关于 CivDesk: first what the office needs (version, its database, its backups), then,
under 详细信息, what support asks for on the phone (paths, schema, key fingerprint, Qt, Python)."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from civdesk import APP_TITLE, __version__
from civdesk.office import maintenance, setup
from civdesk.office import offices as office
from ui.session import Session


def backup_text(db_path) -> str:
    found = maintenance.backups(db_path)
    if not found:
        return "还没有备份。每天第一次打开时会自动备份；也可以在「文件 → 备份数据库」手动备份。"
    latest = found[0]
    return f"共 {len(found)} 份，最近一次 {latest.created:%Y-%m-%d %H:%M}（{latest.reason_label}）"


def about_rows(session: Session) -> list[tuple[str, str]]:
    """What the office needs to know."""
    own = office.own_office_or_none()
    path = Path(session.db_path)
    return [("版本", __version__), ("单位", own.name if own else "（未设置）"),
            ("数据库", f"{path.name}（在 {path.parent}）"), ("备份", backup_text(session.db_path))]


def detail_rows(session: Session) -> list[tuple[str, str]]:
    """What support asks for."""
    return [("数据库文件", str(session.db_path)), ("备份文件夹", str(maintenance.backup_folder(session.db_path))),
            ("数据库版本", str(maintenance.schema_version())), ("本机名称", office.node_name() or "（未设置）"),
            ("本机密钥指纹", setup.own_fingerprint() or "（未生成）"),
            ("Qt / PySide6", f"{qVersion()} / {pyside_version}"),
            ("Python", f"{platform.python_version()}（{platform.system()} {platform.release()}）")]


def _form(rows: list[tuple[str, str]]) -> QFormLayout:
    form = QFormLayout()
    form.setVerticalSpacing(8)
    for caption, value in rows:
        label = QLabel(value)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        form.addRow(f"{caption}：", label)
    return form


class AboutDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("关于 CivDesk")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        heading = QLabel(f"{APP_TITLE}（CivDesk）{__version__}")
        heading.setProperty("role", "title")
        layout.addWidget(heading)
        layout.addLayout(_form(about_rows(session)))
        self.details_button = QToolButton()
        self.details_button.setText("详细信息 ▸")
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.details_button)
        self.details = QWidget()
        self.details.setLayout(_form(detail_rows(session)))
        self.details.layout().setContentsMargins(12, 0, 0, 0)
        self.details.setVisible(False)
        layout.addWidget(self.details)
        self.details_button.toggled.connect(self._show_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText("详细信息 ▾" if shown else "详细信息 ▸")
        self.adjustSize()
