"""One volunteer registered twice (two PCs, each before they synced): the merge.

A reviewer keeps one record and chooses, field by field, which of the two values it keeps; the
other becomes a tombstone pointing at it (core/merges.py). Service records, certificates, team
memberships and activity participations are not rewritten: every read follows the pointer, so
they count for the person kept, also those a PC that has not seen the merge adds later.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from civdesk.core import merges as merging
from civdesk.core import models, validation
from civdesk.core.actor import Actor, require
from civdesk.core.merges import FieldChoice
from civdesk.volunteers.models import (
    ActivityParticipant,
    Certificate,
    ServiceRecord,
    Team,
    TeamMember,
    Volunteer,
)

WHAT = "志愿者"
# Everything a clerk fills in, but the number: the number kept is the survivor's (both stay
# findable: the other's number leads to the person kept).
FIELDS = [name for name in Volunteer.field_labels if name not in ("number", "merged_into")]


@dataclass(frozen=True)
class Side:
    id: str
    number: str
    name: str
    registered: str  # 登记于 (the PC user and time of the record's creation)


@dataclass(frozen=True)
class Preview:
    keep: Side
    other: Side
    fields: list[FieldChoice]  # every field, side by side; ``differs`` tells the ones to choose
    moves: list[tuple[str, int]]  # ("服务记录", 3), ("志愿服务记录证明", 1) …
    hours: float  # the other's approved hours, which from now on count for the person kept
    revealed: bool

    @property
    def differing(self) -> list[FieldChoice]:
        return [c for c in self.fields if c.differs]

    def moves_text(self) -> str:
        shown = [f"{label} {count} {unit}" for label, count, unit in
                 ((label, count, _UNITS.get(label, "条")) for label, count in self.moves) if count]
        if self.hours and shown and shown[0].startswith("服务记录"):
            shown[0] += f"（已审核 {self.hours:g} 小时）"
        return "、".join(shown) if shown else "没有服务记录、证明或队伍"


_UNITS = {"志愿服务记录证明": "份", "所在队伍": "个", "参加的活动": "项", "负责的队伍": "个", "服务记录": "条"}


def _side(row: Volunteer) -> Side:
    return Side(row.id, row.number, row.name, f"{row.created_by} {row.created_at[:16]}".strip())


def _count(query) -> int:
    return query.scalar() or 0


def moves(other_id: str) -> list[tuple[str, int]]:
    """What belongs to the record merged away (and to records merged into it before)."""
    family = merging.merges(Volunteer).family([other_id])
    live = lambda model: model.deleted == False  # noqa: E712, E731
    return [
        ("服务记录", _count(ServiceRecord.select(fn.COUNT(ServiceRecord.id))
                        .where((ServiceRecord.volunteer_id << family) & live(ServiceRecord)))),
        ("志愿服务记录证明", _count(Certificate.select(fn.COUNT(Certificate.id))
                            .where((Certificate.volunteer_id << family) & live(Certificate)))),
        ("所在队伍", _count(TeamMember.select(fn.COUNT(TeamMember.team_id.distinct()))
                        .where((TeamMember.volunteer_id << family) & live(TeamMember)))),
        ("参加的活动", _count(ActivityParticipant.select(fn.COUNT(ActivityParticipant.activity_id.distinct()))
                         .where((ActivityParticipant.volunteer_id << family) & live(ActivityParticipant)))),
        ("负责的队伍", _count(Team.select(fn.COUNT(Team.id)).where((Team.leader_id << family) & live(Team)))),
    ]


def _own_hours(other_id: str) -> float:
    from civdesk.volunteers import hours

    return hours.totals_for([other_id]).get(other_id, 0) / 2


def preview(actor: Actor, keep_id: str, other_id: str, *, reveal: bool = False) -> Preview:
    """The two records side by side and what the merge moves; nothing is written (but the audit
    entry of a reveal: personal data shown in full is a viewing)."""
    require(actor, "merge_people")
    keep, other = merging.pair(Volunteer, keep_id, other_id, WHAT)
    if reveal:
        merging.audit_view(actor, keep, other)
    return Preview(_side(keep), _side(other), merging.compare(keep, other, FIELDS, reveal=reveal),
                   moves(other.id), _own_hours(other.id), reveal)


@dataclass(frozen=True)
class Result:
    keep_id: str
    other_id: str
    changed: dict  # {field: [before, after]} on the record kept (personal values masked)
    moved: list[tuple[str, int]]


def merge(actor: Actor, keep_id: str, other_id: str, choices: dict[str, str] | None = None) -> Result:
    """Merge *other* into *keep*. *choices*: {field: "keep" | "other"} for fields that differ
    (unnamed ones keep the kept record's value). Refused, with nothing written, for a record and
    itself, records of different offices, or a record already merged."""
    require(actor, "merge_people")
    keep, other = merging.pair(Volunteer, keep_id, other_id, WHAT)
    chosen = merging.checked_choices(choices, merging.compare(keep, other, FIELDS, reveal=False), Volunteer)
    moved = moves(other.id)
    summary = Preview(_side(keep), _side(other), [], moved, _own_hours(other.id), False).moves_text()
    changed = merging.write(actor, keep, other, chosen, f"移到保留记录：{summary}")
    masked = {name: [_masked(name, before), _masked(name, after)] for name, (before, after) in changed.items()}
    return Result(keep.id, other.id, masked, moved)


def _masked(name: str, value):
    from civdesk.core import changes

    kind = Volunteer.personal_fields.get(name)
    return changes.mask_personal(kind, value) if kind else value


@dataclass(frozen=True)
class Candidate:
    keep_id: str
    other_id: str
    name: str
    id_masked: str
    numbers: str  # "QXZ-A000001、QXZ-B000001"


def pairs(limit: int = 50) -> list[Candidate]:
    """People registered twice (one ID number, two live records): the older record first, as
    the one suggested to keep. Numbers masked; for the start page and the merge dialog."""
    live = merging.live(Volunteer)
    twice = (Volunteer.select(Volunteer.id_number).where(live & (Volunteer.id_number != ""))
             .group_by(Volunteer.id_number).having(fn.COUNT(Volunteer.id) > 1)
             .order_by(fn.MIN(Volunteer.name_pinyin)).limit(limit))
    numbers = [number for (number,) in twice.tuples()]
    people: dict[str, list[Volunteer]] = {number: [] for number in numbers}
    if numbers:  # everyone of these numbers in one read
        for row in (Volunteer.select().where(live & (Volunteer.id_number << numbers))
                    .order_by(Volunteer.created_at, Volunteer.id)):
            people[row.id_number].append(row)
    found = []
    for number in numbers:
        rows = people[number]
        for other in rows[1:]:
            found.append(Candidate(rows[0].id, other.id, rows[0].name, validation.mask_id_number(number),
                                   f"{rows[0].number}、{other.number}"))
    return found


def candidates(actor: Actor, limit: int = 50) -> list[Candidate]:
    require(actor, "merge_people")
    return pairs(limit)


def ids_numbered(number: str) -> list[str]:
    """The volunteer records (merged ones included, to say so) with this volunteer number."""
    return [i for (i,) in Volunteer.select(Volunteer.id).where(Volunteer.number == number.upper()).tuples()]


def ids_starting_with(prefix: str) -> list[str]:
    """The volunteer records (merged ones included) whose id begins with *prefix*."""
    return models.ids_starting_with(Volunteer, prefix, live=False)
