"""推荐 / 修改推荐: the nominee, the nomination with live character counters, photos with a
preview, supporting documents, and the person's earlier honours once the ID number is known.

The dialog only collects values; ``nominations.submit`` / ``update`` validate and refuse a second
nomination of the same person in one session (``DuplicateNomination``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civdesk.core import validation
from civdesk.nominations import nominees as nominations
from civdesk.nominations.nominees import STORY_MAX, STORY_MIN, SUMMARY_MAX, count_chars
from civdesk.nominations.terms import FILE_KINDS, RECOMMENDER_KINDS, SEXES
from civdesk.office import settings
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.navigation import notice_label
from ui.session import Session
from ui.widgets.choices import choice_combo, select_data, set_combo_text, village_combo
from ui.widgets.fit import fit_to_screen
from ui.widgets.forms import form_buttons

POLITICAL_STATUS = ("群众", "中共党员", "中共预备党员", "共青团员", "民主党派成员")
OCCUPATIONS = ("村民", "个体经营户", "企业职工", "教师", "医生", "村（社区）干部", "退休人员", "学生", "其他")
OK_STYLE, BAD_STYLE, HINT_STYLE = "color: #2e7d32;", "color: #c0392b; font-weight: bold;", "color: #666;"
FileRef = tuple[str, str, str, bytes]  # (record id or "", kind, file name, bytes)


class NominationEditor(QDialog):
    saved = Signal(str)

    def __init__(self, session: Session, session_id: str, nomination_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session, self.session_id, self.nomination_id = session, session_id, nomination_id
        self.existing_id = ""
        self.removed: list[str] = []
        self.files: list[FileRef] = []
        self.record = nominations.get_session(session_id)
        row = nominations.get(nomination_id) if nomination_id else None
        self.read_only = session.read_only or not session.actor.can("edit_nominations") or (
            row is not None and (row.status not in nominations.EDITABLE_STATUSES
                                 or self.record.phase not in ("recommend", "check")))
        self.setWindowTitle(("查看推荐" if self.read_only else "修改推荐") if row else "新增推荐")
        self.errors = FieldErrors()
        outer = QVBoxLayout(self)
        if row is not None and row.status == "returned" and not self.read_only:
            outer.addWidget(notice_label(f"已退回：{row.return_reason}　请按意见修改后保存，再点“重新提交初审”。"))
        elif row is not None and row.status == "returned":
            outer.addWidget(notice_label(f"已退回（未进入评议），只能查看。退回原因：{row.return_reason}"))
        elif self.read_only and row is not None:
            outer.addWidget(notice_label(f"这条推荐的状态是「{nominations.STATUSES[row.status]}」，只能查看。"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        grid = QGridLayout(body)
        # The story (800–2,000 字) is the heart of a nomination: it takes the right-hand column
        # from the top, the person and the photos stand on the left.
        grid.addWidget(self._person_box(), 0, 0)
        grid.addWidget(self._photo_box(), 1, 0)
        grid.addWidget(self._nomination_box(), 0, 1, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setRowStretch(1, 1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.general = error_label()
        outer.addWidget(self.general)
        if self.read_only:
            close = QPushButton("关闭")
            close.clicked.connect(self.reject)
            bottom = QHBoxLayout()
            bottom.addStretch(1)
            bottom.addWidget(close)
            outer.addLayout(bottom)
        else:
            outer.addWidget(form_buttons(self, "保存", self.save))
        if row is not None:
            self._load(row)
        self._update_counters()
        fit_to_screen(self, QSize(1000, 760))
        if self.read_only:
            # As everywhere else, a record only looked at shows the ID number masked.
            self.id_edit.setText(validation.mask_id_number(self.id_edit.text()))
            for kind in (QLineEdit, QComboBox, QPushButton):
                for widget in body.findChildren(kind):
                    widget.setEnabled(False)
            self.story_edit.setReadOnly(True)

    # -- building --------------------------------------------------------------------------

    def _person_box(self) -> QGroupBox:
        box = QGroupBox("被推荐人")
        form = QFormLayout(box)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(30)
        self.id_edit = QLineEdit()
        self.id_edit.setMaxLength(20)
        self.id_edit.setPlaceholderText("18 位身份证号码")
        self.id_hint = hint_label("")
        self.honours_label = QLabel()
        self.honours_label.setWordWrap(True)
        self.honours_label.setStyleSheet("color: #8e44ad;")
        self.honours_label.hide()
        self.sex_combo = choice_combo(SEXES, editable=False)
        self.village_combo = village_combo("（请选择）")
        self.occupation_combo = choice_combo(OCCUPATIONS, editable=True)
        self.politics_combo = choice_combo(POLITICAL_STATUS, editable=True)
        self.phone_edit = QLineEdit()
        self.address_edit = QLineEdit()
        form.addRow("姓名：", self.errors.block("name", self.name_edit))
        id_box = self.errors.block("id_number", self.id_edit)
        id_box.layout().addWidget(self.id_hint)
        id_box.layout().addWidget(self.honours_label)
        form.addRow("身份证号码：", id_box)
        form.addRow("性别：", self.errors.block("sex", self.sex_combo))
        form.addRow("村/社区：", self.errors.block("village_id", self.village_combo))
        form.addRow("职业：", self.errors.block("occupation", self.occupation_combo))
        form.addRow("政治面貌：", self.errors.block("political_status", self.politics_combo))
        form.addRow("联系电话：", self.errors.block("phone", self.phone_edit))
        form.addRow("住址：", self.errors.block("address", self.address_edit))
        self.id_edit.editingFinished.connect(self._id_entered)
        return box

    def _photo_box(self) -> QGroupBox:
        box = QGroupBox("照片和证明材料")
        layout = QVBoxLayout(box)
        self.preview = QLabel("还没有照片")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(210, 270)
        self.preview.setStyleSheet("border: 1px solid #bbb; background: #fafafa; color: #888;")
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        self.photo_list = QListWidget()
        self.photo_list.setMaximumHeight(80)
        layout.addWidget(self.photo_list)
        buttons = QHBoxLayout()
        self.add_photo_button = QPushButton("添加照片…")
        self.add_document_button = QPushButton("添加证明材料…")
        self.remove_file_button = QPushButton("删除所选")
        for button in (self.add_photo_button, self.add_document_button, self.remove_file_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        limit = settings.get("nomination.photo_max_kb")
        layout.addWidget(hint_label(f"照片为 JPG 或 PNG，证明材料为 PDF 或图片，每个不超过 {limit / 1024:g} MB。"))
        self.file_error = error_label()
        self.errors.add("photo", self.file_error)
        self.errors.add("document", self.file_error)
        layout.addWidget(self.file_error)
        self.add_photo_button.clicked.connect(lambda: self.choose_file("photo"))
        self.add_document_button.clicked.connect(lambda: self.choose_file("document"))
        self.remove_file_button.clicked.connect(self.remove_selected)
        self.photo_list.currentRowChanged.connect(lambda _r: self._show_preview())
        return box

    def _nomination_box(self) -> QGroupBox:
        box = QGroupBox("推荐内容")
        form = QFormLayout(box)
        self.category_combo = choice_combo(self.record.category_list, editable=False, blank="（请选择）")
        self.summary_edit = QLineEdit()
        self.summary_counter = QLabel()
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_edit, 1)
        summary_row.addWidget(self.summary_counter)
        summary_box = QWidget()
        summary_box.setLayout(summary_row)
        summary_row.setContentsMargins(0, 0, 0, 0)
        self.story_edit = QPlainTextEdit()
        self.story_edit.setMinimumHeight(200)
        self.story_edit.setPlaceholderText(f"写清时间、地点、做了什么、产生了什么影响，{STORY_MIN}–{STORY_MAX} 字。")
        self.story_counter = QLabel()
        self.recommender_kind = QComboBox()
        for key, text in RECOMMENDER_KINDS.items():
            self.recommender_kind.addItem(text, key)
        self.recommender_edit = QLineEdit()
        self.recommender_edit.setPlaceholderText("推荐人姓名，或推荐单位全称")
        self.relation_edit = QLineEdit()
        self.relation_edit.setPlaceholderText("如：邻居、同事、所在村（社区）")
        self.recommender_phone = QLineEdit()
        form.addRow("推荐类别：", self.errors.block("category", self.category_combo))
        form.addRow("一句话事迹：", self.errors.block("summary", summary_box))
        story_box = self.errors.block("story", self.story_edit)
        story_box.layout().insertWidget(0, self.story_counter)  # in sight while typing
        form.addRow("主要事迹：", story_box)
        form.addRow("推荐人类型：", self.recommender_kind)
        form.addRow("推荐人（单位）：", self.errors.block("recommender_name", self.recommender_edit))
        form.addRow("与被推荐人关系：", self.errors.block("recommender_relation", self.relation_edit))
        form.addRow("推荐人电话：", self.errors.block("recommender_contact", self.recommender_phone))
        self.summary_edit.textChanged.connect(lambda _t: self._update_counters())
        self.story_edit.textChanged.connect(self._update_counters)
        return box

    # -- behaviour -------------------------------------------------------------------------

    def _update_counters(self) -> None:
        summary = count_chars(self.summary_edit.text())
        self.summary_counter.setText(f"{summary}/{SUMMARY_MAX}")
        self.summary_counter.setStyleSheet(BAD_STYLE if summary > SUMMARY_MAX else OK_STYLE)
        story = count_chars(self.story_edit.toPlainText())
        if story == 0:  # nothing typed yet: say what is asked, not what is wrong
            text, style = f"要求 {STORY_MIN}–{STORY_MAX} 字", HINT_STYLE
        elif story < STORY_MIN:
            text, style = f"{story} 字，还差 {STORY_MIN - story} 字（要求 {STORY_MIN}–{STORY_MAX} 字）", BAD_STYLE
        elif story > STORY_MAX:
            text, style = f"{story} 字，超出 {story - STORY_MAX} 字（要求 {STORY_MIN}–{STORY_MAX} 字）", BAD_STYLE
        else:
            text, style = f"{story} 字（要求 {STORY_MIN}–{STORY_MAX} 字）✓", OK_STYLE
        self.story_counter.setText(text)
        self.story_counter.setStyleSheet(style)

    def _id_entered(self) -> None:
        checked = validation.id_number(self.id_edit.text())
        if not checked.ok:
            self.id_hint.setText("")
            self.honours_label.hide()
            return
        info = checked.value
        self.id_hint.setText(f"出生日期 {info.birth_date:%Y-%m-%d}，{info.sex}")
        set_combo_text(self.sex_combo, info.sex)
        person = nominations.find_nominee(info.number)
        honours = [nominations.honour_text(h) for h in nominations.honours(person.id)] if person else []
        if person is not None and not self.name_edit.text().strip():
            self.name_edit.setText(person.name)
            select_data(self.village_combo, person.village_id)
            set_combo_text(self.occupation_combo, person.occupation)
            set_combo_text(self.politics_combo, person.political_status)
            self.phone_edit.setText(person.phone)
            self.address_edit.setText(person.address)
        self.honours_label.setText("此人曾获荣誉：" + "；".join(honours) if honours else "")
        self.honours_label.setVisible(bool(honours))

    def choose_file(self, kind: str, path: str | None = None) -> bool:
        if path is None:
            pattern = "照片 (*.jpg *.jpeg *.png)" if kind == "photo" else "证明材料 (*.pdf *.jpg *.jpeg *.png)"
            path, _ = QFileDialog.getOpenFileName(self, f"选择{FILE_KINDS[kind]}", "", pattern)
            if not path:
                return False
        data = Path(path).read_bytes()
        name = Path(path).name
        limit = int(settings.get("nomination.photo_max_kb"))
        mime = nominations.file_type(data)
        if kind == "photo" and mime not in ("image/jpeg", "image/png"):
            set_error(self.file_error, f"「{name}」不是 JPG 或 PNG 照片")
            return False
        if not mime:
            set_error(self.file_error, f"「{name}」不是 PDF、JPG 或 PNG 文件；Word 文档请先另存为 PDF")
            return False
        if len(data) > limit * 1024:
            set_error(self.file_error, f"「{name}」有 {len(data) / 1024 / 1024:.1f} MB，超过了 {limit / 1024:g} MB 的上限，"
                                       "请先压缩")
            return False
        set_error(self.file_error, None)
        self._add_file(("", kind, name, data))
        self.photo_list.setCurrentRow(self.photo_list.count() - 1)
        return True

    def _add_file(self, ref: FileRef) -> None:
        self.files.append(ref)
        item = QListWidgetItem(f"{FILE_KINDS[ref[1]]}：{ref[2]}（{len(ref[3]) // 1024 or 1} KB）")
        self.photo_list.addItem(item)

    def remove_selected(self) -> None:
        row = self.photo_list.currentRow()
        if row < 0:
            return
        record_id = self.files.pop(row)[0]
        if record_id:
            self.removed.append(record_id)
        self.photo_list.takeItem(row)
        self._show_preview()

    def _show_preview(self) -> None:
        row = self.photo_list.currentRow()
        photos = [f for f in self.files if f[1] == "photo"]
        chosen = self.files[row] if 0 <= row < len(self.files) and self.files[row][1] == "photo" else (
            photos[0] if photos else None)
        if chosen is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("还没有照片" if not photos else "（证明材料不预览）")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(chosen[3])
        self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def _load(self, row) -> None:
        person = nominations.get_nominee(row.nominee_id)
        self.name_edit.setText(person.name)
        self.id_edit.setText(person.id_number)
        self._id_entered()
        set_combo_text(self.sex_combo, person.sex)
        select_data(self.village_combo, person.village_id, "（其他村/社区）")
        set_combo_text(self.occupation_combo, person.occupation)
        set_combo_text(self.politics_combo, person.political_status)
        self.phone_edit.setText(person.phone)
        self.address_edit.setText(person.address)
        set_combo_text(self.category_combo, row.category)
        self.summary_edit.setText(row.summary)
        self.summary_edit.setCursorPosition(0)
        self.story_edit.setPlainText(row.story)
        select_data(self.recommender_kind, row.recommender_kind)
        self.recommender_edit.setText(row.recommender_name)
        self.relation_edit.setText(row.recommender_relation)
        self.recommender_phone.setText(row.recommender_contact)
        for record in nominations.files(row.id):
            self._add_file((record.id, record.kind, record.file_name, nominations.file_bytes(record)))
        self._show_preview()

    def values(self) -> dict:
        return {"name": self.name_edit.text(), "id_number": self.id_edit.text(), "sex": self.sex_combo.currentText(),
                "village_id": self.village_combo.currentData() or None,
                "occupation": self.occupation_combo.currentText(), "political_status": self.politics_combo.currentText(),
                "phone": self.phone_edit.text(), "address": self.address_edit.text(),
                "category": self.category_combo.currentText(), "summary": self.summary_edit.text(),
                "story": self.story_edit.toPlainText(), "recommender_kind": self.recommender_kind.currentData(),
                "recommender_name": self.recommender_edit.text(), "recommender_relation": self.relation_edit.text(),
                "recommender_contact": self.recommender_phone.text()}

    def _write(self) -> str:
        return nominations.save(self.session.actor, self.session_id, self.nomination_id, self.values(),
                                [(kind, name, data) for record_id, kind, name, data in self.files if not record_id],
                                list(self.removed))

    def save(self) -> bool:
        ok, saved = self.errors.submit(self._write, self.general)
        if ok:
            self.nomination_id = saved
            self.saved.emit(saved)
            self.accept()
        return ok
