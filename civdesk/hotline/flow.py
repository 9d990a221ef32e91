"""The life of a ticket: 受理 → 派单 → 签收 → 办理 → 答复 → 回访 → 办结, with 退单 back to the township,
重办 after an unsatisfied 回访 caused by the handling, and 延期 asked before the deadline.

Every step writes an append-only event (who, when, note) in the same transaction as the ticket.
Refused steps raise a Chinese message and write nothing.
"""

from __future__ import annotations

import datetime as dt

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.hotline import deadlines, departments
from civdesk.hotline import files as ticket_files
from civdesk.hotline import tickets as ticket_service
from civdesk.hotline.models import Extension, Ticket
from civdesk.hotline.terms import HANDLING_STATES, STATES, VISIT_RESULTS
from civdesk.hotline.tickets import event, handled_here, parse_stamp, stamp, when
from civdesk.office import offices as office_service


def _expect(ticket: Ticket, allowed: tuple[str, ...], what: str) -> None:
    if ticket.state not in allowed:
        names = "、".join(STATES[s] for s in allowed)
        raise CivDeskError(f"工单 {ticket.number} 现在是「{STATES[ticket.state]}」，不能{what}（只有「{names}」的工单可以）。")


def _text(value, field: str, label: str, minimum: int = 2) -> str:
    text = validation.normalize_text(value)
    if len(text) < minimum:
        raise ValidationError({field: f"请填写{label}"})
    return text


def _not_before(moment: dt.datetime, earlier: str | None, what: str, before: str) -> None:
    start = parse_stamp(earlier)
    if start is not None and moment < start:
        raise ValidationError({"time": f"{what}时间不能早于{before}时间（{earlier}）"})


def _step(actor: Actor, ticket: Ticket, values: dict, action: str, moment: dt.datetime, note: str) -> Ticket:
    with database.atomic():
        changes.update(ticket, actor, values, note=note)
        event(actor, ticket, action, moment, note)
    return ticket


def dispatch(actor: Actor, ticket_id: str, *, village: bool = True, department: str = "", note: str = "",
             at=None) -> Ticket:
    """派单 to the ticket's village office (the default) or to a named department."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    if ticket_service.own_village():
        raise CivDeskError("派单由镇文明办进行；村/社区受理的工单请同步到镇里派单。")
    _expect(ticket, ("received", "returned"), "派单")
    moment = when(at, "派单时间")
    _not_before(moment, ticket.received_at, "派单", "受理")
    department = departments.check(department) if validation.normalize_text(department) else ""
    if department:
        kind, assignee, name = "department", department, department
    elif village and ticket.village_id:
        office = office_service.get(ticket.village_id)
        kind, assignee, name = "village", ticket.village_id, office.name if office else ""
    else:
        raise ValidationError({"assignee": "这张工单没有所属村/社区，请填写承办部门"})
    sign_due, _ = deadlines.sign_due(moment.date(), ticket.urgent)
    handle_due, _ = deadlines.handle_due(moment.date(), ticket.kind, ticket.urgent)
    text = f"派给{name}" + (f"：{note.strip()}" if (note or "").strip() else "")
    return _step(actor, ticket, {"state": "dispatched", "assignee_kind": kind, "assignee": assignee,
                                 "dispatched_at": stamp(moment), "sign_due": sign_due, "handle_due": handle_due,
                                 "signed_at": None}, "dispatch", moment, text)


def sign(actor: Actor, ticket_id: str, *, note: str = "", at=None) -> Ticket:
    """签收 by the office the ticket was dispatched to."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    handled_here(ticket)
    _expect(ticket, ("dispatched",), "签收")
    moment = when(at, "签收时间")
    _not_before(moment, ticket.dispatched_at, "签收", "派单")
    late = moment.date() > ticket.sign_due
    text = (note or "").strip() or ("签收（已超过签收期限）" if late else "签收")
    return _step(actor, ticket, {"state": "signed", "signed_at": stamp(moment)}, "sign", moment, text)


