"""``python main.py --demo`` until its login shows, cold (no cached demo database: the first demo of
a day builds it) and warm (today's cached copy), beside a bare QMainWindow start in the same run,
each in a fresh process (the goal of issue 11: the login in < 2 s).

    python benchmarks/demo_start.py [--runs 5] [--cold-runs 1]

The program runs unchanged; the driver only replaces the login dialog's ``exec`` with a line that
prints the time since the process was launched (measured from before the launch) and declines, so
the program quits as if the user closed the login. Leftover ``civdesk-demo-*`` folders are counted.
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
from startup import BARE

DEMO = """
import sys, time
t0 = float(sys.argv[1])
sys.path.insert(0, sys.argv[2])
sys.argv = ["main.py", "--demo"]
from ui.login_dialog import LoginDialog
def shown(self):
    self.show()
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    print(time.time() - t0, flush=True)
    return 0
LoginDialog.exec = shown
import os, main
main.main()
os._exit(0)  # PySide6 6.12 may abort in interpreter finalization (see tests/conftest.py)
"""


def timed(script: str, env: dict, *args: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), **env)
    out = subprocess.run([sys.executable, "-c", script, str(time.time()), *args], env=env,
                         capture_output=True, text=True)
    if out.returncode or not out.stdout.strip():
        raise SystemExit(f"the measured program failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def leftovers(temp: Path) -> int:
    return len(list(temp.glob("civdesk-demo-*")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=1, help="cold starts (each builds the demo, 10–40 s)")
    args = parser.parse_args()
    args.cold_runs = max(1, args.cold_runs)  # the warm runs copy what the last cold run cached
    with tempfile.TemporaryDirectory() as tmp:
        temp = Path(tmp) / "tmp"
        temp.mkdir()
        env = {"TMPDIR": str(temp), "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
               "XDG_DATA_HOME": str(Path(tmp) / "data")}
        cold, warm, bare = [], [], []
        for number in range(args.cold_runs):
            cache = {"CIVDESK_DEMO_CACHE": str(Path(tmp) / f"cache-cold-{number}")}
            cold.append(timed(DEMO, {**env, **cache}, str(ROOT)))
            bare.append(timed(BARE, env))
        cache = {"CIVDESK_DEMO_CACHE": str(Path(tmp) / f"cache-cold-{args.cold_runs - 1}")}
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            warm.append(timed(DEMO, {**env, **cache}, str(ROOT)))
            bare.append(timed(BARE, env))
        report([("demo to login, cold (builds and caches)", median(cold), "s", median(bare), "bare QMainWindow"),
                ("demo to login, warm (copies the cache)", median(warm), "s", median(bare), "bare QMainWindow")])
        print(f"warm runs: {', '.join(f'{t:.2f}' for t in warm)} s; goal < 2 s")
        print(f"civdesk-demo-* folders left in the temporary directory after {args.cold_runs + args.runs} runs: "
              f"{leftovers(temp)}")


if __name__ == "__main__":
    main()
