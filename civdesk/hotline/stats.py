"""The month's figures of the 通报 and the 工作台: counts by type, category and village, the three
rates with their definitions, the overdue list and the hot issues.

The figures are counted as of a day (the month's last day, or today while the month runs), each
ticket as it stood at that day's end (replayed from its events, civdesk.hotline.history), so a
通报 of October re-printed in December says what it said in October.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from civdesk.hotline import board, deadlines, departments, history, hot
from civdesk.hotline import tickets as ticket_service
from civdesk.hotline.models import Ticket, TicketEvent
from civdesk.hotline.terms import KINDS, OPEN_STATES, SATISFIED
from civdesk.office import offices as office_service

DEFINITIONS = {
    "sign": "按时签收率 = 本月派单的工单中在签收期限内签收的件数 ÷ 本月派单且已签收或签收期限已过的件数。",
    "handle": "按期办结率 = 本月受理的工单中在办理期限（含批准的延期）内答复来电人的件数 ÷ 本月受理且已答复或"
              "办理期限已过的件数。",
    "satisfaction": "回访满意率 =（满意 + 基本满意）件数 ÷ 本月回访的件数。",
}


LOOK_BACK_DAYS = 92  # tickets dispatched or visited in a month were received at most this long before


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def text(self) -> str:
        return "—（无可计算的工单）" if self.value is None else f"{self.value:.1%}（{self.numerator}/{self.denominator}）"


@dataclass(frozen=True)
class AssigneeFigures:
    """One 承办单位 (a village office or a department) in the month."""

    name: str
    kind: str  # "village" | "department"
    received: int  # tickets received in the month and dispatched to it
    handle: Rate  # 按期办结 of those
    overdue: int  # its tickets overdue and open at the month's end (any month received)


@dataclass(frozen=True)
class MonthFigures:
    month: str
    as_of: dt.date
    received: int
    merged: int
    by_kind: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_village: list[tuple[str, int]]
    by_state: list[tuple[str, int]]
    sign: Rate
    handle: Rate
    satisfaction: Rate
    visits: list[tuple[str, int]]
    overdue: list[board.TicketRow]
    hot_issues: list[hot.HotIssue]
    by_assignee: list[AssigneeFigures]


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, number = (int(p) for p in month.split("-"))
    return dt.date(year, number, 1), dt.date(year, number, month_calendar.monthrange(year, number)[1])


def _day(stamp_text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(stamp_text[:10]) if stamp_text else None


def _sign_rate(tickets: list[Ticket], month: str, as_of: dt.date) -> Rate:
    done = counted = 0
    for t in tickets:
        if not (t.dispatched_at or "").startswith(month) or t.sign_due is None:
            continue
        signed = _day(t.signed_at)
        if signed is None and t.sign_due >= as_of:
            continue  # still running
        counted += 1
        done += signed is not None and signed <= t.sign_due
    return Rate(done, counted)


def _handle_rate(received: list[Ticket], as_of: dt.date) -> Rate:
    done = counted = 0
    for t in received:
        if t.handle_due is None:
            continue
        replied = _day(t.replied_at)
        if replied is None and t.handle_due >= as_of:
            continue
        counted += 1
        done += replied is not None and replied <= t.handle_due
    return Rate(done, counted)


def _assignee_name(ticket: Ticket, names: dict[str, str]) -> str:
    if ticket.assignee_kind == "village":
        return names.get(ticket.assignee, ticket.assignee)
    return departments.display(ticket.assignee)


def _overdue(as_of: dt.date, names: dict[str, str]) -> list[board.TicketRow]:
    """Tickets open and past their deadline at *as_of*'s end, as they stood then."""
    moment = history.cutoff(as_of)
    changed_since = TicketEvent.select(TicketEvent.ticket_id).where(TicketEvent.at > moment)
    query = ticket_service.visible(Ticket.select()).where(
        (Ticket.received_at <= moment) & ((Ticket.state << list(OPEN_STATES)) | (Ticket.id.in_(changed_since))))
    day = deadlines.Day(as_of)
    found = [board.row_of(t, day, names, {}) for t in history.as_of(list(query), moment, names)
             if t.state in OPEN_STATES]
    return sorted((r for r in found if r.colour == "red"), key=lambda r: (-r.overdue_workdays, r.number))


