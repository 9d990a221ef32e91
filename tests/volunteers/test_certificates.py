"""志愿服务记录证明: the issue register, numbering, check codes, verification, batches, details."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from civdesk.core import changes, validation
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound, PermissionDenied
from civdesk.core.jobs import Cancelled
from civdesk.core.meta import LocalMeta
from civdesk.core.validation import ValidationError
from civdesk.office import accounts, settings
from civdesk.office import offices as office_service
from civdesk.reports import qr
from civdesk.volunteers import certificates, hours, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Certificate, ServiceApproval

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
CLERK_PASSWORD = "Zhangli@2024"
REVIEWER_PASSWORD = "Lixiuying@2024"
DAY = dt.date(2026, 3, 2)


def id_number(birth: dt.date, seq: int, male: bool = True) -> str:
    body = f"510114{birth:%Y%m%d}{seq % 100:02d}{2 * (seq % 5) + (1 if male else 0)}"
    return body + validation.id_check_digit(body)


def served(volunteer, entries, activity=None, approve: bool = True) -> list[str]:
    """Enter (clerk) and approve (reviewer) service records: entries are (date, hours)."""
    ids = [hours.enter(CLERK, volunteer.id, day, h, activity_id=activity.id if activity else None).id
           for day, h in entries]
    if approve:
        hours.approve(REVIEWER, ids)
    return ids


def make_people(admin: Actor) -> SimpleNamespace:
    """Three volunteers with approved hours in 2025 (one also with a correction), one with only
    pending hours, one with none; two activities of a team."""
    accounts.add_user(admin, CLERK.username, CLERK.display_name, "clerk", CLERK_PASSWORD, must_change=False)
    accounts.add_user(admin, REVIEWER.username, REVIEWER.display_name, "reviewer", REVIEWER_PASSWORD,
                      must_change=False)

    def person(name, birth, seq, male=True, **extra):
        return volunteers.register(CLERK, {"name": name, "id_number": id_number(birth, seq, male),
                                           "phone": f"1380013{seq:04d}", "join_date": "2024-03-05", **extra})

    ns = SimpleNamespace()
    ns.wang = person("王秀英", dt.date(1962, 5, 17), 11, male=False)
    ns.li = person("李建国", dt.date(1958, 10, 2), 23)
    ns.zhao = person("赵晓东", dt.date(1990, 1, 9), 35)
    ns.pending = person("钱多多", dt.date(1995, 7, 7), 47)
    ns.none = person("孙无时", dt.date(1988, 8, 8), 59)
    ns.team = teams.create_team(CLERK, {"name": "清溪镇敬老志愿服务队", "leader_id": ns.wang.id})
    teams.add_member(CLERK, ns.team.id, ns.li.id)
    ns.elderly = teams.create_activity(CLERK, {
        "name": "关爱空巢老人", "start_date": "2025-01-01", "end_date": "2025-12-31", "team_id": ns.team.id,
        "content": "上门陪伴、打扫卫生、代购生活用品", "service_category": "敬老助残"})
    ns.river = teams.create_activity(CLERK, {
        "name": "清洁家园", "start_date": "2025-01-01", "end_date": "2025-12-31",
        "content": "清理河道垃圾、整治房前屋后", "service_category": "环境保护"})
    ns.wang_records = served(ns.wang, [(dt.date(2025, 3, 1), 3), (dt.date(2025, 6, 1), 2.5)], ns.elderly)
    served(ns.wang, [(dt.date(2025, 9, 1), 4)], ns.river)
    served(ns.li, [(dt.date(2025, 4, 1), 2), (dt.date(2025, 11, 5), 1.5)], ns.elderly)
    served(ns.zhao, [(dt.date(2025, 5, 20), 8)], ns.river)
    served(ns.pending, [(dt.date(2025, 5, 20), 6)], ns.river, approve=False)
    return ns


@pytest.fixture
def people(admin) -> SimpleNamespace:
    return make_people(admin)


def sync_key() -> bytes:
    return bytes.fromhex(LocalMeta.get_value("sync_key"))


# -- issuing and numbering -----------------------------------------------------------------------


def test_clerk_issues_a_numbered_certificate_with_the_approved_total(people):
    cert = certificates.issue(CLERK, people.wang.id, purpose="评优评先", today=DAY)
    assert cert.number == "QXZ-ZM-2026-0001"
    assert cert.half_hours == 19 and cert.issued_date == DAY and cert.purpose == "评优评先"
    assert cert.created_by == CLERK.username and cert.volunteer_id == people.wang.id
    stored = Certificate.get_by_id(cert.id)
    assert (stored.number, stored.half_hours, stored.check_code) == (cert.number, 19, cert.check_code)


def test_numbers_run_per_year_from_the_highest_in_the_register(people):
    first = certificates.issue(CLERK, people.wang.id, today=DAY)
    second = certificates.issue(REVIEWER, people.li.id, today=DAY)
    again = certificates.issue(CLERK, people.wang.id, today=dt.date(2026, 12, 31))
    assert [c.number for c in (first, second, again)] == ["QXZ-ZM-2026-0001", "QXZ-ZM-2026-0002", "QXZ-ZM-2026-0003"]
    assert certificates.issue(CLERK, people.zhao.id, today=dt.date(2027, 1, 4)).number == "QXZ-ZM-2027-0001"
    # A certificate that arrived from another PC with a higher number: the sequence continues after it.
    changes.create(Certificate, CLERK, {"number": "QXZ-ZM-2026-0041", "volunteer_id": people.li.id,
                                        "issued_date": DAY, "half_hours": 7, "check_code": "ABCDEFGH"})
    assert certificates.issue(CLERK, people.li.id, today=DAY).number == "QXZ-ZM-2026-0042"
    assert certificates.issue(CLERK, people.li.id, today=dt.date(2027, 2, 1)).number == "QXZ-ZM-2027-0002"


def test_number_prefix_follows_the_volunteer_number_setting(people, admin):
    settings.set_value(admin, "volunteer.number_prefix", "qx")
    assert certificates.issue(CLERK, people.wang.id, today=DAY).number == "QX-ZM-2026-0001"


def test_refused_without_approved_hours(people):
    with pytest.raises(CivDeskError, match="孙无时.*没有已审核的服务时长"):
        certificates.issue(CLERK, people.none.id, today=DAY)
    with pytest.raises(CivDeskError, match="钱多多.*没有已审核的服务时长"):  # pending hours do not count
        certificates.issue(CLERK, people.pending.id, today=DAY)
    rejected = served(people.none, [(dt.date(2025, 2, 2), 3)], approve=False)
    hours.reject(REVIEWER, rejected[0], "日期有误")
    with pytest.raises(CivDeskError, match="没有已审核的服务时长"):
        certificates.issue(CLERK, people.none.id, today=DAY)
    with pytest.raises(CivDeskError, match="在2026年1月1日至2026年2月1日没有已审核的服务时长"):
        certificates.issue(CLERK, people.wang.id, period_from="2026-01-01", period_to="2026-02-01", today=DAY)
    assert Certificate.select().count() == 0


def test_permission_and_bad_input_are_refused(people):
    with pytest.raises(PermissionDenied, match="出具志愿服务记录证明"):
        certificates.issue(Actor("guest", "访客", "guest"), people.wang.id, today=DAY)
    with pytest.raises(NotFound):
        certificates.issue(CLERK, "no-such-volunteer", today=DAY)
    with pytest.raises(ValidationError, match="晚于截止日期"):
        certificates.issue(CLERK, people.wang.id, period_from="2025-12-01", period_to="2025-01-01", today=DAY)
    with pytest.raises(ValidationError, match="起始日期「2025-13-01」不存在"):
        certificates.issue(CLERK, people.wang.id, period_from="2025-13-01", today=DAY)
    with pytest.raises(ValidationError, match="用途不能超过"):
        certificates.issue(CLERK, people.wang.id, purpose="长" * 61, today=DAY)


def test_period_limits_the_certified_hours(people):
    cert = certificates.issue(CLERK, people.wang.id, period_from=dt.date(2025, 5, 1), period_to="2025-12-31", today=DAY)
    assert cert.half_hours == 13  # 2.5 h in June + 4 h in September
    assert (cert.period_from, cert.period_to) == (dt.date(2025, 5, 1), dt.date(2025, 12, 31))


def test_issuer_contact_is_the_setting_or_the_office_phone(people, admin):
    office_service.update_own_office(admin, {"phone": "028-83951234"})
    assert certificates.issue(CLERK, people.wang.id, today=DAY).issuer_contact == "028-83951234"
    settings.set_value(admin, "volunteer.certificate_contact", "028-83950000（李老师）")
    assert certificates.issue(CLERK, people.li.id, today=DAY).issuer_contact == "028-83950000（李老师）"


def test_a_record_approved_on_two_pcs_counts_once(people):
    """Both PCs' approvals of one record arrive by sync: the certificate counts its hours once."""
    record = hours.enter(CLERK, people.none.id, dt.date(2025, 2, 2), 3)
    hours.approve(REVIEWER, [record.id])
    changes.create(ServiceApproval, Actor("zhoujun", "周军", "reviewer"),
                   {"record_id": record.id, "decision": "approved"}, scope=people.none.scope)
    cert = certificates.issue(CLERK, people.none.id, today=DAY)
    assert cert.half_hours == 6
    (detail,) = certificates.details([cert])
    assert [line.half_hours for line in detail.records] == [6]
    assert certificates.period_totals([people.none.id]) == {people.none.id: 6}


