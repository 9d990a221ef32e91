"""Sample good-people nominations: a completed quarterly session (recommended, checked with one
return, scored with a recusal and a tie decided by the office, publicised, honoured, sent up to
新都好人) and the next quarter's session in 评议 with scores partly entered."""

from __future__ import annotations

import datetime as dt
import random

from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.demo import nomination_stories as stories
from civdesk.demo.names import VILLAGES, mobile, person_name
from civdesk.demo.volunteers import CLERK, REVIEWER, id_number
from civdesk.nominations import award, review
from civdesk.nominations import nominees as nominations
from civdesk.nominations.models import NominationSession, Nominee
from civdesk.notices import public_notices as notices

COMMITTEE = (("王建国", "清溪镇党委宣传统战办", "主任"), ("李秀英", "清溪镇文明办", "副主任"),
             ("陈德明", "清溪镇中心小学", "委员"), ("刘淑珍", "清溪镇妇联", "委员"), ("赵志强", "桂花村村民委员会", "委员"))
CATEGORIES = ("助人为乐", "见义勇为", "诚实守信", "敬业奉献", "孝老爱亲")
RECOMMENDERS = (("org", "{village}村民委员会", "所在村（社区）"), ("person", "{other}", "邻居"),
                ("person", "{other}", "同事"), ("org", "清溪镇中心小学", "工作单位"))


def _quarter(day: dt.date) -> str:
    return f"{day.year}年第{(day.month - 1) // 3 + 1}季度"


def _person(rng: random.Random, village: str, category: str, same: Nominee | None = None) -> dict:
    sex = "女" if category in ("孝老爱亲", "诚实守信") or rng.random() < 0.4 else "男"
    birth = dt.date(rng.randint(1948, 1995), rng.randint(1, 12), rng.randint(1, 28))
    name = person_name(rng, sex)
    if same is not None:  # the same person again
        sex, birth, name = same.sex, same.birth_date, same.name
    age = dt.date.today().year - birth.year
    facts = stories.facts(rng, name, sex, age, village)
    kind, who, relation = rng.choice(RECOMMENDERS)
    number = same.id_number if same is not None else id_number(rng, birth, sex)
    return {"name": name, "id_number": number, "village_id": village, "phone": mobile(rng),
            "occupation": facts["occupation"], "political_status": facts["political"],
            "address": f"清溪镇{village}{rng.randint(1, 12)}组{rng.randint(1, 60)}号", "category": category,
            "summary": f"{name}{stories.summary(category, facts)}",
            "story": stories.story(rng, category, facts, rng.randint(900, 1900)),
            "recommender_kind": kind, "recommender_name": who.format(village=village, other=person_name(rng)),
            "recommender_relation": relation, "recommender_contact": mobile(rng)}


def _nominate(rng: random.Random, session, plan: list[str]) -> list:
    rows = []
    for category in plan:
        values = _person(rng, rng.choice(VILLAGES), category)
        row = nominations.submit(CLERK, session.id, values)
        nominations.add_file(CLERK, row.id, "photo", f"{values['name']}.png", stories.portrait(rng))
        rows.append(row)
    return rows


def _session(actor: Actor, name: str, period: str, start: dt.date, quotas: dict) -> NominationSession:
    session = nominations.create_session(actor, {
        "name": name, "kind": "quarterly", "period": period, "quotas": quotas,
        "recommend_start": start, "recommend_end": start + dt.timedelta(days=20),
        "check_end": start + dt.timedelta(days=27), "review_end": start + dt.timedelta(days=35),
        "notice_start": start + dt.timedelta(days=36), "award_date": start + dt.timedelta(days=45)})
    for member_name, unit, duty in COMMITTEE:
        review.add_member(actor, session.id, member_name, unit, duty)
    return session


def _score(rng: random.Random, session, row, members, base: float, *, only: int | None = None,
           same_as: dict | None = None) -> dict:
    given = {}
    for member in members[:only]:
        if (member.id, row.id) in review.recusals(session.id):
            continue
        values = same_as[member.id] if same_as else {
            item: round(min(100, max(60, base + rng.uniform(-6, 6))), 1) for item, _ in session.rubric_items}
        review.record_scores(CLERK, row.id, member.id, values)
        given[member.id] = values
    return given


def fill(actor: Actor, rng: random.Random, progress) -> None:
    if NominationSession.select().exists():
        return  # sample data is added once
    today = dt.date.today()
    with database.atomic():
        progress(0, 2, "正在生成演示数据：好人评选（已完成的一期）")
        _completed(actor, rng, today)
        progress(1, 2, "正在生成演示数据：好人评选（评议中的一期）")
        _in_review(actor, rng, today)


