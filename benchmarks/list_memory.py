"""Peak memory of the 志愿者 list page on 100,000 volunteers, beside a bare QMainWindow measured
in the same run (each in a fresh process; peak resident set size from getrusage).

    python benchmarks/list_memory.py [--volunteers 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, report

# VmHWM, not getrusage: ru_maxrss survives exec, so a child forked from this (large) process
# would report the parent's peak.
PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

BARE = PEAK + """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
print(peak_mb())
"""

OURS = PEAK + """
import sys
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[3])
from civdesk.core import db
from civdesk.core.actor import Actor
from ui.main_window import MainWindow
from ui.session import Session
state = db.open_database(sys.argv[1])
w = MainWindow(Session(Actor("admin", "王建国", "admin"), state.path))
w.resize(1280, 800); w.show(); app.processEvents()
w.show_page("volunteers"); app.processEvents()
page = w.pages["volunteers"]
view, model = page.view, page.model
for row in range(0, model.rowCount(), 997):  # scroll the whole list, block by block
    view.scrollTo(model.index(row, 0)); app.processEvents()
model.set_query("zh"); app.processEvents()
print(peak_mb())
"""


def build(path: Path, count: int) -> None:
    from civdesk import demo
    from civdesk.core import changes, validation
    from civdesk.demo.names import VILLAGES, mobile, person_name
    from civdesk.demo.volunteers import CLERK
    from civdesk.volunteers import roster as volunteers
    from civdesk.volunteers.models import Volunteer

    demo.create_demo_database(path)
    rng = random.Random(7)
    villages = [volunteers.resolve_village(v) for v in VILLAGES]
    rows = []
    for n in range(count):
        body = f"510114{1950 + n % 55}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
        number = body + validation.id_check_digit(body)
        rows.append({"number": f"BM{n:06d}", "name": person_name(rng), "sex": "男" if n % 2 else "女",
                     "id_number": number, "phone": mobile(rng),
                     "village_id": villages[n % len(villages)], "join_date": dt.date(2024, 1, 1),
                     "scope": villages[n % len(villages)]})
    # Synthetic IDs repeat only after lcm(55, 12, 28, 1000) = 231,000 people.
    changes.create_many(Volunteer, CLERK, rows, note="基准测试数据")


def peak(script: str, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        build(path, args.volunteers)
        from civdesk.core import db

        db.close_database()
        bare = [peak(BARE) for _ in range(3)]
        ours = [peak(OURS, str(path), str(ROOT), tempfile.mkdtemp(dir=tmp)) for _ in range(3)]
        bare.sort(), ours.sort()
        report([(f"peak RSS, 志愿者 page on {args.volunteers:,} (median)", ours[1], "MB", bare[1],
                 "bare QApplication + QMainWindow")])
        print("goal: under 400 MB")


if __name__ == "__main__":
    main()
