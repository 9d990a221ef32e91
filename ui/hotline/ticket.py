"""One ticket: its details (the caller masked; 显示来电人 for a role allowed to see them, audited),
the flow's next steps as buttons, the events (who, when, what), attachments and 延期 requests,
and the warning when a deadline was counted across a year without a holiday schedule."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.hotline import board, tickets
from civdesk.hotline.terms import HANDLING_STATES, OPEN_STATES
from civdesk.office import accounts
from ui.field_errors import message_label, show_message
from ui.hotline import steps
from ui.hotline.common import COLOUR_TEXT, bold, scrolling_layout
from ui.list_model import Column, RowsSource, rows_view
from ui.navigation import notice_label
from ui.session import Session
from ui.widgets import fit

STEP_DIALOGS = {"dispatch": ("派单…", steps.DispatchDialog), "sign": ("签收…", steps.SignDialog),
                "note": ("办理记录…", steps.NoteDialog), "reply": ("答复…", steps.ReplyDialog),
                "extend": ("申请延期…", steps.ExtensionDialog), "return": ("退单…", steps.ReturnDialog),
                "visit": ("回访…", steps.VisitDialog), "close": ("办结…", steps.CloseDialog),
                "merge": ("合并到…", steps.MergeDialog)}
CALLER_AUDIT_HINT = "查看来电人的姓名和电话会记入审计日志（谁、何时、哪张工单）。"


def next_steps(detail: board.TicketDetail, actor, *, village_pc: bool) -> list[str]:
    """The steps this ticket may take now, in the order of the flow."""
    row, found = detail.row, []
    state = row.state
    if state in ("received", "returned") and not village_pc:
        found.append("dispatch")
    if state == "dispatched":
        found += ["sign", "return"]
    if state in HANDLING_STATES:
        found += ["note", "reply"]
        if not any(x.state == "pending" for x in detail.extensions):
            found.append("extend")
        if state == "signed":
            found.append("return")
    if state == "replied":
        visited = detail.visited_at and detail.replied_at and detail.visited_at >= detail.replied_at
        found.append("close" if visited else "visit")
    if state in OPEN_STATES and actor.can("review_hotline"):
        found.append("merge")
    return found


def deadline_text(row: board.TicketRow) -> str:
    if not row.due:
        return ""
    text = f"{row.due_label} {row.due}"
    if row.colour == "red":
        text += f"，已逾期 {row.overdue_workdays} 个工作日" + (f"（{row.escalation_label}）" if row.escalation else "")
    elif row.colour == "yellow":
        text += "，今天到期" if row.due == dt.date.today() else "，两个工作日内到期"
    return text


class TicketDialog(QDialog):
    """``changed(ticket_id)`` after every step taken here."""

    changed = Signal(str)

    def __init__(self, session: Session, ticket_id: str, parent=None):
        super().__init__(parent)
        self.body, self.footer, self.scroll = scrolling_layout(self, "热线工单")
        self.session, self.ticket_id = session, ticket_id
        self.names = {u.username: u.display_name for u in accounts.list_users()}
        self.head = bold()
        self.deadline_label = QLabel()
        self.calendar_label = notice_label("")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        for widget in (self.head, self.deadline_label, self.calendar_label):
            self.body.addWidget(widget)
        self.body.addLayout(self.grid)
        self._build_caller()
        self._build_lists()
        self._build_footer()
        self.refresh()
        fit.fit_to_screen(self, QSize(940, 700))

    def _build_caller(self) -> None:
        self.caller_label = QLabel()
        self.caller_button = QPushButton("显示来电人")
        self.caller_button.setToolTip(CALLER_AUDIT_HINT)
        self.caller_button.setVisible(self.session.actor.can("view_callers"))
        self.caller_button.clicked.connect(lambda: self.reveal_caller())
        self.caller_hint = QLabel("（显示会记入审计日志）")
        self.caller_hint.setProperty("role", "hint")
        self.caller_hint.setVisible(self.session.actor.can("view_callers"))
        box = QWidget()
        line = QHBoxLayout(box)
        line.setContentsMargins(0, 0, 0, 0)
        for widget in (self.caller_label, self.caller_button, self.caller_hint):
            line.addWidget(widget)
        line.addStretch(1)
        self.caller_box = box

    def _build_lists(self) -> None:
        self.events = RowsSource([Column("at", "时间", 122), Column("action", "环节", 78), Column("user", "经办人", 80),
                                  Column("note", "说明", 300)])
        self.events_view, self.events_model = rows_view(self.events)
        self.events_view.setMinimumHeight(190)
        self.files = RowsSource([Column("name", "附件", 260), Column("size", "大小", 70, "right"),
                                 Column("added", "添加时间", 150), Column("by", "添加人", 80)])
        self.files_view, self.files_model = rows_view(self.files)
        self.files_view.setMaximumHeight(120)
        self.files_view.doubleClicked.connect(lambda _i: self.open_file())
        self.extensions = RowsSource([Column("requested", "申请时间", 122), Column("days", "延长", 70),
                                      Column("due", "期限", 170), Column("state", "审批", 70),
                                      Column("reason", "理由", 200)])
        self.extensions_view, self.extensions_model = rows_view(self.extensions)
        self.extensions_view.setMaximumHeight(100)
        self.decide_button = QPushButton("审批延期…")
        self.decide_button.setVisible(self.session.actor.can("review_hotline"))
        self.decide_button.clicked.connect(lambda: self.decide())
        self.save_file_button = QPushButton("另存附件…")
        self.save_file_button.clicked.connect(lambda: self.save_file())
        for view in (self.events_view, self.files_view, self.extensions_view):
            view.setHorizontalScrollBarPolicy(view.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
        self.body.addWidget(bold("流转记录"))
        self.body.addWidget(self.events_view, 1)
        self.files_title = bold("附件")
        self.body.addWidget(self.files_title)
        self.body.addWidget(self.files_view)
        self.body.addWidget(self.save_file_button)
        self.extensions_title = bold("延期申请")
        self.body.addWidget(self.extensions_title)
        self.body.addWidget(self.extensions_view)
        self.body.addWidget(self.decide_button)

    def _build_footer(self) -> None:
        self.message = message_label()
        self.footer.addWidget(self.message)
        self.step_row = QHBoxLayout()
        self.footer.addLayout(self.step_row)
        self.step_buttons: dict[str, QPushButton] = {}
        for key, (label, _dialog) in STEP_DIALOGS.items():
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=key: self.take_step(k))
            self.step_buttons[key] = button
            self.step_row.addWidget(button)
        self.step_row.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        self.step_row.addWidget(close)

    # -- showing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.detail = detail = board.detail(self.ticket_id)
        row = detail.row
        self.setWindowTitle(f"热线工单 {row.number}")
        merged = f"　合并了 {'、'.join(detail.merged_numbers)}" if detail.merged_numbers else ""
        into = f"　已合并到 {row.merged_into}" if row.merged_into else ""
        self.head.setText(f"{row.number}　{row.state_label}{'　紧急' if row.urgent else ''}{merged}{into}")
        self.deadline_label.setText(deadline_text(row))
        self.deadline_label.setStyleSheet(f"color: {COLOUR_TEXT.get(row.colour, '#333')};")
        self.deadline_label.setVisible(bool(row.due))
        self.calendar_label.setText(detail.calendar_warning)
        self.calendar_label.setVisible(bool(detail.calendar_warning))
        self.caller_label.setText(" ".join(p for p in (row.caller_name, row.caller_phone) if p) or "（未留）")
        self._fill_grid(detail)
        self._fill_lists(detail)
        village_pc = bool(tickets.own_village())
        allowed = [] if self.session.read_only else next_steps(detail, self.session.actor, village_pc=village_pc)
        for key, button in self.step_buttons.items():
            button.setVisible(key in allowed)
        if allowed:  # the flow's next step stands out
            for key, button in self.step_buttons.items():
                button.setProperty("primary", key == allowed[0])
                button.style().unpolish(button)
                button.style().polish(button)

    def _fill_grid(self, detail: board.TicketDetail) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None and item.widget() is not self.caller_box:
                item.widget().deleteLater()
        row = detail.row
        pairs = [("受理时间", row.received_at), ("来源渠道", row.channel), ("地址", row.address or "（未填）"),
                 ("村/社区", row.village or "镇级"), ("类型", row.kind), ("类别", row.category),
                 ("承办单位", row.assignee or "（未派单）"),
                 ("期限", f"签收 {row.sign_due or '—'}　办理 {row.handle_due or '—'}")]
        self.grid.addWidget(QLabel("来电人"), 0, 0)
        self.grid.addWidget(self.caller_box, 0, 1, 1, 3)
        for index, (label, value) in enumerate(pairs):
            r, c = 1 + index // 2, (index % 2) * 2
            self.grid.addWidget(QLabel(label), r, c)
            shown = QLabel(str(value))
            shown.setWordWrap(True)
            self.grid.addWidget(shown, r, c + 1)
        texts = [("诉求内容", detail.content), ("答复", f"{detail.replied_at}　{detail.reply}".strip() if detail.reply else ""),
                 ("回访", f"{detail.visited_at}　{row.visit_result}　{detail.visit_note}" if row.visit_result else "")]
        for offset, (label, value) in enumerate(t for t in texts if t[1]):
            r = 1 + (len(pairs) + 1) // 2 + offset
            self.grid.addWidget(QLabel(label), r, 0)
            shown = QLabel(value)
            shown.setWordWrap(True)
            self.grid.addWidget(shown, r, 1, 1, 3)

    def _fill_lists(self, detail: board.TicketDetail) -> None:
        self.events.set_rows([(i, {"at": e.at, "action": e.action_label, "user": self.names.get(e.user, e.user),
                                   "note": e.note}) for i, e in enumerate(detail.events)])
        self.events_model.refresh()
        self.files.set_rows([(f.id, {"name": f.file_name + ("（办理照片）" if f.with_note else ""),
                                     "size": f"{max(1, round(f.size / 1024))} KB", "added": f.added_at,
                                     "by": self.names.get(f.added_by, f.added_by)}) for f in detail.attachments])
        self.files_model.refresh()
        self.extensions.set_rows([(x.id, {"requested": x.requested_at, "days": f"{x.days} 个工作日",
                                          "due": f"{x.old_due} → {x.new_due}", "state": x.state_label,
                                          "reason": x.reason}) for x in detail.extensions])
        self.extensions_model.refresh()
        for widget in (self.files_title, self.files_view, self.save_file_button):
            widget.setVisible(bool(detail.attachments))
        for widget in (self.extensions_title, self.extensions_view):
            widget.setVisible(bool(detail.extensions))
        pending = any(x.state == "pending" for x in detail.extensions)
        self.decide_button.setVisible(pending and self.session.actor.can("review_hotline"))

    # -- actions ----------------------------------------------------------------------------

    def reveal_caller(self) -> tickets.Caller | None:
        try:
            caller = tickets.caller(self.session.actor, self.ticket_id)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return None
        self.caller_label.setText(f"{caller.name or '（未留姓名）'}　{caller.phone or '（未留电话）'}")
        self.caller_button.setEnabled(False)
        self.caller_hint.setText("（已记入审计日志）")
        return caller

    def take_step(self, key: str):
        _label, dialog_class = STEP_DIALOGS[key]
        dialog = dialog_class(self.session.actor, self.detail.row, self)
        dialog.accepted.connect(lambda: self._stepped(key))
        dialog.open()
        return dialog

    def _stepped(self, key: str) -> None:
        self.refresh()
        label = STEP_DIALOGS.get(key, ("审批延期…",))[0].rstrip("…")
        show_message(self.message, f"已{label}：工单现在是「{self.detail.row.state_label}」。")
        self.changed.emit(self.ticket_id)

    def decide(self):
        pending = next((x for x in self.detail.extensions if x.state == "pending"), None)
        if pending is None:
            return None
        dialog = steps.DecideDialog(self.session.actor, pending, self.detail.row.number, self)
        dialog.accepted.connect(lambda: self._stepped("decide"))
        dialog.open()
        return dialog

    def _selected_file(self) -> tuple[str, bytes] | None:
        file_id = self.files_model.id_at(self.files_view.currentIndex().row())
        if not file_id:
            show_message(self.message, "请先选中一个附件。", ok=False)
            return None
        return board.attachment(self.session.actor, file_id)

    def open_file(self) -> None:
        found = self._selected_file()
        if found:
            path = Path(tempfile.mkdtemp(prefix="civdesk-")) / found[0]
            path.write_bytes(found[1])
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_file(self, path: str | None = None) -> None:
        found = self._selected_file()
        if not found:
            return
        path = path or QFileDialog.getSaveFileName(self, "另存附件", found[0])[0]
        if path:
            Path(path).write_bytes(found[1])
            show_message(self.message, f"已保存到 {path}")
