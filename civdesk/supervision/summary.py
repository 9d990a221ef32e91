"""督查通报 figures for a month (or any period): rounds held, problems by village and mechanism,
rectification on time, late and overdue, and a ranking of the villages.

Which notices count in a period: those closed (复查通过) in it, and those still open and overdue
at its end. *On time*: closed, never failed a 复查, and rectified (reported, or passed on the spot)
by the first deadline; *late*: closed otherwise; *overdue*: open past the deadline at the end.

Village score (weights are settings, 督查整改 group):
    100 − problems × score_problem − late × score_late − overdue × score_overdue
        − missed rounds × score_missed_round, never below 0.
Villages rank by score, then fewer problems, then name.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass, field

from civdesk.core.errors import CivDeskError
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.supervision import common, inspections, plans, rectification
from civdesk.supervision.models import Notice, NoticeEvent

_LIVE = False
WEIGHT_KEYS = {"problem": "supervision.score_problem", "late": "supervision.score_late",
               "overdue": "supervision.score_overdue", "missed": "supervision.score_missed_round"}
TOWN = "镇区"


@dataclass
class VillageLine:
    village_id: str | None
    name: str
    problems: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    rounds_due: int = 0
    rounds_held: int = 0
    score: int = 100

    @property
    def missed(self) -> int:
        return self.rounds_due - self.rounds_held


@dataclass
class Summary:
    label: str
    start: dt.date
    end: dt.date
    inspections: int
    self_inspections: int
    rounds_due: int
    rounds_held: int
    problems: int
    mechanisms: list[str]
    by_village: dict[str, dict[str, int]]  # village name -> mechanism -> problems
    on_time: int
    late: int
    overdue: int
    escalated: int
    open: int
    ranking: list[VillageLine]
    weights: dict[str, int]
    overdue_rows: list = field(default_factory=list)


def month_range(text: str) -> tuple[dt.date, dt.date]:
    try:
        year, month = (int(part) for part in str(text).strip().split("-"))
        start = dt.date(year, month, 1)
    except ValueError:
        raise CivDeskError(f"月份应写成 YYYY-MM，例如 2026-03，当前为「{text}」") from None
    return start, start.replace(day=month_calendar.monthrange(year, month)[1])


def weights() -> dict[str, int]:
    return {name: int(settings.get(key)) for name, key in WEIGHT_KEYS.items()}


def _events_by_notice(end: dt.date) -> dict[str, list[NoticeEvent]]:
    """Every event up to *end*, per notice, in clock order: one query for the whole report."""
    found: dict[str, list[NoticeEvent]] = {}
    for event in (NoticeEvent.select().where((NoticeEvent.deleted == _LIVE) & (NoticeEvent.day <= end))
                  .order_by(NoticeEvent.clock)):
        found.setdefault(event.notice_id, []).append(event)
    return found


def timeliness(notice: Notice, end: dt.date, events: list[NoticeEvent] | None = None) -> str:
    """"on_time" | "late" | "overdue" | "open" as of *end*."""
    if events is None:
        events = rectification.events(notice.id)
    events = [e for e in events if e.day <= end]
    passed = next((e for e in events if e.kind == "passed"), None)
    if passed is not None:
        reported = [e.day for e in events if e.kind == "reported" and e.day <= passed.day]
        done = reported[-1] if reported else passed.day
        first = next((e.new_deadline for e in events if e.kind == "issued"), None) or notice.deadline
        failed = any(e.kind == "failed" for e in events)
        return "on_time" if done <= first and not failed else "late"
    deadline = notice.deadline
    for e in events:  # the deadline in force at the end of the period
        if e.kind in ("issued", "failed") and e.new_deadline:
            deadline = e.new_deadline
    last = events[-1].kind if events else "issued"
    if last == "reported":
        return "open"
    return "overdue" if end > deadline else "open"


def build(start: dt.date, end: dt.date, label: str = "", *, today: dt.date | None = None) -> Summary:
    """The figures of start..end (both included); a period not over yet is counted as of today."""
    end = min(end, today or dt.date.today())
    villages = {v.id: VillageLine(v.id, v.name) for v in office_service.villages()}
    mechanisms = common.mechanisms()
    by_village: dict[str, dict[str, int]] = {}
    found = inspections.inspections(start=start, end=end)
    problems = inspections.finding_rows(start=start, end=end)
    village = common.village_names()
    for f in problems:
        name = village(f.village_id) if f.village_id else TOWN
        by_village.setdefault(name, {}).setdefault(f.mechanism, 0)
        by_village[name][f.mechanism] += 1
        if f.village_id in villages:
            villages[f.village_id].problems += 1
    occurrences = [o for o in plans.occurrences(start, end, as_of=end) if o.due <= end]
    for o in occurrences:
        if o.village_id in villages:
            villages[o.village_id].rounds_due += 1
            villages[o.village_id].rounds_held += o.held
    counts = {"on_time": 0, "late": 0, "overdue": 0, "open": 0}
    overdue_rows = []
    events = _events_by_notice(end)
    context = rectification.RowContext.now()
    for notice in Notice.select().where((Notice.deleted == _LIVE) & (Notice.served_date <= end)):
        outcome = timeliness(notice, end, events.get(notice.id, []))
        closed = next((e.day for e in events.get(notice.id, []) if e.kind == "passed"), None)
        if outcome in ("on_time", "late") and not (closed and start <= closed <= end):
            continue
        counts[outcome] += 1
        if outcome == "overdue":
            overdue_rows.append(rectification.row(notice, end, context))
        if notice.village_id in villages and outcome in ("on_time", "late", "overdue"):
            setattr(villages[notice.village_id], outcome, getattr(villages[notice.village_id], outcome) + 1)
    w = weights()
    for line in villages.values():
        line.score = max(0, 100 - line.problems * w["problem"] - line.late * w["late"]
                         - line.overdue * w["overdue"] - line.missed * w["missed"])
    ranking = sorted(villages.values(), key=lambda v: (-v.score, v.problems, v.name))
    return Summary(label or f"{start.year}年{start.month}月", start, end, len(found),
                   sum(1 for i in found if i.kind == "自查"), len(occurrences), sum(o.held for o in occurrences),
                   len(problems), mechanisms, by_village, counts["on_time"], counts["late"], counts["overdue"],
                   sum(1 for r in overdue_rows if r.escalated), counts["open"], ranking, w,
                   sorted(overdue_rows, key=lambda r: r.deadline))


def month(text: str) -> Summary:
    start, end = month_range(text)
    return build(start, end, f"{start.year}年{start.month}月")


QUARTERS = "一二三四"


def quarter(text: str) -> Summary:
    """"2026-Q1" (or "2026-1") → the figures of that quarter."""
    try:
        year, part = str(text).strip().upper().replace("Q", "").split("-")
        year, number = int(year), int(part)
        if not 1 <= number <= 4:
            raise ValueError
    except ValueError:
        raise CivDeskError(f"季度应写成 YYYY-Qn，例如 2026-Q1，当前为「{text}」") from None
    start = dt.date(year, number * 3 - 2, 1)
    _, end = month_range(f"{year}-{number * 3}")
    return build(start, end, f"{year}年第{QUARTERS[number - 1]}季度")
