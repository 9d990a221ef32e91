"""Titles after naming: term and expiry, annual review (keep or 摘牌), revocation, the yearly
roster, district recommendations, and the start-page reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.office import dashboard
from civdesk.units import titles as unit_titles
from civdesk.units import workflow as unit_workflow
from civdesk.units.models import Review, TitleHeld
from tests.support.units import AFTER, CLERK, REVIEWER, application

DECISION = "清溪镇文明委〔2026〕5号"


@pytest.fixture
def title(admin) -> TitleHeld:
    app = application(admin, "notice")
    return unit_workflow.name(REVIEWER, [app.id], DECISION, AFTER, today=AFTER)[0]


def test_a_title_expires_after_its_term(title):
    assert unit_titles.effective_status(title, dt.date(2029, 11, 8)) == "active"
    assert unit_titles.effective_status(title, dt.date(2029, 11, 9)) == "expired"
    assert unit_titles.status_text(title, dt.date(2029, 11, 9)) == "已期满"


def test_review_keeps_once_a_year_from_the_year_after_naming(title):
    with pytest.raises(PermissionDenied):
        unit_titles.review(CLERK, title.id, 2027, "keep")
    with pytest.raises(CivDeskError, match="从 2027 年起每年复查"):
        unit_titles.review(REVIEWER, title.id, 2026, "keep", review_date=dt.date(2026, 12, 1))
    unit_titles.review(REVIEWER, title.id, 2027, "keep", "复查合格", review_date=dt.date(2027, 10, 9))
    with pytest.raises(CivDeskError, match="2027 年已经复查过了"):
        unit_titles.review(REVIEWER, title.id, 2027, "keep", review_date=dt.date(2027, 10, 10))
    assert TitleHeld.get_by_id(title.id).status == "active"
    assert [r.outcome for r in unit_titles.reviews(title.id)] == ["keep"] and Review.append_only


def test_review_revokes_with_a_reason(title):
    with pytest.raises(ValidationError, match="摘牌请写明原因"):
        unit_titles.review(REVIEWER, title.id, 2027, "revoke", "", review_date=dt.date(2027, 10, 9))
    unit_titles.review(REVIEWER, title.id, 2027, "revoke", "环境卫生反弹，整改逾期", review_date=dt.date(2027, 10, 9))
    row = TitleHeld.get_by_id(title.id)
    assert (row.status, row.revoked_date) == ("revoked", dt.date(2027, 10, 9))
    assert row.revoked_reason == "2027年复查不合格：环境卫生反弹，整改逾期"
    with pytest.raises(CivDeskError, match="已摘牌，不需要再复查"):
        unit_titles.review(REVIEWER, title.id, 2028, "keep", review_date=dt.date(2028, 10, 9))


def test_revoke_outside_review(title):
    with pytest.raises(PermissionDenied):
        unit_titles.revoke(CLERK, title.id, "发生重大安全事故")
    unit_titles.revoke(REVIEWER, title.id, "发生重大安全生产事故", dt.date(2027, 3, 1))
    assert TitleHeld.get_by_id(title.id).status == "revoked"
    with pytest.raises(CivDeskError, match="已经摘牌"):
        unit_titles.revoke(REVIEWER, title.id, "再次摘牌")


def test_reviews_due_and_expiring(title):
    due = unit_titles.reviews_due(2027, dt.date(2027, 6, 1))
    assert [d.title.id for d in due] == [title.id] and due[0].text == "红星村（镇级文明村）"
    assert unit_titles.reviews_due(2026, dt.date(2026, 12, 1)) == [], "not in the year of naming"
    unit_titles.review(REVIEWER, title.id, 2027, "keep", review_date=dt.date(2027, 6, 2))
    assert unit_titles.reviews_due(2027, dt.date(2027, 6, 3)) == []
    assert [d.title.id for d in unit_titles.expiring(90, dt.date(2029, 9, 1))] == [title.id]
    assert unit_titles.expiring(60, dt.date(2029, 9, 1)) == []


def test_start_page_shows_expiring_titles_and_due_reviews(admin, title, monkeypatch):
    from civdesk.core import changes

    changes.update(TitleHeld.get_by_id(title.id), admin,
                   {"valid_until": dt.date.today() + dt.timedelta(days=30), "year": dt.date.today().year - 1})
    kinds = {item.kind: item for item in dashboard.collect(REVIEWER)}
    assert "unit_titles_expiring" in kinds and "红星村" in kinds["unit_titles_expiring"].detail
    assert kinds["unit_titles_expiring"].target_page == "organisations/due"
    assert "unit_reviews_due" in kinds
    assert "unit_reviews_due" not in {i.kind for i in dashboard.collect(CLERK)}, "a clerk does not review"


def test_the_roster_lists_titles_held_in_the_year(admin, title):
    other = application(admin, "notice", name="白鹤社区", kind="社区", title="文明社区")
    (second,) = unit_workflow.name(REVIEWER, [other.id], DECISION, AFTER, today=AFTER)
    unit_titles.revoke(REVIEWER, second.id, "发生群体性事件", dt.date(2027, 5, 1))
    assert {t.id for t, _ in unit_titles.roster(2026)} == {title.id, second.id}
    assert {t.id for t, _ in unit_titles.roster(2027)} == {title.id, second.id}, "revoked during 2027: listed"
    assert {t.id for t, _ in unit_titles.roster(2028)} == {title.id}
    assert unit_titles.roster(2025) == []


def test_recommendation_to_the_district_and_its_outcome(title):
    with pytest.raises(PermissionDenied):
        unit_titles.recommend(CLERK, title.id, "区级文明村")
    rec = unit_titles.recommend(REVIEWER, title.id, "区级文明村", dt.date(2027, 3, 1), "镇推荐")
    with pytest.raises(CivDeskError, match="正在等区里的结果"):
        unit_titles.recommend(REVIEWER, title.id, "区级文明村", dt.date(2027, 3, 2))
    with pytest.raises(ValidationError, match="不能早于推荐日期"):
        unit_titles.record_district_outcome(REVIEWER, rec.id, "approved", dt.date(2027, 2, 1))
    unit_titles.record_district_outcome(REVIEWER, rec.id, "approved", dt.date(2027, 6, 1), "区文明委〔2027〕3号")
    history = unit_titles.history(title.org_id)
    assert [(t.level, t.title, t.decision_number) for t in history][0] == ("区级", "文明村", "区文明委〔2027〕3号")
    with pytest.raises(CivDeskError, match="已记录结果"):
        unit_titles.record_district_outcome(REVIEWER, rec.id, "rejected", dt.date(2027, 6, 2))


def test_a_revoked_title_cannot_be_recommended(title):
    unit_titles.revoke(REVIEWER, title.id, "发生重大安全生产事故", dt.date(2027, 3, 1))
    with pytest.raises(CivDeskError, match="只能推荐持有有效称号的单位"):
        unit_titles.recommend(REVIEWER, title.id, "区级文明村", dt.date(2027, 4, 1))
