"""Start-up of the GUI: the Qt application, then database, lock, checks, setup, login, main window.

Each step is a small function so tests can drive them one by one; ``run`` strings them
together. Every step that can fail shows the user a Chinese message and says what to do next.
"""

from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QRect, QSettings, Qt, QTranslator
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from civdesk import APP_NAME, APP_TITLE, __version__
from civdesk.core import opened_files, paths, writer_lock
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError, DatabaseBusy, DatabaseDamaged
from civdesk.core.writer_lock import WriterLock
from civdesk.office import accounts, maintenance, setup
from civdesk.office import offices as office_service
from ui import main_thread_gc, refcount_guard
from ui.login_dialog import LoginDialog
from ui.session import Session

# The dialogs of rarer paths (first-run wizard, restore, forced password change, recovery key) are
# imported where they are shown: every start would pay for them otherwise (issue 17).

log = logging.getLogger(__name__)

FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
                 "Noto Sans CJK SC", "Source Han Sans SC", "SimHei"]
MIN_POINT_SIZE = 10.5
GEOMETRY_KEY = "main_window/geometry"
BUSY_READ_ONLY_REASON = "另一个 CivDesk 窗口正在使用这个数据库，本窗口只能查看，不能修改。"
DAMAGED_READ_ONLY_REASON = "数据库检查发现问题，现以只读方式打开，只能查看，不能修改。请尽快从备份恢复。"

_translators: list[QTranslator] = []  # a QTranslator must outlive its installation


@dataclass
class Startup:
    """What the start-up steps learn, handed from one step to the next."""

    db_path: Path
    demo_credentials: tuple[str, str] | None = None
    temp_dir: Path | None = None
    lock: WriterLock | None = None
    read_only: bool = False
    read_only_reason: str = ""
    window: QWidget | None = None
    keep: list = field(default_factory=list)

    @property
    def demo(self) -> bool:
        return self.demo_credentials is not None


# --- the Qt application ---------------------------------------------------------------------


def create_application(argv: list[str] | None = None) -> QApplication:
    refcount_guard.protect_singletons()
    app = QApplication.instance() or QApplication(argv or [APP_NAME])
    configure_application(app)
    main_thread_gc.install(app)
    return app


def configure_application(app: QApplication) -> None:
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    QApplication.setStyle("Fusion")
    app.setFont(default_font(app.font()))
    app.setWindowIcon(app_icon())
    install_translations(app)
    load_stylesheet(app)


def default_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setFamilies(FONT_FAMILIES + [base.family()])
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    return font


