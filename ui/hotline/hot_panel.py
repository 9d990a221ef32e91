"""热点问题 and 现场办公会: the month's hot issues (the same category in the same village at
least N times), the 现场办公会 that closes one (attendees, decisions as tasks with owners and
deadlines, its tickets linked) and the tasks' completion."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.hotline import board, hot
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.hotline.common import bold, month_combo, scrolling_layout
from ui.list_model import Column, RowsSource, rows_view
from ui.session import Session
from ui.widgets import fit
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box

EMPTY_TEXT = ("同一村（社区）同一类别的工单一个月内达到 {n} 件，就是热点问题，会列在这里；"
              "召开现场办公会后在这里登记会议决定和责任人，闭环销号。这个月还没有热点问题。")


class MeetingDialog(QDialog):
    """登记现场办公会 on one hot issue; ``result_value`` is the meeting on success."""

    def __init__(self, actor, issue: hot.HotIssue, parent=None):
        super().__init__(parent)
        self.body, self.footer, self.scroll = scrolling_layout(self, f"现场办公会 — {issue.village}{issue.category}")
        self.actor, self.issue = actor, issue
        self.errors = FieldErrors()
        self.result_value = None
        year, month = issue.month.split("-")
        self.body.addWidget(QLabel(f"{year}年{int(month)}月 {issue.village}「{issue.category}」{issue.count} 件，"
                                   f"关联工单：{'、'.join(issue.numbers)}"))
        self.body.itemAt(0).widget().setWordWrap(True)
        form = QFormLayout()
        self.date_field = DateField(dt.date.today())
        self.date_field.set_latest(dt.date.today())
        self.place_edit = QLineEdit()
        self.attendees_edit = text_box(2)
        self.summary_edit = text_box(3)
        form.addRow("会议日期", self.errors.block("held_on", self.date_field))
        form.addRow("地点", self.errors.block("place", self.place_edit))
        form.addRow("参加人员", self.errors.block("attendees", self.attendees_edit, "如 镇文明办张丽、桂花村支书王强"))
        form.addRow("会议纪要", self.errors.block("summary", self.summary_edit))
        self.body.addLayout(form)
        self.body.addWidget(bold("会议决定的任务"))
        self.tasks = QTableWidget(0, 3)
        self.tasks.setHorizontalHeaderLabels(["任务", "责任人", "完成期限"])
        header = self.tasks.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tasks.setColumnWidth(1, 110)
        self.tasks.setColumnWidth(2, 110)
        self.tasks.verticalHeader().setVisible(False)
        self.tasks.setMinimumHeight(130)
        self.body.addWidget(self.errors.block("tasks", self.tasks, "每行一项：任务、责任人、完成期限（如 2026-12-15）"))
        line = QHBoxLayout()
        add, remove = QPushButton("添加一项"), QPushButton("删除所选")
        add.clicked.connect(lambda: self.add_task())
        remove.clicked.connect(lambda: self.tasks.removeRow(self.tasks.currentRow()))
        line.addWidget(add)
        line.addWidget(remove)
        line.addStretch(1)
        self.body.addLayout(line)
        self.general = error_label()
        self.footer.addWidget(self.general)
        self.footer.addWidget(form_buttons(self, "保存", self.submit))
        self.add_task()
        fit.fit_to_screen(self, QSize(680, 620))

    def add_task(self, task: str = "", owner: str = "", due: str = "") -> None:
        row = self.tasks.rowCount()
        self.tasks.insertRow(row)
        default = due or (dt.date.today() + dt.timedelta(days=14)).isoformat()
        for col, text in enumerate((task, owner, default)):
            self.tasks.setItem(row, col, QTableWidgetItem(text))

    def task_inputs(self) -> list[hot.TaskInput]:
        found = []
        for row in range(self.tasks.rowCount()):
            cells = [(self.tasks.item(row, c).text() if self.tasks.item(row, c) else "").strip() for c in range(3)]
            if cells[0] or cells[1]:
                found.append(hot.TaskInput(*cells))
        return found

    def submit(self) -> None:
        def call():
            return hot.record_meeting(self.actor, self.issue.month, self.issue.village_id, self.issue.category,
                                      held_on=self.date_field.value(), place=self.place_edit.text(),
                                      attendees=self.attendees_edit.toPlainText(), tasks=self.task_inputs(),
                                      summary=self.summary_edit.toPlainText())
        ok, value = self.errors.submit(call, self.general)
        if ok:
            self.result_value = value
            self.accept()


class HotPanel(QWidget):
    open_ticket = Signal(str)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("月份"))
        self.month_combo = month_combo()
        top.addWidget(self.month_combo)
        top.addStretch(1)
        self.meeting_button = QPushButton("登记现场办公会…")
        self.meeting_button.setProperty("primary", True)
        self.meeting_button.setVisible(session.actor.can("review_hotline"))
        top.addWidget(self.meeting_button)
        layout.addLayout(top)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("role", "notice")
        layout.addWidget(self.empty_label)
        self.issues = RowsSource([Column("village", "村/社区", 90), Column("category", "类别", 90),
                                  Column("count", "件数", 50, "right"), Column("state", "现场办公会", 150),
                                  Column("numbers", "工单编号", 300)])
        self.issues_view, self.issues_model = rows_view(self.issues)
        layout.addWidget(self.issues_view, 2)
        layout.addLayout(self._build_lower(), 3)
        self.message = message_label()
        layout.addWidget(self.message)
        self.month_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.issues_view.selectionModel().currentRowChanged.connect(lambda *_a: self.show_issue())
        self.meeting_button.clicked.connect(lambda: self.record_meeting())

    def _build_lower(self) -> QHBoxLayout:
        lower = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(bold("关联工单（双击打开）"))
        self.linked = RowsSource([Column("number", "工单编号", 130), Column("state", "状态", 64),
                                  Column("summary", "诉求", 140)])
        self.linked_view, self.linked_model = rows_view(self.linked)
        self.linked_view.doubleClicked.connect(lambda i: self.open_ticket.emit(self.linked_model.id_at(i.row())))
        left.addWidget(self.linked_view)
        self.tasks_title = bold("办公会任务")
        right.addWidget(self.tasks_title)
        self.meeting_label = QLabel()
        self.meeting_label.setWordWrap(True)
        right.addWidget(self.meeting_label)
        self.task_rows = RowsSource([Column("owner", "责任人", 96), Column("due", "完成期限", 90),
                                     Column("done", "完成", 90), Column("task", "任务", 170)])
        self.tasks_view, self.tasks_model = rows_view(self.task_rows)
        right.addWidget(self.tasks_view)
        self.done_button = QPushButton("登记完成（今天）")
        self.done_button.clicked.connect(lambda: self.finish_task())
        right.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)
        for view in (self.issues_view, self.linked_view, self.tasks_view):
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lower.addLayout(left, 1)
        lower.addLayout(right, 1)
        return lower

    @property
    def month(self) -> str:
        return self.month_combo.currentData()

    def refresh(self) -> None:
        self.found = {h.village_id + "/" + h.category: h for h in hot.hot_issues(self.month)}
        self.issues.set_rows([(key, {"village": h.village, "category": h.category, "count": str(h.count),
                                     "_sort_count": h.count, "numbers": "、".join(h.numbers),
                                     "state": f"已于 {h.meeting_date} 召开" if h.closed else "未召开"})
                              for key, h in self.found.items()])
        self.issues_model.refresh()
        from civdesk.office import settings

        self.empty_label.setText(EMPTY_TEXT.format(n=settings.get("hotline.hot_threshold")))
        self.empty_label.setVisible(not self.found)
        if self.found:
            self.issues_view.selectRow(0)
        self.show_issue()

    def show_open_issues(self) -> None:
        """工作台 links: this month's or last month's hot issues still without a 现场办公会."""
        for index in (0, 1):
            if any(not h.closed for h in hot.hot_issues(self.month_combo.itemData(index))):
                self.month_combo.setCurrentIndex(index)
                break
        self.refresh()

    def show_meeting_tasks(self) -> None:
        """工作台 links: the month whose 现场办公会 has tasks still open, that issue selected."""
        for index in range(self.month_combo.count()):
            issues = [h for h in hot.hot_issues(self.month_combo.itemData(index)) if h.closed
                      and any(t.done_on is None for t in hot.meeting_tasks(h.meeting_id))]
            if issues:
                self.month_combo.setCurrentIndex(index)
                self.refresh()
                self.issues_view.selectRow(self.issues_model.row_of(f"{issues[0].village_id}/{issues[0].category}"))
                return
        self.refresh()

    def issue(self) -> hot.HotIssue | None:
        key = self.issues_model.id_at(self.issues_view.currentIndex().row())
        return self.found.get(key) if key else None

    def show_issue(self) -> None:
        issue = self.issue()
        rows = board.rows_for(issue.ticket_ids) if issue else []
        self.linked.set_rows([(r.id, {"number": r.number, "state": r.state_label, "summary": r.summary}) for r in rows])
        self.linked_model.refresh()
        tasks = hot.meeting_tasks(issue.meeting_id) if issue and issue.closed else []
        held = hot.meeting(issue.meeting_id) if issue and issue.closed else None
        self.meeting_label.setText(
            f"{held.held_on} 在{held.place}召开。参加：{held.attendees}" + (f"。纪要：{held.summary}" if held.summary else "")
            if held else ("尚未召开现场办公会。" if issue else ""))
        self.task_rows.set_rows([(t.id, {"task": t.task, "owner": t.owner, "due": str(t.due),
                                         "done": str(t.done_on or "未完成")}) for t in tasks])
        self.tasks_model.refresh()
        self.done_button.setEnabled(bool(tasks) and not self.session.read_only)
        self.meeting_button.setEnabled(bool(issue) and not issue.closed and not self.session.read_only)

    def record_meeting(self):
        issue = self.issue()
        if issue is None:
            return None
        dialog = MeetingDialog(self.session.actor, issue, self)
        dialog.accepted.connect(lambda: (self.refresh(), show_message(self.message, "已登记现场办公会，热点问题闭环。")))
        dialog.open()
        return dialog

    def finish_task(self) -> None:
        task_id = self.tasks_model.id_at(self.tasks_view.currentIndex().row())
        if not task_id:
            show_message(self.message, "请先选中一项任务。", ok=False)
            return
        try:
            hot.finish_task(self.session.actor, task_id, dt.date.today())
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return
        self.show_issue()
        show_message(self.message, "已登记任务完成。")
