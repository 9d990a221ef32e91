"""Editing the plans: areas and routes, the 督查组, rounds and checklist templates — checked the
same way as when they were added, refused with a Chinese message naming the field and nothing
written, audited when written."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.supervision import plans
from civdesk.supervision.models import Area, Member, Round, TemplateItem
from tests.supervision.helpers import CLERK, REVIEWER, SANITATION, village


def _counts() -> tuple[int, ...]:
    return (Area.select().count(), Member.select().count(), Round.select().count(), TemplateItem.select().count(),
            AuditEntry.select().count())


def test_an_area_is_edited_and_audited_and_a_twin_name_is_refused(admin):
    red, willow = village(admin, "红星村"), village(admin, "柳林村")
    first = plans.add_area(REVIEWER, "村委会片区", red.id, route="村委会—学校—菜市场")
    other = plans.add_area(REVIEWER, "菜市场片区", red.id)
    plans.add_area(REVIEWER, "村委会片区", None)  # the same name in the township is another area
    changed = plans.update_area(REVIEWER, first.id, {"route": "村委会—学校—菜市场—卫生院"})
    assert changed == {"route": ["村委会—学校—菜市场", "村委会—学校—菜市场—卫生院"]}
    assert AuditEntry.select().where((AuditEntry.record_id == first.id) & (AuditEntry.action == "update")).exists()
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        plans.update_area(REVIEWER, other.id, {"name": "村委会片区"})
    assert "已经有名为「村委会片区」的片区" in refused.value.errors["name"]
    with pytest.raises(ValidationError) as refused:
        plans.update_area(REVIEWER, other.id, {"village": willow.id})
    assert "不能改到另一个村" in refused.value.errors["village_id"]
    with pytest.raises(ValidationError) as refused:
        plans.update_area(REVIEWER, other.id, {"name": " ", "route": "路" * 501})
    assert set(refused.value.errors) == {"name", "route"}
    with pytest.raises(PermissionDenied):
        plans.update_area(CLERK, other.id, {"route": "改"})
    assert _counts() == before and plans.get_area(other.id).name == "菜市场片区"


def test_a_member_leaves_the_group_and_a_bad_phone_writes_nothing(admin):
    member = plans.add_member(REVIEWER, "王强", "组长", "镇文明办", "13812345678")
    plans.add_member(REVIEWER, "赵敏")
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        plans.update_member(REVIEWER, member.id, {"phone": "12345", "name": ""})
    assert set(refused.value.errors) == {"phone", "name"}
    assert _counts() == before
    plans.update_member(REVIEWER, member.id, {"active": False, "unit": "镇党政办"})
    assert [m.name for m in plans.members()] == ["赵敏"]
    rows = plans.member_rows()
    assert [(r.name, r.active) for r in rows] == [("赵敏", True), ("王强", False)]
    assert rows[1].phone_masked != "13812345678" and rows[1].phone_masked.endswith("5678")
    audit = AuditEntry.select().where(AuditEntry.record_id == member.id).order_by(AuditEntry.at.desc()).first()
    assert "13812345678" not in audit.changes


def test_a_round_is_edited_stopped_and_an_area_of_another_village_refused(admin):
    red, willow = village(admin, "红星村"), village(admin, "柳林村")
    area = plans.add_area(REVIEWER, "柳林村主街", willow.id)
    round_ = plans.add_round(REVIEWER, "红星村月度督查", "monthly", dt.date(2026, 1, 1), village=red.id)
    before = _counts()
    for values, field, words in (({"area_id": area.id}, "area_id", "与计划的村（社区）不一致"),
                                 ({"due_day": "32"}, "due_day", "1 到 31"),
                                 ({"frequency": "weekly"}, "frequency", "每月"),
                                 ({"mechanism": "不存在的机制"}, "mechanism", "长效机制只能是"),
                                 ({"start_date": "2026-02-30"}, "start_date", "")):
        with pytest.raises(ValidationError) as refused:
            plans.update_round(REVIEWER, round_.id, values)
        assert field in refused.value.errors and words in refused.value.errors[field]
    assert _counts() == before
    plans.update_round(REVIEWER, round_.id, {"frequency": "quarterly", "due_day": 20, "mechanism": SANITATION})
    row = plans.get_round(round_.id)
    assert (row.frequency, row.due_day, row.mechanism) == ("quarterly", 20, SANITATION)
    assert any(o.round_id == round_.id and o.period == "2026-Q1"
               for o in plans.occurrences(dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1)))
    plans.update_round(REVIEWER, round_.id, {"active": False})
    assert not plans.rounds() and not plans.round_rows()[0].active
    assert not plans.occurrences(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_a_template_is_replaced_whole_or_not_at_all(admin):
    default = plans.template(SANITATION)
    assert default and not plans.edited(SANITATION)
    plans.ensure_templates(REVIEWER)  # the defaults stored (as the demo does) are not an edit
    assert plans.edited(SANITATION) and not any(s.edited for s in plans.template_summaries())
    before = _counts()
    lines = [("路面无垃圾", "pass", 0), ("路面无垃圾", "score", 10), ("", "pass", 0), ("绿化", "score", 0),
             ("保洁", "odd", 0)]
    with pytest.raises(ValidationError) as refused:
        plans.set_template(REVIEWER, SANITATION, lines)
    assert refused.value.errors == {"line2": "第 2 行：「路面无垃圾」重复了", "line3": "第 3 行：请填写检查内容",
                                    "line4": "第 4 行：打分项的满分应为 1 到 100 的整数",
                                    "line5": "第 5 行：评价方式只能是 pass（合格/不合格）或 score（打分）"}
    with pytest.raises(ValidationError) as refused:
        plans.set_template(REVIEWER, SANITATION, [])
    assert refused.value.errors == {"lines": "检查表至少要有一项"}
    with pytest.raises(PermissionDenied):
        plans.set_template(CLERK, SANITATION, [("路面无垃圾", "pass", 0)])
    assert _counts() == before
    assert plans.set_template(REVIEWER, SANITATION, [("路面无垃圾", "pass", 5), ("绿化带整洁", "score", 10)]) == 2
    assert plans.template(SANITATION) == [plans.ChecklistLine("路面无垃圾", "pass", 0),
                                          plans.ChecklistLine("绿化带整洁", "score", 10)]
    summary = next(s for s in plans.template_summaries() if s.mechanism == SANITATION)
    assert (summary.lines, summary.scored, summary.points, summary.edited) == (2, 1, 10, True)
    written = _counts()
    assert plans.set_template(REVIEWER, SANITATION, [("路面无垃圾", "pass", 0), ("绿化带整洁", "score", 10)]) == 0
    assert _counts() == written, "an unchanged template writes nothing"
