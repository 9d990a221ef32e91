"""The volunteer pages: list, form, detail, hours entry and review, teams, statistics."""

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from civdesk.core import db, validation
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.office import offices as office
from civdesk.volunteers import hours, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import ServiceRecord, Volunteer
from tests.support.databases import initialize
from tests.support.ui import column, nav_titles
from tests.support.volunteers import make_id as id_number
from ui.volunteers import hours_forms
from ui.volunteers.detail import VolunteerDetailDialog

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
REVIEWER2 = Actor("zhouhaiyan", "周海燕", "reviewer")
TODAY = dt.date.today()


ZHANG_SAN_ID = id_number("19850302", "123")  # sequence odd: 男
LI_SI_ID = id_number("19900515", "222")  # even: 女


pytestmark = pytest.mark.office(villages=("红星村", "白鹤村"), users=(CLERK, REVIEWER, REVIEWER2))


@pytest.fixture
def people(admin):
    red, white = office.villages()[1], office.villages()[0]  # pinyin order: 白鹤村, 红星村
    assert (red.name, white.name) == ("红星村", "白鹤村")
    zhang = volunteers.register(CLERK, {"name": "张三", "id_number": ZHANG_SAN_ID, "phone": "13812345678",
                                        "village_id": red.id})
    li = volunteers.register(CLERK, {"name": "李四", "id_number": LI_SI_ID, "village_id": white.id})
    zhao = volunteers.register(CLERK, {"name": "赵思思", "id_number": id_number("20010101", "442"),
                                       "village_id": white.id})
    return {"张三": zhang, "李四": li, "赵思思": zhao}


def open_details():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, VolunteerDetailDialog) and w.isVisible()]


# --- navigation ------------------------------------------------------------------------------


def test_pages_in_navigation_by_role(admin, make_window):
    assert nav_titles(make_window(admin)) == ["工作台", "创建申报", "创建单位", "好人评选", "督查整改", "门前三包", "志愿者", "服务时长", "队伍与活动", "志愿统计", "热线工单", "活动与阵地", "数据同步", "冲突处理", "审计日志", "设置"]
    assert nav_titles(make_window(CLERK)) == ["工作台", "创建申报", "创建单位", "好人评选", "督查整改", "门前三包", "志愿者", "服务时长", "队伍与活动", "志愿统计", "热线工单", "活动与阵地", "数据同步", "冲突处理", "设置"]
    assert nav_titles(make_window(REVIEWER)) == ["工作台", "创建申报", "创建单位", "好人评选", "督查整改", "门前三包", "志愿者", "服务时长", "队伍与活动", "志愿统计", "热线工单", "活动与阵地", "数据同步", "冲突处理", "设置"]


# --- the list ----------------------------------------------------------------------------


def test_the_selected_volunteer_stays_selected_when_the_list_reloads(people, make_window):
    """A reload after a write (someone registered before them in the order, another one left) keeps
    the same person selected, though the list is read a window at a time and their row moved."""
    window = make_window(CLERK)
    window.show_page("volunteers")
    page = window.pages["volunteers"]
    assert type(page.model._listing).__name__ == "QueryListing", "by name: counted and read in windows"
    page.view.selectRow(page.model.row_of(people["赵思思"].id))
    assert page.selected_id() == people["赵思思"].id
    volunteers.register(CLERK, {"name": "阿芳", "id_number": id_number("19950505", "262")})  # first by pinyin
    window.refresh_current_page()
    assert page.model.rowCount() == 4 and "共 4 名" in page.count_label.text()
    assert page.selected_id() == people["赵思思"].id and page.model.row_of(people["赵思思"].id) == 3
    assert [page.model.id_at(r) for r in range(4)] == volunteers.matching_ids(volunteers.VolunteerFilter())
    volunteers.leave(CLERK, people["李四"].id)
    window.refresh_current_page()
    assert page.selected_id() == people["赵思思"].id and page.model.rowCount() == 3



def test_list_filters_as_you_type(people, make_window, qtbot):
    window = make_window(CLERK)
    assert window.show_page("volunteers")
    page = window.pages["volunteers"]
    assert sorted(column(page.model, "name")) == sorted(["张三", "李四", "赵思思"])
    assert "共 3 名" in page.count_label.text()

    qtbot.keyClicks(page.search_edit, "zs")  # initials: 张三 (zs) and 赵思思 (zss)
    qtbot.waitUntil(lambda: sorted(column(page.model, "name")) == ["张三", "赵思思"], timeout=2000)
    assert "符合条件的" in page.count_label.text() and "共 2 名" in page.count_label.text()
    row = column(page.model, "name").index("张三")
    masked = column(page.model, "id")[row]
    assert masked == validation.mask_id_number(ZHANG_SAN_ID) and ZHANG_SAN_ID not in masked
    assert column(page.model, "phone")[row] == "138****5678"
    qtbot.keyClicks(page.search_edit, "s")
    qtbot.waitUntil(lambda: column(page.model, "name") == ["赵思思"], timeout=2000)

    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, LI_SI_ID[-4:])
    qtbot.waitUntil(lambda: column(page.model, "name") == ["李四"], timeout=2000)

    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=2000)
    page.village_combo.setCurrentIndex(page.village_combo.findText("白鹤村"))
    assert sorted(column(page.model, "name")) == ["李四", "赵思思"]


def test_list_shows_hours_and_stars(people, make_window):
    record = hours.enter(CLERK, people["张三"].id, TODAY, 24)
    hours.approve(REVIEWER, [record.id])
    for day in range(1, 5):
        r = hours.enter(CLERK, people["张三"].id, TODAY - dt.timedelta(days=day), 24)
        hours.approve(REVIEWER, [r.id])
    window = make_window(CLERK)
    window.show_page("volunteers")
    page = window.pages["volunteers"]
    row = column(page.model, "name").index("张三")
    assert column(page.model, "hours")[row] == "120"
    assert column(page.model, "stars")[row] == "★"


def test_leaving_volunteer_moves_out_of_active_list(people, make_window, monkeypatch):
    monkeypatch.setattr(hours_forms, "ask_reason", lambda *a: "外出务工")
    window = make_window(CLERK)
    window.show_page("volunteers")
    page = window.pages["volunteers"]
    detail = page.open_detail(people["李四"].id)
    assert detail.toggle_membership()
    assert volunteers.get(people["李四"].id).status == "left"
    assert "李四" not in column(page.model, "name")
    page.status_combo.setCurrentIndex(page.status_combo.findData("left"))
    assert column(page.model, "name") == ["李四"]
    assert detail.leave_button.text() == "恢复在册"
    detail.close()


# --- the form ----------------------------------------------------------------------------


def test_form_shows_id_error_under_field_and_writes_nothing(people, make_window, no_blocking_boxes):
    window = make_window(CLERK)
    window.show_page("volunteers")
    dialog = window.pages["volunteers"].register_volunteer()
    before = (Volunteer.select().count(), AuditEntry.select().count())
    dialog.name_edit.setText("王五")
    wrong = ZHANG_SAN_ID[:-1] + ("1" if ZHANG_SAN_ID[-1] != "1" else "2")
    dialog.id_number_edit.setText(wrong)
    dialog.phone_edit.setText("12345")
    assert not dialog.save()
    assert "校验位" in dialog.errors.message("id_number")
    assert "手机" in dialog.errors.message("phone") or "电话" in dialog.errors.message("phone")
    assert dialog.errors.message("name") == ""
    assert dialog.isVisible()
    assert (Volunteer.select().count(), AuditEntry.select().count()) == before
    assert not no_blocking_boxes
    dialog.reject()


def test_form_derives_sex_and_registers(admin, make_window):
    window = make_window(CLERK)
    window.show_page("volunteers")
    page = window.pages["volunteers"]
    dialog = page.register_volunteer()
    dialog.name_edit.setText("李四")
    dialog.id_number_edit.setText(LI_SI_ID)
    assert dialog.sex_combo.currentText() == "女" and not dialog.sex_combo.isEnabled()
    assert dialog.birth_edit.value() == dt.date(1990, 5, 15)
    assert "1990年05月15日" in dialog.derived_label.text()
    dialog.village_combo.setCurrentIndex(dialog.village_combo.findText("红星村"))
    dialog.politics_combo.setEditText("共青团员")
    dialog.category_combo.setEditText("敬老助残")
    assert dialog.save()
    assert not dialog.isVisible()
    saved = volunteers.find(LI_SI_ID)
    assert (saved.sex, saved.political_status, saved.service_category) == ("女", "共青团员", "敬老助残")
    assert column(page.model, "name") == ["李四"]
    assert saved.number in page.status_label.text()