def app_icon() -> QIcon:
    """A red seal with 文: drawn here, so the program needs no icon file to look finished."""
    icon_file = paths.RESOURCES / "icons" / "civdesk.png"
    if icon_file.is_file():
        return QIcon(str(icon_file))
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#c8372d"))
        radius = size * 0.18
        painter.drawRoundedRect(0, 0, size, size, radius, radius)
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setBold(True)
        font.setPixelSize(int(size * 0.68))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "文")
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def install_translations(app: QApplication) -> bool:
    """Qt's own Chinese texts, so standard buttons read 确定 / 取消 and context menus 复制 / 粘贴."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = False
    for name in ("qtbase_zh_CN",):
        translator = QTranslator(app)
        if translator.load(name, folder) or translator.load(name, str(paths.RESOURCES / "translations")):
            app.installTranslator(translator)
            _translators.append(translator)
            loaded = True
        else:
            log.warning("没有找到 Qt 中文翻译 %s（在 %s）", name, folder)
    return loaded


def load_stylesheet(app: QApplication) -> bool:
    qss = paths.RESOURCES / "style.qss"
    if not qss.is_file():
        return False
    app.setStyleSheet(qss.read_text(encoding="utf-8"))
    return True


# --- the database ---------------------------------------------------------------------------


def _create_demo(ctx, path: Path):
    from civdesk.demo import cache

    try:
        return cache.create(path, progress=ctx.progress)
    finally:
        maintenance.close_database()  # this worker thread's own connection


def prepare_demo() -> Startup | None:
    """A throwaway database in a new temporary folder: today's cached demo copied (fast), or the
    sample data built once in the background and cached. Leftover folders of killed runs go first."""
    from civdesk.demo import DEMO_PASSWORD, cache
    from ui.tasks import run_task

    cache.clean_leftovers()
    temp_dir, in_use = cache.new_run_folder()
    path = temp_dir / paths.DB_FILENAME
    outcome: dict = {}
    if cache.copy_cached(path):
        outcome["credentials"] = ("admin", DEMO_PASSWORD)
    else:
        handle = run_task(None, "生成演示数据（每天第一次较慢，之后直接复制）", _create_demo, path, cancellable=False,
                          on_done=lambda r: outcome.setdefault("credentials", r),
                          on_error=lambda m: outcome.setdefault("error", m))
        handle.wait(timeout_ms=30 * 60 * 1000)
    if "credentials" not in outcome:
        QMessageBox.critical(None, APP_TITLE, outcome.get("error", "生成演示数据失败。"))
        in_use.release()
        shutil.rmtree(temp_dir, ignore_errors=True)
        return None
    username, password = outcome["credentials"]
    return Startup(db_path=path, demo_credentials=(username, password), temp_dir=temp_dir, keep=[in_use])


def resolve_startup(args) -> Startup | None:
    if getattr(args, "demo", False):
        return prepare_demo()
    path = Path(args.db).expanduser() if getattr(args, "db", None) else paths.default_db_path()
    return Startup(db_path=path.resolve())


def remove_stale_locks() -> threading.Thread:
    """The lock files of CivDesk processes that died (before, one per database file ever opened
    stayed in the cache folder): removed in the background, never one a live process holds."""
    thread = threading.Thread(target=writer_lock.remove_stale, name="CivDesk stale locks", daemon=True)
    thread.start()
    return thread


def acquire_lock(startup: Startup, parent: QWidget | None = None) -> bool:
    """Take the writer lock; if another CivDesk holds it, offer read-only. False means quit."""
    try:
        startup.lock = WriterLock(startup.db_path).acquire()
        return True
    except DatabaseBusy as exc:
        if not startup.db_path.exists() or not ask_open_read_only(str(exc), parent):
            return False
    except OSError as exc:
        QMessageBox.critical(parent, APP_TITLE, f"无法使用数据库所在的文件夹：{exc}")
        return False
    startup.read_only, startup.read_only_reason = True, BUSY_READ_ONLY_REASON
    return True


def ask_open_read_only(message: str, parent: QWidget | None = None) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message, parent=parent)
    box.setInformativeText("也可以以只读方式打开：能查看和打印，不能修改。")
    read_only = box.addButton("以只读方式打开", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(read_only)
    box.exec()
    return box.clickedButton() is read_only


def _go_read_only(startup: Startup, reason: str) -> None:
    maintenance.reopen_read_only(startup.db_path)
    release_lock(startup)  # a read-only window must not keep others from writing
    startup.read_only, startup.read_only_reason = True, reason


def open_checked(startup: Startup, parent: QWidget | None = None) -> bool:
    """Open the database; a damaged one leads to the restore dialog. False means quit."""
    try:
        state = maintenance.open_database(startup.db_path, read_only=startup.read_only)
    except DatabaseDamaged as exc:
        if startup.read_only:
            QMessageBox.critical(parent, APP_TITLE, f"{exc}\n\n只读方式下不能修复，请关闭另一个 CivDesk 窗口后重新打开。")
            return False
        from ui.restore_dialog import RESTORED, RestoreDialog

        dialog = RestoreDialog(startup.db_path, str(exc), opened=False, parent=parent)
        dialog.exec()
        return dialog.choice == RESTORED
    except (CivDeskError, OSError) as exc:
        QMessageBox.critical(parent, APP_TITLE, f"无法打开数据库：{exc}")
        return False
    return check_opened(startup, state, parent)


def check_opened(startup: Startup, state=None, parent: QWidget | None = None) -> bool:
    """The integrity check of the open database (once a day); a damaged one leads to the restore dialog."""
    problems = daily_check(startup)
    if problems:
        if startup.read_only:
            QMessageBox.warning(parent, APP_TITLE, "数据库检查发现问题：\n" + "\n".join(problems[:5]))
            return True
        from ui.restore_dialog import READ_ONLY, RESTORED, RestoreDialog

        dialog = RestoreDialog(startup.db_path, "；".join(problems[:5]), opened=True, parent=parent)
        dialog.exec()
        if dialog.choice == READ_ONLY:
            _go_read_only(startup, DAMAGED_READ_ONLY_REASON)
            return True
        return dialog.choice == RESTORED
    state = state or maintenance.opened()
    if state.read_only and not startup.read_only:
        # Written by a newer CivDesk: said once here, and shown in the main window afterwards.
        startup.read_only, startup.read_only_reason = True, state.read_only_reason
        QMessageBox.information(parent, APP_TITLE, state.read_only_reason)
    return True


def _in_background(title: str, fn, *args) -> dict:
    """Run *fn* as a job (its own connection, a progress window) and wait: nothing slow on the
    GUI thread. Returns {"result": …} or {"error": message}."""
    from ui.tasks import run_task

    outcome: dict = {}
    handle = run_task(None, title, fn, *args, cancellable=False, on_done=lambda r: outcome.setdefault("result", r),
                      on_error=lambda m: outcome.setdefault("error", m))
    handle.wait(timeout_ms=24 * 60 * 60 * 1000)
    return outcome


def _integrity_job(ctx) -> list[str]:
    return maintenance.integrity_problems()


def daily_check(startup: Startup) -> list[str]:
    """SQLite's whole-file integrity check, on the day's first start (before its daily backup):
    it reads every page, a minute on a large office, so not at every start. A demo database is
    a copy made a moment ago of a file this program built: nothing to check."""
    if startup.demo or maintenance.checked_today():
        return []
    outcome = _in_background("正在检查数据库（每天第一次启动时）", _integrity_job)
    return outcome.get("result", [outcome.get("error", "")] if "error" in outcome else [])


def release_lock(startup: Startup) -> None:
    if startup.lock is not None:
        startup.lock.release()
        startup.lock = None


# --- setup, backup, login -------------------------------------------------------------------


def first_run(startup: Startup, parent: QWidget | None = None) -> tuple[bool, Actor | None]:
    """(go on, actor): the wizard's administrator is already signed in."""
    if setup.is_initialized():
        return True, None
    if startup.read_only:
        QMessageBox.critical(parent, APP_TITLE, "这个数据库还没有完成初始设置，只读方式下不能设置。")
        return False, None
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(startup.db_path, parent)
    if not wizard.exec() or wizard.actor is None:
        maintenance.discard_unset_database(startup.db_path)  # its key was never written down
        return False, None
    return True, wizard.actor


