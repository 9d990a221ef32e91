"""受理 a ticket, its number, who may see and handle it, the caller's details, duplicates, merging.

Numbers are ``{office initials}-RX-{year}-{seq:04d}``: per office and per year, allocated as
certificates are, inside the transaction that writes the ticket (one writer per database), one past
the highest number this PC has seen under that prefix (tombstones and synced tickets included), so
a PC never gives a number twice and never reuses one. Two PCs of one office that enter tickets
between syncs can both use a number; :func:`by_number` then asks for the id. The caller's name and phone are personal data: lists show them
masked; :func:`caller` gives them in full only to a role holding ``view_callers`` and writes an
audit entry every time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import fn

from civdesk.core import changes, pinyin, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound, PermissionDenied
from civdesk.core.models import new_id
from civdesk.core.validation import ValidationError
from civdesk.documents import numbering
from civdesk.hotline import deadlines
from civdesk.hotline import files as ticket_files
from civdesk.hotline.models import Ticket, TicketEvent
from civdesk.hotline.terms import CHANNELS, KINDS, OPEN_STATES, STATES
from civdesk.office import offices as office_service
from civdesk.office import settings

NUMBER_INFIX = "RX"
_DATETIME = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?)?")


# --- time, offices, access --------------------------------------------------------------------


def now() -> dt.datetime:
    return dt.datetime.now().replace(second=0, microsecond=0)


def when(value, label: str, *, at: dt.datetime | None = None) -> dt.datetime:
    """A time typed by a clerk ("2026-11-03 09:30", or a date for midnight) that is not in the
    future; ValidationError in Chinese otherwise."""
    if value in (None, ""):
        return at or now()
    if isinstance(value, dt.datetime):
        moment = value.replace(second=0, microsecond=0)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        shown = validation.normalize_text(value)
        match = _DATETIME.fullmatch(shown)
        if not match:
            raise ValidationError({"time": f"{label}「{shown}」格式无法识别，请写成 2026-11-03 09:30"})
        y, m, d, hh, mm = match.groups()
        try:
            moment = dt.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
        except ValueError:
            raise ValidationError({"time": f"{label}「{shown}」不存在"}) from None
    if moment > (at or now()) + dt.timedelta(minutes=1):
        raise ValidationError({"time": f"{label}不能晚于现在（填写的是 {moment:%Y-%m-%d %H:%M}）"})
    return moment


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def parse_stamp(text: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M") if text else None


def in_month(column, month: str):
    """A range on a "YYYY-MM-DD HH:MM" column (uses its index, where LIKE would not)."""
    year, number = (int(part) for part in month.split("-"))
    following = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
    return (column >= month) & (column < following)


own_village = office_service.own_village_id  # this PC's village office id, None on a township PC


def township_id() -> str:
    township = office_service.township_of(office_service.own_office())
    return township.id if township is not None else office_service.own_office().id


def visible(query):
    """Restrict a Ticket query to what this PC may see: a village PC sees its own tickets only."""
    village = own_village()
    query = query.where(Ticket.deleted == False)  # noqa: E712
    return query.where(Ticket.scope == village) if village else query


def get(ticket_id: str) -> Ticket:
    row = visible(Ticket.select().where(Ticket.id == ticket_id)).first()
    if row is None:
        raise NotFound("找不到这张工单（可能已被删除，或不属于本村/社区）。")
    return row


def by_number(number: str) -> Ticket:
    """The ticket with this number (or this id). Two PCs of one office that did not sync in
    between may both have used a number, as with certificates: then the ids tell them apart."""
    text = validation.normalize_text(number)
    found = list(visible(Ticket.select().where((Ticket.number == text.upper()) | (Ticket.id == text.lower())))
                 .order_by(Ticket.received_at).limit(5))
    if not found:
        raise NotFound(f"找不到编号为 {text} 的工单。")
    if len(found) > 1:
        listed = "；".join(f"{t.id}（{t.received_at} {t.category}）" for t in found)
        raise CivDeskError(f"编号 {text} 对应 {len(found)} 张工单（两台电脑在同步前各自用了这个编号），"
                           f"请改用工单的内部编号：{listed}")
    return found[0]


def handled_here(ticket: Ticket) -> None:
    """A village PC handles only the tickets dispatched to its own office."""
    village = own_village()
    if village and not (ticket.assignee_kind == "village" and ticket.assignee == village):
        raise PermissionDenied(f"工单 {ticket.number} 没有派给本村/社区，只能由镇文明办处理。")


def event(actor: Actor, ticket: Ticket, action: str, at: dt.datetime, note: str = "") -> TicketEvent:
    return changes.create(TicketEvent, actor, {"ticket_id": ticket.id, "action": action, "at": stamp(at),
                                               "note": note}, scope=ticket.scope, audit=False)


# --- numbers ----------------------------------------------------------------------------------


def number_base(year: int) -> str:
    own = office_service.own_office()
    code = office_service.pc_code()  # this PC's own series: QXZ-RX-2026-A0001 (old form without a code)
    return f"{pinyin.initials(own.name, person=False).upper() or 'XX'}-{NUMBER_INFIX}-{year}-{code}"


def printed_highest(base: str) -> int:
    """The highest sequence printed under *base* (tickets numbered before the register count)."""
    tail = fn.SUBSTR(Ticket.number, len(base) + 1)
    return int(Ticket.select(fn.MAX(tail.cast("INTEGER"))).where(Ticket.number.startswith(base)).scalar() or 0)


def next_number(actor: Actor, year: int, scope: str | None = None, ref: str = "") -> str:
    """The next ticket number from the one number service (the 发文字号 register), allocated and
    registered now: call it inside the transaction that writes the ticket."""
    base = number_base(year)
    return numbering.allocate(actor, f"ticket:{base}", year, lambda serial: f"{base}{serial:04d}", kind="ticket",
                              ref=ref, floor=printed_highest(base), scope=scope).number


# --- 受理 -------------------------------------------------------------------------------------


def _choice(value, allowed, field: str, label: str) -> str:
    value = validation.normalize_text(value)
    if value not in allowed:
        raise ValidationError({field: f"{label}只能是{'、'.join(allowed)}（填写的是「{value}」）"})
    return value


_village = office_service.resolve_village


def clean(values: dict, *, at: dt.datetime | None = None) -> dict:
    """Check a new ticket's fields; every problem at once, in Chinese."""
    errors: dict[str, str] = {}

    def check(field, fn_, *args, **kwargs):
        try:
            return fn_(*args, **kwargs)
        except ValidationError as exc:
            errors[field] = "；".join(exc.errors.values())
            return None

    received = check("received_at", when, values.get("received_at"), "受理时间", at=at)
    channel = check("channel", _choice, values.get("channel") or "来电", CHANNELS, "channel", "来源渠道")
    kind = check("kind", _choice, values.get("kind"), KINDS, "kind", "工单类型")
    category = check("category", _choice, values.get("category"), deadlines.categories(), "category", "类别")
    village = check("village_id", _village, values.get("village_id"))
    phone = validation.phone(values.get("caller_phone"), required=False)
    if not phone.ok:
        errors["caller_phone"] = f"来电人电话「{validation.normalize_text(values.get('caller_phone'))}」不是电话号码：{phone.error}"
    content = validation.required(values.get("content"), "诉求内容")
    if not content.ok:
        errors["content"] = content.error
    if errors:
        raise ValidationError(errors)
    return {"received_at": stamp(received), "channel": channel, "kind": kind, "category": category,
            "village_id": village, "caller_phone": phone.value or "", "content": content.value,
            "caller_name": validation.normalize_text(values.get("caller_name")),
            "address": validation.normalize_text(values.get("address")), "urgent": bool(values.get("urgent"))}


