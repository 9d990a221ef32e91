"""评议: recusal, scores and votes, locking, weights, averaging, ranks, quotas and ties; then
公示 through the shared notices, 表彰 only after the notice ended, and the upward track."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core import changes
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.nominations import award, review
from civdesk.nominations import nominees as nominations
from civdesk.nominations.models import NominationScore, NomineeHonour
from civdesk.notices import public_notices as notices
from tests.support.nominations import CLERK, REVIEWER, new_session, nominate, score_all, to_review


@pytest.fixture
def reviewing(admin):
    session = new_session(admin, quotas={"助人为乐": 2, "见义勇为": 1, "诚实守信": 1, "敬业奉献": 1, "孝老爱亲": 1})
    people = {name: nominate(session, name, seq) for name, seq in (("张桂英", 22), ("李秀兰", 44), ("陈志强", 13),
                                                                    ("王建华", 15))}
    people["赵德明"] = nominate(session, "赵德明", 17, "见义勇为")
    to_review(admin, session)
    return session, people, review.members(session.id)


def row_of(result, name):
    return next(r for r in result.rows() if r.name == name)


def test_weights_and_averaging(reviewing):
    session, people, (a, b, c) = reviewing
    # 委员甲: 90/80/70/60 → 90×.30 + 80×.25 + 70×.25 + 60×.20 = 76.5; 委员乙 all 70 → 70
    review.record_scores(CLERK, people["张桂英"].id, a.id, {"事迹真实性": "90", "感人程度": 80, "社会影响": "70",
                                                          "示范意义": "60"})
    review.record_scores(CLERK, people["张桂英"].id, b.id, {"事迹真实性": 70, "感人程度": 70, "社会影响": 70,
                                                          "示范意义": 70})
    review.record_scores(CLERK, people["张桂英"].id, c.id, {"事迹真实性": 100})  # incomplete: not averaged
    row = row_of(review.tally(session.id), "张桂英")
    assert row.raw_total == pytest.approx(146.5) and row.average == pytest.approx(73.25)
    assert row.scorers == 2 and row.expected == 3
    assert row.item_averages == {"事迹真实性": pytest.approx(260 / 3), "感人程度": 75, "社会影响": 70, "示范意义": 65}
    assert row.by_member == {a.id: 76.5, b.id: 70.0, c.id: "未评完"}, "each member's raw result is kept"
    with pytest.raises(ValidationError) as err:
        review.record_scores(CLERK, people["张桂英"].id, a.id, {"感人程度": "101", "社会影响": "七十"})
    assert err.value.errors == {"感人程度": "「感人程度」的分数应在 0 到 100 之间，当前为 101",
                                "社会影响": "「社会影响」的分数应为数字（如 85 或 92.5），当前为「七十」"}
    # a corrected score replaces the member's earlier one; retyping the same value writes nothing
    review.record_scores(CLERK, people["张桂英"].id, b.id, {"示范意义": 90})
    assert row_of(review.tally(session.id), "张桂英").average == pytest.approx((76.5 + 74) / 2)
    before = NominationScore.select().count()
    review.record_scores(CLERK, people["张桂英"].id, b.id, {"示范意义": "90"})
    assert NominationScore.select().count() == before


def test_recusal_blocks_scoring_and_drops_earlier_scores(reviewing):
    session, people, (a, b, c) = reviewing
    score_all(session, people["李秀兰"].id, [80, 90])
    with pytest.raises(ValidationError):
        review.declare_recusal(CLERK, people["李秀兰"].id, b.id, "")
    review.declare_recusal(CLERK, people["李秀兰"].id, b.id, "与被推荐人是表亲")
    with pytest.raises(review.Recused, match="已声明回避李秀兰"):
        review.record_scores(CLERK, people["李秀兰"].id, b.id, {"事迹真实性": 60})
    with pytest.raises(CivDeskError, match="已声明回避"):
        review.declare_recusal(CLERK, people["李秀兰"].id, b.id, "again")
    row = row_of(review.tally(session.id), "李秀兰")
    assert (row.average, row.scorers, row.expected, row.recused) == (80, 1, 2, 1)
    assert row.by_member == {a.id: 80.0, b.id: "回避", c.id: None}
    assert ("委员乙", "李秀兰") not in review.missing_scores(session)
    # the other nominees are not affected
    review.record_scores(CLERK, people["张桂英"].id, b.id, {"事迹真实性": 60})


def test_scores_lock_when_review_closes(reviewing, admin):
    session, people, members = reviewing
    for name in people:
        score_all(session, people[name].id, [80, 80])
    score_all(session, people["张桂英"].id, [95])
    with pytest.raises(CivDeskError, match="还有 5 项没有打分（委员丙→"):
        review.close_review(admin, session.id)
    assert nominations.get_session(session.id).phase == "review"
    review.close_review(admin, session.id, allow_incomplete=True)
    locked = nominations.get_session(session.id)
    assert locked.phase == "notice" and locked.scores_locked_at
    with pytest.raises(review.ScoresLocked, match="打分已锁定"):
        review.record_scores(CLERK, people["张桂英"].id, members[0].id, {"事迹真实性": 10})
    with pytest.raises(review.ScoresLocked):
        review.declare_recusal(CLERK, people["张桂英"].id, members[0].id, "迟到的回避")
    # a score made on another PC before it heard of the close arrives later: stamped after the
    # close, it does not count
    before = row_of(review.tally(session.id), "张桂英").average
    changes.create(NominationScore, CLERK, {"session_id": session.id, "nomination_id": people["张桂英"].id,
                                            "member_id": members[1].id, "item": "事迹真实性", "value": 0.0})
    assert row_of(review.tally(session.id), "张桂英").average == before


def test_ranking_quota_and_ties_shown_not_broken(reviewing, admin):
    session, people, members = reviewing
    score_all(session, people["张桂英"].id, [90, 90, 90])
    score_all(session, people["李秀兰"].id, [85, 85, 85])
    score_all(session, people["陈志强"].id, [85, 80, 90])  # also 85 on average: tied with 李秀兰
    score_all(session, people["王建华"].id, [60, 60, 60])
    score_all(session, people["赵德明"].id, [88, 88, 88])
    result = review.tally(session.id)
    helpers = next(c for c in result.categories if c.category == "助人为乐")
    assert [(r.name, r.rank, r.result) for r in helpers.rows] == [
        ("张桂英", 1, "in"), ("陈志强", 2, "tie"), ("李秀兰", 2, "tie"), ("王建华", 4, "out")]
    assert helpers.quota == 2 and helpers.slots == 1 and helpers.undecided
    assert sorted(helpers.tied) == sorted([people["李秀兰"].id, people["陈志强"].id])
    brave = next(c for c in result.categories if c.category == "见义勇为")
    assert [(r.name, r.rank, r.result) for r in brave.rows] == [("赵德明", 1, "in")]
    assert result.undecided == ["助人为乐"]
    assert {r.name for r in result.selected()} == {"张桂英", "赵德明"}, "neither tied nominee is silently taken"

    with pytest.raises(CivDeskError, match="打分锁定后才能决定"):
        review.decide_tie(admin, session.id, "助人为乐", [people["李秀兰"].id], "复议")
    review.close_review(admin, session.id)
    with pytest.raises(CivDeskError, match="名额线上有并列"):
        award.publish_notice(admin, session.id, dt.date.today())
    with pytest.raises(ValidationError, match="请选 1 人"):
        review.decide_tie(admin, session.id, "助人为乐", [people["李秀兰"].id, people["陈志强"].id], "都好")
    with pytest.raises(ValidationError, match="依据"):
        review.decide_tie(admin, session.id, "助人为乐", [people["李秀兰"].id], " ")
    with pytest.raises(CivDeskError):
        review.decide_tie(CLERK, session.id, "助人为乐", [people["李秀兰"].id], "复议")
    review.decide_tie(REVIEWER, session.id, "助人为乐", [people["李秀兰"].id], "评议委员会复议投票 3:0")
    result = review.tally(session.id)
    assert {r.name: r.result for r in result.rows()}["李秀兰"] == "decided_in"
    assert {r.name: r.result for r in result.rows()}["陈志强"] == "decided_out"
    assert {r.name for r in result.selected()} == {"张桂英", "李秀兰", "赵德明"} and not result.undecided


def test_votes_are_counted_and_ranked(admin):
    session = new_session(admin, method="vote", quotas={"助人为乐": 1})
    a = nominate(session, "张桂英", 22)
    b = nominate(session, "李秀兰", 44)
    to_review(admin, session)
    m1, m2, m3 = review.members(session.id)
    for member, vote_a, vote_b in ((m1, "赞成", "赞成"), (m2, "赞成", "反对"), (m3, "弃权", "赞成")):
        review.record_scores(CLERK, a.id, member.id, {"投票": vote_a})
        review.record_scores(CLERK, b.id, member.id, {"投票": vote_b})
    rows = {r.name: r for r in review.tally(session.id).rows()}
    assert (rows["张桂英"].agree, rows["张桂英"].against, rows["张桂英"].abstain) == (2, 0, 1)
    assert (rows["李秀兰"].agree, rows["李秀兰"].against) == (2, 1)
    assert rows["张桂英"].result == rows["李秀兰"].result == "tie", "equal 赞成 counts tie at the line"
    with pytest.raises(ValidationError, match="赞成、反对或弃权"):
        review.record_scores(CLERK, a.id, m1.id, {"投票": "同意吧"})


def test_notice_then_award_only_after_the_notice_ends(reviewing, admin):
    session, people, members = reviewing
    for name, total in (("张桂英", 90), ("李秀兰", 88), ("陈志强", 70), ("王建华", 60), ("赵德明", 80)):
        score_all(session, people[name].id, [total] * 3)
    review.close_review(admin, session.id)
    start = dt.date(2026, 12, 1)
    notice = award.publish_notice(admin, session.id, start, days=7)
    assert [c.name for c in notices.candidates(notice.id)] == ["张桂英", "李秀兰", "赵德明"]
    assert {r.name: r.status for r in nominations.rows(session.id)} == {
        "张桂英": "notice", "李秀兰": "notice", "陈志强": "not_selected", "王建华": "not_selected", "赵德明": "notice"}
    with pytest.raises(CivDeskError, match="已经发布了公示"):
        award.publish_notice(admin, session.id, start)
    with pytest.raises(CivDeskError, match="仍在公示期内"):
        award.award(admin, session.id, today=dt.date(2026, 12, 5))
    objection = notices.record_objection(CLERK, notice.id, people["李秀兰"].id, dt.date(2026, 12, 3), "群众来电",
                                         "反映其事迹有夸大成分", today=dt.date(2026, 12, 3))
    with pytest.raises(CivDeskError, match="尚未核实完毕"):
        award.award(admin, session.id, today=dt.date(2026, 12, 8))
    notices.decide_objection(admin, objection.id, "upheld", "经核实，部分事迹与实际不符")
    assert NomineeHonour.select().count() == 0, "no name is honoured before the notice is cleared"
    with pytest.raises(ValidationError, match="应在公示期满（2026-12-07）之后"):
        award.award(admin, session.id, award_date=dt.date(2026, 12, 7), today=dt.date(2026, 12, 10))
    result = award.award(admin, session.id, award_date=dt.date(2026, 12, 10), today=dt.date(2026, 12, 10))
    assert result.honoured == ["张桂英", "赵德明"] and result.dropped[0][0] == "李秀兰"
    assert nominations.get_session(session.id).phase == "award"
    assert {r.name: r.status for r in nominations.rows(session.id)}["李秀兰"] == "not_selected"
    honours = {h.title for h in NomineeHonour.select()}
    assert honours == {"清溪镇2026年第四季度身边好人（助人为乐）", "清溪镇2026年第四季度身边好人（见义勇为）"}


def test_upward_track_shows_on_the_person_record(reviewing, admin):
    session, people, _members = reviewing
    zhang = people["张桂英"]
    with pytest.raises(CivDeskError, match="还没有获得过表彰"):
        award.submit_upward(CLERK, zhang.nominee_id, "新都好人", "2026-12-15", period="2026年12月")
    award.add_honour(CLERK, zhang.nominee_id, "清溪镇身边好人", "镇级", "清溪镇文明办", "2026-12-10")
    sub = award.submit_upward(CLERK, zhang.nominee_id, "新都好人", "2026-12-15", period="2026年12月",
                              nomination_id=zhang.id)
    with pytest.raises(CivDeskError, match="已于 2026-12-15 推荐到新都好人2026年12月"):
        award.submit_upward(CLERK, zhang.nominee_id, "新都好人", "2026-12-16", period="2026年12月")
    with pytest.raises(ValidationError, match="早于报送日期"):
        award.record_outcome(CLERK, sub.id, "listed", "2026-12-01")
    award.record_outcome(CLERK, sub.id, "listed", "2027-01-20")
    next_sub = award.submit_upward(CLERK, zhang.nominee_id, "成都好人榜", "2027-02-01", period="2027年第1季度")
    award.record_outcome(CLERK, next_sub.id, "not_listed", "2027-04-01", "未入选，明年再报")
    record = award.person_record(zhang.nominee_id)
    assert [(s.list_name, s.outcome) for s in record.submissions] == [("新都好人", "listed"),
                                                                       ("成都好人榜", "not_listed")]
    assert [(h.title, h.level) for h in record.honours][0] == ("2026年12月新都好人", "区级")
    assert record.nominations == [("清溪镇2026年第四季度身边好人评选", "助人为乐", "评议")]


def test_start_page_reminders_follow_the_phase(reviewing, admin):
    from civdesk.nominations import due as nomination_due

    session, people, _members = reviewing
    items = nomination_due.nominations_due(admin)
    assert [i.title for i in items] == ["评议打分还差 15 项"] and items[0].target_page == "nominations/scoring"
    assert nomination_due.nominations_due(CLERK)[0].kind == "nomination_scores", "clerks enter scores"
    for name in people:
        score_all(session, people[name].id, [80, 80, 80])
    assert nomination_due.nominations_due(admin) == []
    review.close_review(admin, session.id)
    items = nomination_due.nominations_due(admin)
    assert items[0].kind == "nomination_notice" and "并列" in items[0].detail
    assert nomination_due.nominations_due(CLERK) == []


@pytest.mark.parametrize(("typed", "value"), [("８５", 85.0), ("92．5", 92.5), ("92。5", 92.5), (" 70 ", 70.0),
                                              ("88分", 88.0)])
def test_member_scores_use_the_one_number_parser(reviewing, typed, value):
    session, people, (a, _b, _c) = reviewing
    assert review.parse_value(nominations.get_session(session.id), "感人程度", typed) == value


@pytest.mark.parametrize(("typed", "words"), [("inf", "应为数字"), ("nan", "应为数字"), ("1e2", "科学计数法"),
                                              ("85.55", "最多保留 1 位小数"), ("-1", "0 到 100 之间")])
def test_member_scores_refused_name_the_item(reviewing, typed, words):
    session, _people, _members = reviewing
    with pytest.raises(ValidationError) as err:
        review.parse_value(nominations.get_session(session.id), "感人程度", typed)
    assert words in err.value.errors["感人程度"] and err.value.errors["感人程度"].startswith("「感人程度」的分数")
