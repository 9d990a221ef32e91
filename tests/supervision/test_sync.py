"""督查与整改 over USB sync: the township's inspection and notice reach the village with the next
package (photos whole), the village's rectification report travels back, the 复查 returns; a
village never receives another village's notices."""

from __future__ import annotations

import datetime as dt

from civdesk.office import offices as office
from civdesk.supervision import inspections, photos, rectification
from civdesk.supervision.models import Notice
from civdesk.units import organisations as units
from tests.supervision.helpers import CLERK, REVIEWER, photo
from tests.support.sync import ADMIN_ACTOR, comparable, copy_pcs

SERVED = dt.date(2026, 3, 2)


def _issue(org_name: str, tmp_path, picture: str):
    ins = inspections.record(REVIEWER, {"day": SERVED, "mechanism": "镇容环境卫生", "inspectors": "李秀英",
                                        "target_kind": "org", "org": org_name},
                             [inspections.FindingInput("垃圾未清运", "", [photo(tmp_path, picture)])])
    finding = inspections.findings_of([ins.id])[0]
    return rectification.issue(REVIEWER, {"target_kind": "org", "org": org_name, "findings": [finding.id],
                                          "requirements": "三日内清运完毕", "responsible": "王村长", "served_date": SERVED,
                                          "days": 3})


def test_a_notice_goes_down_and_the_rectification_comes_back(sync_templates, tmp_path):
    township, village = copy_pcs(sync_templates, ["T1", "A1"], tmp_path / "pcs")
    village.open()
    units.create_org(CLERK, {"name": "桂花村", "kind": "村"})
    township.import_(village.export(tmp_path / "up1.zip"))

    township.open()
    other = office.add_village(ADMIN_ACTOR, "荷塘村")
    units.create_org(CLERK, {"name": "荷塘村", "kind": "村", "village_id": other.id})
    ours = _issue("桂花村", tmp_path, "ours.png")
    theirs = _issue("荷塘村", tmp_path, "theirs.png")
    village.import_(township.export(tmp_path / "down1.zip", village))

    assert Notice.get_or_none(Notice.id == theirs.id) is None, "another village's notice stays at the township"
    arrived = rectification.get(ours.id)
    assert arrived.number == "清溪镇整改〔2026〕1号" and rectification.row(arrived, SERVED).state == "pending"
    (finding,) = inspections.finding_rows(rectification.json.loads(arrived.finding_ids))
    assert photos.data(finding.photo_ids[0]) == (tmp_path / "ours.png").read_bytes()
    after = photo(tmp_path, "after.png", (0, 160, 0))
    rectification.report(CLERK, ours.id, "2026-03-04", "已清运完毕", [after], pairs={str(after): finding.photo_ids[0]})

    township.import_(village.export(tmp_path / "up2.zip", township))
    assert rectification.get(ours.id).status == "reported"
    (report,) = [e for e in rectification.events(ours.id) if e.kind == "reported"]
    (picture,) = photos.of([report.id])
    assert photos.data(picture.id) == after.read_bytes() and picture.pair_id == finding.photo_ids[0]
    rectification.review(REVIEWER, ours.id, "2026-03-05", True, "复查合格")

    village.import_(township.export(tmp_path / "down2.zip", village))
    assert rectification.get(ours.id).status == "passed"
    assert comparable(township.dump(), township, village) == comparable(village.dump(), township, village)
