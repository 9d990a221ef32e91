"""登记志愿者 / 修改志愿者信息: every field of the record, errors under each field.

The dialog only collects values and hands them to ``volunteers.register`` / ``update``; the
service validates and refuses a second registration of the same ID number
(``DuplicateVolunteer``), which the dialog shows with a button to open that volunteer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civdesk.core import validation
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.roster import DuplicateVolunteer
from civdesk.volunteers.terms import ID_TYPES, SEXES
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.session import Session
from ui.widgets.choices import (
    SERVICE_CATEGORIES,
    choice_combo,
    select_data,
    set_combo_text,
    village_combo,
)
from ui.widgets.dates import DateField

ETHNICITIES = ("汉族", "藏族", "彝族", "羌族", "回族", "苗族", "土家族", "满族", "蒙古族", "壮族", "维吾尔族", "其他")
POLITICAL_STATUS = ("群众", "中共党员", "中共预备党员", "共青团员", "民主党派成员", "无党派人士")
EDUCATION = ("小学", "初中", "高中", "中专", "大专", "本科", "研究生", "其他")
RESIDENT_ID = "居民身份证"


class VolunteerFormDialog(QDialog):
    """``volunteer_id`` None registers a new volunteer; ``saved(id)`` is emitted on success."""

    saved = Signal(str)

    def __init__(self, session: Session, volunteer_id: str | None = None, parent=None, *,
                 open_detail: Callable[[Session, str, QWidget], object] | None = None):
        super().__init__(parent)
        self.session = session
        self.volunteer_id = volunteer_id
        self.existing_id = ""  # the already-registered volunteer after a DuplicateVolunteer
        # Given by whoever opens the form (the detail view opens forms too, so no import here).
        self.open_detail = open_detail
        self.errors = FieldErrors()
        self.setWindowTitle("修改志愿者信息" if volunteer_id else "登记志愿者")
        self.setMinimumWidth(860)

        self._build_editors()
        body = self._build_fields()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self._build_duplicate_box()
        self.general_error = error_label()
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.duplicate_box)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._connect_editors()
        if volunteer_id:
            self._load(volunteers.get(volunteer_id))
        self._derive_from_id()
        screen = self.screen().availableGeometry() if self.screen() else None
        wanted = body.sizeHint().height() + 110
        height = min(wanted, screen.height() - 80) if screen else wanted
        self.resize(max(self.minimumWidth(), body.sizeHint().width() + 40), height)

    def _build_editors(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(30)
        self.id_type_combo = choice_combo(ID_TYPES, editable=False, blank=None)
        self.id_number_edit = QLineEdit()
        self.id_number_edit.setMaxLength(24)
        self.id_number_edit.setPlaceholderText("18 位身份证号码，最后一位可能是 X")
        self.derived_label = hint_label("")
        self.sex_combo = choice_combo(SEXES, editable=False)
        self.birth_edit = DateField(optional=True)
        self.ethnicity_combo = choice_combo(ETHNICITIES, editable=True)
        self.politics_combo = choice_combo(POLITICAL_STATUS, editable=True)
        self.education_combo = choice_combo(EDUCATION, editable=True)
        self.employer_edit = QLineEdit()
        # A village PC registers only its own villagers (the service insists as well).
        self.village_combo = village_combo()
        self.address_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机 11 位，或座机如 028-12345678")
        self.landline_edit = QLineEdit()
        self.landline_edit.setPlaceholderText("座机如 028-12345678，可不填")
        self.occupation_edit = QLineEdit()
        self.original_number_edit = QLineEdit()
        self.original_number_edit.setPlaceholderText("原名册或其他系统中的编号，可不填")
        self.skills_edit = QLineEdit()
        self.skills_edit.setPlaceholderText("如：驾驶、急救、摄影、法律咨询")
        self.category_combo = choice_combo(SERVICE_CATEGORIES, editable=True)
        self.join_edit = DateField(dt.date.today())
        self.note_edit = QPlainTextEdit()
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 16)

    def _build_fields(self) -> QWidget:
        """The editors in two columns of labelled rows, each with room for its error."""
        left, right = self._form(), self._form()
        left.addRow("姓名：", self.errors.block("name", self.name_edit))
        left.addRow("证件类型：", self.errors.block("id_type", self.id_type_combo))
        id_box = self.errors.block("id_number", self.id_number_edit)
        id_box.layout().insertWidget(1, self.derived_label)
        left.addRow("证件号码：", id_box)
        left.addRow("性别：", self.errors.block("sex", self.sex_combo))
        left.addRow("出生日期：", self.errors.block("birth_date", self.birth_edit))
        left.addRow("民族：", self.errors.block("ethnicity", self.ethnicity_combo))
        left.addRow("政治面貌：", self.errors.block("political_status", self.politics_combo))
        left.addRow("学历：", self.errors.block("education", self.education_combo))
        left.addRow("职业：", self.errors.block("occupation", self.occupation_edit))
        left.addRow("原编号：", self.errors.block("original_number", self.original_number_edit))
        right.addRow("工作单位：", self.errors.block("employer", self.employer_edit))
        right.addRow("村/社区：", self.errors.block("village_id", self.village_combo))
        right.addRow("居住地址：", self.errors.block("address", self.address_edit))
        right.addRow("联系电话：", self.errors.block("phone", self.phone_edit))
        right.addRow("座机：", self.errors.block("landline", self.landline_edit))
        right.addRow("技能特长：", self.errors.block("skills", self.skills_edit))
        right.addRow("服务类别：", self.errors.block("service_category", self.category_combo))
        right.addRow("注册日期：", self.errors.block("join_date", self.join_edit))
        right.addRow("备注：", self.errors.block("note", self.note_edit))

        columns = QHBoxLayout()
        columns.setSpacing(24)
        for form in (left, right):
            # Top-aligned: without the stretch the note box soaks up the spare height.
            column = QVBoxLayout()
            column.addLayout(form)
            column.addStretch(1)
            columns.addLayout(column, 1)
        body = QWidget()
        body.setLayout(columns)
        return body

    def _build_duplicate_box(self) -> None:
        """Shown when the ID number is already registered, with a way to open that volunteer."""
        self.duplicate_box = QFrame()
        self.duplicate_box.setObjectName("duplicateBox")
        self.duplicate_box.setStyleSheet("QFrame#duplicateBox { background: #fdecea; border: 1px solid #e6a29a;"
                                         " border-radius: 4px; }")
        dup_layout = QHBoxLayout(self.duplicate_box)
        dup_layout.setContentsMargins(10, 8, 10, 8)
        self.duplicate_label = QLabel()
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setStyleSheet("color: #8e2a1f;")
        self.view_existing_button = QPushButton("查看该志愿者")
        self.view_existing_button.clicked.connect(self.view_existing)
        dup_layout.addWidget(self.duplicate_label, 1)
        dup_layout.addWidget(self.view_existing_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.duplicate_box.hide()

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存" if self.volunteer_id else "登记",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _connect_editors(self) -> None:
        """Typing into a field clears its error; the ID number fills in sex and birth date."""
        self.id_type_combo.currentIndexChanged.connect(lambda _i: self._derive_from_id())
        self.id_number_edit.textChanged.connect(lambda _t: self._derive_from_id())
        self.id_number_edit.textEdited.connect(lambda _t: self.duplicate_box.hide())
        for combo, field in ((self.sex_combo, "sex"), (self.village_combo, "village_id"),
                             (self.id_type_combo, "id_type")):
            combo.currentIndexChanged.connect(lambda _i, f=field: self.errors.clear(f))
        for combo, field in ((self.ethnicity_combo, "ethnicity"), (self.politics_combo, "political_status"),
                             (self.education_combo, "education"), (self.category_combo, "service_category")):
            combo.editTextChanged.connect(lambda _t, f=field: self.errors.clear(f))
        self.birth_edit.dateChanged.connect(lambda _d: self.errors.clear("birth_date"))
        self.join_edit.dateChanged.connect(lambda _d: self.errors.clear("join_date"))

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _load(self, v) -> None:
        self.name_edit.setText(v.name)
        set_combo_text(self.id_type_combo, v.id_type)
        self.id_number_edit.setText(v.id_number)
        set_combo_text(self.sex_combo, v.sex)
        self.birth_edit.set_value(v.birth_date)
        set_combo_text(self.ethnicity_combo, v.ethnicity)
        set_combo_text(self.politics_combo, v.political_status)
        set_combo_text(self.education_combo, v.education)
        self.employer_edit.setText(v.employer)
        select_data(self.village_combo, v.village_id, "（其他村/社区）")
        self.address_edit.setText(v.address)
        self.phone_edit.setText(v.phone)
        self.landline_edit.setText(v.landline)
        self.occupation_edit.setText(v.occupation)
        self.original_number_edit.setText(v.original_number)
        self.skills_edit.setText(v.skills)
        set_combo_text(self.category_combo, v.service_category)
        self.join_edit.set_value(v.join_date)
        self.note_edit.setPlainText(v.note)

    def _derive_from_id(self) -> None:
        """A valid resident ID number decides sex and birth date: show them, lock the boxes."""
        resident = self.id_type_combo.currentText() == RESIDENT_ID
        checked = validation.id_number(self.id_number_edit.text()) if resident else None
        derived = checked is not None and checked.ok
        if derived:
            info = checked.value
            set_combo_text(self.sex_combo, info.sex)
            self.birth_edit.set_value(info.birth_date)
            self.derived_label.setText(f"按身份证号码：{info.sex}，{info.birth_date:%Y年%m月%d日}出生")
        else:
            self.derived_label.setText("性别和出生日期将按身份证号码自动填写" if resident else "")
        self.derived_label.setVisible(bool(self.derived_label.text()))
        self.sex_combo.setEnabled(not derived)
        self.birth_edit.setEnabled(not derived and not resident)

    def values(self) -> dict:
        resident = self.id_type_combo.currentText() == RESIDENT_ID
        return {"name": self.name_edit.text(), "id_type": self.id_type_combo.currentText(),
                "id_number": self.id_number_edit.text(),
                "sex": "" if resident and not self.sex_combo.isEnabled() else self.sex_combo.currentText(),
                "birth_date": None if resident else self.birth_edit.text_value() or None,
                "ethnicity": self.ethnicity_combo.currentText(),
                "political_status": self.politics_combo.currentText(),
                "education": self.education_combo.currentText(), "employer": self.employer_edit.text(),
                "village_id": self.village_combo.currentData() or "", "address": self.address_edit.text(),
                "phone": self.phone_edit.text(), "skills": self.skills_edit.text(),
                "landline": self.landline_edit.text(), "occupation": self.occupation_edit.text(),
                "original_number": self.original_number_edit.text(),
                "service_category": self.category_combo.currentText(),
                "join_date": self.join_edit.text_value(), "note": self.note_edit.toPlainText()}

    def save(self) -> bool:
        self.errors.clear()
        set_error(self.general_error, None)
        self.duplicate_box.hide()
        self.existing_id = ""
        actor = self.session.actor
        try:
            if self.volunteer_id:
                volunteers.update(actor, self.volunteer_id, self.values())
                saved_id = self.volunteer_id
            else:
                saved_id = volunteers.register(actor, self.values()).id
        except DuplicateVolunteer as exc:
            self.existing_id = exc.existing_id
            self.duplicate_label.setText(str(exc))
            self.duplicate_box.show()
            self.errors.show({"id_number": "这个证件号码已经登记过"})
            return False
        except ValidationError as exc:
            rest = self.errors.show(exc.errors)
            if rest:
                set_error(self.general_error, "；".join(rest))
            return False
        except CivDeskError as exc:
            set_error(self.general_error, str(exc))
            return False
        self.volunteer_id = saved_id
        self.saved.emit(saved_id)
        self.accept()
        return True

    def view_existing(self):
        """Open the volunteer who already holds this ID number; the form stays open (the number
        may have been mistyped), so the detail is its child and is not blocked by it."""
        if not self.existing_id or self.open_detail is None:
            return None
        return self.open_detail(self.session, self.existing_id, self)
