"""The small dialogs of a ticket's steps, each calling one ``flow`` function: 派单, 签收, 办理记录
(with photos), 答复, 回访, 办结, 退单, 延期 and its approval, 合并到…. A refusal is shown under
the field it is about, or under the form; nothing is written then."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from civdesk.core.validation import ValidationError
from civdesk.hotline import departments, flow, tickets
from civdesk.hotline import files as ticket_files
from civdesk.hotline.terms import VISIT_RESULTS
from ui.hotline.common import StepDialog
from ui.widgets.forms import text_box


class DispatchDialog(StepDialog):
    def __init__(self, actor, row, parent=None):
        super().__init__(f"派单 — {row.number}", "派给工单所属的村/社区，或选择承办部门（如 镇城管中队）。"
                         "签收和办理期限从派单时间起按工作日计算。", "派单", parent)
        self.actor, self.row = actor, row
        self.target_combo = QComboBox()
        if row.village:
            self.target_combo.addItem(f"所属村/社区：{row.village}", "village")
        self.target_combo.addItem("承办部门", "department")
        self.department_combo = QComboBox()
        self.department_combo.addItems(departments.names())
        self.department_combo.setToolTip("承办单位名单由系统管理员在 设置 → 参数 → 热线工单 中维护")
        self.note_edit = text_box(2)
        self.add_row("派给", "assignee", self.target_combo)
        self.add_row("承办部门", "department", self.department_combo,
                     "" if self.department_combo.count() else "承办单位名单是空的，请系统管理员在 设置 → 参数 中添加")
        self.add_row("派单说明", "note", self.note_edit)
        self.add_time("派单时间")
        self.target_combo.currentIndexChanged.connect(lambda _i: self._target_changed())
        self._target_changed()

    def _target_changed(self) -> None:
        self.department_combo.setEnabled(self.target_combo.currentData() == "department")

    def call(self):
        department = self.department_combo.currentText() if self.target_combo.currentData() == "department" else ""
        if self.target_combo.currentData() == "department" and not department.strip():
            raise ValidationError({"department": "请选择承办部门"})
        return flow.dispatch(self.actor, self.row.id, department=department, note=self.note_edit.toPlainText(),
                             at=self.time_edit.text())


class SignDialog(StepDialog):
    def __init__(self, actor, row, parent=None):
        super().__init__(f"签收 — {row.number}", f"签收后开始办理；办理期限 {row.handle_due}。", "签收", parent)
        self.actor, self.row = actor, row
        self.note_edit = QLineEdit()
        self.add_row("说明", "note", self.note_edit)
        self.add_time("签收时间")

    def call(self):
        return flow.sign(self.actor, self.row.id, note=self.note_edit.text(), at=self.time_edit.text())


class NoteDialog(StepDialog):
    """办理记录 with photos of the spot and of the result."""

    def __init__(self, actor, row, parent=None):
        super().__init__(f"办理记录 — {row.number}", "记下做了什么：到现场查看、联系了谁、怎么处理的；可附照片。",
                         "保存记录", parent, 560)
        self.actor, self.row = actor, row
        self.photos: list[tuple[str, bytes]] = []
        self.note_edit = text_box(4)
        self.add_row("办理情况", "note", self.note_edit)
        box = QWidget()
        line = QHBoxLayout(box)
        line.setContentsMargins(0, 0, 0, 0)
        self.photos_label = QLabel("（无）")
        self.photos_label.setWordWrap(True)
        add = QPushButton("添加照片…")
        add.clicked.connect(lambda: self.add_photos())
        line.addWidget(self.photos_label, 1)
        line.addWidget(add)
        self.add_row("照片", "attachments", box, "JPG、PNG 或 PDF")
        self.add_time("办理时间")

    def add_photos(self, paths: list[str] | None = None) -> None:
        if paths is None:
            from ui.hotline.form import pick_files

            paths = pick_files(self, "添加照片")
        try:
            self.photos += [ticket_files.read(p) for p in paths]
        except ValidationError as exc:
            self.errors.show(exc.errors)
        self.photos_label.setText("、".join(name for name, _ in self.photos) or "（无）")

    def call(self):
        return flow.add_note(self.actor, self.row.id, self.note_edit.toPlainText(), photos=self.photos,
                             at=self.time_edit.text())


class ReplyDialog(StepDialog):
    def __init__(self, actor, row, parent=None):
        super().__init__(f"答复 — {row.number}", "答复来电人的内容（怎么解决的、结果如何）。答复后由镇文明办回访。",
                         "答复", parent, 560)
        self.actor, self.row = actor, row
        self.reply_edit = text_box(5)
        self.add_row("答复内容", "reply", self.reply_edit)
        self.add_time("答复时间")

    def call(self):
        return flow.reply(self.actor, self.row.id, self.reply_edit.toPlainText(), at=self.time_edit.text())


class ReturnDialog(StepDialog):
    def __init__(self, actor, row, parent=None):
        super().__init__(f"退单 — {row.number}", "不属于本单位办理的工单退回镇文明办重新派单，请写明理由。",
                         "退单", parent)
        self.actor, self.row = actor, row
        self.reason_edit = text_box(3)
        self.add_row("退单理由", "reason", self.reason_edit)
        self.add_time("退单时间")

    def call(self):
        return flow.return_ticket(self.actor, self.row.id, self.reason_edit.toPlainText(), at=self.time_edit.text())


class VisitDialog(StepDialog):
    """回访: 满意 / 基本满意 / 不满意; 「因办理不到位，重办」 only for 不满意."""

    def __init__(self, actor, row, parent=None):
        super().__init__(f"回访 — {row.number}", "电话回访来电人，记录对答复和办理结果的评价。", "保存回访", parent)
        self.actor, self.row = actor, row
        box = QWidget()
        line = QHBoxLayout(box)
        line.setContentsMargins(0, 0, 0, 0)
        self.result_group = QButtonGroup(self)
        self.result_buttons: dict[str, QRadioButton] = {}
        for result in VISIT_RESULTS:
            button = QRadioButton(result)
            self.result_group.addButton(button)
            self.result_buttons[result] = button
            line.addWidget(button)
            button.toggled.connect(lambda _on: self._result_changed())
        line.addStretch(1)
        self.note_edit = text_box(3)
        self.redo_check = QCheckBox("因办理不到位，重办")
        self.redo_check.setToolTip("只有“不满意”且原因在办理的，才重新办理；其他原因的不满意写明情况后办结。")
        self.add_row("回访结果", "result", box)
        self.add_row("回访情况", "note", self.note_edit)
        self.add_row("", "redo", self.redo_check, "重办：工单回到承办单位，重新计算办理期限")
        self.add_time("回访时间")
        self._result_changed()

    def result(self) -> str:
        return next((r for r, b in self.result_buttons.items() if b.isChecked()), "")

    def _result_changed(self) -> None:
        unhappy = self.result() == "不满意"
        self.redo_check.setEnabled(unhappy)
        if not unhappy:
            self.redo_check.setChecked(False)

    def call(self):
        if not self.result():
            raise ValidationError({"result": "请选择回访结果"})
        return flow.visit(self.actor, self.row.id, self.result(), note=self.note_edit.toPlainText(),
                          handling_at_fault=self.redo_check.isChecked(), at=self.time_edit.text())


class CloseDialog(StepDialog):
    def __init__(self, actor, row, parent=None):
        super().__init__(f"办结 — {row.number}", f"回访结果：{row.visit_result or '（无）'}。办结后工单不再计入未办结。",
                         "办结", parent)
        self.actor, self.row = actor, row
        self.note_edit = QLineEdit()
        self.add_row("说明", "note", self.note_edit)
        self.add_time("办结时间")

    def call(self):
        return flow.close(self.actor, self.row.id, note=self.note_edit.text(), at=self.time_edit.text())


class ExtensionDialog(StepDialog):
    def __init__(self, actor, row, parent=None):
        super().__init__(f"申请延期 — {row.number}", f"办理期限 {row.handle_due}；期限前申请，由审核人批准。", "提交申请",
                         parent)
        self.actor, self.row = actor, row
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 30)
        self.days_spin.setValue(5)
        self.days_spin.setSuffix(" 个工作日")
        self.reason_edit = text_box(3)
        self.add_row("延长", "days", self.days_spin)
        self.add_row("延期理由", "reason", self.reason_edit)
        self.add_time("申请时间")

    def call(self):
        return flow.request_extension(self.actor, self.row.id, self.days_spin.value(),
                                      self.reason_edit.toPlainText(), at=self.time_edit.text())


class DecideDialog(StepDialog):
    def __init__(self, actor, extension, number: str, parent=None):
        super().__init__(f"审批延期 — {number}", f"申请延长 {extension.days} 个工作日：{extension.old_due} → "
                         f"{extension.new_due}。理由：{extension.reason}", "保存审批", parent)
        self.actor, self.extension = actor, extension
        self.approve_combo = QComboBox()
        self.approve_combo.addItem("批准", True)
        self.approve_combo.addItem("不批准", False)
        self.note_edit = text_box(2)
        self.add_row("审批", "approve", self.approve_combo)
        self.add_row("审批意见", "note", self.note_edit)
        self.add_time("审批时间")

    def call(self):
        return flow.decide_extension(self.actor, self.extension.id, bool(self.approve_combo.currentData()),
                                     note=self.note_edit.toPlainText(), at=self.time_edit.text())


class MergeDialog(StepDialog):
    """合并到…: this ticket joins another one (both numbers stay, one flow goes on)."""

    def __init__(self, actor, row, parent=None):
        super().__init__(f"合并到… — {row.number}", "确属同一件事的重复来电，合并后两个编号都保留，只在保留的工单上继续办理。",
                         "合并", parent)
        self.actor, self.row = actor, row
        self.target_combo = QComboBox()
        self.target_combo.setEditable(True)
        self.target_combo.lineEdit().setPlaceholderText("选择或输入要保留的工单编号")
        for hint in tickets.possible_duplicates("", row.address, row.category, row.received_at, exclude_id=row.id):
            self.target_combo.addItem(f"{hint.number}（{hint.reason}，{hint.state}）", hint.number)
        self.target_combo.setCurrentIndex(0 if self.target_combo.count() else -1)
        self.reason_edit = QLineEdit("重复来电")
        self.add_row("合并到", "other", self.target_combo)
        self.add_row("理由", "reason", self.reason_edit)

    def call(self):
        text = self.target_combo.currentText().split("（")[0].strip()
        if not text:
            raise ValidationError({"other": "请选择或输入要保留的工单编号"})
        keep = tickets.by_number(text)
        return tickets.merge(self.actor, keep.id, self.row.id, self.reason_edit.text())
