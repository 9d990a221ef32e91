"""未成年人: the care projects with their counts for everyone. Children's names only for an account
with 未成年人信息, and only after a line saying the viewing is written to the audit log; the
one report with names likewise."""

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.activities import minors, minors_report
from civdesk.activities.terms import TARGET_GROUPS
from ui.activities.minors_station import CountsPanel, StationPanel
from ui.activities.placements_tab import village_choices
from ui.activities.widgets import EmptyOr, EmptyState, current_id, fill, scrolling_body, table
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.navigation import notice_label
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box
from ui.widgets.pdf_save import save_pdf

PROTECTED = "受助儿童的个人信息受保护：这里对所有人显示项目和人数，只有有「未成年人信息」权限的账号能查看姓名。"
LOGGED = "查看受助儿童名单会记入审计日志（谁、何时、看了哪个项目）。"


class ProjectDialog(QDialog):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session, self.saved_id = session, ""
        self.setWindowTitle("新建关爱项目")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.village_combo = village_choices("（请选择村/社区）")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如「留守儿童四点半课堂」")
        self.group_combo = QComboBox()
        self.group_combo.addItems(list(TARGET_GROUPS))
        self.helpers_edit = QLineEdit()
        self.done_edit = text_box(3)
        self.start_edit = DateField(dt.date.today())
        self.end_edit = DateField(optional=True)
        for label, key, editor in (("村/社区：", "village_id", self.village_combo), ("项目名称：", "name", self.name_edit),
                                   ("关爱对象：", "target_group", self.group_combo),
                                   ("帮扶人员：", "helpers", self.helpers_edit), ("实施内容：", "done", self.done_edit),
                                   ("开始日期：", "start_date", self.start_edit), ("结束日期：", "end_date", self.end_edit)):
            form.addRow(label, self.errors.block(key, editor))
        self.general_error = error_label()
        scrolling_body(self, body, [self.general_error, form_buttons(self, "新建", self.save)], 560)

    def save(self) -> bool:
        values = {"village_id": self.village_combo.currentData() or None, "name": self.name_edit.text(),
                  "target_group": self.group_combo.currentText(), "helpers": self.helpers_edit.text(),
                  "done": self.done_edit.toPlainText(), "start_date": self.start_edit.value(),
                  "end_date": self.end_edit.value()}
        ok, self.saved_id = self.errors.submit(lambda: minors.create_project(self.session.actor, values).id,
                                               self.general_error)
        if ok:
            self.accept()
        return ok


class ChildDialog(QDialog):
    def __init__(self, session: Session, project: minors.ProjectRow, parent=None):
        super().__init__(parent)
        self.session, self.project = session, project
        self.setWindowTitle(f"{project.name}：登记受助儿童")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits = {key: QLineEdit() for key in ("name", "birth_year", "school", "guardian")}
        self.sex_combo = QComboBox()
        self.sex_combo.addItems(["", "男", "女"])
        self.help_edit = text_box(3)
        for label, key, editor in (("姓名：", "name", self.edits["name"]), ("性别：", "sex", self.sex_combo),
                                   ("出生年份：", "birth_year", self.edits["birth_year"]),
                                   ("学校：", "school", self.edits["school"]),
                                   ("监护人：", "guardian", self.edits["guardian"]),
                                   ("帮扶情况：", "help_given", self.help_edit)):
            form.addRow(label, self.errors.block(key, editor))
        self.general_error = error_label()
        scrolling_body(self, body, [self.general_error, form_buttons(self, "登记", self.save)], 520)

    def save(self) -> bool:
        values = {key: edit.text() for key, edit in self.edits.items()}
        values.update(sex=self.sex_combo.currentText(), help_given=self.help_edit.toPlainText())
        ok, _ = self.errors.submit(lambda: minors.add_child(self.session.actor, self.project.id, values),
                                   self.general_error)
        if ok:
            self.accept()
        return ok


class MinorsTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        actor = session.actor
        self.can_edit = actor.can("edit_activities") and not session.read_only
        self.may_see = actor.can("view_minors")
        self.rows: list[minors.ProjectRow] = []
        outer = QVBoxLayout(self)
        outer.addWidget(notice_label(PROTECTED))
        self.inner = QTabWidget()
        projects = QWidget()
        self.station = StationPanel(session)
        self.counts = CountsPanel()
        self.inner.addTab(projects, "关爱项目")
        self.inner.addTab(self.station, "心理服务站")
        self.inner.addTab(self.counts, "各村统计（今年）")
        self.inner.currentChanged.connect(lambda _i: self.refresh())
        outer.addWidget(self.inner, 1)
        layout = QVBoxLayout(projects)
        layout.addLayout(self._top_bar())
        self.table = table(["村/社区", "项目", "关爱对象", "帮扶人员", "开始", "结束", "受助儿童"],
                           [80, 220, 100, 150, 90, 90, 70], stretch=1)
        self.table.currentCellChanged.connect(lambda *_a: self._project_chosen())
        self.empty = EmptyState("还没有关爱项目。为留守儿童、农民工子女、贫困家庭子女、单亲家庭子女办的好事实事，"
                                "每个项目登记一次。", "新建关爱项目…", lambda: self.add_project(), self.can_edit)
        self.stack = EmptyOr(self.table, self.empty)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._children_box())
        self.message = message_label()
        layout.addWidget(self.message)

    def _top_bar(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.addStretch(1)
        self.add_button = QPushButton("新建关爱项目…")
        self.add_button.setProperty("primary", True)
        self.add_button.setEnabled(self.can_edit)
        self.add_button.clicked.connect(lambda: self.add_project())
        top.addWidget(self.add_button)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1950, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.year_spin.setSuffix(" 年")
        self.report_button = QPushButton("未成年人关爱报告 PDF")
        self.report_button.clicked.connect(lambda: self.save_report())
        if self.may_see and self.session.actor.can("export_data"):
            top.addWidget(self.year_spin)
            top.addWidget(self.report_button)
        else:
            self.year_spin.hide()
            self.report_button.hide()
        return top

    def _children_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.children_table = None
        if not self.may_see:
            self.hidden_label = QLabel("儿童姓名需要「未成年人信息」权限；这里只显示每个项目的受助人数。")
            self.hidden_label.setStyleSheet("color: #555;")
            layout.addWidget(self.hidden_label)
            return box
        row = QHBoxLayout()
        self.logged_label = QLabel(LOGGED)
        self.logged_label.setStyleSheet("color: #8a6d00;")
        self.show_button = QPushButton("查看受助儿童名单")
        self.add_child_button = QPushButton("登记受助儿童…")
        self.add_child_button.setEnabled(self.can_edit)
        self.show_button.clicked.connect(lambda: self.show_children())
        self.add_child_button.clicked.connect(lambda: self.add_child())
        row.addWidget(self.logged_label, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.add_child_button)
        layout.addLayout(row)
        self.children_table = table(["姓名", "性别", "出生年份", "学校", "监护人", "帮扶情况"],
                                    [80, 48, 72, 150, 90, 200], stretch=5)
        self.children_table.setFixedHeight(150)
        self.children_table.hide()
        layout.addWidget(self.children_table)
        return box

    def refresh(self) -> None:
        if self.inner.currentWidget() is not self.inner.widget(0):
            self.inner.currentWidget().refresh()
            return
        self.rows = minors.projects()
        fill(self.table, [(p.id, [p.village, p.name, p.target_group, p.helpers, p.start_date, p.end_date or "进行中",
                                  p.children], "ok") for p in self.rows])
        self.stack.show_empty(not self.rows)
        self._project_chosen()

    def current(self) -> minors.ProjectRow | None:
        row_id = current_id(self.table)
        return next((p for p in self.rows if p.id == row_id), None)

    def _project_chosen(self) -> None:
        if self.children_table is None:
            return
        self.children_table.hide()  # names again only on asking, so every viewing is logged
        has = self.current() is not None
        self.show_button.setEnabled(has)
        self.add_child_button.setEnabled(has and self.can_edit)

    def show_children(self) -> int:
        project = self.current()
        if project is None or self.children_table is None:
            return 0
        found = minors.children(self.session.actor, project.id)
        fill(self.children_table, [(c.id, [c.name, c.sex, c.birth_year or "", c.school, c.guardian, c.help_given],
                                    "ok") for c in found])
        self.children_table.show()
        show_message(self.message, f"已显示「{project.name}」的 {len(found)} 名受助儿童；这次查看已记入审计日志。")
        return len(found)

    def add_project(self) -> ProjectDialog:
        dialog = ProjectDialog(self.session, self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def add_child(self) -> ChildDialog | None:
        project = self.current()
        if project is None:
            return None
        dialog = ChildDialog(self.session, project, self)
        dialog.finished.connect(lambda result: result and (self.refresh(), self.show_children()))
        dialog.open()
        return dialog

    def save_report(self):
        year, actor = self.year_spin.value(), self.session.actor
        return save_pdf(self, "未成年人关爱工作报告", f"{year}年未成年人关爱工作情况.pdf",
                        lambda path, ctx: minors_report.minors_report_pdf(path, year, actor, progress=ctx.progress,
                                                                          cancelled=lambda: ctx.cancelled))
