"""好人评选 over USB sync: the township sets up a session, a village recommends a resident with a
photo on its own PC, the township's 初审 result comes back; the same person registered on both
PCs before they met stays one person, and a double nomination is pointed out."""

from __future__ import annotations

import pytest

from civdesk.core.validation import ValidationError
from civdesk.nominations import (
    award as nomination_award,
)
from civdesk.nominations import (
    due as nomination_due,
)
from civdesk.nominations import (
    nominees as nominations,
)
from civdesk.nominations import (
    review as nomination_review,
)
from civdesk.nominations.models import Nomination, NominationFile, Nominee
from civdesk.office import offices as office
from tests.support.nominations import CLERK, PHOTO, REVIEWER, make_id, story
from tests.support.sync import ADMIN_ACTOR, comparable, copy_pcs


def values(name: str, seq: int, category: str = "助人为乐") -> dict:
    return {"name": name, "id_number": make_id("19700101", seq), "category": category, "summary": f"{name}热心助人",
            "story": story(900, seq), "recommender_kind": "org", "recommender_name": "桂花村村民委员会",
            "recommender_relation": "所在村"}


def test_a_village_nomination_travels_up_with_its_photo_and_the_check_comes_back(sync_templates, tmp_path):
    township, village = copy_pcs(sync_templates, ["T1", "A1"], tmp_path / "pcs")
    township.open()
    session = nominations.create_session(ADMIN_ACTOR, {"name": "清溪镇2026年第4季度身边好人评选", "kind": "quarterly"})
    nomination_review.add_member(ADMIN_ACTOR, session.id, "委员甲")
    village.import_(township.export(tmp_path / "down1.zip"))

    village.open()
    assert nominations.get_session(session.id).name == "清溪镇2026年第4季度身边好人评选"
    own = office.own_office()
    with pytest.raises(ValidationError, match="只能推荐本村"):
        nominations.submit(CLERK, session.id, {**values("李秀兰", 44), "village_id": "荷塘村"})
    row = nominations.submit(CLERK, session.id, values("张桂英", 22))
    assert Nominee.get_by_id(row.nominee_id).village_id == own.id and row.scope == own.id
    nominations.add_file(CLERK, row.id, "photo", "张桂英.png", PHOTO)

    township.import_(village.export(tmp_path / "up.zip", township))
    assert nominations.first_photo(row.id) == PHOTO, "the photo arrives whole"
    assert NominationFile.get(NominationFile.nomination_id == row.id).scope == own.id
    nominations.start_check(ADMIN_ACTOR, session.id)
    nominations.return_nomination(REVIEWER, row.id, "请补充村委会盖章的证明材料")

    village.import_(township.export(tmp_path / "down2.zip", village))
    back = Nomination.get_by_id(row.id)
    assert (back.status, back.return_reason) == ("returned", "请补充村委会盖章的证明材料")
    from civdesk.nominations.models import NominationEvent

    assert {e.scope for e in NominationEvent.select().where(NominationEvent.record_id == row.id)} == {own.id}, \
        "a nomination's status events belong to its village"
    assert comparable(township.dump(), township, village) == comparable(village.dump(), township, village)


def test_the_same_person_on_two_pcs_is_one_person(sync_templates, tmp_path):
    township, village = copy_pcs(sync_templates, ["T1", "A1"], tmp_path / "pcs")
    township.open()
    session = nominations.create_session(ADMIN_ACTOR, {"name": "第4季度", "kind": "quarterly"})
    village.import_(township.export(tmp_path / "down.zip"))
    village.open()
    on_village = nominations.submit(CLERK, session.id, values("张桂英", 22))
    township.open()
    earlier = nominations.create_session(ADMIN_ACTOR, {"name": "第3季度", "kind": "quarterly"})
    first = nominations.submit(CLERK, earlier.id, values("张桂英", 22))
    nomination_award.add_honour(ADMIN_ACTOR, first.nominee_id, "清溪镇身边好人（第3季度）")
    twice = nominations.submit(CLERK, session.id, {**values("张桂英", 22), "category": "孝老爱亲"})
    township.import_(village.export(tmp_path / "up.zip", township))

    assert Nominee.select().where(Nominee.id_number == make_id("19700101", 22)).count() == 2
    assert on_village.nominee_id != first.nominee_id
    record = nomination_award.person_record(on_village.nominee_id)
    assert [h.title for h in record.honours] == ["清溪镇身边好人（第3季度）"], "honours follow the ID number"
    assert len(record.nominations) == 3
    items = nomination_due.nominations_due(REVIEWER)
    assert any(i.kind == "nomination_twice" and "被推荐了 2 次" in i.title for i in items)
    assert twice.id != on_village.id
