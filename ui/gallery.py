"""Pictures of every page and main dialog on the demo database, to look at after a change.

    python -m ui.gallery --out DIR [--size 1366x728] [--scale 1.5] [--db DEMO.sqlite3] [--only NAME,…]

``--db`` takes a demo database (its .keys beside it; the administrator admin/demo1234 logs in).

*size* is the window in logical pixels (1366×728: a maximised window on a 1366×768 screen;
1280×658: 1920×1080 at 150 %); *scale* is the device pixel ratio the pictures are drawn at.
Every tab of a page is a picture of its own (``page-units-2.png``). Without ``--db`` a demo
database is built first (half a minute); ``--db`` copies the given one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

SIZES = {"small": (1280, 658), "office": (1366, 728)}


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def settle(rounds: int = 3, wait_s: float = 20.0) -> None:
    """Let layouts settle and background work a page started (its statistics) finish."""
    import time

    from PySide6.QtWidgets import QApplication

    from ui.tasks import running_tasks

    deadline = time.monotonic() + wait_s
    while running_tasks() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    for _ in range(rounds):
        QApplication.processEvents()


def tab_steps(root) -> Iterator[str]:
    """Shows each tab of every tab widget in *root* in turn; yields "" first, then "-1", "-2"…"""
    from PySide6.QtWidgets import QTabWidget

    yield ""
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisibleTo(root):
            continue
        first = tabs.currentIndex()
        for index in range(tabs.count()):
            if index == first or not tabs.isTabEnabled(index):
                continue
            tabs.setCurrentIndex(index)
            settle()
            yield f"-{index}"
        tabs.setCurrentIndex(first)


def open_window(db_path: Path, size: tuple[int, int], *, demo: bool = True):
    """The main window on *db_path*, signed in as its administrator, at *size*."""
    from PySide6.QtCore import QSettings

    from civdesk.core.actor import Actor
    from civdesk.office import accounts, maintenance
    from ui.main_window import MainWindow
    from ui.session import Session

    if not maintenance.is_closed() and maintenance.opened().path == Path(db_path).resolve():
        pass  # opened already (tests log in their own way)
    elif maintenance.is_encrypted(db_path):  # the demo database is encrypted: its administrator logs in
        from civdesk.demo import DEMO_PASSWORD

        maintenance.login(db_path, "admin", DEMO_PASSWORD)
    else:
        maintenance.open_database(db_path)
    admin = next(u for u in accounts.list_users() if u.role == "admin")
    actor = Actor(admin.username, admin.display_name, admin.role)
    settings = QSettings(str(db_path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(Session(actor, db_path, demo=demo), settings)
    window.resize(*size)
    window.show()
    settle()
    return window


def wanted(name: str, only: str, tabs: bool = True) -> bool:
    """Whether *only* (pieces of names, separated by commas) asks for the picture *name*; with
    *tabs*, for a picture of one of its tabs (*name*-1, -2…) too."""
    parts = [part for part in only.split(",") if part]
    return not parts or any(part in name or (tabs and name in part) for part in parts)


def page_shots(window, only: str = "") -> Iterator[tuple[str, object]]:
    """(name, widget) for every page and every tab of it, the page showing."""
    for spec in window.specs:
        if not wanted(f"page-{spec.key}", only):
            continue
        window.show_page(spec.key)
        settle()
        for suffix in tab_steps(window.pages[spec.key]):
            yield f"page-{spec.key}{suffix}", window


def dialog_shots(window, only: str = "") -> Iterator[tuple[str, object]]:
    """(name, dialog) for every dialog (``ui.screens.DIALOGS``) and its tabs, shown."""
    from ui.screens import DIALOGS

    for screen in DIALOGS:
        if not wanted(screen.name, only):
            continue
        dialog = screen.factory(window)
        if dialog is None:
            continue
        dialog.show()
        settle()
        try:
            for suffix in tab_steps(dialog):
                yield f"{screen.name}{suffix}", dialog
        finally:
            dialog.hide()
            dialog.deleteLater()
            settle()


def build_demo(path: Path) -> Path:
    from civdesk.demo import create_demo_database
    from civdesk.office import maintenance

    create_demo_database(path)
    maintenance.close_database()
    return path


def write_gallery(out: Path, db_path: Path, size: tuple[int, int], only: str = "") -> list[Path]:
    from PySide6.QtCore import QSize

    from ui.widgets import fit

    out.mkdir(parents=True, exist_ok=True)
    fit.available_size = lambda widget=None: QSize(*size)  # dialogs size themselves to this screen
    window = open_window(db_path, size)
    written = []
    for shots in (page_shots(window, only), dialog_shots(window, only)):
        for name, widget in shots:
            if not wanted(name, only, tabs=False):
                continue
            target = out / f"{name}.png"
            widget.grab().save(str(target))
            written.append(target)
    window.close()
    return written


def offscreen_screen(size: tuple[int, int], scale: float) -> str:
    """Qt's offscreen platform with a screen of *size* (logical) at *scale*: windows and dialogs
    size themselves to it (Qt keeps a new window within 2/3 of the screen) as on the office PC."""
    config = Path(tempfile.mkdtemp(prefix="civdesk-screen-")) / "screen.json"
    width, height = (round(v * scale) for v in size)
    config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.gallery", description="每个页面和主要对话框的截图")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--size", default="1366x728", help="窗口大小（逻辑像素），如 1366x728、1280x658")
    parser.add_argument("--scale", type=float, default=1.0, help="缩放比例，如 1.5")
    parser.add_argument("--db", type=Path, help="已生成的演示数据库（复制后使用）")
    parser.add_argument("--only", default="", help="只截名称中含有这段文字的画面（几段文字用逗号隔开）")
    args = parser.parse_args(argv)
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", offscreen_screen(parse_size(args.size), args.scale))

    from civdesk.domains import register_all
    from ui.app import create_application

    register_all()
    create_application()
    work = Path(tempfile.mkdtemp(prefix="civdesk-gallery-"))
    try:
        db_path = work / "demo.sqlite3"
        if args.db:
            shutil.copyfile(args.db, db_path)
            keys = Path(f"{args.db}.keys")
            if keys.exists():  # an encrypted database travels with its keyring
                shutil.copyfile(keys, Path(f"{db_path}.keys"))
        else:
            print("正在生成演示数据……", file=sys.stderr)
            build_demo(db_path)
        written = write_gallery(args.out, db_path, parse_size(args.size), args.only)
        print(f"已写入 {len(written)} 张截图到 {args.out}")
    finally:
        from civdesk.office import maintenance

        maintenance.close_database()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    from ui.process_exit import leave

    leave(main())