def test_issuing_is_audited(people):
    cert = certificates.issue(CLERK, people.zhao.id, today=DAY)
    entry = AuditEntry.get((AuditEntry.tbl == "certificate") & (AuditEntry.record_id == cert.id))
    assert (entry.action, entry.username) == ("create", CLERK.username)
    assert cert.number in entry.record_label and "赵晓东" in entry.record_label
    assert json.loads(entry.changes)["half_hours"] == [None, 16]


# -- check codes and verification -------------------------------------------------------------------


def test_check_code_is_the_hmac_of_the_printed_facts(people):
    cert = certificates.issue(CLERK, people.wang.id, today=DAY)
    assert cert.check_code == qr.check_code(sync_key(), cert.number, people.wang.id_number, "19", "2026-03-02")
    assert len(cert.check_code) == 8 and set(cert.check_code) <= set(qr.ALPHABET)


def test_verify_accepts_the_printed_code_and_refuses_a_changed_one(people):
    cert = certificates.issue(CLERK, people.wang.id, today=DAY)
    printed = qr.format_check_code(cert.check_code)
    result = certificates.verify(cert.number, printed)
    assert result.ok and result.found and result.code_matches and result.register_intact
    assert (result.volunteer_name, result.hours, result.issued_date) == ("王秀英", 9.5, DAY)
    assert result.id_masked == validation.mask_id_number(people.wang.id_number)
    assert "核验通过" in result.message
    assert certificates.verify(cert.number.lower(), printed.lower().replace("-", " ")).ok  # as typed by hand

    for position in range(8):  # any one changed character is caught
        code = list(cert.check_code)
        code[position] = "2" if code[position] != "2" else "3"
        wrong = certificates.verify(cert.number, "".join(code))
        assert wrong.found and not wrong.code_matches and not wrong.ok and "校验码不符" in wrong.message

    missing = certificates.verify("QXZ-ZM-2026-0099", printed)
    assert not missing.found and not missing.ok and "没有编号为 QXZ-ZM-2026-0099" in missing.message
    assert not certificates.verify("", printed).ok


def test_verify_notices_a_register_changed_behind_its_back(people):
    cert = certificates.issue(CLERK, people.wang.id, today=DAY)
    database.execute_sql("UPDATE certificate SET half_hours = 190 WHERE id = ?", (cert.id,))
    result = certificates.verify(cert.number, cert.check_code)
    assert result.code_matches and not result.register_intact and "请人工核对" in result.message


def test_qr_text_round_trips(people):
    cert = certificates.issue(CLERK, people.wang.id, today=DAY)
    (detail,) = certificates.details([cert])
    assert detail.qr_text == f"CIVDESK-CERT|{cert.number}|{qr.format_check_code(cert.check_code)}"
    number, code = certificates.parse_qr_text(detail.qr_text)
    assert certificates.verify(number, code).ok
    with pytest.raises(ValidationError, match="不是 CivDesk"):
        certificates.parse_qr_text("https://example.com/")


# -- batches -----------------------------------------------------------------------------------------


def test_batch_skips_volunteers_without_hours_and_numbers_consecutively(people):
    ids = [people.wang.id, people.none.id, people.li.id, people.pending.id, "gone", people.zhao.id, people.li.id]
    progress = []
    issued = certificates.issue_batch(CLERK, ids, purpose="年度表彰", today=DAY,
                                      progress=lambda done, total, text: progress.append((done, total)))
    assert [c.volunteer_id for c in issued] == [people.wang.id, people.li.id, people.zhao.id]
    assert [c.number for c in issued] == ["QXZ-ZM-2026-0001", "QXZ-ZM-2026-0002", "QXZ-ZM-2026-0003"]
    assert [c.half_hours for c in issued] == [19, 7, 16]
    assert {name for _, name, _ in issued.skipped} == {"孙无时", "钱多多", ""}
    assert all(reason for _, _, reason in issued.skipped)
    assert progress[-1] == (6, 6)
    assert all(certificates.verify(c.number, c.check_code).ok for c in issued)
    assert AuditEntry.select().where(AuditEntry.tbl == "certificate").count() == 3