def auto_backup(startup: Startup, parent: QWidget | None = None) -> Path | None:
    if startup.read_only or startup.demo:  # a throwaway demo copy needs no backup
        return None
    if maintenance.checked_today():
        return maintenance.daily_backup()  # only tidies the backup folders: today's backup exists
    outcome = _in_background("正在备份数据库（每天第一次启动时）", _backup_job)
    if "error" in outcome:  # a failed backup must not stop the day's work
        log.error("自动备份失败")
        QMessageBox.warning(parent, APP_TITLE, f"今天的自动备份没有完成：{outcome['error']}\n\n程序可以继续使用，"
                                               "请检查磁盘空间，或在菜单中手动备份。")
        return None
    return outcome.get("result")


def _backup_job(ctx) -> Path | None:
    return maintenance.daily_backup()


def make_login_dialog(startup: Startup, parent: QWidget | None = None,
                      settings_store: QSettings | None = None) -> LoginDialog:
    """The login: through ``maintenance.login`` (unlock the account's slot, open the database with
    the key, authenticate; a plain database is encrypted after its first login). Before an
    encrypted database is unlocked its office name cannot be read: the file name stands in."""
    path = startup.db_path
    if maintenance.is_encrypted(path) and db_closed():
        name, node, locked = APP_TITLE, "", path.name
    else:
        office = office_service.own_office_or_none()
        name, node, locked = (office.name if office is not None else APP_TITLE), office_service.node_name(), ""

    def login_fn(username: str, password: str):
        return maintenance.login(path, username, password, read_only=startup.read_only)

    def recover_fn(key: str, username: str, password: str):
        if startup.read_only:
            raise CivDeskError("只读方式下不能重设密码，请关闭另一个 CivDesk 窗口后再试。")
        return maintenance.recover(path, key, username, password)

    return LoginDialog(name, node, demo_credentials=startup.demo_credentials,
                       read_only_reason=startup.read_only_reason, settings=settings_store, parent=parent,
                       login=login_fn, recover=recover_fn if maintenance.is_encrypted(path) else None,
                       locked_file=locked)