def _completed(actor: Actor, rng: random.Random, today: dt.date) -> None:
    start = today - dt.timedelta(days=100)
    session = _session(actor, f"清溪镇{_quarter(start)}身边好人评选", _quarter(start), start,
                       {"助人为乐": 2, "见义勇为": 1, "诚实守信": 1, "敬业奉献": 1, "孝老爱亲": 1})
    plan = ["助人为乐", "助人为乐", "助人为乐", "见义勇为", "诚实守信", "诚实守信", "敬业奉献", "孝老爱亲", "孝老爱亲"]
    rows = _nominate(rng, session, plan)
    earlier = rows[7]
    award.add_honour(actor, earlier.nominee_id, f"{start.year - 2}年度清溪镇“最美家庭”", "镇级", "清溪镇妇联",
                     dt.date(start.year - 2, 12, 18))
    nominations.start_check(actor, session.id)
    nominations.return_nomination(REVIEWER, rows[5].id, "事迹中“替夫还债”的金额与村委会证明不一致，请核实后修改；"
                                                       "请补充债主的书面证明材料。")
    nominations.update(CLERK, rows[5].id, {"summary": nominations.get(rows[5].id).summary.replace("主动", "坚持")})
    nominations.resubmit(CLERK, rows[5].id)
    for row in rows:
        nominations.pass_check(REVIEWER, row.id, eligible=True)
    nominations.start_review(actor, session.id)
    members = review.members(session.id)
    review.declare_recusal(CLERK, rows[8].id, members[4].id, "与被推荐人同组居住，系远房亲戚")
    bases = [91, 86, 0, 88, 84, 80, 87, 85, 90]
    given = {}
    for number, (row, base) in enumerate(zip(rows, bases, strict=True)):
        if number == 2:  # tied with the second of 助人为乐 at the quota line
            _score(rng, session, row, members, base, same_as=given[1])
        else:
            given[number] = _score(rng, session, row, members, base)
    review.close_review(actor, session.id)
    result = review.tally(session.id)
    for category in result.categories:
        if category.tied:
            chosen = sorted(category.tied, key=lambda i: nominations.get(i).created_at)[:category.slots]
            review.decide_tie(REVIEWER, session.id, category.category, chosen,
                              "评议委员会对并列人选复议投票（5 票赞成），会议纪要第 3 号")
    notice = award.publish_notice(actor, session.id, start + dt.timedelta(days=36), days=7)
    listed = award.notice_candidates(session.id)
    objection = notices.record_objection(CLERK, notice.id, listed[0].item_id, notice.start_date + dt.timedelta(days=2),
                                         "群众来电", "反映其照顾的老人另有子女赡养，事迹可能有出入。",
                                         today=notice.start_date + dt.timedelta(days=2))
    notices.decide_objection(actor, objection.id, "dismissed",
                             "经村委会走访核实，老人子女常年在外，日常照料确由被推荐人承担，事迹属实。")
    award.award(actor, session.id, award_date=start + dt.timedelta(days=45))
    honoured = award.honoured(session.id)
    first = award.submit_upward(CLERK, honoured[0].nominee_id, "新都好人", start + dt.timedelta(days=50),
                                period=f"{start.year}年{(start + dt.timedelta(days=60)).month}月",
                                nomination_id=honoured[0].id)
    award.record_outcome(CLERK, first.id, "listed", start + dt.timedelta(days=80), "入选新都好人榜")
    award.submit_upward(CLERK, honoured[0].nominee_id, "成都好人榜", start + dt.timedelta(days=85),
                        period=_quarter(start + dt.timedelta(days=90)), nomination_id=honoured[0].id)
    award.submit_upward(CLERK, honoured[1].nominee_id, "新都好人", start + dt.timedelta(days=50),
                        period=f"{start.year}年{(start + dt.timedelta(days=60)).month}月", nomination_id=honoured[1].id)


def _in_review(actor: Actor, rng: random.Random, today: dt.date) -> None:
    start = today - dt.timedelta(days=30)
    session = _session(actor, f"清溪镇{_quarter(today)}身边好人评选", _quarter(today), start,
                       {c: 1 for c in CATEGORIES})
    rows = _nominate(rng, session, ["助人为乐", "助人为乐", "见义勇为", "诚实守信", "敬业奉献", "敬业奉献",
                                    "孝老爱亲", "孝老爱亲"])
    # someone honoured last quarter is recommended again: the list and the form show the honour
    done = NominationSession.get(NominationSession.phase == "award")
    again = Nominee.get_by_id(award.honoured(done.id)[-1].nominee_id)
    values = _person(rng, again.display_value("village_id", again.village_id), "敬业奉献", again)
    row = nominations.submit(CLERK, session.id, values)
    nominations.add_file(CLERK, row.id, "photo", f"{again.name}.png", stories.portrait(rng))
    rows.append(row)
    nominations.start_check(actor, session.id)
    nominations.return_nomination(REVIEWER, rows[3].id, "缺少推荐单位盖章的证明材料；事迹中的时间前后矛盾，请核实。")
    for row in rows:
        if row.id != rows[3].id:
            nominations.pass_check(REVIEWER, row.id, eligible=True)
    nominations.start_review(actor, session.id)
    members = review.members(session.id)
    review.declare_recusal(CLERK, rows[0].id, members[2].id, "被推荐人是其学生家长，存在利害关系")
    for row in rows:
        if row.id != rows[3].id:
            _score(rng, session, row, members, rng.randint(80, 92), only=3)  # two members still to score
