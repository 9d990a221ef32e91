"""门前三包: shops, households and units with their responsible person (phones masked), the three
duties, the signed 责任书 (date and PDF), their inspection history and score; add and edit."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from civdesk.supervision import holders, inspections, reports
from civdesk.supervision.terms import HOLDER_KINDS, INSPECTION_KINDS
from ui.field_errors import error_label, message_label, show_message
from ui.navigation import PageHost
from ui.session import Session
from ui.supervision.inspection_form import InspectionDialog
from ui.supervision.widgets import (
    EmptyState,
    Errors,
    fill,
    plain_table,
    select_id,
    selected_id,
    text_area,
)
from ui.widgets import fit
from ui.widgets.choices import village_combo
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons
from ui.widgets.pdf_save import save_pdf


class HolderDialog(QDialog):
    def __init__(self, session: Session, holder_id: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("修改门前三包责任户" if holder_id else "登记门前三包责任户")
        layout = QVBoxLayout(self)
        self.session, self.holder_id = session, holder_id
        self.errors = Errors()
        self.saved = None
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems(HOLDER_KINDS)
        self.village = village_combo("（镇区，不属于某个村）")
        self.address = QLineEdit()
        self.responsible = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机或座机，可不填；列表中只显示部分号码")
        self.duties = text_area(4)
        self.signed = DateField(None, optional=True)
        self.note = text_area(2)
        e = self.errors
        for label, name, widget in (("名称：", "name", self.name), ("类别：", "kind", self.kind),
                                    ("所属村/社区：", "village_id", self.village), ("地址：", "address", self.address),
                                    ("责任人：", "responsible", self.responsible), ("联系电话：", "phone", self.phone),
                                    ("三包责任：", "duties", self.duties), ("责任书签订日期：", "signed_date", self.signed),
                                    ("备注：", "note", self.note)):
            form.addRow(label, e.block(name, widget))
        layout.addStretch(1)
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "保存", self.save))
        fit.scroll_body(self, keep=2)
        fit.fit_to_screen(self, QSize(640, 620))
        if holder_id:
            self._load(holders.get(holder_id))
        else:
            self.duties.setPlainText(holders.DUTIES)

    def _load(self, row) -> None:
        self.name.setText(row.name)
        self.kind.setCurrentText(row.kind)
        index = self.village.findData(row.village_id or "")
        self.village.setCurrentIndex(max(0, index))
        self.village.setEnabled(False)  # a holder does not move to another village
        self.address.setText(row.address)
        self.responsible.setText(row.responsible)
        self.phone.setText(row.phone)
        self.duties.setPlainText(row.duties)
        self.signed.set_value(row.signed_date)
        self.note.setPlainText(row.note)

    def values(self) -> dict:
        return {"name": self.name.text(), "kind": self.kind.currentText(), "village": self.village.currentData() or None,
                "address": self.address.text(), "responsible": self.responsible.text(), "phone": self.phone.text(),
                "duties": self.duties.toPlainText(), "signed_date": self.signed.value(),
                "note": self.note.toPlainText()}

    def save(self) -> bool:
        actor, values = self.session.actor, self.values()
        if self.holder_id:
            call = lambda: holders.update(actor, self.holder_id, values)  # noqa: E731
        else:
            call = lambda: holders.add(actor, values)  # noqa: E731
        ok, row = self.errors.submit(call, self.general)
        if ok:
            self.saved = row
            self.accept()
        return ok


class FrontagePage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.dialog = None
        self.rows: dict = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(self._top())
        self.table = plain_table(["名称", "类别", "村/社区", "地址", "责任人", "电话", "责任书", "近一年督查", "得分"],
                                 [150, 50, 80, 200, 70, 110, 96, 110, 50], 3)
        self.empty = EmptyState("还没有登记门前三包责任户。沿街商铺、住户和单位签订门前三包责任书后在这里登记，"
                                "定时巡查的结果记入各户的档案。", "登记第一个责任户…", self.add)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.empty)
        self.filler = QWidget()  # takes the table's room while the empty state shows
        self.filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.filler, 1)
        self.history_label = QLabel("选中一个责任户，这里显示它的督查记录。")
        layout.addWidget(self.history_label)
        self.history = plain_table(["督查日期", "类别", "长效机制", "督查人员", "问题"], [96, 110, 160, 200, 60], 3)
        layout.addWidget(self.history, 2)
        self.message = message_label()
        layout.addWidget(self.message)
        self.table.itemSelectionChanged.connect(self.show_history)
        self.table.doubleClicked.connect(lambda _i: self.edit())

    def _top(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("按名称、地址或拼音首字母查找")
        self.search.setClearButtonEnabled(True)
        self.village = village_combo("全部村/社区")
        row.addWidget(self.search, 1)
        row.addWidget(self.village)
        can = self.session.actor.can("edit_frontage") and not self.session.read_only
        self.add_button = QPushButton("登记责任户…")
        self.add_button.setProperty("primary", True)
        self.edit_button = QPushButton("修改…")
        self.inspect_button = QPushButton("登记巡查…")
        self.pdf_button = QPushButton("责任书 PDF")
        for button in (self.add_button, self.edit_button, self.inspect_button, self.pdf_button):
            row.addWidget(button)
        self.add_button.setEnabled(can)
        self.edit_button.setEnabled(can)
        self.inspect_button.setEnabled(self.session.actor.can("record_inspections") and not self.session.read_only)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.village.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_button.clicked.connect(lambda: self.add())
        self.edit_button.clicked.connect(lambda: self.edit())
        self.inspect_button.clicked.connect(lambda: self.inspect())
        self.pdf_button.clicked.connect(lambda: self.print_agreement())
        return row

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        current = selected_id(self.table)
        found = holders.rows(self.search.text(), self.village.currentData() or None)
        self.rows = {h.id: h for h in found}
        fill(self.table, [(h.id, [h.name, h.kind, h.village_name, h.address, h.responsible, h.phone_masked,
                                  h.signed_date or "未签订", f"{h.inspections} 次/{h.problems} 个问题" if h.problems else f"{h.inspections} 次",
                                  "" if h.score is None else h.score]) for h in found])
        anything = bool(found) or bool(self.search.text()) or bool(self.village.currentData())
        self.table.setVisible(anything)
        self.empty.setVisible(not anything)
        self.filler.setVisible(not anything)
        self.history_label.setVisible(anything)
        self.empty.button.setVisible(self.add_button.isEnabled())
        if current:
            select_id(self.table, current)
        self.show_history()

    def show_history(self) -> None:
        holder = self.rows.get(selected_id(self.table))
        self.history.setVisible(holder is not None)
        if holder is None:
            self.history_label.setText("选中一个责任户，这里显示它的督查记录。得分＝近一年督查中没有发现问题的次数占比。")
            return
        found = inspections.inspection_rows(holder_id=holder.id)
        self.history_label.setText(f"{holder.name}的督查记录（{len(found)} 次）" if found else
                                   f"{holder.name}还没有督查记录：点「登记巡查…」记下第一次巡查。")
        fill(self.history, [(i.id, [i.day, INSPECTION_KINDS.get(i.kind, i.kind), i.mechanism, i.inspectors,
                                    i.problems or "无"]) for i in found])

    def add(self) -> HolderDialog:
        return self._open(HolderDialog(self.session, None, self))

    def edit(self) -> HolderDialog | None:
        holder_id = selected_id(self.table)
        if not holder_id:
            show_message(self.message, "请先选中一个责任户。", ok=False)
            return None
        return self._open(HolderDialog(self.session, holder_id, self))

    def _open(self, dialog: HolderDialog) -> HolderDialog:
        def saved() -> None:
            self.refresh()
            holder_id = dialog.holder_id or dialog.saved.id
            select_id(self.table, holder_id)
            show_message(self.message, "已保存。")

        dialog.accepted.connect(saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def inspect(self) -> InspectionDialog | None:
        holder_id = selected_id(self.table)
        if not holder_id:
            show_message(self.message, "请先选中要巡查的责任户。", ok=False)
            return None
        dialog = InspectionDialog(self.session, self, target=("holder", holder_id))
        index = dialog.mechanism.findText("门前三包")
        if index >= 0:
            dialog.mechanism.setCurrentIndex(index)
        dialog.accepted.connect(self.refresh)
        self.dialog = dialog
        dialog.open()
        return dialog

    def print_agreement(self, path: str | None = None):
        holder = self.rows.get(selected_id(self.table))
        if holder is None:
            show_message(self.message, "请先选中一个责任户。", ok=False)
            return None
        actor, holder_id = self.session.actor, holder.id
        return save_pdf(self, "门前三包责任书", f"门前三包责任书 {holder.name}.pdf",
                        lambda target, ctx: reports.agreement_pdf(target, holder_id, actor=actor), path=path,
                        on_saved=lambda _p: show_message(self.message, f"已生成{holder.name}的门前三包责任书。"
                                                                      + ("" if holder.signed_date else
                                                                         "签订后请在「修改…」中填写签订日期。")))
