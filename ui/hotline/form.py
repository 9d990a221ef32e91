"""受理登记: a new ticket, errors under each field from the service, and the duplicate hint beside
phone and address — tickets of the same phone, or of the same address and category, within the
set number of days, pointed out while the clerk types, with 保存并合并到… for a reviewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.hotline import files as ticket_files
from civdesk.hotline import tickets
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.hotline.common import scrolling_layout, time_edit
from ui.list_model import Column, RowsSource, rows_view
from ui.session import Session
from ui.widgets import fit
from ui.widgets.forms import text_box


class DuplicateHint(QGroupBox):
    """The tickets that may be the same matter; a reviewer may merge the new one into one."""

    def __init__(self, can_merge: bool, parent=None):
        super().__init__("可能重复的工单", parent)
        layout = QVBoxLayout(self)
        self.label = hint_label("")
        layout.addWidget(self.label)
        self.rows = RowsSource([Column("number", "工单编号", 128), Column("received", "受理时间", 118),
                                Column("category", "类别", 72), Column("state", "状态", 60),
                                Column("reason", "相同的是", 110), Column("summary", "诉求", 160)])
        self.view, self.model = rows_view(self.rows)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # cells elide; hover shows all
        self.view.setFixedHeight(110)
        layout.addWidget(self.view)
        self.merge_button = QPushButton("保存并合并到所选工单…")
        self.merge_button.setEnabled(can_merge)
        if not can_merge:
            self.merge_button.setToolTip("合并重复工单需要审核人或管理员；请保存后请审核人合并。")
        layout.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignRight)
        self.hints: list[tickets.DuplicateHint] = []
        self.hide()

    def set_hints(self, hints: list[tickets.DuplicateHint]) -> None:
        self.hints = list(hints)
        self.rows.set_rows([(h.ticket_id, {"number": h.number, "received": h.received_at, "category": h.category,
                                           "state": h.state, "reason": h.reason, "summary": h.summary})
                            for h in self.hints])
        self.model.refresh()
        if self.hints:
            self.view.selectRow(0)
            self.label.setText(f"{len(self.hints)} 张工单的电话或地址与类别相同，可能是同一件事的重复来电。"
                               "请先核对；确属重复的，保存后合并（两个编号都保留，只办一次）。")
        self.setVisible(bool(self.hints))

    def selected(self) -> tickets.DuplicateHint | None:
        ticket_id = self.model.id_at(self.view.currentIndex().row())
        return next((h for h in self.hints if h.ticket_id == ticket_id), None)


class TicketForm(QDialog):
    """``saved(ticket_id)`` after a ticket was registered (and merged, if asked)."""

    saved = Signal(str)

    def __init__(self, session: Session, parent=None):
        self.choices = tickets.form_choices()
        super().__init__(parent)
        self.body, self.footer, self.scroll = scrolling_layout(self, f"受理登记 — {self.choices.hotline}")
        self.session = session
        self.errors = FieldErrors()
        self.attachments: list[tuple[str, bytes]] = []
        self.ticket_id = ""
        self.hint = DuplicateHint(session.actor.can("review_hotline"))
        self._build_fields()
        self.body.addStretch(1)
        self._build_footer()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.check_duplicates)
        for edit in (self.phone_edit, self.address_edit, self.received_edit):
            edit.textChanged.connect(lambda _t: self.timer.start())
        self.category_combo.currentIndexChanged.connect(lambda _i: self.timer.start())
        self.hint.merge_button.clicked.connect(self.save_and_merge)
        fit.fit_to_screen(self, QSize(720, 700))

    def _build_fields(self) -> None:
        form = QFormLayout()
        self.received_edit = time_edit()
        self.channel_combo = QComboBox()
        self.channel_combo.addItems(list(self.choices.channels))
        self.name_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机或固定电话，如 13800138000、028-83951234")
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText("如 桂花村3组路口")
        self.village_combo = QComboBox()
        self.village_combo.addItem("（不属于某个村/社区）", "")
        for village_id, name in self.choices.villages:
            self.village_combo.addItem(name, village_id)
        if len(self.choices.villages) == 1 and tickets.own_village():
            self.village_combo.setCurrentIndex(1)
            self.village_combo.setEnabled(False)
        self.kind_combo = QComboBox()
        for kind in self.choices.kinds:
            days = self.choices.deadlines[kind]
            self.kind_combo.addItem(f"{kind}（{days} 个工作日办结）", kind)
        self.category_combo = QComboBox()
        self.category_combo.addItems(self.choices.categories)
        self.content_edit = text_box(4)
        self.urgent_check = QCheckBox("紧急（当天签收、当天答复）")
        block = self.errors.block
        form.addRow("受理时间", block("received_at", self.received_edit, "不能晚于现在"))
        form.addRow("来源渠道", block("channel", self.channel_combo))
        form.addRow("来电人", block("caller_name", self.name_edit, "姓名和电话只给有权限的人看，列表中隐去部分"))
        form.addRow("联系电话", block("caller_phone", self.phone_edit))
        form.addRow("地址", block("address", self.address_edit))
        form.addRow(self.hint)
        form.addRow("所属村/社区", block("village_id", self.village_combo))
        form.addRow("类型", block("kind", self.kind_combo))
        form.addRow("类别", block("category", self.category_combo))
        form.addRow("诉求内容", block("content", self.content_edit))
        form.addRow("", block("urgent", self.urgent_check))
        form.addRow("附件", block("attachments", self._attachment_row(), "信件扫描件、现场照片：JPG、PNG 或 PDF"))
        self.body.addLayout(form)

    def _attachment_row(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.files_label = QLabel("（无）")
        self.files_label.setWordWrap(True)
        row.addWidget(self.files_label, 1)
        add = QPushButton("添加…")
        add.clicked.connect(lambda: self.add_files())
        clear = QPushButton("清空")
        clear.clicked.connect(lambda: self.set_files([]))
        row.addWidget(add)
        row.addWidget(clear)
        return box

    def _build_footer(self) -> None:
        self.general = error_label()
        self.footer.addWidget(self.general)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(lambda: self.save())
        buttons.rejected.connect(self.reject)
        self.footer.addWidget(buttons)

    # -- attachments ------------------------------------------------------------------------

    def add_files(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, "添加附件", "", "照片或 PDF (*.jpg *.jpeg *.png *.pdf)")
        try:
            self.set_files(self.attachments + [ticket_files.read(p) for p in paths])
        except ValidationError as exc:
            self.errors.show(exc.errors)

    def set_files(self, files: list[tuple[str, bytes]]) -> None:
        self.attachments = list(files)
        self.files_label.setText("、".join(f"{name}（{ticket_files.size_text(len(data))}）" for name, data in files)
                                 or "（无）")
        self.errors.clear("attachments")

    # -- duplicates and saving -----------------------------------------------------------------

    def values(self) -> dict:
        return {"received_at": self.received_edit.text(), "channel": self.channel_combo.currentText(),
                "caller_name": self.name_edit.text(), "caller_phone": self.phone_edit.text(),
                "address": self.address_edit.text(), "village_id": self.village_combo.currentData() or None,
                "kind": self.kind_combo.currentData(), "category": self.category_combo.currentText(),
                "content": self.content_edit.toPlainText(), "urgent": self.urgent_check.isChecked()}

    def check_duplicates(self) -> None:
        self.timer.stop()
        values = self.values()
        try:
            found = tickets.possible_duplicates(values["caller_phone"], values["address"], values["category"],
                                                values["received_at"])
        except ValidationError:
            try:  # the time is still being typed: look around now
                found = tickets.possible_duplicates(values["caller_phone"], values["address"], values["category"])
            except CivDeskError:
                found = []
        self.hint.set_hints(found)

    def _receive(self):
        return tickets.receive(self.session.actor, self.values(), attachments=self.attachments)

    def save(self) -> bool:
        if self.ticket_id:  # saved already; a merge failed afterwards
            self.accept()
            return True
        ok, row = self.errors.submit(self._receive, self.general)
        if not ok:
            return False
        self.ticket_id = row.id
        self.number = row.number
        self.saved.emit(row.id)
        self.accept()
        return True

    def save_and_merge(self) -> bool:
        target = self.hint.selected()
        if target is None or not self.session.actor.can("review_hotline"):
            return False
        ok, row = (True, None) if self.ticket_id else self.errors.submit(self._receive, self.general)
        if not ok:
            return False
        self.ticket_id = self.ticket_id or row.id
        try:
            tickets.merge(self.session.actor, target.ticket_id, self.ticket_id, "受理时发现的重复来电")
        except CivDeskError as exc:
            set_error(self.general, f"工单已保存，但没有合并：{exc}")
            self.saved.emit(self.ticket_id)
            return False
        self.merged_into = target.number
        self.saved.emit(self.ticket_id)
        self.accept()
        return True


def pick_files(parent, title: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(Path.home()), "照片或 PDF (*.jpg *.jpeg *.png *.pdf)")
    return paths
