"""Change one's own password: forced after an administrator's reset, or from the menu.

The change is slow on purpose (scrypt: the account's new hash, and on an encrypted database its
key slot re-wrapped, ~0.4 s each), so it runs in the background through ``run_task``: the dialog
says what it is doing, and takes no second submit meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.office import accounts
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.tasks import TaskHandle, run_task
from ui.widgets.waiting import WaitsForAnswer, show_waiting

CHANGING_TEXT = "正在修改密码，请稍候…"


def _change_job(ctx, change: Callable, actor: Actor, old: str, new: str) -> tuple[str, object]:
    """On the worker thread: ("ok", None), ("invalid", {field: message}) or ("refused", message)."""
    try:
        change(actor, old, new)
    except ValidationError as exc:
        return "invalid", exc.errors
    except CivDeskError as exc:
        return "refused", str(exc)
    return "ok", None


class ChangePasswordDialog(WaitsForAnswer, QDialog):
    """*change* (tests) replaces ``accounts.change_own_password(actor, old, new)``."""

    def __init__(self, actor: Actor, *, forced: bool = False, parent: QWidget | None = None,
                 change: Callable | None = None):
        super().__init__(parent)
        self.actor = actor
        self.task: TaskHandle | None = None  # the change under way
        self._change = change or accounts.change_own_password
        self.setWindowTitle("修改密码")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        if forced:
            intro = QLabel(f"{actor.display_name}，您正在使用管理员设置的临时密码。"
                           "请先设置自己的新密码，再开始工作。")
        else:
            intro = QLabel(f"为账号「{actor.username}」（{actor.display_name}）设置新密码。")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.errors = FieldErrors()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(12)
        form.setHorizontalSpacing(12)
        self.old_password = self._password_edit()
        self.new_password = self._password_edit()
        self.new_password2 = self._password_edit()
        form.addRow("原密码：", self.errors.block("old_password", self.old_password))
        form.addRow("新密码：", self.errors.block("new_password", self.new_password))
        form.addRow("再输一次新密码：", self.errors.block("new_password2", self.new_password2))
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.status = hint_label(CHANGING_TEXT)
        self.status.hide()
        layout.addWidget(self.status)

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("修改密码", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.setProperty("primary", True)
        self.cancel_button = buttons.addButton("退出程序" if forced else "取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old_password.setFocus()

    @staticmethod
    def _password_edit() -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(128)
        return edit

    @property
    def changing(self) -> bool:
        return self.waiting()

    def submit(self) -> bool:
        """Start the change in the background; True if it started (the outcome arrives later:
        accepted, or the reasons beside the fields as before). False when a field is wrong or a
        change is already under way (no double submit)."""
        if self.changing:
            return False
        set_error(self.error, None)
        errors = {}
        if not self.old_password.text():
            errors["old_password"] = "请输入原密码"
        if not self.new_password.text():
            errors["new_password"] = "请输入新密码"
        elif self.new_password2.text() != self.new_password.text():
            errors["new_password2"] = "两次输入的新密码不一致"
        if errors:
            self.errors.show(errors)
            return False
        self.errors.clear()
        self._show_changing(True)
        self.task = run_task(self, "修改密码", _change_job, self._change, self.actor, self.old_password.text(),
                             self.new_password.text(), show_progress=False, cancellable=False,
                             on_done=self._changed, on_error=lambda message: self._changed(("refused", message)))
        return True

    wait_for_change = WaitsForAnswer.wait_for_answer

    def _show_changing(self, on: bool) -> None:
        show_waiting(self, (self.old_password, self.new_password, self.new_password2, self.ok_button,
                            self.cancel_button), self.status, on)

    def _changed(self, outcome: tuple[str, object]) -> None:
        self.task = None
        self._show_changing(False)
        kind, value = outcome
        if kind == "ok":
            self.accept()
            return
        if kind == "invalid":
            rest = self.errors.show(value)
            set_error(self.error, "；".join(rest) if rest else None)
        else:
            self.errors.clear()
            set_error(self.error, str(value))
        self.old_password.setFocus()
