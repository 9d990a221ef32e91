"""活动与阵地: one page, one tab per part — the month calendar, the year's festival plan, 道德讲堂,
公益广告, 三美示范村 and 未成年人. 工作台 opens it at ``activities/calendar/<date>`` (the day of a
festival without a plan) or ``activities/record/<id>`` (a plan to record)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from civdesk.activities import records
from civdesk.core.errors import CivDeskError
from ui.activities.calendar_tab import CalendarTab, PlanTab
from ui.activities.halls_tab import HallsTab
from ui.activities.minors_tab import MinorsTab
from ui.activities.placements_tab import PlacementsTab
from ui.activities.sanmei_tab import SanmeiTab
from ui.navigation import PageHost
from ui.session import Session


class ActivitiesPage(QWidget):
    def __init__(self, session: Session, host: PageHost | None = None, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.calendar_tab = CalendarTab(session)
        self.plan_tab = PlanTab(session)
        self.halls_tab = HallsTab(session)
        self.placements_tab = PlacementsTab(session)
        self.sanmei_tab = SanmeiTab(session)
        self.minors_tab = MinorsTab(session)
        self.sections = {"calendar": self.calendar_tab, "plan": self.plan_tab, "halls": self.halls_tab,
                         "placements": self.placements_tab, "sanmei": self.sanmei_tab, "minors": self.minors_tab}
        for tab, title in ((self.calendar_tab, "活动日历"), (self.plan_tab, "我们的节日"), (self.halls_tab, "道德讲堂"),
                           (self.placements_tab, "公益广告"), (self.sanmei_tab, "三美示范村"),
                           (self.minors_tab, "未成年人")):
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self.on_shown())
        self.calendar_tab.open_target.connect(self.open_elsewhere)
        layout.addWidget(self.tabs)
        self.on_shown()

    def open_elsewhere(self, target: str) -> bool:
        """A 督查 or 热线 item of the calendar: the page it belongs to opens it."""
        return bool(self.host is not None and self.host.show_page(target))

    def on_shown(self) -> None:
        self.tabs.currentWidget().refresh()

    def show_section(self, section: str):
        """``calendar[/<date>]``, ``record/<id>`` or a tab's key; returns the dialog it opened, if any."""
        key, _, rest = section.partition("/")
        if key == "record" and rest:
            self.tabs.setCurrentWidget(self.calendar_tab)
            try:
                self.calendar_tab.go_to(dt.date.fromisoformat(records.detail(rest).row.day))
            except CivDeskError:
                pass  # the form says the record is gone
            return self.calendar_tab.open_record(rest)
        tab = self.sections.get(key)
        if tab is None:
            return None
        self.tabs.setCurrentWidget(tab)
        if key == "calendar" and rest:
            try:
                self.calendar_tab.go_to(dt.date.fromisoformat(rest))
            except ValueError:
                pass
        return None