def db_closed() -> bool:
    return maintenance.is_closed()


def login(startup: Startup, parent: QWidget | None = None) -> Actor | None:
    dialog = make_login_dialog(startup, parent)
    if not dialog.exec():
        return None
    if dialog.damaged:
        # An encrypted file the password unlocked but that cannot be opened: as for a plain one,
        # the restore dialog (the key the login unwrapped opens the backups).
        from ui.restore_dialog import RESTORED, RestoreDialog

        restore = RestoreDialog(startup.db_path, dialog.damaged, opened=False, parent=parent)
        restore.exec()
        return login(startup, parent) if restore.choice == RESTORED else None
    if dialog.recovery_key:
        from ui.recovery_key import show_recovery_key

        show_recovery_key(dialog.recovery_key, parent)
    return dialog.actor


def ensure_password_changed(actor: Actor, startup: Startup, parent: QWidget | None = None) -> bool:
    """After an administrator's reset the user sets their own password before going on."""
    if startup.read_only or not accounts.must_change_password(actor.username):
        return True
    from ui.password_dialog import ChangePasswordDialog

    return bool(ChangePasswordDialog(actor, forced=True, parent=parent).exec())


# --- main window and shutdown ---------------------------------------------------------------


def restore_geometry(window: QWidget, store: QSettings | None = None) -> None:
    store = store if store is not None else QSettings()
    saved = store.value(GEOMETRY_KEY)
    if saved is not None and window.restoreGeometry(saved):
        return
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(1200, 800)
        return
    area = screen.availableGeometry()
    width, height = min(1400, int(area.width() * 0.85)), min(900, int(area.height() * 0.85))
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)


def show_main_window(startup: Startup, actor: Actor) -> QWidget:
    from ui.main_window import MainWindow

    session = Session(actor, startup.db_path, startup.read_only, startup.read_only_reason, startup.demo)
    window = MainWindow(session)
    restore_geometry(window)
    window.show()
    startup.window = window
    return window


def shutdown(startup: Startup) -> None:
    maintenance.close_database()
    release_lock(startup)
    if startup.temp_dir is not None:
        for held in startup.keep:
            if isinstance(held, WriterLock):
                held.release()  # the demo folder's in-use lock: released before the folder goes
        shutil.rmtree(startup.temp_dir, ignore_errors=True)


def prepare(startup: Startup) -> Actor | None:
    """Every step before the main window; None means the user chose to quit."""
    if not acquire_lock(startup):
        return None
    if maintenance.is_encrypted(startup.db_path):
        # Encrypted: nothing can be read before the login unwraps the key and opens the file.
        actor = login(startup)
        if actor is None or not check_opened(startup):
            return None
        auto_backup(startup)
        return actor if ensure_password_changed(actor, startup) else None
    if not open_checked(startup):
        return None
    go_on, actor = first_run(startup)
    if not go_on:
        return None
    auto_backup(startup)
    if actor is None:
        actor = login(startup)
        if actor is None or not ensure_password_changed(actor, startup):
            return None
    return actor


def use_portable_settings(parent: QWidget | None = None) -> Path | None:
    """Portable mode keeps the window's settings (QSettings) in the data folder on the stick, not
    in the registry; a data folder that cannot be written is said, and the user's folder used."""
    folder = paths.portable_data_dir()
    if folder is not None:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    problem = paths.portable_problem()
    if problem:
        log.warning("%s", problem)
        QMessageBox.warning(parent, APP_TITLE, problem)
    return folder


def run(args) -> int:
    app = create_application()
    remove_stale_locks()
    use_portable_settings()
    opened_files.empty_folder()  # attachments and photos opened by an earlier run
    startup = resolve_startup(args)
    if startup is None:
        return 1
    try:
        actor = prepare(startup)
        if actor is None:
            return 0
        show_main_window(startup, actor)
        return app.exec()
    finally:
        shutdown(startup)
