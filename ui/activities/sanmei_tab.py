"""「三美」示范村: the villages with a plan, the year's evaluation of 风尚新美、环境秀美、生活富美,
and naming as 示范村 once every aspect reaches the pass score."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from civdesk.activities import sanmei
from civdesk.activities.terms import SANMEI_ASPECTS
from ui.activities.placements_tab import village_choices
from ui.activities.widgets import EmptyOr, EmptyState, current_id, fill, scrolling_body, table
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box


def year_box(value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(1950, dt.date.today().year + 1)
    spin.setValue(value)
    spin.setSuffix(" 年")
    return spin


class SanmeiDialog(QDialog):
    """One of three small forms: the plan, the year's evaluation, or the naming."""

    def __init__(self, session: Session, what: str, year: int, village_id: str = "", parent=None):
        super().__init__(parent)
        self.session, self.what, self.year = session, what, year
        self.setWindowTitle({"plan": "三美示范村创建方案", "evaluate": f"{year} 年度三美测评",
                             "name": "命名三美示范村"}[what])
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.village_combo = village_choices("（请选择村/社区）")
        index = self.village_combo.findData(village_id)
        if index >= 0:
            self.village_combo.setCurrentIndex(index)
        form.addRow("村/社区：", self.errors.block("village_id", self.village_combo))
        self.year_spin = year_box(year)
        self.plan_edit = text_box(6)
        self.score_edits = {key: QLineEdit() for key in SANMEI_ASPECTS}
        self.day_edit = DateField(dt.date.today())
        self.note_edit = text_box(2)
        if what == "plan":
            form.addRow("方案年度：", self.errors.block("plan_year", self.year_spin))
            form.addRow("创建方案：", self.errors.block("plan", self.plan_edit, "风尚新美、环境秀美、生活富美各做什么"))
        elif what == "evaluate":
            for key, label in SANMEI_ASPECTS.items():
                self.score_edits[key].setPlaceholderText("0–100 分")
                form.addRow(f"{label}：", self.errors.block(key, self.score_edits[key]))
            form.addRow("测评日期：", self.errors.block("evaluated_on", self.day_edit))
            form.addRow("说明：", self.errors.block("note", self.note_edit))
        else:
            form.addRow("依据测评：", self.errors.block("plan_year", self.year_spin,
                                                    f"每项达到 {sanmei.pass_score()} 分的年度测评"))
            form.addRow("命名日期：", self.errors.block("named_on", self.day_edit))
            form.addRow("命名文件：", self.errors.block("decision", self.note_edit, "如文号"))
        self.general_error = error_label()
        ok_text = {"plan": "保存方案", "evaluate": "保存测评", "name": "命名"}[what]
        scrolling_body(self, body, [self.general_error, form_buttons(self, ok_text, self.save)], 560)

    def _call(self):
        actor, village = self.session.actor, self.village_combo.currentData() or None
        if self.what == "plan":
            return sanmei.set_plan(actor, village, self.plan_edit.toPlainText(), self.year_spin.value())
        if self.what == "evaluate":
            scores = {key: edit.text() for key, edit in self.score_edits.items()}
            return sanmei.evaluate(actor, village, self.year, scores, self.day_edit.value(),
                                   self.note_edit.toPlainText())
        return sanmei.name_model_village(actor, village, self.year_spin.value(), self.day_edit.value(),
                                         self.note_edit.toPlainText())

    def save(self) -> bool:
        ok, _ = self.errors.submit(self._call, self.general_error)
        if ok:
            self.accept()
        return ok


class SanmeiTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        actor, ro = session.actor, session.read_only
        self.can_edit = actor.can("edit_activities") and not ro
        self.can_name = actor.can("name_sanmei") and not ro
        self.rows: list[sanmei.SanmeiRow] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("测评年度"))
        self.year_spin = year_box(dt.date.today().year)
        self.year_spin.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(self.year_spin)
        top.addStretch(1)
        self.plan_button = QPushButton("登记创建方案…")
        self.plan_button.setProperty("primary", True)
        self.evaluate_button = QPushButton("年度测评…")
        self.name_button = QPushButton("命名示范村…")
        for button, what in ((self.plan_button, "plan"), (self.evaluate_button, "evaluate"), (self.name_button, "name")):
            button.clicked.connect(lambda _c=False, w=what: self.open_form(w))
            top.addWidget(button)
        self.plan_button.setEnabled(self.can_edit)
        self.evaluate_button.setVisible(actor.can("name_sanmei"))
        self.name_button.setVisible(actor.can("name_sanmei"))
        layout.addLayout(top)
        headers = ["村/社区", "方案年度", "创建方案", *SANMEI_ASPECTS.values(), "命名日期"]
        self.table = table(headers, [90, 72, 300, 72, 72, 72, 110], stretch=2)
        self.empty = EmptyState("还没有村（社区）创建三美示范村。先登记一个村的创建方案，年底测评三个方面，"
                                f"每项达到 {sanmei.pass_score()} 分后命名。", "登记创建方案…",
                                lambda: self.open_form("plan"), self.can_edit)
        self.stack = EmptyOr(self.table, self.empty)
        layout.addWidget(self.stack, 1)
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.can_edit and self.open_form("plan"))
        self.message = message_label()
        layout.addWidget(self.message)

    def refresh(self) -> None:
        self.rows = sanmei.villages_status(self.year_spin.value())
        shown = []
        for r in self.rows:
            scores = [r.scores[label] if r.scores else "未测评" for label in SANMEI_ASPECTS.values()]
            named = r.named_on or ("可以命名" if r.passed else "未命名")
            shown.append((r.village_id, [r.village, r.plan_year or "", r.plan, *scores, named], r.colour))
        fill(self.table, shown)
        self.stack.show_empty(not self.rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = next((r for r in self.rows if r.village_id == current_id(self.table)), None)
        self.evaluate_button.setEnabled(self.can_name and bool(self.rows))
        self.name_button.setEnabled(self.can_name and row is not None and row.passed and not row.named_on)

    def open_form(self, what: str) -> SanmeiDialog:
        dialog = SanmeiDialog(self.session, what, self.year_spin.value(), current_id(self.table), self)
        row = next((r for r in self.rows if r.village_id == current_id(self.table)), None)
        if what == "plan" and row is not None:  # the selected village's plan, to revise
            dialog.plan_edit.setPlainText(row.plan)
            dialog.year_spin.setValue(row.plan_year or self.year_spin.value())
        dialog.finished.connect(lambda result: result and (self.refresh(), show_message(self.message, "已保存。")))
        dialog.open()
        return dialog