def test_duplicate_id_shows_message_and_button(people, make_window):
    window = make_window(CLERK)
    window.show_page("volunteers")
    dialog = window.pages["volunteers"].register_volunteer()
    dialog.name_edit.setText("张叁")
    dialog.id_number_edit.setText(ZHANG_SAN_ID.lower())
    assert not dialog.save()
    assert dialog.duplicate_box.isVisibleTo(dialog)
    assert "已登记为志愿者「张三」" in dialog.duplicate_label.text()
    assert ZHANG_SAN_ID not in dialog.duplicate_label.text()  # masked
    assert dialog.view_existing_button.text() == "查看该志愿者"
    assert Volunteer.select().where(Volunteer.name == "张叁").count() == 0
    dialog.view_existing_button.click()
    [detail] = open_details()
    assert detail.volunteer_id == people["张三"].id
    detail.close()
    dialog.reject()


def test_edit_form_saves_changes(people, make_window):
    window = make_window(CLERK)
    window.show_page("volunteers")
    detail = window.pages["volunteers"].open_detail(people["张三"].id)
    form = detail.edit()
    assert form.id_number_edit.text() == ZHANG_SAN_ID
    form.skills_edit.setText("驾驶、急救")
    assert form.save()
    assert volunteers.get(people["张三"].id).skills == "驾驶、急救"
    assert detail.values["skills"].text() == "驾驶、急救"
    detail.close()


# --- the detail --------------------------------------------------------------------------


def test_detail_masks_numbers_until_revealed(people, make_window):
    window = make_window(CLERK)
    window.show_page("volunteers")
    teams.add_member(CLERK, teams.create_team(CLERK, {"name": "红星村志愿服务队"}).id, people["张三"].id)
    hours.approve(REVIEWER, [hours.enter(CLERK, people["张三"].id, TODAY, 3.5).id])
    hours.enter(CLERK, people["张三"].id, TODAY - dt.timedelta(days=1), 2)
    detail = window.pages["volunteers"].open_detail(people["张三"].id)
    assert detail.values["id_number"].text() == validation.mask_id_number(ZHANG_SAN_ID)
    assert detail.values["phone"].text() == "138****5678"
    assert detail.values["teams"].text() == "红星村志愿服务队"
    assert "3.5" in detail.hours_label.text() and "1 条记录待审核" in detail.hours_label.text()
    assert sorted(column(detail.records_model, "status")) == ["已审核", "待审核"]
    assert detail.reveal_button.isEnabled()
    detail.reveal_button.click()
    assert detail.values["id_number"].text() == ZHANG_SAN_ID
    assert detail.values["phone"].text() == "13812345678"
    detail.reveal_button.click()
    assert detail.values["id_number"].text() == validation.mask_id_number(ZHANG_SAN_ID)
    detail.close()


# --- hours -------------------------------------------------------------------------------


def test_entering_hours_appears_in_recent_table(people, make_window, qtbot):
    window = make_window(CLERK)
    window.show_page("hours")
    page = window.pages["hours"]
    form = page.entry_tab.form
    qtbot.keyClicks(form.picker.edit, "zs")
    assert form.picker.search_now() == 2  # 张三 and 赵思思, in pinyin order
    assert form.picker.results.item(0).text().startswith("张三")
    assert form.picker.choose_row(0)
    assert form.picker.volunteer_id() == people["张三"].id
    form.date_edit.set_value(TODAY - dt.timedelta(days=40))
    form.hours_edit.setValue(2.5)
    form.content_edit.setPlainText("清理河道垃圾")
    assert form.save() is not None
    assert "张三" in form.done_label.text() and "2.5 小时" in form.done_label.text()
    assert form.picker.volunteer_id() == ""  # ready for the next person
    model = page.entry_tab.model
    # Entered here, so first, although older than the other records.
    hours.enter(CLERK, people["李四"].id, TODAY, 1)
    page.entry_tab.refresh()
    assert column(model, "volunteer")[0] == "张三"
    assert column(model, "hours")[0] == "2.5"
    assert column(model, "status")[0] == "待审核"
    assert "李四" in column(model, "volunteer")


