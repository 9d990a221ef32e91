"""设置: tabs 本单位, 账号, 参数, 节假日, 字体, 发文机关 (each in its own module)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.navigation import PageHost
from ui.office.settings_accounts import AccountsTab
from ui.office.settings_calendar import CalendarTab
from ui.office.settings_documents import DocumentsTab
from ui.office.settings_fonts import FontsTab
from ui.office.settings_office import OfficeTab
from ui.office.settings_values import ValuesTab
from ui.session import Session


class SettingsPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        if session.read_only:
            banner = QLabel(f"只读：{session.read_only_reason or '数据库以只读方式打开，不能修改设置。'}")
            banner.setWordWrap(True)
            banner.setStyleSheet("background: #fdecea; color: #8e2a1f; padding: 8px; border-radius: 4px;")
            layout.addWidget(banner)
        self.tabs = QTabWidget()
        self.office_tab = OfficeTab(session)
        self.accounts_tab = AccountsTab(session, host)
        self.values_tab = ValuesTab(session)
        self.tabs.addTab(self.office_tab, "本单位")
        self.tabs.addTab(self.accounts_tab, "账号")
        self.calendar_tab = CalendarTab(session)
        self.tabs.addTab(self.values_tab, "参数")
        self.tabs.addTab(self.calendar_tab, "节假日")
        self.fonts_tab = FontsTab(session)
        self.tabs.addTab(self.fonts_tab, "字体")
        self.documents_tab = DocumentsTab(session)
        self.tabs.addTab(self.documents_tab, "发文机关")
        self.sections = {"office": self.office_tab, "accounts": self.accounts_tab, "values": self.values_tab,
                         "calendar": self.calendar_tab, "fonts": self.fonts_tab, "documents": self.documents_tab}
        self.tabs.currentChanged.connect(lambda _index: self.on_shown())
        layout.addWidget(self.tabs)

    def show_section(self, section: str) -> None:
        tab = self.sections.get(section)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)

    def on_shown(self) -> None:
        # Unsaved typing in the office and settings forms survives switching pages; the
        # account list may have changed elsewhere (a lockout, a login), so it is re-read.
        if self.tabs.currentWidget() is self.accounts_tab:
            self.accounts_tab.refresh()
        elif self.tabs.currentWidget() is self.calendar_tab:
            self.calendar_tab.refresh()
        elif self.tabs.currentWidget() is self.fonts_tab:
            self.fonts_tab.refresh()
        elif self.tabs.currentWidget() is self.documents_tab:
            self.documents_tab.refresh()  # numbers may have been given since
