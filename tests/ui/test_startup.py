"""Start-up path: wizard, login, password change, restore, translations, the step functions."""

from __future__ import annotations

import argparse
import re
import sqlite3
import tempfile
import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QWizard

from civdesk.core import backup, db
from civdesk.core.audit_log import AuditEntry
from civdesk.office import accounts, maintenance, setup
from civdesk.office import offices as office_service
from tests.support.databases import open_db, raw, remember_key
from ui import app as startup_app
from ui.login_dialog import LoginDialog
from ui.password_dialog import ChangePasswordDialog
from ui.restore_dialog import RESTORED, RestoreDialog
from ui.setup_wizard import PAGE_ADMIN, PAGE_FINISH, PAGE_OFFICE, PAGE_PASSPHRASE, SetupWizard

ADMIN_PASSWORD = "Guihua#2024"


def _request(**overrides) -> setup.SetupRequest:
    values = dict(office_name="桂花镇", kind="township", node_name="桂花镇文明办电脑", admin_username="admin",
                  admin_display_name="王主任", admin_password=ADMIN_PASSWORD, sync_passphrase="桂花镇同步口令2024")
    values.update(overrides)
    return setup.SetupRequest(**values)


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "civdesk.sqlite3"
    open_db(path)
    yield path
    db.close_database()


@pytest.fixture
def office_db(db_path):
    actor = setup.initialize(_request())
    return db_path, actor


@pytest.fixture
def ini_settings(tmp_path):
    return QSettings(str(tmp_path / "pc.ini"), QSettings.Format.IniFormat)


# --- setup wizard ---------------------------------------------------------------------------


def _wizard(qtbot, db_path) -> SetupWizard:
    wizard = SetupWizard(db_path)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == 0
    wizard.next()
    assert wizard.currentId() == PAGE_OFFICE
    return wizard


def test_wizard_initializes_village_office(qtbot, db_path):
    wizard = _wizard(qtbot, db_path)
    office = wizard.office_page
    assert office.node_name.text()  # prefilled from the host name
    assert office.township_block.isHidden()
    qtbot.mouseClick(office.kind_village, Qt.MouseButton.LeftButton)
    assert not office.township_block.isHidden()
    # QTest cannot type Chinese (it sends Latin-1 key events), so those fields are set directly.
    office.office_name.setText("桂花村")
    office.township_name.setText("桂花镇")
    office.node_name.setText("桂花村村委电脑")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    admin = wizard.admin_page
    qtbot.keyClicks(admin.admin_username, "lihua")
    admin.admin_display_name.setText("李华")
    qtbot.keyClicks(admin.admin_password, ADMIN_PASSWORD)
    qtbot.keyClicks(admin.admin_password2, ADMIN_PASSWORD)
    wizard.next()
    assert wizard.currentId() == PAGE_PASSPHRASE
    wizard.passphrase_page.sync_passphrase.setText("桂花镇同步口令2024")
    wizard.passphrase_page.sync_passphrase2.setText("桂花镇同步口令2024")
    wizard.next()
    assert wizard.currentId() == PAGE_FINISH
    summary = wizard.finish_page.summary.text()
    assert "桂花村" in summary and "桂花镇" in summary and "lihua" in summary
    assert ADMIN_PASSWORD not in summary
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wizard.wait_for_setup()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.actor is not None and wizard.actor.username == "lihua" and wizard.actor.role == "admin"
    assert setup.is_initialized()
    own = office_service.own_office()
    assert (own.name, own.kind) == ("桂花村", "village")
    assert office_service.township_of(own).name == "桂花镇"
    assert office_service.node_name() == "桂花村村委电脑"
    assert accounts.authenticate("lihua", ADMIN_PASSWORD).display_name == "李华"


