"""设置 → 同步口令: change this PC's sync passphrase (administrators; the key is derived off the
GUI thread, it takes a few hundred milliseconds)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from civdesk.core.validation import ValidationError
from civdesk.sync import passphrase
from ui.field_errors import FieldErrors, error_label, set_error
from ui.session import Session
from ui.tasks import run_task

EXPLANATION = (
    "本乡镇（街道）所有电脑用同一个同步口令加密 U 盘数据包。怀疑口令泄露时，在每台电脑上改成同一个新口令："
    "先改的电脑导出的数据包，还没改的电脑打不开，会提示口令不对；已改的电脑仍能导入用旧口令加密的数据包。"
    "新口令至少 10 位，不能是常见的口令，也不能与管理员密码相同。请把新口令记录下来，与恢复密钥一样妥善保管。")


def _change_work(ctx, actor, old: str, new: str):
    try:
        passphrase.change(actor, old, new)
    except ValidationError as exc:
        return exc.errors
    return None


class SyncPassphraseTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        box = QGroupBox("修改同步口令")
        box.setMaximumWidth(820)
        inner = QVBoxLayout(box)
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        inner.addWidget(intro)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.old, self.new, self.new2 = (self._edit() for _ in range(3))
        form.addRow("原同步口令：", self.errors.block("old", self.old))
        form.addRow("新同步口令：", self.errors.block("new", self.new))
        form.addRow("再输一次新口令：", self.errors.block("new2", self.new2))
        inner.addLayout(form)
        self.error = error_label()
        inner.addWidget(self.error)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        inner.addWidget(self.done_label)
        self.button = QPushButton("修改同步口令")
        self.button.setProperty("primary", True)
        self.button.clicked.connect(self.submit)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(box)
        layout.addStretch(1)
        allowed = session.actor.can("change_sync_passphrase") and not session.read_only
        for widget in (self.old, self.new, self.new2, self.button):
            widget.setEnabled(allowed)
        if not allowed:
            self.done_label.setText("只有系统管理员可以修改同步口令。" if not session.read_only
                                    else "数据库以只读方式打开，不能修改同步口令。")

    @staticmethod
    def _edit() -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(128)
        edit.setMinimumWidth(260)
        return edit

    def submit(self):
        set_error(self.error, None)
        self.done_label.clear()
        errors = {}
        if not self.old.text():
            errors["old"] = "请输入原同步口令"
        if not self.new.text():
            errors["new"] = "请输入新同步口令"
        elif self.new2.text() != self.new.text():
            errors["new2"] = "两次输入的新口令不一致"
        if errors:
            self.errors.show(errors)
            return None
        self.button.setEnabled(False)
        return run_task(self, "正在修改同步口令", _change_work, self.session.actor, self.old.text(), self.new.text(),
                        on_done=self._done, on_error=self._failed, cancellable=False)

    def _done(self, errors) -> None:
        self.button.setEnabled(True)
        if errors:
            self.errors.show(errors)
            return
        for edit in (self.old, self.new, self.new2):
            edit.clear()
        self.done_label.setText("同步口令已修改（已记入审计日志）。请在本单位其他每台电脑上改成同一个新口令。")

    def _failed(self, message: str) -> None:
        self.button.setEnabled(True)
        set_error(self.error, message)
