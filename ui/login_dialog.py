"""Login: who is using this PC now. Errors (wrong password, lockout) stay inside the dialog.

The check itself (scrypt: ~0.4 s to unlock an encrypted database's key, then the account's own
hash; on a plain database's first login also its backup and encryption) runs in the background
through ``run_task``: the dialog says it is checking and takes no second submit meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from civdesk import APP_TITLE
from civdesk.core.actor import Actor
from civdesk.office import accounts
from ui import login_check
from ui.field_errors import error_label, hint_label, set_error
from ui.tasks import TaskHandle
from ui.widgets.waiting import WaitsForAnswer, show_waiting

LAST_USERNAME_KEY = "login/last_username"
CHECKING_TEXT = "正在验证用户名和密码，请稍候…"


def _notice(text: str) -> QLabel:
    note = QLabel(text)
    note.setWordWrap(True)
    note.setProperty("role", "notice")
    return note


class LoginDialog(WaitsForAnswer, QDialog):
    """``exec()`` it; when accepted, ``actor`` is who signed in.

    *login* checks a user name and password and returns the Actor (or an object with ``actor``
    and ``recovery_key``: ``maintenance.login``, which unlocks and opens an encrypted database
    first). *recover* (encrypted databases) adds 「用恢复密钥找回」: it takes (recovery key, user
    name, new password) and returns the Actor."""

    def __init__(self, office_name: str, node_name: str, *, demo_credentials: tuple[str, str] | None = None,
                 read_only_reason: str = "", settings: QSettings | None = None, parent: QWidget | None = None,
                 login: Callable | None = None, recover: Callable | None = None, locked_file: str = ""):
        super().__init__(parent)
        self.actor: Actor | None = None
        self.recovery_key: str | None = None  # new, to show once after the dialog
        self.damaged: str | None = None  # the password was right but the file is too damaged to open
        self.task: TaskHandle | None = None  # the background check under way
        self._login = login or accounts.authenticate
        self._recover = recover
        self._remember = not demo_credentials  # the demo account must not replace the real last user
        self._settings = settings if settings is not None else QSettings()
        self.setWindowTitle(f"登录 — {APP_TITLE}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        title = QLabel(office_name or APP_TITLE)
        title.setProperty("role", "title")
        title.setWordWrap(True)
        layout.addWidget(title)
        if locked_file:  # encrypted and not yet opened: the office cannot be read before the login
            layout.addWidget(hint_label(f"数据库 {locked_file} 已加密，登录后才能读取"))
        else:
            layout.addWidget(hint_label(f"{APP_TITLE} · 本机：{node_name}" if node_name else APP_TITLE))
        if demo_credentials:
            layout.addWidget(_notice(f"这是演示数据库，关闭程序后即删除。演示账号：<b>{demo_credentials[0]}</b>，"
                                     f"密码：<b>{demo_credentials[1]}</b>（已替您填好）。"))
        if read_only_reason:
            layout.addWidget(_notice(read_only_reason))
        layout.addSpacing(6)
        layout.addLayout(self._build_form())

        self.error = error_label()
        layout.addWidget(self.error)
        self.status = hint_label(CHECKING_TEXT)
        self.status.hide()
        layout.addWidget(self.status)
        layout.addSpacing(4)
        layout.addWidget(self._build_buttons(recover is not None))

        if demo_credentials:
            self.username.setText(demo_credentials[0])
            self.password.setText(demo_credentials[1])
        else:
            self.username.setText(str(self._settings.value(LAST_USERNAME_KEY, "") or ""))
        (self.password if self.username.text() else self.username).setFocus()
        self.username.textEdited.connect(lambda _t: set_error(self.error, None))
        self.password.textEdited.connect(lambda _t: set_error(self.error, None))

    def _build_buttons(self, recover: bool) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setDefault(True)
        self.login_button.setProperty("primary", True)
        self.quit_button = self.buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.recover_button = None
        if recover:
            self.recover_button = self.buttons.addButton("用恢复密钥找回", QDialogButtonBox.ButtonRole.ActionRole)
            self.recover_button.clicked.connect(self.try_recover)
        self.login_button.clicked.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(12)
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(128)
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        return form

    @property
    def checking(self) -> bool:
        return self.waiting()

    def try_login(self) -> bool:
        """Start checking the name and password in the background; True if a check started (the
        outcome arrives later: accepted, or the reason under the fields as before). False when
        a field is empty or a check is already under way (no double submit)."""
        if self.checking:
            return False
        username = self.username.text().strip()
        if not username:
            set_error(self.error, "请输入用户名。")
            self.username.setFocus()
            return False
        if not self.password.text():
            set_error(self.error, "请输入密码。")
            self.password.setFocus()
            return False
        set_error(self.error, None)
        self._show_checking(True)
        self.task = login_check.start(self, self._login, username, self.password.text(),
                                       on_outcome=lambda outcome: self._checked(username, outcome))
        return True

    wait_for_check = WaitsForAnswer.wait_for_answer

    def _show_checking(self, on: bool) -> None:
        show_waiting(self, (self.username, self.password, self.login_button, self.quit_button, self.recover_button),
                     self.status, on)

    def _checked(self, username: str, outcome: tuple[str, object]) -> None:
        self.task = None
        self._show_checking(False)
        kind, value = outcome
        if kind == "damaged":
            # The password unlocked the key but the file is damaged: the caller offers a restore.
            self.damaged = str(value)
            self.accept()
            return
        if kind == "refused":
            self._refused(str(value))
            return
        self.actor = getattr(value, "actor", value)
        self.recovery_key = getattr(value, "recovery_key", None)
        if self._remember:
            self._settings.setValue(LAST_USERNAME_KEY, username)
        self.accept()

    def _refused(self, message: str) -> None:
        set_error(self.error, message)
        self.password.clear()
        self.password.setFocus()

    def recovery_dialog(self):
        from ui.recovery_key import RecoveryDialog

        return RecoveryDialog(self._recover, self)

    def try_recover(self) -> bool:
        if self.checking:
            return False
        dialog = self.recovery_dialog()
        if not dialog.exec() or dialog.actor is None:
            return False
        self.actor = dialog.actor
        self.accept()
        return True
