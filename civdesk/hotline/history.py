"""A ticket as it stood at a moment, replayed from its append-only events.

A month's 通报 counts tickets as they stood at the month's end, not as they stand today: a ticket
received in October and answered in November was unanswered in October's figures, and a re-printed
October 通报 says what it said in October. Each step's event (``at``: when it happened) moves the
state as the flow did: 派单 (the 承办单位 named in its note, the deadlines counted from its day),
签收, 退单, 答复, 回访 (its result), 重办 (the new deadline in its note), 批准延期 (the new deadline in
its note), 办结, 被合并. A ticket with no event after the moment is returned as it is.
"""

from __future__ import annotations

import datetime as dt
import re

from civdesk.hotline import deadlines
from civdesk.hotline.models import Ticket, TicketEvent
from civdesk.hotline.terms import VISIT_RESULTS

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
# The 回访 note starts with its result; the longer words first (基本满意 before 满意).
_RESULTS = sorted(VISIT_RESULTS, key=len, reverse=True)


def cutoff(day: dt.date) -> str:
    """The last stamp of *day* ("YYYY-MM-DD 23:59"): events at or before it count."""
    return f"{day.isoformat()} 23:59"


def _last_date(note: str) -> dt.date | None:
    found = _DATE.findall(note or "")
    return dt.date.fromisoformat(found[-1]) if found else None


def _dispatched_to(note: str, names: dict[str, str], current: Ticket) -> tuple[str, str]:
    """(assignee kind, assignee) of a past 派单 from its note 「派给X：说明」."""
    name = (note or "").removeprefix("派给").split("：", 1)[0].strip()
    villages = {label: office_id for office_id, label in names.items()}
    if name in villages:
        return "village", villages[name]
    if current.assignee_kind == "department" and current.assignee == name:
        return "department", current.assignee
    return "department", name


def _apply(ticket: Ticket, event: TicketEvent, names: dict[str, str], current: Ticket) -> None:
    action, moment, note = event.action, event.at, event.note or ""
    day = dt.date.fromisoformat(moment[:10])
    if action == "dispatch":
        ticket.state, ticket.dispatched_at, ticket.signed_at = "dispatched", moment, None
        ticket.assignee_kind, ticket.assignee = _dispatched_to(note, names, current)
        ticket.sign_due = deadlines.sign_due(day, ticket.urgent)[0]
        ticket.handle_due = deadlines.handle_due(day, ticket.kind, ticket.urgent)[0]
    elif action == "sign":
        ticket.state, ticket.signed_at = "signed", moment
    elif action == "return":
        ticket.state, ticket.signed_at = "returned", None
    elif action == "reply":
        ticket.state, ticket.replied_at = "replied", moment
    elif action == "visit":
        ticket.visit_result = next((r for r in _RESULTS if note.startswith(r)), ticket.visit_result)
        ticket.visited_at = moment
    elif action == "redo":
        ticket.state, ticket.replied_at, ticket.redo_count = "redo", None, ticket.redo_count + 1
        ticket.handle_due = _last_date(note) or deadlines.handle_due(day, ticket.kind, ticket.urgent)[0]
    elif action == "extension_approved" and ticket.state in ("signed", "redo"):
        ticket.handle_due = _last_date(note) or ticket.handle_due
    elif action == "close":
        ticket.state, ticket.closed_at = "closed", moment
    elif action == "merged":
        ticket.state = "merged"


def _fresh(ticket: Ticket) -> Ticket:
    """The ticket as it was received: no step taken yet."""
    start = Ticket(**ticket.__data__)
    for field in ("dispatched_at", "sign_due", "signed_at", "handle_due", "replied_at", "visited_at",
                  "closed_at", "merged_into"):
        setattr(start, field, None)
    start.state, start.assignee_kind, start.assignee = "received", "", ""
    start.visit_result, start.redo_count = "", 0
    return start


def _keep_current(past: Ticket, ticket: Ticket, after: set[str]) -> None:
    """What no later step changed is taken as stored: the 承办单位 (a name mapped to the list since
    counts as mapped) unless re-dispatched later, the deadlines unless a later step moved them."""
    if past.state == "merged":
        past.merged_into = ticket.merged_into
    if past.dispatched_at and "dispatch" not in after:
        past.assignee_kind, past.assignee = ticket.assignee_kind, ticket.assignee
        if not after & {"redo", "extension_approved"}:
            past.sign_due, past.handle_due = ticket.sign_due, ticket.handle_due


def _blocks(ids: list[str], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def as_of(tickets: list[Ticket], moment: str, names: dict[str, str]) -> list[Ticket]:
    """*tickets* received by *moment* (a stamp), each as it stood then; *names*: office id → name.
    The returned objects are copies, never saved."""
    tickets = [t for t in tickets if t.received_at <= moment]
    later: dict[str, set[str]] = {}  # ticket id → the actions taken after the moment
    for block in _blocks([t.id for t in tickets]):
        for ticket_id, action in TicketEvent.select(TicketEvent.ticket_id, TicketEvent.action).where(
                (TicketEvent.at > moment) & (TicketEvent.ticket_id << block)).distinct().tuples():
            later.setdefault(ticket_id, set()).add(action)
    events: dict[str, list[TicketEvent]] = {}
    for block in _blocks([t.id for t in tickets if t.id in later]):
        query = (TicketEvent.select().where((TicketEvent.ticket_id << block) & (TicketEvent.at <= moment)
                                            & (TicketEvent.deleted == False))  # noqa: E712
                 .order_by(TicketEvent.at, TicketEvent.created_at, TicketEvent.clock))
        for row in query:
            events.setdefault(row.ticket_id, []).append(row)
    found = []
    for ticket in tickets:
        if ticket.id not in later:
            found.append(ticket)
            continue
        past = _fresh(ticket)
        for row in events.get(ticket.id, []):
            _apply(past, row, names, ticket)
        _keep_current(past, ticket, later[ticket.id])
        found.append(past)
    return found
