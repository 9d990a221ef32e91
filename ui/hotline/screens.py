"""The dialogs of 热线工单 for the gallery and the fit test: (name, title, factory), where a factory
takes the main window and returns the dialog not yet shown, or None when the open database holds
no ticket in the state the dialog is for (an empty database has none)."""

from __future__ import annotations

from civdesk.hotline import board, hot
from civdesk.hotline.terms import HANDLING_STATES, OPEN_STATES


def _ticket(*states: str) -> board.TicketRow | None:
    """The first ticket in one of *states*, tried in the order given."""
    for state in states:
        found = board.ids(state=state)
        if found:
            return board.rows_for(found[:1])[0]
    return None


def _step(class_name: str, *states: str):
    """A factory of the step dialog *class_name* of ``ui.hotline.steps`` on a ticket in *states*."""
    def factory(window):
        from ui.hotline import steps

        row = _ticket(*states)
        return getattr(steps, class_name)(window.session.actor, row, window) if row else None
    return factory


def ticket_form(window):
    from ui.hotline.form import TicketForm

    return TicketForm(window.session, window)


def ticket_page(window):
    from ui.hotline.ticket import TicketDialog

    found = board.ids()
    return TicketDialog(window.session, found[0], window) if found else None


def _replied(visited: bool):
    """回访 is for a replied ticket not yet visited, 办结 for one visited (else any replied one)."""
    def factory(window):
        from ui.hotline.steps import CloseDialog, VisitDialog

        found = board.rows_for(board.ids(state="replied"))
        chosen = [row for row in found if bool(row.visit_result) == visited] or found
        dialog_class = CloseDialog if visited else VisitDialog
        return dialog_class(window.session.actor, chosen[0], window) if chosen else None
    return factory


def decide_extension(window):
    """审批延期 of the first ticket with an extension waiting for approval."""
    from ui.hotline.steps import DecideDialog

    for state in HANDLING_STATES:
        for ticket_id in board.ids(state=state):
            detail = board.detail(ticket_id)
            pending = next((x for x in detail.extensions if x.state == "pending"), None)
            if pending is not None:
                return DecideDialog(window.session.actor, pending, detail.row.number, window)
    return None


def meeting(window):
    """现场办公会 of a hot issue of the last twelve months, one not yet closed if there is one."""
    from ui.hotline.common import recent_months
    from ui.hotline.hot_panel import MeetingDialog

    issues = [issue for month in recent_months() for issue in hot.hot_issues(month)]
    issues.sort(key=lambda issue: issue.closed)
    return MeetingDialog(window.session.actor, issues[0], window) if issues else None


SCREENS = [
    ("dialog-ticket-form", "受理热线工单", ticket_form),
    ("dialog-ticket", "热线工单", ticket_page),
    ("dialog-ticket-dispatch", "派单", _step("DispatchDialog", "received", "returned")),
    ("dialog-ticket-sign", "签收", _step("SignDialog", "dispatched")),
    ("dialog-ticket-return", "退单", _step("ReturnDialog", "dispatched", "signed")),
    ("dialog-ticket-note", "办理记录", _step("NoteDialog", *HANDLING_STATES)),
    ("dialog-ticket-reply", "答复", _step("ReplyDialog", *HANDLING_STATES)),
    ("dialog-ticket-extension", "申请延期", _step("ExtensionDialog", *HANDLING_STATES)),
    ("dialog-ticket-decide", "审批延期", decide_extension),
    ("dialog-ticket-visit", "回访", _replied(visited=False)),
    ("dialog-ticket-close", "办结", _replied(visited=True)),
    ("dialog-ticket-merge", "合并到…", _step("MergeDialog", *OPEN_STATES)),
    ("dialog-hotline-meeting", "现场办公会", meeting),
]
