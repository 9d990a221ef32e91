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
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.office import settings
from civdesk.volunteers import hours, teams
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.navigation import PageHost, notice_label
from ui.session import Session
from ui.volunteers.picker import VolunteerPicker
from ui.widgets.choices import SERVICE_CATEGORIES, choice_combo, select_data, set_combo_text, village_combo
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box

IdRole = Qt.ItemDataRole.UserRole + 1
OVERDUE_BACKGROUND = QColor("#fdecea")
OVERDUE_TEXT = QColor("#a93226")
MEMBER_ROLES = ("队员", "队长", "副队长")


def simple_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def set_row(table: QTableWidget, row: int, values: list[str], row_id: str) -> None:
    for col, value in enumerate(values):
        item = QTableWidgetItem(value)
        item.setData(IdRole, row_id)
        table.setItem(row, col, item)


def current_id(table: QTableWidget) -> str:
    item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    return item.data(IdRole) if item is not None else ""


class ServiceFormDialog(QDialog):
    """Shared shape of the team and activity forms: fields, errors, save through a service."""

    def _setup(self, title: str, ok_text: str) -> QFormLayout:
        self.setWindowTitle(title)
        self.setMinimumWidth(600)
        self.errors = FieldErrors()
        self.saved_id = ""
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        self.general_error = error_label()
        layout.addWidget(self.general_error)
        layout.addWidget(form_buttons(self, ok_text, self.save))
        return form

    def _run(self, call) -> bool:
        ok, self.saved_id = self.errors.submit(call, self.general_error)
        if ok:
            self.accept()
        return ok


