"""Showing a new recovery key (setup, or the first login that encrypted an older database) and
asking for one when every password is lost (「用恢复密钥找回」 on the login dialog)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from civdesk import APP_TITLE

EXPLANATION = (
    "数据库中的身份证号、电话、住址等个人信息已加密保存。每个账号的密码都能打开它；"
    "<b>如果所有密码都忘记了，只能凭下面的恢复密钥重设系统管理员的密码</b>。<br><br>"
    "恢复密钥只显示这一次：请现在打印（已复制到剪贴板，可粘贴到 WPS/Word 中打印）或工整抄写，"
    "交单位负责人与公章一样妥善保管，不要和电脑、U 盘放在一起，也不要拍照发到微信群。<br><br>"
    "另外请记住：数据库文件旁边的同名 <b>.keys</b> 文件是它的钥匙盒，复制、搬到新电脑时"
    "两个文件必须一起带走（自动备份已经一起保存）。")


def show_recovery_key(text: str, parent: QWidget | None = None) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(f"CivDesk 恢复密钥：{text}")
    QMessageBox.information(
        parent, f"恢复密钥 — {APP_TITLE}",
        f"{EXPLANATION}<br><br><span style='font-family:monospace; font-size:16pt'><b>{text}</b></span>")


def ask_recovery(parent: QWidget | None = None) -> tuple[str, str, str] | None:
    """(recovery key, administrator's user name, new password), or None if cancelled."""
    key, ok = QInputDialog.getText(parent, "用恢复密钥找回",
                                   "请输入初始化时打印的恢复密钥（9 组、每组 4 个字符，大小写和空格不限）：")
    if not ok or not key.strip():
        return None
    user, ok = QInputDialog.getText(parent, "用恢复密钥找回", "要重设密码的系统管理员账号：", text="admin")
    if not ok or not user.strip():
        return None
    password, ok = QInputDialog.getText(parent, "用恢复密钥找回", "新密码：", QLineEdit.EchoMode.Password)
    if not ok or not password:
        return None
    again, ok = QInputDialog.getText(parent, "用恢复密钥找回", "再输入一次新密码：", QLineEdit.EchoMode.Password)
    if not ok:
        return None
    if again != password:
        QMessageBox.warning(parent, APP_TITLE, "两次输入的新密码不一致，请重来。")
        return None
    return key, user.strip(), password
