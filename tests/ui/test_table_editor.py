"""The small tables that replace syntax strings: quotas and rubric of a 评选活动, the star
thresholds and the lists under 设置 → 参数. The services still receive their own formats."""

from __future__ import annotations

from civdesk.core import db
from civdesk.nominations import sessions
from civdesk.office import settings
from ui.nominations.forms import SessionDialog
from ui.office.settings_values import ValuesTab
from ui.session import Session
from ui.widgets.table_editor import TableEditor


def test_running_total_and_inline_problems(qtbot):
    editor = TableEditor("评分项", "权重", total=100)
    qtbot.addWidget(editor)
    editor.set_pairs([("事迹真实性", 30), ("感人程度", 25)])
    assert editor.total_label.text() == "合计 55 / 100"
    assert editor.problem() == "合计应为 100，现在是 55。"
    editor.add_row("社会影响", 45)
    assert editor.problem() == "" and editor.text() == "事迹真实性:30；感人程度:25；社会影响:45"
    editor.add_row("感人程度", 0)
    assert "重复" in editor.error_label.text() and not editor.error_label.isHidden()


def test_thresholds_must_grow(qtbot):
    editor = TableEditor("星级", "小时", fixed=["一星", "二星", "三星"], increasing=True)
    qtbot.addWidget(editor)
    editor.set_pairs([("一星", 100), ("二星", 50), ("三星", 600)])
    assert "从小到大" in editor.problem()
    assert not editor.add_button.isVisibleTo(editor)


def test_session_dialog_gives_the_service_its_text(admin, qtbot):
    dialog = SessionDialog(Session(admin, db.state.path))
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("清溪镇2026年第4季度身边好人评选")
    dialog.categories_edit.set_pairs([("助人为乐", 3), ("见义勇为", 1)])
    dialog.rubric_edit.set_pairs([("事迹真实性", 60), ("示范意义", 40)])
    assert dialog.save()
    record = sessions.get_session(dialog.saved_id)
    assert record.category_list == ["助人为乐", "见义勇为"]
    assert record.quota_map == {"助人为乐": 3, "见义勇为": 1}
    assert record.rubric_items == [("事迹真实性", 60), ("示范意义", 40)]


def test_star_thresholds_are_a_table(admin, qtbot):
    tab = ValuesTab(Session(admin, db.state.path))
    qtbot.addWidget(tab)
    stars = tab.editors["volunteer.star_hours"]
    assert isinstance(stars, TableEditor) and stars.numbers() == [100, 300, 600, 1000, 1500]
    stars.table.item(0, 1).setText("50")
    assert tab.save()
    assert settings.get("volunteer.star_hours") == [50, 300, 600, 1000, 1500]
    vetoes = tab.editors["unit.veto_conditions"]
    assert "环境卫生长效管理不达标" in vetoes.names()


def test_an_optional_number_may_be_left_empty_but_not_wrong(qtbot):
    editor = TableEditor("检查内容", "满分（不打分留空）", unit=" 分", optional=True)
    qtbot.addWidget(editor)
    editor.set_pairs([("路面无垃圾", None), ("绿化带整洁", 10)])
    assert editor.problem() == "" and editor.total_label.text() == "合计 10 分"
    assert editor.pairs() == [("路面无垃圾", None), ("绿化带整洁", 10)]
    editor.table.item(0, 1).setText("十")
    assert editor.problem() == "「路面无垃圾」后面要填一个整数，或者留空。"
    strict = TableEditor("评分项", "权重")
    qtbot.addWidget(strict)
    strict.set_pairs([("事迹真实性", None)])
    assert strict.problem() == "「事迹真实性」后面要填一个整数。"
