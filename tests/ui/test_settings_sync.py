"""设置 → 同步口令: an administrator changes this PC's sync passphrase (off the GUI thread, with the
errors beside the fields); a clerk only reads why it is not theirs to change."""

from __future__ import annotations

from civdesk.core.actor import Actor
from civdesk.core.meta import LocalMeta
from tests.support.databases import PASSPHRASE


def sync_tab(make_window, actor):
    window = make_window(actor)
    window.show_page("settings")
    page = window.pages["settings"]
    page.show_section("sync")
    return page.sync_tab


def test_admin_changes_the_passphrase(admin, make_window, qtbot):
    tab = sync_tab(make_window, admin)
    before = LocalMeta.get_value("sync_key")
    tab.old.setText(PASSPHRASE)
    tab.new.setText("guihua-xin-kouling-2031")
    tab.new2.setText("guihua-xin-kouling-2030")
    assert tab.submit() is None and "不一致" in tab.errors.labels["new2"].text()
    tab.new2.setText("guihua-xin-kouling-2031")
    tab.old.setText("not-the-passphrase")
    tab.submit()
    qtbot.waitUntil(lambda: tab.button.isEnabled(), timeout=20000)
    assert "原同步口令不对" in tab.errors.labels["old"].text() and LocalMeta.get_value("sync_key") == before
    tab.old.setText(PASSPHRASE)
    tab.submit()
    qtbot.waitUntil(lambda: "已修改" in tab.done_label.text(), timeout=20000)
    assert LocalMeta.get_value("sync_key") != before and not tab.old.text()


def test_a_clerk_cannot_change_it(admin, make_window):
    tab = sync_tab(make_window, Actor("zhangli", "张丽", "clerk"))
    assert not tab.button.isEnabled() and "系统管理员" in tab.done_label.text()
