"""设置 → 发文机关: the bodies documents go out under (全称, 简称, 机关代字, 发文机关标志, 红头, 签发人, 抄送 and
印发 defaults, which documents each issues), the next 发文字号 of each, and this PC's 套红纸打印 choice."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civdesk.documents import service
from ui.field_errors import FieldErrors, message_label, show_message
from ui.session import Session
from ui.widgets.tables import current_id, set_row, simple_table

NEW = "__new__"


class DocumentsTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.editable = session.actor.can("edit_settings") and not session.read_only
        self.errors = FieldErrors()
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.table = simple_table(["发文机关", "机关代字", "下一个发文字号"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._load_selected)
        left.addWidget(self.table, 1)
        self.preprinted = QCheckBox("本机用套红纸打印（公文不印红色版头和红线，留出位置）")
        self.preprinted.setToolTip("只影响这台电脑：印好红头的公文纸放在这台电脑的打印机上时勾选。")
        self.preprinted.setEnabled(not session.read_only)
        self.preprinted.toggled.connect(self._set_preprinted)
        left.addWidget(self.preprinted)
        if self.editable:
            add = QPushButton("新增发文机关")
            add.clicked.connect(self._new_body)
            left.addWidget(add)
        self.message = message_label()
        left.addWidget(self.message)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self._build_form())
        right.addWidget(area, 1)
        self.general = message_label()
        right.addWidget(self.general)
        if self.editable:  # under the form, never scrolled away
            save = QPushButton("保存")
            save.clicked.connect(self.save)
            right.addWidget(save)
        layout.addLayout(right, 4)
        self.key = ""
        self.refresh()

    def _build_form(self) -> QWidget:
        box = QGroupBox("发文机关")
        form = QFormLayout(box)
        self.full_name, self.short_name, self.code = QLineEdit(), QLineEdit(), QLineEdit()
        self.head_text, self.signer, self.cc, self.printer = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.red_head = QCheckBox("印红色发文机关标志（红头）")
        form.addRow("全称", self.errors.block("full_name", self.full_name))
        form.addRow("规范化简称", self.short_name)
        form.addRow("机关代字", self.errors.block("code", self.code, "发文字号的第一段：清溪文明委〔2026〕3号"))
        form.addRow("发文机关标志", self.errors.block("head_text", self.head_text, "留空时为「全称 + 文件」"))
        form.addRow("", self.red_head)
        form.addRow("签发人", self.errors.block("signer", self.signer, "上行文（请示、报告）在发文字号右侧印签发人"))
        form.addRow("抄送机关", self.errors.block("cc", self.cc, "版记默认的抄送机关，如 县文明办"))
        form.addRow("印发机关", self.errors.block("printer", self.printer, "留空时为本镇文明办"))
        kinds = QGridLayout()
        self.kinds: dict[str, QCheckBox] = {}
        for i, (kind, (label, _default)) in enumerate(service.DOCUMENT_KINDS.items()):
            self.kinds[kind] = QCheckBox(label)
            kinds.addWidget(self.kinds[kind], i // 2, i % 2)
        form.addRow("由它发文", self.errors.block("documents", _wrap(kinds)))
        for widget in (self.full_name, self.short_name, self.code, self.head_text, self.signer, self.cc, self.printer):
            widget.setReadOnly(not self.editable)
        for widget in (self.red_head, *self.kinds.values()):
            widget.setEnabled(self.editable)
        return box

    def refresh(self) -> None:
        year = dt.date.today().year
        found = service.bodies()
        self.table.setRowCount(len(found))
        for row, body in enumerate(found):
            set_row(self.table, row, [body.full_name, body.code, service.next_number(body.key, year)], body.key)
        self.preprinted.blockSignals(True)
        self.preprinted.setChecked(service.preprinted_paper())
        self.preprinted.blockSignals(False)
        keys = [body.key for body in found]
        if self.key in keys:
            self.table.selectRow(keys.index(self.key))
        elif found:
            self.table.selectRow(0)

    def _load_selected(self) -> None:
        key = current_id(self.table)
        if not key:
            return
        body = service.body(key)
        self.key = key
        self.errors.clear()
        for edit, value in ((self.full_name, body.full_name), (self.short_name, body.short_name),
                            (self.code, body.code), (self.head_text, body.head_text), (self.signer, body.signer),
                            (self.cc, body.cc), (self.printer, body.printer)):
            edit.setText(value)
        self.head_text.setPlaceholderText(f"{body.full_name}文件")
        self.red_head.setChecked(body.red_head)
        issued = {kind for kind in service.DOCUMENT_KINDS if service.body_for(kind).key == key}
        for kind, box in self.kinds.items():
            box.setChecked(kind in issued)

    def _new_body(self) -> None:
        self.table.clearSelection()
        self.key = NEW
        for edit in (self.full_name, self.short_name, self.code, self.head_text, self.signer, self.cc, self.printer):
            edit.clear()
        self.red_head.setChecked(True)
        for box in self.kinds.values():
            box.setChecked(False)
        self.full_name.setFocus()
        show_message(self.message, "填写新发文机关的全称和机关代字，勾选由它发的文种，然后保存。")

    def save(self) -> None:
        key = self.key if self.key and self.key != NEW else self.full_name.text().strip()
        ok, body = self.errors.submit(lambda: service.save_body(
            self.session.actor, key, full_name=self.full_name.text(), short_name=self.short_name.text(),
            code=self.code.text(), red_head=self.red_head.isChecked(),
            documents=[kind for kind, box in self.kinds.items() if box.isChecked()],
            head_text=self.head_text.text(), signer=self.signer.text(), cc=self.cc.text(),
            printer=self.printer.text()), self.general)
        if ok:
            self.key = body.key
            self.refresh()
            show_message(self.message, f"已保存「{body.full_name}」。")

    def _set_preprinted(self, on: bool) -> None:
        service.set_preprinted_paper(on)
        show_message(self.message, "本机打印公文时不印红头（套红纸）。" if on else "本机打印公文时印红头。")


def _wrap(layout) -> QWidget:
    box = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    box.setLayout(layout)
    return box
