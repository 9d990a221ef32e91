"""未成年人 → 心理服务站 and 各村统计: the station's service records (a child's name, age and notes
only for 未成年人信息, loaded on asking so each viewing is logged; masked for everyone else) and
the counts by village that everyone may see."""

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
    QVBoxLayout,
    QWidget,
)

from civdesk.activities import minors
from civdesk.activities.terms import STATION_SERVICES, TARGET_GROUPS
from ui.activities.placements_tab import village_choices
from ui.activities.widgets import EmptyOr, EmptyState, fill, scrolling_body, table
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box

LOGGED = "服务记录里有儿童姓名：点「显示服务记录」查看，这次查看会记入审计日志。"


class ServiceDialog(QDialog):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.may_see = session.actor.can("view_minors")
        self.setWindowTitle("登记心理健康服务")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.village_combo = village_choices("（请选择村/社区）")
        self.day_edit = DateField(dt.date.today())
        self.day_edit.set_latest(dt.date.today())
        self.service_combo = QComboBox()
        self.service_combo.addItems(list(STATION_SERVICES))
        self.counsellor_edit, self.attendees_edit = QLineEdit(), QLineEdit()
        self.attendees_edit.setPlaceholderText("人数，默认 1")
        self.child_edit, self.age_edit, self.summary_edit = QLineEdit(), QLineEdit(), text_box(3)
        rows = [("村/社区：", "village_id", self.village_combo), ("日期：", "day", self.day_edit),
                ("服务类型：", "service", self.service_combo), ("辅导员：", "counsellor", self.counsellor_edit),
                ("服务人数：", "attendees", self.attendees_edit)]
        if self.may_see:
            rows += [("儿童姓名：", "child_name", self.child_edit), ("年龄：", "child_age", self.age_edit),
                     ("服务情况：", "summary", self.summary_edit)]
        for label, key, editor in rows:
            form.addRow(label, self.errors.block(key, editor))
        if not self.may_see:
            form.addRow("", QLabel("儿童姓名、年龄和服务情况只有「未成年人信息」权限的账号能登记。"))
        self.general_error = error_label()
        scrolling_body(self, body, [self.general_error, form_buttons(self, "登记", self.save)], 520)

    def save(self) -> bool:
        values = {"village_id": self.village_combo.currentData() or None, "day": self.day_edit.value(),
                  "service": self.service_combo.currentText(), "counsellor": self.counsellor_edit.text(),
                  "attendees": self.attendees_edit.text()}
        if self.may_see:
            values.update(child_name=self.child_edit.text(), child_age=self.age_edit.text(),
                          summary=self.summary_edit.toPlainText())
        ok, _ = self.errors.submit(lambda: minors.add_service(self.session.actor, values), self.general_error)
        if ok:
            self.accept()
        return ok


class StationPanel(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.may_see = session.actor.can("view_minors")
        self.can_edit = session.actor.can("edit_activities") and not session.read_only
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.logged_label = QLabel(LOGGED if self.may_see else "儿童姓名已隐去（需「未成年人信息」权限）。")
        self.logged_label.setStyleSheet("color: #8a6d00;" if self.may_see else "color: #555;")
        self.logged_label.setWordWrap(True)
        top.addWidget(self.logged_label, 1)
        self.show_button = QPushButton("显示服务记录")
        self.show_button.clicked.connect(lambda: self.load())
        self.show_button.setVisible(self.may_see)
        self.add_button = QPushButton("登记服务…")
        self.add_button.setEnabled(self.can_edit)
        self.add_button.clicked.connect(lambda: self.add())
        top.addWidget(self.show_button)
        top.addWidget(self.add_button)
        layout.addLayout(top)
        self.table = table(["日期", "村/社区", "服务类型", "辅导员", "儿童", "年龄", "人数", "服务情况"],
                           [96, 80, 100, 80, 70, 48, 48, 200], stretch=7)
        self.empty = EmptyState("还没有心理健康服务记录。每次个体或团体辅导、讲座、家访登记一次。", "登记服务…",
                                lambda: self.add(), self.can_edit)
        self.stack = EmptyOr(self.table, self.empty)
        layout.addWidget(self.stack, 1)
        self.message = message_label()
        layout.addWidget(self.message)
        self.loaded = False

    def refresh(self) -> None:
        """Masked rows load at once; rows with names only when asked (see :meth:`load`)."""
        if not self.may_see or self.loaded:
            self.load()
        else:
            self.table.setRowCount(0)
            self.stack.show_empty(False)

    def load(self) -> int:
        found = minors.services(self.session.actor)
        fill(self.table, [(s.id, [s.day, s.village, s.service, s.counsellor, s.child_name or "—",
                                  s.child_age or "", s.attendees, s.summary], "ok") for s in found])
        self.stack.show_empty(not found)
        self.loaded = True
        if self.may_see:
            show_message(self.message, f"已显示 {len(found)} 条服务记录；这次查看已记入审计日志。")
        return len(found)

    def add(self) -> ServiceDialog:
        dialog = ServiceDialog(self.session, self)
        dialog.finished.connect(lambda result: result and self.load())
        dialog.open()
        return dialog


class CountsPanel(QWidget):
    """Projects, children by target group and station services per village: counts only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.table = table(["村/社区", "项目", *TARGET_GROUPS, "服务次数", "服务人次"],
                           [120, 56, 80, 90, 100, 100, 72, 72], stretch=0)
        self.stack = EmptyOr(self.table, EmptyState("今年还没有关爱项目和心理服务记录，这里按村（社区）统计它们的数量。"))
        layout.addWidget(self.stack, 1)

    def refresh(self) -> None:
        counts = minors.counts(dt.date.today().year)
        rows = [(c.village, [c.village or "—", c.projects, *(c.children[g] for g in TARGET_GROUPS), c.services,
                             c.attendees], "ok") for c in counts]
        if rows:
            totals = [sum(r[1][i] for r in rows) for i in range(1, len(rows[0][1]))]
            rows.append(("合计", ["合计", *totals], "ok"))
        fill(self.table, rows, bold_last=bool(rows))
        self.stack.show_empty(not rows)