def receive(actor: Actor, values: dict, *, attachments: list[tuple[str, bytes]] = (),
            at: dt.datetime | None = None) -> Ticket:
    """受理: register a ticket. ``values``: received_at, channel, caller_name, caller_phone, address,
    village_id (id or name), kind, category, content, urgent; *attachments* are (file name, bytes)."""
    require(actor, "handle_hotline")
    cleaned = clean(values, at=at)
    files = ticket_files.checked(list(attachments))
    village = own_village()
    if village:  # a village registers 来访 and 来电 about itself only
        if cleaned["village_id"] not in (None, village):
            raise ValidationError({"village_id": "村/社区只能受理本村/社区的工单"})
        cleaned["village_id"] = village
    scope = cleaned["village_id"] or township_id()
    received = parse_stamp(cleaned["received_at"])
    with database.atomic():
        ticket_id = new_id()
        number = next_number(actor, received.year, scope, ticket_id)
        row = changes.create(Ticket, actor, {**cleaned, "number": number, "state": "received"}, scope=scope, id=ticket_id,
                             record_label=f"{number} {cleaned['category']}{cleaned['kind']}")
        event(actor, row, "receive", received, f"{cleaned['channel']}：{cleaned['content'][:60]}")
        ticket_files.store(actor, row, files)
    return row


