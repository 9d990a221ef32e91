"""A 督查 finding can name the 公益广告 it is about (破损, 褪色, 缺失); the placement shows its open
findings until the placement is inspected as 完好 later or the 整改通知书 listing it is 销号."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.activities import placements
from civdesk.core.validation import ValidationError
from civdesk.supervision import inspections, placement_findings, rectification
from civdesk.supervision.models import Finding, Inspection
from civdesk.units import organisations as units
from tests.activities.helpers import CLERK
from tests.supervision.helpers import REVIEWER
from tests.support.units import village

TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=10)


@pytest.fixture
def placed(admin):
    home = village(admin, "红星村")
    units.create_org(CLERK, {"name": "红星村", "kind": "村", "village_id": home.id, "contact_person": "王村长"})
    return placements.create(CLERK, {"village_id": home.id, "location_type": "街巷", "place": "正街口",
                                     "theme": "讲文明树新风", "size": "2m×1m", "put_up": TODAY - dt.timedelta(days=60)})


def _inspect(*findings):
    return inspections.record(REVIEWER, {"day": DAY, "mechanism": "镇容环境卫生", "inspectors": "李秀英",
                                         "target_kind": "org", "org": "红星村", "location": "正街"}, list(findings))


def test_a_finding_names_a_placement_and_the_placement_shows_it(placed):
    assert [c.id for c in placement_findings.choices()] == [placed.id]
    _inspect(inspections.FindingInput("公益广告画面褪色看不清", placement_id=placed.id, placement_state="褪色"),
             inspections.FindingInput("路面有垃圾"))
    found = placement_findings.of_placements([placed.id])[placed.id]
    assert [(f.state, f.description, f.day, f.open) for f in found] == [("褪色", "公益广告画面褪色看不清", DAY, True)]
    # inspected as 完好 afterwards: no longer open
    placements.inspect(CLERK, placed.id, "完好", TODAY - dt.timedelta(days=2))
    assert placement_findings.of_placements([placed.id], open_only=True) == {}
    assert not placement_findings.of_placements([placed.id])[placed.id][0].open


def test_a_passed_notice_closes_the_finding(placed):
    ins = _inspect(inspections.FindingInput("公益广告被撕毁", placement_id=placed.id, placement_state="破损"))
    finding = inspections.findings_of([ins.id])[0]
    made = rectification.issue(REVIEWER, {"target_kind": "org", "org": "红星村", "findings": [finding.id],
                                          "requirements": "重新制作张贴", "served_date": DAY, "days": 5})
    (open_one,) = placement_findings.of_placements([placed.id], open_only=True)[placed.id]
    assert open_one.notice_number == made.number
    rectification.report(CLERK, made.id, DAY + dt.timedelta(days=1), "已重新张贴")
    rectification.review(REVIEWER, made.id, DAY + dt.timedelta(days=2), True, "复查合格")
    assert placement_findings.of_placements([placed.id], open_only=True) == {}


@pytest.mark.parametrize("placement_id, state, message", [
    ("no-such-placement", "破损", "找不到所选的公益广告"),
    (None, "发霉", "公益广告状况只能是破损、褪色、缺失"),
    ("", "破损", "请选择是哪一处公益广告"),
])
def test_a_wrong_placement_or_state_is_refused_and_nothing_written(placed, placement_id, state, message):
    with pytest.raises(ValidationError, match=message):
        _inspect(inspections.FindingInput("公益广告有问题", placement_id=placed.id if placement_id is None
                                          else placement_id, placement_state=state))
    assert Inspection.select().count() == 0 and Finding.select().count() == 0


def test_the_command_line_names_the_placement(placed, db_path):
    import json

    from civdesk.core import db
    from tests.support.databases import ADMIN_PASSWORD, run_cli

    placement_id = placed.id
    db.close_database()
    base = ("--db", str(db_path), "supervision", "inspect", "--user", "admin", "--mechanism", "宣传教育",
            "--inspectors", "李秀英", "--place", "正街口", "--village", "红星村", "--date", DAY.isoformat(),
            "--finding", "公益广告缺失", "--placement", placement_id)
    refused = run_cli(*base, "--placement-state", "发霉", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert refused.returncode == 1 and "公益广告状况只能是破损、褪色、缺失" in refused.stderr
    done = run_cli(*base, "--placement-state", "缺失", "--json", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["findings"]) == 1
    db.open_database(db_path)
    (found,) = placement_findings.of_placements([placement_id])[placement_id]
    assert (found.state, found.description, found.open) == ("缺失", "公益广告缺失", True)
