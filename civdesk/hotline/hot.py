"""热点问题: the same category in the same village N times in a month (``hotline.hot_threshold``);
a 现场办公会 on it (date, place, attendees, decisions as tasks with owners and deadlines, linked
to its tickets) closes the loop."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.hotline import tickets as ticket_service
from civdesk.hotline.models import Meeting, MeetingTask, Ticket
from civdesk.office import offices as office_service
from civdesk.office import settings

_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def month_text(value) -> str:
    """"2026-11" from a date or typed text; ValidationError in Chinese otherwise."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = validation.normalize_text(value)
    match = _MONTH.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError({"month": f"月份应写成 2026-11（填写的是「{text}」）"})
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


@dataclass(frozen=True)
class HotIssue:
    month: str
    village_id: str
    village: str
    category: str
    count: int
    ticket_ids: list[str]
    numbers: list[str]
    meeting_id: str  # the 现场办公会 that closed it, or ""
    meeting_date: dt.date | None

    @property
    def closed(self) -> bool:
        return bool(self.meeting_id)


def hot_issues(month, as_of: dt.date | None = None) -> list[HotIssue]:
    """Village × category pairs at or above the threshold in *month*, most tickets first; with
    *as_of*, only the 现场办公会 held by that day close an issue (a re-printed 通报 says what it said)."""
    month = month_text(month)
    threshold = int(settings.get("hotline.hot_threshold"))
    query = ticket_service.visible(Ticket.select(Ticket.village_id, Ticket.category, Ticket.id, Ticket.number)).where(
        ticket_service.in_month(Ticket.received_at, month) & Ticket.village_id.is_null(False) & (Ticket.state != "merged"))
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for village_id, category, ticket_id, number in query.order_by(Ticket.received_at).tuples():
        groups.setdefault((village_id, category), []).append((ticket_id, number))
    names = office_service.names("village")
    held = Meeting.select().where((Meeting.month == month) & (Meeting.deleted == False))  # noqa: E712
    if as_of is not None:
        held = held.where(Meeting.held_on <= as_of)
    meetings = {(m.village_id, m.category): m for m in held}
    found = []
    for (village_id, category), members in groups.items():
        if len(members) < threshold:
            continue
        meeting = meetings.get((village_id, category))
        found.append(HotIssue(month, village_id, names.get(village_id, ""), category, len(members),
                              [m[0] for m in members], [m[1] for m in members],
                              meeting.id if meeting else "", meeting.held_on if meeting else None))
    return sorted(found, key=lambda h: (-h.count, h.village, h.category))


@dataclass(frozen=True)
class TaskInput:
    task: str
    owner: str
    due: object


def _tasks(tasks: list[TaskInput]) -> list[dict]:
    if not tasks:
        raise ValidationError({"tasks": "请至少写一项会议决定的任务（任务、责任人、完成期限）"})
    cleaned, errors = [], []
    for number, item in enumerate(tasks, 1):
        task, owner = validation.normalize_text(item.task), validation.normalize_text(item.owner)
        due = validation.date_value(item.due, f"第 {number} 项任务的完成期限")
        if not task or not owner:
            errors.append(f"第 {number} 项任务要写明任务内容和责任人")
        elif not due.ok:
            errors.append(due.error)
        else:
            cleaned.append({"task": task, "owner": owner, "due": due.value})
    if errors:
        raise ValidationError({"tasks": "；".join(errors)})
    return cleaned


def record_meeting(actor: Actor, month, village_id: str, category: str, *, held_on, place: str,
                   attendees: str, tasks: list[TaskInput], summary: str = "") -> Meeting:
    """Record the 现场办公会 on a hot issue; it links the issue's tickets and closes the loop."""
    require(actor, "review_hotline")
    month = month_text(month)
    issue = next((h for h in hot_issues(month) if h.village_id == village_id and h.category == category), None)
    if issue is None:
        raise CivDeskError(f"{month} 没有这个村/社区「{category}」类的热点问题。")
    if issue.closed:
        raise CivDeskError(f"这个热点问题已在 {issue.meeting_date} 召开过现场办公会。")
    day = validation.date_value(held_on, "会议日期")
    errors = {}
    if not day.ok:
        errors["held_on"] = day.error
    elif day.value > dt.date.today():
        errors["held_on"] = "会议日期不能晚于今天（会开过之后再登记）"
    if not validation.normalize_text(place):
        errors["place"] = "请填写会议地点"
    if not validation.normalize_text(attendees):
        errors["attendees"] = "请填写参加人员"
    if errors:
        raise ValidationError(errors)
    cleaned = _tasks(tasks)
    with database.atomic():
        meeting = changes.create(Meeting, actor, {
            "held_on": day.value, "place": validation.normalize_text(place),
            "attendees": validation.normalize_text(attendees), "village_id": village_id, "category": category,
            "month": month, "ticket_ids": json.dumps(issue.ticket_ids), "summary": validation.normalize_text(summary)},
            scope=village_id)
        for values in cleaned:
            changes.create(MeetingTask, actor, {"meeting_id": meeting.id, **values}, scope=village_id)
        moment = dt.datetime.combine(day.value, dt.time(9))
        for ticket_id in issue.ticket_ids:
            ticket = ticket_service.get(ticket_id)
            ticket_service.event(actor, ticket, "meeting", moment, f"{day.value} 在{meeting.place}召开现场办公会")
    return meeting


@dataclass(frozen=True)
class TaskRow:
    id: str
    task: str
    owner: str
    due: dt.date
    done_on: dt.date | None


@dataclass(frozen=True)
class MeetingInfo:
    id: str
    held_on: dt.date
    place: str
    attendees: str
    summary: str


def meeting(meeting_id: str) -> MeetingInfo | None:
    """What a held 现场办公会 recorded, for the screen that shows its hot issue."""
    row = Meeting.get_or_none((Meeting.id == meeting_id) & (Meeting.deleted == False))  # noqa: E712
    if row is None:
        return None
    return MeetingInfo(row.id, row.held_on, row.place, row.attendees, row.summary)


def meeting_tasks(meeting_id: str) -> list[TaskRow]:
    return [TaskRow(t.id, t.task, t.owner, t.due, t.done_on) for t in MeetingTask.select().where(
        (MeetingTask.meeting_id == meeting_id) & (MeetingTask.deleted == False)).order_by(MeetingTask.due)]  # noqa: E712


def open_tasks(until: dt.date) -> list[TaskRow]:
    """Tasks of 现场办公会 not done and due by *until* (the 工作台 reminds their owners)."""
    query = MeetingTask.select().where((MeetingTask.deleted == False) & MeetingTask.done_on.is_null()  # noqa: E712
                                       & (MeetingTask.due <= until))
    village = ticket_service.own_village()
    if village:
        query = query.where(MeetingTask.scope == village)
    return [TaskRow(t.id, t.task, t.owner, t.due, t.done_on) for t in query.order_by(MeetingTask.due)]


def finish_task(actor: Actor, task_id: str, done_on) -> None:
    require(actor, "handle_hotline")
    task = MeetingTask.get_or_none((MeetingTask.id == task_id) & (MeetingTask.deleted == False))  # noqa: E712
    if task is None:
        raise CivDeskError("找不到这项办公会任务。")
    day = validation.date_value(done_on, "完成日期")
    if not day.ok:
        raise ValidationError({"done_on": day.error})
    changes.update(task, actor, {"done_on": day.value})
