"""One volunteer: every field, teams, approved hours and star level, the service records.

ID and phone numbers are shown masked; "显示完整号码" reveals them for accounts that may edit
volunteers (the same accounts that see them in the edit form anyway).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from civdesk.core import validation
from civdesk.core.errors import CivDeskError
from civdesk.volunteers import certificates, hours, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.terms import PENDING_ID, VOLUNTEER_STATUS
from ui.field_errors import message_label, show_message
from ui.session import Session
from ui.volunteers import hours_forms
from ui.volunteers.certificate_dialog import CertificateDialog
from ui.volunteers.form import VolunteerFormDialog
from ui.volunteers.hours_forms import CorrectionDialog, HoursEntryDialog
from ui.volunteers.records import RecordsSource, records_view
from ui.widgets.fit import fit_to_screen

STAR_NAMES = ("未评星", "一星", "二星", "三星", "四星", "五星")


def star_text(level: int) -> str:
    return "★" * level if level else "—"


def star_name(level: int) -> str:
    return STAR_NAMES[level] if level < len(STAR_NAMES) else f"{level}星"


def next_star_hint(half_hours: int, thresholds: list[int]) -> str:
    for level, needed in enumerate(thresholds, start=1):
        if half_hours < needed * 2:
            return f"再服务 {needed - half_hours / 2:g} 小时可达{star_name(level)}（{needed} 小时）"
    return "已达最高星级"


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class VolunteerDetailDialog(QDialog):
    """``changed(id)`` after anything about this volunteer was saved (lists refresh the row)."""

    changed = Signal(str)

    FIELDS = (("sex", "性别"), ("birth", "出生日期"), ("ethnicity", "民族"), ("political_status", "政治面貌"),
              ("education", "学历"), ("id_type", "证件类型"), ("id_number", "证件号码"), ("phone", "联系电话"),
              ("landline", "座机"), ("address", "居住地址"), ("employer", "工作单位"), ("occupation", "职业"),
              ("village", "村/社区"), ("skills", "技能特长"), ("service_category", "服务类别"),
              ("join_date", "注册日期"), ("original_number", "原编号"), ("teams", "所属队伍"), ("note", "备注"))

    def __init__(self, session: Session, volunteer_id: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.volunteer_id = volunteer_id
        self.volunteer = None
        actor, writable = session.actor, not session.read_only
        self.can_edit = actor.can("edit_volunteers") and writable
        self.setWindowTitle("志愿者详情")
        self.setSizeGripEnabled(True)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_info())
        splitter.addWidget(self._build_service())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 680])
        self.message = message_label()
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(self._build_header())
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._build_buttons())
        fit_to_screen(self, QSize(1060, 700))

        self.edit_button.setEnabled(self.can_edit)
        self.hours_button.setEnabled(actor.can("enter_hours") and writable)
        self.edit_button.clicked.connect(lambda: self.edit())
        self.hours_button.clicked.connect(lambda: self.enter_hours())
        self.correct_button.clicked.connect(lambda: self.correct())
        self.leave_button.clicked.connect(self.toggle_membership)
        self.records_view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.refresh()

    def _build_header(self) -> QHBoxLayout:
        """Name and number, and the star level by hours."""
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = QLabel()
        self.subtitle_label.setStyleSheet("color: #555;")
        self.stars_label = QLabel()
        self.stars_label.setStyleSheet("color: #d68910;")
        star_font = self.stars_label.font()
        star_font.setPointSizeF(star_font.pointSizeF() * 1.4)
        self.stars_label.setFont(star_font)
        header = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title_label)
        names.addWidget(self.subtitle_label)
        header.addLayout(names, 1)
        header.addWidget(self.stars_label, 0, Qt.AlignmentFlag.AlignTop)

        return header

    def _build_info(self) -> QScrollArea:
        """The personal details; ID number and phone masked until revealed."""
        actor = self.session.actor
        info = QGroupBox("个人信息")
        form = QFormLayout(info)
        form.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}
        for key, caption in self.FIELDS:
            label = _value_label()
            self.values[key] = label
            if key == "id_number":
                row = QHBoxLayout()
                row.addWidget(label, 1)
                self.reveal_button = QPushButton("显示完整号码")
                self.reveal_button.setCheckable(True)
                self.reveal_button.setEnabled(actor.can("edit_volunteers"))
                self.reveal_button.setToolTip("显示完整的证件号码和电话号码" if actor.can("edit_volunteers")
                                              else "只有可以登记和修改志愿者的账号才能查看完整号码")
                self.reveal_button.toggled.connect(lambda _on: self._show_numbers())
                row.addWidget(self.reveal_button)
                form.addRow(f"{caption}：", row)
            else:
                form.addRow(f"{caption}：", label)
        info_scroll = QScrollArea()
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        info_scroll.setWidget(info)

        return info_scroll

    def _build_service(self) -> QGroupBox:
        """Hours in total and the service records."""
        service = QGroupBox("志愿服务记录")
        service_layout = QVBoxLayout(service)
        self.hours_label = QLabel()
        self.hours_label.setWordWrap(True)
        self.hours_label.setTextFormat(Qt.TextFormat.RichText)
        service_layout.addWidget(self.hours_label)
        self.records_source = RecordsSource(me=self.session.actor.username, show_volunteer=False)
        self.records_view, self.records_model = records_view(self.records_source, self)
        service_layout.addWidget(self.records_view, 1)

        return service

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("修改信息")
        self.hours_button = QPushButton("录入时长")
        self.correct_button = QPushButton("更正时长…")
        self.leave_button = QPushButton("退出志愿者队伍")
        for button in (self.edit_button, self.hours_button, self.correct_button):
            buttons.addWidget(button)
        self.certificate_button = QPushButton("出具证明")
        self.certificate_button.setProperty("primary", True)
        self.certificate_button.clicked.connect(lambda: self.issue_certificate())
        buttons.addWidget(self.certificate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)
        close_button = QPushButton("关闭")
        close_button.clicked.connect(self.close)
        buttons.addWidget(close_button)

        return buttons

    # -- display -------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            v = volunteers.get(self.volunteer_id)
        except CivDeskError as exc:
            self.title_label.setText("找不到这名志愿者")
            show_message(self.message, str(exc), ok=False)
            for button in (self.edit_button, self.hours_button, self.correct_button, self.leave_button):
                button.setEnabled(False)
            return
        self.volunteer = v
        row = volunteers.rows([v.id])[v.id]
        self.setWindowTitle(f"志愿者详情 — {v.name}")
        self.title_label.setText(v.name)
        status = VOLUNTEER_STATUS.get(v.status, v.status)
        self.subtitle_label.setText(f"志愿者编号 {v.number}　·　{status}")
        birth = v.birth_date.isoformat() if v.birth_date else ""
        if row.age is not None:
            birth += f"（{row.age} 岁）"
        team_names = [t.name for t in teams.teams_of(v.id)]
        texts = {"sex": v.sex, "birth": birth, "ethnicity": v.ethnicity, "political_status": v.political_status,
                 "education": v.education, "id_type": v.id_type, "address": v.address, "employer": v.employer,
                 "village": row.village, "skills": v.skills, "service_category": v.service_category,
                 "join_date": row.join_date, "teams": "、".join(team_names), "note": v.note,
                 "occupation": v.occupation, "original_number": v.original_number}
        for key, text in texts.items():
            self.values[key].setText(text or "—")
        self._show_numbers()

        half = hours.total_half_hours(v.id)
        thresholds = hours.star_thresholds()
        level = hours.star_level(half, thresholds)
        self.stars_label.setText(star_text(level) if level else "")
        self.stars_label.setToolTip(f"{star_name(level)}志愿者" if level else "")
        records = hours.records(v.id)
        pending = sum(1 for r in records if r.status == "pending")
        level_text = f"{star_name(level)}志愿者" if level else "尚未评星"
        text = (f"累计已审核服务时长 <b style='font-size:large'>{half / 2:g}</b> 小时（{escape(level_text)}）"
                f"　·　{escape(next_star_hint(half, thresholds))}")
        if pending:
            text += f"<br><span style='color:#d68910'>另有 {pending} 条记录待审核，审核通过后计入</span>"
        text += self._certificates_text()
        can = self.session.actor.can("issue_certificates") and not self.session.read_only
        self.certificate_button.setEnabled(can and half > 0)
        self.certificate_button.setToolTip("" if half > 0 else "还没有已审核的服务时长，不能出具证明")
        self.hours_label.setText(text)
        self.records_source.set_rows(records)
        self.records_model.refresh()

        left = v.status == "left"
        self.leave_button.setText("恢复在册" if left else "退出志愿者队伍")
        self.leave_button.setEnabled(self.can_edit)
        self._update_buttons()

    def _show_numbers(self) -> None:
        v = self.volunteer
        if v is None:
            return
        full = self.reveal_button.isChecked() and self.session.actor.can("edit_volunteers")
        self.values["id_number"].setText((v.id_number if full else validation.mask_id_number(v.id_number))
                                         or f"{PENDING_ID}（补上后才能出具证明）")
        self.values["phone"].setText((v.phone if full else validation.mask_phone(v.phone)) or "—")
        self.values["landline"].setText((v.landline if full else validation.mask_phone(v.landline)) or "—")
        self.reveal_button.setText("隐藏号码" if full else "显示完整号码")

    def _current_record(self):
        return self.records_source.row(self.records_model.id_at(self.records_view.currentIndex().row()))

    def _update_buttons(self) -> None:
        record = self._current_record()
        self.correct_button.setEnabled(record is not None and record.status == "approved" and not record.corrects_id
                                       and self.session.actor.can("enter_hours") and not self.session.read_only)
        self.correct_button.setToolTip("" if self.correct_button.isEnabled() else "先在右边选中一条已审核的记录")

    # -- actions -------------------------------------------------------------------

    def _saved(self, text: str) -> None:
        self.refresh()
        show_message(self.message, text)
        self.changed.emit(self.volunteer_id)

    def edit(self):
        dialog = VolunteerFormDialog(self.session, self.volunteer_id, self, open_detail=open_volunteer_detail)
        dialog.saved.connect(lambda _id: self._saved("已保存修改。"))
        dialog.finished.connect(dialog.deleteLater)  # one per use, not one per click kept forever
        dialog.open()
        return dialog

    def enter_hours(self) -> HoursEntryDialog:
        dialog = HoursEntryDialog(self.session, self.volunteer_id, self)
        dialog.form.entered.connect(lambda _id: self._saved("已录入服务时长，等待审核。"))
        dialog.finished.connect(dialog.deleteLater)  # one per use, not one per click kept forever
        dialog.open()
        return dialog

    def correct(self) -> CorrectionDialog | None:
        record = self._current_record()
        if record is None:
            return None
        dialog = CorrectionDialog(self.session, record, self)
        dialog.accepted.connect(lambda: self._saved(dialog.summary()))
        dialog.finished.connect(dialog.deleteLater)  # one per use, not one per click kept forever
        dialog.open()
        return dialog

    def _certificates_text(self) -> str:
        issued = certificates.register(volunteer_id=self.volunteer_id)
        if not issued:
            return ""
        last = issued[0]
        return (f"<br>已出具证明 {len(issued)} 份，最近一份：{escape(last.number)}（{last.issued_date}，"
                f"{last.hours:g} 小时）")

    def issue_certificate(self) -> CertificateDialog:
        dialog = CertificateDialog(self.session, self.volunteer_id, self)
        dialog.finished.connect(lambda _r: self._saved(f"已登记证明 {dialog.issued.number}。") if dialog.issued else None)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def toggle_membership(self) -> bool:
        v = self.volunteer
        if v is None:
            return False
        try:
            if v.status == "left":
                volunteers.update(self.session.actor, v.id, {"status": "active"})
                self._saved(f"{v.name} 已恢复为在册志愿者。")
                return True
            reason = hours_forms.ask_reason(
                self, "退出志愿者队伍",
                f"{v.name} 退出后仍保留在名册中（状态为“已退出”），服务记录和时长都会保留。\n请写明退出原因：")
            if not reason:
                return False
            volunteers.leave(self.session.actor, v.id, reason)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self._saved(f"{v.name} 已退出志愿者队伍。")
        return True


def open_volunteer_detail(session: Session, volunteer_id: str, parent: QWidget | None = None) -> VolunteerDetailDialog:
    """Show the volunteer's detail, raising the one already open for them if there is one."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, VolunteerDetailDialog) and widget.volunteer_id == volunteer_id and widget.isVisible():
            widget.refresh()
            widget.raise_()
            widget.activateWindow()
            return widget
    dialog = VolunteerDetailDialog(session, volunteer_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog

