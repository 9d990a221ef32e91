"""限期整改通知书: numbering, working-day deadlines, the states and colours on a given day, the
rectification report and the 复查, and bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.calendar import holidays
from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.validation import ValidationError
from civdesk.office import settings
from civdesk.supervision import photos, rectification
from civdesk.supervision.models import Notice, NoticeEvent
from tests.supervision.helpers import CLERK, REVIEWER, SERVED, notice, photo
from tests.support.units import org


def test_numbers_run_per_office_and_year(admin, tmp_path):
    first = notice(admin, tmp_path)
    second = notice(admin, tmp_path, name="新民村")
    later = notice(admin, tmp_path, name="白鹤村", served=dt.date(2027, 1, 6))
    assert [first.number, second.number, later.number] == ["清溪镇整改〔2026〕1号", "清溪镇整改〔2026〕2号",
                                                            "清溪镇整改〔2027〕1号"]
    settings.set_value(admin, "supervision.number_prefix", "清文明整")
    assert rectification.next_number(first.office_id, 2026) == (3, "清文明整〔2026〕3号")


def test_numbers_carry_this_pcs_code_once_it_has_one(admin, tmp_path):
    """Issue 19 item 1: two PCs of one office never print the same notice number."""
    from civdesk.office import offices

    old = notice(admin, tmp_path)
    offices.set_pc_code(admin, "B")
    new = notice(admin, tmp_path, name="新民村")
    assert (old.number, new.number) == ("清溪镇整改〔2026〕1号", "清溪镇整改〔2026〕B2号")
    assert rectification.ids_numbered(new.number) == [new.id] and rectification.ids_numbered(old.number) == [old.id]


def test_a_deadline_in_working_days_uses_the_calendar(admin, tmp_path):
    # Served on 2026-09-28 (Monday): 10 working days skip the National Day holiday and count 调休.
    made = notice(admin, tmp_path, served=dt.date(2026, 9, 28), days=10)
    assert made.deadline == holidays.add_workdays(dt.date(2026, 9, 28), 10).day
    assert made.deadline > dt.date(2026, 10, 12) and made.deadline_days == 10


def test_a_deadline_before_the_served_date_is_refused_and_nothing_written(admin, tmp_path):
    org(admin)
    with pytest.raises(ValidationError) as caught:
        rectification.issue(REVIEWER, {"target_kind": "org", "org": "红星村", "mechanism": "镇容环境卫生",
                                       "problems": "垃圾未清运", "requirements": "三日内清运完毕",
                                       "served_date": "2026-03-10", "deadline": "2026-03-09"})
    assert "早于送达日期" in caught.value.errors["deadline"]
    assert not Notice.select().exists() and not NoticeEvent.select().exists()


def test_colours_states_and_escalation_on_given_days(admin, tmp_path):
    made = notice(admin, tmp_path, days=10)  # served Monday 2026-03-02 → Monday 2026-03-16
    assert made.deadline == dt.date(2026, 3, 16)

    def at(day):
        return rectification.row(rectification.get(made.id), dt.date(2026, 3, day))

    assert (at(10).state, at(10).colour, at(10).workdays_left) == ("pending", "ok", 4)
    assert (at(12).colour, at(12).workdays_left) == ("yellow", 2)
    assert (at(16).colour, at(16).state) == ("yellow", "pending")
    assert (at(17).state, at(17).colour, at(17).overdue_workdays, at(17).escalated) == ("overdue", "red", 1, False)
    assert (at(19).overdue_workdays, at(19).escalated, at(19).state_label) == (3, True, "督办")
    settings.set_value(admin, "supervision.escalate_workdays", 5)
    assert not at(19).escalated
    overdue = rectification.notices(dt.date(2026, 3, 19), state="overdue")
    assert [r.number for r in overdue] == [made.number]


def test_rectified_then_passed_closes_the_notice(admin, tmp_path):
    made = notice(admin, tmp_path)
    before = photos.of([rectification.json.loads(made.finding_ids)[0]])[0]
    after = photo(tmp_path, "after.png", (20, 160, 20))
    rectification.report(CLERK, made.id, "2026-03-12", "已清运建筑垃圾，路面恢复整洁", [after],
                         pairs={str(after): before.id})
    assert rectification.get(made.id).status == "reported"
    assert rectification.row(rectification.get(made.id), dt.date(2026, 3, 20)).colour == "ok"
    rectification.review(REVIEWER, made.id, "2026-03-13", True, "实地复查，已整改到位")
    row = rectification.row(rectification.get(made.id), dt.date(2026, 4, 1))
    assert (row.state, row.colour) == ("passed", "ok")
    kinds = [e.kind for e in rectification.events(made.id)]
    assert kinds == ["issued", "reported", "passed"]
    (pair,) = [p for p in photos.of([e.id for e in rectification.events(made.id)]) if p.stage == "after"]
    assert pair.pair_id == before.id
    with pytest.raises(CivDeskError, match="已复查通过并销号"):
        rectification.review(REVIEWER, made.id, "2026-03-20", False, "又发现垃圾", days=3)


def test_a_failed_review_sets_a_new_deadline(admin, tmp_path):
    made = notice(admin, tmp_path, mechanism="宣传教育")
    with pytest.raises(ValidationError) as caught:
        rectification.review(REVIEWER, made.id, "2026-03-17", False, "宣传栏仍未更新")
    assert "重新规定整改期限" in caught.value.errors["deadline"]
    rectification.review(REVIEWER, made.id, "2026-03-17", False, "宣传栏仍未更新", days=3)
    again = rectification.get(made.id)
    assert (again.status, again.deadline) == ("failed", dt.date(2026, 3, 20))
    assert rectification.row(again, dt.date(2026, 3, 19)).colour == "yellow"


def test_the_report_needs_words_a_date_after_serving_and_real_photos(admin, tmp_path):
    made = notice(admin, tmp_path)
    fake = tmp_path / "after.png"
    fake.write_bytes(b"%PDF-1.4 not a photo")
    with pytest.raises(ValidationError) as caught:
        rectification.report(CLERK, made.id, "2026-03-01", "", [fake])
    assert set(caught.value.errors) == {"day", "text", "photos"}
    assert rectification.get(made.id).status == "pending" and len(rectification.events(made.id)) == 1


def test_roles(admin, tmp_path):
    made = notice(admin, tmp_path)
    with pytest.raises(PermissionDenied):
        rectification.issue(CLERK, {"target_kind": "place", "place": "滨河路", "mechanism": "镇容环境卫生",
                                    "problems": "乱堆乱放", "requirements": "立即清理干净", "days": 3})
    with pytest.raises(PermissionDenied):
        rectification.review(CLERK, made.id, "2026-03-12", True, "已整改")


def test_a_notice_for_another_villages_organisation_is_refused_on_a_village_pc(village_admin):
    from civdesk.office import offices
    from tests.supervision.test_inspections import synced_org

    synced_org(village_admin, "红星村", offices.add_village(village_admin, "红星村").id)
    with pytest.raises(ValidationError) as caught:
        rectification.issue(village_admin, {"target_kind": "org", "org": "红星村", "mechanism": "镇容环境卫生",
                                            "problems": "垃圾未清运", "requirements": "三日内清运完毕",
                                            "served_date": SERVED, "days": 3})
    assert "不是桂花村的单位" in caught.value.errors["target"]
    assert not Notice.select().exists()


def test_a_village_pc_issues_its_own_self_rectification(village_admin):
    from civdesk.office import offices

    own = offices.own_office()
    made = rectification.issue(village_admin, {"target_kind": "place", "place": "村委会后院", "mechanism": "病媒生物防治",
                                               "problems": "积水孳生蚊虫", "requirements": "清除积水，投放药物",
                                               "responsible": "李村长", "served_date": SERVED, "days": 2})
    assert made.number == "桂花村整改〔2026〕1号" and made.scope == own.id and made.office_id == own.id


def test_a_village_reports_on_a_township_notice_but_does_not_review_it(village_admin):
    from civdesk.core import changes
    from civdesk.office import offices

    own = offices.own_office()
    made = rectification.issue(village_admin, {"target_kind": "place", "place": "村委会后院", "mechanism": "镇容环境卫生",
                                               "problems": "垃圾堆放", "requirements": "立即清理干净",
                                               "responsible": "李村长", "served_date": SERVED, "days": 2})
    changes.update(made, village_admin, {"office_id": own.parent_id})  # as if the township had issued it
    rectification.report(CLERK, made.id, "2026-03-03", "已清理干净")
    with pytest.raises(CivDeskError, match="由镇文明办下发"):
        rectification.review(village_admin, made.id, "2026-03-04", True, "已整改")
    assert rectification.get(made.id).status == "reported"


def test_the_editor_detail_has_findings_history_and_photos_as_plain_rows(admin, tmp_path):
    made = notice(admin, tmp_path)
    before = rectification.detail(made.id).findings[0].photo_ids[0]
    rectification.report(CLERK, made.id, "2026-03-12", "已清运完毕", [photo(tmp_path, "a.png", (0, 150, 0))])
    rectification.review(REVIEWER, made.id, "2026-03-17", False, "仍有残留", deadline="2026-03-20")
    found = rectification.detail(made.id, dt.date(2026, 3, 18))
    assert (found.row.state, found.row.deadline, found.served_deadline) == ("failed", dt.date(2026, 3, 20),
                                                                           dt.date(2026, 3, 16))
    assert [(e.kind_label, e.new_deadline) for e in found.events] == [
        ("下发通知书", dt.date(2026, 3, 16)), ("报送整改情况", None), ("复查未通过", dt.date(2026, 3, 20))]
    (after,) = photos.rows([found.events[1].id])
    assert found.events[1].photo_ids == (after.id,)
    assert (after.stage_label, after.file_name) == ("整改后", "a.png")
    assert photos.rows([found.findings[0].id])[0].id == before


def test_personal_data_is_masked_in_the_audit_log(admin):
    from civdesk.core.audit_log import AuditEntry
    from civdesk.supervision import holders, plans
    from tests.support.units import village

    village(admin)
    holders.add(CLERK, {"name": "老王面馆", "kind": "商铺", "village": "红星村", "address": "红星村正街 12 号",
                        "responsible": "王大明", "phone": "13912345678"})
    plans.add_member(REVIEWER, "王强", phone="13812345678")
    logged = " ".join(f"{e.record_label} {e.changes} {e.note}" for e in AuditEntry.select())
    assert "13912345678" not in logged and "13812345678" not in logged
    assert "139****5678" in logged
