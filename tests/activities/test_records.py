"""Activity records: every kind, the date and count rules, photos checked by header and size,
and the volunteers who served going to 志愿服务 as ordinary records awaiting a reviewer."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.activities import photos, records
from civdesk.activities.models import ActivityRecord, Photo, PhotoChunk
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.volunteers import hours, teams
from tests.activities.helpers import CLERK, REVIEWER, jpeg, png, villages, volunteer

TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=3)


def _values(**extra) -> dict:
    return {"kind": "节日", "festival": "重阳", "title": "重阳敬老活动", "day": DAY, "place": "村活动室",
            "organiser": "清溪镇文明办", "participants": "45", "content": "义诊、理发、包饺子", **extra}


def _nothing_written() -> None:
    assert ActivityRecord.select().count() == 0
    assert Photo.select().count() == 0 and PhotoChunk.select().count() == 0


def test_a_festival_activity_with_photos_and_volunteers(admin):
    ids = villages(admin, "桂花村")
    wang, li = volunteer("王秀英", 11), volunteer("李建国", 23)
    row = records.create(CLERK, _values(village_id="桂花村"), photo_files=[("合影.png", png()), ("义诊.jpg", jpeg())],
                         volunteers=[(wang.id, "3"), (li.id, 2.5)])
    assert row.scope == ids["桂花村"] and row.participants == 45 and row.festival == "重阳"
    detail = records.detail(row.id)
    assert [p.file_name for p in detail.photos] == ["合影.png", "义诊.jpg"]
    assert photos.photo_bytes(detail.photos[0].id) == png()
    assert detail.row.kind_label == "节日" and detail.row.photo_count == 2 and detail.row.village == "桂花村"
    assert detail.row.volunteers == 2 and detail.row.volunteer_hours == 5.5
    # The hours are ordinary service records of 志愿服务, waiting for a reviewer.
    pending = hours.records(status="pending")
    assert sorted((r.volunteer_name, r.hours, r.activity) for r in pending) == [
        ("李建国", 2.5, "重阳敬老活动"), ("王秀英", 3.0, "重阳敬老活动")]
    assert teams.get_activity(row.volunteer_activity_id).start_date == DAY
    hours.approve(REVIEWER, [r.id for r in pending])
    assert {s.status for s in records.volunteer_services(row.id)} == {"approved"}


@pytest.mark.parametrize("kind", ["道德讲堂", "三美", "未成年人", "志愿服务", "hall", "minors"])
def test_every_kind_is_recorded(admin, kind):
    row = records.create(CLERK, {"kind": kind, "title": "活动", "day": DAY, "participants": 0})
    assert records.rows(kind=kind)[0].id == row.id and row.participants == 0


@pytest.mark.parametrize("day, message", [
    ("1949-12-31", "早于 1950 年"), (TODAY + dt.timedelta(days=400), "一年以后"), ("2024-02-30", "不存在"),
    ("明天", "格式无法识别")])
def test_a_wrong_date_is_refused_and_nothing_written(admin, day, message):
    with pytest.raises(ValidationError) as caught:
        records.create(CLERK, _values(day=day), photo_files=[("合影.png", png())])
    assert message in caught.value.errors["day"] and "活动日期" in caught.value.errors["day"]
    _nothing_written()


def test_a_held_activity_cannot_be_in_the_future_but_a_plan_can(admin):
    later = TODAY + dt.timedelta(days=20)
    with pytest.raises(ValidationError, match="计划"):
        records.create(CLERK, _values(day=later))
    planned = records.create(CLERK, _values(day=later, status="计划", participants=""))
    assert planned.status == "planned" and planned.participants == 0
    with pytest.raises(CivDeskError, match="已开展"):
        records.add_volunteers(CLERK, planned.id, [(volunteer("王秀英", 11).id, 2)])


@pytest.mark.parametrize("count", ["-1", -5, "三十", 12.5, "12.5"])
def test_a_bad_participant_count_is_refused(admin, count):
    with pytest.raises(ValidationError) as caught:
        records.create(CLERK, _values(participants=count))
    assert "参与人数" in caught.value.errors["participants"]
    _nothing_written()


@pytest.mark.parametrize("name, data, message", [
    ("通知.docx", b"PK\x03\x04 a word document", "不是 JPG 或 PNG 照片"),
    ("假照片.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 200, "已损坏"),
    ("空.png", b"", "空文件"),
    ("截断.png", png()[:60], "已损坏")])
def test_a_photo_that_is_not_an_image_is_refused_and_nothing_written(admin, name, data, message):
    with pytest.raises(ValidationError) as caught:
        records.create(CLERK, _values(), photo_files=[("好照片.png", png()), (name, data)])
    assert message in caught.value.errors["photo"] and name in caught.value.errors["photo"]
    _nothing_written()


def test_a_photo_over_the_limit_is_refused(admin):
    from civdesk.office import settings

    settings.set_value(admin, "activities.photo_max_kb", 200)
    big = png() + b"\0" * (201 * 1024)
    with pytest.raises(ValidationError, match="超过了每张照片"):
        records.create(CLERK, _values(), photo_files=[("大照片.png", big)])
    _nothing_written()


def test_a_festival_activity_names_its_festival_and_others_do_not(admin):
    with pytest.raises(ValidationError) as caught:
        records.create(CLERK, _values(festival="情人节"))
    assert "重阳" in caught.value.errors["festival"]
    with pytest.raises(ValidationError, match="只有节日活动"):
        records.create(CLERK, _values(kind="三美"))
    with pytest.raises(ValidationError) as caught:
        records.create(CLERK, {"kind": "庙会", "title": "", "day": DAY})
    assert set(caught.value.errors) == {"kind", "title"}


def test_wrong_volunteer_hours_write_nothing_anywhere(admin):
    wang = volunteer("王秀英", 11)
    with pytest.raises(ValidationError, match="第 2 名志愿者"):
        records.create(CLERK, _values(), volunteers=[(wang.id, 2), (wang.id, "0.3")])
    _nothing_written()
    assert hours.records() == [] and teams.activities() == []


def test_a_village_pc_records_its_own_village_only(village_admin):
    own = office_service.own_office()
    row = records.create(CLERK, _values())
    assert row.village_id == own.id and row.scope == own.id
    with pytest.raises(ValidationError, match="只能登记本村"):
        records.create(CLERK, _values(village_id="荷塘村"))


def test_update_keeps_the_volunteer_activity_in_step_and_delete_needs_a_reason(admin):
    wang = volunteer("王秀英", 11)
    row = records.create(CLERK, _values(), volunteers=[(wang.id, 2)])
    records.update(CLERK, row.id, {"title": "重阳节敬老爱老活动", "participants": 60})
    assert teams.get_activity(row.volunteer_activity_id).name == "重阳节敬老爱老活动"
    with pytest.raises(CivDeskError, match="已录入志愿服务时长"):
        records.delete(CLERK, row.id, "重复录入")
    other = records.create(CLERK, _values(title="另一次"))
    with pytest.raises(ValidationError, match="删除原因"):
        records.delete(CLERK, other.id, " ")
    records.delete(CLERK, other.id, "重复录入")
    assert [r.title for r in records.rows()] == ["重阳节敬老爱老活动"]


def test_a_plan_whose_day_passed_is_red(admin):
    records.create(CLERK, _values(status="planned", day=TODAY - dt.timedelta(days=2), title="过期计划"))
    records.create(CLERK, _values(status="planned", day=TODAY + dt.timedelta(days=3), title="临近计划"))
    records.create(CLERK, _values(status="planned", day=TODAY + dt.timedelta(days=30), title="远期计划"))
    assert {r.title: r.colour for r in records.rows()} == {"过期计划": "red", "临近计划": "yellow", "远期计划": "ok"}


@pytest.mark.parametrize("count, expected", [("12人", 12), (30.0, 30), ("", 0), (" ３５ ", 35)])
def test_participant_counts_as_clerks_type_them(admin, count, expected):
    assert records.create(CLERK, _values(participants=count)).participants == expected


def test_a_photo_claiming_a_giant_size_is_refused(admin):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)) + \
        chunk(b"IEND", b"")
    with pytest.raises(ValidationError, match="像素尺寸大得不正常"):
        records.create(CLERK, _values(), photo_files=[("巨图.png", bomb)])
    _nothing_written()


def test_the_form_choices(admin):
    villages(admin, "桂花村")
    choices = records.form_choices()
    assert choices.kinds["festival"] == "节日" and "重阳" in choices.festivals and choices.fixed_village is None
    assert list(choices.villages.values()) == ["桂花村"] and choices.statuses["planned"] == "计划"


def test_an_edit_is_saved_whole_fields_photos_and_volunteers(admin):
    wang = volunteer("王秀英", 11)
    row = records.create(CLERK, _values(), photo_files=[("合影.png", png())])
    old_photo = records.detail(row.id).photos[0].id
    changed = records.edit(CLERK, row.id, {"title": "重阳节敬老爱老活动", "participants": 60},
                           add_photos=[("义诊.jpg", jpeg())], remove_photos=[old_photo], volunteers=[(wang.id, 2)])
    assert set(changed) >= {"title", "participants"}
    detail = records.detail(row.id)
    assert detail.row.title == "重阳节敬老爱老活动" and detail.row.participants == 60
    assert [p.file_name for p in detail.photos] == ["义诊.jpg"]
    assert [(v.name, v.hours) for v in detail.volunteers] == [("王秀英", 2)]


@pytest.mark.parametrize("part", ["volunteer", "photo", "field", "stranger_photo"])
def test_an_edit_with_an_error_in_any_part_writes_nothing(admin, part):
    from civdesk.core.audit_log import AuditEntry

    wang = volunteer("王秀英", 11)
    row = records.create(CLERK, _values(), photo_files=[("合影.png", png())])
    other = records.create(CLERK, _values(title="另一次"), photo_files=[("别的.png", png())])
    old_photo = records.detail(row.id).photos[0].id
    before = (ActivityRecord.select().count(), Photo.select().count(), PhotoChunk.select().count(),
              AuditEntry.select().count(), len(hours.records()))
    good = {"values": {"title": "改过的名称", "participants": 60}, "add_photos": [("义诊.jpg", jpeg())],
            "remove_photos": [old_photo], "volunteers": [(wang.id, 2)]}
    bad = {"volunteer": {"volunteers": [(wang.id, 2), (wang.id, "-3")]},
           "photo": {"add_photos": [("义诊.jpg", jpeg()), ("不是照片.jpg", b"%PDF-1.4 not an image")]},
           "field": {"values": {"title": "改过的名称", "participants": "-5"}},
           "stranger_photo": {"remove_photos": [old_photo, records.detail(other.id).photos[0].id]}}[part]
    arguments = {**good, **bad}
    with pytest.raises(CivDeskError):
        records.edit(CLERK, row.id, arguments.pop("values"), **arguments)
    after = (ActivityRecord.select().count(), Photo.select().count(), PhotoChunk.select().count(),
             AuditEntry.select().count(), len(hours.records()))
    assert after == before
    detail = records.detail(row.id)
    assert detail.row.title == "重阳敬老活动" and detail.row.participants == 45
    assert [p.id for p in detail.photos] == [old_photo] and detail.volunteers == []
    assert ActivityRecord.get_by_id(row.id).volunteer_activity_id in (None, "")
