"""Plans, inspections, findings and photos: what is stored, and bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core.errors import PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.supervision import inspections, photos, plans
from civdesk.supervision.models import Finding, Inspection, Photo
from tests.supervision.helpers import CLERK, REVIEWER, SANITATION, inspection, photo
from tests.support.units import org


def test_an_inspection_stores_its_finding_and_the_photo_bytes(admin, tmp_path):
    _, ins = inspection(admin, tmp_path)
    assert ins.kind == "督查" and ins.target_kind == "org" and ins.scope == ins.village_id
    (finding,) = inspections.findings_of([ins.id])
    (stored,) = photos.of([finding.id])
    assert stored.stage == "before" and stored.scope == ins.scope
    assert photos.data(stored.id) == (tmp_path / "p0.png").read_bytes()
    assert Finding.append_only and Photo.append_only


def test_a_failed_checklist_line_becomes_a_finding_and_scores_are_checked(admin, tmp_path):
    org(admin)
    ins = inspections.record(REVIEWER, {"day": "2026-03-02", "mechanism": SANITATION, "inspectors": ["李秀英"],
                                        "target_kind": "org", "org": "红星村",
                                        "checklist": {"垃圾桶（箱）清运及时、无满溢": "不合格", "环境卫生总体状况": 7}})
    lines = {line["name"]: line for line in inspections.checklist_of(ins)}
    assert lines["垃圾桶（箱）清运及时、无满溢"]["result"] == "fail" and lines["环境卫生总体状况"]["points"] == 7
    assert [f.description for f in inspections.findings_of([ins.id])] == ["垃圾桶（箱）清运及时、无满溢：不合格"]
    with pytest.raises(ValidationError) as caught:
        inspections.record(REVIEWER, {"day": "2026-03-02", "mechanism": SANITATION, "inspectors": "李秀英",
                                      "target_kind": "org", "org": "红星村", "checklist": {"环境卫生总体状况": 11}})
    assert "0 到 10" in caught.value.errors["checklist"]


def test_a_file_that_is_not_an_image_is_refused_and_nothing_written(admin, tmp_path):
    org(admin)
    fake = tmp_path / "照片.jpg"
    fake.write_text("这不是照片", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        inspections.record(REVIEWER, {"day": "2026-03-02", "mechanism": SANITATION, "inspectors": "李秀英",
                                      "target_kind": "org", "org": "红星村"},
                           [inspections.FindingInput("垃圾未清运", "", [fake])])
    assert "「照片.jpg」不是照片" in caught.value.errors["finding1"]
    assert not Inspection.select().exists() and not Finding.select().exists()


def test_a_photo_over_the_limit_is_refused(admin, tmp_path):
    from civdesk.office import settings

    org(admin)
    settings.set_value(admin, "supervision.photo_max_kb", 100)
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200 * 1024)
    with pytest.raises(ValidationError) as caught:
        inspections.record(REVIEWER, {"day": "2026-03-02", "mechanism": SANITATION, "inspectors": "李秀英",
                                      "target_kind": "org", "org": "红星村"},
                           [inspections.FindingInput("垃圾未清运", "", [big])])
    assert "超过了每张 100 KB 的上限" in caught.value.errors["finding1"]
    assert not Photo.select().exists()


def test_bad_fields_are_named(admin):
    with pytest.raises(ValidationError) as caught:
        inspections.record(REVIEWER, {"day": "2026-02-30", "mechanism": "绿化", "inspectors": "",
                                      "target_kind": "org", "org": "没有这个单位"})
    assert set(caught.value.errors) >= {"day", "mechanism", "inspectors", "target"}


def synced_org(actor, name: str, village_id=None):
    """An organisation as it arrives by sync (a village PC cannot register another village's)."""
    from civdesk.core import changes
    from civdesk.units.models import Organisation

    return changes.create(Organisation, actor, {"name": name, "kind": "机关事业单位", "village_id": village_id},
                          scope=village_id)


@pytest.mark.parametrize("village", [None, "红星村"])
def test_another_villages_organisation_is_refused_on_a_village_pc(village_admin, village):
    from civdesk.office import offices

    village_id = offices.add_village(village_admin, village).id if village else None
    synced_org(village_admin, "清溪镇卫生院", village_id)
    with pytest.raises(ValidationError) as caught:
        inspections.record(CLERK, {"day": "2026-03-02", "mechanism": SANITATION, "inspectors": "张丽",
                                   "target_kind": "org", "org": "清溪镇卫生院"})
    assert "「清溪镇卫生院」不是桂花村的单位" in caught.value.errors["target"]
    assert not Inspection.select().exists()


def test_a_village_pc_records_its_own_self_inspection(village_admin, tmp_path):
    from civdesk.office import offices
    from civdesk.units import organisations as unit_orgs

    own = offices.own_office()
    unit_orgs.create_org(CLERK, {"name": "桂花村", "kind": "村", "village_id": own.id})
    ins = inspections.record(CLERK, {"day": "2026-03-02", "mechanism": "门前三包", "inspectors": "张丽",
                                     "target_kind": "org", "org": "桂花村"},
                             [inspections.FindingInput("门前乱堆杂物", "", [photo(tmp_path)])])
    assert ins.kind == "自查" and ins.scope == own.id


def test_rounds_are_due_each_period_until_an_inspection_holds_them(admin):
    org(admin)
    monthly = plans.add_round(REVIEWER, "红星村月度督查", "monthly", "2026-01-01", village="红星村", due_day=25)
    plans.add_round(REVIEWER, "全镇季度督查", "quarterly", "2026-01-01")
    found = plans.occurrences(dt.date(2026, 1, 1), dt.date(2026, 3, 31), as_of=dt.date(2026, 3, 10))
    months = [o for o in found if o.round_id == monthly.id]
    assert [(o.period, o.due, o.state) for o in months] == [
        ("2026-01", dt.date(2026, 1, 25), "missed"), ("2026-02", dt.date(2026, 2, 25), "missed"),
        ("2026-03", dt.date(2026, 3, 25), "open")]
    quarter = [o for o in found if o.round_id != monthly.id]
    assert [(o.period, o.due) for o in quarter] == [("2026-Q1", dt.date(2026, 3, 25))]
    inspections.record(REVIEWER, {"day": "2026-03-05", "mechanism": SANITATION, "inspectors": "李秀英",
                                  "target_kind": "org", "org": "红星村", "round_id": monthly.id})
    again = plans.occurrences(dt.date(2026, 3, 1), dt.date(2026, 3, 31), as_of=dt.date(2026, 3, 10))
    assert [o.state for o in again if o.round_id == monthly.id] == ["held"]


def test_templates_follow_the_settings_and_can_be_edited(admin):
    assert plans.ensure_templates(admin) > 0 and plans.ensure_templates(admin) == 0
    plans.set_template(REVIEWER, "门前三包", [("门前无垃圾", "pass", 0), ("绿化", "score", 5)])
    assert [(line.name, line.max_points) for line in plans.template("门前三包")] == [("门前无垃圾", 0), ("绿化", 5)]
    with pytest.raises(ValidationError):
        plans.set_template(REVIEWER, "门前三包", [("绿化", "score", 0)])
    with pytest.raises(PermissionDenied):
        plans.set_template(CLERK, "门前三包", [("门前无垃圾", "pass", 0)])


def test_areas_and_members(admin):
    org(admin)
    area = plans.add_area(REVIEWER, "红星村一组", "红星村", route="村委会—文化广场—红星桥")
    member = plans.add_member(REVIEWER, "王强", "组长", "镇城管办", "13812345678")
    assert area.scope == area.village_id and plans.areas(area.village_id)[0].route.startswith("村委会")
    assert plans.members()[0].id == member.id
    with pytest.raises(ValidationError):
        plans.add_member(REVIEWER, "王强", phone="12345")


def test_inspection_rows_for_the_board(admin, tmp_path):
    _, ins = inspection(admin, tmp_path)
    (row,) = inspections.inspection_rows(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert (row.id, row.kind, row.village_name, row.target_name, row.problems, row.inspectors) == (
        ins.id, "督查", "红星村", "红星村", 1, "李秀英、王强")
    assert inspections.inspection_rows(start=dt.date(2026, 4, 1)) == []
