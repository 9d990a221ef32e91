"""设置 → 账号: one's own account for everyone; the administrator manages all accounts here."""

from __future__ import annotations

import secrets

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.actor import ROLE_LABELS
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.office import accounts, maintenance
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.list_model import Column, LargeListModel, setup_table_view
from ui.navigation import notice_label
from ui.recovery_key import RecoveryKeyDialog
from ui.session import Session
from ui.widgets.forms import form_buttons

# No 0/O, 1/l/I: a temporary password is read out over the phone or written on a note.
_PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password(length: int = 10) -> str:
    while True:
        password = "".join(secrets.choice(_PASSWORD_CHARS) for _ in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


class UsersSource:
    """All accounts of this PC (a few dozen at most), for the list model."""

    columns = [Column("username", "用户名", 120), Column("display_name", "姓名", 110),
               Column("role", "角色", 100), Column("status", "状态", 150), Column("locked", "锁定", 130),
               Column("last_login", "上次登录", 160)]

    def _rows(self) -> dict[str, dict]:
        rows = {}
        for user in accounts.list_users():
            status = "启用" if user.active else "已停用"
            if user.active and user.must_change_password:
                status += "（须修改密码）"
            locked = f"锁定到 {user.locked_until[11:16]}" if accounts.is_locked(user) else ""
            rows[user.username] = {"username": user.username, "display_name": user.display_name,
                                   "role": user.role_label, "status": status, "locked": locked,
                                   "last_login": user.last_login_at or "从未登录", "_pinyin": user.name_pinyin,
                                   "_active": user.active, "_locked": bool(locked), "_role": user.role}
        return rows

    def fetch_ids(self, query: str, sort_key: str, descending: bool) -> list:
        rows = self._rows()
        roles = list(ROLE_LABELS)

        def value(username: str):
            row = rows[username]
            if sort_key == "role":
                return (roles.index(row["_role"]) if row["_role"] in roles else len(roles)), row["_pinyin"]
            if sort_key == "display_name":
                return row["_pinyin"], username
            return str(row.get(sort_key) or ""), username

        return sorted(rows, key=value, reverse=descending)

    def fetch_rows(self, ids: list) -> dict:
        rows = self._rows()
        return {u: rows[u] for u in ids if u in rows}


class _FormDialog(QDialog):
    """A dialog that calls a service on its *ok_text* button and shows its errors next to the fields."""

    title = ""
    ok_text = "保存"

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.title)
        self.setMinimumWidth(440)
        self.errors = FieldErrors()
        self.form = QFormLayout()
        self.form.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.general_error = error_label()
        layout.addWidget(self.general_error)
        self.buttons = form_buttons(self, self.ok_text, self.submit)  # the same buttons as every form
        layout.addWidget(self.buttons)

    def add_field(self, key: str, caption: str, widget: QWidget, hint: str = "") -> None:
        self.form.addRow(f"{caption}：", self.errors.block(key, widget, hint))

    def submit(self) -> bool:
        self.errors.clear()
        set_error(self.general_error, None)
        try:
            self.apply()
        except ValidationError as exc:
            set_error(self.general_error, "；".join(self.errors.show(exc.errors)))
            return False
        except CivDeskError as exc:
            # "最后一个系统管理员" and the like: under the form, the dialog stays open.
            self.errors.clear()
            set_error(self.general_error, str(exc))
            return False
        self.accept()
        return True

    def apply(self) -> None:
        raise NotImplementedError


def _password_row(edit: QLineEdit) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    generate = QPushButton("随机生成")
    generate.clicked.connect(lambda: edit.setText(temporary_password()))
    row.addWidget(edit, 1)
    row.addWidget(generate)
    return box