def add_note(actor: Actor, ticket_id: str, note: str, *, photos: list[tuple[str, bytes]] = (), at=None) -> Ticket:
    """办理: a note of what was done (visits, who was contacted) with photos as (file name, bytes)."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    handled_here(ticket)
    _expect(ticket, HANDLING_STATES, "记录办理情况")
    text = _text(note, "note", "办理情况")
    moment = when(at, "办理时间")
    _not_before(moment, ticket.signed_at, "办理", "签收")
    checked = ticket_files.checked(list(photos))
    with database.atomic():
        note_event = event(actor, ticket, "note", moment, text + (f"（附照片 {len(checked)} 张）" if checked else ""))
        ticket_files.store(actor, ticket, checked, note_event.id)
        changes.write_audit(actor, "update", row=ticket, note=f"办理：{text[:60]}")
    return ticket


def reply(actor: Actor, ticket_id: str, text: str, *, at=None) -> Ticket:
    """答复: the reply given to the citizen; only after 签收."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    handled_here(ticket)
    if ticket.state == "dispatched":
        raise CivDeskError(f"工单 {ticket.number} 还没有签收，不能答复；请先签收。")
    _expect(ticket, HANDLING_STATES, "答复")
    answer = _text(text, "reply", "答复内容")
    moment = when(at, "答复时间")
    _not_before(moment, ticket.signed_at, "答复", "签收")
    return _step(actor, ticket, {"state": "replied", "reply": answer, "replied_at": stamp(moment)}, "reply",
                 moment, answer[:80])


def return_ticket(actor: Actor, ticket_id: str, reason: str, *, at=None) -> Ticket:
    """退单: the office it was dispatched to sends it back to the township with a reason."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    handled_here(ticket)
    _expect(ticket, ("dispatched", "signed"), "退单")
    why = _text(reason, "reason", "退单理由（为什么不属于本单位办理）")
    moment = when(at, "退单时间")
    _not_before(moment, ticket.dispatched_at, "退单", "派单")
    return _step(actor, ticket, {"state": "returned", "signed_at": None}, "return", moment, f"退单：{why}")


def visit(actor: Actor, ticket_id: str, result: str, *, note: str = "", handling_at_fault: bool = False,
          at=None) -> Ticket:
    """回访 after the reply: 满意 / 基本满意 / 不满意. 不满意 because of the handling reopens the ticket
    as 重办 with a new handling deadline; otherwise the ticket waits for 办结."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    if ticket.state != "replied":
        raise CivDeskError(f"工单 {ticket.number} 现在是「{STATES[ticket.state]}」，还没有答复，不能回访"
                           "（答复来电人后才能回访）。")
    result = validation.normalize_text(result)
    if result not in VISIT_RESULTS:
        raise ValidationError({"result": f"回访结果只能是{'、'.join(VISIT_RESULTS)}（填写的是「{result}」）"})
    if result != "不满意" and handling_at_fault:
        raise ValidationError({"result": "只有“不满意”的回访才能因办理原因重办"})
    text = validation.normalize_text(note)
    moment = when(at, "回访时间")
    _not_before(moment, ticket.replied_at, "回访", "答复")
    values = {"visit_result": result, "visit_note": text, "visited_at": stamp(moment)}
    with database.atomic():
        event(actor, ticket, "visit", moment, f"{result}" + (f"：{text}" if text else ""))
        if handling_at_fault:
            due, _ = deadlines.handle_due(moment.date(), ticket.kind, ticket.urgent)
            values.update(state="redo", handle_due=due, redo_count=ticket.redo_count + 1, replied_at=None)
            event(actor, ticket, "redo", moment, f"回访不满意（办理原因），重办，新的办理期限 {due}")
        changes.update(ticket, actor, values, note=f"回访：{result}")
    return ticket


