"""Every dialog, opened on whatever database is open, for the gallery and the fit test.

``DIALOGS`` lists (name, title, factory); a factory takes the main window and returns the dialog,
not yet shown, or None when the database holds nothing it could show (an empty database has no
申报 to open). Each domain keeps its factories in its own ``ui/<domain>/screens.py`` (``SCREENS``);
this module adds the program's own dialogs (login, sync, backups, progress) and gathers them all.
tests/ui/test_fit.py fails when a dialog class of ui/ is created by no entry here. Pages need no
list here: they are ``ui.navigation.PAGES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QWidget

from civdesk.core.errors import UntrustedSigner
from civdesk.office import offices as office
from ui.activities import screens as activities
from ui.hotline import screens as hotline
from ui.nominations import screens as nominations
from ui.notices import screens as notices
from ui.office import screens as office_screens
from ui.supervision import screens as supervision
from ui.units import screens as units
from ui.volunteers import screens as volunteers

Factory = Callable[[QWidget], QWidget | None]


@dataclass(frozen=True)
class Screen:
    name: str  # the file name of its picture
    title: str
    factory: Factory


class _SamplePackage:
    """What the preview needs of an ``Incoming``: a package of a village PC's week of work."""

    peer_known, trust_new = True, False
    opened = SimpleNamespace(path=Path("CivDesk-桂花村-桂花村电脑-发给-清溪镇-20261204-1630.civsync"))
    LABELS = {"volunteer": "志愿者", "service_record": "服务时长", "team": "志愿队伍", "activity": "志愿活动",
              "team_member": "队伍成员", "participant": "活动参与者", "unit_application": "创建申报",
              "unit_score": "测评打分", "attachment": "申报附件", "organisation": "创建单位",
              "title": "文明称号", "nomination": "好人推荐", "nominee": "被推荐人", "notice": "公示",
              "objection": "异议", "audit": "审计记录"}

    def table_label(self, table: str) -> str:
        return self.LABELS.get(table, table)

    def report(self) -> dict:
        tables = list(self.LABELS)
        return {"source": {"office_name": "桂花村", "node_name": "桂花村电脑",
                           "fingerprint": "4F2A 9C1E 77B0 D35A 0E61 8B2C"},
                "created_at": "2026-12-04 16:30", "new": {t: 3 * i + 1 for i, t in enumerate(tables)},
                "updated": {t: i for i, t in enumerate(tables)}, "unchanged": {t: 2 for t in tables},
                "conflicts": {"volunteer": 1}, "pending": {}, "skipped_other_scope": 0, "notes": []}


def sync_preview(window):
    from ui.sync.dialogs import PreviewDialog

    return PreviewDialog(_SamplePackage(), parent=window)


def trust(window):
    from ui.sync.dialogs import TrustDialog

    exc = UntrustedSigner("未信任", node_id="0" * 32, node_name="桂花村电脑", office_name="桂花村",
                          fingerprint="4F2A 9C1E 77B0 D35A 0E61 8B2C")
    return TrustDialog(exc, True, window)


def restore(window):
    from ui.restore_dialog import RestoreDialog

    return RestoreDialog(window.session.db_path, "数据库第 1,204 页损坏（示例）", opened=True, parent=window)


def about(window):
    return window.about_dialog()


def setup_wizard(window):
    from ui.setup_wizard import SetupWizard

    return SetupWizard(Path(window.session.db_path).with_name("gallery-new.sqlite3"), window)


def login(window):
    from ui.login_dialog import LoginDialog

    own = office.own_office_or_none()
    return LoginDialog(own.name if own else "", office.node_name(), demo_credentials=("admin", "demo1234"),
                       parent=window)


def encrypted_login(window):
    """The login of an encrypted database before it is opened: the file name stands in for the
    office, and 「用恢复密钥找回」 is offered."""
    from civdesk import APP_TITLE
    from ui.login_dialog import LoginDialog

    return LoginDialog(APP_TITLE, "", parent=window, login=lambda *_: None, recover=lambda *_: None,
                       locked_file=Path(window.session.db_path).name)


def recovery(window):
    return encrypted_login(window).recovery_dialog()


def recovery_key(window):
    from ui.recovery_key import RecoveryKeyDialog

    return RecoveryKeyDialog("JJ72 74R7 RNY7 74YS X30R 0FZN Q4F3 VC60 5MXX", window)


def change_password(window):
    from ui.password_dialog import ChangePasswordDialog

    return ChangePasswordDialog(window.session.actor, parent=window)


def progress(window):
    """run_task's progress window, part way through a long import."""
    from ui.tasks import _ProgressDialog

    dialog = _ProgressDialog("导入花名册", True, window)
    dialog.setRange(0, 20000)
    dialog.setValue(8000)
    dialog.setLabelText("正在导入第 8,000 行，共 20,000 行……")
    return dialog


def _domain(module, rename: tuple[str, str] | None = None) -> list[Screen]:
    """The ``SCREENS`` of a domain's screens module; *rename* prefixes names that would clash."""
    return [Screen(name.replace(*rename, 1) if rename else name, title, factory)
            for name, title, factory in module.SCREENS]


DIALOGS: list[Screen] = [
    *_domain(units),
    *_domain(nominations),
    *_domain(volunteers),
    *_domain(notices),
    Screen("dialog-sync-preview", "导入前预览", sync_preview),
    Screen("dialog-trust", "信任新电脑", trust),
    Screen("dialog-restore", "从备份恢复", restore),
    Screen("dialog-about", "关于", about),
    Screen("dialog-setup-wizard", "初始设置", setup_wizard),
    Screen("dialog-login", "登录", login),
    Screen("dialog-login-encrypted", "登录（加密的数据库）", encrypted_login),
    Screen("dialog-recovery", "用恢复密钥找回", recovery),
    Screen("dialog-recovery-key", "恢复密钥", recovery_key),
    Screen("dialog-password", "修改密码", change_password),
    Screen("dialog-progress", "正在处理（进度）", progress),
    *_domain(office_screens),
    *_domain(supervision),
    *_domain(hotline),
    *_domain(activities, ("dialog-", "dialog-activities-")),
]
