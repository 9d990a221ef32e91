"""What a ticket board and a ticket page show: rows with state, deadlines and colour, masked
caller details, and one ticket's whole history."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from civdesk.core import validation
from civdesk.core.actor import Actor, require
from civdesk.core.errors import NotFound
from civdesk.hotline import deadlines
from civdesk.hotline import tickets as ticket_service
from civdesk.hotline.models import Extension, Ticket, TicketEvent, TicketFile
from civdesk.hotline.terms import (
    COLOURS,
    ESCALATIONS,
    EVENT_LABELS,
    EXTENSION_STATES,
    OPEN_STATES,
    STATE_ORDER,
    STATES,
)
from civdesk.office import offices as office_service


@dataclass(frozen=True)
class TicketRow:
    id: str
    number: str
    received_at: str
    channel: str
    caller_name: str  # masked
    caller_phone: str  # masked
    address: str
    village: str
    kind: str
    category: str
    summary: str
    urgent: bool
    state: str
    state_label: str
    assignee: str
    sign_due: dt.date | None
    handle_due: dt.date | None
    due: dt.date | None  # the deadline running now (签收 or 办理)
    due_label: str  # 签收期限 / 办理期限
    colour: str  # "ok" | "yellow" | "red" | "" (nothing running)
    colour_label: str
    overdue_workdays: int
    escalation: str  # "" | "urge" | "supervise"
    escalation_label: str
    redo_count: int
    visit_result: str
    merged_into: str  # the surviving ticket's number

    def as_json(self) -> dict:
        values = dict(self.__dict__)
        for key in ("sign_due", "handle_due", "due"):
            values[key] = values[key].isoformat() if values[key] else None
        return values


def _names() -> dict[str, str]:
    return office_service.names()


def row_of(ticket: Ticket, day: deadlines.Day, names: dict[str, str], numbers: dict[str, str]) -> TicketRow:
    running = day.running(ticket.state, ticket.sign_due, ticket.handle_due)
    assignee = names.get(ticket.assignee, ticket.assignee) if ticket.assignee_kind == "village" else ticket.assignee
    return TicketRow(
        ticket.id, ticket.number, ticket.received_at, ticket.channel, ticket_service.mask_name(ticket.caller_name),
        validation.mask_phone(ticket.caller_phone), ticket.address, names.get(ticket.village_id, "") if
        ticket.village_id else "", ticket.kind, ticket.category, ticket.content[:40], bool(ticket.urgent),
        ticket.state, STATES[ticket.state], assignee, ticket.sign_due, ticket.handle_due, running.due,
        {"sign": "签收期限", "handle": "办理期限"}.get(running.which, ""), running.colour, COLOURS[running.colour],
        running.overdue_workdays, running.escalation, ESCALATIONS[running.escalation], ticket.redo_count,
        ticket.visit_result, numbers.get(ticket.merged_into, "") if ticket.merged_into else "")


def _filtered(state: str | None, month: str | None, village_id: str | None, text: str, open_only: bool):
    query = ticket_service.visible(Ticket.select())
    if open_only:
        query = query.where(Ticket.state << list(OPEN_STATES))
    if state:
        if state not in STATES:
            raise validation.ValidationError({"state": f"状态只能是：{'、'.join(f'{k}（{v}）' for k, v in STATES.items())}"})
        query = query.where(Ticket.state == state)
    if month:
        query = query.where(ticket_service.in_month(Ticket.received_at, month))
    if village_id:
        query = query.where(Ticket.village_id == village_id)
    if text:
        query = query.where(Ticket.number.contains(text) | Ticket.content.contains(text) | Ticket.address.contains(text))
    return query


def _rows_of(tickets: list[Ticket], as_of: dt.date | None) -> list[TicketRow]:
    day = deadlines.Day(as_of or dt.date.today())
    names = _names()
    numbers = {t.id: t.number for t in tickets}
    missing = {t.merged_into for t in tickets if t.merged_into and t.merged_into not in numbers}
    if missing:
        numbers.update(Ticket.select(Ticket.id, Ticket.number).where(Ticket.id << list(missing)).tuples())
    return [row_of(t, day, names, numbers) for t in tickets]


def rows(*, as_of: dt.date | None = None, state: str | None = None, month: str | None = None,
         colour: str | None = None, village_id: str | None = None, text: str = "",
         open_only: bool = False) -> list[TicketRow]:
    """The board: tickets this PC may see, in state order and oldest first within a state;
    *open_only* leaves out closed and merged ones (the 工作台 asks for those only)."""
    tickets = list(_filtered(state, month, village_id, text, open_only).order_by(Ticket.received_at))
    found = _rows_of(tickets, as_of)
    if colour:
        found = [r for r in found if r.colour == colour]
    return sorted(found, key=lambda r: (STATE_ORDER.index(r.state), r.received_at))


def ids(*, state: str | None = None, month: str | None = None, village_id: str | None = None, text: str = "",
        open_only: bool = False) -> list[str]:
    """Ids of the matching tickets, newest first, in one query: a long list's model holds these
    and asks :func:`rows_for` for the rows it shows."""
    query = _filtered(state, month, village_id, text, open_only)
    return [i for (i,) in query.select(Ticket.id).order_by(Ticket.received_at.desc()).tuples()]


def ids_in_flow(*, month: str | None = None, village_id: str | None = None, text: str = "") -> list[str]:
    """Ids of the matching tickets of every state in the order of the flow, newest first within
    a state — what :func:`ids` per state gives one after the other, in one query."""
    rank = Case(Ticket.state, [(state, n) for n, state in enumerate(STATE_ORDER)], len(STATE_ORDER))
    query = _filtered(None, month, village_id, text, False)
    return [i for (i,) in query.select(Ticket.id).order_by(rank, Ticket.received_at.desc()).tuples()]


def state_counts(*, month: str | None = None, village_id: str | None = None, text: str = "") -> dict[str, int]:
    """How many matching tickets each state holds (every state of the flow, 0 included), in one query."""
    query = _filtered(None, month, village_id, text, False)
    found = dict(query.select(Ticket.state, fn.COUNT(Ticket.id)).group_by(Ticket.state).tuples())
    return {state: found.get(state, 0) for state in STATE_ORDER}


def any_ticket() -> bool:
    """Whether this PC holds any ticket it may see."""
    return _filtered(None, None, None, "", False).exists()


def rows_for(ticket_ids: list[str], as_of: dt.date | None = None) -> list[TicketRow]:
    """Rows of a block of ids, in the order given."""
    found = {t.id: t for t in Ticket.select().where(Ticket.id << list(ticket_ids))}
    return _rows_of([found[i] for i in ticket_ids if i in found], as_of)


def by_state(as_of: dt.date | None = None) -> dict[str, list[TicketRow]]:
    """The board grouped by state, in the order of the flow (empty states included)."""
    grouped: dict[str, list[TicketRow]] = {state: [] for state in STATE_ORDER}
    for row in rows(as_of=as_of):
        grouped[row.state].append(row)
    return grouped


@dataclass(frozen=True)
class EventRow:
    at: str
    action: str
    action_label: str
    user: str
    note: str


@dataclass(frozen=True)
class ExtensionRow:
    id: str
    requested_at: str
    days: int
    reason: str
    old_due: dt.date
    new_due: dt.date
    state: str
    state_label: str
    decided_by: str
    decision_note: str


@dataclass(frozen=True)
class FileRow:
    id: str
    file_name: str
    mime: str
    size: int
    added_at: str
    added_by: str
    with_note: bool  # added with a 办理 note (rather than when the ticket was received)


def file_rows(ticket_id: str) -> list[FileRow]:
    query = (TicketFile.select(TicketFile.id, TicketFile.file_name, TicketFile.mime, TicketFile.size,
                               TicketFile.created_at, TicketFile.created_by, TicketFile.event_id)
             .where((TicketFile.ticket_id == ticket_id) & (TicketFile.deleted == False))  # noqa: E712
             .order_by(TicketFile.created_at, TicketFile.clock))
    return [FileRow(f.id, f.file_name, f.mime, f.size, f.created_at, f.created_by, bool(f.event_id)) for f in query]


def attachment(actor: Actor, file_id: str) -> tuple[str, bytes]:
    """(file name, bytes) to open or save an attachment."""
    require(actor, "handle_hotline")
    row = TicketFile.get_or_none((TicketFile.id == file_id) & (TicketFile.deleted == False))  # noqa: E712
    if row is None:
        raise NotFound("找不到这个附件。")
    ticket_service.get(row.ticket_id)  # a village PC opens only its own tickets' files
    return row.file_name, base64.b64decode(row.data)


@dataclass(frozen=True)
class TicketDetail:
    row: TicketRow
    content: str
    attachments: list[FileRow]
    reply: str
    replied_at: str
    visit_note: str
    visited_at: str
    closed_at: str
    events: list[EventRow]
    extensions: list[ExtensionRow]
    merged_numbers: list[str]
    calendar_warning: str  # 未录入 YYYY 年放假安排… when a deadline was counted Monday–Friday


def detail(ticket_id: str, as_of: dt.date | None = None) -> TicketDetail:
    ticket = ticket_service.get(ticket_id)
    day = deadlines.Day(as_of or dt.date.today())
    numbers = dict(Ticket.select(Ticket.id, Ticket.number).where(Ticket.id == ticket.merged_into).tuples()) \
        if ticket.merged_into else {}
    events = [EventRow(e.at, e.action, EVENT_LABELS.get(e.action, e.action), e.created_by, e.note)
              for e in TicketEvent.select().where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.at,
                                                                                                   TicketEvent.clock)]
    extensions = [ExtensionRow(x.id, x.requested_at, x.days, x.reason, x.old_due, x.new_due, x.state,
                               EXTENSION_STATES[x.state], x.decided_by, x.decision_note)
                  for x in Extension.select().where((Extension.ticket_id == ticket.id)
                                                    & (Extension.deleted == False))  # noqa: E712
                  .order_by(Extension.requested_at)]
    return TicketDetail(row_of(ticket, day, _names(), numbers), ticket.content, file_rows(ticket.id),
                        ticket.reply, ticket.replied_at or "", ticket.visit_note, ticket.visited_at or "",
                        ticket.closed_at or "", events, extensions, ticket_service.merged_numbers(ticket.id),
                        deadlines.calendar_warning(ticket_service.parse_stamp(ticket.received_at).date(),
                                                   ticket.handle_due))
