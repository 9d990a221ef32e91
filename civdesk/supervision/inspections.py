"""Inspections (督查 by the township, 自查 by a village PC) with their checklist and findings.

A finding is append-only and carries its 整改前 photos; a checklist line judged 不合格 (or a
scored line under 60 % of its 满分) without a finding of its own becomes one ("item：不合格"),
so nothing failed goes unfollowed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.supervision import common, photos, placement_findings, plans, targets
from civdesk.supervision.models import Area, Finding, Inspection, Round

_LIVE = False


@dataclass
class FindingInput:
    description: str
    item: str = ""
    photos: list = field(default_factory=list)  # paths of 整改前 photos (or photos.PhotoFile already checked)
    placement_id: str = ""  # the 公益广告 it is about (placement_findings), if any
    placement_state: str = ""  # 破损 / 褪色 / 缺失


@dataclass(frozen=True)
class FindingRow:
    id: str
    inspection_id: str
    day: dt.date
    mechanism: str
    village_id: str | None
    target_name: str
    item: str
    description: str
    photo_ids: tuple[str, ...]


def _checklist(mechanism: str, results: dict | None, errors: dict) -> list[dict]:
    lines = []
    results = results or {}
    known = {line.name for line in plans.template(mechanism)}
    for name in results:
        if name not in known:
            errors["checklist"] = f"检查表中没有「{name}」这一项"
    for line in plans.template(mechanism):
        value = results.get(line.name)
        entry = {"name": line.name, "kind": line.kind, "max": line.max_points, "result": None, "points": None}
        if value is None or value == "":
            pass
        elif line.kind == "pass":
            if value not in ("pass", "fail", "合格", "不合格"):
                errors["checklist"] = f"「{line.name}」只能填合格或不合格"
            entry["result"] = "pass" if value in ("pass", "合格") else "fail"
        else:
            try:
                points = float(value)
                if not 0 <= points <= line.max_points:
                    raise ValueError
                entry["points"] = points
                entry["result"] = "pass" if points >= line.max_points * 0.6 else "fail"
            except (TypeError, ValueError):
                errors["checklist"] = f"「{line.name}」的得分应在 0 到 {line.max_points} 之间，当前为「{value}」"
        lines.append(entry)
    return lines


def _values(values: dict, errors: dict) -> tuple[dict, targets.Target | None]:
    mechanism = common.check_mechanism(values.get("mechanism", ""), errors)
    day = common.day(values.get("day"), "督查日期", errors, "day")
    target = targets.resolve(values.get("target_kind", ""), org=values.get("org"), holder=values.get("holder"),
                             place=values.get("place", ""), village=values.get("village"), errors=errors)
    inspectors = values.get("inspectors") or []
    if isinstance(inspectors, str):
        inspectors = [p.strip() for p in inspectors.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    if not inspectors:
        errors["inspectors"] = "请填写督查人员"
    round_id = values.get("round_id") or None
    if round_id and not Round.select().where((Round.id == round_id) & (Round.deleted == _LIVE)).exists():
        errors["round_id"] = "找不到这个督查计划"
    area_id = values.get("area_id") or None
    if area_id and not Area.select().where((Area.id == area_id) & (Area.deleted == _LIVE)).exists():
        errors["area_id"] = "找不到这个督查片区"
    cleaned = {"kind": "自查" if common.own_village_id() else "督查", "day": day, "mechanism": mechanism,
               "inspectors": "、".join(inspectors), "location": str(values.get("location") or "").strip(),
               "round_id": round_id, "area_id": area_id, "note": str(values.get("note") or "").strip()}
    return cleaned, target


def record(actor: Actor, values: dict, findings: list[FindingInput] | None = None) -> Inspection:
    """Record an inspection: values {day, mechanism, inspectors, target_kind, org | holder | place,
    village, location, round_id, area_id, note, checklist {item: pass|fail|points}}. Every photo is
    read and checked before anything is written."""
    require(actor, "record_inspections")
    errors: dict = {}
    cleaned, target = _values(values, errors)
    checklist = _checklist(cleaned["mechanism"], values.get("checklist"), errors) if "mechanism" not in errors else []
    findings = list(findings or [])
    read: list[list[photos.PhotoFile]] = []
    for number, found in enumerate(findings, start=1):
        if len(str(found.description or "").strip()) < 2:
            errors[f"finding{number}"] = f"第 {number} 个问题：请写明问题（至少 2 个字）"
        placement_findings.check(found.placement_id, found.placement_state, number, errors)
        try:
            read.append([p if isinstance(p, photos.PhotoFile) else photos.read(p, f"finding{number}")
                         for p in found.photos])
        except common.ValidationError as exc:
            errors.update(exc.errors)
    common.raise_if(errors)
    named = {f.item for f in findings if f.item}
    for line in checklist:
        if line["result"] == "fail" and line["name"] not in named:
            findings.append(FindingInput(f"{line['name']}：不合格", line["name"]))
            read.append([])
    with database.atomic():
        row = changes.create(Inspection, actor, {
            **cleaned, "checklist": json.dumps(checklist, ensure_ascii=False), "target_kind": target.kind,
            "org_id": target.org_id, "holder_id": target.holder_id, "place": target.place,
            "village_id": target.village_id}, scope=target.village_id,
            record_label=f"{cleaned['day']} {target.name} {cleaned['mechanism']}{cleaned['kind']}")
        for found, files in zip(findings, read, strict=True):
            finding = changes.create(Finding, actor, {"inspection_id": row.id, "item": found.item.strip(),
                                                      "description": found.description.strip(),
                                                      "placement_id": found.placement_id or None,
                                                      "placement_state": found.placement_state},
                                     scope=target.village_id)
            for photo in files:
                photos.store(actor, photo, "finding", finding.id, target.village_id)
    return row


def get(inspection_id: str) -> Inspection:
    return common.get_live(Inspection, inspection_id, "督查记录")


def findings_of(inspection_ids: list[str]) -> list[Finding]:
    if not inspection_ids:
        return []
    return list(Finding.select().where(Finding.inspection_id.in_(inspection_ids) & (Finding.deleted == _LIVE))
                .order_by(Finding.created_at))


def finding_rows(finding_ids: list[str] | None = None, *, start: dt.date | None = None,
                 end: dt.date | None = None) -> list[FindingRow]:
    """Findings with their inspection's day, mechanism, village and target, for lists and reports."""
    query = (Finding.select(Finding, Inspection).join(Inspection, on=(Inspection.id == Finding.inspection_id))
             .where((Finding.deleted == _LIVE) & (Inspection.deleted == _LIVE)))
    if finding_ids is not None:
        query = query.where(Finding.id.in_(finding_ids or [""]))
    if start:
        query = query.where(Inspection.day >= start)
    if end:
        query = query.where(Inspection.day <= end)
    rows = list(query.order_by(Inspection.day, Finding.created_at))
    pictures: dict[str, list[str]] = {}
    for photo in photos.of([f.id for f in rows]):
        pictures.setdefault(photo.owner_id, []).append(photo.id)
    out = []
    target = targets.namer(f.inspection for f in rows)
    for f in rows:
        ins = f.inspection
        out.append(FindingRow(f.id, ins.id, ins.day, ins.mechanism, ins.village_id, target(ins), f.item,
                              f.description, tuple(pictures.get(f.id, ()))))
    return out


