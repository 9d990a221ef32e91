"""整改前/整改后 pairs named by the clerk, never by order: at the report, or afterwards (all or
nothing); unpaired photos shown as such; a pairing made on two PCs converges after sync."""

from __future__ import annotations

import json

import pytest

from civdesk.core.errors import PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.supervision import inspections, pairs, photos, rectification
from civdesk.supervision.models import Photo, PhotoPair
from tests.supervision.helpers import CLERK, REVIEWER, SERVED, notice, photo
from tests.support.sync import comparable, copy_pcs


def _two_findings(admin, tmp_path):
    """A notice on one inspection with two findings, one photo each."""
    made = notice(admin, tmp_path)
    (finding,) = inspections.finding_rows(json.loads(made.finding_ids))
    return made, finding


def test_the_clerk_names_each_pair_and_an_unnamed_photo_stays_unpaired(admin, tmp_path):
    made, finding = _two_findings(admin, tmp_path)
    (before,) = finding.photo_ids
    first, second = photo(tmp_path, "a1.png", (0, 150, 0)), photo(tmp_path, "a2.png", (0, 100, 0))
    rectification.report(CLERK, made.id, "2026-03-10", "已清运完毕", [first, second], pairs=[None, before])
    view = pairs.view(made.id)
    assert [(b.id, a.file_name) for b, a in view.pairs] == [(before, "a2.png")], "the second, as named, not the first"
    assert [a.file_name for a in view.unpaired_after] == ["a1.png"] and view.unpaired_before == []
    assert [c.label for c in view.choices] == ["问题1-1：主干道两侧堆放建筑垃圾"]


def test_a_before_photo_of_another_notice_is_refused_and_nothing_written(admin, tmp_path):
    made, _ = _two_findings(admin, tmp_path)
    other = notice(admin, tmp_path, name="新民村")
    (stranger,) = inspections.finding_rows(json.loads(other.finding_ids))[0].photo_ids
    counts = (Photo.select().count(), rectification.events(made.id))
    with pytest.raises(ValidationError) as refused:
        rectification.report(CLERK, made.id, "2026-03-10", "已清运完毕", [photo(tmp_path, "a.png")], pairs=[stranger])
    assert "第 1 张整改后照片对应的整改前照片不属于这份通知书" in refused.value.errors["pairs"]
    assert (Photo.select().count(), rectification.events(made.id)) == counts
    assert rectification.get(made.id).status == "pending"


def test_pairs_are_set_afterwards_all_or_nothing(admin, tmp_path):
    made, finding = _two_findings(admin, tmp_path)
    (before,) = finding.photo_ids
    rectification.report(CLERK, made.id, "2026-03-10", "已清运完毕", [photo(tmp_path, "a1.png"), photo(tmp_path, "a2.png")])
    view = pairs.view(made.id)
    assert not view.pairs and len(view.unpaired_after) == 2 and [b.id for b in view.unpaired_before] == [before]
    first, second = (a.id for a in view.unpaired_after)
    with pytest.raises(ValidationError):
        pairs.set_pairs(REVIEWER, made.id, {first: before, "no-such-photo": before})
    assert PhotoPair.select().count() == 0
    with pytest.raises(PermissionDenied):
        pairs.set_pairs(type(CLERK)("guest", "来宾", "viewer"), made.id, {first: before})
    assert pairs.set_pairs(CLERK, made.id, {first: before, second: None}) == 1, "only a change is written"
    assert [(b.id, a.id) for b, a in pairs.view(made.id).pairs] == [(before, first)]
    assert pairs.set_pairs(REVIEWER, made.id, {first: None, second: before}) == 2
    view = pairs.view(made.id)
    assert [(b.id, a.id) for b, a in view.pairs] == [(before, second)]
    assert [a.id for a in view.unpaired_after] == [first]
    assert photos.rows([view.pairs[0][1].owner_id])[1].pair_id == before


def _issue_two(org_name: str, tmp_path):
    ins = inspections.record(REVIEWER, {"day": SERVED, "mechanism": "镇容环境卫生", "inspectors": "李秀英",
                                        "target_kind": "org", "org": org_name},
                             [inspections.FindingInput("垃圾未清运", "", [photo(tmp_path, "b1.png")]),
                              inspections.FindingInput("车辆乱停", "", [photo(tmp_path, "b2.png", (0, 0, 200))])])
    findings = [f.id for f in inspections.findings_of([ins.id])]
    return rectification.issue(REVIEWER, {"target_kind": "org", "org": org_name, "findings": findings,
                                          "requirements": "三日内整改完毕", "responsible": "王村长", "served_date": SERVED,
                                          "days": 3})


def test_a_pairing_made_on_two_pcs_converges(sync_templates, tmp_path):
    from civdesk.units import organisations as units

    township, village = copy_pcs(sync_templates, ["T1", "A1"], tmp_path / "pcs")
    village.open()
    units.create_org(CLERK, {"name": "桂花村", "kind": "村"})
    township.import_(village.export(tmp_path / "up1.zip"))
    township.open()
    made = _issue_two("桂花村", tmp_path)
    village.import_(township.export(tmp_path / "down1.zip", village))
    village.open()
    first, second = (c.id for c in pairs.view(made.id).choices)
    rectification.report(CLERK, made.id, "2026-03-04", "已整改完毕", [photo(tmp_path, "after.png", (0, 160, 0))])
    township.import_(village.export(tmp_path / "up2.zip", township))
    township.open()
    (after,) = pairs.view(made.id).unpaired_after
    pairs.set_pairs(REVIEWER, made.id, {after.id: first})  # the township pairs it with the first problem
    village.open()
    pairs.set_pairs(CLERK, made.id, {after.id: second}, note="拍的是停车处")  # the village, later, with the second
    village.import_(township.export(tmp_path / "down2.zip", village))
    township.import_(village.export(tmp_path / "up3.zip", township))
    for pc in (township, village):
        pc.open()
        view = pairs.view(made.id)
        assert [(b.id, a.id) for b, a in view.pairs] == [(second, after.id)], "the newest pairing on both PCs"
        assert [b.id for b in view.unpaired_before] == [first]
    assert comparable(township.dump(), township, village) == comparable(village.dump(), township, village)
