"""The dialogs of 设置 → 账号 for the gallery and the fit test: (name, title, factory), where a
factory takes the main window and returns the dialog not yet shown."""

from __future__ import annotations

from civdesk.office import accounts


def _other_user(window):
    """An account to edit: another than the one signed in, when there is one."""
    users = accounts.list_users()
    return next((u for u in users if u.username != window.session.actor.username), users[0])


def add_user(window):
    from ui.office.settings_accounts import AddUserDialog

    return AddUserDialog(window.session, window)


def edit_user(window):
    from ui.office.settings_accounts import EditUserDialog

    user = _other_user(window)
    return EditUserDialog(window.session, user.username, user.display_name, user.role, window)


def reset_password(window):
    from ui.office.settings_accounts import ResetPasswordDialog

    user = _other_user(window)
    return ResetPasswordDialog(window.session, user.username, user.display_name, window)


SCREENS = [
    ("dialog-add-user", "添加账号", add_user),
    ("dialog-edit-user", "修改账号", edit_user),
    ("dialog-reset-password", "重置密码", reset_password),
]
