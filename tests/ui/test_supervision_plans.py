"""督查整改 → 督查计划 in the GUI: rounds, areas, the 督查组 and checklists added and edited from
their lists, refused input shown under its field with nothing written, read-only for a clerk,
and the tab and its dialogs inside 1366×728 and 1280×658."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.supervision import plans
from civdesk.supervision.models import Area, Round, TemplateItem
from tests.supervision.helpers import REVIEWER, SANITATION, village
from tests.ui.test_supervision_pages import SIZES, demo, fit_problems, settle  # noqa: F401


def plans_tab(window):
    window.show_page("supervision")
    page = window.pages["supervision"]
    page.tabs.setCurrentIndex(2)
    return page.plans_tab


def test_an_area_and_a_round_are_added_and_edited_from_their_lists(admin, make_window, qtbot):
    red = village(admin, "红星村")
    tab = plans_tab(make_window(admin))
    assert tab.areas.empty.isVisibleTo(tab.areas) and tab.areas.add_button.isEnabled()
    dialog = tab.edit_area(new=True)
    qtbot.addWidget(dialog)
    dialog.name.setText("村委会片区")
    dialog.village.setCurrentIndex(dialog.village.findData(red.id))
    dialog.route.setPlainText("村委会—小学—菜市场")
    assert dialog.save()
    assert tab.areas.table.rowCount() == 1 and tab.areas.table.item(0, 2).text() == "村委会—小学—菜市场"
    assert "已保存督查片区" in tab.areas.message.text()
    area = Area.get()
    tab.tabs.setCurrentIndex(0)
    dialog = tab.edit_round(new=True)
    qtbot.addWidget(dialog)
    dialog.name.setText("红星村月度督查")
    dialog.village.setCurrentIndex(dialog.village.findData(red.id))
    dialog.area.setCurrentIndex(dialog.area.findData(area.id))
    dialog.mechanism.setCurrentIndex(dialog.mechanism.findData(SANITATION))
    dialog.due_day.setValue(20)
    assert dialog.save()
    round_ = Round.get()
    assert (round_.area_id, round_.due_day, round_.village_id) == (area.id, 20, red.id)
    # Edit: stop the round; the list greys it and the board stops asking for it.
    tab.rounds.table.selectRow(0)
    dialog = tab.edit_round()
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "红星村月度督查" and not dialog.village.isEnabled()
    dialog.active.setChecked(False)
    assert dialog.save()
    assert tab.rounds.table.item(0, 7).text() == "停用" and not plans.rounds()
    assert AuditEntry.select().where((AuditEntry.record_id == round_.id) & (AuditEntry.action == "update")).exists()


def test_refused_input_shows_under_its_field_and_writes_nothing(admin, make_window, qtbot):
    red, willow = village(admin, "红星村"), village(admin, "柳林村")
    plans.add_area(REVIEWER, "柳林村主街", willow.id)
    tab = plans_tab(make_window(admin))
    before = (Round.select().count(), AuditEntry.select().count())
    dialog = tab.edit_round(new=True)
    qtbot.addWidget(dialog)
    dialog.village.setCurrentIndex(dialog.village.findData(red.id))
    dialog.area.setCurrentIndex(1)
    assert not dialog.save()
    assert "请填写计划名称" in dialog.errors.labels["name"].text()
    assert "与计划的村（社区）不一致" in dialog.errors.labels["area_id"].text()
    assert (Round.select().count(), AuditEntry.select().count()) == before
    member = tab.edit_member(new=True)
    qtbot.addWidget(member)
    member.name.setText("王强")
    member.phone.setText("12345")
    assert not member.save() and member.errors.labels["phone"].text()
    assert not plans.member_rows()


def test_a_checklist_is_edited_in_its_table_whole_or_not_at_all(admin, make_window, qtbot):
    tab = plans_tab(make_window(admin))
    tab.tabs.setCurrentIndex(3)
    row = next(r for r in range(tab.templates.table.rowCount()) if tab.templates.table.item(r, 0).text() == SANITATION)
    tab.templates.table.selectRow(row)
    dialog = tab.edit_template()
    qtbot.addWidget(dialog)
    default = plans.default_template(SANITATION)
    assert dialog.editor.table.rowCount() == len(default)
    dialog.editor.add_row(default[0].name, None)  # the same line twice
    assert not dialog.save()
    assert "重复了" in dialog.editor.error_label.text() and TemplateItem.select().count() == 0
    dialog.editor.set_pairs([("路面无垃圾杂物", None), ("绿化带整洁", 10), ("垃圾清运及时", 5)])
    assert dialog.save()
    assert plans.template(SANITATION) == [plans.ChecklistLine("路面无垃圾杂物", "pass", 0),
                                          plans.ChecklistLine("绿化带整洁", "score", 10),
                                          plans.ChecklistLine("垃圾清运及时", "score", 5)]
    line = [tab.templates.table.item(row, c).text() for c in range(5)]
    assert line == [SANITATION, "3 项", "2 项", "15", "已修改"]
    # The inspection form takes the edited checklist.
    from ui.supervision.inspection_form import InspectionDialog

    form = InspectionDialog(tab.session, tab)
    qtbot.addWidget(form)
    form.mechanism.setCurrentIndex(form.mechanism.findText(SANITATION))
    assert form.table.rowCount() == 3


def test_a_clerk_sees_the_plans_but_cannot_change_them(admin, make_window, qtbot):
    plans.add_member(REVIEWER, "王强", "组长", "镇文明办", "13812345678")
    tab = plans_tab(make_window(Actor("zhangli", "张丽", "clerk")))
    tab.tabs.setCurrentIndex(2)
    assert tab.members.table.rowCount() == 1
    assert tab.members.table.item(0, 3).text() != "13812345678", "the phone is masked"
    for plan_list in (tab.rounds, tab.areas, tab.members, tab.templates):
        assert not plan_list.add_button.isEnabled() and not plan_list.edit_button.isEnabled()
    assert "只有管理员或审核人" in tab.members.text.text()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_plans_tab_and_its_dialogs_fit(demo, make_window, qtbot, monkeypatch, size):  # noqa: F811
    from PySide6.QtWidgets import QApplication

    from ui.app import configure_application

    configure_application(QApplication.instance())
    monkeypatch.setattr("ui.widgets.fit.available_size", lambda widget=None: QSize(*size))
    window = make_window(demo)
    window.resize(*size)
    window.show()
    tab = plans_tab(window)
    found = []
    for index in range(tab.tabs.count()):
        tab.tabs.setCurrentIndex(index)
        settle(qtbot)
        found += fit_problems(tab, tab.tabs.tabText(index))
        tab.tabs.currentWidget().table.selectRow(0)
    dialogs = {"round": tab.edit_round(), "area": tab.edit_area(new=True), "member": tab.edit_member(new=True),
               "template": tab.edit_template()}
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot)
        if dialog.width() > size[0] or dialog.height() + 32 > size[1]:
            found.append(f"{name}: {dialog.width()}×{dialog.height()}")
        found += fit_problems(dialog, name)
        dialog.reject()
    assert not found, "\n".join(found)
    assert tab.rounds.table.rowCount() >= 1, "the demo's rounds are listed"
