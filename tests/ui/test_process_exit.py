"""The GUI process leaves through ui/process_exit.py: exit status kept, atexit handlers and
logging run, settings written, no finalization (where PySide6 6.12 can abort)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import atexit, logging, sys
from PySide6.QtCore import QCoreApplication, QSettings
QCoreApplication.setOrganizationName("CivDeskTest")
QCoreApplication.setApplicationName("ExitTest")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[1])
QSettings().setValue("window/kept", "是")
atexit.register(lambda: print("告别", flush=True))
logging.basicConfig(filename=sys.argv[2], level=logging.INFO)
logging.getLogger("t").info("写入日志")
from ui.process_exit import leave
leave(3)
print("never here")
"""


def test_leave_keeps_the_status_runs_exit_handlers_and_writes_settings(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), str(tmp_path / "log.txt")],
                            capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 3, result.stderr
    assert "告别" in result.stdout and "never here" not in result.stdout
    assert "写入日志" in (tmp_path / "log.txt").read_text(encoding="utf-8")
    written = list(tmp_path.rglob("ExitTest.ini"))
    assert written and "kept" in written[0].read_text(encoding="utf-8")
