"""One volunteer registered twice, merged: what moves to the person kept, who may merge, what is
refused (with nothing written), what the audit log says, and that every read follows the
tombstone's pointer — also for records that name the merged person after the merge."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civdesk.core import changes
from civdesk.core import merges as merging
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.meta import ChangeLog
from civdesk.core.validation import ValidationError
from civdesk.office import dashboard
from civdesk.office import offices as office_service
from civdesk.volunteers import certificates, hours, merges, stats, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import ServiceRecord, Volunteer
from civdesk.volunteers.roster import VolunteerFilter
from tests.support.volunteers import make_id

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
DAY = dt.date(2024, 5, 6)
_seq = iter(range(101, 999, 2))


def person(actor: Actor, name: str, **values) -> Volunteer:
    values.setdefault("id_number", make_id("19850312", f"{next(_seq):03d}"))
    return volunteers.register(actor, {"name": name, **values})


def approved_hours(volunteer: Volunteer, amount, day: dt.date = DAY) -> None:
    record = hours.enter(CLERK, volunteer.id, day, amount)
    hours.approve(REVIEWER, [record.id])


def twin(row: Volunteer, **values) -> Volunteer:
    """The same person as another PC registered them before the two PCs met (sync brings the
    record as it is: the one-ID-number rule holds on each PC, not across them)."""
    data = {name: getattr(row, name) for name in Volunteer.data_fields() if name != "merged_into"}
    data.update({"number": row.number + "B", **values})
    return changes.create(Volunteer, CLERK, data, scope=row.scope)


def log_size() -> int:
    return ChangeLog.select().count()


@pytest.fixture
def pair(admin):
    kept = person(CLERK, "张三", phone="13900000001", address="东街 1 号")
    other = twin(kept, phone="13900000002", address="西街 2 号", skills="驾驶")
    approved_hours(kept, 3)
    approved_hours(other, 2, DAY + dt.timedelta(days=1))
    return kept, other


def test_the_merge_moves_hours_certificates_teams_and_activities(pair):
    kept, other = pair
    team = teams.create_team(CLERK, {"name": "敬老服务队", "leader_id": other.id})
    teams.add_member(CLERK, team.id, other.id, "队员")
    activity = teams.create_activity(CLERK, {"name": "重阳敬老", "start_date": DAY, "end_date": DAY})
    teams.add_participant(CLERK, activity.id, other.id)
    issued = certificates.issue(REVIEWER, other.id, today=DAY + dt.timedelta(days=3))

    preview = merges.preview(REVIEWER, kept.id, other.id)
    assert dict(preview.moves) == {"服务记录": 1, "志愿服务记录证明": 1, "所在队伍": 1, "参加的活动": 1, "负责的队伍": 1}
    assert preview.hours == 2 and "服务记录 1 条（已审核 2 小时）、志愿服务记录证明 1 份" in preview.moves_text()
    assert {c.field for c in preview.differing} == {"phone", "address", "skills"}

    merges.merge(REVIEWER, kept.id, other.id)
    assert volunteers.matching_ids(VolunteerFilter()) == [kept.id]
    assert volunteers.rows([kept.id])[kept.id].hours == 5  # 3 + 2, counted once
    assert hours.total_half_hours(kept.id) == 10
    assert {r.volunteer_id for r in hours.records(kept.id)} == {kept.id} and len(hours.records(kept.id)) == 2
    assert [v.id for v, _ in teams.members(team.id)] == [kept.id]
    assert [t.id for t in teams.teams_of(kept.id)] == [team.id]
    assert [r.number for r in certificates.register(volunteer_id=kept.id)] == [issued.number]
    checked = certificates.verify(issued.number, issued.check_code)
    assert checked.ok and checked.register_intact and checked.volunteer_number == kept.number
    figures = stats.compute(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (figures.volunteers_active, figures.served_volunteers, figures.total_hours) == (1, 1, 5)
    assert figures.by_team == [("敬老服务队", 5)]  # the member's hours of both records, once
    assert volunteers.find(other.number).id == kept.id and volunteers.get(other.id).id == kept.id
    again = certificates.issue(REVIEWER, kept.id, today=DAY + dt.timedelta(days=4))
    assert again.half_hours == 10


def test_the_reviewer_chooses_per_field_and_both_records_are_audited(pair):
    kept, other = pair
    merges.merge(REVIEWER, kept.id, other.id, {"phone": "other", "skills": "other"})
    kept, other = Volunteer.get_by_id(kept.id), Volunteer.get_by_id(other.id)
    assert (kept.phone, kept.address, kept.skills) == ("13900000002", "东街 1 号", "驾驶")
    assert other.deleted and other.merged_into == kept.id
    entries = list(AuditEntry.select().where(AuditEntry.action == "merge"))
    assert {e.record_id for e in entries} == {kept.id, other.id}
    text = " ".join(e.changes + e.note for e in entries)
    assert "13900000002" not in text and "139****0002" in text
    assert "服务记录 1 条" in text and "选用了它的联系电话、技能特长" in text
    assert not merges.pairs()


def test_personal_data_is_masked_until_revealed_and_revealing_is_audited(pair):
    kept, other = pair
    masked = {c.field: c for c in merges.preview(REVIEWER, kept.id, other.id).fields}
    assert (masked["phone"].keep_text, masked["phone"].other_text) == ("139****0001", "139****0002")
    assert masked["address"].other_text == "（已隐藏）" and masked["name"].keep_text == "张三"
    assert not AuditEntry.select().where(AuditEntry.action == "view_personal").exists()
    shown = {c.field: c for c in merges.preview(REVIEWER, kept.id, other.id, reveal=True).fields}
    assert shown["address"].other_text == "西街 2 号"
    [viewed] = AuditEntry.select().where(AuditEntry.action == "view_personal")
    assert viewed.username == REVIEWER.username and "西街" not in viewed.note


def test_a_difference_hidden_by_the_mask_is_said(admin):
    kept = person(CLERK, "王五", phone="13911110001")
    other = twin(kept, phone="13922220001")  # both read 139****0001 masked
    [choice] = merges.preview(REVIEWER, kept.id, other.id).differing
    assert choice.keep_text == choice.other_text == "139****0001" and "实际不同" in choice.note
    [shown] = merges.preview(REVIEWER, kept.id, other.id, reveal=True).differing
    assert (shown.keep_text, shown.other_text, shown.note) == ("13911110001", "13922220001", "")


@pytest.mark.parametrize("case", ["itself", "tombstone", "kept_is_tombstone", "other_office", "clerk", "bad_choice"])
def test_refusals_say_why_and_write_nothing(admin, pair, case):
    kept, other = pair
    if case in ("tombstone", "kept_is_tombstone"):
        third = twin(kept, number="C1")
        merges.merge(REVIEWER, kept.id, other.id)
        calls = {"tombstone": (REVIEWER, third.id, other.id), "kept_is_tombstone": (REVIEWER, other.id, third.id)}
        actor, a, b, choices = *calls[case], None
    elif case == "other_office":
        village = office_service.add_village(admin, "荷塘村")
        elsewhere = person(CLERK, "张三", village_id=village.id)
        actor, a, b, choices = REVIEWER, kept.id, elsewhere.id, None
    else:
        actor, a, b, choices = {"itself": (REVIEWER, kept.id, kept.id, None),
                                "clerk": (CLERK, kept.id, other.id, None),
                                "bad_choice": (REVIEWER, kept.id, other.id, {"number": "other"})}[case]
    before = log_size()
    expected = {"itself": (CivDeskError, "与它自己合并"), "tombstone": (CivDeskError, "已经合并到「张三」"),
                "kept_is_tombstone": (CivDeskError, "是合并留下的记录"), "other_office": (CivDeskError, "不同的单位"),
                "clerk": (PermissionDenied, "没有权限合并重复登记"), "bad_choice": (ValidationError, "「志愿者编号」不是可以选择的信息")}[case]
    with pytest.raises(expected[0]) as excinfo:
        merges.merge(actor, a, b, choices)
    message = str(excinfo.value) + json.dumps(getattr(excinfo.value, "errors", {}), ensure_ascii=False)
    assert expected[1] in message
    assert log_size() == before


def test_hours_that_arrive_later_for_the_merged_person_count_for_the_person_kept(pair):
    kept, other = pair
    merges.merge(REVIEWER, kept.id, other.id)
    # A PC that had not seen the merge entered hours for the other record; sync brings them as they are.
    late = changes.create(ServiceRecord, CLERK, {"volunteer_id": other.id, "service_date": DAY + dt.timedelta(days=9),
                                                 "half_hours": 4, "content": "入户走访"})
    hours.approve(REVIEWER, [late.id])
    assert hours.totals_for([kept.id]) == {kept.id: 14}
    assert [r.volunteer_name for r in hours.records(kept.id)][0] == "张三"
    assert volunteers.rows([kept.id])[kept.id].hours == 7


def test_an_hours_sheet_naming_the_merged_record_attaches_to_the_person_kept(pair, tmp_path):
    from openpyxl import Workbook

    from civdesk.volunteers import hours_import

    kept, other = pair
    merges.merge(REVIEWER, kept.id, other.id)
    book = Workbook()
    book.active.append(["姓名", "志愿者编号", "服务日期", "服务时长（小时）"])
    book.active.append(["张三", other.number, DAY + dt.timedelta(days=20), 2])
    book.save(tmp_path / "时长.xlsx")
    report = hours_import.run(tmp_path / "时长.xlsx", CLERK)
    assert report.imported == 1
    [record] = ServiceRecord.select().where(ServiceRecord.service_date == DAY + dt.timedelta(days=20))
    assert record.volunteer_id == kept.id


def test_a_merged_record_restored_by_a_conflict_choice_is_still_not_a_person_of_its_own(pair):
    kept, other = pair
    merges.merge(REVIEWER, kept.id, other.id)
    changes.undelete(Volunteer.get_by_id(other.id), REVIEWER)  # e.g. 冲突处理 kept an edit made elsewhere
    assert volunteers.matching_ids(VolunteerFilter(status="")) == [kept.id]
    assert volunteers.rows([kept.id])[kept.id].hours == 5 and volunteers.get(other.id).id == kept.id


def test_a_loop_resolves_to_the_smallest_id_and_a_chain_to_its_end():
    assert merging.resolve({"b": "a", "a": "b"}) == {"a": "a", "b": "a"}
    assert merging.resolve({"a": "b", "b": "c"}) == {"a": "c", "b": "c"}
    assert merging.resolve({"d": "c", "c": "b", "b": "c"}) == {"b": "b", "c": "b", "d": "b"}
    found = merging.Merges(merging.resolve({"a": "b", "b": "c"}))
    assert found.family(["c"]) == ["a", "b", "c"] and found.fold({"a": 1, "c": 2, "x": 4}) == {"c": 3, "x": 4}


@pytest.mark.parametrize("keep_loop", [True, False])
def test_both_records_merged_into_each_other_leave_one_person(pair, keep_loop):
    kept, other = pair
    # What two PCs that merged in opposite directions hold once they have met.
    changes.update(Volunteer.get_by_id(other.id), REVIEWER, {"merged_into": kept.id, "deleted": True})
    changes.update(Volunteer.get_by_id(kept.id), REVIEWER, {"merged_into": other.id, "deleted": True})
    smallest = min(kept.id, other.id)
    assert volunteers.matching_ids(VolunteerFilter()) == [smallest]
    assert volunteers.matching_ids(VolunteerFilter(text="zhangsan")) == [smallest]
    assert volunteers.rows([smallest])[smallest].hours == 5
    assert volunteers.get(kept.id).id == volunteers.get(other.id).id == smallest
    third = twin(kept, number="C1")
    if keep_loop:  # merging a third record into the survivor takes it out of the loop
        merges.merge(REVIEWER, smallest, third.id)
        assert volunteers.matching_ids(VolunteerFilter()) == [smallest]
        assert not Volunteer.get_by_id(smallest).deleted
    else:  # or the loop's survivor merged into a third record
        merges.merge(REVIEWER, third.id, smallest)
        assert volunteers.matching_ids(VolunteerFilter()) == [third.id]
        assert volunteers.rows([third.id])[third.id].hours == 5
        assert Volunteer.get_by_id(smallest).merged_into == third.id


def test_the_start_page_item_leads_to_the_merge_and_goes_once_merged(pair):
    kept, other = pair
    [item] = [i for i in dashboard.collect(REVIEWER) if i.kind == "volunteer_duplicates"]
    assert item.target_page == "volunteers/merge" and "合并" in item.detail
    [clerk_item] = [i for i in dashboard.collect(CLERK) if i.kind == "volunteer_duplicates"]
    assert "需由审核人或系统管理员" in clerk_item.detail
    merges.merge(REVIEWER, kept.id, other.id)
    assert not [i for i in dashboard.collect(REVIEWER) if i.kind == "volunteer_duplicates"]
