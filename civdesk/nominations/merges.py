"""One 好人评选 nominee registered twice, and the merge.

people.py keeps one nominee per ID number, so "registered twice" is what that rule cannot see:
the same ID number entered on two PCs before they synced, or the same person whose number was
mistyped on one of them (same name, and the same birth date or phone, or numbers one or two
characters apart). A reviewer keeps one record and chooses field by field; the other becomes a
tombstone pointing at it (core/merges.py). Nominations, honours and upward submissions are not
rewritten: reads go through ``people.same_person``, which follows the pointers.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from civdesk.core import merges as merging
from civdesk.core import models, validation
from civdesk.core.actor import Actor, require
from civdesk.core.merges import FieldChoice
from civdesk.nominations.models import Nomination, Nominee, NomineeHonour, UpwardSubmission

WHAT = "被推荐人"
FIELDS = [name for name in Nominee.field_labels if name != "merged_into"]
_UNITS = {"推荐": "条", "荣誉": "项", "向上推荐": "条"}


@dataclass(frozen=True)
class Side:
    id: str
    name: str
    id_masked: str
    registered: str


@dataclass(frozen=True)
class Preview:
    keep: Side
    other: Side
    fields: list[FieldChoice]
    moves: list[tuple[str, int]]
    revealed: bool

    @property
    def differing(self) -> list[FieldChoice]:
        return [c for c in self.fields if c.differs]

    def moves_text(self) -> str:
        shown = [f"{label} {count} {_UNITS.get(label, '条')}" for label, count in self.moves if count]
        return "、".join(shown) if shown else "没有推荐、荣誉或向上推荐"


def _side(row: Nominee) -> Side:
    return Side(row.id, row.name, validation.mask_id_number(row.id_number),
                f"{row.created_by} {row.created_at[:16]}".strip())


def moves(other_id: str) -> list[tuple[str, int]]:
    family = merging.merges(Nominee).family([other_id])

    def count(model) -> int:
        return (model.select(fn.COUNT(model.id))
                .where((model.nominee_id << family) & (model.deleted == False)).scalar() or 0)  # noqa: E712

    return [("推荐", count(Nomination)), ("荣誉", count(NomineeHonour)), ("向上推荐", count(UpwardSubmission))]


def preview(actor: Actor, keep_id: str, other_id: str, *, reveal: bool = False) -> Preview:
    require(actor, "merge_people")
    keep, other = merging.pair(Nominee, keep_id, other_id, WHAT)
    if reveal:
        merging.audit_view(actor, keep, other)
    return Preview(_side(keep), _side(other), merging.compare(keep, other, FIELDS, reveal=reveal),
                   moves(other.id), reveal)


def merge(actor: Actor, keep_id: str, other_id: str, choices: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """Merge nominee *other* into *keep* (choices as in volunteers.merges.merge); returns what moved."""
    require(actor, "merge_people")
    keep, other = merging.pair(Nominee, keep_id, other_id, WHAT)
    chosen = merging.checked_choices(choices, merging.compare(keep, other, FIELDS, reveal=False), Nominee)
    moved = moves(other.id)
    summary = Preview(_side(keep), _side(other), [], moved, False).moves_text()
    merging.write(actor, keep, other, chosen, f"移到保留记录：{summary}")
    return moved


@dataclass(frozen=True)
class Candidate:
    keep_id: str
    other_id: str
    name: str
    reason: str  # why they look like one person


def _near(a: str, b: str) -> bool:
    """Two ID numbers one or two characters apart (a typing slip), or one of them missing."""
    if not a or not b:
        return True
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 2


def _reason(a: Nominee, b: Nominee) -> str:
    if a.id_number and a.id_number == b.id_number:
        return "同一身份证号码登记了两次"
    if not _near(a.id_number, b.id_number):
        return ""
    if a.birth_date and a.birth_date == b.birth_date:
        return "姓名、出生日期相同，身份证号码只差一两位"
    if a.phone and a.phone == b.phone:
        return "姓名、联系电话相同，身份证号码只差一两位"
    return ""


def candidates(actor: Actor, limit: int = 50) -> list[Candidate]:
    """Pairs that look like one person registered twice, within one office (the older record
    first, suggested to keep)."""
    require(actor, "merge_people")
    live = merging.live(Nominee)
    names = (Nominee.select(Nominee.name).where(live).group_by(Nominee.name)
             .having(fn.COUNT(Nominee.id) > 1).limit(limit))
    found: list[Candidate] = []
    named = [name for (name,) in names.tuples()]
    people: dict[str, list[Nominee]] = {name: [] for name in named}
    if named:  # everyone of these names in one read
        for row in Nominee.select().where(live & (Nominee.name << named)).order_by(Nominee.created_at, Nominee.id):
            people[row.name].append(row)
    for name in named:
        rows = people[name]
        for i, first in enumerate(rows):
            for second in rows[i + 1:]:
                reason = _reason(first, second)
                if reason and (first.scope or "") == (second.scope or ""):
                    found.append(Candidate(first.id, second.id, name, reason))
    return found[:limit]


def ids_starting_with(prefix: str) -> list[str]:
    """The nominee records (merged ones included, to say so) whose id begins with *prefix*."""
    return models.ids_starting_with(Nominee, prefix, live=False)
