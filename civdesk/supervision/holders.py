"""门前三包 registry: shops, households and units answering for cleanliness, order and greening in
front of their door, their signed 责任书, their inspection history and a simple score.

Score: the share of the holder's inspections in the last 12 months that found no problem, in
percent (100 = every inspection clean); None when it was never inspected in that time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.supervision import common
from civdesk.supervision.defaults import DUTIES
from civdesk.supervision.models import HOLDER_KINDS, Finding, Holder, Inspection

_LIVE = False
FIELDS = ("name", "kind", "village", "address", "responsible", "phone", "duties", "signed_date", "note")


def _clean(values: dict, errors: dict) -> dict:
    out = {"name": common.text(values.get("name"), "名称", errors, "name", minimum=1, maximum=60)}
    kind = validation.normalize_text(values.get("kind") or "")
    if kind not in HOLDER_KINDS:
        errors["kind"] = f"类别只能是：{'、'.join(HOLDER_KINDS)}"
    out["kind"] = kind
    out["village_id"] = common.resolve_village(values.get("village"), errors)
    out["address"] = common.text(values.get("address"), "地址", errors, "address", minimum=1, maximum=100)
    out["responsible"] = common.text(values.get("responsible"), "责任人", errors, "responsible", minimum=1, maximum=20)
    checked = validation.phone(values.get("phone"), required=False)
    if not checked.ok:
        errors["phone"] = checked.error
    out["phone"] = checked.value or ""
    out["duties"] = str(values.get("duties") or DUTIES).strip()
    out["signed_date"] = common.day(values.get("signed_date"), "责任书签订日期", errors, "signed_date", required=False)
    out["note"] = str(values.get("note") or "").strip()
    return out


def add(actor: Actor, values: dict) -> Holder:
    require(actor, "edit_frontage")
    errors: dict = {}
    cleaned = _clean(values, errors)
    if "name" not in errors and Holder.select().where((Holder.name == cleaned["name"]) & (Holder.deleted == _LIVE)
                                                      & (Holder.address == cleaned["address"])).exists():
        errors["name"] = f"「{cleaned['name']}」（{cleaned['address']}）已经登记过了"
    common.raise_if(errors)
    return changes.create(Holder, actor, cleaned, scope=cleaned["village_id"])


def update(actor: Actor, holder_id: str, values: dict) -> dict:
    require(actor, "edit_frontage")
    row = get(holder_id)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise common.ValidationError({"fields": f"不能修改：{'、'.join(sorted(unknown))}"})
    merged = {"name": row.name, "kind": row.kind, "village": row.village_id, "address": row.address,
              "responsible": row.responsible, "phone": row.phone, "duties": row.duties,
              "signed_date": row.signed_date, "note": row.note, **values}
    errors: dict = {}
    cleaned = _clean(merged, errors)
    if cleaned.get("village_id") != row.village_id and "village_id" not in errors:
        errors["village_id"] = "已登记的责任户不能改到另一个村（社区），请删除后重新登记"
    common.raise_if(errors)
    return changes.update(row, actor, cleaned)


def get(holder_id: str) -> Holder:
    return common.get_live(Holder, holder_id, "门前三包责任户")


@dataclass(frozen=True)
class HolderRow:
    id: str
    name: str
    kind: str
    village_id: str | None
    village_name: str
    address: str
    responsible: str
    phone_masked: str
    signed_date: dt.date | None
    inspections: int
    problems: int
    last_inspected: dt.date | None
    score: int | None


def score(holder_id: str, as_of: dt.date | None = None) -> tuple[int, int, int | None]:
    """(inspections, problems, score) over the 12 months before *as_of*."""
    as_of = as_of or dt.date.today()
    since = as_of - dt.timedelta(days=365)
    ids = [i for (i,) in Inspection.select(Inspection.id).where(
        (Inspection.holder_id == holder_id) & (Inspection.deleted == _LIVE) & (Inspection.day > since)
        & (Inspection.day <= as_of)).tuples()]
    if not ids:
        return 0, 0, None
    with_problems = {i for (i,) in Finding.select(Finding.inspection_id).where(
        Finding.inspection_id.in_(ids) & (Finding.deleted == _LIVE)).tuples()}
    problems = Finding.select().where(Finding.inspection_id.in_(ids) & (Finding.deleted == _LIVE)).count()
    return len(ids), problems, round(100 * (len(ids) - len(with_problems)) / len(ids))


def rows(text: str = "", village_id: str | None = None, as_of: dt.date | None = None) -> list[HolderRow]:
    """The registry in pinyin order, phones masked; *text* matches the name, address or initials."""
    query = Holder.select().where(Holder.deleted == _LIVE)
    text = validation.normalize_text(text)
    if text:
        query = query.where(Holder.name.contains(text) | Holder.address.contains(text)
                            | Holder.name_initials.startswith(text.lower()))
    if village_id:
        query = query.where(Holder.village_id == village_id)
    out = []
    for h in query.order_by(Holder.name_pinyin):
        count, problems, points = score(h.id, as_of)
        last = (Inspection.select(Inspection.day).where((Inspection.holder_id == h.id) & (Inspection.deleted == _LIVE))
                .order_by(Inspection.day.desc()).limit(1).scalar())
        out.append(HolderRow(h.id, h.name, h.kind, h.village_id, common.village_name(h.village_id), h.address,
                             h.responsible, validation.mask_phone(h.phone), h.signed_date, count, problems,
                             last, points))
    return out