def test_cancelled_batch_issues_nothing(people):
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled, match="没有登记任何证明"):
        certificates.issue_batch(CLERK, [people.wang.id, people.li.id, people.zhao.id], today=DAY, cancelled=cancel)
    assert Certificate.select().count() == 0


def test_active_with_hours_lists_the_volunteers_for_a_batch(people):
    assert certificates.active_with_hours() == [people.wang.id, people.li.id, people.zhao.id]
    volunteers.leave(CLERK, people.zhao.id)
    assert certificates.active_with_hours() == [people.wang.id, people.li.id]
    assert certificates.active_with_hours(dt.date(2025, 10, 1), dt.date(2025, 12, 31)) == [people.li.id]


# -- the register and the details a certificate prints ----------------------------------------------


def test_register_lists_newest_first_and_searches(people):
    certificates.issue(CLERK, people.wang.id, today=DAY)
    certificates.issue(CLERK, people.li.id, today=dt.date(2026, 5, 1), purpose="升学")
    rows = certificates.register()
    assert [(r.number, r.volunteer_name, r.issued_date, r.hours) for r in rows] == [
        ("QXZ-ZM-2026-0002", "李建国", "2026-05-01", 3.5), ("QXZ-ZM-2026-0001", "王秀英", "2026-03-02", 9.5)]
    assert rows[0].purpose == "升学" and rows[0].id_masked.count("*") == 8 and rows[0].issued_by == CLERK.username
    assert [r.number for r in certificates.register(text="王秀")] == ["QXZ-ZM-2026-0001"]
    assert [r.number for r in certificates.register(text="0002")] == ["QXZ-ZM-2026-0002"]
    assert len(certificates.register(date_from=dt.date(2026, 4, 1))) == 1
    assert len(certificates.register(volunteer_id=people.wang.id, limit=5)) == 1


def test_details_fold_corrections_and_summarise_by_category(people):
    first = people.wang_records[0]  # 2025-03-01, 3 h, 关爱空巢老人
    correction = hours.correct(CLERK, first, "2", "实际服务 2 小时")
    hours.approve(REVIEWER, [correction.id])
    cert = certificates.issue(CLERK, people.wang.id, today=DAY)
    assert cert.half_hours == 17
    (detail,) = certificates.details([cert])
    assert [(r.date, r.activity, r.half_hours) for r in detail.records] == [
        (dt.date(2025, 3, 1), "关爱空巢老人", 4), (dt.date(2025, 6, 1), "关爱空巢老人", 5),
        (dt.date(2025, 9, 1), "清洁家园", 8)]
    assert detail.summary == [("敬老助残", 9), ("环境保护", 8)]
    assert (detail.name, detail.sex, detail.id_type, detail.id_number) == ("王秀英", "女", "居民身份证",
                                                                           people.wang.id_number)
    assert detail.volunteer_number == people.wang.number and detail.unit_name == "清溪镇"
    assert detail.join_date == dt.date(2024, 3, 5) and detail.hours == 8.5


def test_details_of_a_period_show_only_its_records(people):
    cert = certificates.issue(CLERK, people.wang.id, period_from="2025-05-01", period_to="2025-08-31", today=DAY)
    (detail,) = certificates.details([cert])
    assert [r.date for r in detail.records] == [dt.date(2025, 6, 1)]
    assert detail.summary == [("敬老助残", 5)]
    assert certificates.period_text(detail.period_from, detail.period_to) == "2025年5月1日至2025年8月31日"