def close(actor: Actor, ticket_id: str, *, note: str = "", at=None) -> Ticket:
    """办结 after the 回访 (an unsatisfied 回访 not caused by the handling is closed with its note)."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    visited = ticket.visited_at and ticket.replied_at and ticket.visited_at >= ticket.replied_at
    if ticket.state != "replied" or not visited:
        raise CivDeskError(f"工单 {ticket.number} 的答复还没有回访，不能办结（答复后先回访来电人）。")
    moment = when(at, "办结时间")
    _not_before(moment, ticket.visited_at, "办结", "回访")
    text = (note or "").strip() or f"办结（回访{ticket.visit_result}）"
    return _step(actor, ticket, {"state": "closed", "closed_at": stamp(moment)}, "close", moment, text)


# --- 延期 -------------------------------------------------------------------------------------


def request_extension(actor: Actor, ticket_id: str, days: int, reason: str, *, at=None) -> Extension:
    """Ask for N more working days, before the handling deadline has passed."""
    require(actor, "handle_hotline")
    ticket = ticket_service.get(ticket_id)
    handled_here(ticket)
    _expect(ticket, HANDLING_STATES, "申请延期")
    moment = when(at, "申请时间")
    if moment.date() > ticket.handle_due:
        raise ValidationError({"time": f"办理期限 {ticket.handle_due} 已过，不能再申请延期；"
                                       "请尽快办理答复，逾期情况会列入通报。"})
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationError({"days": f"延长的工作日数应为 1 到 30（填写的是「{days}」）"})
    why = _text(reason, "reason", "延期理由")
    if Extension.select().where((Extension.ticket_id == ticket.id) & (Extension.state == "pending")).exists():
        raise CivDeskError(f"工单 {ticket.number} 已有一份待审批的延期申请。")
    new_due = deadlines.extended_due(ticket.handle_due, days)
    with database.atomic():
        row = changes.create(Extension, actor, {
            "ticket_id": ticket.id, "requested_at": stamp(moment), "days": days, "reason": why,
            "old_due": ticket.handle_due, "new_due": new_due, "state": "pending"}, scope=ticket.scope,
            record_label=f"{ticket.number} 延期 {days} 个工作日")
        event(actor, ticket, "extend", moment, f"申请延期 {days} 个工作日至 {new_due}：{why}")
    return row


def decide_extension(actor: Actor, extension_id: str, approve: bool, *, note: str = "", at=None) -> Extension:
    """A reviewer approves (the handling deadline moves) or refuses a 延期 request."""
    require(actor, "review_hotline")
    row = Extension.get_or_none((Extension.id == extension_id) & (Extension.deleted == False))  # noqa: E712
    if row is None:
        raise CivDeskError("找不到这份延期申请。")
    ticket = ticket_service.get(row.ticket_id)
    if row.state != "pending":
        raise CivDeskError(f"这份延期申请已经{'批准' if row.state == 'approved' else '审批'}过了。")
    moment = when(at, "审批时间")
    text = validation.normalize_text(note)
    with database.atomic():
        changes.update(row, actor, {"state": "approved" if approve else "rejected", "decided_by": actor.display_name,
                                    "decided_at": stamp(moment), "decision_note": text})
        if approve and ticket.state in HANDLING_STATES:
            changes.update(ticket, actor, {"handle_due": row.new_due}, note=f"批准延期至 {row.new_due}")
        event(actor, ticket, "extension_approved" if approve else "extension_rejected", moment,
              (f"批准延期至 {row.new_due}" if approve else "不批准延期") + (f"：{text}" if text else ""))
    return row


def pending_extensions() -> list[Extension]:
    query = Extension.select().where((Extension.state == "pending") & (Extension.deleted == False))  # noqa: E712
    village = ticket_service.own_village()
    if village:
        query = query.where(Extension.scope == village)
    return list(query.order_by(Extension.requested_at))
