"""Shared set-up of the supervision tests: a village, an organisation, photos on disk, an
inspection with a finding and a notice issued through the services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image

from civdesk.core.actor import Actor
from civdesk.supervision import inspections, rectification
from civdesk.units import organisations as units
from tests.support.units import village

REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
CLERK = Actor("zhangli", "张丽", "clerk")
SERVED = dt.date(2026, 3, 2)  # a Monday
SANITATION = "镇容环境卫生"


def photo(folder: Path, name: str = "before.png", colour=(200, 40, 40)) -> Path:
    path = folder / name
    Image.new("RGB", (40, 30), colour).save(path)
    return path


def inspection(admin, tmp_path: Path, *, name: str = "红星村", mechanism: str = SANITATION,
               day: dt.date = SERVED, photos: int = 1):
    target = None if _org_exists(name) else units.create_org(CLERK, {
        "name": name, "kind": "村", "village_id": village(admin, name).id, "contact_person": "王村长"})
    files = [photo(tmp_path, f"p{i}.png") for i in range(photos)]
    return target, inspections.record(REVIEWER, {
        "day": day, "mechanism": mechanism, "inspectors": "李秀英、王强", "target_kind": "org", "org": name,
        "location": "村委会门前主干道"}, [inspections.FindingInput("主干道两侧堆放建筑垃圾", "", files)])


def _org_exists(name: str) -> bool:
    from civdesk.units import organisations as unit_orgs

    return any(o.name == name for o in unit_orgs.org_refs())


def notice(admin, tmp_path: Path, *, name: str = "红星村", mechanism: str = SANITATION, days: int = 10,
           served: dt.date = SERVED):
    _, ins = inspection(admin, tmp_path, name=name, mechanism=mechanism, day=served)
    finding = inspections.findings_of([ins.id])[0]
    return rectification.issue(REVIEWER, {"target_kind": "org", "org": name, "findings": [finding.id],
                                          "requirements": "立即清运建筑垃圾，恢复路面整洁", "served_date": served,
                                          "days": days})


__all__ = ["CLERK", "REVIEWER", "SANITATION", "SERVED", "inspection", "notice", "photo", "village"]
