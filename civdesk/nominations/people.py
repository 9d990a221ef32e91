"""被推荐人: one person per ID number, whatever the session; their particulars and earlier honours.

Two PCs that registered the same ID number before they synced hold two records of one person
(``same_person``); duplicates, honours and the upward track look at all of them.
"""

from __future__ import annotations

import datetime as dt

from civdesk.core import changes, pinyin, validation
from civdesk.core import merges as merging
from civdesk.core.actor import Actor
from civdesk.core.errors import NotFound
from civdesk.core.validation import ValidationError
from civdesk.nominations.models import SEXES, Nominee, NomineeHonour
from civdesk.office.offices import resolve_village

_LIVE = False


def clean_person(values: dict, today: dt.date | None = None) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    name = validation.required(values.get("name"), "姓名")
    if name.ok and len(name.value) <= 30:
        out["name"] = name.value
    else:
        errors["name"] = name.error or "姓名不能超过 30 个字"
    checked = validation.id_number(values.get("id_number"), today=today)
    sex = validation.normalize_text(values.get("sex") or "")
    if sex and sex not in SEXES:
        errors["sex"] = "性别只能是「男」或「女」"
    if checked.ok:
        out["id_number"], out["birth_date"] = checked.value.number, checked.value.birth_date
        if sex and sex != checked.value.sex and "sex" not in errors:
            errors["sex"] = f"性别与身份证号码不符：按号码应为「{checked.value.sex}」"
        sex = checked.value.sex
    else:
        errors["id_number"] = checked.error
    out["sex"] = sex
    try:
        out["village_id"] = resolve_village(values.get("village_id"))
    except ValidationError as exc:
        errors.update(exc.errors)
    phone = validation.phone(values.get("phone"), required=False)
    if phone.ok:
        out["phone"] = phone.value or ""
    else:
        errors["phone"] = phone.error
    for key in ("occupation", "political_status", "address"):
        out[key] = validation.normalize_text(values.get(key) or "")
    if errors:
        raise ValidationError(errors)
    return out


def find_nominee(id_number: str) -> Nominee | None:
    return (Nominee.select().where((Nominee.id_number == id_number) & merging.live(Nominee))
            .order_by(Nominee.created_at).first())


def get_nominee(nominee_id: str) -> Nominee:
    """A nominee by id; the id of a record merged into another gives the person kept."""
    found = merging.merges(Nominee)
    row = Nominee.get_or_none((Nominee.id == found.survivor(nominee_id)) & merging.live(Nominee, found))
    if row is None:
        raise NotFound("找不到这名被推荐人。")
    return row


def nominee_for(actor: Actor, person: dict) -> Nominee:
    """The nominee record of this ID number, brought up to date; a new one if none."""
    existing = find_nominee(person["id_number"])
    if existing is None:
        return changes.create(Nominee, actor, person, scope=person.get("village_id"))
    changes.update(existing, actor, {k: v for k, v in person.items() if v not in (None, "") or k == "village_id"})
    return existing


def same_person(nominee_id: str) -> list[str]:
    """Every nominee record of this person: two PCs that each registered the same ID number before
    they synced hold two records, which are one person for duplicates, honours and the record;
    so are records merged into this one (nominations/merges.py), whatever their ID number."""
    found = merging.merges(Nominee)
    family = found.family([nominee_id])
    survivor = found.survivor(nominee_id)
    number = Nominee.select(Nominee.id_number).where(Nominee.id == survivor).scalar()
    if not number:
        return family
    same = [i for (i,) in Nominee.select(Nominee.id).where((Nominee.id_number == number)
                                                             & merging.live(Nominee, found)).tuples()]
    return found.family(sorted(set(same) | {survivor})) if same else family


def honours(nominee_id: str) -> list[NomineeHonour]:
    return list(NomineeHonour.select().where((NomineeHonour.nominee_id << same_person(nominee_id))
                                             & (NomineeHonour.deleted == _LIVE))
                .order_by(NomineeHonour.awarded_date.desc(), NomineeHonour.id))


def honours_of(nominee_ids: list[str]) -> dict[str, list[NomineeHonour]]:
    """``honours`` of many nominees in two queries: nominee id → that person's honours."""
    ids = list(set(nominee_ids))
    if not ids:
        return {}
    numbers = dict(Nominee.select(Nominee.id, Nominee.id_number).where(Nominee.id << ids).tuples())
    wanted = [n for n in set(numbers.values()) if n]
    people: dict[str, list[str]] = {}  # ID number → every live record of that person
    for record_id, number in (Nominee.select(Nominee.id, Nominee.id_number)
                              .where((Nominee.id_number << wanted) & (Nominee.deleted == _LIVE)).tuples()):
        people.setdefault(number, []).append(record_id)
    records = {i: people.get(numbers.get(i) or "", []) or [i] for i in ids}
    every = sorted({r for group in records.values() for r in group})
    found: dict[str, list[NomineeHonour]] = {}
    for honour in (NomineeHonour.select().where((NomineeHonour.nominee_id << every) & (NomineeHonour.deleted == _LIVE))
                   .order_by(NomineeHonour.awarded_date.desc(), NomineeHonour.id)):
        found.setdefault(honour.nominee_id, []).append(honour)
    result = {}
    for nominee_id, group in records.items():
        mine = [h for r in group for h in found.get(r, [])]
        mine.sort(key=lambda h: h.id)
        mine.sort(key=lambda h: h.awarded_date or dt.date.min, reverse=True)
        result[nominee_id] = mine
    return result


def honour_text(honour: NomineeHonour) -> str:
    return honour.title + (f"（{honour.awarded_date:%Y-%m}）" if honour.awarded_date else "")


def _prefix(column, text: str):
    return (column >= text) & (column < text + "\U0010ffff")


def search(text: str) -> list[str]:
    """Ids of live nominees found by the typed text: the name anywhere, pinyin initials ("zs"),
    full pinyin with or without spaces ("zhangsan", "zhang s"), or a mix ("zhangs", "zsan"),
    or the last digits of the ID number; each an indexed lookup, in pinyin order."""
    text = validation.normalize_text(text).strip()
    if not text:
        return []
    live = merging.live(Nominee)
    found: dict[str, str] = {}

    def add(condition) -> None:
        for nid, key in Nominee.select(Nominee.id, Nominee.name_pinyin).where(live & condition).tuples():
            found[nid] = key

    if text.isascii() and text.replace(" ", "").isalpha():
        typed = text.lower()
        add(_prefix(Nominee.name_initials, typed.replace(" ", "")))
        add(_prefix(Nominee.name_pinyin, typed))
        add(_prefix(Nominee.name_spell, typed.replace(" ", "")))
        for head in pinyin.initials_prefixes(typed):
            for nid, key in (Nominee.select(Nominee.id, Nominee.name_pinyin)
                             .where(live & _prefix(Nominee.name_initials, head)).tuples()):
                if pinyin.matches(typed, key):
                    found[nid] = key
    else:
        add(Nominee.name.contains(text) | Nominee.id_number.endswith(text.upper()))
    return [nid for nid, _ in sorted(found.items(), key=lambda item: (item[1], item[0]))]