def _by_assignee(received: list[Ticket], overdue: list[board.TicketRow], names: dict[str, str],
                 as_of: dt.date) -> list[AssigneeFigures]:
    groups: dict[tuple[str, str], list[Ticket]] = {}
    for t in received:
        if t.assignee:
            groups.setdefault((t.assignee_kind, _assignee_name(t, names)), []).append(t)
    late = Counter(departments.display(r.assignee) if r.assignee not in names.values() else r.assignee
                   for r in overdue if r.assignee)
    keys = set(groups) | {("department" if name not in names.values() else "village", name) for name in late}
    found = [AssigneeFigures(name, kind, len(groups.get((kind, name), [])),
                             _handle_rate(groups.get((kind, name), []), as_of), late.get(name, 0))
             for kind, name in keys]
    return sorted(found, key=lambda f: (f.kind != "department", -f.received, f.name))


def figures(month, as_of: dt.date | None = None) -> MonthFigures:
    month = hot.month_text(month)
    first, last = month_bounds(month)
    as_of = min(as_of or dt.date.today(), last)
    # Tickets dispatched or visited in the month were received in it or in the months before:
    # an indexed range on received_at, then the exact test here, on each ticket as it stood at
    # the end of *as_of*.
    since = (first - dt.timedelta(days=LOOK_BACK_DAYS)).isoformat()
    following = (last + dt.timedelta(days=1)).isoformat()
    base = ticket_service.visible(Ticket.select()).where((Ticket.received_at >= since)
                                                         & (Ticket.received_at < following))
    names = office_service.names()
    then = history.as_of(list(base), history.cutoff(as_of), names)
    touched = [t for t in then if t.received_at.startswith(month) or (t.dispatched_at or "").startswith(month)
               or (t.visited_at or "").startswith(month)]
    received_all = [t for t in touched if t.received_at.startswith(month)]
    received = [t for t in received_all if t.state != "merged"]
    villages = Counter(names.get(t.village_id, "") if t.village_id else "镇级（未定村/社区）" for t in received)
    categories = Counter(t.category for t in received)
    visits = Counter(t.visit_result for t in touched if (t.visited_at or "").startswith(month) and t.visit_result)
    satisfied = sum(n for result, n in visits.items() if result in SATISFIED)
    states = Counter(t.state for t in received)
    overdue = _overdue(as_of, names)
    return MonthFigures(
        month, as_of, len(received), len(received_all) - len(received),
        [(k, sum(1 for t in received if t.kind == k)) for k in KINDS],
        categories.most_common(), sorted(villages.items(), key=lambda p: (-p[1], p[0])),
        [(s, n) for s, n in states.most_common()],
        _sign_rate(touched, month, as_of), _handle_rate(received, as_of),
        Rate(satisfied, sum(visits.values())), [(r, visits.get(r, 0)) for r in ("满意", "基本满意", "不满意")],
        overdue, hot.hot_issues(month, as_of), _by_assignee(received, overdue, names, as_of))


@dataclass(frozen=True)
class Kpis:
    """The 工作台's figures of the current month."""

    month: str
    received: int
    open: int
    overdue: int
    sign_rate: str
    handle_rate: str
    satisfaction_rate: str


def current_kpis(today: dt.date | None = None) -> Kpis:
    today = today or dt.date.today()
    found = figures(today, today)
    open_count = sum(n for state, n in found.by_state if state not in ("closed", "merged"))
    return Kpis(found.month, found.received, open_count, len(found.overdue), found.sign.text,
                found.handle.text, found.satisfaction.text)
