import datetime as dt
import time

import pytest
from PySide6.QtWidgets import QLabel

from civdesk import __version__
from civdesk.core import changes, db
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.office import accounts, settings, setup
from civdesk.office import offices as office
from civdesk.office.account_model import User
from civdesk.office.models import Office
from tests.support.databases import open_db
from tests.support.ui import nav_titles

pytestmark = pytest.mark.office(office_name="青龙镇文明办", node_name="文明办-1号电脑", admin_display_name="王建国")


def audit_values(page):
    model = page.model
    return [model.source.fetch_rows([i])[i] for i in model.ids()]


def test_navigation_depends_on_role(admin, make_window):
    accounts.add_user(admin, "zhangsan", "张三", "clerk", "Temp-1234x")
    assert nav_titles(make_window(admin)) == ["工作台", "创建申报", "创建单位", "好人评选", "督查整改", "门前三包", "志愿者", "服务时长", "队伍与活动", "志愿统计", "热线工单", "活动与阵地", "数据同步", "冲突处理", "审计日志", "设置"]
    clerk = make_window(Actor("zhangsan", "张三", "clerk"))
    assert nav_titles(clerk) == ["工作台", "创建申报", "创建单位", "好人评选", "督查整改", "门前三包", "志愿者", "服务时长", "队伍与活动", "志愿统计", "热线工单", "活动与阵地", "数据同步", "冲突处理", "设置"]
    assert not clerk.show_page("audit")
    assert "audit" not in clerk.pages


def test_title_and_status_bar(admin, make_window):
    window = make_window(admin, demo=True)
    assert window.windowTitle() == "文明创建工作台 — 青龙镇文明办（演示数据）"
    assert "王建国（系统管理员）" in window.user_label.text()
    assert window.read_only_badge is None


def test_office_change_is_saved_and_audited(admin, make_window):
    window = make_window(admin)
    assert window.show_page("settings/office")
    tab = window.pages["settings"].office_tab
    tab.edits["contact_person"].setText("刘秀英")
    tab.edits["name"].setText("青龙镇文明创建办")
    assert tab.save()
    own = office.own_office()
    assert (own.contact_person, own.name) == ("刘秀英", "青龙镇文明创建办")
    assert "青龙镇文明创建办" in window.windowTitle()
    window.show_page("audit")
    [row] = [r for r in audit_values(window.pages["audit"]) if r["action"] == "修改"]
    assert "联系人：（空） → 刘秀英" in row["summary"]
    assert row["record"] == "青龙镇文明创建办"


def test_this_pcs_code_is_set_once_in_office_settings(admin, make_window, no_blocking_boxes):
    """Issue 19 item 1: 设置 → 本单位 shows this PC's code; set once, then read-only."""
    window = make_window(admin)
    window.show_page("settings/office")
    tab = window.pages["settings"].office_tab
    assert tab.pc_code_edit.text() == "" and not tab.pc_code_edit.isReadOnly()
    tab.pc_code_edit.setText("9")
    assert not tab.save() and "电脑代码" in tab.errors.message("pc_code")
    tab.pc_code_edit.setText("b")
    assert tab.save()
    assert office.pc_code() == "B" and tab.pc_code_edit.text() == "B" and tab.pc_code_edit.isReadOnly()


def test_invalid_phone_shows_error_next_to_field(admin, make_window, no_blocking_boxes):
    window = make_window(admin)
    window.show_page("settings/office")
    tab = window.pages["settings"].office_tab
    before = AuditEntry.select().count()
    tab.edits["phone"].setText("12345678901")
    tab.edits["contact_person"].setText("刘秀英")
    assert not tab.save()
    assert "手机号码" in tab.errors.message("phone")
    assert tab.errors.message("name") == ""
    assert not no_blocking_boxes
    own = office.own_office()
    assert (own.phone, own.contact_person) == ("", "")
    assert AuditEntry.select().count() == before


def test_add_village(admin, make_window):
    window = make_window(admin)
    window.show_page("settings/office")
    tab = window.pages["settings"].office_tab
    tab.village_edit.setText("红星村")
    assert tab.add_village()
    assert [v.name for v in office.villages()] == ["红星村"]
    tab.village_edit.setText("红星村")
    assert not tab.add_village()
    assert "已经在名单中" in tab.village_error.message("name")


def test_add_user_and_duplicate_username(admin, make_window, qtbot):
    window = make_window(admin)
    window.show_page("settings/accounts")
    page = window.pages["settings"]
    assert page.tabs.currentWidget() is page.accounts_tab
    tab = page.accounts_tab
    dialog = tab.add_user_dialog()
    dialog.username_edit.setText("zhangsan")
    dialog.name_edit.setText("张三")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("clerk"))
    temp = dialog.password_edit.text()
    assert len(temp) >= 8
    assert dialog.submit()
    user = User.get(User.username == "zhangsan")
    assert (user.display_name, user.role, user.must_change_password) == ("张三", "clerk", True)
    assert accounts.verify_password(temp, user.password_hash)
    assert "zhangsan" in tab.model.ids()
    assert tab.selected()["username"] == "zhangsan"

    again = tab.add_user_dialog()
    again.username_edit.setText("zhangsan")
    again.name_edit.setText("张山")
    assert not again.submit()
    assert "已被使用" in again.errors.message("username")
    assert again.isVisible() or again.result() == 0
    assert User.select().where(User.username == "zhangsan").count() == 1


