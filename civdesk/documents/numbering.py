"""The one number service: every number the office prints in a series — 发文字号, 限期整改通知书,
热线工单, 志愿服务记录证明 — is allocated here, inside the caller's transaction, and registered in
the 发文字号 register (``DocumentNumber``) under its *series* and year.

Each domain keeps its own printed form (``format`` turns the serial into 「清溪文明委〔2026〕3号」 or
「QXZ-RX-2026-A0007」) and its own series key (its prefix with this PC's code, so PCs of one office
number apart). The next serial is one past the highest of
- what the register holds for the series and year, tombstones included (a number is never reused),
- *floor*: the highest the domain itself has printed in that series, so numbers printed before the
  register existed, and records that arrived by sync without their register entry, are passed over.

Two allocations in one transaction see each other (the register row is written before the second
reads); after a sync the other PC's entries raise the highest. Register rows have ids derived from
(series, year, serial): should two PCs ever allocate the same serial of one series offline, the
two records meet as one and sync reports a conflict, instead of two documents sharing a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from peewee import fn

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.documents.models import DocumentNumber


@dataclass(frozen=True)
class Allocated:
    serial: int
    number: str


def highest(series: str, year: int) -> int:
    """The highest serial registered in *series* and *year*, deleted entries included."""
    value = (DocumentNumber.select(fn.MAX(DocumentNumber.serial))
             .where((DocumentNumber.body_key == series) & (DocumentNumber.year == year)).scalar())
    return int(value or 0)


def peek(series: str, year: int, *, floor: int = 0) -> int:
    """The serial the next allocation would get (for a form's default; allocates nothing)."""
    return max(highest(series, year), floor) + 1


def record(actor: Actor, series: str, year: int, serial: int, number: str, *, kind: str, ref: str = "",
           title: str = "", scope: str | None = None, audit: bool = False) -> DocumentNumber:
    """Register *number* (serial *serial* of *series*); a serial already registered gets an id of its own."""
    record_id = changes.deterministic_id("document_number", series, str(year), str(serial)) if serial else None
    if record_id and DocumentNumber.get_or_none(DocumentNumber.id == record_id) is not None:
        record_id = None  # a number given by hand reusing a deleted entry's serial
    return changes.create(DocumentNumber, actor, {
        "body_key": series, "year": year, "serial": serial, "number": number, "kind": kind, "title": title,
        "ref": ref}, id=record_id, scope=scope, audit=audit, record_label=number)


def allocate(actor: Actor, series: str, year: int, format: Callable[[int], str], *, kind: str, ref: str = "",
             title: str = "", floor: int = 0, scope: str | None = None, audit: bool = False) -> Allocated:
    """The next number of *series* in *year*, registered now. Call it inside the transaction that
    writes the numbered record (it opens one of its own otherwise)."""
    return Series(series, year, format, kind=kind, floor=floor, scope=scope, audit=audit).next(actor, ref, title)


class Series:
    """Numbers of one series handed out one after another inside one transaction (a batch of
    certificates): the highest is read once, then counted on, each number registered as it goes."""

    def __init__(self, series: str, year: int, format: Callable[[int], str], *, kind: str, floor: int = 0,
                 scope: str | None = None, audit: bool = False):
        self.series, self.year, self.format, self.kind = series, year, format, kind
        self.floor, self.scope, self.audit = floor, scope, audit
        self._last: int | None = None

    def next(self, actor: Actor, ref: str = "", title: str = "", scope: str | None = None) -> Allocated:
        with database.atomic():
            if self._last is None:
                self._last = peek(self.series, self.year, floor=self.floor) - 1
            serial = self._last + 1
            number = self.format(serial)
            record(actor, self.series, self.year, serial, number, kind=self.kind, ref=ref, title=title,
                   scope=scope or self.scope, audit=self.audit)
            self._last = serial
        return Allocated(serial, number)


def find(kind: str, ref: str) -> DocumentNumber | None:
    """The live register entry of the record *ref* of *kind*."""
    return (DocumentNumber.select().where((DocumentNumber.kind == kind) & (DocumentNumber.ref == ref)
                                          & (DocumentNumber.deleted == False)).first())  # noqa: E712


def lookup(number: str) -> DocumentNumber | None:
    """The live register entry printed as *number*."""
    return (DocumentNumber.select().where((DocumentNumber.number == number.strip())
                                          & (DocumentNumber.deleted == False)).first())  # noqa: E712
