"""Nominations: the session, recommendation, duplicate nominees, completeness, 初审 and return."""

from __future__ import annotations

import pytest

from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.nominations import award
from civdesk.nominations import nominees as nominations
from civdesk.nominations.models import Nomination, NominationEvent, Nominee
from tests.support.nominations import CLERK, PHOTO, REVIEWER, make_id, new_session, nominate, story


def test_session_takes_defaults_from_settings_and_checks_weights(admin):
    session = new_session(admin)
    assert session.category_list == ["助人为乐", "见义勇为", "诚实守信", "敬业奉献", "孝老爱亲"]
    assert session.rubric_items == [("事迹真实性", 30), ("感人程度", 25), ("社会影响", 25), ("示范意义", 20)]
    assert session.phase == "recommend" and session.quota_map["助人为乐"] == 1
    with pytest.raises(ValidationError) as err:
        nominations.create_session(admin, {"name": "第5届道德模范", "kind": "biennial", "rubric": "真实:50；感人:40"})
    assert err.value.errors["rubric"] == "各评分项权重合计应为 100，当前为 90"
    with pytest.raises(ValidationError) as err:
        nominations.create_session(admin, {"name": "x", "kind": "biennial", "rubric": "真实50"})
    assert "名称:权重" in err.value.errors["rubric"]
    custom = nominations.create_session(admin, {"name": "第5届道德模范", "kind": "biennial", "categories": "助人为乐、孝老爱亲",
                                                "rubric": "事迹:60；影响:40", "quotas": {"助人为乐": 3}})
    assert custom.category_list == ["助人为乐", "孝老爱亲"] and custom.quota_map == {"助人为乐": 3, "孝老爱亲": 2}
    with pytest.raises(PermissionDenied):
        nominations.create_session(CLERK, {"name": "x", "kind": "monthly"})


def test_same_person_cannot_be_nominated_twice_in_one_session(admin):
    session = new_session(admin)
    first = nominate(session, "张桂英", 22)
    with pytest.raises(nominations.DuplicateNomination) as err:
        nominate(session, "张桂英", 22, "孝老爱亲")
    assert err.value.existing_id == first.id and "同一人在一次评选中只能推荐一次" in str(err.value)
    assert Nomination.select().where(Nomination.session_id == session.id).count() == 1
    other = nominations.create_session(admin, {"name": "2027年第一季度", "kind": "quarterly"})
    again = nominate(other, "张桂英", 22, "孝老爱亲")
    assert again.nominee_id == first.nominee_id, "the person is kept once, by ID number"
    assert Nominee.select().count() == 1
    # correcting an ID number into another nominee's number is refused the same way
    second = nominate(session, "李秀兰", 44)
    with pytest.raises(nominations.DuplicateNomination):
        nominations.update(CLERK, second.id, {"id_number": make_id("19700101", 22)})


def test_summary_and_story_lengths_are_enforced(admin):
    session = new_session(admin)
    with pytest.raises(ValidationError) as err:
        nominate(session, "王强", 11, summary="好" * 141, story_len=900)
    assert err.value.errors["summary"] == "一句话事迹最多 140 字，当前 141 字"
    with pytest.raises(ValidationError) as err:
        nominations.submit(CLERK, session.id, {"name": "王强", "id_number": make_id("19700101", 11), "category": "助人为乐",
                                               "story": "字" * 2001})
    assert err.value.errors["story"].startswith("主要事迹最多 2000 字，当前 2001 字")
    with pytest.raises(ValidationError) as err:
        nominations.submit(CLERK, session.id, {"name": "", "id_number": "510114197001010111", "category": "不存在"})
    assert set(err.value.errors) == {"name", "id_number", "category"}
    assert "校验位" in err.value.errors["id_number"]
    assert Nominee.select().count() == 0, "nothing written when the input is bad"
    assert nominations.count_chars("一二 三\n四") == 4


def test_photo_type_and_size_cap(admin):
    session = new_session(admin)
    row = nominate(session, "王强", 11, photo=False)
    with pytest.raises(ValidationError) as err:
        nominations.add_file(CLERK, row.id, "photo", "事迹.docx", b"PK\x03\x04rest")
    assert "不是 JPG 或 PNG 照片" in err.value.errors["photo"]
    with pytest.raises(ValidationError) as err:
        nominations.add_file(CLERK, row.id, "photo", "大照片.jpg", b"\xff\xd8\xff" + bytes(3 * 1024 * 1024))
    assert "超过了每个文件 2 MB 的上限" in err.value.errors["photo"] and "3.0 MB" in err.value.errors["photo"]
    saved = nominations.add_file(CLERK, row.id, "photo", "王强.png", PHOTO)
    assert nominations.file_bytes(saved) == PHOTO and nominations.first_photo(row.id) == PHOTO


