"""道德讲堂: a 总堂 and its 分堂, sessions with the five customary parts (a setting), the story
told (a 好人 of the nominations when it is one), attendance."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.activities import halls, records
from civdesk.activities.models import ActivityRecord, HallSession
from civdesk.core.validation import ValidationError
from civdesk.office import settings
from tests.activities.helpers import CLERK, png, villages
from tests.support.nominations import new_session, nominate

DAY = dt.date.today() - dt.timedelta(days=10)
FIVE = ["唱一首歌", "看一部短片", "诵一段经典", "讲一个故事", "作一番点评"]


def _halls(admin):
    ids = villages(admin, "土城社区")
    main = halls.create_hall(CLERK, {"name": "清溪镇道德讲堂", "kind": "总堂", "address": "镇文化站二楼"})
    branch = halls.create_hall(CLERK, {"name": "土城分堂", "kind": "分堂", "village_id": "土城社区"})
    return main, branch, ids


def test_halls_and_a_session_with_the_five_parts(admin):
    main, branch, ids = _halls(admin)
    assert branch.scope == ids["土城社区"] and main.scope is None
    session = halls.add_session(CLERK, branch.id, {"day": DAY, "attendance": 56, "story_kind": "道德故事",
                                                   "story_title": "孝老爱亲的好儿媳", "storyteller": "李老师"},
                                photo_files=[("讲堂.png", png())])
    row = halls.sessions(branch.id)[0]
    assert [p["part"] for p in row.parts] == FIVE and row.attendance == 56 and row.photo_count == 1
    assert row.title == "土城分堂道德讲堂：孝老爱亲的好儿媳" and row.place == "土城分堂" and row.hall == "土城分堂"
    record = records.get(session.record_id)
    assert record.kind == "hall" and record.village_id == ids["土城社区"] and session.scope == record.scope
    listed = {h.name: h for h in halls.halls(DAY.year)}
    assert [h.kind for h in halls.halls(DAY.year)] == ["总堂", "分堂"]
    assert listed["土城分堂"].sessions_this_year == 1 and listed["土城分堂"].last_session == DAY.isoformat()
    assert listed["清溪镇道德讲堂"].sessions_this_year == 0


def test_the_parts_are_a_setting_and_editable_per_session(admin):
    main, _, _ = _halls(admin)
    settings.set_value(admin, "activities.hall_parts", "唱一首歌；讲一个故事；谈一番感悟")
    halls.add_session(CLERK, main.id, {"day": DAY, "participants": 30})
    assert [p["part"] for p in halls.sessions(main.id)[0].parts] == ["唱一首歌", "讲一个故事", "谈一番感悟"]
    custom = [{"part": "唱一首歌", "content": "《公民道德歌》"}, {"part": "看一部短片", "content": "《最美家庭》"}]
    session = halls.add_session(CLERK, main.id, {"day": DAY, "participants": 40, "parts": custom})
    assert halls.sessions(main.id)[1].parts == custom
    halls.update_session(CLERK, session.id, {"parts": custom + [{"part": "作一番点评", "content": "镇党委书记点评"}]})
    assert len(halls.sessions(main.id)[1].parts) == 3
    with pytest.raises(ValidationError, match="第 2 个环节没有名称"):
        halls.update_session(CLERK, session.id, {"parts": [{"part": "唱一首歌"}, {"part": " "}]})


def test_the_story_of_a_good_person_keeps_the_nominee(admin):
    main, _, _ = _halls(admin)
    nomination = nominate(new_session(admin), "张桂英", 7, village_id="土城社区")
    session = halls.add_session(CLERK, main.id, {"day": DAY, "participants": 80, "nominee_id": nomination.nominee_id})
    row = halls.sessions()[0]
    assert session.nominee_id == nomination.nominee_id
    assert (row.nominee_name, row.story_kind, row.story_title) == ("张桂英", "好人故事", "张桂英的故事")
    with pytest.raises(ValidationError, match="找不到这位好人"):
        halls.add_session(CLERK, main.id, {"day": DAY, "participants": 8, "nominee_id": "no-such-person"})


def test_bad_halls_and_sessions_are_refused_with_nothing_written(admin):
    main, branch, _ = _halls(admin)
    with pytest.raises(ValidationError) as caught:
        halls.create_hall(CLERK, {"name": "另一个总堂", "kind": "总堂"})
    assert "已有总堂「清溪镇道德讲堂」" in caught.value.errors["kind"]
    with pytest.raises(ValidationError, match="总堂由乡镇设立"):
        halls.create_hall(CLERK, {"name": "土城总堂", "kind": "总堂", "village_id": "土城社区"})
    with pytest.raises(ValidationError, match="已有名为「土城分堂」"):
        halls.create_hall(CLERK, {"name": "土城分堂", "kind": "分堂"})
    with pytest.raises(ValidationError) as caught:
        halls.add_session(CLERK, branch.id, {"day": "1949-10-01", "participants": -3, "story_kind": "笑话"},
                          photo_files=[("讲堂.png", png())])
    assert set(caught.value.errors) == {"day", "participants", "story_kind"}
    assert ActivityRecord.select().count() == 0 and HallSession.select().count() == 0
