"""What lists and forms show of nominations: the session's nominations in order, one row per
nomination for the board and the command line, and characters counted as forms count them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import fn

from civdesk.core import validation
from civdesk.nominations.models import STATUSES, Nomination, NominationFile, Nominee
from civdesk.nominations.people import honour_text, honours_of

_LIVE = False


def count_chars(text: str | None) -> int:
    """Characters as forms count them: everything but spaces and line breaks."""
    return len(re.sub(r"\s", "", text or ""))


def nominations(session_id: str, statuses: tuple[str, ...] | None = None) -> list[Nomination]:
    query = (Nomination.select(Nomination).join(Nominee, on=(Nominee.id == Nomination.nominee_id))
             .where((Nomination.session_id == session_id) & (Nomination.deleted == _LIVE)))
    if statuses:
        query = query.where(Nomination.status << list(statuses))
    return list(query.order_by(Nomination.category, Nominee.name_pinyin, Nomination.id))


def nominee_name(nomination: Nomination) -> str:
    nominee = Nominee.get_or_none(Nominee.id == nomination.nominee_id)
    return nominee.name if nominee else ""


def nominee_names(nominations: list[Nomination]) -> dict[str, str]:
    """Nominee id → name for many nominations, in one query."""
    ids = list({n.nominee_id for n in nominations})
    if not ids:
        return {}
    return dict(Nominee.select(Nominee.id, Nominee.name).where(Nominee.id << ids).tuples())


@dataclass(frozen=True)
class NominationRow:
    id: str
    nominee_id: str
    name: str
    sex: str
    age: int | None
    id_masked: str
    village: str
    occupation: str
    category: str
    summary: str
    story_chars: int
    photos: int
    recommender: str
    status: str
    status_label: str
    return_reason: str
    earlier_honours: list[str]


def rows(session_id: str, today: dt.date | None = None, text: str = "") -> list[NominationRow]:
    """*text* keeps the nominees found by name, pinyin (full, initials or a mix) or ID digits."""
    from civdesk.nominations.people import search
    from civdesk.office import offices

    today = today or dt.date.today()
    villages = offices.names()
    found = []
    wanted = set(search(text)) if validation.normalize_text(text).strip() else None
    chosen = [n for n in nominations(session_id) if wanted is None or n.nominee_id in wanted]
    # Read for all rows at once: a query per row made the board slow on a large session.
    people = {p.id: p for p in Nominee.select().where(Nominee.id << [n.nominee_id for n in chosen])}
    photos = dict(NominationFile.select(NominationFile.nomination_id, fn.COUNT(NominationFile.id))
                  .where((NominationFile.nomination_id << [n.id for n in chosen]) & (NominationFile.kind == "photo")
                         & (NominationFile.deleted == _LIVE)).group_by(NominationFile.nomination_id).tuples())
    every_honour = honours_of(list(people))
    for n in chosen:
        p = people[n.nominee_id]
        age = None
        if p.birth_date:
            age = today.year - p.birth_date.year - ((today.month, today.day) < (p.birth_date.month, p.birth_date.day))
        photo_count = photos.get(n.id, 0)
        earlier = [honour_text(h) for h in every_honour.get(p.id, []) if h.session_id != session_id]
        recommender = n.recommender_name + (f"（{n.recommender_relation}）" if n.recommender_relation else "")
        found.append(NominationRow(n.id, p.id, p.name, p.sex, age, validation.mask_id_number(p.id_number),
                                   villages.get(p.village_id, ""), p.occupation, n.category, n.summary,
                                   count_chars(n.story), photo_count, recommender, n.status,
                                   STATUSES.get(n.status, n.status), n.return_reason, earlier))
    return found