def test_hours_errors_show_under_fields(people, make_window):
    window = make_window(CLERK)
    window.show_page("hours")
    form = window.pages["hours"].entry_tab.form
    before = ServiceRecord.select().count()
    assert form.save() is None
    assert "请选择志愿者" in form.errors.message("volunteer_id")
    form.picker.set_volunteer(people["张三"].id)
    form.hours_edit.setValue(1.3)
    assert form.save() is None
    assert "0.5" in form.errors.message("hours")
    form.hours_edit.setValue(20)
    hours.enter(CLERK, people["张三"].id, TODAY, 10)
    assert form.save() is None
    assert "24 小时" in form.errors.message("hours")
    assert ServiceRecord.select().count() == before + 1


def test_reviewer_approves_and_rejects(people, make_window, monkeypatch):
    first = hours.enter(CLERK, people["张三"].id, TODAY, 2)
    second = hours.enter(CLERK, people["李四"].id, TODAY, 3)
    window = make_window(REVIEWER)
    window.show_page("hours/review")
    page = window.pages["hours"]
    tab = page.review_tab
    assert page.tabs.currentWidget() is tab
    assert "待审核（2）" in [page.tabs.tabText(i) for i in range(page.tabs.count())]
    tab.view.selectRow(tab.model.row_of(first.id))
    assert tab.approve_selected() == 1
    assert hours.status_of(first.id) == "approved"
    assert "已审核通过 1 条" in tab.message.text()
    assert tab.model.ids() == [second.id]

    monkeypatch.setattr(hours_forms, "ask_reason", lambda *a: "签到表上没有这个人")
    tab.view.selectRow(0)
    assert tab.reject_selected() == 1
    [row] = hours.records(people["李四"].id)
    assert (row.status, row.reason) == ("rejected", "签到表上没有这个人")
    assert "没有待审核" in tab.count_label.text()


def test_reviewer_own_record_is_refused_with_message(people, make_window):
    own = hours.enter(REVIEWER, people["张三"].id, TODAY, 2)
    other = hours.enter(CLERK, people["李四"].id, TODAY, 2)
    window = make_window(REVIEWER)
    window.show_page("hours/review")
    tab = window.pages["hours"].review_tab
    assert "1 条是您自己录入的" in tab.count_label.text()
    assert column(tab.model, "entered_by")[tab.model.row_of(own.id)] == "李秀英（本人）"
    tab.view.selectRow(tab.model.row_of(own.id))
    assert "不能由您审核" in tab.message.text()
    assert tab.approve_selected() == 0
    assert "自己录入" in tab.message.text()
    assert hours.status_of(own.id) == "pending"
    # Both selected: the other one is approved, the own one skipped with the message.
    tab.view.selectAll()
    assert tab.approve_selected() == 1
    assert hours.status_of(other.id) == "approved" and hours.status_of(own.id) == "pending"
    assert "自己录入" in tab.message.text()


def test_clerk_does_not_see_review_tab(people, make_window):
    hours.enter(CLERK, people["张三"].id, TODAY, 2)
    window = make_window(CLERK)
    window.show_page("hours/review")
    page = window.pages["hours"]
    assert page.review_tab is None
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert not any("待审核" in t for t in titles)
    assert page.tabs.currentWidget() is page.entry_tab


def test_correcting_an_approved_record(people, make_window):
    record = hours.enter(CLERK, people["张三"].id, TODAY, 2)
    hours.approve(REVIEWER, [record.id])
    window = make_window(CLERK)
    window.show_page("hours/records")
    tab = window.pages["hours"].records_tab
    tab.view.selectRow(tab.model.row_of(record.id))
    assert tab.correct_button.isEnabled()
    dialog = tab.correct_selected()
    dialog.hours_edit.setValue(3)
    assert not dialog.save()
    assert "原因" in dialog.errors.message("reason")
    dialog.reason_edit.setPlainText("签到表核对后为 3 小时")
    assert dialog.save()
    [correction] = [r for r in hours.records(people["张三"].id) if r.corrects_id == record.id]
    assert (correction.hours, correction.status) == (1, "pending")
    assert "审核通过后生效" in tab.message.text()
    assert "+1" in column(tab.model, "hours")


