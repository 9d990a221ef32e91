"""队伍与活动: the team tree with its members, and the activities with their participants.

Activities that ended more than the set number of working days ago without any hours recorded
(``hours.activities_without_hours``) are shown in red: the start page links here for them.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.office import settings
from civdesk.volunteers import hours, teams
from ui.field_errors import message_label, show_message
from ui.navigation import PageHost, notice_label
from ui.session import Session
from ui.volunteers.picker import VolunteerPicker
from ui.volunteers.service_forms import ActivityFormDialog, TeamFormDialog
from ui.widgets.choices import choice_combo
from ui.widgets.empty import empty_hint
from ui.widgets.tables import IdRole, current_id, set_row, simple_table

OVERDUE_BACKGROUND = QColor("#fdecea")
OVERDUE_TEXT = QColor("#a93226")
MEMBER_ROLES = ("队员", "队长", "副队长")


class TeamsTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.can_edit = session.actor.can("edit_volunteers") and not session.read_only
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter)

        splitter.addWidget(self._build_tree())

        splitter.addWidget(self._build_members())
        splitter.setSizes([420, 620])

        self.tree.currentItemChanged.connect(lambda *_a: self.show_team())
        self.new_button.clicked.connect(lambda: self.edit_team(new=True))
        self.new_child_button.clicked.connect(lambda: self.edit_team(new=True, child=True))
        self.edit_button.clicked.connect(lambda: self.edit_team())
        self.tree.itemDoubleClicked.connect(lambda *_a: self.edit_team() if self.can_edit else None)
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.refresh()

    def _build_tree(self) -> QWidget:
        """The teams as a tree (sub-teams under their team), with the buttons to add or edit one."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["志愿队伍", "成员"])
        self.tree.setColumnWidth(0, 300)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        self.tree.header().setStretchLastSection(True)
        left_layout.addWidget(self.tree, 1)
        self.tree_empty = empty_hint(self.tree, "还没有志愿队伍。建立镇里的志愿服务总队和各村（社区）的分队，"
                                                "再把志愿者加入队伍。", "新建队伍", lambda: self.edit_team(new=True))
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建队伍")
        self.new_child_button = QPushButton("新建下级队伍")
        self.edit_button = QPushButton("修改")
        for button in (self.new_button, self.new_child_button, self.edit_button):
            button.setEnabled(self.can_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        return left

    def _build_members(self) -> QWidget:
        """The chosen team: who it is, its members, adding and removing one."""
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.info_label = QLabel("在左边选择一支队伍。")
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        right_layout.addWidget(self.info_label)
        members_box = QGroupBox("队伍成员")
        members_layout = QVBoxLayout(members_box)
        self.members_table = simple_table(["姓名", "编号", "职务", "村/社区", "状态"])
        for col, width in enumerate((100, 120, 80, 110)):
            self.members_table.setColumnWidth(col, width)
        members_layout.addWidget(self.members_table, 1)
        empty_hint(self.members_table, "这个队伍还没有成员。在下面输入志愿者的姓名，点「加入队伍」。")
        add_row = QHBoxLayout()
        self.member_picker = VolunteerPicker()
        self.role_combo = choice_combo(MEMBER_ROLES, editable=True, blank=None)
        self.role_combo.setCurrentIndex(0)
        self.add_member_button = QPushButton("加入队伍")
        self.remove_member_button = QPushButton("移出所选成员")
        add_row.addWidget(self.member_picker, 1)
        add_row.addWidget(self.role_combo)
        add_row.addWidget(self.add_member_button)
        members_layout.addLayout(add_row)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_member_button)
        members_layout.addLayout(remove_row)
        self.message = message_label()
        members_layout.addWidget(self.message)
        right_layout.addWidget(members_box, 1)
        return right

    def current_team_id(self) -> str:
        item = self.tree.currentItem()
        return item.data(0, IdRole) if item is not None else ""

    def refresh(self, select: str | None = None) -> None:
        select = select or self.current_team_id()
        self.tree.clear()
        all_teams = teams.teams()
        known = {t.id for t in all_teams}
        items: dict[str, QTreeWidgetItem] = {}
        counts = teams.member_counts()
        for team in all_teams:
            item = QTreeWidgetItem([team.name, str(counts.get(team.id, 0))])
            item.setData(0, IdRole, team.id)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items[team.id] = item
        for team in all_teams:  # teams() is in pinyin order, so children come out sorted too
            parent = items.get(team.parent_id) if team.parent_id in known else None
            (parent.addChild if parent is not None else self.tree.addTopLevelItem)(items[team.id])
        self.tree.expandAll()
        if not all_teams:
            self.info_label.setText("还没有志愿队伍。点“新建队伍”建立第一支队伍。")
        target = items.get(select) if select else None
        self.tree.setCurrentItem(target or self.tree.topLevelItem(0))
        self.show_team()

    def show_team(self) -> None:
        team_id = self.current_team_id()
        has_team = bool(team_id)
        for widget in (self.new_child_button, self.edit_button, self.add_member_button, self.remove_member_button,
                       self.member_picker, self.role_combo):
            widget.setEnabled(has_team and self.can_edit)
        self.members_table.setRowCount(0)
        if not has_team:
            return
        team = teams.get_team(team_id)
        parent = teams.get_team(team.parent_id).name if team.parent_id else "（最上级）"
        members = teams.members(team_id)
        leader = next((v.name for v, _role in members if v.id == team.leader_id), "")
        lines = [f"<b style='font-size:large'>{escape(team.name)}</b>",
                 f"上级队伍：{escape(parent)}　负责人：{escape(leader or '—')}　成员：{len(members)} 人"]
        extra = [f"服务类别：{escape(team.service_category)}" if team.service_category else "",
                 f"成立日期：{team.founded_date:%Y-%m-%d}" if team.founded_date else "",
                 f"备注：{escape(team.note)}" if team.note else ""]
        if any(extra):
            lines.append("　".join(e for e in extra if e))
        self.info_label.setText("<br>".join(lines))
        self.members_table.setRowCount(len(members))
        for row, (volunteer, role) in enumerate(members):
            status = "在册" if volunteer.status == "active" else "已退出"
            village = volunteer.display_value("village_id", volunteer.village_id) if volunteer.village_id else ""
            set_row(self.members_table, row, [volunteer.name, volunteer.number, role, village, status], volunteer.id)

    def edit_team(self, new: bool = False, child: bool = False) -> TeamFormDialog:
        team_id = self.current_team_id()
        if new:
            dialog = TeamFormDialog(self.session, parent_id=team_id if child else None, parent=self)
        else:
            dialog = TeamFormDialog(self.session, team_id, parent=self)
        dialog.accepted.connect(lambda: self.refresh(select=dialog.saved_id))
        dialog.finished.connect(dialog.deleteLater)  # one per use, not one per click kept forever
        dialog.open()
        return dialog

    def add_member(self) -> bool:
        team_id, volunteer_id = self.current_team_id(), self.member_picker.volunteer_id()
        if not volunteer_id:
            show_message(self.message, "请先输入并选择要加入的志愿者。", ok=False)
            return False
        try:
            teams.add_member(self.session.actor, team_id, volunteer_id, role=self.role_combo.currentText() or "队员")
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        name = self.member_picker.edit.text()
        self.member_picker.clear()
        self.refresh(select=team_id)
        show_message(self.message, f"已把 {name} 加入队伍。")
        return True

    def remove_member(self) -> bool:
        team_id, volunteer_id = self.current_team_id(), current_id(self.members_table)
        if not volunteer_id:
            show_message(self.message, "请先在成员表中选中要移出的成员。", ok=False)
            return False
        name = self.members_table.item(self.members_table.currentRow(), 0).text()
        try:
            teams.remove_member(self.session.actor, team_id, volunteer_id)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.refresh(select=team_id)
        show_message(self.message, f"已把 {name} 移出队伍（服务记录不受影响）。")
        return True