def _role_combo(current: str = "clerk") -> QComboBox:
    combo = QComboBox()
    for role, label in ROLE_LABELS.items():
        combo.addItem(label, role)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class AddUserDialog(_FormDialog):
    title = "添加账号"
    ok_text = "添加"

    def __init__(self, session: Session, parent=None):
        super().__init__(session, parent)
        self.username_edit, self.name_edit = QLineEdit(), QLineEdit()
        self.role_combo = _role_combo()
        self.password_edit = QLineEdit(temporary_password())
        self.add_field("username", "用户名", self.username_edit, "登录时输入，可用字母、数字或汉字，如 zhangsan")
        self.add_field("display_name", "姓名", self.name_edit)
        self.add_field("role", "角色", self.role_combo)
        self.add_field("password", "临时密码", _password_row(self.password_edit),
                       "请把临时密码告诉本人；第一次登录时必须改成自己的密码。")

    def apply(self) -> None:
        self.user = accounts.add_user(self.session.actor, self.username_edit.text(), self.name_edit.text(),
                                      self.role_combo.currentData(), self.password_edit.text(), must_change=True)


class EditUserDialog(_FormDialog):
    title = "修改账号"

    def __init__(self, session: Session, username: str, display_name: str, role: str, parent=None):
        super().__init__(session, parent)
        self.username = username
        self.add_field("username", "用户名", QLabel(username))
        self.name_edit = QLineEdit(display_name)
        self.role_combo = _role_combo(role)
        self.add_field("display_name", "姓名", self.name_edit)
        self.add_field("role", "角色", self.role_combo)

    def apply(self) -> None:
        accounts.update_user(self.session.actor, self.username, display_name=self.name_edit.text(),
                             role=self.role_combo.currentData())


class ResetPasswordDialog(_FormDialog):
    title = "重置密码"
    ok_text = "重置密码"

    def __init__(self, session: Session, username: str, display_name: str, parent=None):
        super().__init__(session, parent)
        self.username = username
        self.password_edit = QLineEdit(temporary_password())
        self.add_field("user", "账号", QLabel(f"{display_name}（{username}）"))
        self.add_field("password", "临时密码", _password_row(self.password_edit),
                       "请把临时密码告诉本人；下次登录时必须改成自己的密码。锁定也会一并解除。")

    def apply(self) -> None:
        accounts.reset_password(self.session.actor, self.username, self.password_edit.text())