# --- teams and activities ------------------------------------------------------------------


def test_team_create_and_members(people, make_window):
    window = make_window(CLERK)
    window.show_page("teams")
    tab = window.pages["teams"].teams_tab
    dialog = tab.edit_team(new=True)
    assert not dialog.save()
    assert "不能为空" in dialog.errors.message("name")
    dialog.name_edit.setText("清溪镇志愿服务总队")
    assert dialog.save()
    top = teams.teams()[0]
    child = tab.edit_team(new=True, child=True)
    assert child.parent_combo.currentData() == top.id
    child.name_edit.setText("红星村志愿服务队")
    assert child.save()
    assert tab.tree.topLevelItem(0).child(0).text(0) == "红星村志愿服务队"
    tab.member_picker.edit.setText("李四")
    tab.member_picker.search_now()
    tab.member_picker.choose_row(0)
    assert tab.add_member()
    assert [v.name for v, _role in teams.members(tab.current_team_id())] == ["李四"]
    tab.members_table.setCurrentCell(0, 0)
    assert tab.remove_member()
    assert teams.members(tab.current_team_id()) == []


def test_activities_without_hours_are_highlighted(people, make_window):
    old = teams.create_activity(CLERK, {"name": "重阳敬老", "start_date": TODAY - dt.timedelta(days=40)})
    done = teams.create_activity(CLERK, {"name": "清洁家园", "start_date": TODAY - dt.timedelta(days=40)})
    hours.enter(CLERK, people["张三"].id, done.start_date, 2, activity_id=done.id)
    window = make_window(CLERK)
    window.show_page("teams/activities")
    page = window.pages["teams"]
    tab = page.activities_tab
    assert page.tabs.currentWidget() is tab
    names = [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]
    state = {names[r]: tab.table.item(r, 5).text() for r in range(len(names))}
    assert state == {"重阳敬老": "超期未录入", "清洁家园": ""}
    assert tab.overdue == {old.id}
    assert "1 项活动" in tab.overdue_notice.text() and tab.overdue_notice.isVisibleTo(tab)
    tab.overdue_only.setChecked(True)
    assert tab.table.rowCount() == 1

    # "为该活动录入时长" opens the entry form with the activity chosen.
    tab.table.setCurrentCell(0, 0)
    assert tab.enter_hours()
    form = window.pages["hours"].entry_tab.form
    assert window.current_page_key() == "hours"
    assert form.activity_combo.currentData() == old.id
    assert form.date_edit.value() == old.end_date


def test_activity_form_errors_and_save(people, make_window):
    window = make_window(CLERK)
    window.show_page("teams/activities")
    tab = window.pages["teams"].activities_tab
    dialog = tab.edit_activity(new=True)
    assert not dialog.save()
    assert "不能为空" in dialog.errors.message("name")
    dialog.name_edit.setText("文明交通劝导")
    dialog.start_edit.set_value(TODAY)
    dialog.end_edit.set_value(TODAY - dt.timedelta(days=2))
    assert not dialog.save()
    assert "早于" in dialog.errors.message("end_date")
    dialog.end_edit.set_value(TODAY)
    assert dialog.save()
    assert [a.name for a in teams.activities()] == ["文明交通劝导"]
    tab.participant_picker.set_volunteer(people["张三"].id)
    assert tab.add_participant()
    assert tab.participants_table.item(0, 0).text() == "张三"


# --- statistics and the start page -----------------------------------------------------------


def test_stats_page_shows_totals(people, make_window):
    for volunteer, amount in ((people["张三"], 3), (people["李四"], 2.5)):
        hours.approve(REVIEWER, [hours.enter(CLERK, volunteer.id, TODAY, amount).id])
    hours.enter(CLERK, people["赵思思"].id, TODAY, 4)  # pending: not counted
    window = make_window(REVIEWER)
    window.show_page("volunteer_stats")
    page = window.pages["volunteer_stats"]
    assert page.task is not None and page.task.wait()
    assert page.cards["active"].value_label.text() == "3"
    assert page.cards["new"].value_label.text() == "3"
    assert page.cards["served"].value_label.text() == "2"
    assert page.cards["hours"].value_label.text() == "5.5"
    assert dict(page.village_chart.items) == {"红星村": 3.0, "白鹤村": 2.5}
    assert sum(value for _label, value in page.month_chart.items) == 5.5
    assert dict(page.star_chart.items)["未评星"] == 3
    page.period_combo.setCurrentIndex(page.period_combo.findData("last_year"))
    assert page.task.wait()
    assert page.cards["hours"].value_label.text() == "0"


