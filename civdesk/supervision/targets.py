"""What an inspection or a notice is about: a 创建单位 (looked up through the units domain's public
functions; only its id is stored), a 门前三包 holder, or a free-text place. The target decides the
village, and so the scope: a village PC may only handle its own village's targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from civdesk.core import validation
from civdesk.supervision import common
from civdesk.supervision.models import TARGET_KINDS, Holder
from civdesk.units import organisations as unit_orgs

_LIVE = False


@dataclass(frozen=True)
class Target:
    kind: str  # "org" | "holder" | "place"
    org_id: str | None
    holder_id: str | None
    place: str
    name: str
    village_id: str | None
    responsible: str


def _holder(holder_id: str) -> Holder | None:
    return Holder.get_or_none((Holder.id == holder_id) & (Holder.deleted == _LIVE)) if holder_id else None


def _org(value: str):
    """An organisation by id or by its exact name."""
    found = unit_orgs.org_ref(value)
    if found is None:
        found = next((o for o in unit_orgs.org_refs(text=value) if o.name == value), None)
    return found


def resolve(kind: str, *, org=None, holder=None, place: str = "", village=None, errors: dict) -> Target | None:
    """Check a target; problems go into *errors* (field "target"/"village_id")."""
    kind = kind or ("org" if org else "holder" if holder else "place")
    if kind not in TARGET_KINDS:
        errors["target_kind"] = "对象类别只能是创建单位（org）、门前三包责任户（holder）或地点（place）"
        return None
    own = common.own_village_id()
    if kind == "org":
        found = _org(validation.normalize_text(org or ""))
        if found is None:
            errors["target"] = f"找不到创建单位「{org or ''}」" if org else "请选择创建单位"
            return None
        if own is not None and found.village_id != own:
            errors["target"] = (f"「{found.name}」不是{common.village_name(own)}的单位：本机只能对本村（社区）的单位"
                                "登记自查和整改，其他村的由镇文明办下发")
            return None
        return Target("org", found.id, None, "", found.name, found.village_id, found.contact_person)
    if kind == "holder":
        found = _holder(holder or "")
        if found is None:
            errors["target"] = "找不到这个门前三包责任户"
            return None
        if own is not None and found.village_id != own:
            errors["target"] = f"「{found.name}」不属于{common.village_name(own)}"
            return None
        return Target("holder", None, found.id, "", found.name, found.village_id, found.responsible)
    place = validation.normalize_text(place)
    if not place:
        errors["target"] = "请填写地点"
        return None
    village_id = common.resolve_village(village, errors)
    return Target("place", None, None, place, place, village_id, "")


def name_of(kind: str, org_id: str | None, holder_id: str | None, place: str) -> str:
    if kind == "org":
        return unit_orgs.name_of(org_id)
    if kind == "holder":
        row = Holder.get_or_none(Holder.id == holder_id)
        return row.name if row is not None else ""
    return place


def namer(rows) -> Callable[[object], str]:
    """``name_of`` for a whole list of inspections or notices (rows with target_kind, org_id,
    holder_id and place): organisation and holder names read once for all."""
    rows = list(rows)
    orgs = unit_orgs.names_of(r.org_id for r in rows if r.target_kind == "org")
    holder_ids = list({r.holder_id for r in rows if r.target_kind == "holder" and r.holder_id})
    holders = dict(Holder.select(Holder.id, Holder.name).where(Holder.id.in_(holder_ids)).tuples()) if holder_ids else {}

    def name(row) -> str:
        if row.target_kind == "org":
            return orgs.get(row.org_id, "") if row.org_id else ""
        if row.target_kind == "holder":
            return holders.get(row.holder_id, "")
        return row.place
    return name