class AccountsTab(QWidget):
    def __init__(self, session: Session, host, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        actor = session.actor
        self.manage = actor.can("manage_users") and not session.read_only
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(14)

        mine = QGroupBox("我的账号")
        mine_layout = QHBoxLayout(mine)
        mine_layout.addWidget(QLabel(f"{actor.display_name}（用户名 {actor.username}，{actor.role_label}）"), 1)
        self.password_button = QPushButton("修改密码…")
        self.password_button.setEnabled(not session.read_only)
        self.password_button.setVisible(not session.read_only)
        self.password_button.clicked.connect(host.change_password)
        mine_layout.addWidget(self.password_button)
        layout.addWidget(mine)

        self.model: LargeListModel | None = None
        self.view: QTableView | None = None
        if not actor.can("manage_users"):
            layout.addWidget(hint_label("其他账号由系统管理员管理。忘记密码时，请系统管理员为您重置。"))
            layout.addStretch(1)
            return
        box = QGroupBox("全部账号")
        box_layout = QVBoxLayout(box)
        self.model = LargeListModel(UsersSource(), self, sort_key="role")
        self.view = QTableView()
        setup_table_view(self.view, self.model)
        self.view.doubleClicked.connect(lambda _index: self.edit_user())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        box_layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("add", "添加账号…", self.add_user), ("edit", "修改…", self.edit_user),
                                ("toggle", "停用", self.toggle_active), ("reset", "重置密码…", self.reset_password),
                                ("unlock", "解锁", self.unlock)):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        self.recovery_button = QPushButton("生成新的恢复密钥…")
        self.recovery_button.setToolTip("恢复密钥丢失或可能被别人看到时：生成新的，旧的立即作废")
        self.recovery_button.clicked.connect(lambda _checked=False: self.renew_recovery_key())
        buttons.addWidget(self.recovery_button)
        button_row = QWidget()
        button_row.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        button_row.setVisible(self.manage)  # read-only: nothing here could work, so nothing is offered
        box_layout.addWidget(button_row)
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #2e7d32;")
        box_layout.addWidget(self.status_label)
        if session.read_only:
            box_layout.addWidget(notice_label("数据库以只读方式打开，不能修改账号。"))
        layout.addWidget(box, 1)
        self._update_buttons()

    # -- helpers -------------------------------------------------------------------

    def refresh(self) -> None:
        if self.model is not None:
            self.model.refresh()
            self._update_buttons()

    def selected(self) -> dict | None:
        if self.view is None:
            return None
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        username = self.model.id_at(rows[0].row())
        return self.model.source.fetch_rows([username]).get(username)

    def select(self, username: str) -> None:
        row = self.model.row_of(username)
        if row >= 0:
            self.view.selectRow(row)

    def _update_buttons(self) -> None:
        user = self.selected()
        self.buttons["add"].setEnabled(self.manage)
        for key in ("edit", "toggle", "reset", "unlock"):
            self.buttons[key].setEnabled(self.manage and user is not None)
        self.buttons["toggle"].setText("启用" if user is not None and not user["_active"] else "停用")
        self.buttons["unlock"].setEnabled(self.manage and user is not None and user["_locked"])

    def _done(self, message: str, username: str | None = None) -> None:
        self.refresh()
        if username:
            self.select(username)
        self.status_label.setText(message)

    # -- actions -------------------------------------------------------------------

    def add_user_dialog(self) -> AddUserDialog:
        dialog = AddUserDialog(self.session, self)
        dialog.accepted.connect(lambda: self._done(
            f"已添加账号「{dialog.user.display_name}」。请把临时密码告诉本人。", dialog.user.username))
        return dialog

    def add_user(self) -> None:
        self.add_user_dialog().open()

    def edit_user(self) -> None:
        user = self.selected()
        if user is None or not self.manage:
            return
        dialog = EditUserDialog(self.session, user["username"], user["display_name"], user["_role"], self)
        dialog.accepted.connect(lambda: self._done(f"已修改账号「{user['username']}」。", user["username"]))
        dialog.open()

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = ResetPasswordDialog(self.session, user["username"], user["display_name"], self)
        dialog.accepted.connect(lambda: self._done(
            f"已为「{user['display_name']}」设置临时密码，下次登录时须修改。", user["username"]))
        dialog.open()

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        enable = not user["_active"]
        if not enable:
            answer = QMessageBox.question(self, "停用账号", f"停用后「{user['display_name']}」将不能登录。"
                                          "以后可以重新启用。确定停用吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._call(lambda: accounts.update_user(self.session.actor, user["username"], active=enable),
                   f"已{'启用' if enable else '停用'}账号「{user['display_name']}」。", user["username"])

    def unlock(self) -> None:
        user = self.selected()
        if user is not None:
            self._call(lambda: accounts.unlock(self.session.actor, user["username"]),
                       f"已解除「{user['display_name']}」的锁定。", user["username"])

    def renew_recovery_key(self, *, confirm: bool = True) -> str | None:
        """A new recovery key (the old one stops working), shown once in the recovery-key dialog."""
        if confirm and QMessageBox.question(
                self, "生成新的恢复密钥", "生成新的恢复密钥后，原来打印或抄写的恢复密钥立即作废，不能再用来找回密码。"
                "新密钥只显示一次，请准备好打印或抄写。确定生成吗？") != QMessageBox.StandardButton.Yes:
            return None
        try:
            text = maintenance.renew_recovery_key(self.session.actor)
        except CivDeskError as exc:
            QMessageBox.warning(self, "生成新的恢复密钥", str(exc))
            return None
        self.status_label.setText("已生成新的恢复密钥，旧的恢复密钥已作废（已记入审计日志）。")
        self.recovery_dialog = RecoveryKeyDialog(text, self)
        self.recovery_dialog.open()
        return text

    def _call(self, fn, message: str, username: str) -> bool:
        try:
            fn()
        except CivDeskError as exc:
            QMessageBox.warning(self, "账号管理", str(exc))
            return False
        self._done(message, username)
        return True
