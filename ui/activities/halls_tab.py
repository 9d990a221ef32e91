"""道德讲堂: the halls (总堂, 分堂) and their sessions — the five customary parts (editable), the
story told (a 好人 of 好人评选 when it is one), attendance — and a hall's yearly register PDF."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.activities import common, halls, reports
from civdesk.activities.terms import HALL_KINDS, STORY_KINDS
from civdesk.core.errors import CivDeskError
from ui.activities.record_form import ActivityFormDialog
from ui.activities.widgets import EmptyOr, EmptyState, current_id, fill, scrolling_body, table
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box
from ui.widgets.pdf_save import save_pdf


def honoured_people() -> list[tuple[str, str]]:
    """(nominee id, name) of the 好人 honoured in 好人评选, for the story's drop-down."""
    from civdesk.nominations import award, nominees

    found: dict[str, str] = {}
    try:
        for session in nominees.sessions():
            for nomination in award.honoured(session.id):
                found.setdefault(nomination.nominee_id, nominees.get_nominee(nomination.nominee_id).name)
    except CivDeskError:
        pass
    return list(found.items())


class HallDialog(QDialog):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session, self.saved_id = session, ""
        self.setWindowTitle("新建道德讲堂")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如「土城分堂」")
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(list(HALL_KINDS))
        self.kind_combo.setCurrentText("分堂")
        self.village_combo = QComboBox()
        own = common.own_village()
        villages = common.villages()
        if own:
            self.village_combo.addItem(villages.get(own, "本村"), own)
            self.village_combo.setEnabled(False)
        else:
            self.village_combo.addItem("（镇里的讲堂）", "")
            for vid, name in villages.items():
                self.village_combo.addItem(name, vid)
        self.address_edit = QLineEdit()
        self.note_edit = text_box(2)
        for label, key, editor in (("讲堂名称：", "name", self.name_edit), ("类型：", "kind", self.kind_combo),
                                   ("村/社区：", "village_id", self.village_combo),
                                   ("地址：", "address", self.address_edit), ("备注：", "note", self.note_edit)):
            form.addRow(label, self.errors.block(key, editor))
        self.general_error = error_label()
        scrolling_body(self, body, [self.general_error, form_buttons(self, "新建", self.save)], 520)

    def save(self) -> bool:
        values = {"name": self.name_edit.text(), "kind": self.kind_combo.currentText(),
                  "village_id": self.village_combo.currentData() or None, "address": self.address_edit.text(),
                  "note": self.note_edit.toPlainText()}
        ok, self.saved_id = self.errors.submit(lambda: halls.create_hall(self.session.actor, values).id,
                                               self.general_error)
        if ok:
            self.accept()
        return ok