@dataclass(frozen=True)
class FormChoices:
    """What the entry form offers: its drop-downs and the hotline's name for the title."""

    hotline: str  # 12345政务服务便民热线
    channels: tuple[str, ...]
    kinds: tuple[str, ...]
    categories: list[str]
    villages: list[tuple[str, str]]  # (office id, name); a village PC offers only itself
    deadlines: dict[str, int]  # type -> handling working days


def form_choices() -> FormChoices:
    village = own_village()
    villages = [(v.id, v.name) for v in office_service.villages() if not village or v.id == village]
    return FormChoices(f"{settings.get('hotline.number')}{settings.get('hotline.name')}", CHANNELS, KINDS,
                       deadlines.categories(), villages, {k: deadlines.handling_workdays(k, False) for k in KINDS})


# --- the caller -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    name: str
    phone: str


mask_name = validation.mask_name  # the caller's name on the board: 张**


def caller(actor: Actor, ticket_id: str) -> Caller:
    """The caller's full name and phone, for a role allowed to see them; every viewing audited."""
    require(actor, "view_callers")
    ticket = get(ticket_id)
    changes.write_audit(actor, "view_personal", row=ticket, note=f"查看工单 {ticket.number} 的来电人姓名和电话")
    return Caller(ticket.caller_name, ticket.caller_phone)


# --- duplicates and merging ---------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateHint:
    ticket_id: str
    number: str
    received_at: str
    category: str
    state: str
    reason: str  # why it may be the same: 同一电话 / 同一地址同一类别
    summary: str


def possible_duplicates(phone: str = "", address: str = "", category: str = "", received=None, *,
                        exclude_id: str | None = None) -> list[DuplicateHint]:
    """Tickets within ``hotline.duplicate_days`` of *received* with the same phone, or the same
    address and category — for the entry form's hint."""
    moment = when(received, "受理时间") if received not in (None, "") else now()
    days = int(settings.get("hotline.duplicate_days"))
    start, end = stamp(moment - dt.timedelta(days=days)), stamp(moment + dt.timedelta(days=days))
    checked = validation.phone(phone, required=False)
    phone = checked.value if checked.ok and checked.value else ""
    key = "".join((address or "").split())
    match = None
    if phone:
        match = Ticket.caller_phone == phone
    if key and category:
        same_place = (Ticket.address_key == key) & (Ticket.category == category)
        match = same_place if match is None else (match | same_place)
    if match is None:
        return []
    query = visible(Ticket.select().where(match & (Ticket.received_at >= start) & (Ticket.received_at <= end)))
    if exclude_id:
        query = query.where(Ticket.id != exclude_id)
    hints = []
    for row in query.order_by(Ticket.received_at.desc()).limit(20):
        reason = "同一电话" if phone and row.caller_phone == phone else "同一地址同一类别"
        hints.append(DuplicateHint(row.id, row.number, row.received_at, row.category, STATES[row.state], reason,
                                   row.content[:40]))
    return hints


def merge(actor: Actor, keep_id: str, other_id: str, reason: str = "", *, at: dt.datetime | None = None) -> Ticket:
    """Merge *other* into *keep*: both numbers stay, *keep*'s flow continues, *other* points to it."""
    require(actor, "review_hotline")
    keep, other = get(keep_id), get(other_id)
    if keep.id == other.id:
        raise ValidationError({"other": "不能把工单合并到它自己"})
    for row in (keep, other):
        if row.state not in OPEN_STATES:
            raise CivDeskError(f"工单 {row.number} 已{STATES[row.state]}，不能合并。")
    moment = when(at, "合并时间")
    note = (reason or "").strip() or "重复工单"
    with database.atomic():
        changes.update(other, actor, {"state": "merged", "merged_into": keep.id}, note=f"合并到 {keep.number}")
        event(actor, other, "merged", moment, f"合并到 {keep.number}：{note}")
        event(actor, keep, "merge", moment, f"合并了 {other.number}：{note}")
    return keep


def merged_numbers(ticket_id: str) -> list[str]:
    return [n for (n,) in Ticket.select(Ticket.number).where(
        (Ticket.merged_into == ticket_id) & (Ticket.deleted == False)).order_by(Ticket.number).tuples()]  # noqa: E712
