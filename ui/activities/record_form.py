"""The activity form: kind, status, date, place, organiser, participants, content, village, photos
(checked as they are chosen, previews shown) and the volunteers who served with their hours,
which go to 志愿服务 awaiting a reviewer. Every refusal shows under its field; nothing is
written until the service accepts the whole record."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.activities import photos, records
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from ui.activities.widgets import fill, scrolling_body, table
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.navigation import notice_label
from ui.session import Session
from ui.volunteers.picker import VolunteerPicker
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box

THUMB = QSize(96, 72)
PhotoRole = Qt.ItemDataRole.UserRole + 2  # the new photo's bytes, or the saved photo's id
VOLUNTEER_NOTE = ("服务的志愿者和时长会作为志愿服务记录送到「服务时长」，等待审核人审核后才计入志愿者的累计时长。"
                  "只有已开展的活动可以登记。")
SERVICE_STATUS = {"pending": "待审核", "approved": "已审核", "rejected": "已退回"}


def thumbnail(data: bytes) -> QIcon:
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    return QIcon(pixmap.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))


class DeleteDialog(QDialog):
    """Why a record goes (the change log keeps the reason); refused when hours were entered."""

    def __init__(self, session: Session, record_id: str, title: str, parent=None):
        super().__init__(parent)
        self.session, self.record_id = session, record_id
        self.setWindowTitle("删除活动记录")
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"删除「{title}」？删除后可在审计日志中查到。"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("删除原因，如：重复录入")
        layout.addWidget(self.errors.block("reason", self.reason_edit))
        self.general_error = error_label()
        layout.addWidget(self.general_error)
        layout.addWidget(form_buttons(self, "删除", self.save))

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: records.delete(self.session.actor, self.record_id, self.reason_edit.text()),
                                   self.general_error)
        if ok:
            self.accept()
        return ok


class ActivityFormDialog(QDialog):
    def __init__(self, session: Session, record_id: str | None = None, *, day: dt.date | None = None,
                 kind: str = "", parent=None):
        super().__init__(parent)
        self.session, self.record_id = session, record_id
        self.saved_id = ""
        self.new_photos: list[tuple[str, bytes]] = []
        self.served: list[tuple[str, str, float]] = []  # (volunteer id, name, hours) not yet saved
        self.choices = records.form_choices()
        self.setWindowTitle("修改活动记录" if record_id else "登记活动")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        self._fields(form, day or dt.date.today(), kind)
        form.addRow("照片：", self._photo_box())
        form.addRow("服务的志愿者：", self._volunteer_box())
        self.general_error = error_label()
        buttons = form_buttons(self, "保存" if record_id else "登记", self.save)
        self.deleted = False
        if record_id and session.actor.can("edit_activities") and not session.read_only:
            self.delete_button = buttons.addButton("删除这条记录…", QDialogButtonBox.ButtonRole.ResetRole)
            self.delete_button.clicked.connect(lambda: self.ask_delete())
        scrolling_body(self, body, [self.general_error, buttons], 700)
        if record_id:
            self._load(records.detail(record_id))
        self._kind_changed()

    # -- building -------------------------------------------------------------------------

    def _fields(self, form: QFormLayout, day: dt.date, kind: str) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("（请选择）", "")
        for code, label in self.choices.kinds.items():
            self.kind_combo.addItem(label, code)
        if kind:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.status_combo = QComboBox()
        for code, label in self.choices.statuses.items():
            self.status_combo.addItem(label, code)
        self.status_combo.setCurrentIndex(self.status_combo.findData("held" if day <= dt.date.today() else "planned"))
        self.title_edit = QLineEdit()
        self.day_edit = DateField(day)
        self.festival_combo = QComboBox()
        self.festival_combo.addItem("", "")
        for name in self.choices.festivals:
            self.festival_combo.addItem(name, name)
        self.village_combo = QComboBox()
        if self.choices.fixed_village:
            self.village_combo.addItem(self.choices.villages.get(self.choices.fixed_village, "本村"),
                                       self.choices.fixed_village)
            self.village_combo.setEnabled(False)
        else:
            self.village_combo.addItem("（全镇活动）", "")
            for vid, name in self.choices.villages.items():
                self.village_combo.addItem(name, vid)
        self.place_edit, self.organiser_edit = QLineEdit(), QLineEdit()
        self.participants_edit = QLineEdit()
        self.participants_edit.setPlaceholderText("人数，如 45")
        self.content_edit = text_box(4)
        rows = [("活动类型：", "kind", self.kind_combo), ("状态：", "status", self.status_combo),
                ("活动名称：", "title", self.title_edit), ("活动日期：", "day", self.day_edit),
                ("节日：", "festival", self.festival_combo), ("村/社区：", "village_id", self.village_combo),
                ("地点：", "place", self.place_edit), ("组织单位：", "organiser", self.organiser_edit),
                ("参与人数：", "participants", self.participants_edit), ("活动内容：", "content", self.content_edit)]
        for label, key, editor in rows:
            form.addRow(label, self.errors.block(key, editor))
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.status_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())

    def _photo_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.photo_list = QListWidget()
        self.photo_list.setViewMode(QListView.ViewMode.IconMode)
        self.photo_list.setIconSize(THUMB)
        self.photo_list.setFlow(QListView.Flow.LeftToRight)
        self.photo_list.setWrapping(True)  # many photos wrap and scroll down, never sideways
        self.photo_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.photo_list.setFixedHeight(THUMB.height() + 44)
        self.photo_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.photo_list.itemDoubleClicked.connect(lambda item: self.preview(item))
        self.removed_photos: list[str] = []
        row = QHBoxLayout()
        self.add_photo_button = QPushButton("添加照片…")
        self.add_photo_button.clicked.connect(lambda: self.choose_photos())
        row.addWidget(self.add_photo_button)
        self.remove_photo_button = QPushButton("移除所选照片")
        self.remove_photo_button.clicked.connect(lambda: self.remove_photo())
        row.addWidget(self.remove_photo_button)
        row.addWidget(hint_label("JPG 或 PNG 照片，双击看大图；不是照片的文件会被拒绝。"), 1)
        layout.addLayout(row)
        layout.addWidget(self.photo_list)
        layout.addWidget(self.errors.block("photo", QWidget()))
        return box

    def _volunteer_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(notice_label(VOLUNTEER_NOTE))
        row = QHBoxLayout()
        self.picker = VolunteerPicker(placeholder="输入志愿者姓名或拼音首字母…")
        self.hours_spin = QDoubleSpinBox()
        self.hours_spin.setRange(0.5, 24)
        self.hours_spin.setSingleStep(0.5)
        self.hours_spin.setValue(2)
        self.hours_spin.setSuffix(" 小时")
        self.add_volunteer_button = QPushButton("加入")
        self.add_volunteer_button.clicked.connect(lambda: self.add_volunteer())
        self.remove_volunteer_button = QPushButton("移除")
        self.remove_volunteer_button.clicked.connect(lambda: self.remove_volunteer())
        row.addWidget(self.picker, 1)
        row.addWidget(self.hours_spin)
        row.addWidget(self.add_volunteer_button)
        row.addWidget(self.remove_volunteer_button)
        layout.addLayout(row)
        self.volunteer_table = table(["志愿者", "时长", "状态"], [160, 80, 90], stretch=0)
        self.volunteer_table.setFixedHeight(130)
        layout.addWidget(self.volunteer_table)
        self.volunteer_error = error_label()
        self.errors.add("volunteers", self.volunteer_error)
        layout.addWidget(self.volunteer_error)
        self.saved_services: list[records.VolunteerService] = []
        return box

    def _load(self, detail: records.ActivityDetail) -> None:
        row = detail.row
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(row.kind)))
        self.kind_combo.setEnabled(False)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(row.status)))
        self.title_edit.setText(row.title)
        self.day_edit.set_value(dt.date.fromisoformat(row.day))
        self.festival_combo.setCurrentIndex(max(0, self.festival_combo.findData(row.festival)))
        index = self.village_combo.findData(row.village_id or "")
        if index < 0:
            self.village_combo.addItem(row.village or "（其他村/社区）", row.village_id)
            index = self.village_combo.count() - 1
        self.village_combo.setCurrentIndex(index)
        self.village_combo.setEnabled(False)  # a record's village travels with it
        self.place_edit.setText(row.place)
        self.organiser_edit.setText(row.organiser)
        self.participants_edit.setText(str(row.participants))
        self.content_edit.setPlainText(row.content)
        for photo in detail.photos:
            try:
                icon = thumbnail(photos.photo_bytes(photo.id))
            except CivDeskError:
                icon = QIcon()
            item = QListWidgetItem(icon, photo.file_name, self.photo_list)
            item.setToolTip(photo.caption or photo.file_name)
            item.setData(PhotoRole, photo.id)
        self.saved_services = list(detail.volunteers)
        self._show_volunteers()

    # -- behaviour ------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        festival = self.kind_combo.currentData() == "festival"
        self.festival_combo.setEnabled(festival)
        if not festival:
            self.festival_combo.setCurrentIndex(0)
        held = self.status_combo.currentData() == "held"
        for widget in (self.picker, self.hours_spin, self.add_volunteer_button, self.remove_volunteer_button):
            widget.setEnabled(held)

    def choose_photos(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择照片", "", "照片 (*.jpg *.jpeg *.png);;所有文件 (*)")
        if paths:
            self.add_photo_files(paths)

    def add_photo_files(self, paths: list[str]) -> int:
        """Check each file now; a refused one is named under the photo field. Returns how many were taken."""
        refused, taken = [], 0
        for path in paths:
            try:
                name, data = photos.read_file(path)
                photos.check_photo(name, data)
            except ValidationError as exc:
                refused.append(exc.errors.get("photo", str(exc)))
                continue
            except CivDeskError as exc:
                refused.append(str(exc))
                continue
            self.new_photos.append((name, data))
            item = QListWidgetItem(thumbnail(data), name, self.photo_list)
            item.setToolTip(f"{name}（保存后加入）")
            item.setData(PhotoRole, data)
            taken += 1
        set_error(self.errors.labels["photo"], "；".join(refused) or None)
        return taken

    def _photo_data(self, item: QListWidgetItem) -> bytes | None:
        value = item.data(PhotoRole)
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        try:
            return photos.photo_bytes(value)
        except CivDeskError as exc:
            set_error(self.errors.labels["photo"], str(exc))
            return None

    def preview(self, item: QListWidgetItem) -> QDialog | None:
        data = self._photo_data(item)
        if data is None:
            return None
        dialog = QDialog(self)
        dialog.setWindowTitle(item.text())
        label = QLabel()
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        room = self.screen().availableGeometry().size() * 0.8
        label.setPixmap(pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)
                        if pixmap.width() > room.width() or pixmap.height() > room.height() else pixmap)
        QVBoxLayout(dialog).addWidget(label)
        dialog.open()
        return dialog

    def remove_photo(self) -> None:
        """A new photo is dropped at once; a saved one when the record is saved."""
        item = self.photo_list.currentItem()
        if item is None:
            return
        value = item.data(PhotoRole)
        if isinstance(value, (bytes, bytearray)):
            index = next(i for i, (_n, d) in enumerate(self.new_photos) if d == bytes(value))
            del self.new_photos[index]  # only this one, should the same file have been added twice
        else:
            self.removed_photos.append(value)
        self.photo_list.takeItem(self.photo_list.row(item))

    def add_volunteer(self) -> bool:
        volunteer_id = self.picker.volunteer_id()
        if not volunteer_id:
            set_error(self.volunteer_error, "请先在左边的框里输入并选择一名志愿者")
            return False
        if volunteer_id in {v for v, _n, _h in self.served}:
            set_error(self.volunteer_error, "这名志愿者已经在名单里")
            return False
        name = self.picker.edit.text().split("（")[0].strip() or "志愿者"
        self.served.append((volunteer_id, name, self.hours_spin.value()))
        set_error(self.volunteer_error, None)
        self.picker.clear()
        self._show_volunteers()
        return True

    def remove_volunteer(self) -> None:
        row = self.volunteer_table.currentRow() - len(self.saved_services)
        if 0 <= row < len(self.served):
            del self.served[row]
            self._show_volunteers()

    def _show_volunteers(self) -> None:
        rows = [(s.volunteer_id, [s.name, f"{s.hours:g}", SERVICE_STATUS.get(s.status, s.status)], "ok")
                for s in self.saved_services]
        rows += [(v, [name, f"{hours:g}", "保存后送审"], "yellow") for v, name, hours in self.served]
        fill(self.volunteer_table, rows)

    def values(self) -> dict:
        return {"kind": self.kind_combo.currentData() or "", "status": self.status_combo.currentData(),
                "title": self.title_edit.text(), "day": self.day_edit.value(),
                "festival": self.festival_combo.currentData() or "",
                "village_id": self.village_combo.currentData() or None, "place": self.place_edit.text(),
                "organiser": self.organiser_edit.text(), "participants": self.participants_edit.text(),
                "content": self.content_edit.toPlainText()}

    def _write(self) -> str:
        actor, served = self.session.actor, [(v, hours) for v, _n, hours in self.served]
        try:
            if self.record_id is None:
                return records.create(actor, self.values(), photo_files=self.new_photos, volunteers=served).id
            records.edit(actor, self.record_id, self.values(), add_photos=self.new_photos,
                         remove_photos=self.removed_photos, volunteers=served)
            return self.record_id
        except ValidationError as exc:  # "volunteers.2" → the volunteer list's message line
            moved = {("volunteers" if k.startswith("volunteers.") else k): v for k, v in exc.errors.items()}
            raise ValidationError(moved) from None

    def ask_delete(self) -> DeleteDialog:
        dialog = DeleteDialog(self.session, self.record_id, self.title_edit.text(), self)
        dialog.accepted.connect(lambda: (setattr(self, "deleted", True), self.accept()))
        dialog.open()
        return dialog

    def save(self) -> bool:
        if self.session.read_only:
            set_error(self.general_error, "现在是只读模式，不能保存。")
            return False
        ok, self.saved_id = self.errors.submit(self._write, self.general_error)
        if ok:
            self.accept()
        return ok
