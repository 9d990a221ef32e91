"""合并重复登记: the 工作台 item leads to the dialog; the two records side by side, masked until
revealed (audited), a choice per differing field, what moves, and 合并 — for volunteers and for
好人评选 nominees; a clerk sees the pair but cannot merge."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.nominations import people
from civdesk.nominations.models import Nominee
from civdesk.office import dashboard
from civdesk.office import offices as office
from civdesk.volunteers import hours
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Volunteer
from tests.support.volunteers import make_id
from ui.widgets.merge_dialog import MergeDialog

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
ZHANG = make_id("19850302", "123")

pytestmark = pytest.mark.office(villages=("红星村",), users=(CLERK, REVIEWER))


@pytest.fixture
def twice(admin):
    """张三 registered here and, before the PCs met, on another PC (sync brings that record as is)."""
    village = office.villages()[0]
    kept = volunteers.register(CLERK, {"name": "张三", "id_number": ZHANG, "phone": "13812345678",
                                       "village_id": village.id})
    data = {name: getattr(kept, name) for name in Volunteer.data_fields() if name != "merged_into"}
    other = changes.create(Volunteer, CLERK, {**data, "number": "HXC-B000001", "phone": "13987654321"},
                           scope=kept.scope)
    record = hours.enter(CLERK, other.id, dt.date.today() - dt.timedelta(days=2), 3)
    hours.approve(REVIEWER, [record.id])
    return kept, other


def open_dialog(window, target: str) -> MergeDialog:
    items = [i for i in dashboard.collect(window.session.actor) if i.target_page == target]
    assert len(items) == 1, items
    [item] = items
    assert window.show_page(item.target_page)
    [dialog] = [w for w in window.findChildren(MergeDialog) if w.isVisible()]
    return dialog


def texts(dialog: MergeDialog) -> list[str]:
    return [w.text() for w in dialog.grid_host.findChildren(QLabel)] + [
        b.text() for g in dialog.choices.values() for b in g.buttons()]


def test_the_start_page_item_opens_the_merge_and_merging_leaves_one_person(twice, make_window, qtbot):
    window = make_window(REVIEWER)
    dialog = open_dialog(window, "volunteers/merge")
    if dialog.current_pair()[0] != twice[0].id:  # the older record is suggested; these two share a second
        qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
    kept, other = twice
    assert dialog.current_pair() == (kept.id, other.id)
    assert set(dialog.choices) == {"phone"}  # the one field that differs
    shown = texts(dialog)
    assert "138****5678" in shown and "139****4321" in shown and "13987654321" not in shown
    assert "服务记录 1 条" in dialog.moves.text()
    dialog.choose("phone", "other")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert volunteers.matching_ids(volunteers.VolunteerFilter()) == [kept.id]
    assert Volunteer.get_by_id(kept.id).phone == "13987654321"
    assert Volunteer.get_by_id(other.id).merged_into == kept.id
    page = window.pages["volunteers"]
    assert "已合并重复登记" in page.status_label.text() and "累计 3 小时" in page.status_label.text()
    assert not [i for i in dashboard.collect(REVIEWER) if i.kind == "volunteer_duplicates"]


def test_swapping_and_revealing(twice, make_window, qtbot):
    dialog = open_dialog(make_window(REVIEWER), "volunteers/merge")
    first, second = dialog.current_pair()
    qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
    assert dialog.current_pair() == (second, first)
    assert not AuditEntry.select().where(AuditEntry.action == "view_personal").exists()
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    assert "13987654321" in texts(dialog) and not dialog.reveal_button.isEnabled()
    assert AuditEntry.select().where((AuditEntry.action == "view_personal")
                                     & (AuditEntry.username == REVIEWER.username)).exists()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert volunteers.matching_ids(volunteers.VolunteerFilter()) == [second]


def test_a_clerk_is_told_who_may_merge(twice, make_window):
    window = make_window(CLERK)
    [item] = [i for i in dashboard.collect(CLERK) if i.kind == "volunteer_duplicates"]
    assert "需由审核人或系统管理员" in item.detail
    window.show_page(item.target_page)
    [dialog] = [w for w in window.findChildren(MergeDialog) if w.isVisible()]
    assert dialog.current_pair() is None and "没有权限" in dialog.intro.text()
    assert not dialog.merge_button.isEnabled()


def test_a_pair_of_two_offices_is_refused_in_words(admin, make_window):
    from ui.volunteers.merge import open_merge_dialog

    village = office.villages()[0]
    here = volunteers.register(CLERK, {"name": "李四", "id_number": make_id("19900515", "222"), "village_id": village.id})
    there = volunteers.register(CLERK, {"name": "李四", "id_number": make_id("19900515", "242")})
    dialog = open_merge_dialog(make_window(REVIEWER).session, None, (here.id, there.id))
    assert "不同的单位" in dialog.message.text() and not dialog.merge_button.isEnabled()
    dialog.close()


def test_a_nominee_with_a_mistyped_number_is_merged_from_the_nominations_page(admin, make_window, qtbot):
    village = office.villages()[0]
    made = []
    for number in (make_id("19560101", "123"), make_id("19560101", "163")):  # one digit mistyped
        person = people.clean_person({"name": "钱桂英", "id_number": number, "village_id": village.id,
                                      "phone": "13800000001"})
        made.append(people.nominee_for(CLERK, person).id)
    dialog = open_dialog(make_window(REVIEWER), "nominations/merge")
    kept, other = dialog.current_pair()
    assert {kept, other} == set(made) and "号码只差一两位" in dialog.pairs.currentText()
    assert set(dialog.choices) == {"id_number"}
    dialog.choose("id_number", "other")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert Nominee.get_by_id(kept).id_number == Nominee.get_by_id(other).id_number
    assert people.search("钱桂英") == [kept] and sorted(people.same_person(kept)) == sorted(made)
