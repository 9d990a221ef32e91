"""被推荐人: one person per ID number, whatever the session; their particulars and earlier honours.

Two PCs that registered the same ID number before they synced hold two records of one person
(``same_person``); duplicates, honours and the upward track look at all of them.
"""

from __future__ import annotations

import datetime as dt

from civdesk.core import changes, validation
from civdesk.core.actor import Actor
from civdesk.core.errors import NotFound
from civdesk.core.validation import ValidationError
from civdesk.nominations.models import SEXES, Nominee, NomineeHonour
from civdesk.volunteers.roster import resolve_village

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
    return (Nominee.select().where((Nominee.id_number == id_number) & (Nominee.deleted == _LIVE))
            .order_by(Nominee.created_at).first())


def get_nominee(nominee_id: str) -> Nominee:
    row = Nominee.get_or_none((Nominee.id == nominee_id) & (Nominee.deleted == _LIVE))
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
    they synced hold two records, which are one person for duplicates, honours and the record."""
    number = Nominee.select(Nominee.id_number).where(Nominee.id == nominee_id).scalar()
    if not number:
        return [nominee_id]
    return [i for (i,) in Nominee.select(Nominee.id).where((Nominee.id_number == number)
                                                             & (Nominee.deleted == _LIVE)).tuples()] or [nominee_id]


def honours(nominee_id: str) -> list[NomineeHonour]:
    return list(NomineeHonour.select().where((NomineeHonour.nominee_id << same_person(nominee_id))
                                             & (NomineeHonour.deleted == _LIVE))
                .order_by(NomineeHonour.awarded_date.desc(), NomineeHonour.id))


def honour_text(honour: NomineeHonour) -> str:
    return honour.title + (f"（{honour.awarded_date:%Y-%m}）" if honour.awarded_date else "")
