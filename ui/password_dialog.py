"""Change one's own password: forced after an administrator's reset, or from the menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.office import accounts
from ui.field_errors import FieldErrors, error_label, set_error


class ChangePasswordDialog(QDialog):
    def __init__(self, actor: Actor, *, forced: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
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

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("修改密码", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.setProperty("primary", True)
        buttons.addButton("退出程序" if forced else "取消", QDialogButtonBox.ButtonRole.RejectRole)
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

    def submit(self) -> bool:
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
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            accounts.change_own_password(self.actor, self.old_password.text(), self.new_password.text())
        except ValidationError as exc:
            rest = self.errors.show(exc.errors)
            set_error(self.error, "；".join(rest) if rest else None)
            return False
        except CivDeskError as exc:
            self.errors.clear()
            set_error(self.error, str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
        return True