def test_start_page_lists_pending_records_for_reviewers(people, make_window):
    hours.enter(CLERK, people["张三"].id, TODAY, 2)
    window = make_window(REVIEWER)
    window.show_page("home")
    home = window.pages["home"]
    [card] = [c for c in home.cards if c.item.kind == "pending_hours"]
    assert "1 条服务时长记录等待您审核" in card.item.title
    card.clicked.emit(card.item.target_page)
    assert window.current_page_key() == "hours"
    assert window.pages["hours"].tabs.currentWidget() is window.pages["hours"].review_tab
    clerk_window = make_window(CLERK)
    clerk_window.show_page("home")
    assert not [c for c in clerk_window.pages["home"].cards if c.item.kind == "pending_hours"]


def test_stats_page_without_qtcharts_shows_tables(people, make_window, monkeypatch):
    from ui.widgets import charts

    monkeypatch.setattr(charts, "CHARTS_AVAILABLE", False)
    hours.approve(REVIEWER, [hours.enter(CLERK, people["张三"].id, TODAY, 3).id])
    window = make_window(CLERK)
    window.show_page("volunteer_stats")
    page = window.pages["volunteer_stats"]
    assert page.task.wait()
    notices = [label.text() for label in page.findChildren(type(page.status_label))]
    assert charts.UNAVAILABLE_TEXT in notices
    assert page.village_chart.view is None and page.village_chart.table.isVisibleTo(page)
    table = page.village_chart.table
    assert [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())] == [("红星村", "3")]


def test_village_pc_registers_own_villagers_only(tmp_path, make_window):
    from tests.support.databases import village_request

    actor = initialize(tmp_path / "v.sqlite3", village_request())
    try:
        window = make_window(actor)
        window.show_page("volunteers")
        page = window.pages["volunteers"]
        assert page.village_combo.isHidden()
        dialog = page.register_volunteer()
        assert dialog.village_combo.currentText() == "桂花村" and not dialog.village_combo.isEnabled()
        dialog.name_edit.setText("张三")
        dialog.id_number_edit.setText(ZHANG_SAN_ID)
        assert dialog.save()
        assert volunteers.rows([dialog.volunteer_id])[dialog.volunteer_id].village == "桂花村"
    finally:
        db.close_database()


def test_certificate_from_the_detail(people, make_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from civdesk.volunteers import certificates
    from ui.volunteers.certificate_dialog import CertificateDialog

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    pdf = tmp_path / "证明.pdf"
    monkeypatch.setattr(CertificateDialog, "choose_path", lambda self: str(pdf))

    window = make_window(CLERK)
    window.show_page("volunteers")
    page = window.pages["volunteers"]
    detail = page.open_detail(people["张三"].id)
    assert detail.certificate_button is not None and detail.certificate_button.text() == "出具证明"
    assert not detail.certificate_button.isEnabled()  # no approved hours yet
    detail.close()
    hours.approve(REVIEWER, [hours.enter(CLERK, people["张三"].id, TODAY, 6).id])
    detail = page.open_detail(people["张三"].id)
    assert detail.certificate_button.isEnabled()
    dialog = detail.issue_certificate()
    assert "6 小时" in dialog.total_label.text()
    dialog.purpose_edit.setText("评优")
    issued = dialog.issue()
    assert issued is not None and issued.number in dialog.result_label.text()
    assert not dialog.issue_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=30000)  # the PDF, written in the background
    assert pdf.read_bytes().startswith(b"%PDF") and opened == [str(pdf)]
    [row] = certificates.register(volunteer_id=people["张三"].id)
    assert (row.number, row.hours, row.purpose) == (issued.number, 6, "评优")
    dialog.accept()
    assert issued.number in detail.hours_label.text()
    detail.close()
