"""Issue 17: the start-up imports no domain's modules and no heavy library before the window
(and removes the lock files of CivDesk processes that died).

The program is started in a fresh process on a small office, the way ``main.py --db`` starts it;
the login dialog and the main window report which modules are loaded when they show. The
工作台's 待办 gather in the background (every domain's providers): held back here until the
window has reported, so that only the GUI thread's own imports are seen."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.databases import ADMIN, ADMIN_PASSWORD, REPO_ROOT, copy_db

HEAVY = ("reportlab", "openpyxl", "python_calamine", "pypinyin", "lunar_python", "chinese_calendar",
         "PySide6.QtCharts", "PySide6.QtPdf", "PIL")
DOMAINS = ("calendar", "volunteers", "units", "nominations", "notices", "sync", "supervision", "hotline",
           "activities", "documents", "demo", "reports", "xlsx")

START = """
import json, os, sys, threading
from PySide6.QtWidgets import QApplication
from civdesk.office import dashboard
from ui.login_dialog import LoginDialog

seen, release = {}, threading.Event()
collect = dashboard.collect
dashboard.collect = lambda actor: (release.wait(60), collect(actor))[1]

def loaded():
    return sorted(name for name in sys.modules if name.startswith(("civdesk.", "PySide6.", "ui.")) or "." not in name)

def login(self):
    self.show(); QApplication.processEvents()
    seen["login"] = loaded()
    self.username.setText(sys.argv[2]); self.password.setText(sys.argv[3])
    self.try_login(); self.wait_for_check()
    return self.result()

def window(self):
    QApplication.processEvents()
    seen["window"] = loaded()
    release.set()
    print(json.dumps(seen), flush=True)
    return 0

LoginDialog.exec = login
QApplication.exec = window
import main
main.main(["--db", sys.argv[1]])
os._exit(0)
"""


def _unwanted(modules: list[str], allowed_domains=()) -> list[str]:
    heavy = [m for m in modules if m.startswith(HEAVY)]
    domains = [m for m in modules if m.startswith(tuple(f"civdesk.{d}." for d in DOMAINS if d not in allowed_domains))]
    return heavy + domains


def test_login_and_window_come_up_without_the_domains_and_heavy_libraries(township_template, tmp_path):
    path = copy_db(township_template, tmp_path / "civdesk.sqlite3")
    locks = tmp_path / "locks"
    locks.mkdir()
    stale = locks / "fe00-123.lock"  # left by a CivDesk that was killed: removed at start
    stale.write_text("电脑 pc，进程 4321，2026-12-01 08:00 起", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=str(REPO_ROOT), CIVDESK_LOCK_DIR=str(locks))
    result = subprocess.run([sys.executable, "-c", START, str(path), ADMIN, ADMIN_PASSWORD], cwd=REPO_ROOT,
                            env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert "civdesk.office.accounts" in seen["login"] and "ui.office.home" in seen["window"]
    assert _unwanted(seen["login"]) == []
    assert not [m for m in seen["login"] if m.startswith("cryptography")], "the unlock runs after the dialog shows"
    assert _unwanted(seen["window"]) == []
    other_pages = [m for m in seen["window"] if m.startswith(tuple(f"ui.{d}" for d in DOMAINS))
                   or m in ("ui.office.settings_page", "ui.office.audit_page")]
    assert other_pages == [], "a page's module loads when the page is first shown"
    assert not stale.exists()


BEFORE_QT = """
import json, sys
import main
main.load_before_qt()
qt = [name for name in sys.modules if name.startswith(("PySide6", "shiboken6"))]
before = set(sys.modules)
import ui.app, ui.login_dialog, ui.main_window, ui.office.home
late = sorted(name for name in set(sys.modules) - before if name.startswith(("civdesk", "peewee", "playhouse", "apsw")))
print(json.dumps({"qt": qt, "late": late}))
"""


def test_the_start_paths_own_modules_load_before_qt():
    """PySide6's import hook reads the source of every module imported after it: main.py imports the
    start-up's non-Qt modules first, and the login dialog, the main window and 工作台 need no other."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run([sys.executable, "-c", BEFORE_QT], cwd=REPO_ROOT, env=env, capture_output=True,
                            text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["qt"] == [], "main.load_before_qt must not load Qt"
    assert seen["late"] == [], "imported after Qt on the start path: add them to main.load_before_qt"