def test_accounts_unlock_and_disable(admin, make_window):
    accounts.add_user(admin, "lisi", "李四", "clerk", "Temp-1234x")
    user = User.get(User.username == "lisi")
    user.locked_until = (dt.datetime.now() + dt.timedelta(minutes=10)).replace(microsecond=0).isoformat(sep=" ")
    user.save()
    window = make_window(admin)
    window.show_page("settings/accounts")
    tab = window.pages["settings"].accounts_tab
    tab.select("lisi")
    assert tab.buttons["unlock"].isEnabled()
    tab.unlock()
    assert not accounts.is_locked(User.get(User.username == "lisi"))
    assert not tab.buttons["unlock"].isEnabled()
    tab.toggle_active()
    assert not User.get(User.username == "lisi").active
    assert tab.buttons["toggle"].text() == "启用"


def test_settings_values_save(admin, make_window):
    window = make_window(admin)
    window.show_page("settings/values")
    tab = window.pages["settings"].values_tab
    tab.editors["account.lockout_attempts"].setValue(7)
    assert tab.changed_values() == {"account.lockout_attempts": 7}
    assert tab.save()
    assert settings.get("account.lockout_attempts") == 7
    assert tab.changed_values() == {}


def test_audit_page_filters_by_action(admin, make_window):
    accounts.add_user(admin, "zhangsan", "张三", "clerk", "Temp-1234x")
    office.update_own_office(admin, {"contact_person": "刘秀英"})
    window = make_window(admin)
    window.show_page("audit")
    page = window.pages["audit"]
    total = page.model.rowCount()
    assert total >= 4
    assert f"共 {total:,} 条" in page.count_label.text()
    page.action_combo.setCurrentIndex(page.action_combo.findData("update"))
    rows = audit_values(page)
    assert len(rows) == 1 and rows[0]["action"] == "修改"
    assert "符合条件的共 1 条" in page.count_label.text()
    page.action_combo.setCurrentIndex(page.action_combo.findData("create"))
    assert {r["action"] for r in audit_values(page)} == {"新增"}
    page.clear_filters()
    assert page.model.rowCount() == total


def test_audit_page_text_filter_and_detail(admin, make_window, qtbot):
    accounts.add_user(admin, "zhangsan", "张三", "clerk", "Temp-1234x")
    window = make_window(admin)
    window.show_page("audit")
    page = window.pages["audit"]
    page.search_edit.setText("张三")  # QTest can only type ASCII keys
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    page.view.selectRow(0)
    html = page.detail.toPlainText()
    assert "张三" in html and "修改前" in html and "录入员" in html


def test_home_lists_locked_account_for_admin(admin, make_window):
    accounts.add_user(admin, "lisi", "李四", "clerk", "Temp-1234x")
    user = User.get(User.username == "lisi")
    user.locked_until = (dt.datetime.now() + dt.timedelta(minutes=10)).replace(microsecond=0).isoformat(sep=" ")
    user.save()
    window = make_window(admin)
    assert window.current_page_key() == "home"
    home = window.pages["home"]
    titles = [card.item.title for card in home.cards]
    assert "账号「李四」已被锁定" in titles
    card = next(c for c in home.cards if c.item.kind == "account_locked")
    card.clicked.emit(card.item.target_page)
    assert window.current_page_key() == "settings"
    assert window.pages["settings"].tabs.currentWidget() is window.pages["settings"].accounts_tab

    clerk = make_window(Actor("lisi", "李四", "clerk"))
    assert "account_locked" not in [c.item.kind for c in clerk.pages["home"].cards]


def test_home_says_kindly_when_nothing_is_due(admin, make_window, monkeypatch):
    from civdesk.core.registry import registry

    monkeypatch.setattr(registry, "_due", [])
    window = make_window(admin)
    home = window.pages["home"]
    assert home.cards == []
    assert not home.empty_label.isHidden()
    assert "目前没有到期或逾期的事项" in home.empty_label.text()
    assert "王建国" in home.greeting_label.text()


def test_backup_runs_in_background_and_is_audited(admin, make_window, tmp_path, qtbot):
    window = make_window(admin)
    dest = tmp_path / "usb" / "备份.sqlite3"
    handle = window.backup_database(dest)
    assert handle.wait(10000)
    assert dest.is_file() and dest.stat().st_size > 0
    entry = AuditEntry.select().where(AuditEntry.action == "backup").get()
    assert entry.note == f"备份到 {dest}"  # as the command line writes it
    assert "backup" not in [c.item.kind for c in window.pages["home"].cards]


def test_backup_of_read_only_database_works_without_audit(admin, make_window, tmp_path):
    open_db(db.state.path, read_only=True)
    window = make_window(admin, read_only=True)
    before = AuditEntry.select().count()
    dest = tmp_path / "ro-copy.sqlite3"
    assert window.backup_database(dest).wait(10000)
    assert dest.is_file()
    assert AuditEntry.select().count() == before