def inspections(*, start: dt.date | None = None, end: dt.date | None = None, holder_id: str | None = None,
                org_id: str | None = None) -> list[Inspection]:
    query = Inspection.select().where(Inspection.deleted == _LIVE)
    if start:
        query = query.where(Inspection.day >= start)
    if end:
        query = query.where(Inspection.day <= end)
    if holder_id:
        query = query.where(Inspection.holder_id == holder_id)
    if org_id:
        query = query.where(Inspection.org_id == org_id)
    return list(query.order_by(Inspection.day.desc()))


def checklist_of(row: Inspection) -> list[dict]:
    return json.loads(row.checklist or "[]")


@dataclass(frozen=True)
class InspectionRow:
    """An inspection as the 督查 board and a holder's or organisation's history list it."""

    id: str
    kind: str
    day: dt.date
    village_id: str | None
    village_name: str
    mechanism: str
    target_kind: str
    target_name: str
    inspectors: str
    location: str
    problems: int
    checklist: list


def inspection_rows(*, start: dt.date | None = None, end: dt.date | None = None, holder_id: str | None = None,
                    org_id: str | None = None) -> list[InspectionRow]:
    found = inspections(start=start, end=end, holder_id=holder_id, org_id=org_id)
    counts: dict[str, int] = {}
    for f in findings_of([i.id for i in found]):
        counts[f.inspection_id] = counts.get(f.inspection_id, 0) + 1
    village, target = common.village_names(), targets.namer(found)
    return [InspectionRow(i.id, i.kind, i.day, i.village_id, village(i.village_id), i.mechanism,
                          i.target_kind, target(i), i.inspectors, i.location, counts.get(i.id, 0), checklist_of(i))
            for i in found]
