"""The application workflow: every transition allowed and refused (by role and by status), the
thresholds, 一票否决 paths and lifting, the notice rule before naming."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.notices import public_notices as notices
from civdesk.office import settings
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import workflow as unit_workflow
from civdesk.units.models import STATUSES, Application, StatusEvent, TitleHeld, Veto
from tests.support.units import (
    AFTER,
    CLERK,
    REVIEWER,
    START,
    YEAR,
    application,
    fill_self,
    org,
)

DECISION = "清溪镇文明委〔2026〕5号"


def statuses(app_id):
    return [(e.from_status, e.to_status) for e in unit_workflow.history(app_id)]


# --- moving forward, by role ----------------------------------------------------------------------


def test_the_whole_path_records_who_and_when_at_each_step(admin):
    app = application(admin, "notice")
    unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)
    assert statuses(app.id) == [("draft", "submitted"), ("submitted", "prelim"), ("prelim", "assessing"),
                                ("assessing", "notice"), ("notice", "named")]
    events = unit_workflow.history(app.id)
    assert [e.created_by for e in events] == ["zhangli", "lixiuying", "lixiuying", "lixiuying", "lixiuying"]
    assert all(e.created_at for e in events)
    app = unit_scoring.get(app.id)
    assert (app.status, app.decision_number, app.decision_date) == ("named", DECISION, AFTER)
    title = TitleHeld.get(TitleHeld.application_id == app.id)
    assert (title.title, title.level, title.year, title.term_years) == ("文明村", "镇级", YEAR, 3)
    assert title.valid_until == dt.date(2029, 11, 8)


@pytest.mark.parametrize("step, status", [(unit_workflow.accept, "submitted"),
                                          (unit_workflow.start_assessment, "prelim")])
def test_a_clerk_cannot_move_an_application_through_review(admin, step, status):
    app = application(admin, status)
    with pytest.raises(PermissionDenied):
        step(CLERK, app.id)
    assert unit_scoring.get(app.id).status == status


def test_steps_out_of_order_are_refused(admin):
    app = application(admin, "draft")
    with pytest.raises(CivDeskError, match="不能受理初审"):
        unit_workflow.accept(REVIEWER, app.id)
    with pytest.raises(CivDeskError, match="不能进入测评"):
        unit_workflow.start_assessment(REVIEWER, app.id)
    submitted = application(admin, "submitted", name="白鹤社区", kind="社区", title="文明社区")
    with pytest.raises(CivDeskError, match="不能提交"):
        unit_workflow.submit(CLERK, submitted.id)
    with pytest.raises(CivDeskError, match="不能进入测评"):
        unit_workflow.start_assessment(REVIEWER, submitted.id)
    assert statuses(app.id) == [] and unit_scoring.get(submitted.id).status == "submitted"


# --- thresholds ---------------------------------------------------------------------------------


def test_submitting_needs_every_item_self_scored_and_the_self_score_line(admin):
    o = org(admin)
    app = unit_scoring.create(CLERK, o.id, YEAR, "文明村", work_summary="总结")
    first = units.items(app.set_id)[0]
    unit_scoring.enter_scores(CLERK, app.id, "self", {first.id: (5, "")})
    with pytest.raises(ValidationError, match="还有 19 项指标没有自评"):
        unit_workflow.submit(CLERK, app.id)
    fill_self(app, minus=10.5)  # 89.5 < 90
    assert unit_scoring.get(app.id).self_tenths == 895
    with pytest.raises(ValidationError, match="自评总分 89.5 分，未达到申报所需的 90 分"):
        unit_workflow.submit(CLERK, app.id)
    settings.set_value(admin, "unit.self_threshold", 89)
    assert unit_workflow.submit(CLERK, app.id).status == "submitted"


def test_a_set_of_its_own_overrides_the_setting(admin):
    o = org(admin)
    app = unit_scoring.create(CLERK, o.id, YEAR, "文明村", work_summary="总结")
    fill_self(app, minus=5)  # 95
    indicator_set = units.get_set(app.set_id)
    from civdesk.core import changes

    changes.update(indicator_set, admin, {"self_threshold": 96})
    with pytest.raises(ValidationError, match="未达到申报所需的 96 分"):
        unit_workflow.submit(CLERK, app.id)


def test_submitting_needs_a_work_summary(admin):
    o = org(admin)
    app = unit_scoring.create(CLERK, o.id, YEAR, "文明村")
    fill_self(app)
    with pytest.raises(ValidationError, match="创建工作总结"):
        unit_workflow.submit(CLERK, app.id)


def test_only_assessed_at_the_pass_line_goes_on_the_notice(admin):
    low = application(admin, "assessing", assessed=84.5)
    with pytest.raises(CivDeskError, match="测评总分 84.5 分，未达到通过分数 85 分"):
        unit_workflow.publish_notice(REVIEWER, [low.id], START)
    assert unit_scoring.get(low.id).status == "assessing" and notices.for_subject("unit") == []
    settings.set_value(admin, "unit.pass_threshold", 84)
    unit_workflow.publish_notice(REVIEWER, [low.id], START)
    assert unit_scoring.get(low.id).status == "notice"


def test_a_notice_needs_every_item_assessed_and_only_assessing_applications(admin):
    app = application(admin, "prelim")
    with pytest.raises(CivDeskError, match="只有测评中的申报可以公示"):
        unit_workflow.publish_notice(REVIEWER, [app.id], START)
    unit_workflow.start_assessment(REVIEWER, app.id)
    first = units.items(app.set_id)[0]
    unit_scoring.enter_scores(REVIEWER, app.id, "assessed", {first.id: (5, "")})
    with pytest.raises(CivDeskError, match="还有 19 项指标没有测评分"):
        unit_workflow.publish_notice(REVIEWER, [app.id], START)


def test_a_clerk_cannot_publish(admin):
    app = application(admin, "assessing")
    with pytest.raises(PermissionDenied):
        unit_workflow.publish_notice(CLERK, [app.id], START)


# --- return for changes and failing -----------------------------------------------------------------


@pytest.mark.parametrize("status", ["submitted", "prelim", "assessing"])
def test_return_for_changes_from_each_review_step_back_to_draft(admin, status):
    app = application(admin, status)
    with pytest.raises(PermissionDenied):
        unit_workflow.return_for_changes(CLERK, app.id, "材料不全")
    with pytest.raises(ValidationError, match="退回修改的原因"):
        unit_workflow.return_for_changes(REVIEWER, app.id, " ")
    unit_workflow.return_for_changes(REVIEWER, app.id, "缺少村规民约照片")
    app = unit_scoring.get(app.id)
    assert app.status == "draft"
    assert unit_workflow.history(app.id)[-1].reason == "退回修改：缺少村规民约照片"
    unit_scoring.update(CLERK, app.id, {"highlights": "补充了照片"})  # editable again
    unit_workflow.submit(CLERK, app.id)
    assert unit_scoring.get(app.id).status == "submitted"


def test_return_is_refused_from_draft_notice_and_named(admin):
    for status in ("draft", "notice"):
        app = application(admin, status, name=f"{status}村")
        with pytest.raises(CivDeskError, match="不能退回修改"):
            unit_workflow.return_for_changes(REVIEWER, app.id, "再看看")


def test_failing_needs_a_reviewer_and_a_reason(admin):
    app = application(admin, "assessing", assessed=70)
    with pytest.raises(PermissionDenied):
        unit_workflow.fail(CLERK, app.id, "测评未达标")
    unit_workflow.fail(REVIEWER, app.id, "测评 70 分，未达到 85 分")
    assert unit_scoring.get(app.id).status == "failed"
    with pytest.raises(CivDeskError, match="不能评为未通过"):
        unit_workflow.fail(REVIEWER, app.id, "再次")


def test_a_draft_can_be_edited_but_not_after_submitting(admin):
    app = application(admin, "submitted")
    with pytest.raises(CivDeskError, match="只有草稿"):
        unit_scoring.update(CLERK, app.id, {"work_summary": "改"})
    with pytest.raises(CivDeskError, match="自评分只能在草稿状态填写"):
        fill_self(app)


# --- 一票否决 -----------------------------------------------------------------------------------


def test_a_veto_blocks_the_notice_whatever_the_score(admin):
    app = application(admin, "assessing", assessed=100)
    with pytest.raises(PermissionDenied):
        unit_workflow.veto(CLERK, app.id, "发生重大安全生产事故", "3 月发生火灾")
    with pytest.raises(ValidationError, match="否决情形只能是设置中列出的"):
        unit_workflow.veto(REVIEWER, app.id, "随便什么", "理由写清楚")
    unit_workflow.veto(REVIEWER, app.id, "发生重大安全生产事故", "3 月村办厂房发生火灾", "消防通报")
    with pytest.raises(CivDeskError, match="已被一票否决（发生重大安全生产事故）"):
        unit_workflow.publish_notice(REVIEWER, [app.id], START)


def test_a_veto_during_the_notice_blocks_naming_even_after_a_clean_notice(admin):
    app = application(admin, "notice", assessed=98)
    unit_workflow.veto(REVIEWER, app.id, "弄虚作假、骗取荣誉", "申报照片系摆拍，台账补做")
    assert notices.clearance(app.id, AFTER).ok  # the notice itself is clean
    with pytest.raises(CivDeskError, match="已被一票否决"):
        unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)
    assert unit_scoring.get(app.id).status == "notice" and not TitleHeld.select().exists()


def test_only_an_admin_lifts_a_veto_with_a_reason_and_it_is_recorded(admin):
    app = application(admin, "notice")
    veto = unit_workflow.veto(REVIEWER, app.id, "发生严重环境污染事件", "河道排污被群众举报")
    with pytest.raises(PermissionDenied):
        unit_workflow.lift_veto(REVIEWER, veto.id, "经复核不属实")
    with pytest.raises(ValidationError):
        unit_workflow.lift_veto(admin, veto.id, "")
    unit_workflow.lift_veto(admin, veto.id, "经环保所复核，排污系上游企业所为")
    veto = Veto.get_by_id(veto.id)
    assert veto.lifted and veto.lifted_by == admin.display_name and veto.lifted_at
    assert unit_workflow.active_vetoes(app.id) == [] and len(unit_workflow.vetoes(app.id)) == 1
    with pytest.raises(CivDeskError, match="已经解除过了"):
        unit_workflow.lift_veto(admin, veto.id, "再解除")
    unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)
    assert unit_scoring.get(app.id).status == "named"


def test_the_inspection_hook_vetoes_every_open_application_once(admin):
    app = application(admin, "assessing")
    made = unit_workflow.raise_veto_from_inspection(REVIEWER, app.org_id, unit_workflow.SANITATION,
                                                    "整改通知书清文明整〔2026〕12号逾期未整改", "督查照片")
    assert len(made) == 1 and made[0].source == "inspection" and made[0].condition == "环境卫生长效管理不达标"
    again = unit_workflow.raise_veto_from_inspection(REVIEWER, app.org_id, unit_workflow.SANITATION, "再次逾期")
    assert again == [] and len(unit_workflow.active_vetoes(app.id)) == 1
    assert "已被一票否决（环境卫生长效管理不达标）" in unit_workflow.notice_blocker(unit_scoring.get(app.id))
    with pytest.raises(PermissionDenied):
        unit_workflow.raise_veto_from_inspection(CLERK, app.org_id, unit_workflow.SANITATION, "逾期未整改")


def test_the_inspection_hook_leaves_named_and_failed_applications_alone(admin):
    app = application(admin, "notice")
    unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)
    assert unit_workflow.raise_veto_from_inspection(REVIEWER, app.org_id, unit_workflow.SANITATION,
                                                    "逾期未整改") == []


def test_sanitation_is_always_a_condition_even_if_the_setting_drops_it(admin):
    settings.set_value(admin, "unit.veto_conditions", "发生重大安全生产事故；弄虚作假")
    assert unit_workflow.veto_conditions() == ["发生重大安全生产事故", "弄虚作假", "环境卫生长效管理不达标"]


# --- the notice rule ------------------------------------------------------------------------------


def test_naming_waits_for_the_end_of_the_notice(admin):
    app = application(admin, "notice")
    last_day = START + dt.timedelta(days=6)
    with pytest.raises(CivDeskError, match="仍在公示期内"):
        unit_workflow.name(REVIEWER, [app.id], DECISION, last_day, today=last_day)
    unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)


def test_a_pending_objection_blocks_naming_and_an_upheld_one_for_good(admin):
    app = application(admin, "notice")
    other = application(admin, "notice", name="白鹤社区", kind="社区", title="文明社区")
    notice = notices.notices_of(app.id)[0]
    objection = notices.record_objection(CLERK, notice.id, app.id, START + dt.timedelta(days=2), "村民",
                                         "村里垃圾堆放多日无人清理")
    with pytest.raises(CivDeskError, match="尚未核实完毕"):
        unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)
    notices.decide_objection(REVIEWER, objection.id, "upheld", "经实地核实，情况属实")
    with pytest.raises(CivDeskError, match="异议经核实成立"):
        unit_workflow.name(REVIEWER, [app.id, other.id], DECISION, AFTER, today=AFTER)
    assert unit_scoring.get(other.id).status == "notice", "one refused application names none"
    unit_workflow.fail(REVIEWER, app.id, "公示期间异议成立")
    unit_workflow.name(REVIEWER, [other.id], DECISION, AFTER, today=AFTER)
    assert unit_scoring.get(other.id).status == "named"


def test_a_dismissed_objection_lets_naming_go_ahead(admin):
    app = application(admin, "notice")
    notice = notices.notices_of(app.id)[0]
    objection = notices.record_objection(CLERK, notice.id, app.id, START, "匿名", "申报材料有夸大")
    notices.decide_objection(REVIEWER, objection.id, "dismissed", "经核实材料属实")
    (title,) = unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)
    named = Application.get_by_id(app.id)
    assert named.status == "named" and STATUSES[named.status] == "已命名"
    assert (named.decision_number, named.decision_date) == (DECISION, AFTER)
    assert (title.application_id, title.status, title.decision_number) == (app.id, "active", DECISION)
    assert unit_workflow.is_named(app.id)
    assert [e.to_status for e in unit_workflow.history(app.id)][-1] == "named"


def test_naming_needs_a_reviewer_a_number_and_a_date(admin):
    app = application(admin, "notice")
    with pytest.raises(PermissionDenied):
        unit_workflow.name(CLERK, [app.id], DECISION, AFTER, today=AFTER)
    with pytest.raises(ValidationError) as caught:
        unit_workflow.name(REVIEWER, [app.id], " ", "2026-13-01", today=AFTER)
    assert set(caught.value.errors) == {"decision_number", "decision_date"}
    assert Application.get_by_id(app.id).status == "notice"
    assert StatusEvent.select().where(StatusEvent.to_status == "named").count() == 0


def test_the_term_follows_the_setting(admin):
    settings.set_value(admin, "unit.term_years", 2)
    app = application(admin, "notice")
    (title,) = unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)
    assert title.term_years == 2 and title.valid_until == dt.date(2028, 11, 8)


def test_after_a_notice_is_withdrawn_the_application_can_be_published_again(admin):
    app = application(admin, "notice")
    notice = notices.notices_of(app.id)[0]
    with pytest.raises(CivDeskError, match="只有测评中的申报可以公示"):
        unit_workflow.publish_notice(REVIEWER, [app.id], START)
    notices.withdraw(REVIEWER, notice.id, "公示名单有误")
    assert not notices.clearance(app.id, AFTER).ok
    again = START + dt.timedelta(days=10)
    unit_workflow.publish_notice(REVIEWER, [app.id], again)
    assert statuses(app.id)[-1] == ("notice", "notice")
    unit_workflow.name(REVIEWER, [app.id], DECISION, again + dt.timedelta(days=7),
                       today=again + dt.timedelta(days=7))
