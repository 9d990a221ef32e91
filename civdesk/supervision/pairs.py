"""整改前/整改后 photo pairs of a notice: which 整改后 photo (of a rectification report or a 复查)
answers which 整改前 photo (of the notice's findings).

A clerk names the pair: when reporting (each after-photo with the before-photo it answers, or
none) or afterwards (:func:`set_pairs`, e.g. a photo sent from the village without its pair).
Pairs are never guessed from the order of the photos. Stored pairs are append-only rows whose
newest by clock is in force, so a village and the township pairing the same photo offline converge
on both PCs after the next package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.supervision import common, inspections, photos
from civdesk.supervision.models import Notice, NoticeEvent, Photo

_LIVE = False


@dataclass(frozen=True)
class BeforeChoice:
    """A 整改前 photo a clerk can pair with: its id and how the pair list names it."""

    id: str
    label: str
    file_name: str
    description: str


@dataclass(frozen=True)
class PairView:
    """What the notice page shows: the pairs side by side, then what is unpaired."""

    pairs: list[tuple[photos.PhotoRow, photos.PhotoRow]]  # (before, after)
    unpaired_before: list[photos.PhotoRow]
    unpaired_after: list[photos.PhotoRow]
    choices: list[BeforeChoice]


def before_choices(notice: Notice) -> list[BeforeChoice]:
    """The notice's 整改前 photos, in the order of its findings: 「问题1-1：主干道两侧堆放…」."""
    found = []
    for number, finding in enumerate(inspections.finding_rows(json.loads(notice.finding_ids or "[]")), start=1):
        names = {p.id: p.file_name for p in photos.rows([finding.id])}
        for index, photo_id in enumerate(finding.photo_ids, start=1):
            text = finding.description if len(finding.description) <= 14 else finding.description[:13] + "…"
            found.append(BeforeChoice(photo_id, f"问题{number}-{index}：{text}", names.get(photo_id, ""),
                                      finding.description))
    return found


def _event_ids(notice: Notice) -> list[str]:
    return [e for (e,) in NoticeEvent.select(NoticeEvent.id).where(
        (NoticeEvent.notice_id == notice.id) & (NoticeEvent.deleted == _LIVE)).tuples()]


def _after_photos(notice: Notice) -> list[Photo]:
    return [p for p in photos.of(_event_ids(notice)) if p.stage == "after"]


def view(notice_id: str) -> PairView:
    notice = common.get_live(Notice, notice_id, "整改通知书")
    choices = before_choices(notice)
    befores = {r.id: r for r in photos.rows(json.loads(notice.finding_ids or "[]")) if r.stage == "before"}
    afters = [r for r in photos.rows(_event_ids(notice)) if r.stage == "after"]
    pairs = [(befores[a.pair_id], a) for a in afters if a.pair_id in befores]
    answered = {before.id for before, _ in pairs}
    ordered = [befores[c.id] for c in choices if c.id in befores]
    return PairView(pairs, [b for b in ordered if b.id not in answered],
                    [a for a in afters if a.pair_id not in befores], choices)


def check_choices(notice: Notice, chosen: list[str | None], errors: dict, field: str = "pairs") -> None:
    """Every chosen before-photo is one of the notice's; refused naming the row otherwise."""
    known = {c.id for c in before_choices(notice)}
    for number, before_id in enumerate(chosen, start=1):
        if before_id and before_id not in known:
            errors[field] = f"第 {number} 张整改后照片对应的整改前照片不属于这份通知书的问题，请重新选择"
            return


def set_pairs(actor: Actor, notice_id: str, chosen: dict[str, str | None], note: str = "") -> int:
    """Pair stored after-photos of the notice: {after id: before id or None}. All or nothing;
    returns the pairings written (those that changed)."""
    require(actor, "report_rectification")  # whoever reports or reviews a rectification (reviewers can both)
    notice = common.get_live(Notice, notice_id, "整改通知书")
    own = common.own_village_id()
    if own is not None and notice.village_id != own:
        raise CivDeskError(f"这份通知书不是{common.village_name(own)}的，本机不能调整照片配对。")
    afters = {p.id: p for p in _after_photos(notice)}
    errors: dict = {}
    unknown = [a for a in chosen if a not in afters]
    if unknown:
        errors["pairs"] = "要配对的整改后照片不属于这份通知书（可能已被删除）"
    check_choices(notice, list(chosen.values()), errors)
    if errors:
        raise ValidationError(errors)
    current = photos.pairing(list(afters.values()))
    written = 0
    with database.atomic():
        for after_id, before_id in chosen.items():
            if current.get(after_id) != (before_id or None):
                photos.pair(actor, afters[after_id], before_id or None, note)
                written += 1
    return written
