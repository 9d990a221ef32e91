"""The sanitation 一票否决, seen from both sides: supervision raises it through the units domain's
public function; 文明创建 then shows the veto and refuses the notice and the naming."""

from __future__ import annotations

import datetime as dt

from civdesk.supervision import rectification, sanitation
from civdesk.units import workflow as unit_workflow
from tests.supervision.helpers import REVIEWER, notice
from tests.support.units import YEAR, application


def test_an_overdue_sanitation_notice_vetoes_the_application_once(admin, tmp_path):
    app = application(admin, "assessing", assessed=92)
    made = notice(admin, tmp_path, days=10)  # deadline 2026-03-16
    assert sanitation.sweep(REVIEWER, dt.date(2026, 3, 16)) == 0  # not overdue yet
    assert sanitation.sweep(REVIEWER, dt.date(2026, 3, 17)) == 1
    assert sanitation.sweep(REVIEWER, dt.date(2026, 3, 18)) == 0  # idempotent
    (veto,) = unit_workflow.active_vetoes(app.id)
    assert veto.condition == "环境卫生长效管理不达标" and veto.source == "inspection"
    assert made.number in veto.reason and made.number in veto.evidence
    # The units side: the veto blocks the notice (公示) whatever the score.
    assert "一票否决" in unit_workflow.notice_blocker(unit_workflow.unit_scoring.get(app.id))
    assert [e.kind for e in rectification.events(made.id)][-1] == "veto"


def test_a_failed_review_vetoes_at_once_and_a_lifted_veto_is_not_raised_again(admin, tmp_path):
    app = application(admin, "notice", assessed=92)
    made = notice(admin, tmp_path)
    rectification.review(REVIEWER, made.id, "2026-03-10", False, "垃圾仍未清运", days=3)
    (veto,) = unit_workflow.active_vetoes(app.id)
    assert "复查未通过" in veto.reason
    assert "一票否决" in unit_workflow.naming_blocker(unit_workflow.unit_scoring.get(app.id))
    unit_workflow.lift_veto(admin, veto.id, "经复核，已整改到位")
    assert sanitation.sweep(REVIEWER, dt.date(2026, 4, 30)) == 0
    assert unit_workflow.active_vetoes(app.id) == []


def test_other_mechanisms_and_places_raise_nothing(admin, tmp_path):
    app = application(admin, "assessing", assessed=92)
    notice(admin, tmp_path, mechanism="宣传教育")
    assert sanitation.sweep(REVIEWER, dt.date(2026, 5, 1)) == 0
    assert unit_workflow.active_vetoes(app.id) == []


def test_a_clerk_leaves_the_veto_to_the_township_and_last_years_notices_do_not_count(admin, tmp_path):
    from tests.supervision.helpers import CLERK

    app = application(admin, "submitted")
    notice(admin, tmp_path, served=dt.date(YEAR - 1, 12, 1))
    assert sanitation.sweep(CLERK, dt.date(YEAR, 3, 1)) == 0
    assert sanitation.sweep(REVIEWER, dt.date(YEAR, 3, 1)) == 0
    assert unit_workflow.active_vetoes(app.id) == []
