"""The main window: navigation on the left, the pages of ``ui.navigation.PAGES`` on the right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from civdesk import APP_NAME, APP_TITLE
from civdesk.core.errors import CivDeskError
from civdesk.office import maintenance
from civdesk.office import offices as office
from ui.nav_tree import NavigationTree
from ui.navigation import PageSpec, visible_pages
from ui.session import Session
from ui.tasks import TaskHandle, run_task

SETTINGS_GROUP = "main_window"
# Pages that show more than the database (the USB stick's packages, files, fonts): refreshed at every visit.
ALWAYS_REFRESH = {"sync", "settings"}


PAGE_MARGINS = (14, 10, 14, 8)


def _page_margins(page: QWidget) -> None:
    """The same margins on every page: a page laid out flush (tabs against the navigation) gets them."""
    layout = page.layout()
    if layout is not None and layout.contentsMargins().left() < 8:
        layout.setContentsMargins(*PAGE_MARGINS)


def _backup_work(ctx, actor, dest: str) -> str:
    # On a connection of this job's own (run_task): the GUI keeps using its connection meanwhile.
    return str(maintenance.make_backup(actor, dest))


class MainWindow(QMainWindow):
    def __init__(self, session: Session, settings: QSettings | None = None):
        super().__init__()
        self.session = session
        self.settings = settings if settings is not None else QSettings(APP_NAME, APP_NAME)
        self.specs: list[PageSpec] = visible_pages(session.actor)
        self.pages: dict[str, QWidget] = {}
        self._shown_at: dict[str, tuple] = {}  # maintenance.data_version() at each page's last refresh
        self.setWindowTitle(self.title_text())
        self.setMinimumSize(800, 520)

        self.nav = NavigationTree(self.specs)
        self.stack = QStackedWidget()
        for _spec in self.specs:
            self.stack.addWidget(QWidget())  # replaced by the page when first shown
        self.nav.page_chosen.connect(self._switch_to_key)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self._restore_state()

    # -- construction --------------------------------------------------------------

    def title_text(self) -> str:
        own = office.own_office_or_none()
        title = f"{APP_TITLE} — {own.name}" if own else APP_TITLE
        if self.session.demo:
            title += "（演示数据）"
        if self.session.read_only:
            title += "（只读）"
        return title

    def _build_menus(self) -> None:
        actor, bar = self.session.actor, self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self.backup_action = QAction("备份数据库(&B)…", self)
        self.backup_action.setEnabled(actor.can("backup"))
        self.backup_action.triggered.connect(lambda: self.backup_database())
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        account_menu = bar.addMenu("账号(&A)")
        self.password_action = QAction("修改密码(&P)…", self)
        self.password_action.setEnabled(not self.session.read_only)
        self.password_action.triggered.connect(self.change_password)
        account_menu.addAction(self.password_action)

        help_menu = bar.addMenu("帮助(&H)")
        about_action = QAction("关于 CivDesk(&A)", self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    def _build_status_bar(self) -> None:
        actor, bar = self.session.actor, self.statusBar()
        self.user_label = QLabel(f"用户：{actor.display_name}（{actor.role_label}）")
        own = office.own_office_or_none()
        self.office_label = QLabel(f"单位：{own.name}" if own else "单位：未设置")
        path = Path(self.session.db_path)
        self.path_label = QLabel(f"数据库：{path.name}")
        self.path_label.setToolTip(f"数据库文件：{path}")
        for label in (self.office_label, self.user_label, self.path_label):
            label.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(label)
        self.read_only_badge = None
        if self.session.read_only:
            self.read_only_badge = QLabel(" 只读 ")
            self.read_only_badge.setStyleSheet("background: #c0392b; color: white; border-radius: 3px;"
                                               " padding: 1px 6px;")
            self.read_only_badge.setToolTip(self.session.read_only_reason or "数据库以只读方式打开，不能修改。")
            bar.addPermanentWidget(self.read_only_badge)

    def refresh_office_display(self) -> None:
        """After the office was renamed: the title and the status bar show its name."""
        own = office.own_office_or_none()
        self.setWindowTitle(self.title_text())
        self.office_label.setText(f"单位：{own.name}" if own else "单位：未设置")

    # -- pages ---------------------------------------------------------------------

    def has_page(self, key: str) -> bool:
        return any(spec.key == key for spec in self.specs)

    def current_page_key(self) -> str:
        return self.nav.current_key()

    def _index(self, key: str) -> int:
        return next((i for i, spec in enumerate(self.specs) if spec.key == key), -1)

    def page(self, key: str) -> QWidget | None:
        """The page widget, created on first use; None if this user has no such page."""
        for index, spec in enumerate(self.specs):
            if spec.key == key:
                if key not in self.pages:
                    widget = spec.page_class()(self.session, self)
                    _page_margins(widget)
                    placeholder = self.stack.widget(index)
                    self.stack.removeWidget(placeholder)
                    placeholder.deleteLater()
                    self.stack.insertWidget(index, widget)
                    self.pages[key] = widget
                return self.pages[key]
        return None

    def show_page(self, target: str) -> bool:
        key, _, section = target.partition("/")
        if not self.has_page(key):
            return False
        if self.nav.current_key() != key:
            self.nav.select_key(key)
        else:
            self._switch_to_key(key, force=True)
        page = self.pages[key]
        if section and hasattr(page, "show_section"):
            page.show_section(section)
        return True

    def _switch_to_key(self, key: str, force: bool = False) -> None:
        """Show the page; it refreshes (``on_shown``) unless nothing was written since it last did,
        the same day — switching back to a list on a large office then costs no reload."""
        if self._index(key) < 0:
            return
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        if not hasattr(page, "on_shown"):
            return
        version = maintenance.data_version()
        if force or key in ALWAYS_REFRESH or self._shown_at.get(key) != version:
            page.on_shown()
            self._shown_at[key] = version

    def refresh_current_page(self) -> None:
        self._switch_to_key(self.nav.current_key(), force=True)

    # -- actions -------------------------------------------------------------------

    def backup_database(self, dest=None) -> TaskHandle | None:
        if dest is None:
            folder = self.settings.value(f"{SETTINGS_GROUP}/backup_dir", str(Path.home()))
            own = office.own_office_or_none()
            name = f"CivDesk备份-{own.name if own else ''}-{dt.datetime.now():%Y%m%d-%H%M}.sqlite3"
            dest, _ = QFileDialog.getSaveFileName(self, "备份数据库", str(Path(folder) / name),
                                                  "CivDesk 数据库备份 (*.sqlite3)")
            if not dest:
                return None
            self.settings.setValue(f"{SETTINGS_GROUP}/backup_dir", str(Path(dest).parent))
        return run_task(self, "备份数据库", _backup_work, self.session.actor, str(dest), on_done=self._backup_done,
                        cancellable=False)

    def _backup_done(self, path: str) -> None:
        if not self.session.read_only:
            try:
                maintenance.log_backup(self.session.actor, path)
            except CivDeskError as exc:
                self._inform("备份数据库", f"备份已完成，但没能写入审计日志：{exc}", QMessageBox.Icon.Warning)
        self.statusBar().showMessage(f"已备份到 {path}", 15000)
        self._inform("备份数据库", f"备份完成，文件保存在：\n{path}\n\n请把它再拷一份到 U 盘，妥善保管。")
        self.refresh_current_page()

    def _inform(self, title: str, text: str, icon=QMessageBox.Icon.Information) -> QMessageBox:
        # Non-modal on purpose: a finished background task must not block the event loop.
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def change_password(self) -> None:
        from ui.password_dialog import ChangePasswordDialog  # written alongside; imported when used

        ChangePasswordDialog(self.session.actor, parent=self).exec()

    def about_dialog(self) -> QDialog:
        from ui.about_dialog import AboutDialog  # imported when asked for, not at every start

        return AboutDialog(self.session, self)

    def show_about(self) -> None:
        dialog = self.about_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- window state --------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value(f"{SETTINGS_GROUP}/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = self.settings.value(f"{SETTINGS_GROUP}/state")
        if state is not None:
            self.restoreState(state)
        last = str(self.settings.value(f"{SETTINGS_GROUP}/page", "home") or "home")
        if not self.show_page(last) and self.specs:
            self.show_page(self.specs[0].key)

    def save_state(self) -> None:
        self.settings.setValue(f"{SETTINGS_GROUP}/geometry", self.saveGeometry())
        self.settings.setValue(f"{SETTINGS_GROUP}/state", self.saveState())
        self.settings.setValue(f"{SETTINGS_GROUP}/page", self.current_page_key())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.save_state()
        super().closeEvent(event)
