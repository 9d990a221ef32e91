"""Deadlines of a ticket in working days (the app's one calendar) and what they mean on a date.

签收 is due N working days after 派单 (setting ``hotline.sign_workdays``); handling (答复 to the
citizen) is due N working days after 派单 by type; an urgent ticket is signed and answered the
same day; a 重办 starts a new handling period from the 回访. On a given day a running deadline is "yellow" from two working
days before it to the day itself, "red" once passed; the day after a passed deadline the ticket
is due for 催办, and after ``hotline.supervise_after`` overdue working days for 督办.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civdesk.calendar import holidays
from civdesk.hotline.terms import KIND_SETTINGS, YELLOW_WORKDAYS
from civdesk.office import settings


def categories() -> list[str]:
    text = str(settings.get("hotline.categories") or "")
    found = [part.strip() for part in text.replace(";", "；").replace("\n", "；").split("；") if part.strip()]
    return found or ["其他"]


def handling_workdays(kind: str, urgent: bool) -> int:
    return 0 if urgent else int(settings.get(KIND_SETTINGS[kind]))


def sign_due(dispatched: dt.date, urgent: bool = False) -> tuple[dt.date, str]:
    """(deadline, warning about a year without a holiday schedule or ""); urgent: the same day."""
    result = holidays.add_workdays(dispatched, 0 if urgent else int(settings.get("hotline.sign_workdays")))
    return result.day, holidays.warning_for(result)


def handle_due(start: dt.date, kind: str, urgent: bool) -> tuple[dt.date, str]:
    result = holidays.add_workdays(start, handling_workdays(kind, urgent))
    return result.day, holidays.warning_for(result)


def calendar_warning(start: dt.date, end: dt.date | None) -> str:
    """The warning a screen shows when a deadline was counted across a year without a holiday schedule."""
    if end is None:
        return ""
    missing = holidays.missing_years(range(start.year, max(start, end).year + 1))
    if not missing:
        return ""
    return holidays.warning_for(holidays.WorkdayCount(0, frozenset(missing)))


def extended_due(due: dt.date, days: int) -> dt.date:
    return holidays.add_workdays(due, days).day


@dataclass(frozen=True)
class DeadlineState:
    """The deadline running on *day*: which one, when, its colour and any escalation."""

    which: str  # "sign" | "handle" | ""
    due: dt.date | None
    colour: str  # "ok" | "yellow" | "red" | ""
    overdue_workdays: int
    escalation: str  # "" | "urge" (催办) | "supervise" (督办)


NONE = DeadlineState("", None, "", 0, "")


class Day:
    """Deadlines judged on one day, against the calendar in force when it was made (a board
    of hundreds of tickets would otherwise ask the holiday table once a ticket)."""

    def __init__(self, day: dt.date):
        self.day = day
        self.supervise_after = int(settings.get("hotline.supervise_after"))
        self._calendar = holidays.current()  # one look at the holiday table for the whole board
        self._counts: dict[tuple[dt.date, dt.date], int] = {}

    def between(self, a: dt.date, b: dt.date) -> int:
        key = (a, b)
        if key not in self._counts:
            self._counts[key] = self._calendar.workdays_between(a, b).days
        return self._counts[key]

    def state_on(self, which: str, due: dt.date | None) -> DeadlineState:
        if due is None or not which:
            return NONE
        if self.day > due:
            late = self.between(due, self.day)
            return DeadlineState(which, due, "red", late, "supervise" if late >= self.supervise_after else "urge")
        ahead = self.between(self.day, due)
        return DeadlineState(which, due, "yellow" if ahead <= YELLOW_WORKDAYS else "ok", 0, "")

    def running(self, state: str, sign: dt.date | None, handle: dt.date | None) -> DeadlineState:
        """The deadline that a ticket in *state* is working towards on this day."""
        if state == "dispatched":
            return self.state_on("sign", sign)
        if state in ("signed", "redo"):
            return self.state_on("handle", handle)
        return NONE


def running(state: str, sign: dt.date | None, handle: dt.date | None, day: dt.date) -> DeadlineState:
    """The deadline that a ticket in *state* is working towards on *day*."""
    return Day(day).running(state, sign, handle)
