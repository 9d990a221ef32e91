"""Civilized-unit creation: the organisations that apply and the indicator sets (测评体系).

Applications, scores and the workflow are in ``unit_scoring`` and ``unit_workflow``; titles,
reviews and district recommendations in ``unit_titles``.
"""

from __future__ import annotations

from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.units.defaults import DEFAULT_SETS
from civdesk.units.models import (
    ORG_KINDS,
    SET_FOR_TITLE,
    TITLES,
    Application,
    IndicatorItem,
    IndicatorSet,
    Organisation,
    TitleHeld,
    points_text,
)
from civdesk.volunteers.roster import resolve_village

_LIVE = False
ORG_FIELDS = ("name", "kind", "village_id", "address", "contact_person", "phone", "size_count", "note")


# --- organisations -----------------------------------------------------------------------------


def get_org(org_id: str) -> Organisation:
    row = Organisation.get_or_none((Organisation.id == org_id) & (Organisation.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个创建单位（可能已被删除）。")
    return row


def find_org(key: str) -> Organisation:
    """An organisation by its name or id (the command line)."""
    text = validation.normalize_text(key)
    row = Organisation.get_or_none(((Organisation.name == text) | (Organisation.id == text))
                                   & (Organisation.deleted == _LIVE))
    if row is None:
        raise NotFound(f"没有名为「{text}」的创建单位，请先登记这个单位。")
    return row


def _clean_org(values: dict, existing: Organisation | None = None) -> dict:
    merged = {**({f: getattr(existing, f) for f in ORG_FIELDS} if existing else {}), **values}
    errors, out = {}, {}
    name = validation.required(merged.get("name"), "单位名称")
    if not name.ok:
        errors["name"] = name.error
    else:
        out["name"] = name.value
        if len(name.value) > 60:
            errors["name"] = "单位名称不能超过 60 个字"
    kind = validation.normalize_text(merged.get("kind") or "")
    if kind not in ORG_KINDS:
        errors["kind"] = f"单位类型只能是：{'、'.join(ORG_KINDS)}"
    out["kind"] = kind
    try:
        out["village_id"] = resolve_village(merged.get("village_id"))
    except ValidationError as exc:
        errors.update(exc.errors)
    own = office_service.own_office_or_none()
    if own is not None and own.kind == "village" and "village_id" not in errors:
        if out.get("village_id") not in (None, own.id):
            errors["village_id"] = f"本机属于「{own.name}」，只能登记本村（社区）的单位"
        out["village_id"] = own.id
    if kind in ("村", "社区") and not out.get("village_id") and "village_id" not in errors:
        errors["village_id"] = "村、社区请选择它对应的村/社区"
    phone = validation.phone(merged.get("phone"), required=False)
    if phone.ok:
        out["phone"] = phone.value or ""
    else:
        errors["phone"] = phone.error
    size = merged.get("size_count")
    if size in (None, ""):
        out["size_count"] = None
    else:
        checked = validation.number(size, "职工数/户数", minimum=0, step=1)
        if checked.ok:
            out["size_count"] = int(checked.value)
        else:
            errors["size_count"] = checked.error
    for key in ("address", "contact_person", "note"):
        out[key] = str(merged.get(key) or "").strip()
    if "name" in out and "name" not in errors:
        clash = Organisation.select().where((Organisation.name == out["name"]) & (Organisation.deleted == _LIVE))
        if existing is not None:
            clash = clash.where(Organisation.id != existing.id)
        if clash.exists():
            errors["name"] = f"已有名为「{out['name']}」的创建单位"
    if errors:
        raise ValidationError(errors)
    return out


def create_org(actor: Actor, values: dict) -> Organisation:
    require(actor, "edit_unit_applications")
    cleaned = _clean_org(values)
    return changes.create(Organisation, actor, cleaned, scope=cleaned["village_id"])


def update_org(actor: Actor, org_id: str, values: dict) -> dict:
    require(actor, "edit_unit_applications")
    row = get_org(org_id)
    unknown = set(values) - set(ORG_FIELDS)
    if unknown:
        raise CivDeskError(f"不能修改这些信息：{'、'.join(sorted(unknown))}")
    cleaned = _clean_org(values, row)
    if cleaned["village_id"] != row.village_id:
        raise ValidationError({"village_id": "已登记的单位不能改到另一个村/社区（记录的归属随它同步）；"
                                             "如登记错了，请删除后重新登记"})
    return changes.update(row, actor, cleaned)


def delete_org(actor: Actor, org_id: str, reason: str) -> None:
    require(actor, "edit_unit_applications")
    row = get_org(org_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明删除原因"})
    used = Application.select().where((Application.org_id == org_id) & (Application.deleted == _LIVE)).exists()
    if used or TitleHeld.select().where(TitleHeld.org_id == org_id).exists():
        raise CivDeskError(f"「{row.name}」已有申报或称号记录，不能删除。")
    changes.delete(row, actor, note=reason.strip())


def orgs(text: str = "", village_id: str | None = None) -> list[Organisation]:
    """Live organisations in pinyin order; *text* matches the name anywhere or the pinyin initials."""
    query = Organisation.select().where(Organisation.deleted == _LIVE)
    text = validation.normalize_text(text)
    if text:
        lowered = text.lower()
        query = query.where(Organisation.name.contains(text) | Organisation.name_initials.startswith(lowered)
                            | Organisation.name_pinyin.startswith(lowered))
    if village_id:
        query = query.where(Organisation.village_id == village_id)
    return list(query.order_by(Organisation.name_pinyin))


@dataclass(frozen=True)
class OrgRef:
    """What other domains may know of an organisation (督查整改 links its notices to one)."""

    id: str
    name: str
    kind: str
    village_id: str | None
    contact_person: str


def org_ref(org_id: str | None) -> OrgRef | None:
    """The live organisation of this id as a plain row, or None."""
    row = Organisation.get_or_none((Organisation.id == org_id) & (Organisation.deleted == _LIVE)) if org_id else None
    return None if row is None else OrgRef(row.id, row.name, row.kind, row.village_id, row.contact_person)


def name_of(org_id: str | None) -> str:
    """The organisation's name ("" for none; deleted ones keep their name in old records)."""
    row = Organisation.get_or_none(Organisation.id == org_id) if org_id else None
    return row.name if row is not None else ""


def names_of(org_ids) -> dict[str, str]:
    """``name_of`` of many organisations in one read: id -> name (deleted ones included)."""
    ids = list({i for i in org_ids if i})
    return dict(Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)).tuples()) \
        if ids else {}


def org_refs(village_id: str | None = None, text: str = "") -> list[OrgRef]:
    """Live organisations (of one village when given), in pinyin order, as plain rows."""
    return [OrgRef(o.id, o.name, o.kind, o.village_id, o.contact_person) for o in orgs(text, village_id)]


def default_title(org: Organisation) -> str:
    from civdesk.units.models import TITLE_FOR_KIND

    return TITLE_FOR_KIND.get(org.kind, "文明单位")


# --- indicator sets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    self_tenths: int
    pass_tenths: int

    @property
    def self_text(self) -> str:
        return points_text(self.self_tenths)

    @property
    def pass_text(self) -> str:
        return points_text(self.pass_tenths)


def thresholds(indicator_set: IndicatorSet | None = None) -> Thresholds:
    """The set's own score lines, or the settings' where the set leaves them empty."""
    own_self = indicator_set.self_threshold if indicator_set is not None else None
    own_pass = indicator_set.pass_threshold if indicator_set is not None else None
    return Thresholds(10 * (own_self if own_self is not None else settings.get("unit.self_threshold")),
                      10 * (own_pass if own_pass is not None else settings.get("unit.pass_threshold")))


def thresholds_of(indicator_sets) -> dict[str, Thresholds]:
    """``thresholds`` of many sets (set id -> lines): the settings read once, if a set needs them."""
    found: dict[str, Thresholds] = {}
    default: Thresholds | None = None
    for row in indicator_sets:
        if row.self_threshold is None or row.pass_threshold is None:
            default = default or thresholds(None)
        found[row.id] = Thresholds(10 * row.self_threshold if row.self_threshold is not None else default.self_tenths,
                                   10 * row.pass_threshold if row.pass_threshold is not None else default.pass_tenths)
    return found


def get_sets(set_ids) -> dict[str, IndicatorSet]:
    """The live sets of these ids in one read (set id -> set; missing or deleted ones left out)."""
    ids = list({i for i in set_ids if i})
    return {row.id: row for row in IndicatorSet.select().where((IndicatorSet.id << ids) & (IndicatorSet.deleted == _LIVE))} \
        if ids else {}


def get_set(set_id: str) -> IndicatorSet:
    row = IndicatorSet.get_or_none((IndicatorSet.id == set_id) & (IndicatorSet.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个测评体系。")
    return row


def items(set_id: str) -> list[IndicatorItem]:
    return list(IndicatorItem.select().where((IndicatorItem.set_id == set_id) & (IndicatorItem.deleted == _LIVE))
                .order_by(IndicatorItem.position, IndicatorItem.id))


def items_of_sets(set_ids) -> dict[str, list[IndicatorItem]]:
    """``items`` of many sets in one read: set id -> its items in order."""
    ids = list({i for i in set_ids if i})
    found: dict[str, list[IndicatorItem]] = {i: [] for i in ids}
    if ids:
        for item in (IndicatorItem.select().where((IndicatorItem.set_id << ids) & (IndicatorItem.deleted == _LIVE))
                     .order_by(IndicatorItem.position, IndicatorItem.id)):
            found[item.set_id].append(item)
    return found


def sets(year: int | None = None) -> list[IndicatorSet]:
    query = IndicatorSet.select().where(IndicatorSet.deleted == _LIVE)
    if year is not None:
        query = query.where(IndicatorSet.year == year)
    return list(query.order_by(IndicatorSet.year.desc(), IndicatorSet.kind, IndicatorSet.version.desc()))


def current_set(title: str, year: int) -> IndicatorSet | None:
    """The newest version of the set that scores *title* in *year* (or the latest earlier year)."""
    kind = SET_FOR_TITLE.get(title, title)
    return (IndicatorSet.select().where((IndicatorSet.kind.in_([title, kind])) & (IndicatorSet.year <= year)
                                        & (IndicatorSet.deleted == _LIVE))
            .order_by(IndicatorSet.year.desc(), (IndicatorSet.kind == title).desc(), IndicatorSet.version.desc())
            .first())


def set_total(set_id: str) -> int:
    return sum(item.max_tenths for item in items(set_id))


def parse_grades(text: str, row_label: str = "") -> tuple[str, int]:
    """"A=5,B=4,C=2,D=0" → (normalised text, best grade in tenths); raises ValidationError."""
    text = validation.normalize_text(text).replace("，", ",").replace("＝", "=").replace("、", ",")
    if not text:
        return "", 0
    parts, seen = [], {}
    for part in text.split(","):
        if not part.strip():
            continue
        grade, _, points = part.partition("=")
        grade = grade.strip().upper()
        if not grade or grade in seen:
            raise ValidationError({"grades": f"{row_label}等次分值应写成「A=5,B=4,C=2,D=0」，当前为「{text}」"})
        tenths = int(validation.parse_number(points, f"{row_label}等次 {grade} 的分值", field="grades", minimum=0,
                                             step="0.1", suffixes=("分",)) * 10)
        seen[grade] = tenths
        parts.append(f"{grade}={tenths / 10:g}")
    return ",".join(parts), max(seen.values())


def _item_values(raw: dict, position: int, row_label: str = "") -> dict:
    errors = {}
    group = validation.normalize_text(raw.get("group_name") or "")
    name = validation.normalize_text(raw.get("name") or "")
    if not group:
        errors["group_name"] = f"{row_label}「测评项目」不能为空"
    if not name:
        errors["name"] = f"{row_label}「指标内容」不能为空"
    grades, best = "", 0
    try:
        grades, best = parse_grades(str(raw.get("grades") or ""), row_label)
    except ValidationError as exc:
        errors.update(exc.errors)
    points = raw.get("max_points")
    tenths = best if grades else None
    if points not in (None, ""):
        checked = validation.number(points, f"{row_label}「分值」", step="0.1", suffixes=("分",))
        if checked.ok:
            tenths = int(checked.value * 10)
        else:
            errors["max_points"] = checked.error
    if tenths is None and "max_points" not in errors:
        errors["max_points"] = f"{row_label}请填写「分值」"
    elif tenths is not None and tenths <= 0:
        errors["max_points"] = f"{row_label}「分值」应大于 0"
    elif grades and tenths is not None and tenths != best:
        errors["max_points"] = f"{row_label}分值 {tenths / 10:g} 与最高等次的分值 {best / 10:g} 不一致"
    if errors:
        raise ValidationError(errors)
    return {"group_name": group, "name": name, "max_tenths": tenths, "grades": grades, "position": position,
            "guidance": str(raw.get("guidance") or "").strip(), "evidence": str(raw.get("evidence") or "").strip()}


def create_set(actor: Actor, kind: str, year: int, item_rows: list[dict], *, name: str = "",
               self_threshold: int | None = None, pass_threshold: int | None = None, note: str = "",
               expect_total: int | None = 1000, seed_id: str | None = None) -> IndicatorSet:
    """A new set (a new version when one of this title and year exists) with its items in one
    transaction. *item_rows* hold group_name, name, max_points, grades, guidance, evidence.

    *seed_id*: the shipped default sets are seeded records (deterministic ids, the same create
    on every PC), so a village PC and the township that each made them hold one set after sync."""
    require(actor, "edit_indicator_sets")
    if kind not in TITLES:
        raise ValidationError({"kind": f"适用称号只能是：{'、'.join(TITLES)}"})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": f"年度 {year} 不对"})
    if not item_rows:
        raise ValidationError({"items": "测评体系至少要有一项指标"})
    cleaned = [_item_values(raw, number, f"第 {number} 项指标：") for number, raw in enumerate(item_rows, 1)]
    total = sum(row["max_tenths"] for row in cleaned)
    if expect_total is not None and total != expect_total:
        raise ValidationError({"items": f"各项指标分值合计 {total / 10:g} 分，应为 {expect_total / 10:g} 分"})
    for label, value in (("申报自评分数线", self_threshold), ("测评通过分数线", pass_threshold)):
        if value is not None and not 0 <= value <= total / 10:
            raise ValidationError({"threshold": f"{label}应在 0 到 {total / 10:g} 分之间"})
    version = 1 + max([s.version for s in IndicatorSet.select().where(
        (IndicatorSet.kind == kind) & (IndicatorSet.year == year))] or [0])
    if seed_id:
        version = 1
    with database.atomic():
        row = changes.create(IndicatorSet, actor, {
            "kind": kind, "year": int(year), "version": version,
            "name": name.strip() or f"{year}年度{kind}测评体系" + (f"（第{version}版）" if version > 1 else ""),
            "self_threshold": self_threshold, "pass_threshold": pass_threshold, "note": note.strip()},
            id=seed_id, seed=bool(seed_id))
        for number, values in enumerate(cleaned, 1):
            item_id = changes.deterministic_id("indicator-item", seed_id, str(number)) if seed_id else None
            changes.create(IndicatorItem, actor, {"set_id": row.id, **values}, audit=False, id=item_id,
                           seed=bool(seed_id))
    return row


def ensure_default_sets(actor: Actor, year: int) -> list[IndicatorSet]:
    """The default sets of *year* for titles that have none in that year or before."""
    made = []
    for kind, rows in DEFAULT_SETS.items():
        found = current_set(kind, year)
        seed_id = changes.deterministic_id("indicator-set-default", kind, str(year))
        if (found is None or found.kind != kind) and IndicatorSet.get_or_none(IndicatorSet.id == seed_id) is None:
            made.append(create_set(actor, kind, year, [
                {"group_name": g, "name": n, "max_points": p, "grades": gr, "guidance": gu, "evidence": ev}
                for g, n, p, gr, gu, ev in rows], note="默认测评体系，可按区里当年的测评细则修改", seed_id=seed_id))
    return made


def set_rows(set_id: str) -> list[dict]:
    """The items as import/export rows."""
    return [{"group_name": i.group_name, "name": i.name, "max_points": i.max_tenths / 10, "grades": i.grades,
             "guidance": i.guidance, "evidence": i.evidence} for i in items(set_id)]
