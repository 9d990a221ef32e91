"""First-run wizard: this office, its first administrator and the sync passphrase.

Its last step (creating the office, the database's key slots and the administrator: scrypt, a
second or more) runs in the background through ``run_task``: the page says what it is doing, the
buttons wait, and a second 完成 starts nothing."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from civdesk import APP_TITLE
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.office import setup
from ui.field_errors import FieldErrors, error_label, hint_label, set_error
from ui.navigation import GROUPS, PAGES
from ui.tasks import TaskHandle, run_task
from ui.widgets.waiting import WaitsForAnswer, show_waiting

PAGE_WELCOME, PAGE_OFFICE, PAGE_ADMIN, PAGE_PASSPHRASE, PAGE_FINISH = range(5)
CREATING_TEXT = "正在创建数据库、密钥和管理员账号，请稍候…"


def _setup_job(ctx, initialize: Callable, request: setup.SetupRequest) -> tuple[str, object]:
    """On the worker thread: ("ok", (actor, recovery)), ("invalid", {field: message}) or
    ("refused", message)."""
    try:
        return "ok", initialize(request)
    except ValidationError as exc:
        return "invalid", exc.errors
    except CivDeskError as exc:
        return "refused", str(exc)


def _title(text: str) -> str:
    # The wizard's header title is plain bold at body size; a little larger reads as a heading.
    return f"<span style='font-size:13pt; font-weight:bold; color:#8b1e16'>{text}</span>"


def _text_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _line_edit(placeholder: str = "", password: bool = False, max_length: int = 60) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setVerticalSpacing(12)
    form.setHorizontalSpacing(12)
    return form


class _Page(QWizardPage):
    """A page whose Next button checks its own fields and shows messages under them."""

    fields: tuple[str, ...] = ()

    def __init__(self, title: str, subtitle: str = ""):
        super().__init__()
        self.setTitle(_title(title))
        if subtitle:
            self.setSubTitle(subtitle)
        self.errors = FieldErrors()

    def local_errors(self) -> dict[str, str]:
        return {}

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        wizard: SetupWizard = self.wizard()
        found = {k: v for k, v in setup.validate(wizard.request()).items() if k in self.fields}
        for key, message in self.local_errors().items():
            found.setdefault(key, message)
        self.errors.show(found)
        if found:
            first = next(iter(found))
            editor = getattr(self, first, None)
            if isinstance(editor, QWidget):
                editor.setFocus()
        return not found


def modules_text() -> str:
    """What this CivDesk has: the groups of the navigation and their pages (PAGES), so the
    welcome never promises a module that is not there yet."""
    parts, seen = [], set()
    for spec in PAGES:
        if spec.group in ("", "system") or spec.group in seen:
            continue
        seen.add(spec.group)
        titles = [other.title for other in PAGES if other.group == spec.group]
        heading = GROUPS.get(spec.group, (spec.group,))[0]
        parts.append(f"{heading}（{'、'.join(titles)}）" if len(titles) > 1 else titles[0])
    return "；".join(parts)


class WelcomePage(QWizardPage):
    def __init__(self, db_path: Path):
        super().__init__()
        self.setTitle(_title(f"欢迎使用{APP_TITLE}"))
        self.setSubTitle("第一次使用，需要花两三分钟完成初始设置。")
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(_text_label(
            f"{APP_TITLE}（CivDesk）帮助乡镇（街道）文明办和村（社区）办理精神文明创建的日常工作："
            f"{modules_text()}。"))
        layout.addWidget(_text_label(
            "程序不需要联网。各村（社区）与乡镇之间用 U 盘传递数据包。"))
        layout.addWidget(_text_label("<b>数据将保存在这个文件中：</b>"))
        self.path_label = QLabel(str(db_path))
        self.path_label.setWordWrap(True)
        self.path_label.setProperty("role", "path")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.path_label)
        layout.addWidget(hint_label("每天第一次打开程序时会在同一文件夹的 backups 子文件夹中自动备份。"))
        layout.addStretch(1)
        layout.addWidget(_text_label("接下来请填写本单位信息、管理员账号和同步口令。点击“下一步”开始。"))


class OfficePage(_Page):
    fields = ("office_name", "kind", "township_name", "node_name")

    def __init__(self):
        super().__init__("本单位", "填写使用这台电脑的单位。")
        form = _form()
        kinds = QWidget()
        row = QHBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        self.kind_township = QRadioButton("乡镇 / 街道（文明办）")
        self.kind_village = QRadioButton("村 / 社区")
        self.kind_township.setChecked(True)
        self.kind_group = QButtonGroup(self)
        for button in (self.kind_township, self.kind_village):
            self.kind_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        form.addRow("单位类型：", self.errors.block("kind", kinds))

        self.office_name = _line_edit("例如：桂花镇")
        self.office_name_label = QLabel()
        form.addRow(self.office_name_label, self.errors.block("office_name", self.office_name))

        self.township_name = _line_edit("例如：桂花镇")
        self.township_block = self.errors.block(
            "township_name", self.township_name, "本村（社区）所属的乡镇或街道，须与乡镇电脑上填写的名称一致。")
        form.addRow("所属乡镇（街道）：", self.township_block)

        self.node_name = _line_edit("例如：桂花村村委电脑")
        self.node_name.setText(socket.gethostname())
        form.addRow("本机名称：", self.errors.block(
            "node_name", self.node_name, "别的电脑导入本机的数据包时会看到这个名称，例如“桂花村村委电脑”。"))
        self.form = form
        self.setLayout(form)
        self.kind_village.toggled.connect(self._kind_changed)
        self._kind_changed()

    @property
    def kind(self) -> str:
        return "village" if self.kind_village.isChecked() else "township"

    def _kind_changed(self) -> None:
        village = self.kind == "village"
        self.office_name_label.setText("村（社区）名称：" if village else "乡镇（街道）名称：")
        self.office_name.setPlaceholderText("例如：桂花村" if village else "例如：桂花镇")
        self.form.setRowVisible(self.township_block, village)
        self.errors.clear("township_name")


class AdminPage(_Page):
    fields = ("admin_username", "admin_display_name", "admin_password", "admin_password2")

    def __init__(self):
        super().__init__("管理员账号", "系统管理员负责设置本单位信息、账号和各项参数。")
        form = _form()
        self.admin_username = _line_edit("例如：admin 或 张三", max_length=32)
        form.addRow("用户名：", self.errors.block("admin_username", self.admin_username,
                                              "登录时输入，2–32 个字母、数字或汉字。"))
        self.admin_display_name = _line_edit("例如：张三")
        form.addRow("姓名：", self.errors.block("admin_display_name", self.admin_display_name,
                                             "显示在操作记录中；不填则使用用户名。"))
        self.admin_password = _line_edit(password=True, max_length=128)
        form.addRow("密码：", self.errors.block("admin_password", self.admin_password))
        self.admin_password2 = _line_edit(password=True, max_length=128)
        form.addRow("再输一次密码：", self.errors.block("admin_password2", self.admin_password2))
        self.setLayout(form)

    def local_errors(self) -> dict[str, str]:
        if self.admin_password.text() and self.admin_password2.text() != self.admin_password.text():
            return {"admin_password2": "两次输入的密码不一致"}
        return {}


class PassphrasePage(_Page):
    fields = ("sync_passphrase", "sync_passphrase2")

    def __init__(self):
        super().__init__("同步口令", "U 盘数据包用这个口令加密，别人拿到 U 盘也看不到内容。")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(_text_label(
            "<b>本乡镇（街道）的所有电脑——文明办和各村（社区）——必须使用同一个同步口令</b>，"
            "否则相互之间无法导入数据包。请向文明办确认口令。"))
        layout.addWidget(_text_label(
            f"口令至少 {setup.MIN_PASSPHRASE} 位，不能是 1234567890 这类常见口令，也不能与管理员密码相同。"
            "<span style='color:#c0392b'>口令忘记后无法找回</span>，请抄写下来妥善保管。"))
        form = _form()
        self.sync_passphrase = _line_edit(password=True, max_length=128)
        form.addRow("同步口令：", self.errors.block("sync_passphrase", self.sync_passphrase))
        self.sync_passphrase2 = _line_edit(password=True, max_length=128)
        form.addRow("再输一次口令：", self.errors.block("sync_passphrase2", self.sync_passphrase2))
        self.show_text = QCheckBox("显示口令")
        self.show_text.toggled.connect(self._toggle_echo)
        form.addRow("", self.show_text)
        layout.addLayout(form)
        layout.addStretch(1)

    def _toggle_echo(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.sync_passphrase.setEchoMode(mode)
        self.sync_passphrase2.setEchoMode(mode)

    def local_errors(self) -> dict[str, str]:
        if self.sync_passphrase.text() and self.sync_passphrase2.text() != self.sync_passphrase.text():
            return {"sync_passphrase2": "两次输入的口令不一致"}
        return {}


class FinishPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle(_title("完成"))
        self.setSubTitle("请核对以下信息，点击“完成”后开始使用。")
        layout = QVBoxLayout(self)
        self.summary = _text_label("")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.error = error_label()
        layout.addWidget(self.error)
        self.status = hint_label(CREATING_TEXT)
        self.status.hide()
        layout.addWidget(self.status)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        request = self.wizard().request()
        village = request.kind == "village"
        rows = [("单位类型", "村 / 社区" if village else "乡镇 / 街道"),
                ("单位名称", request.office_name.strip())]
        if village:
            rows.append(("所属乡镇（街道）", request.township_name.strip()))
        rows += [("本机名称", request.node_name.strip()),
                 ("管理员用户名", request.admin_username.strip()),
                 ("管理员姓名", request.admin_display_name.strip() or request.admin_username.strip()),
                 ("同步口令", "已设置（请记下，忘记后无法找回）")]
        cells = "".join(f"<tr><td style='color:#555; padding:4px 16px 4px 0'>{k}</td>"
                        f"<td style='padding:4px 0'><b>{v}</b></td></tr>" for k, v in rows)
        self.summary.setText(f"<table>{cells}</table>")
        set_error(self.error, None)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        return self.wizard().commit()


class SetupWizard(WaitsForAnswer, QWizard):
    """``exec()`` it; on acceptance ``actor`` is the new administrator, already signed in.

    *initialize* (tests) replaces ``setup.initialize_with_recovery(request)``."""

    def __init__(self, db_path, parent: QWidget | None = None, initialize: Callable | None = None):
        super().__init__(parent)
        self.actor: Actor | None = None
        self.task: TaskHandle | None = None  # the creation under way
        self._created = False
        self._initialize = initialize or setup.initialize_with_recovery
        self.setWindowTitle(f"{APP_TITLE} — 初始设置")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        icon = QGuiApplication.windowIcon()
        if not icon.isNull():
            self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icon.pixmap(48, 48))
        self.welcome_page = WelcomePage(Path(db_path))
        self.office_page = OfficePage()
        self.admin_page = AdminPage()
        self.passphrase_page = PassphrasePage()
        self.finish_page = FinishPage()
        for page_id, page in enumerate((self.welcome_page, self.office_page, self.admin_page,
                                        self.passphrase_page, self.finish_page)):
            self.setPage(page_id, page)
        self.setMinimumSize(680, 560)

    def request(self) -> setup.SetupRequest:
        office, admin, phrase = self.office_page, self.admin_page, self.passphrase_page
        return setup.SetupRequest(
            office_name=office.office_name.text(), kind=office.kind, node_name=office.node_name.text(),
            township_name=office.township_name.text() if office.kind == "village" else "",
            admin_username=admin.admin_username.text(), admin_display_name=admin.admin_display_name.text(),
            admin_password=admin.admin_password.text(), sync_passphrase=phrase.sync_passphrase.text())

    @property
    def creating(self) -> bool:
        return self.waiting()

    def commit(self) -> bool:
        """True once the office is created (完成 then closes the wizard). Otherwise start creating
        it in the background and return False; when it is created, 完成 is clicked again for the
        user. On failure the message stays on the page."""
        if self._created:
            return True
        if self.creating:
            return False
        set_error(self.finish_page.error, None)
        self._show_creating(True)
        self.task = run_task(self, "初始设置", _setup_job, self._initialize, self.request(), show_progress=False,
                             cancellable=False, on_done=self._done,
                             on_error=lambda message: self._done(("refused", message)))
        return False

    wait_for_setup = WaitsForAnswer.wait_for_answer

    def _show_creating(self, on: bool) -> None:
        buttons = (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)
        show_waiting(self, [self.button(which) for which in buttons], self.finish_page.status, on)

    def _done(self, outcome: tuple[str, object]) -> None:
        self.task = None
        self._show_creating(False)
        kind, value = outcome
        if kind == "invalid":
            set_error(self.finish_page.error, "还有信息需要修改：" + "；".join(value.values()) + "。请点“上一步”返回修改。")
            return
        if kind == "refused":
            set_error(self.finish_page.error, str(value))
            return
        self.actor, recovery = value
        self._created = True
        if recovery:
            from ui.recovery_key import show_recovery_key

            show_recovery_key(recovery, self)
        self.button(QWizard.WizardButton.FinishButton).click()
