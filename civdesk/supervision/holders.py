"""门前三包 registry: shops, households and units answering for cleanliness, order and greening in
front of their door, their signed 责任书, their inspection history and a simple score.

Score: the share of the holder's inspections in the last 12 months that found no problem, in
percent (100 = every inspection clean); None when it was never inspected in that time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

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


def scores(holder_ids: list[str], as_of: dt.date | None = None) -> dict[str, tuple[int, int, int | None]]:
    """``score`` of many holders: their inspections and findings read once for all."""
    as_of = as_of or dt.date.today()
    since = as_of - dt.timedelta(days=365)
    wanted = set(holder_ids)
    owner = {i: h for i, h in Inspection.select(Inspection.id, Inspection.holder_id).where(
        Inspection.holder_id.is_null(False) & (Inspection.deleted == _LIVE) & (Inspection.day > since)
        & (Inspection.day <= as_of)).tuples() if h in wanted}
    problems: dict[str, int] = {}
    with_problems: set[str] = set()
    for (inspection_id,) in Finding.select(Finding.inspection_id).join(
            Inspection, on=(Inspection.id == Finding.inspection_id)).where(
            Inspection.holder_id.is_null(False) & (Inspection.deleted == _LIVE) & (Inspection.day > since)
            & (Inspection.day <= as_of) & (Finding.deleted == _LIVE)).tuples():
        if inspection_id in owner:
            problems[owner[inspection_id]] = problems.get(owner[inspection_id], 0) + 1
            with_problems.add(inspection_id)
    found: dict[str, tuple[int, int, int | None]] = {h: (0, 0, None) for h in wanted}
    counts: dict[str, list[int]] = {}
    for inspection_id, holder_id in owner.items():
        count = counts.setdefault(holder_id, [0, 0])
        count[0] += 1
        count[1] += inspection_id not in with_problems
    for holder_id, (count, clean) in counts.items():
        found[holder_id] = (count, problems.get(holder_id, 0), round(100 * clean / count))
    return found


def last_inspected(holder_ids: list[str]) -> dict[str, dt.date]:
    """The day each holder was last inspected (holders never inspected are left out)."""
    wanted = set(holder_ids)
    query = (Inspection.select(Inspection.holder_id, fn.MAX(Inspection.day))
             .where(Inspection.holder_id.is_null(False) & (Inspection.deleted == _LIVE))
             .group_by(Inspection.holder_id))
    return {h: _date(day) for h, day in query.tuples() if h in wanted and day is not None}


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def rows(text: str = "", village_id: str | None = None, as_of: dt.date | None = None) -> list[HolderRow]:
    """The registry in pinyin order, phones masked; *text* matches the name, address or initials."""
    query = Holder.select().where(Holder.deleted == _LIVE)
    text = validation.normalize_text(text)
    if text:
        query = query.where(Holder.name.contains(text) | Holder.address.contains(text)
                            | Holder.name_initials.startswith(text.lower()))
    if village_id:
        query = query.where(Holder.village_id == village_id)
    found = list(query.order_by(Holder.name_pinyin))
    ids = [h.id for h in found]
    points, last, village = scores(ids, as_of), last_inspected(ids), common.village_names()
    return [HolderRow(h.id, h.name, h.kind, h.village_id, village(h.village_id), h.address, h.responsible,
                      validation.mask_phone(h.phone), h.signed_date, *points[h.id][:2], last.get(h.id), points[h.id][2])
            for h in found]