class ActivitiesTab(QWidget):
    PERIODS = (("近一年", 365), ("近三个月", 92), ("全部", 0))

    def __init__(self, session: Session, host: PageHost | None, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.can_edit = session.actor.can("edit_volunteers") and not session.read_only
        self.overdue: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.overdue_notice = notice_label("")
        self.overdue_notice.hide()
        layout.addWidget(self.overdue_notice)
        layout.addLayout(self._build_filters())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())

        splitter.addWidget(self._build_participants())
        splitter.setSizes([760, 300])
        layout.addWidget(splitter, 1)

        self.period_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue_only.toggled.connect(lambda _on: self.refresh())
        self.table.currentCellChanged.connect(lambda *_a: self.show_activity())
        self.table.cellDoubleClicked.connect(lambda *_a: self.edit_activity() if self.can_edit else None)
        self.new_button.clicked.connect(lambda: self.edit_activity(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_activity())
        self.hours_button.clicked.connect(self.enter_hours)
        self.add_participant_button.clicked.connect(self.add_participant)
        self.new_button.setEnabled(self.can_edit)
        self.refresh()

    def _build_filters(self) -> QHBoxLayout:
        """The period, and only the activities overdue for hours."""
        filters = QHBoxLayout()
        self.period_combo = QComboBox()
        for label, days in self.PERIODS:
            self.period_combo.addItem(label, days)
        self.overdue_only = QCheckBox("只看超期未录入时长的活动")
        filters.addWidget(QLabel("时间："))
        filters.addWidget(self.period_combo)
        filters.addSpacing(12)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        return filters

    def _build_list(self) -> QWidget:
        """The activities, with the buttons to add, edit and enter hours for one."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.table = simple_table(["活动名称", "日期", "地点", "组织队伍", "负责人", "时长记录"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for col, width in enumerate((170, 150, 120, 140, 70)):
            self.table.setColumnWidth(col, width)
        left_layout.addWidget(self.table, 1)
        self.table_empty = empty_hint(self.table, "还没有志愿活动。登记一次活动（时间、地点、组织队伍），"
                                                  "活动结束后为参与者录入服务时长。",
                                      "新建活动", lambda: self.edit_activity(new=True))
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建活动")
        self.edit_button = QPushButton("修改活动")
        self.hours_button = QPushButton("为该活动录入时长")
        self.hours_button.setProperty("primary", True)
        for button in (self.new_button, self.edit_button, self.hours_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        return left

    def _build_participants(self) -> QGroupBox:
        """Who took part in the chosen activity, and adding one."""
        right = QGroupBox("参与者")
        right_layout = QVBoxLayout(right)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        right_layout.addWidget(self.detail_label)
        self.participants_table = simple_table(["姓名", "编号"])
        self.participants_table.setColumnWidth(0, 100)
        right_layout.addWidget(self.participants_table, 1)
        empty_hint(self.participants_table, "还没有参与者。在下面输入志愿者的姓名，点「添加参与者」。")
        self.participant_picker = VolunteerPicker()
        self.add_participant_button = QPushButton("添加参与者")
        add_row = QHBoxLayout()
        add_row.addWidget(self.participant_picker, 1)
        add_row.addWidget(self.add_participant_button)
        right_layout.addLayout(add_row)
        self.message = message_label()
        right_layout.addWidget(self.message)
        return right

    def refresh(self, select: str | None = None) -> None:
        select = select or current_id(self.table)
        overdue = hours.activities_without_hours()
        self.overdue = {a.id for a in overdue}
        workdays = settings.get("volunteer.record_within_workdays")
        if overdue:
            self.overdue_notice.setText(f"有 {len(overdue)} 项活动结束已超过 {workdays} 个工作日，仍未录入服务时长"
                                        "（红色标出）。请选中活动，点“为该活动录入时长”。")
        self.overdue_notice.setVisible(bool(overdue))
        if self.overdue_only.isChecked():
            shown = sorted(overdue, key=lambda a: a.end_date, reverse=True)
        else:
            days = self.period_combo.currentData()
            shown = teams.activities(dt.date.today() - dt.timedelta(days=days) if days else None)
        team_names = {t.id: t.name for t in teams.teams()}
        self.table.setRowCount(len(shown))
        for row, a in enumerate(shown):
            when = a.start_date.isoformat() + (f" 至 {a.end_date:%m-%d}" if a.end_date != a.start_date else "")
            state = "超期未录入" if a.id in self.overdue else ""
            set_row(self.table, row, [a.name, when, a.place, team_names.get(a.team_id, ""), a.person_in_charge,
                                      state], a.id)
            if a.id in self.overdue:
                for col in range(self.table.columnCount()):
                    item = self.table.item(row, col)
                    item.setBackground(QBrush(OVERDUE_BACKGROUND))
                    item.setForeground(QBrush(OVERDUE_TEXT))
                    item.setToolTip("活动已结束超过规定的工作日数，还没有录入任何服务时长")
        target = next((r for r in range(len(shown)) if shown[r].id == select), 0 if shown else -1)
        self.table.setCurrentCell(target, 0)
        self.show_activity()

    def show_activity(self) -> None:
        activity_id = current_id(self.table)
        for widget in (self.edit_button, self.participant_picker, self.add_participant_button):
            widget.setEnabled(bool(activity_id) and self.can_edit)
        self.hours_button.setEnabled(bool(activity_id) and self.session.actor.can("enter_hours")
                                     and not self.session.read_only)
        self.participants_table.setRowCount(0)
        if not activity_id:
            self.detail_label.setText("在左边选择一项活动。")
            return
        a = teams.get_activity(activity_id)
        people = teams.participants(activity_id)
        parts = [f"{a.name}（{len(people)} 人参加）"]
        for caption, value in (("组织单位", a.organizer), ("服务类别", a.service_category), ("内容", a.content)):
            if value:
                parts.append(f"{caption}：{value}")
        self.detail_label.setText("\n".join(parts))
        self.participants_table.setRowCount(len(people))
        for row, volunteer in enumerate(people):
            set_row(self.participants_table, row, [volunteer.name, volunteer.number], volunteer.id)

    def edit_activity(self, new: bool = False) -> ActivityFormDialog:
        dialog = ActivityFormDialog(self.session, None if new else current_id(self.table), self)
        dialog.accepted.connect(lambda: self.refresh(select=dialog.saved_id))
        dialog.finished.connect(dialog.deleteLater)  # one per use, not one per click kept forever
        dialog.open()
        return dialog

    def add_participant(self) -> bool:
        activity_id, volunteer_id = current_id(self.table), self.participant_picker.volunteer_id()
        if not volunteer_id:
            show_message(self.message, "请先输入并选择志愿者。", ok=False)
            return False
        try:
            teams.add_participant(self.session.actor, activity_id, volunteer_id)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.participant_picker.clear()
        self.show_activity()
        show_message(self.message, "已添加参与者。录入服务时长时也会自动加入。")
        return True

    def enter_hours(self) -> bool:
        activity_id = current_id(self.table)
        if not activity_id or self.host is None or not self.host.show_page("hours"):
            return False
        page = self.host.page("hours") if hasattr(self.host, "page") else None
        if page is not None and hasattr(page, "start_entry"):
            page.start_entry(activity_id=activity_id)
        return True


class TeamsPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.teams_tab = TeamsTab(session)
        self.activities_tab = ActivitiesTab(session, host)
        self.tabs.addTab(self.teams_tab, "志愿队伍")
        self.tabs.addTab(self.activities_tab, "志愿活动")
        self.sections = {"teams": self.teams_tab, "activities": self.activities_tab}
        self.tabs.currentChanged.connect(lambda _i: self.on_shown())
        layout.addWidget(self.tabs)
        self._update_tab_title()
        self._just_built = True

    def _update_tab_title(self) -> None:
        count = len(self.activities_tab.overdue)
        self.tabs.setTabText(1, f"志愿活动（{count} 项未录时长）" if count else "志愿活动")

    def on_shown(self) -> None:
        if self._just_built:
            self._just_built = False
            return
        self.tabs.currentWidget().refresh()
        self._update_tab_title()

    def show_section(self, section: str) -> None:
        tab = self.sections.get(section)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)

