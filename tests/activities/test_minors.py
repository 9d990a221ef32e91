"""Minors' care: projects, the children helped and the station's records; names only with the
permission 未成年人信息 (the viewing audited), masked names and counts for everyone else, and the
records travel only between their village and the township."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.activities import minors
from civdesk.activities.models import MinorChild, MinorProject, StationService
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.sync import exchange
from tests.activities.helpers import CLERK, REVIEWER, villages
from tests.support.sync import ADMIN_ACTOR, copy_pcs

DAY = dt.date.today() - dt.timedelta(days=20)


def _project(village="桂花村", **extra):
    return minors.create_project(CLERK, {"village_id": village, "name": "留守儿童四点半课堂", "target_group": "留守儿童",
                                         "helpers": "村妇联主席、大学生志愿者", "done": "每周一至周五辅导作业",
                                         "start_date": DAY, **extra})


def test_names_only_with_the_permission_and_the_viewing_is_audited(admin):
    villages(admin, "桂花村")
    project = _project()
    assert not CLERK.can("view_minors") and not REVIEWER.can("view_minors") and admin.can("view_minors")
    with pytest.raises(PermissionDenied, match="未成年人信息"):
        minors.add_child(CLERK, project.id, {"name": "刘小明", "sex": "男", "birth_year": 2015})
    assert MinorChild.select().count() == 0
    child_id = minors.add_child(admin, project.id, {"name": "刘小明", "sex": "男", "birth_year": 2015,
                                                    "school": "清溪镇中心小学", "help_given": "作业辅导"})
    minors.add_child(admin, project.id, {"name": "王芳", "sex": "女", "birth_year": 2013})
    masked = minors.children(CLERK, project.id)
    assert [(c.name, c.school, c.masked) for c in masked] == [("刘**", "", True), ("王*", "", True)]
    with pytest.raises(PermissionDenied):
        minors.child(REVIEWER, child_id)
    assert not AuditEntry.select().where(AuditEntry.action == "view").exists()
    full = minors.children(admin, project.id)
    assert [(c.name, c.school) for c in full] == [("刘小明", "清溪镇中心小学"), ("王芳", "")]
    assert minors.child(admin, child_id).name == "刘小明"
    views = list(AuditEntry.select().where(AuditEntry.action == "view"))
    assert len(views) == 2 and views[0].username == "admin" and "查看未成年人信息" in views[0].note
    # The audit log never holds a child's name.
    assert not AuditEntry.select().where(AuditEntry.changes.contains("刘小明")
                                         | AuditEntry.record_label.contains("刘小明")).exists()
    assert minors.projects()[0].children == 2


def test_station_records_masked_for_others(admin):
    villages(admin, "桂花村")
    minors.add_service(CLERK, {"village_id": "桂花村", "day": DAY, "service": "心理健康讲座", "attendees": 35,
                               "counsellor": "陈老师"})
    with pytest.raises(PermissionDenied):
        minors.add_service(CLERK, {"village_id": "桂花村", "day": DAY, "service": "个体心理辅导",
                                   "child_name": "刘小明"})
    minors.add_service(admin, {"village_id": "桂花村", "day": DAY, "service": "个体心理辅导", "child_name": "刘小明",
                               "child_age": 11, "summary": "父母外出务工，情绪低落，约定每周谈心"})
    seen_by_clerk = minors.services(CLERK)
    assert [(s.child_name, s.child_age, s.summary) for s in seen_by_clerk] == [
        ("", None, ""), ("刘**", None, minors.HIDDEN)]
    assert [s.child_name for s in minors.services(admin)] == ["", "刘小明"]
    counts = minors.counts(DAY.year)
    assert [(c.village, c.services, c.attendees) for c in counts] == [("桂花村", 2, 36)]


def test_bad_minors_records_are_refused(admin):
    villages(admin, "桂花村")
    with pytest.raises(ValidationError) as caught:
        minors.create_project(CLERK, {"name": "", "target_group": "所有孩子", "start_date": "1900-01-01"})
    assert set(caught.value.errors) == {"name", "target_group", "village_id", "start_date"}
    project = _project()
    with pytest.raises(ValidationError) as caught:
        minors.add_child(admin, project.id, {"name": "", "sex": "未知", "birth_year": 1990})
    assert set(caught.value.errors) == {"name", "sex", "birth_year"}
    with pytest.raises(ValidationError, match="不是未成年人"):
        minors.add_service(admin, {"village_id": "桂花村", "day": DAY, "service": "家访", "child_age": 19,
                                   "child_name": "某某"})
    assert MinorChild.select().count() == 0 and StationService.select().count() == 0
    assert MinorProject.select().count() == 1


def test_counts_by_village_and_target_group(admin):
    villages(admin, "桂花村", "石桥村")
    one = _project()
    two = _project("石桥村", name="农民工子女暑期托管", target_group="农民工子女")
    for name in ("甲", "乙"):
        minors.add_child(admin, one.id, {"name": f"刘{name}"})
    minors.add_child(admin, two.id, {"name": "张丙"})
    rows = {c.village: c for c in minors.counts(DAY.year)}
    assert rows["桂花村"].children["留守儿童"] == 2 and rows["石桥村"].children["农民工子女"] == 1
    assert rows["桂花村"].projects == 1 and rows["石桥村"].services == 0


def test_childrens_records_travel_only_between_their_village_and_the_township(sync_templates, tmp_path):
    township, guihua, hetang = copy_pcs(sync_templates, ["T1", "A1", "B1"], tmp_path / "pcs")
    township.import_(guihua.export(tmp_path / "a-up.civsync"))
    township.import_(hetang.export(tmp_path / "b-up.civsync"))
    township.open()
    village_id = next(v.id for v in office_service.villages() if v.name == "桂花村")
    project = _project(village_id)
    minors.add_child(ADMIN_ACTOR, project.id, {"name": "刘小明"})
    minors.add_service(ADMIN_ACTOR, {"village_id": village_id, "day": DAY, "service": "家访", "child_name": "刘小明"})
    assert project.scope == village_id
    carried = {}
    for name, to, full in (("to-b", hetang, False), ("any", None, True), ("to-a", guihua, False)):
        result = exchange.export_package(ADMIN_ACTOR, tmp_path / f"{name}.civsync", to=to.node_id if to else None,
                                         full=full)
        carried[name] = (result.path, {t for t in result.counts if t.startswith("act_")})
    assert carried["to-b"][1] == set() and carried["any"][1] == set()
    assert carried["to-a"][1] == {"act_minor_project", "act_minor_child", "act_station_service"}
    hetang.import_(carried["to-b"][0])
    assert MinorProject.select().count() == 0 and MinorChild.select().count() == 0
    assert StationService.select().count() == 0
    hetang.import_(carried["any"][0])
    assert MinorChild.select().count() == 0
    guihua.import_(carried["to-a"][0])
    assert [c.name for c in MinorChild.select()] == ["刘小明"] and StationService.select().count() == 1
