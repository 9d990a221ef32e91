"""Shared set-up for the nomination tests: a session, nominees with valid stories and photos,
and a way to bring a session to 评议 with a committee."""

from __future__ import annotations

import datetime as dt
import random

from civdesk.core import validation
from civdesk.core.actor import Actor
from civdesk.demo import nomination_stories
from civdesk.nominations import nominees as nominations
from civdesk.nominations import review
from civdesk.office import offices as office

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
TODAY = dt.date(2026, 11, 29)


def make_id(birth: str, seq: int) -> str:
    body = f"510114{birth}{seq:03d}"
    return body + validation.id_check_digit(body)


def story(length: int = 900, seed: int = 1, category: str = "助人为乐") -> str:
    rng = random.Random(seed)
    text = nomination_stories.story(rng, category, nomination_stories.facts(rng, "张桂英", "女", 56, "桂花村"), length)
    if length >= 2000 and nominations.count_chars(text) < 2000:  # exactly the maximum: fill the last paragraph up to 2,000 characters
        filler = "乡亲们说，她把别人的难处当成自己的难处，把平凡的小事做成了暖心的大事，" * 40
        missing = 2000 - nominations.count_chars(text) - 1
        text += "\n" + filler[:missing] + "。"
    assert 800 <= nominations.count_chars(text) <= 2000
    return text


PHOTO = nomination_stories.portrait(random.Random(3))


def new_session(admin: Actor, members: int = 3, **values):
    if not office.villages():
        for name in ("桂花村", "石桥村"):
            office.add_village(admin, name)
    data = {"name": "清溪镇2026年第四季度身边好人评选", "kind": "quarterly", "period": "2026年第4季度",
            "quotas": {"助人为乐": 1, "见义勇为": 1, "诚实守信": 1, "敬业奉献": 1, "孝老爱亲": 1}, **values}
    session = nominations.create_session(admin, data)
    for n in range(members):
        review.add_member(admin, session.id, f"委员{'甲乙丙丁戊己'[n]}", "清溪镇文明办")
    return session


def nominate(session, name: str, seq: int, category: str = "助人为乐", *, photo: bool = True, story_len: int = 900,
             **values):
    row = nominations.submit(CLERK, session.id, {
        "name": name, "id_number": make_id("19700101", seq), "village_id": "桂花村", "occupation": "村民",
        "category": category, "summary": f"{name}热心帮助邻里", "story": story(story_len, seq, category),
        "recommender_kind": "org", "recommender_name": "桂花村村民委员会", "recommender_relation": "所在村",
        **values})
    if photo:
        nominations.add_file(CLERK, row.id, "photo", f"{name}.png", PHOTO)
    return row


def to_review(admin: Actor, session) -> None:
    nominations.start_check(admin, session.id)
    for row in nominations.nominations(session.id, ("recommended",)):
        nominations.pass_check(REVIEWER, row.id, eligible=True)
    nominations.start_review(admin, session.id)


def score_all(session, nomination_id: str, totals: list[float]) -> None:
    """Give each member (in order) the same score on every item, so their weighted total is it."""
    for member, total in zip(review.members(session.id), totals, strict=False):
        items = {item: total for item, _ in nominations.get_session(session.id).rubric_items}
        review.record_scores(CLERK, nomination_id, member.id, items)
