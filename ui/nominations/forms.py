"""Forms of the 好人评选 board: the session (评选活动) with its categories, quotas, rubric and
dates; 初审 of one nomination (pass with the eligibility confirmation, or return with reasons); the
review committee."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.nominations import nominees as nominations
from civdesk.nominations import review
from civdesk.nominations.terms import METHODS, SESSION_KINDS
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.empty import empty_hint
from ui.widgets.fit import fit_to_screen, scroll_body
from ui.widgets.forms import form_buttons, text_box
from ui.widgets.table_editor import TableEditor
from ui.widgets.tables import current_id, set_row, simple_table


class SessionDialog(QDialog):
    def __init__(self, session: Session, session_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session, self.session_id, self.saved_id = session, session_id, ""
        self.setWindowTitle("修改评选活动" if session_id else "新建评选活动")
        self.setMinimumWidth(640)
        self.errors = FieldErrors()
        record = nominations.get_session(session_id) if session_id else None
        start = nominations.defaults()
        form = QFormLayout()
        self.name_edit = QLineEdit(record.name if record else "")
        self.name_edit.setPlaceholderText("如：清溪镇2026年第4季度身边好人评选")
        self.kind_combo = QComboBox()
        for key, text in SESSION_KINDS.items():
            self.kind_combo.addItem(text, key)
        self.period_edit = QLineEdit(record.period if record else "")
        self.period_edit.setPlaceholderText("如：2026年11月、2026年第4季度、第5届")
        self.method_combo = QComboBox()
        for key, text in METHODS.items():
            self.method_combo.addItem(text, key)
        categories = record.category_list if record else start["categories"]
        quotas = record.quota_map if record else start["quotas"]
        # Tables, not syntax: a category and its quota a row; a rubric item and its weight a row.
        self.categories_edit = TableEditor("推荐类别", "名额", unit=" 名")
        self.categories_edit.set_pairs([(c, quotas.get(c, 1)) for c in categories])
        self.quotas_edit = self.categories_edit  # one table holds both
        self.rubric_edit = TableEditor("评分项", "权重", total=100)
        self.rubric_edit.set_pairs(record.rubric_items if record else start["rubric"])
        self.pass_edit = QLineEdit(record.pass_fraction if record else "1/2")
        self.dates = {key: DateField(getattr(record, key) if record else None, optional=True)
                      for key, _ in nominations._DATE_FIELDS}
        self.note_edit = text_box(3)
        form.addRow("活动名称：", self.errors.block("name", self.name_edit))
        form.addRow("类型：", self.errors.block("kind", self.kind_combo))
        form.addRow("期次：", self.errors.block("period", self.period_edit))
        form.addRow("评议方式：", self.errors.block("method", self.method_combo))
        categories_box = self.errors.block("categories", self.categories_edit)
        quota_error = error_label()
        categories_box.layout().addWidget(quota_error)
        self.errors.add("quotas", quota_error)
        form.addRow("推荐类别和名额：", categories_box)
        form.addRow("评分细则：", self.errors.block("rubric", self.rubric_edit, "权重合计 100；评委每项按百分制打分"))
        form.addRow("投票通过线：", self.errors.block("pass_fraction", self.pass_edit,
                                                     "投票方式：赞成票须超过应投票委员（回避者除外）的这一比例，如 1/2、2/3"))
        for key, label in nominations._DATE_FIELDS:
            form.addRow(f"{label}：", self.errors.block(key, self.dates[key]))
        form.addRow("备注：", self.note_edit)
        self._show_record(record)
        self.general = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "保存" if record else "新建", self.save))
        scroll_body(self, keep=2)
        fit_to_screen(self)

    def _show_record(self, record) -> None:
        if record is None:
            self.kind_combo.setCurrentIndex(1)
            return
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(record.kind))
        self.method_combo.setCurrentIndex(self.method_combo.findData(record.method))
        self.note_edit.setPlainText(record.note)
        if record.phase not in ("recommend", "check"):  # the rules are fixed once 评议 began
            for widget in (self.method_combo, self.categories_edit, self.rubric_edit, self.pass_edit):
                widget.setEnabled(False)

    def values(self) -> dict:
        values = {"name": self.name_edit.text(), "kind": self.kind_combo.currentData(),
                  "period": self.period_edit.text(), "note": self.note_edit.toPlainText(),
                  **{key: field.value() for key, field in self.dates.items()}}
        if self.rubric_edit.isEnabled():
            values.update(method=self.method_combo.currentData(),
                          categories=self.categories_edit.text(with_numbers=False),
                          quotas=self.categories_edit.text(), rubric=self.rubric_edit.text(),
                          pass_fraction=self.pass_edit.text())
        return values

    def save(self) -> bool:
        actor = self.session.actor
        if self.session_id:
            call = lambda: (nominations.update_session(actor, self.session_id, self.values()), self.session_id)[1]  # noqa: E731
        else:
            call = lambda: nominations.create_session(actor, self.values()).id  # noqa: E731
        ok, self.saved_id = self.errors.submit(call, self.general)
        if ok:
            self.accept()
        return ok


class CheckDialog(QDialog):
    """初审 of one nomination: what is missing, the eligibility confirmation, pass or return."""

    def __init__(self, session: Session, nomination_id: str, returning: bool, parent=None):
        super().__init__(parent)
        self.session, self.nomination_id, self.returning = session, nomination_id, returning
        row = nominations.get(nomination_id)
        name = nominations.nominee_name(row)
        self.setWindowTitle(f"{'退回' if returning else '初审'}：{name}")
        self.setMinimumWidth(540)
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        problems = nominations.completeness(row)
        text = ("材料检查：齐全（事迹字数、一句话事迹、照片、推荐人、身份证号码）。" if not problems
                else "材料检查发现：\n· " + "\n· ".join(problems))
        found = QLabel(text)
        found.setWordWrap(True)
        found.setStyleSheet("color: #1e8449;" if not problems else "color: #a93226;")
        layout.addWidget(found)
        if returning:
            self.reasons = text_box(4)
            self.reasons.setPlainText("；".join(problems))
            self.reasons.setPlaceholderText("写明退回原因，推荐人据此修改")
            layout.addWidget(QLabel("退回原因："))
            layout.addWidget(self.errors.block("reasons", self.reasons))
        else:
            self.eligible = QCheckBox("经核实，符合推荐条件：无违法犯罪和失信记录，事迹真实")
            layout.addWidget(self.errors.block("eligible", self.eligible))
            self.errors.add("check", error_label())
            layout.addWidget(self.errors.labels["check"])
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "退回" if returning else "初审通过", self.save))

    def save(self) -> bool:
        actor = self.session.actor
        if self.returning:
            call = lambda: nominations.return_nomination(actor, self.nomination_id, self.reasons.toPlainText())  # noqa: E731
        else:
            call = lambda: nominations.pass_check(actor, self.nomination_id, eligible=self.eligible.isChecked())  # noqa: E731
        ok, _ = self.errors.submit(call, self.general)
        if ok:
            self.accept()
        return ok


class MembersTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session, self.session_id = session, ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(QLabel("评议委员是人，不是账号：他们在纸质评分表上打分，由录入员或审核人代为录入，系统记录是谁录入的。"))
        self.table = simple_table(["姓名", "单位", "职务"])
        self.table.setColumnWidth(0, 120)
        self.table.setColumnWidth(1, 260)
        layout.addWidget(self.table, 1)
        empty_hint(self.table, "还没有评议委员。在下面填写委员的姓名、单位和职务，点「加入评议委员会」；"
                               "评议时按他们交来的纸质评分表录入分数。")
        add = QHBoxLayout()
        self.name_edit, self.unit_edit = QLineEdit(), QLineEdit()
        self.name_edit.setPlaceholderText("姓名")
        self.unit_edit.setPlaceholderText("单位")
        self.duty_combo = QComboBox()
        self.duty_combo.setEditable(True)
        self.duty_combo.addItems(["委员", "主任", "副主任"])
        self.add_button = QPushButton("加入评议委员会")
        self.remove_button = QPushButton("移出所选")
        for widget in (self.name_edit, self.unit_edit, self.duty_combo, self.add_button, self.remove_button):
            add.addWidget(widget)
        layout.addLayout(add)
        self.message = message_label()
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add)
        self.name_edit.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove)

    def show_session(self, session_id: str) -> None:
        self.session_id = session_id
        members = review.members(session_id)
        self.table.setRowCount(len(members))
        for r, m in enumerate(members):
            set_row(self.table, r, [m.name, m.unit, m.duty], m.id)
        open_ = nominations.get_session(session_id).phase in ("recommend", "check")
        can = open_ and self.session.actor.can("manage_nomination_sessions") and not self.session.read_only
        for widget in (self.name_edit, self.unit_edit, self.duty_combo, self.add_button, self.remove_button):
            widget.setEnabled(can)

    def add(self) -> bool:
        try:
            review.add_member(self.session.actor, self.session_id, self.name_edit.text(), self.unit_edit.text(),
                              self.duty_combo.currentText())
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        show_message(self.message, f"已把 {self.name_edit.text().strip()} 加入评议委员会。")
        self.name_edit.clear()
        self.show_session(self.session_id)
        return True

    def remove(self) -> bool:
        member_id = current_id(self.table)
        if not member_id:
            return False
        try:
            review.remove_member(self.session.actor, member_id)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.show_session(self.session_id)
        return True
