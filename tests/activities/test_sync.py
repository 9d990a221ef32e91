"""活动与阵地 over USB sync: a village records an activity with a photo and volunteers' hours, a
道德讲堂 session and a placement; the township receives them whole; another village never does."""

from __future__ import annotations

import datetime as dt

from civdesk.activities import halls, photos, placements, records
from civdesk.activities.models import ActivityRecord, Photo
from civdesk.volunteers import hours
from tests.activities.helpers import CLERK, REVIEWER, png, volunteer
from tests.support.sync import comparable, copy_pcs

DAY = dt.date.today() - dt.timedelta(days=4)
BIG = png(900, 900, (5, 6, 7)) + bytes(range(256)) * 1200  # over one chunk: the photo travels in pieces


def test_a_villages_activities_reach_the_township_and_no_other_village(sync_templates, tmp_path):
    township, guihua, hetang = copy_pcs(sync_templates, ["T1", "A1", "B1"], tmp_path / "pcs")
    guihua.open()
    wang = volunteer("王秀英", 11)
    row = records.create(CLERK, {"kind": "节日", "festival": "重阳", "title": "重阳敬老", "day": DAY, "participants": 50},
                         photo_files=[("合影.png", BIG)], volunteers=[(wang.id, 3)])
    hall = halls.create_hall(CLERK, {"name": "桂花分堂", "kind": "分堂"})
    halls.add_session(CLERK, hall.id, {"day": DAY, "participants": 30, "story_title": "好邻居"})
    placements.create(CLERK, {"location_type": "街巷", "place": "正街", "theme": "讲文明", "put_up": DAY})
    assert row.scope == guihua.office_id and Photo.get().chunks > 1

    township.import_(guihua.export(tmp_path / "up.civsync"))
    photo_id = photos.photos(row.id)[0].id
    assert photos.photo_bytes(photo_id) == BIG
    assert [s.story_title for s in halls.sessions()] == ["好邻居"] and len(placements.placements()) == 1
    pending = hours.records(status="pending")
    assert [(r.volunteer_name, r.hours, r.activity) for r in pending] == [("王秀英", 3.0, "重阳敬老")]
    hours.approve(REVIEWER, [r.id for r in pending])
    township.import_(hetang.export(tmp_path / "b-up.civsync"))

    hetang.import_(township.export(tmp_path / "to-b.civsync", hetang))
    assert ActivityRecord.select().count() == 0 and Photo.select().count() == 0
    guihua.import_(township.export(tmp_path / "to-a.civsync", guihua))
    assert {s.status for s in records.volunteer_services(row.id)} == {"approved"}
    assert comparable(township.dump(), township, guihua) == comparable(guihua.dump(), township, guihua)
