"""The pages of the main window, registered in one list.

A module adds its page with one line in ``PAGES`` (kept in navigation order; 设置 stays last).
Page classes are named by import path and imported only when the page is first shown, so a
page module can import whatever it needs without slowing the start or creating cycles.

A page class is constructed as ``PageClass(session, host)`` where *host* is the main window
(see :class:`PageHost`). It may define:

* ``on_shown()`` — called every time the page becomes visible (refresh lists there);
* ``show_section(section)`` — for targets like ``"settings/accounts"``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QLabel

from civdesk.core.actor import Actor


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    class_path: str  # "module:ClassName"
    glyph: str  # one character drawn as the navigation icon
    color: str  # the icon's background
    permission: str | None = None  # None: every role sees the page

    def visible_to(self, actor: Actor) -> bool:
        return self.permission is None or actor.can(self.permission)

    def page_class(self) -> type:
        module, name = self.class_path.split(":")
        return getattr(importlib.import_module(module), name)


PAGES: list[PageSpec] = [
    PageSpec("home", "工作台", "ui.office.home:HomePage", "台", "#c0392b"),
    PageSpec("units", "文明创建", "ui.units.board:UnitsBoardPage", "创", "#b03a2e"),
    PageSpec("organisations", "创建单位", "ui.units.organisations_page:OrganisationsPage", "单", "#a04000"),
    PageSpec("nominations", "好人评选", "ui.nominations.board:NominationsPage", "好", "#ca6f1e"),
    PageSpec("supervision", "督查整改", "ui.supervision.board:SupervisionPage", "督", "#1f618d"),
    PageSpec("frontage", "门前三包", "ui.supervision.frontage_page:FrontagePage", "包", "#2874a6"),
    PageSpec("volunteers", "志愿者", "ui.volunteers.list_page:VolunteersPage", "志", "#d35400"),
    PageSpec("hours", "服务时长", "ui.volunteers.hours_page:HoursPage", "时", "#2e86c1", "enter_hours"),
    PageSpec("teams", "队伍与活动", "ui.volunteers.teams_page:TeamsPage", "队", "#229954"),
    PageSpec("volunteer_stats", "志愿统计", "ui.volunteers.stats_page:VolunteerStatsPage", "统", "#7d3c98"),
    PageSpec("hotline", "热线工单", "ui.hotline.page:HotlinePage", "线", "#117864", "handle_hotline"),
    PageSpec("activities", "活动与阵地", "ui.activities.page:ActivitiesPage", "活", "#1e8449"),
    PageSpec("sync", "数据同步", "ui.sync.sync_page:SyncPage", "同", "#17a589", "sync_data"),
    PageSpec("conflicts", "冲突处理", "ui.sync.conflicts_page:ConflictsPage", "冲", "#b9770e", "sync_data"),
    PageSpec("audit", "审计日志", "ui.office.audit_page:AuditPage", "审", "#6c5b7b", "view_audit"),
    PageSpec("settings", "设置", "ui.office.settings_page:SettingsPage", "设", "#5d6d7e"),
]


def visible_pages(actor: Actor) -> list[PageSpec]:
    return [spec for spec in PAGES if spec.visible_to(actor)]


class PageHost(Protocol):
    """What pages may ask of the main window."""

    def show_page(self, target: str) -> bool:
        """Switch to ``"key"`` or ``"key/section"``; False if this user has no such page."""
        ...

    def has_page(self, key: str) -> bool: ...

    def backup_database(self, dest=None): ...

    def change_password(self) -> None: ...


def notice_label(text: str) -> QLabel:
    """A boxed note above a form, e.g. why it cannot be edited (styled by resources/style.qss)."""
    label = QLabel(text)
    label.setProperty("role", "notice")
    label.setWordWrap(True)
    return label
