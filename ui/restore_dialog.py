"""What to do when the database is damaged: restore a backup, open read-only, or quit.

The damaged file is never deleted: a file that cannot be opened is moved aside as
``<name>.damaged-<time>``; one that opens but fails its check is backed up before restoring.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.actor import SYSTEM
from civdesk.core.errors import CivDeskError
from civdesk.office import maintenance
from ui.field_errors import error_label, hint_label, set_error

RESTORED, READ_ONLY, QUIT = "restored", "read_only", "quit"


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class RestoreDialog(QDialog):
    """``exec()`` it, then read ``choice``: RESTORED (the database is open and healthy again),
    READ_ONLY (the caller opens it read-only) or QUIT."""

    def __init__(self, db_path, problem: str, *, opened: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.opened = opened
        self.choice = QUIT
        self.damaged_copy: Path | None = None
        self.setWindowTitle("数据库需要修复")
        self.setMinimumSize(640, 460)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)
        title = QLabel("数据库文件已损坏" if not opened else "数据库检查发现问题")
        title.setProperty("role", "title")
        layout.addWidget(title)
        if opened:
            text = ("程序打开数据库时做了完整性检查，发现数据有错误，继续使用可能丢失或弄乱数据。"
                    "建议从最近的备份恢复：恢复前会先把现在的数据库另存一份备份，不会删除任何东西。"
                    "恢复后，备份时间之后录入的内容需要重新录入。")
        else:
            text = ("程序无法打开数据库文件，它可能在断电、拔 U 盘或磁盘故障时损坏了。"
                    "可以从最近的备份恢复：损坏的文件会改名保留在原来的文件夹中，不会被删除。"
                    "恢复后，备份时间之后录入的内容需要重新录入。")
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(hint_label(f"数据库：{self.db_path}\n问题：{problem}"))

        layout.addWidget(QLabel("<b>选择一个备份：</b>"))
        layout.addWidget(self._build_backup_list(), 1)
        self.empty_label = hint_label("在 backups 文件夹中没有找到备份。可以点“选择其他备份文件…”，"
                                      "找 U 盘或其他位置保存的备份。")
        layout.addWidget(self.empty_label)
        self.error = error_label()
        layout.addWidget(self.error)

        layout.addLayout(self._build_buttons())
        self.reload_backups()

    def _build_backup_list(self) -> QTreeWidget:
        self.table = QTreeWidget()
        self.table.setHeaderLabels(["备份时间", "类型", "大小"])
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(lambda *_: self._restore_clicked())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        return self.table

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.browse_button = QPushButton("选择其他备份文件…")
        self.browse_button.clicked.connect(self._browse)
        buttons.addWidget(self.browse_button)
        buttons.addStretch(1)
        self.read_only_button = QPushButton("仍然以只读方式打开")
        self.read_only_button.clicked.connect(self.open_read_only)
        # A file that cannot be opened at all cannot be read either.
        self.read_only_button.setVisible(self.opened)
        buttons.addWidget(self.read_only_button)
        self.quit_button = QPushButton("退出")
        self.quit_button.clicked.connect(self.reject)
        buttons.addWidget(self.quit_button)
        self.restore_button = QPushButton("从所选备份恢复")
        self.restore_button.setProperty("primary", True)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._restore_clicked)
        buttons.addWidget(self.restore_button)
        return buttons

    # -- list ----------------------------------------------------------------------

    def reload_backups(self) -> None:
        self.table.clear()
        for info in maintenance.backups(self.db_path):
            self._add_item(info.created.strftime("%Y-%m-%d %H:%M"), info.reason_label, info.size, info.path)
        self.empty_label.setVisible(self.table.topLevelItemCount() == 0)
        if self.table.topLevelItemCount():
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self._selection_changed()

    def _add_item(self, when: str, kind: str, size: int, path: Path, first: bool = False) -> QTreeWidgetItem:
        item = QTreeWidgetItem([when, kind, format_size(size)])
        item.setData(0, Qt.ItemDataRole.UserRole, str(path))
        item.setToolTip(0, str(path))
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if first:
            self.table.insertTopLevelItem(0, item)
        else:
            self.table.addTopLevelItem(item)
        return item

    def add_backup_file(self, path) -> None:
        """Put a file chosen elsewhere at the top of the list and select it."""
        path = Path(path)
        when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        item = self._add_item(when, f"选择的文件：{path.name}", path.stat().st_size, path, first=True)
        self.empty_label.hide()
        self.table.setCurrentItem(item)

    def selected_path(self) -> Path | None:
        item = self.table.currentItem()
        return Path(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_path() is not None)
        set_error(self.error, None)

    def _browse(self) -> None:
        folder = maintenance.backup_folder(self.db_path)
        start = str(folder) if folder.is_dir() else str(self.db_path.parent)
        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", start, "CivDesk 数据库 (*.sqlite3 *.db);;所有文件 (*)")
        if name:
            self.add_backup_file(name)

    # -- actions -------------------------------------------------------------------

    def _restore_clicked(self) -> None:
        path = self.selected_path()
        if path is None:
            return
        answer = QMessageBox.question(
            self, "确认恢复", f"用备份“{path.name}”恢复数据库吗？\n\n备份时间之后录入的内容需要重新录入。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_selected()

    def restore_selected(self) -> bool:
        """Restore from the selected backup; on success the database is open again."""
        path = self.selected_path()
        if path is None:
            set_error(self.error, "请先选择一个备份。")
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            # Before anyone has signed in: the program itself restores (and is named in the log).
            if self.opened:
                maintenance.restore(SYSTEM, path)
            else:
                self.damaged_copy = maintenance.restore_damaged(SYSTEM, self.db_path, path)
        except CivDeskError as exc:
            set_error(self.error, str(exc))
            return False
        except OSError as exc:
            set_error(self.error, f"恢复失败：{exc}")
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.choice = RESTORED
        self.accept()
        return True

    def open_read_only(self) -> None:
        self.choice = READ_ONLY
        self.accept()
