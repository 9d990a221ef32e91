"""Dated items other domains put on the month calendar of 活动 (督查 rounds and 整改 deadlines,
热线 ticket deadlines): each domain registers a provider ``provider(actor, first, last)`` with
``registry.add_calendar_provider`` (as it registers its 工作台 providers); the calendar asks
:func:`items` for a month. A provider returns what *actor* may see on this PC: a village PC its
own village's items only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from civdesk.core.actor import Actor
from civdesk.core.registry import registry

# The sources a calendar legend shows, in this order, with their mark.
SOURCES = {"supervision": ("督查", "◆"), "hotline": ("热线", "▲")}


@dataclass(frozen=True)
class CalendarItem:
    day: dt.date
    source: str  # a key of SOURCES
    title: str  # short, for a day cell
    detail: str  # a line for the day's list and the tooltip
    target: str  # the page (and section) that opens the record: "hotline/ticket/<id>"
    late: bool = False  # the deadline has passed without the step being done

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {tuple(SOURCES)}, not {self.source!r}")

    @property
    def source_label(self) -> str:
        return SOURCES[self.source][0]

    @property
    def mark(self) -> str:
        return SOURCES[self.source][1]


Provider = Callable[[Actor, dt.date, dt.date], list[CalendarItem]]


def items(actor: Actor, first: dt.date, last: dt.date) -> list[CalendarItem]:
    """Every registered provider's items from *first* to *last*, by day, then source."""
    found = [item for provider in registry.calendar_providers() for item in provider(actor, first, last)
             if first <= item.day <= last]
    order = list(SOURCES)
    return sorted(found, key=lambda i: (i.day, order.index(i.source), i.title))


def by_day(actor: Actor, first: dt.date, last: dt.date) -> dict[dt.date, list[CalendarItem]]:
    grouped: dict[dt.date, list[CalendarItem]] = {}
    for item in items(actor, first, last):
        grouped.setdefault(item.day, []).append(item)
    return grouped
