"""热线工单: the ticket board, hot issues with their 现场办公会, and the monthly 通报, in tabs.

工作台 reminders open the right place through :meth:`HotlinePage.show_section`:
``hotline/dispatched`` (待签收), ``hotline/yellow``, ``hotline/red``, ``hotline/supervise``,
``hotline/extensions``, ``hotline/hot``, ``hotline/meetings``, ``hotline/month`` and
``hotline/new`` (受理登记).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from civdesk.hotline import tickets
from civdesk.hotline.terms import STATES
from ui.field_errors import message_label, show_message
from ui.hotline.board import TicketBoard
from ui.hotline.form import TicketForm
from ui.hotline.hot_panel import HotPanel
from ui.hotline.month_panel import MonthPanel
from ui.hotline.ticket import TicketDialog
from ui.navigation import PageHost
from ui.session import Session

BOARD, HOT, MONTH = range(3)
DEADLINE_SECTIONS = ("red", "yellow", "supervise", "extensions")


class HotlinePage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.dialogs: dict[str, TicketDialog] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        title = QLabel(tickets.form_choices().hotline)
        title.setProperty("role", "hint")
        self.tabs = QTabWidget()
        can_enter = session.actor.can("handle_hotline") and not session.read_only
        self.board = TicketBoard(can_enter)
        self.hot = HotPanel(session)
        self.month = MonthPanel(session)
        self.tabs.addTab(self.board, "工单看板")
        self.tabs.addTab(self.hot, "热点与现场办公会")
        self.tabs.addTab(self.month, "月度通报")
        self.tabs.setCornerWidget(title)
        layout.addWidget(self.tabs, 1)
        self.message = message_label()
        layout.addWidget(self.message)
        self.board.open_ticket.connect(self.open_ticket)
        self.hot.open_ticket.connect(self.open_ticket)
        self.board.new_ticket.connect(lambda: self.new_ticket())
        self.tabs.currentChanged.connect(lambda _i: self.on_shown())

    def on_shown(self) -> None:
        index = self.tabs.currentIndex()
        (self.board.refresh, self.hot.refresh, self.month.refresh)[index]()

    def show_section(self, section: str) -> None:
        if section in STATES:
            self.tabs.setCurrentIndex(BOARD)
            self.board.show_deadline("")
            self.board.show_state(section)
        elif section in DEADLINE_SECTIONS:
            self.tabs.setCurrentIndex(BOARD)
            self.board.show_deadline(section)
        elif section == "hot":
            self.tabs.setCurrentIndex(HOT)
            self.hot.show_open_issues()
        elif section == "meetings":
            self.tabs.setCurrentIndex(HOT)
            self.hot.show_meeting_tasks()
        elif section == "month":
            self.tabs.setCurrentIndex(MONTH)
            self.month.refresh()
        elif section.startswith("ticket/"):  # the 活动 calendar's deadline of a ticket
            self.tabs.setCurrentIndex(BOARD)
            self.open_ticket(section.removeprefix("ticket/"))
        elif section == "new":
            self.tabs.setCurrentIndex(BOARD)
            self.new_ticket()

    def new_ticket(self) -> TicketForm:
        form = TicketForm(self.session, self)
        form.saved.connect(self._saved)
        form.finished.connect(form.deleteLater)
        form.open()
        return form

    def _saved(self, ticket_id: str) -> None:
        self.board.show_state("")
        self.board.select(ticket_id)
        row = tickets.get(ticket_id)
        merged = f"，已合并到 {tickets.get(row.merged_into).number}" if row.merged_into else ""
        show_message(self.message, f"已受理：工单编号 {row.number}{merged}。双击打开工单可派单。")

    def open_ticket(self, ticket_id: str) -> TicketDialog | None:
        if not ticket_id:
            return None
        dialog = self.dialogs.get(ticket_id)
        if dialog is None:
            dialog = TicketDialog(self.session, ticket_id, self)
            dialog.changed.connect(lambda _id: self.board.refresh())
            dialog.finished.connect(lambda _r, i=ticket_id: self.dialogs.pop(i, None))
            self.dialogs[ticket_id] = dialog
        dialog.show()
        dialog.raise_()
        return dialog