def _wizard_at_finish(qtbot, db_path, **kwargs) -> SetupWizard:
    wizard = SetupWizard(db_path, **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    request = _request()
    wizard.next()
    wizard.office_page.office_name.setText(request.office_name)
    wizard.office_page.node_name.setText(request.node_name)
    wizard.next()
    wizard.admin_page.admin_username.setText(request.admin_username)
    wizard.admin_page.admin_display_name.setText(request.admin_display_name)
    wizard.admin_page.admin_password.setText(ADMIN_PASSWORD)
    wizard.admin_page.admin_password2.setText(ADMIN_PASSWORD)
    wizard.next()
    wizard.passphrase_page.sync_passphrase.setText(request.sync_passphrase)
    wizard.passphrase_page.sync_passphrase2.setText(request.sync_passphrase)
    wizard.next()
    assert wizard.currentId() == PAGE_FINISH
    return wizard


def test_the_wizard_creates_the_office_off_the_gui_thread_once(qtbot, db_path):
    """Issue 17: the last step (key slots, scrypt) held the window behind a wait cursor."""
    release, threads = threading.Event(), []

    def slow_initialize(request):
        threads.append(threading.current_thread())
        assert release.wait(30)
        return setup.initialize_with_recovery(request)

    wizard = _wizard_at_finish(qtbot, db_path, initialize=slow_initialize)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    finish.click()
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is not threading.main_thread()
    assert wizard.creating and not wizard.finish_page.status.isHidden()
    assert "正在创建" in wizard.finish_page.status.text()
    assert not finish.isEnabled() and not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    assert not wizard.commit()  # a second 完成 while creating starts nothing
    finish.click()
    wizard.reject()  # Esc waits for the answer
    assert wizard.isVisible() and wizard.currentId() == PAGE_FINISH
    release.set()
    wizard.wait_for_setup()
    assert len(threads) == 1
    assert wizard.result() == QDialog.DialogCode.Accepted and wizard.actor.username == "admin"
    assert office_service.own_office().name == "桂花镇"  # the GUI thread reads what the worker wrote
    assert accounts.authenticate("admin", ADMIN_PASSWORD).display_name == "王主任"


def test_a_refused_setup_stays_on_the_finish_page(qtbot, db_path):
    threads = []

    def initialize(request):
        threads.append(threading.current_thread())
        return setup.initialize_with_recovery(request)

    setup.initialize(_request(office_name="别的镇"))  # already set up, e.g. by another window
    wizard = _wizard_at_finish(qtbot, db_path, initialize=initialize)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wizard.wait_for_setup()
    assert threads and threads[0] is not threading.main_thread()
    assert wizard.currentId() == PAGE_FINISH and wizard.isVisible() and wizard.actor is None
    assert "已经初始化过了" in wizard.finish_page.error.text() and wizard.finish_page.status.isHidden()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert office_service.own_office().name == "别的镇"


def test_wizard_shows_errors_under_fields_and_creates_nothing(qtbot, db_path):
    wizard = _wizard(qtbot, db_path)
    office = wizard.office_page
    office.kind_village.setChecked(True)
    office.office_name.setText("桂花村")
    wizard.next()
    assert wizard.currentId() == PAGE_OFFICE
    assert office.errors.message("township_name") == "村/社区必须填写所属乡镇（街道）"
    assert office.errors.message("office_name") == ""
    office.township_name.setText("桂花镇")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN

    admin = wizard.admin_page
    admin.admin_username.setText("admin")
    admin.admin_password.setText("123")
    admin.admin_password2.setText("123")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    assert "密码至少需要" in admin.errors.message("admin_password")
    admin.admin_password.setText(ADMIN_PASSWORD)
    admin.admin_password2.setText(ADMIN_PASSWORD + "x")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    assert admin.errors.message("admin_password") == ""
    assert admin.errors.message("admin_password2") == "两次输入的密码不一致"
    admin.admin_password2.setText(ADMIN_PASSWORD)
    wizard.next()
    assert wizard.currentId() == PAGE_PASSPHRASE

    phrase = wizard.passphrase_page
    phrase.sync_passphrase.setText("short")
    phrase.sync_passphrase2.setText("short")
    wizard.next()
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert "同步口令至少" in phrase.errors.message("sync_passphrase")
    # Editing the field clears its message.
    phrase.sync_passphrase.textEdited.emit("shortx")
    assert phrase.errors.message("sync_passphrase") == ""
    assert not setup.is_initialized()
    wizard.reject()
    assert wizard.actor is None
    assert not setup.is_initialized()


# --- login and password change --------------------------------------------------------------


def _login(dialog, password: str) -> bool:
    """Submit and wait for the background check; True when the dialog accepted."""
    dialog.password.setText(password)
    assert dialog.try_login()
    dialog.wait_for_check()
    return dialog.result() == QDialog.DialogCode.Accepted


def test_login_wrong_password_lockout_and_success(qtbot, office_db, ini_settings):
    startup = startup_app.Startup(db_path=office_db[0])
    dialog = startup_app.make_login_dialog(startup, settings_store=ini_settings)
    qtbot.addWidget(dialog)
    header = " ".join(label.text() for label in dialog.findChildren(type(dialog.error)))
    assert "桂花镇" in header and "桂花镇文明办电脑" in header
    dialog.username.setText("admin")
    assert not _login(dialog, "wrong-password")
    assert "用户名或密码不正确" in dialog.error.text() and not dialog.error.isHidden()
    assert dialog.password.text() == "" and dialog.login_button.isEnabled() and dialog.status.isHidden()
    dialog.password.setText(ADMIN_PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    dialog.wait_for_check()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor.username == "admin" and dialog.actor.display_name == "王主任"
    assert ini_settings.value("login/last_username") == "admin"

    again = startup_app.make_login_dialog(startup, settings_store=ini_settings)
    qtbot.addWidget(again)
    assert again.username.text() == "admin"  # remembered on this PC
    for _ in range(5):
        assert not _login(again, "wrong-password")
    assert "锁定" in again.error.text()
    assert not _login(again, ADMIN_PASSWORD)  # locked even with the right password
    assert "锁定" in again.error.text()
    assert again.actor is None


def test_the_login_check_runs_off_the_gui_thread_and_takes_one_submit(qtbot, office_db, ini_settings):
    """Issue 17: the scrypt unlock held the window for ~0.4 s behind a wait cursor."""
    release, threads = threading.Event(), []

    def slow_login(username, password):
        threads.append(threading.current_thread())
        assert release.wait(30)
        return accounts.authenticate(username, password)

    dialog = LoginDialog("桂花镇", "桂花镇文明办电脑", settings=ini_settings, login=slow_login)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("admin")
    dialog.password.setText(ADMIN_PASSWORD)
    assert dialog.try_login()
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is not threading.main_thread()
    assert dialog.checking and not dialog.status.isHidden() and "正在验证" in dialog.status.text()
    assert not dialog.login_button.isEnabled() and not dialog.quit_button.isEnabled()
    assert not dialog.password.isEnabled()
    assert not dialog.try_login()  # a second Enter while checking starts nothing
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # Esc waits for the answer
    assert dialog.isVisible()
    release.set()
    dialog.wait_for_check()
    assert len(threads) == 1
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor.username == "admin"
    assert office_service.own_office_or_none().name == "桂花镇"  # the GUI thread reads on after the check


def test_demo_login_prefills_credentials(qtbot, office_db, ini_settings):
    startup = startup_app.Startup(db_path=office_db[0], demo_credentials=("admin", ADMIN_PASSWORD))
    dialog = startup_app.make_login_dialog(startup, settings_store=ini_settings)
    qtbot.addWidget(dialog)
    assert (dialog.username.text(), dialog.password.text()) == ("admin", ADMIN_PASSWORD)
    assert _login(dialog, ADMIN_PASSWORD)
    assert ini_settings.value("login/last_username") is None  # the demo user is not remembered


def _change(dialog, old: str, new: str, new2: str | None = None) -> bool:
    dialog.old_password.setText(old)
    dialog.new_password.setText(new)
    dialog.new_password2.setText(new if new2 is None else new2)
    if not dialog.submit():
        return False
    dialog.wait_for_change()
    return dialog.result() == QDialog.DialogCode.Accepted


def test_change_password_dialog(qtbot, office_db):
    _path, admin = office_db
    accounts.add_user(admin, "zhangsan", "张三", "clerk", "Temp#pass1", must_change=True)
    clerk = accounts.authenticate("zhangsan", "Temp#pass1")
    assert accounts.must_change_password("zhangsan")
    dialog = ChangePasswordDialog(clerk, forced=True)
    qtbot.addWidget(dialog)
    assert not _change(dialog, "Temp#pass1", "Zhang#2024", "Zhang#2025")
    assert dialog.errors.message("new_password2") == "两次输入的新密码不一致"
    assert not _change(dialog, "nope-nope", "Zhang#2024")
    assert dialog.errors.message("old_password") == "原密码不正确"
    assert dialog.ok_button.isEnabled() and dialog.old_password.isEnabled() and dialog.status.isHidden()
    assert not _change(dialog, "Temp#pass1", "12")
    assert "密码至少需要" in dialog.errors.message("new_password")
    assert _change(dialog, "Temp#pass1", "Zhang#2024")
    assert not accounts.must_change_password("zhangsan")
    assert accounts.authenticate("zhangsan", "Zhang#2024").username == "zhangsan"


def test_the_password_change_runs_off_the_gui_thread_and_takes_one_submit(qtbot, office_db):
    """Issue 17: changing a password (scrypt, ~0.4 s and more) held the window behind a wait cursor."""
    _path, admin = office_db
    accounts.add_user(admin, "zhangsan", "张三", "clerk", "Temp#pass1", must_change=True)
    clerk = accounts.authenticate("zhangsan", "Temp#pass1")
    release, threads = threading.Event(), []

    def slow_change(actor, old, new):
        threads.append(threading.current_thread())
        assert release.wait(30)
        accounts.change_own_password(actor, old, new)

    dialog = ChangePasswordDialog(clerk, forced=True, change=slow_change)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.old_password.setText("Temp#pass1")
    dialog.new_password.setText("Zhang#2024")
    dialog.new_password2.setText("Zhang#2024")
    assert dialog.submit()
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is not threading.main_thread()
    assert dialog.changing and not dialog.status.isHidden() and "正在修改密码" in dialog.status.text()
    assert not dialog.ok_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert not any(edit.isEnabled() for edit in (dialog.old_password, dialog.new_password, dialog.new_password2))
    assert not dialog.submit()  # a second Enter while changing starts nothing
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # Esc waits for the answer
    assert dialog.isVisible()
    release.set()
    dialog.wait_for_change()
    assert len(threads) == 1
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not accounts.must_change_password("zhangsan")  # the GUI thread reads the change
    assert accounts.authenticate("zhangsan", "Zhang#2024").username == "zhangsan"


def test_a_refused_password_change_is_shown_beside_its_field(qtbot, office_db):
    _path, admin = office_db
    accounts.add_user(admin, "lisi", "李四", "clerk", "Temp#pass1")
    clerk = accounts.authenticate("lisi", "Temp#pass1")
    threads = []

    def change(actor, old, new):
        threads.append(threading.current_thread())
        accounts.change_own_password(actor, old, new)

    dialog = ChangePasswordDialog(clerk, change=change)
    qtbot.addWidget(dialog)
    assert not _change(dialog, "Temp#pass1", "Temp#pass1")
    assert threads and threads[0] is not threading.main_thread()
    assert dialog.errors.message("new_password") == "新密码不能与原密码相同"
    assert not dialog.changing and dialog.ok_button.isEnabled() and dialog.status.isHidden()
    assert accounts.authenticate("lisi", "Temp#pass1").username == "lisi"


# --- restore --------------------------------------------------------------------------------


def test_restore_dialog_rebuilds_a_file_that_cannot_be_opened(qtbot, office_db):
    path, _admin = office_db
    made = backup.make_backup("daily")
    db.close_database()
    size = path.stat().st_size
    path.write_bytes(b"\x13garbage, not a database" * (size // 24 + 1))
    with pytest.raises(Exception) as caught:
        open_db(path)
    assert type(caught.value).__name__ == "DatabaseDamaged"

    dialog = RestoreDialog(path, str(caught.value), opened=False)
    qtbot.addWidget(dialog)
    assert dialog.table.topLevelItemCount() == 1
    item = dialog.table.topLevelItem(0)
    assert item.text(1) == "每日自动备份" and re.fullmatch(r"[\d.,]+ (KB|MB)", item.text(2)), item.text(2)
    assert dialog.selected_path() == made
    assert dialog.read_only_button.isHidden()
    assert dialog.restore_selected()
    assert dialog.choice == RESTORED and dialog.result() == QDialog.DialogCode.Accepted
    assert setup.is_initialized()
    assert accounts.authenticate("admin", ADMIN_PASSWORD).username == "admin"
    assert db.integrity_problems() == []
    aside = list(path.parent.glob(path.name + ".damaged-*"))
    assert len(aside) == 1 and aside[0] == dialog.damaged_copy
    assert aside[0].read_bytes().startswith(b"\x13garbage")
    assert_restore_audited(made)


def assert_restore_audited(backup_file) -> None:
    """A GUI restore is logged as the CLI's is: 从备份恢复数据库 (restore_db), never as 恢复记录."""
    entry = AuditEntry.select().where(AuditEntry.action == "restore_db").get()
    assert entry.action_label == "从备份恢复数据库" and entry.username == "system"
    assert str(backup_file) in entry.note
    assert not AuditEntry.select().where(AuditEntry.action == "restore").exists()


def test_restore_dialog_restores_an_open_database_and_keeps_a_copy(qtbot, office_db):
    path, admin = office_db
    made = backup.make_backup("manual")
    accounts.add_user(admin, "later", "后来的人", "clerk", "Later#2024")
    dialog = RestoreDialog(path, "测试", opened=True)
    qtbot.addWidget(dialog)
    assert not dialog.read_only_button.isHidden()
    dialog.add_backup_file(made)  # as if browsed for
    assert dialog.selected_path() == made
    assert dialog.restore_selected()
    names = [u.username for u in accounts.list_users()]
    assert names == ["admin"]
    reasons = {b.reason for b in backup.list_backups(path)}
    assert "before-restore" in reasons
    assert_restore_audited(made)


def test_restore_dialog_refuses_a_bad_backup(qtbot, office_db, tmp_path):
    path, _admin = office_db
    bogus = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(bogus)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    dialog = RestoreDialog(path, "测试", opened=True)
    qtbot.addWidget(dialog)
    dialog.add_backup_file(bogus)
    assert not dialog.restore_selected()
    assert "不是 CivDesk 的备份" in dialog.error.text()
    assert dialog.result() != QDialog.DialogCode.Accepted


# --- application and steps ------------------------------------------------------------------


def test_translator_and_font(qapp):
    assert startup_app.install_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() in ("确定", "好", "确认")
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    font = startup_app.default_font(QApplication.font())
    assert font.pointSizeF() >= 10.5
    assert "WenQuanYi Micro Hei" in font.families()
    assert not startup_app.app_icon().isNull()
    assert (startup_app.paths.RESOURCES / "style.qss").is_file()


def test_open_checked_healthy_and_newer_database(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "civdesk.sqlite3"
    startup = startup_app.Startup(db_path=path)
    assert startup_app.acquire_lock(startup)
    try:
        assert startup_app.open_checked(startup)
        setup.initialize(_request())
        remember_key()  # for raw() below
        assert startup_app.first_run(startup) == (True, None)
        assert startup_app.auto_backup(startup) is not None
        assert startup_app.auto_backup(startup) is None  # once a day
        db.close_database()
        conn = raw(path)
        conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
        conn.close()
        shown = []
        monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
        # Encrypted: the login opens the database, then the same checks run.
        maintenance.login(path, "admin", ADMIN_PASSWORD)
        assert startup_app.check_opened(startup)
        assert startup.read_only and db.state.read_only
        assert shown == [startup.read_only_reason] and "更新版本" in shown[0]
        assert startup_app.auto_backup(startup) is None
    finally:
        startup_app.shutdown(startup)
    assert startup.lock is None


def test_demo_database_is_created_off_the_gui_thread_then_copied(qtbot, monkeypatch, tmp_path):
    from civdesk import demo
    from civdesk.demo import cache

    built = []

    def create_demo_database(path, progress=None):
        built.append(threading.current_thread() is threading.main_thread())
        open_db(path)
        setup.initialize(_request(admin_username="admin", admin_password=demo.DEMO_PASSWORD))
        progress(1, 1, "演示数据已生成")
        return "admin", demo.DEMO_PASSWORD

    monkeypatch.setenv("CIVDESK_DEMO_CACHE", str(tmp_path / "cache"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(demo, "create_demo_database", create_demo_database)
    for _ in range(2):  # the first builds (in the background) and caches; the second copies
        startup = startup_app.resolve_startup(argparse.Namespace(demo=True, db=None))
        try:
            assert startup.demo and startup.demo_credentials == ("admin", demo.DEMO_PASSWORD)
            assert startup.db_path.parent == startup.temp_dir
            assert startup.temp_dir.name.startswith(cache.PREFIX)
            assert cache.clean_leftovers(startup.temp_dir.parent) == []  # in use: left alone
            assert startup_app.acquire_lock(startup)
            maintenance.login(startup.db_path, "admin", demo.DEMO_PASSWORD)
            assert startup_app.check_opened(startup)
            assert setup.is_initialized()
            assert accounts.authenticate("admin", demo.DEMO_PASSWORD).username == "admin"
            assert startup_app.auto_backup(startup) is None  # a throwaway copy is not backed up
        finally:
            startup_app.shutdown(startup)
        assert not startup.temp_dir.exists()
    assert built == [False]
    assert cache.cache_path().is_file()


def test_main_parses_arguments():
    import main

    args = main.parse_args(["--db", "x.sqlite3", "--scale", "1.5"])
    assert (args.db, args.demo, args.scale) == ("x.sqlite3", False, 1.5)
    with pytest.raises(SystemExit):
        main.parse_args(["--db", "x", "--demo"])


def test_the_whole_file_check_runs_off_the_gui_thread_on_the_days_first_start(qtbot, office_db, monkeypatch):
    """integrity_check reads every page (a minute on a large office): once a day, with the backup."""
    from civdesk.office import maintenance

    path, _admin = office_db
    startup = startup_app.Startup(db_path=path)
    calls = []
    monkeypatch.setattr(maintenance, "integrity_problems",
                        lambda: calls.append(threading.current_thread() is threading.main_thread()) or ["第 9 页损坏"])
    assert startup_app.daily_check(startup) == ["第 9 页损坏"]
    assert calls == [False]
    made = startup_app.auto_backup(startup)
    assert made is not None and made.is_file()
    assert startup_app.daily_check(startup) == [] and calls == [False]  # checked today
    assert startup_app.auto_backup(startup) is None
