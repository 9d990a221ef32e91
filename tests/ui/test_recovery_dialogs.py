"""The recovery key shown once after setup, and 「用恢复密钥找回」 on the login of an encrypted database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from civdesk.core import db
from civdesk.office import maintenance, setup
from tests.support.databases import ADMIN, setup_request
from ui.login_dialog import LoginDialog
from ui.recovery_key import RecoveryKeyDialog


def test_the_recovery_key_closes_only_once_it_is_written_down(qtbot):
    dialog = RecoveryKeyDialog("JJ72 74R7 RNY7 74YS X30R 0FZN Q4F3 VC60 5MXX")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "JJ72" in dialog.key_label.text() and not dialog.ok_button.isEnabled()
    dialog.reject()  # Esc
    assert dialog.isVisible(), "not closed before it is confirmed"
    dialog.copy()
    assert "已复制" in dialog.copied.text()
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert dialog.ok_button.isEnabled()


def test_recovery_from_the_login_sets_a_new_password(qtbot, tmp_path):
    path = tmp_path / "civdesk.sqlite3"
    db.open_database(path)
    _actor, key = setup.initialize_with_recovery(setup_request())
    db.close_database()
    login = LoginDialog("文明创建工作台", path.name, login=lambda u, p: maintenance.login(path, u, p),
                        recover=lambda k, u, p: maintenance.recover(path, k, u, p))
    qtbot.addWidget(login)
    assert login.recover_button.text() == "用恢复密钥找回"
    dialog = login.recovery_dialog()
    qtbot.addWidget(dialog)
    dialog.key.setText(key)
    dialog.password.setText("Brand#New2026")
    dialog.password2.setText("Brand#New2027")
    assert not dialog.submit() and "不一致" in dialog.errors.labels["password2"].text()
    dialog.password2.setText("Brand#New2026")
    dialog.key.setText(key[:-1] + ("0" if key[-1] != "0" else "1"))  # a typo
    assert dialog.submit()  # checked in the background (issue 17)
    assert not dialog.ok_button.isEnabled() and not dialog.status.isHidden()
    assert not dialog.submit()  # no second submit meanwhile
    dialog.wait_for_check()
    assert dialog.error.text() and dialog.ok_button.isEnabled() and dialog.actor is None
    dialog.key.setText(key.lower())
    assert dialog.submit()
    dialog.wait_for_check()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.actor.username == ADMIN
    db.close_database()
    assert maintenance.login(path, ADMIN, "Brand#New2026").actor.role == "admin"
    db.close_database()


def test_a_damaged_encrypted_file_found_at_login_goes_to_the_restore(qtbot):
    from civdesk.core.errors import DatabaseDamaged

    def damaged(_user, _password):
        raise DatabaseDamaged("数据库文件已损坏，无法打开")

    dialog = LoginDialog("文明创建工作台", "civdesk.sqlite3", login=damaged)
    qtbot.addWidget(dialog)
    dialog.username.setText(ADMIN)
    dialog.password.setText("whatever-1")
    assert dialog.try_login()
    dialog.wait_for_check()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.actor is None and "已损坏" in dialog.damaged


def test_settings_makes_a_new_recovery_key_shown_once(admin, make_window, qtbot):
    from civdesk.core import keyring
    from civdesk.core.keyring import Keyring

    window = make_window(admin)
    window.show_page("settings")
    page = window.pages["settings"]
    page.show_section("accounts")
    tab = page.accounts_tab
    assert tab.recovery_button.isVisibleTo(tab) and tab.recovery_button.isEnabled()
    first = tab.renew_recovery_key(confirm=False)
    dialog = tab.recovery_dialog
    assert dialog.isVisible() and dialog.key_label.text() == first and not dialog.ok_button.isEnabled()
    second = tab.renew_recovery_key(confirm=False)
    tab.recovery_dialog.confirm.setChecked(True)
    tab.recovery_dialog.accept()
    assert "旧的恢复密钥已作废" in tab.status_label.text()
    ring = Keyring.load(keyring.keyring_path(db.state.path))
    ring.check(ring.unlock_with_recovery(second))
    with pytest.raises(keyring.WrongSecret):
        ring.unlock_with_recovery(first)


def test_a_clerk_sees_no_recovery_key_button(admin, make_window):
    from civdesk.core.actor import Actor

    window = make_window(Actor("zhangli", "张丽", "clerk"))
    window.show_page("settings")
    window.pages["settings"].show_section("accounts")
    assert not hasattr(window.pages["settings"].accounts_tab, "recovery_button")
