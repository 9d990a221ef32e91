"""热线 on the month calendar of 活动: the deadline each open ticket is working towards (签收 or
办理), on its day; a village PC sees its own tickets only (``tickets.visible``)."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.calendar_items import CalendarItem
from civdesk.hotline import tickets as ticket_service
from civdesk.hotline.models import Ticket

RUNNING = {"dispatched": ("sign_due", "签收期限"), "signed": ("handle_due", "办理期限"),
           "redo": ("handle_due", "办理期限（重办）")}


def items(actor: Actor, first: dt.date, last: dt.date, today: dt.date | None = None) -> list[CalendarItem]:
    if not actor.can("handle_hotline"):
        return []
    today = today or dt.date.today()
    query = ticket_service.visible(Ticket.select()).where(
        (Ticket.state << list(RUNNING)) & (Ticket.sign_due.between(first, last) | Ticket.handle_due.between(first, last)))
    found = []
    for ticket in query:
        field, label = RUNNING[ticket.state]
        due = getattr(ticket, field)
        if due is None or not first <= due <= last:
            continue
        found.append(CalendarItem(due, "hotline", f"{ticket.category}{ticket.kind}",
                                  f"{label}：{ticket.number} {ticket.category}{ticket.kind}",
                                  f"hotline/ticket/{ticket.id}", late=due < today))
    return found
