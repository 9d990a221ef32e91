"""设置 → 发文机关: an administrator edits an issuing body (names, 标志, 签发人, 抄送/印发, the documents it
issues), adds one, sets this PC's 套红纸打印; refused input is shown under its field; a clerk only reads."""

from __future__ import annotations

from civdesk.core.actor import Actor
from civdesk.documents import service


def documents_tab(make_window, actor):
    window = make_window(actor)
    window.show_page("settings")
    page = window.pages["settings"]
    page.show_section("documents")
    return page.documents_tab


def test_admin_edits_a_body_and_adds_another(admin, make_window):
    tab = documents_tab(make_window, admin)
    assert tab.table.rowCount() == 3 and tab.full_name.text() == service.bodies()[0].full_name
    assert "〔" in tab.table.item(0, 2).text()  # the next 发文字号 of each body
    tab.head_text.setText("清溪镇文件")
    tab.cc.setText("县文明办")
    tab.code.setText("清溪〔2026〕")
    tab.save()
    assert "年份" in tab.errors.message("code") and service.body(tab.key).head_text == ""  # nothing written
    tab.code.setText(service.body(tab.key).code)
    tab.save()
    saved = service.body(tab.key)
    assert (saved.head_text, saved.cc, saved.head) == ("清溪镇文件", "县文明办", "清溪镇文件")

    tab._new_body()
    tab.full_name.setText("中共清溪镇委员会")
    tab.code.setText("清溪委")
    tab.kinds["nomination_decision"].setChecked(True)
    tab.save()
    assert service.body_for("nomination_decision").full_name == "中共清溪镇委员会"
    assert tab.table.rowCount() == 4 and "已保存" in tab.message.text()

    tab.preprinted.setChecked(True)
    assert service.preprinted_paper()


def test_a_clerk_reads_only(admin, make_window):
    tab = documents_tab(make_window, Actor("lisi", "李四", "clerk"))
    assert tab.full_name.isReadOnly() and not tab.kinds["unit_decision"].isEnabled()
    from PySide6.QtWidgets import QPushButton

    assert [b.text() for b in tab.findChildren(QPushButton)] == []  # no 保存, no 新增
