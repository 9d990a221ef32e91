"""Start-up time to a shown main window on a database of 100,000 records, beside a bare
QMainWindow start measured in the same run (each in a fresh process, median of N runs).

    python benchmarks/startup.py [--records 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, median, report

BARE = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show()
app.processEvents()
print(time.time() - t0)
"""

CIVDESK = """
import time, sys
t0 = float(sys.argv[1])
sys.path.insert(0, sys.argv[3])
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
# Window state from a throwaway folder: every run starts the way a new PC does (on 工作台).
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[4])
from civdesk.core import db
from civdesk.office import accounts
from ui.main_window import MainWindow
from ui.session import Session
state = db.open_database(sys.argv[2])
actor = accounts.authenticate("admin", "demo1234")
w = MainWindow(Session(actor, state.path))
w.resize(1280, 800); w.show()
app.processEvents()
print(time.time() - t0)
"""


def build_database(path: Path, records: int) -> None:
    from civdesk import demo
    from civdesk.core import changes
    from civdesk.core.actor import Actor
    from civdesk.core.audit_log import AuditEntry

    demo.create_demo_database(path)
    admin = Actor("admin", "王建国", "admin")
    node = changes.node_id()
    rows = [{"at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d}:00", "username": "zhangli",
             "user_display": "张丽", "node_id": node, "action": "update", "tbl": "office",
             "record_id": str(i), "record_label": f"记录{i}", "changes": "{}", "note": ""}
            for i in range(records)]
    changes.create_many(AuditEntry, admin, rows, note=f"基准测试数据 {records} 条")


def timed(script: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, "-c", script, str(time.time()), *args], env=env,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        build_database(path, args.records)
        from civdesk.core import db

        db.close_database()
        print(f"built a database with {args.records:,} audit records in {time.perf_counter() - started:.1f} s")
        bare, ours = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            bare.append(timed(BARE))
            ours.append(timed(CIVDESK, str(path), str(ROOT), tempfile.mkdtemp(dir=tmp)))
        report([("start-up to shown main window (median)", median(ours), "s", median(bare),
                 "bare QApplication + QMainWindow")])


if __name__ == "__main__":
    main()