class TeamFormDialog(ServiceFormDialog):
    def __init__(self, session: Session, team_id: str | None = None, parent_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session, self.team_id = session, team_id
        form = self._setup("修改志愿队伍" if team_id else "新建志愿队伍", "保存" if team_id else "新建")
        self.name_edit = QLineEdit()
        self.parent_combo = QComboBox()
        self.parent_combo.addItem("（无，作为最上级队伍）", "")
        for team in teams.teams():
            if team.id != team_id:
                self.parent_combo.addItem(team.name, team.id)
        self.leader_picker = VolunteerPicker()
        self.village_combo = village_combo("（全镇队伍）")
        self.category_combo = choice_combo(SERVICE_CATEGORIES, editable=True)
        self.founded_edit = DateField(optional=True)
        self.note_edit = text_box(3)
        form.addRow("队伍名称：", self.errors.block("name", self.name_edit))
        form.addRow("上级队伍：", self.errors.block("parent_id", self.parent_combo))
        form.addRow("负责人：", self.errors.block("leader_id", self.leader_picker))
        form.addRow("村/社区：", self.errors.block("village_id", self.village_combo))
        form.addRow("服务类别：", self.errors.block("service_category", self.category_combo))
        form.addRow("成立日期：", self.errors.block("founded_date", self.founded_edit))
        form.addRow("备注：", self.errors.block("note", self.note_edit))
        if team_id:
            team = teams.get_team(team_id)
            self.name_edit.setText(team.name)
            select_data(self.parent_combo, team.parent_id)
            self.leader_picker.set_volunteer(team.leader_id)
            select_data(self.village_combo, team.village_id, "（其他村/社区）")
            set_combo_text(self.category_combo, team.service_category)
            self.founded_edit.set_value(team.founded_date)
            self.note_edit.setPlainText(team.note)
        else:
            select_data(self.parent_combo, parent_id)

    def values(self) -> dict:
        return {"name": self.name_edit.text(), "parent_id": self.parent_combo.currentData() or None,
                "leader_id": self.leader_picker.volunteer_id() or None,
                "village_id": self.village_combo.currentData() or None,
                "service_category": self.category_combo.currentText(), "founded_date": self.founded_edit.value(),
                "note": self.note_edit.toPlainText()}

    def save(self) -> bool:
        actor = self.session.actor
        if self.team_id:
            return self._run(lambda: (teams.update_team(actor, self.team_id, self.values()), self.team_id)[1])
        return self._run(lambda: teams.create_team(actor, self.values()).id)


class ActivityFormDialog(ServiceFormDialog):
    def __init__(self, session: Session, activity_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session, self.activity_id = session, activity_id
        form = self._setup("修改志愿活动" if activity_id else "新建志愿活动", "保存" if activity_id else "新建")
        today = dt.date.today()
        self.name_edit = QLineEdit()
        self.start_edit = DateField(today)
        self.end_edit = DateField(today)
        self.place_edit = QLineEdit()
        self.content_edit = text_box(3)
        self.organizer_edit = QLineEdit()
        self.person_edit = QLineEdit()
        self.category_combo = choice_combo(SERVICE_CATEGORIES, editable=True)
        self.team_combo = QComboBox()
        self.team_combo.addItem("（不指定）", "")
        for team in teams.teams():
            self.team_combo.addItem(team.name, team.id)
        self.village_combo = village_combo("（全镇活动）")
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        date_box = QWidget()
        date_box.setLayout(dates)
        dates.setContentsMargins(0, 0, 0, 0)
        form.addRow("活动名称：", self.errors.block("name", self.name_edit))
        form.addRow("活动日期：", date_box)
        self.errors.add("start_date", error_label())
        self.errors.add("end_date", error_label())
        form.addRow("", self.errors.labels["start_date"])
        form.addRow("", self.errors.labels["end_date"])
        form.addRow("地点：", self.errors.block("place", self.place_edit))
        form.addRow("服务内容：", self.errors.block("content", self.content_edit))
        form.addRow("组织单位：", self.errors.block("organizer", self.organizer_edit))
        form.addRow("负责人：", self.errors.block("person_in_charge", self.person_edit))
        form.addRow("服务类别：", self.errors.block("service_category", self.category_combo))
        form.addRow("组织队伍：", self.errors.block("team_id", self.team_combo))
        form.addRow("村/社区：", self.errors.block("village_id", self.village_combo))
        self.start_edit.dateChanged.connect(self._start_changed)
        if activity_id:
            a = teams.get_activity(activity_id)
            self.name_edit.setText(a.name)
            self.start_edit.set_value(a.start_date)
            self.end_edit.set_value(a.end_date)
            self.place_edit.setText(a.place)
            self.content_edit.setPlainText(a.content)
            self.organizer_edit.setText(a.organizer)
            self.person_edit.setText(a.person_in_charge)
            set_combo_text(self.category_combo, a.service_category)
            select_data(self.team_combo, a.team_id)
            select_data(self.village_combo, a.village_id, "（其他村/社区）")

    def _start_changed(self, _date) -> None:
        self.errors.clear("start_date")
        self.errors.clear("end_date")
        if self.end_edit.value() < self.start_edit.value():
            self.end_edit.set_value(self.start_edit.value())

    def values(self) -> dict:
        return {"name": self.name_edit.text(), "start_date": self.start_edit.value(),
                "end_date": self.end_edit.value(), "place": self.place_edit.text(),
                "content": self.content_edit.toPlainText(), "organizer": self.organizer_edit.text(),
                "person_in_charge": self.person_edit.text(), "service_category": self.category_combo.currentText(),
                "team_id": self.team_combo.currentData() or None, "village_id": self.village_combo.currentData() or None}

    def save(self) -> bool:
        actor = self.session.actor
        if self.activity_id:
            return self._run(lambda: (teams.update_activity(actor, self.activity_id, self.values()),
                                      self.activity_id)[1])
        return self._run(lambda: teams.create_activity(actor, self.values()).id)


class TeamsTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.can_edit = session.actor.can("edit_volunteers") and not session.read_only
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["志愿队伍", "成员"])
        self.tree.setColumnWidth(0, 300)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        self.tree.header().setStretchLastSection(True)
        left_layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建队伍")
        self.new_child_button = QPushButton("新建下级队伍")
        self.edit_button = QPushButton("修改")
        for button in (self.new_button, self.new_child_button, self.edit_button):
            button.setEnabled(self.can_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        splitter.addWidget(left)

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
        splitter.addWidget(right)
        splitter.setSizes([420, 620])

        self.tree.currentItemChanged.connect(lambda *_a: self.show_team())
        self.new_button.clicked.connect(lambda: self.edit_team(new=True))
        self.new_child_button.clicked.connect(lambda: self.edit_team(new=True, child=True))
        self.edit_button.clicked.connect(lambda: self.edit_team())
        self.tree.itemDoubleClicked.connect(lambda *_a: self.edit_team() if self.can_edit else None)
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.refresh()

    def current_team_id(self) -> str:
        item = self.tree.currentItem()
        return item.data(0, IdRole) if item is not None else ""

    def refresh(self, select: str | None = None) -> None:
        select = select or self.current_team_id()
        self.tree.clear()
        all_teams = teams.teams()
        known = {t.id for t in all_teams}
        items: dict[str, QTreeWidgetItem] = {}
        for team in all_teams:
            item = QTreeWidgetItem([team.name, str(len(teams.members(team.id)))])
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
        layout.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.table = simple_table(["活动名称", "日期", "地点", "组织队伍", "负责人", "时长记录"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for col, width in enumerate((170, 150, 120, 140, 70)):
            self.table.setColumnWidth(col, width)
        left_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建活动")
        self.edit_button = QPushButton("修改活动")
        self.hours_button = QPushButton("为该活动录入时长")
        self.hours_button.setProperty("primary", True)
        for button in (self.new_button, self.edit_button, self.hours_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        splitter.addWidget(left)

        right = QGroupBox("参与者")
        right_layout = QVBoxLayout(right)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        right_layout.addWidget(self.detail_label)
        self.participants_table = simple_table(["姓名", "编号"])
        self.participants_table.setColumnWidth(0, 100)
        right_layout.addWidget(self.participants_table, 1)
        self.participant_picker = VolunteerPicker()
        self.add_participant_button = QPushButton("添加参与者")
        add_row = QHBoxLayout()
        add_row.addWidget(self.participant_picker, 1)
        add_row.addWidget(self.add_participant_button)
        right_layout.addLayout(add_row)
        self.message = message_label()
        right_layout.addWidget(self.message)
        splitter.addWidget(right)
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
        self.tabs.setDocumentMode(True)
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

