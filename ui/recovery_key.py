"""Showing a new recovery key (setup, or the first login that encrypted an older database) and
asking for one when every password is lost (「用恢复密钥找回」 on the login dialog)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civdesk import APP_TITLE
from ui import login_check
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.widgets.fit import fit_to_screen
from ui.widgets.waiting import WaitsForAnswer, show_waiting

EXPLANATION = (
    "数据库中的身份证号、电话、住址等个人信息已加密保存。每个账号的密码都能打开它；"
    "<b>如果所有密码都忘记了，只能凭下面的恢复密钥重设系统管理员的密码</b>。<br><br>"
    "恢复密钥只显示这一次：请现在打印（点「复制」后粘贴到 WPS/Word 中打印）或工整抄写，"
    "交单位负责人与公章一样妥善保管，不要和电脑、U 盘放在一起，也不要拍照发到微信群。<br><br>"
    "另外请记住：数据库文件旁边的同名 <b>.keys</b> 文件是它的钥匙盒，复制、搬到新电脑时"
    "两个文件必须一起带走（自动备份已经一起保存）。")


class RecoveryKeyDialog(QDialog):
    """The new recovery key, shown once; closes only after the user says it is written down."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.setWindowTitle(f"恢复密钥 — {APP_TITLE}")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key_label = QLabel(text)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(14)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setWordWrap(True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet("background: #fbf7e9; border: 1px solid #d9c98a; padding: 12px;")
        layout.addWidget(self.key_label)
        self.copied = QLabel()
        layout.addWidget(self.copied)
        self.confirm = QCheckBox("我已打印或抄写好恢复密钥，并会与电脑分开保管")
        layout.addWidget(self.confirm)
        buttons = QDialogButtonBox()
        copy = buttons.addButton("复制", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        self.ok_button = buttons.addButton("完成", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setProperty("primary", True)
        self.ok_button.setEnabled(False)
        self.confirm.toggled.connect(self.ok_button.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        fit_to_screen(self)

    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(f"CivDesk 恢复密钥：{self.text}")
            self.copied.setText("已复制到剪贴板。")

    def reject(self) -> None:  # Esc or the window's close button: only once it is written down
        if self.confirm.isChecked():
            super().reject()


def show_recovery_key(text: str, parent: QWidget | None = None) -> None:
    RecoveryKeyDialog(text, parent).exec()


class RecoveryDialog(WaitsForAnswer, QDialog):
    """Every password lost: the recovery key, the administrator's account and a new password.
    *recover* (``maintenance.recover``) returns the Actor; ``actor`` holds it once accepted."""

    def __init__(self, recover: Callable, parent: QWidget | None = None):
        super().__init__(parent)
        self._recover = recover
        self.actor = None
        self.task = None  # the background check under way
        self.setWindowTitle(f"用恢复密钥找回 — {APP_TITLE}")
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        intro = QLabel("所有密码都忘记时，凭初始化时打印的恢复密钥，为一个系统管理员账号设置新密码。"
                       "其他账号的密码不变；这次找回会记入审计日志。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.errors = FieldErrors()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(10)
        self.key = QLineEdit()
        self.key.setMaxLength(80)
        self.key.setPlaceholderText("9 组、每组 4 个字符，大小写和空格不限")
        self.username = QLineEdit("admin")
        self.username.setMaxLength(32)
        self.password, self.password2 = QLineEdit(), QLineEdit()
        for edit in (self.password, self.password2):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(128)
        form.addRow("恢复密钥：", self.errors.block("key", self.key))
        form.addRow("管理员账号：", self.errors.block("username", self.username))
        form.addRow("新密码：", self.errors.block("password", self.password))
        form.addRow("再输一次新密码：", self.errors.block("password2", self.password2))
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.status = hint_label("正在核对恢复密钥并设置新密码，请稍候…")
        self.status.hide()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.ok_button: QPushButton = buttons.addButton("重设密码并登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setProperty("primary", True)
        self.ok_button.setDefault(True)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.key.setFocus()
        fit_to_screen(self)

    def submit(self) -> bool:
        """Start the check in the background (the new password's slot takes ~0.4 s of scrypt); True
        if it started, False for a field to fix or while a check is under way."""
        if self.waiting():
            return False
        set_error(self.error, None)
        errors = {}
        if not self.key.text().strip():
            errors["key"] = "请输入恢复密钥"
        if not self.username.text().strip():
            errors["username"] = "请输入要重设密码的系统管理员账号"
        if not self.password.text():
            errors["password"] = "请输入新密码"
        elif self.password2.text() != self.password.text():
            errors["password2"] = "两次输入的新密码不一致"
        if errors:
            self.errors.show(errors)
            return False
        self._show_checking(True)
        self.task = login_check.start(self, self._recover, self.key.text(), self.username.text().strip(),
                                       self.password.text(), on_outcome=self._checked)
        return True

    wait_for_check = WaitsForAnswer.wait_for_answer

    def _show_checking(self, on: bool) -> None:
        set_error(self.error, None)
        show_waiting(self, (self.key, self.username, self.password, self.password2, self.ok_button,
                            self.cancel_button), self.status, on)

    def _checked(self, outcome) -> None:
        self.task = None
        self._show_checking(False)
        kind, value = outcome
        if kind != "ok":
            set_error(self.error, str(value))
            return
        self.actor = value
        self.accept()