class SessionDialog(QDialog):
    """A session at a hall (new), or its parts and story (existing: date and attendance are the
    activity record's, changed in the activity form)."""

    def __init__(self, session: Session, hall: halls.HallRow, existing: halls.SessionRow | None = None, parent=None):
        super().__init__(parent)
        self.session, self.hall, self.existing, self.saved_id = session, hall, existing, ""
        self.setWindowTitle(f"{hall.name}：{'修改环节与故事' if existing else '登记讲堂活动'}")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.day_edit = DateField(dt.date.today())
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("可不填：按讲堂和故事自动命名")
        self.attendance_edit = QLineEdit()
        self.attendance_edit.setPlaceholderText("到场人数，如 60")
        if existing is None:
            form.addRow("日期：", self.errors.block("day", self.day_edit))
            form.addRow("活动名称：", self.errors.block("title", self.title_edit))
            form.addRow("到场人数：", self.errors.block("participants", self.attendance_edit))
        form.addRow("环节：", self.errors.block("parts", self._parts_box()))
        self.story_kind = QComboBox()
        self.story_kind.addItem("", "")
        self.story_kind.addItems(list(STORY_KINDS))
        self.story_title = QLineEdit()
        self.storyteller = QLineEdit()
        self.nominee_combo = QComboBox()
        self.nominee_combo.addItem("（不是好人故事）", "")
        for nominee_id, name in honoured_people():
            self.nominee_combo.addItem(name, nominee_id)
        form.addRow("故事类别：", self.errors.block("story_kind", self.story_kind))
        form.addRow("故事题目：", self.errors.block("story_title", self.story_title))
        form.addRow("讲述人：", self.errors.block("storyteller", self.storyteller))
        form.addRow("讲的好人：", self.errors.block("nominee_id", self.nominee_combo,
                                                 "好人评选中受表彰的人；选了就记为好人故事"))
        if existing is not None:
            self.story_kind.setCurrentText(existing.story_kind)
            self.story_title.setText(existing.story_title)
            self.storyteller.setText(existing.storyteller)
            self.nominee_combo.setCurrentIndex(max(0, self.nominee_combo.findData(existing.nominee_id or "")))
        self.general_error = error_label()
        buttons = form_buttons(self, "保存" if existing else "登记", self.save)
        scrolling_body(self, body, [self.general_error, buttons], 640)

    def _parts_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        parts = self.existing.parts if self.existing else [{"part": p, "content": ""} for p in halls.default_parts()]
        self.parts_table = QTableWidget(0, 2)
        self.parts_table.setHorizontalHeaderLabels(["环节", "内容（如歌名、短片、经典篇目）"])
        self.parts_table.verticalHeader().setVisible(False)
        self.parts_table.setColumnWidth(0, 130)
        self.parts_table.horizontalHeader().setStretchLastSection(True)
        self.parts_table.setFixedHeight(200)
        for part in parts:
            self.add_part(part.get("part", ""), part.get("content", ""))
        row = QHBoxLayout()
        add, remove = QPushButton("加一个环节"), QPushButton("删去所选环节")
        add.clicked.connect(lambda: self.add_part())
        remove.clicked.connect(lambda: self.parts_table.removeRow(self.parts_table.currentRow()))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addWidget(self.parts_table)
        layout.addLayout(row)
        return box

    def add_part(self, name: str = "", content: str = "") -> None:
        row = self.parts_table.rowCount()
        self.parts_table.insertRow(row)
        self.parts_table.setItem(row, 0, QTableWidgetItem(name))
        self.parts_table.setItem(row, 1, QTableWidgetItem(content))

    def parts(self) -> list[dict]:
        table_ = self.parts_table
        return [{"part": (table_.item(r, 0).text() if table_.item(r, 0) else ""),
                 "content": (table_.item(r, 1).text() if table_.item(r, 1) else "")} for r in range(table_.rowCount())]

    def values(self) -> dict:
        values = {"parts": self.parts(), "story_kind": self.story_kind.currentText(),
                  "story_title": self.story_title.text(), "storyteller": self.storyteller.text(),
                  "nominee_id": self.nominee_combo.currentData() or None}
        if self.existing is None:
            values.update(day=self.day_edit.value(), participants=self.attendance_edit.text(), status="held")
            if self.title_edit.text().strip():
                values["title"] = self.title_edit.text()
        return values

    def save(self) -> bool:
        actor = self.session.actor
        if self.existing is not None:
            call = lambda: (halls.update_session(actor, self.existing.id, self.values()), self.existing.id)[1]  # noqa: E731
        else:
            call = lambda: halls.add_session(actor, self.hall.id, self.values()).id  # noqa: E731
        ok, self.saved_id = self.errors.submit(call, self.general_error)
        if ok:
            self.accept()
        return ok


class HallsTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.can_edit = session.actor.can("edit_activities") and not session.read_only
        self.hall_rows: list[halls.HallRow] = []
        self.session_rows: list[halls.SessionRow] = []
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        body = QHBoxLayout()
        self.hall_table = table(["讲堂", "类型", "村/社区", "今年场次"], [150, 52, 80, 70], stretch=0)
        self.hall_table.setFixedWidth(390)
        self.hall_table.currentCellChanged.connect(lambda *_a: self.show_sessions())
        self.session_table = table(["日期", "活动", "故事", "讲述人", "到场"], [96, 220, 180, 80, 56], stretch=1)
        self.session_table.doubleClicked.connect(lambda _i: self.open_record())
        self.session_empty = EmptyState("这个讲堂还没有登记活动。每次讲堂活动登记一次：日期、五个环节、讲的故事和到场人数。",
                                        "登记讲堂活动…", lambda: self.add_session(), self.can_edit)
        self.session_stack = EmptyOr(self.session_table, self.session_empty)
        body.addWidget(self.hall_table)
        body.addWidget(self.session_stack, 1)
        self.body = QWidget()
        self.body.setLayout(body)
        body.setContentsMargins(0, 0, 0, 0)
        self.empty = EmptyState("还没有道德讲堂。先登记乡镇的总堂和各村（社区）的分堂，再登记每次讲堂活动。",
                                "新建讲堂…", lambda: self.add_hall(), self.can_edit)
        self.stack = EmptyOr(self.body, self.empty)
        layout.addWidget(self.stack, 1)
        self.message = message_label()
        layout.addWidget(self.message)

    def _top_bar(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1950, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(self.year_spin)
        top.addStretch(1)
        self.new_hall_button = QPushButton("新建讲堂…")
        self.new_session_button = QPushButton("登记讲堂活动…")
        self.new_session_button.setProperty("primary", True)
        self.parts_button = QPushButton("修改环节与故事…")
        self.open_button = QPushButton("照片与人数…")
        self.register_button = QPushButton("年度登记册 PDF")
        self.register_button.setVisible(self.session.actor.can("export_data"))
        for button, action in ((self.new_hall_button, self.add_hall), (self.new_session_button, self.add_session),
                               (self.parts_button, self.edit_session), (self.open_button, self.open_record),
                               (self.register_button, self.save_register)):
            button.clicked.connect(lambda _c=False, a=action: a())
            top.addWidget(button)
        for button in (self.new_hall_button, self.new_session_button, self.parts_button):
            button.setEnabled(self.can_edit)
        return top

    def refresh(self) -> None:
        self.hall_rows = halls.halls(self.year_spin.value())
        fill(self.hall_table, [(h.id, [h.name, h.kind, h.village or "镇", h.sessions_this_year], "ok")
                               for h in self.hall_rows])
        if self.hall_table.currentRow() < 0 and self.hall_rows:
            self.hall_table.selectRow(0)
        self.stack.show_empty(not self.hall_rows)
        self.show_sessions()

    def current_hall(self) -> halls.HallRow | None:
        hall_id = current_id(self.hall_table)
        return next((h for h in self.hall_rows if h.id == hall_id), None)

    def current_session(self) -> halls.SessionRow | None:
        session_id = current_id(self.session_table)
        return next((s for s in self.session_rows if s.id == session_id), None)

    def show_sessions(self) -> None:
        hall = self.current_hall()
        self.session_rows = halls.sessions(hall.id, self.year_spin.value()) if hall else []
        rows = []
        for s in self.session_rows:
            story = s.story_title + (f"（{s.story_kind}）" if s.story_kind else "")
            teller = s.storyteller or s.nominee_name
            row_id = s.id
            rows.append((row_id, [s.day, s.title, story, teller, s.attendance], "ok"))
        fill(self.session_table, rows)
        for r, s in enumerate(self.session_rows):
            parts = "\n".join(f"{p['part']}：{p['content'] or '—'}" for p in s.parts)
            self.session_table.item(r, 1).setToolTip(f"{s.title}\n{parts}")
        self.session_stack.show_empty(not self.session_rows)
        has = bool(self.session_rows)
        self.parts_button.setEnabled(self.can_edit and has)
        self.open_button.setEnabled(has)
        self.new_session_button.setEnabled(self.can_edit and hall is not None)
        self.register_button.setEnabled(hall is not None)

    def add_hall(self) -> HallDialog:
        dialog = HallDialog(self.session, self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def add_session(self) -> SessionDialog | None:
        hall = self.current_hall()
        if hall is None:
            show_message(self.message, "请先选择一个讲堂。", ok=False)
            return None
        dialog = SessionDialog(self.session, hall, parent=self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def edit_session(self) -> SessionDialog | None:
        hall, row = self.current_hall(), self.current_session()
        if hall is None or row is None:
            return None
        dialog = SessionDialog(self.session, hall, row, parent=self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def open_record(self) -> ActivityFormDialog | None:
        row = self.current_session()
        if row is None:
            return None
        dialog = ActivityFormDialog(self.session, row.record_id, parent=self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def save_register(self):
        hall, year, actor = self.current_hall(), self.year_spin.value(), self.session.actor
        if hall is None:
            show_message(self.message, "请先选择一个讲堂。", ok=False)
            return None
        return save_pdf(self, "道德讲堂登记册", f"{hall.name}{year}年活动登记册.pdf",
                        lambda path, ctx: reports.hall_register_pdf(path, hall.id, year, actor=actor,
                                                                    progress=ctx.progress,
                                                                    cancelled=lambda: ctx.cancelled))
