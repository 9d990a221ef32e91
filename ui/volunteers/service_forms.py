"""The forms for a volunteer team (志愿队伍) and a volunteer activity (志愿活动)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from civdesk.volunteers import teams
from ui.field_errors import FieldErrors, error_label
from ui.session import Session
from ui.volunteers.picker import VolunteerPicker
from ui.widgets.choices import SERVICE_CATEGORIES, choice_combo, select_data, set_combo_text, village_combo
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box


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