def test_about_dialog_shows_version(admin, make_window):
    dialog = make_window(admin).about_dialog()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert __version__ in texts
    assert setup.own_fingerprint() in texts
    assert "文明办-1号电脑" in texts


def test_page_and_geometry_are_remembered(admin, make_window):
    window = make_window(admin)
    window.show_page("settings")
    window.resize(800, 555)  # the offscreen screen is small: stay inside it
    window.close()
    again = make_window(admin)
    assert again.current_page_key() == "settings"
    assert again.size().height() == 555


def test_read_only_session_disables_editing(admin, make_window):
    accounts.add_user(admin, "zhangsan", "张三", "clerk", "Temp-1234x")
    path = db.state.path
    open_db(path, read_only=True)
    window = make_window(admin, read_only=True, read_only_reason="数据库以只读方式打开。")
    assert window.windowTitle().endswith("（只读）")
    assert window.read_only_badge is not None
    assert not window.password_action.isEnabled()
    window.show_page("settings")
    page = window.pages["settings"]
    office_tab, accounts_tab, values_tab = page.office_tab, page.accounts_tab, page.values_tab
    assert all(edit.isReadOnly() for edit in office_tab.edits.values())
    assert office_tab.save_button.isHidden()
    assert all(e.isReadOnly() for e in values_tab.editors.values())
    assert values_tab.save_button.isHidden()
    accounts_tab.select("zhangsan")
    assert not accounts_tab.buttons["add"].isEnabled() and not accounts_tab.buttons["add"].isVisibleTo(window)
    assert not accounts_tab.password_button.isEnabled()
    assert not any(accounts_tab.buttons[k].isEnabled() for k in ("edit", "toggle", "reset", "unlock"))
    assert "password" not in window.pages["home"].action_buttons
    window.show_page("audit")
    assert window.pages["audit"].model.rowCount() > 0  # reading still works


def test_clerk_sees_office_read_only_and_no_account_list(admin, make_window):
    accounts.add_user(admin, "zhangsan", "张三", "clerk", "Temp-1234x")
    window = make_window(Actor("zhangsan", "张三", "clerk"))
    window.show_page("settings")
    page = window.pages["settings"]
    assert all(edit.isReadOnly() for edit in page.office_tab.edits.values())
    assert page.accounts_tab.view is None
    assert page.accounts_tab.password_button.isEnabled()
    assert page.values_tab.save_button.isHidden()
    assert set(window.pages["home"].action_buttons) == {"sync", "backup", "password"}


@pytest.mark.slow
def test_audit_page_stays_fast_on_100000_entries(admin, make_window):
    node, now = changes.node_id(), changes.now_text()
    rows = [(f"00000000-0000-4000-8000-{i:012d}", now, f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}:00",
             node, ("update", "create", "export")[i % 3], f"记录{i}") for i in range(100_000)]
    with db.database.atomic():  # straight SQL: building 100,000 model rows would dominate the test
        db.database.connection().executemany(
            "INSERT INTO audit_entry (id, scope, deleted, clock, created_at, created_by, updated_at, updated_by,"
            " at, username, user_display, node_id, action, tbl, record_id, record_label, changes, note)"
            " VALUES (?1, NULL, 0, NULL, ?2, 'admin', ?2, 'admin', ?3, 'admin', '王建国', ?4, ?5, 'office', 'x',"
            " ?6, '{}', '')", rows)
    window = make_window(admin)
    started = time.perf_counter()
    window.show_page("audit")
    page = window.pages["audit"]
    page.grab()  # paints the visible rows
    assert page.model.rowCount() > 100_000
    assert page.model.cached_block_count() <= 2
    page.action_combo.setCurrentIndex(page.action_combo.findData("export"))
    assert page.model.rowCount() == 33_333
    page.view.sortByColumn(4, page.view.horizontalHeader().sortIndicatorOrder())
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, f"审计日志页面太慢：{elapsed:.2f} 秒"
    assert Office.select().count() == 1


def test_change_password_opens_the_dialog(admin, make_window, monkeypatch):
    from ui import password_dialog

    opened = []
    monkeypatch.setattr(password_dialog.ChangePasswordDialog, "exec", lambda self: opened.append(self) or 0)
    window = make_window(admin)
    window.password_action.trigger()
    assert len(opened) == 1
    assert opened[0].parent() is window and opened[0].actor == admin


def test_home_says_it_is_gathering_until_the_background_job_answers(admin, make_window, monkeypatch):
    import threading

    from civdesk.core.registry import registry

    release = threading.Event()
    monkeypatch.setattr(registry, "_due", [lambda actor: [] if release.wait(30) else []])
    window = make_window(admin)
    home = window.pages["home"]
    assert "正在汇总待办事项" in home.empty_label.text() and not home.empty_label.isHidden()
    release.set()
    assert home.cards == []
    assert "目前没有到期或逾期的事项" in home.empty_label.text()
