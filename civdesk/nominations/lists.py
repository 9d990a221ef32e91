"""What lists and forms show of nominations: the session's nominations in order, one row per
nomination for the board and the command line, and characters counted as forms count them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from civdesk.core import validation
from civdesk.nominations.models import STATUSES, Nomination, NominationFile, Nominee
from civdesk.nominations.people import honour_text, honours

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


def rows(session_id: str, today: dt.date | None = None) -> list[NominationRow]:
    from civdesk.office import offices

    today = today or dt.date.today()
    villages = offices.names()
    found = []
    for n in nominations(session_id):
        p = Nominee.get_by_id(n.nominee_id)
        age = None
        if p.birth_date:
            age = today.year - p.birth_date.year - ((today.month, today.day) < (p.birth_date.month, p.birth_date.day))
        photo_count = NominationFile.select().where((NominationFile.nomination_id == n.id) & (NominationFile.kind == "photo")
                                                    & (NominationFile.deleted == _LIVE)).count()
        earlier = [honour_text(h) for h in honours(p.id) if h.session_id != session_id]
        recommender = n.recommender_name + (f"（{n.recommender_relation}）" if n.recommender_relation else "")
        found.append(NominationRow(n.id, p.id, p.name, p.sex, age, validation.mask_id_number(p.id_number),
                                   villages.get(p.village_id, ""), p.occupation, n.category, n.summary,
                                   count_chars(n.story), photo_count, recommender, n.status,
                                   STATUSES.get(n.status, n.status), n.return_reason, earlier))
    return found