def test_check_requires_completeness_and_eligibility(admin):
    session = new_session(admin, members=0)
    complete = nominate(session, "张桂英", 22)
    no_photo = nominate(session, "李秀兰", 44, photo=False)
    short = nominate(session, "陈志强", 13, story_len=900, recommender_name="", story="很好的人。" * 20)
    with pytest.raises(CivDeskError, match="初审要在初审阶段进行"):
        nominations.pass_check(REVIEWER, complete.id, eligible=True)
    nominations.start_check(admin, session.id)
    with pytest.raises(CivDeskError, match="不再接受新的推荐"):
        nominate(session, "赵四", 15)
    assert nominations.completeness(complete) == []
    assert nominations.completeness(no_photo) == ["缺少被推荐人照片"]
    assert nominations.completeness(nominations.get(short.id)) == ["主要事迹不足 800 字（现有 100 字）", "缺少推荐人（单位）"]
    with pytest.raises(ValidationError) as err:
        nominations.pass_check(REVIEWER, no_photo.id, eligible=True)
    assert "缺少被推荐人照片" in err.value.errors["check"]
    with pytest.raises(ValidationError) as err:
        nominations.pass_check(REVIEWER, complete.id, eligible=False)
    assert "符合推荐条件" in err.value.errors["eligible"]
    with pytest.raises(PermissionDenied):
        nominations.pass_check(CLERK, complete.id, eligible=True)
    nominations.pass_check(REVIEWER, complete.id, eligible=True)
    assert nominations.get(complete.id).status == "passed"

    with pytest.raises(CivDeskError, match="还有 2 条推荐没有初审"):
        nominations.start_review(admin, session.id)
    with pytest.raises(ValidationError) as err:
        nominations.return_nomination(REVIEWER, no_photo.id, "  ")
    assert "写明原因" in err.value.errors["reasons"]
    nominations.return_nomination(REVIEWER, no_photo.id, "缺少被推荐人照片，请补充一张近期正面照片")
    nominations.return_nomination(REVIEWER, short.id, "事迹不足 800 字；缺少推荐单位")
    returned = nominations.get(no_photo.id)
    assert returned.status == "returned" and returned.return_reason.startswith("缺少被推荐人照片")
    events = [(e.from_status, e.to_status, e.reason) for e in nominations.events(no_photo.id)]
    assert events[-1] == ("recommended", "returned", "缺少被推荐人照片，请补充一张近期正面照片")
    # the returned nomination is corrected and resubmitted, then passes
    nominations.add_file(CLERK, no_photo.id, "photo", "李秀兰.png", PHOTO)
    nominations.resubmit(CLERK, no_photo.id)
    nominations.pass_check(REVIEWER, no_photo.id, eligible=True)
    with pytest.raises(CivDeskError, match="请先在“评议委员”中登记"):
        nominations.start_review(admin, session.id)
    from civdesk.nominations import review

    review.add_member(admin, session.id, "委员甲")
    nominations.start_review(admin, session.id)
    statuses = {r.name: r.status for r in nominations.rows(session.id)}
    assert statuses == {"张桂英": "review", "李秀兰": "review", "陈志强": "returned"}
    assert NominationEvent.select().where(NominationEvent.record_id == session.id).count() == 3
    with pytest.raises(CivDeskError, match="不能再修改"):
        nominations.update(CLERK, complete.id, {"summary": "改"})


def test_earlier_honours_show_on_a_new_nomination(admin):
    first = new_session(admin)
    row = nominate(first, "张桂英", 22)
    award.add_honour(admin, row.nominee_id, "2024年度清溪镇道德模范", "镇级", "清溪镇人民政府", "2024-12-20")
    later = nominations.create_session(admin, {"name": "2027年第一季度", "kind": "quarterly"})
    nominate(later, "张桂英", 22, "孝老爱亲")
    found = nominations.rows(later.id)[0]
    assert found.earlier_honours == ["2024年度清溪镇道德模范（2024-12）"]
    assert found.id_masked.startswith("510114") and "*" in found.id_masked


def test_story_generator_gives_the_required_length():
    for seed in range(20):
        for length in (800, 1500, 2000):
            assert 800 <= nominations.count_chars(story(length, seed)) <= 2000


def test_saving_a_nomination_with_files_is_all_or_nothing(admin, monkeypatch):
    """The editor's save writes the nomination and its files in one transaction."""
    session = new_session(admin)
    values = {"name": "陈光明", "id_number": make_id("19700101", 77), "village_id": "桂花村", "occupation": "村民",
              "category": "助人为乐", "summary": "陈光明热心帮助邻里", "story": story(900, 77, "助人为乐"),
              "recommender_kind": "org", "recommender_name": "桂花村村民委员会", "recommender_relation": "所在村"}
    before = Nomination.select().count()

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(nominations, "add_file", broken)
    with pytest.raises(OSError):
        nominations.save(CLERK, session.id, None, values, [("photo", "陈光明.png", PHOTO)])
    assert Nomination.select().count() == before
    monkeypatch.undo()
    saved = nominations.save(CLERK, session.id, None, values, [("photo", "陈光明.png", PHOTO)])
    assert [f.file_name for f in nominations.files(saved)] == ["陈光明.png"]


def test_weights_and_quotas_use_the_one_number_parser(admin):
    made = nominations.create_session(admin, {"name": "第6届道德模范", "kind": "biennial", "categories": "助人为乐、孝老爱亲",
                                              "rubric": "事迹：６０；影响:40分", "quotas": "助人为乐:３；孝老爱亲:２名"})
    assert made.rubric_items == [("事迹", 60), ("影响", 40)] and made.quota_map == {"助人为乐": 3, "孝老爱亲": 2}
    for rubric, words in (("事迹:60.5；影响:39.5", "应为整数"), ("事迹:1e2", "科学计数法"), ("事迹:0；影响:100", "应大于 0"),
                          ("事迹:inf", "应为整数"), ("事迹:", "不能为空")):
        with pytest.raises(ValidationError) as err:
            nominations.create_session(admin, {"name": "x", "kind": "biennial", "rubric": rubric})
        assert words in err.value.errors["rubric"] and "评分项「事迹」的权重" in err.value.errors["rubric"], rubric
    for quota, words in (("助人为乐:0", "不能小于 1"), ("助人为乐:1.5", "应为整数"), ("助人为乐:nan", "应为整数")):
        with pytest.raises(ValidationError) as err:
            nominations.create_session(admin, {"name": "x", "kind": "biennial", "categories": "助人为乐",
                                               "quotas": quota})
        assert words in err.value.errors["quotas"] and err.value.errors["quotas"].startswith("「助人为乐」的名额")
