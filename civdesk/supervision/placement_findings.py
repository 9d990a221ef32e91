"""督查 findings about 公益广告 placements (活动与阵地): a finding may name the placement it is about
and what is wrong with it (破损, 褪色, 缺失); the placement shows its open findings.

Placements belong to the activities domain: they are read through its public service
(``civdesk.activities.placements``), never its tables. A finding stays open until the 整改通知书
that lists it is 销号, or the placement is inspected as 完好 on a later day.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from civdesk.core.errors import NotFound
from civdesk.supervision.models import Finding, Inspection, Notice

STATES = ("破损", "褪色", "缺失")
_LIVE = False


def check(placement_id: str, state: str, number: int, errors: dict) -> None:
    """Errors (in Chinese, under ``finding{number}``) for a finding naming a placement."""
    if not placement_id:
        if state:
            errors[f"finding{number}"] = f"第 {number} 个问题：写了公益广告状况，请选择是哪一处公益广告"
        return
    from civdesk.activities import placements

    try:
        placements.get(placement_id)
    except NotFound:
        errors[f"finding{number}"] = f"第 {number} 个问题：找不到所选的公益广告（可能已被删除）"
        return
    if state not in STATES:
        errors[f"finding{number}"] = f"第 {number} 个问题：公益广告状况只能是{'、'.join(STATES)}"


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    village_id: str | None


def choices(village_id: str | None = None) -> list[Choice]:
    """Placements still up, to name in a finding (those of *village_id* first)."""
    from civdesk.activities import placements

    rows = placements.placements()
    rows.sort(key=lambda r: (r.village_id != village_id, r.village, r.place))
    return [Choice(r.id, f"{r.village or '镇'} {r.place}：{r.theme}（{r.location_type}）", r.village_id) for r in rows]


@dataclass(frozen=True)
class PlacementFinding:
    finding_id: str
    placement_id: str
    day: dt.date
    state: str  # 破损 / 褪色 / 缺失
    description: str
    notice_number: str  # the 整改通知书 that lists it, or ""
    open: bool


def _notices(finding_ids: set[str]) -> dict[str, tuple[str, str]]:
    """finding id → (notice number, notice status) for the notices listing those findings."""
    found: dict[str, tuple[str, str]] = {}
    for number, status, ids in Notice.select(Notice.number, Notice.status, Notice.finding_ids).where(
            (Notice.deleted == _LIVE) & (Notice.finding_ids != "[]")).tuples():
        for finding_id in json.loads(ids or "[]"):
            if finding_id in finding_ids and found.get(finding_id, ("", ""))[1] != "passed":
                found[finding_id] = (number, status)
    return found


def of_placements(placement_ids: list[str], *, open_only: bool = False) -> dict[str, list[PlacementFinding]]:
    """placement id → its findings, newest first."""
    from civdesk.activities import placements

    if not placement_ids:
        return {}
    rows = list(Finding.select(Finding, Inspection).join(Inspection, on=(Inspection.id == Finding.inspection_id))
                .where((Finding.placement_id << list(placement_ids)) & (Finding.deleted == _LIVE)
                       & (Inspection.deleted == _LIVE)).order_by(Inspection.day.desc(), Finding.created_at))
    notices = _notices({f.id for f in rows})
    inspected = {p.id: (p.inspected_on, p.state) for p in placements.rows_for(list(placement_ids))}
    found: dict[str, list[PlacementFinding]] = {}
    for f in rows:
        number, status = notices.get(f.id, ("", ""))
        last_day, state = inspected.get(f.placement_id, ("", ""))
        mended = bool(last_day) and state == "完好" and dt.date.fromisoformat(last_day) > f.inspection.day
        item = PlacementFinding(f.id, f.placement_id, f.inspection.day, f.placement_state, f.description, number,
                                not (status == "passed" or mended))
        if item.open or not open_only:
            found.setdefault(f.placement_id, []).append(item)
    return found
