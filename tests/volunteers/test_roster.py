"""Volunteer registry: ID numbers, numbers, villages, roles, audit masking, search and list rows."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from civdesk.core import validation
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import CivDeskError, NotFound, PermissionDenied
from civdesk.core.meta import ChangeLog
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.volunteers import hours, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Volunteer
from civdesk.volunteers.roster import DuplicateVolunteer, VolunteerFilter

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
GUEST = Actor("fangke", "访客", "guest")  # a role no permission names

_seq = itertools.count(11)


def id_for(birth: str = "1985-03-12", sex: str = "男", region: str = "510114", seq: int | None = None) -> str:
    """A valid GB 11643 number; *seq* (two digits) keeps numbers of one test apart."""
    seq = next(_seq) % 100 if seq is None else seq
    day = dt.date.fromisoformat(birth)
    body = f"{region}{day:%Y%m%d}{seq:02d}{3 if sex == '男' else 4}"
    return body + validation.id_check_digit(body)


def person(actor: Actor, name: str, **values) -> Volunteer:
    values.setdefault("id_number", id_for(sex=values.get("sex") or "男"))
    return volunteers.register(actor, {"name": name, **values})


def approved_hours(volunteer: Volunteer, amount, day: dt.date = dt.date(2024, 5, 6)) -> None:
    record = hours.enter(CLERK, volunteer.id, day, amount)
    hours.approve(REVIEWER, [record.id])


def field_error(excinfo, field: str) -> str:
    assert field in excinfo.value.errors, excinfo.value.errors
    return excinfo.value.errors[field]


# --- ID numbers ------------------------------------------------------------------------------


def test_register_normalises_id_and_derives_sex_and_birth(admin):
    number = id_for("1990-07-08", "女", seq=42)
    typed = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    typed = f" {typed[:6]} {typed[6:14]} {typed[14:]}{number[17].lower()} "
    v = person(admin, "  李  秀  ", id_number=typed)
    assert v.id_number == number
    assert v.sex == "女"
    assert v.birth_date == dt.date(1990, 7, 8)
    stored = Volunteer.get_by_id(v.id)
    assert (stored.id_number, stored.sex, stored.birth_date) == (number, "女", dt.date(1990, 7, 8))


def test_lowercase_x_check_digit(admin):
    body = "11010519491231002"
    v = person(admin, "赵一", id_number=f"{body}x")
    assert v.id_number == f"{body}X" and v.sex == "女" and v.birth_date == dt.date(1949, 12, 31)


def test_sex_contradicting_the_id_is_refused(admin):
    with pytest.raises(ValidationError) as exc:
        person(admin, "张三", id_number=id_for(sex="男"), sex="女")
    assert "不符" in field_error(exc, "sex")
    assert not Volunteer.select().exists()
    assert person(admin, "张三", id_number=id_for(sex="男"), sex="男").sex == "男"


@pytest.mark.parametrize("bad, words", [
    ("110105194912310021", "校验位"),  # 11010519491231002X with a wrong check digit
    ("510114198502301230", "不存在"),  # 30 February
    ("510114209001011230", "晚于今天"),
    ("5101141985031212", "18 位"),
    ("510114198503121A3X", "只能是数字"),
])
def test_bad_id_numbers_are_refused(admin, bad, words):
    with pytest.raises(ValidationError) as exc:
        person(admin, "王五", id_number=bad)
    message = field_error(exc, "id_number")
    assert words in message and "身份证" in message
    assert not Volunteer.select().exists()


def test_wrong_check_digit_says_which(admin):
    good = id_for(seq=77)
    wrong = "0" if good[17] != "0" else "1"
    with pytest.raises(ValidationError) as exc:
        person(admin, "王五", id_number=good[:17] + wrong)
    assert field_error(exc, "id_number") == f"身份证号码校验位错误：应为 {good[17]}，实际为 {wrong}"


def test_other_id_types_have_a_format_check(admin):
    v = person(admin, "Anna Müller", id_type="护照", id_number=" e１２３４５６７８ ", sex="女", birth_date="1980-02-03")
    assert (v.id_type, v.id_number, v.sex, v.birth_date) == ("护照", "E12345678", "女", dt.date(1980, 2, 3))
    for bad in ("E12", "E123#5678", ""):
        with pytest.raises(ValidationError) as exc:
            person(admin, "Bob", id_type="护照", id_number=bad)
        assert "证件号码" in field_error(exc, "id_number")
    with pytest.raises(ValidationError) as exc:
        person(admin, "Bob", id_type="驾驶证", id_number="E7654321")
    assert "证件类型" in field_error(exc, "id_type")


def test_several_problems_reported_at_once(admin):
    with pytest.raises(ValidationError) as exc:
        volunteers.register(admin, {"name": "", "id_number": "123", "phone": "12345", "sex": "未知"})
    assert {"name", "id_number", "phone", "sex"} <= set(exc.value.errors)


# --- duplicates and numbers ------------------------------------------------------------------


def test_second_volunteer_with_the_same_id_is_refused(admin):
    number = id_for(seq=21)
    first = person(admin, "张三", id_number=number)
    log_before = ChangeLog.select().count()
    audit_before = AuditEntry.select().count()
    with pytest.raises(DuplicateVolunteer) as exc:
        person(admin, "张叁", id_number=f" {number.lower()} ")
    assert exc.value.existing_id == first.id
    assert "张三" in str(exc.value) and first.number in str(exc.value)
    assert number not in str(exc.value), "the message shows the ID masked"
    assert Volunteer.select().count() == 1
    assert ChangeLog.select().count() == log_before and AuditEntry.select().count() == audit_before
    with pytest.raises(DuplicateVolunteer):  # typed with full-width digits: still the same person
        person(admin, "张叁", id_number=number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
               + number[17])


def test_update_to_another_volunteers_id_is_refused(admin):
    a = person(admin, "张三")
    b = person(admin, "李四")
    with pytest.raises(DuplicateVolunteer) as exc:
        volunteers.update(admin, b.id, {"id_number": a.id_number})
    assert exc.value.existing_id == a.id
    assert volunteers.update(admin, a.id, {"id_number": a.id_number, "name": "张三"}) == {}


def test_numbers_have_prefix_and_six_digits_and_increase(admin):
    made = [person(admin, name) for name in ("张三", "李四", "王五")]
    assert [v.number for v in made] == ["QXZ000001", "QXZ000002", "QXZ000003"]
    volunteers.delete(admin, made[-1].id, "重复登记")
    assert person(admin, "赵六").number == "QXZ000004", "a deleted volunteer's number is not reused"


def test_number_prefix_from_the_setting(admin):
    person(admin, "张三")
    settings.set_value(admin, "volunteer.number_prefix", " qx ")
    assert volunteers.number_prefix() == "QX"
    assert person(admin, "李四").number == "QX000001"
    assert person(admin, "王五").number == "QX000002"
    assert volunteers.next_number() == "QX000003"
    assert volunteers.next_number(taken=2) == "QX000005"


def test_number_prefix_from_the_village_office(village_admin):
    assert volunteers.number_prefix() == "GHC"
    assert person(village_admin, "张三").number == "GHC000001"


def test_find_by_id_or_number(admin):
    v = person(admin, "张三")
    assert volunteers.find(v.id_number.lower()).id == v.id
    assert volunteers.find(" qxz000001 ").id == v.id
    with pytest.raises(NotFound):
        volunteers.find("QXZ000002")


# --- villages -------------------------------------------------------------------------------


def test_village_by_name_or_id(admin):
    guihua = office_service.add_village(admin, "桂花村")
    shiqiao = office_service.add_village(admin, "石桥社区")
    a = person(admin, "张三", village_id="桂花村")
    b = person(admin, "李四", village_id=shiqiao.id)
    c = person(admin, "王五")
    assert (a.village_id, a.scope) == (guihua.id, guihua.id)
    assert (b.village_id, b.scope) == (shiqiao.id, shiqiao.id)
    assert (c.village_id, c.scope) == (None, None)
    with pytest.raises(ValidationError) as exc:
        person(admin, "赵六", village_id="不存在村")
    assert "不存在村" in field_error(exc, "village_id")


def test_village_pc_registers_only_its_own_village(village_admin):
    own = office_service.own_office()
    other = office_service.add_village(village_admin, "石桥社区")
    a = person(village_admin, "张三")
    b = person(village_admin, "李四", village_id="桂花村")
    assert a.village_id == b.village_id == own.id and a.scope == own.id
    with pytest.raises(ValidationError) as exc:
        person(village_admin, "王五", village_id=other.id)
    assert "桂花村" in field_error(exc, "village_id")
    with pytest.raises(ValidationError):
        person(village_admin, "王五", village_id="石桥社区")
    with pytest.raises(ValidationError):
        volunteers.update(village_admin, a.id, {"village_id": other.id})
    assert Volunteer.get_by_id(a.id).village_id == own.id


# --- leave and delete -----------------------------------------------------------------------


def test_leave_keeps_the_record_and_the_hours(admin):
    v = person(admin, "张三")
    approved_hours(v, 3)
    changed = volunteers.leave(CLERK, v.id, "外出务工")
    assert changed == {"status": ["active", "left"]}
    row = volunteers.get(v.id)
    assert row.status == "left" and not row.deleted
    assert hours.total_half_hours(v.id) == 6
    assert volunteers.rows([v.id])[v.id].hours == 3 and volunteers.rows([v.id])[v.id].status == "已退出"
    entry = AuditEntry.select().where(AuditEntry.record_id == v.id).order_by(AuditEntry.clock.desc()).get()
    assert entry.note == "外出务工"


def test_delete_needs_a_reason_and_the_admin_role(admin):
    v = person(admin, "张三")
    with pytest.raises(PermissionDenied):
        volunteers.delete(CLERK, v.id, "登记错误")
    with pytest.raises(PermissionDenied):
        volunteers.delete(REVIEWER, v.id, "登记错误")
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as exc:
            volunteers.delete(admin, v.id, reason)
        assert "原因" in field_error(exc, "reason")
    assert not Volunteer.get_by_id(v.id).deleted
    volunteers.delete(admin, v.id, "重复登记")
    assert Volunteer.get_by_id(v.id).deleted, "a tombstone, not a hard delete"
    with pytest.raises(NotFound):
        volunteers.get(v.id)
    assert volunteers.matching_ids(VolunteerFilter(status="")) == []
    entry = AuditEntry.get((AuditEntry.record_id == v.id) & (AuditEntry.action == "delete"))
    assert entry.note == "重复登记"
    again = person(admin, "张三", id_number=v.id_number)
    assert again.id != v.id, "a registration deleted by mistake does not block the ID number"


def test_roles(admin):
    v = person(CLERK, "张三")
    assert v.created_by == "zhangli"
    volunteers.update(CLERK, v.id, {"phone": "13800001111"})
    for call in (lambda: person(GUEST, "李四"), lambda: volunteers.update(GUEST, v.id, {"name": "张叁"}),
                 lambda: volunteers.leave(GUEST, v.id), lambda: volunteers.delete(GUEST, v.id, "错误")):
        with pytest.raises(PermissionDenied) as exc:
            call()
        assert "没有权限" in str(exc.value)
    assert Volunteer.select().count() == 1 and volunteers.get(v.id).name == "张三"


def test_update_refuses_unknown_fields(admin):
    v = person(admin, "张三")
    with pytest.raises(CivDeskError):
        volunteers.update(admin, v.id, {"number": "QXZ999999"})
    with pytest.raises(CivDeskError):
        volunteers.update(admin, v.id, {"deleted": True})
    assert volunteers.get(v.id).number == "QXZ000001"


# --- personal data in the audit log ---------------------------------------------------------


def test_personal_data_is_masked_in_the_audit_log(admin):
    number = id_for("1985-03-12", seq=35)
    v = person(admin, "张三", id_number=number, phone="13812345678", address="清溪镇桂花村3组12号")
    new_number = id_for("1986-04-13", seq=36)
    volunteers.update(admin, v.id, {"id_number": new_number, "phone": "13987654321"})
    entries = list(AuditEntry.select().where(AuditEntry.record_id == v.id))
    assert [e.action for e in entries] == ["create", "update"]
    text = " ".join(e.changes + e.note + e.record_label for e in entries)
    for secret in (number, new_number, "13812345678", "13987654321", "桂花村3组12号", "1985-03-12", "1986-04-13"):
        assert secret not in text
    created = json.loads(entries[0].changes)
    assert created["id_number"] == [None, validation.mask_id_number(number)]
    assert created["phone"] == [None, "138****5678"]
    assert created["name"] == [None, "张三"], "non-personal fields are kept as they are"
    updated = json.loads(entries[1].changes)
    assert updated["id_number"] == [validation.mask_id_number(number), validation.mask_id_number(new_number)]
    assert updated["phone"] == ["138****5678", "139****4321"]


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def roster(admin):
    guihua = office_service.add_village(admin, "桂花村")
    shiqiao = office_service.add_village(admin, "石桥社区")
    people = {}
    for name, phone, village, seq in (("张三", "13800001111", guihua.id, 51), ("张珊", "13800002222", shiqiao.id, 52),
                                      ("李四", "13800003333", guihua.id, 53), ("王五", "13800004444", None, 54),
                                      ("赵六", "13800005555", shiqiao.id, 55), ("阿明", "13800006666", None, 56)):
        people[name] = person(CLERK, name, phone=phone, village_id=village, id_number=id_for(seq=seq))
    volunteers.leave(CLERK, people["王五"].id)
    return {"people": people, "guihua": guihua, "shiqiao": shiqiao}


def names(ids):
    found = {v.id: v.name for v in Volunteer.select().where(Volunteer.id << ids)}
    return [found[i] for i in ids]


def search(text="", **kw):
    kw.setdefault("status", "")
    return set(names(volunteers.matching_ids(VolunteerFilter(text=text, **kw))))


def test_search_by_pinyin_initials(roster):
    assert search("zs") == {"张三", "张珊"}
    assert search("ZS") == {"张三", "张珊"}
    assert search("l") == {"李四"}
    assert search("ls") == {"李四"}
    assert search("zx") == set()


def test_search_by_full_pinyin_prefix(roster):
    assert search("zhang") == {"张三", "张珊"}
    assert search("zh") == {"张三", "张珊", "赵六"}
    assert search("zhang san") == {"张三"}
    assert search("Zhao") == {"赵六"}


def test_search_by_full_pinyin_without_spaces_and_mixes(roster):
    """Issue 19 item 5: full pinyin typed without spaces, initials, or a mix of both."""
    person(CLERK, "张思远", id_number=id_for(seq=57))
    assert search("zhangsan") == search("zsan") == {"张三"}
    assert search("zhangshan") == search("zshan") == {"张珊"}
    assert search("zhangs") == {"张三", "张珊", "张思远"}
    assert search("zhangsy") == search("zsiyuan") == search("zsy") == search("ZhangSiYuan") == {"张思远"}
    assert search("lisi") == search("lsi") == search("lis") == {"李四"}
    assert search("zhaoliu") == search("zliu") == {"赵六"}
    assert search("zhasan") == set(), "a syllable cut short is only allowed at the end"
    assert search("zsanx") == set()


def test_pinyin_mix_keys():
    from civdesk.core import pinyin

    assert pinyin.spell("张三") == "zhangsan" and pinyin.spell("单雄信") == "shanxiongxin"
    assert pinyin.matches("zsan", "zhang san") and pinyin.matches("zhangs", "zhang san")
    assert pinyin.matches("zhangsan", "zhang san") and not pinyin.matches("zhangsana", "zhang san")
    assert "zs" in pinyin.initials_prefixes("zsan") and pinyin.initials_prefixes("zs") == ()


def test_search_by_chinese_substring(roster):
    assert search("张") == {"张三", "张珊"}
    assert search("三") == {"张三"}
    assert search("珊") == {"张珊"}
    assert search("明") == {"阿明"}
    assert search("张四") == set()


def test_search_by_last_digits_of_id_or_phone(roster):
    people = roster["people"]
    for name, v in people.items():
        tail = v.id_number[-4:]
        expected = {p.name for p in people.values() if p.id_number.endswith(tail) or p.phone.endswith(tail)}
        assert name in expected
        assert search(tail) == expected
        assert search(tail.lower()) == expected
    assert search("2222") == {"张珊"}
    assert search("5555") == {"赵六"}
    assert search("80000555") == set(), "the end of the number, not anywhere in it"


def test_search_by_volunteer_number(roster):
    assert search("QXZ00000") == set(roster["people"])
    assert search("qxz000003") == {"李四"}


def test_status_and_village_filters(roster):
    guihua, shiqiao = roster["guihua"], roster["shiqiao"]
    everyone = set(roster["people"])
    assert set(names(volunteers.matching_ids(VolunteerFilter()))) == everyone - {"王五"}, "active by default"
    assert search(status="left") == {"王五"}
    assert search() == everyone
    assert search(village_id=guihua.id) == {"张三", "李四"}
    assert search("zs", village_id=shiqiao.id) == {"张珊"}
    assert search("zs", village_id=shiqiao.id, status="left") == set()


def test_team_filter(roster):
    people = roster["people"]
    team = teams.create_team(CLERK, {"name": "桂花村志愿服务队", "leader_id": people["李四"].id})
    teams.add_member(CLERK, team.id, people["张三"].id)
    assert search(team_id=team.id) == {"张三", "李四"}
    teams.remove_member(CLERK, team.id, people["张三"].id)
    assert search(team_id=team.id) == {"李四"}


def test_sort_by_name_follows_pinyin(roster):
    ids = volunteers.matching_ids(VolunteerFilter(status=""), sort="name")
    assert names(ids) == ["阿明", "李四", "王五", "张三", "张珊", "赵六"]
    assert sorted(names(ids)) != names(ids), "code-point order would be different"
    assert names(volunteers.matching_ids(VolunteerFilter(status=""), sort="name", descending=True)) == \
        ["赵六", "张珊", "张三", "王五", "李四", "阿明"]
    by_number = names(volunteers.matching_ids(VolunteerFilter(status=""), sort="number"))
    assert by_number == ["张三", "张珊", "李四", "王五", "赵六", "阿明"]


def test_rename_updates_the_search_keys(roster):
    zhang = roster["people"]["张三"]
    volunteers.update(CLERK, zhang.id, {"name": "钱三"})
    assert search("zs") == {"张珊"}
    assert search("qs") == {"钱三"}


# --- rows for the list ----------------------------------------------------------------------


def test_rows_mask_personal_data_and_show_hours_and_stars(admin):
    guihua = office_service.add_village(admin, "桂花村")
    number = id_for("1985-03-12", seq=61)
    v = person(admin, "张三", id_number=number, phone="13812345678", village_id=guihua.id,
               join_date="2023-02-01")
    other = person(admin, "李四")
    approved_hours(v, 2)
    approved_hours(v, 1.5, dt.date(2024, 5, 7))
    hours.enter(CLERK, v.id, dt.date(2024, 5, 8), 8)  # pending: not counted
    row = volunteers.rows([v.id], today=dt.date(2025, 3, 11))[v.id]
    assert row.id_masked == f"{number[:6]}********{number[-4:]}"
    assert row.phone_masked == "138****5678"
    assert number not in repr(row) and "13812345678" not in repr(row)
    assert (row.number, row.name, row.sex, row.age) == ("QXZ000001", "张三", "男", 39)
    assert volunteers.rows([v.id], today=dt.date(2025, 3, 12))[v.id].age == 40
    assert (row.village, row.join_date, row.status) == ("桂花村", "2023-02-01", "在册")
    assert row.hours == 3.5 and row.stars == 0
    settings.set_value(admin, "volunteer.star_hours", "1,2,3,4,5")
    assert volunteers.rows([v.id])[v.id].stars == 3
    both = volunteers.rows([v.id, other.id, "no-such-id"])
    assert set(both) == {v.id, other.id}
    assert both[other.id].hours == 0 and both[other.id].stars == 0 and both[other.id].phone_masked == ""


@pytest.mark.parametrize("status", ["active", "", "left"])
@pytest.mark.parametrize("descending", [False, True])
def test_listing_windows_match_the_whole_list(roster, status, descending):
    """The list page reads the register a window at a time (count, windows, positions along an
    index): the same rows in the same order as reading every id, from either end."""
    for seq in (71, 72, 73):  # more people with the same name: the id decides their order
        person(CLERK, "张三", village_id=roster["guihua"].id, id_number=id_for(seq=seq))
    flt = VolunteerFilter(status=status)
    whole = volunteers.matching_ids(flt, "name", descending)
    found = volunteers.listing(flt, "name", descending)
    assert type(found).__name__ == "QueryListing", "by name without a search: read in windows"
    assert found.count() == len(whole) > 0
    for size in (1, 2, 3, 50):
        windows = [found.window(start, size) for start in range(0, len(whole), size)]
        assert [i for part in windows for i in part] == whole, size
    assert found.window(len(whole), 5) == [] and found.window(len(whole) - 1, 5) == whole[-1:]
    assert [found.position(i) for i in whole] == list(range(len(whole)))
    assert found.position(roster["people"]["王五"].id if status == "active" else "no-such-id") == -1
    assert found.all() == whole


def test_listing_of_a_search_or_another_order_reads_every_id(roster):
    for flt, sort in ((VolunteerFilter(text="zs", status=""), "name"), (VolunteerFilter(status=""), "number")):
        found = volunteers.listing(flt, sort)
        assert found.all() == volunteers.matching_ids(flt, sort)
        assert found.window(1, 1) == found.all()[1:2] and found.position(found.all()[-1]) == found.count() - 1
