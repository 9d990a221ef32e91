"""Shared helpers for the benchmark scripts: timing, medians, a printed table of ratios."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from civdesk.domains import register_all  # noqa: E402

register_all()


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(rows: list[tuple[str, float, str, float, str]]) -> None:
    """rows: (what, ours, unit, baseline, baseline description) — printed with the ratio."""
    print(f"{'measure':40} {'ours':>12} {'baseline':>12} {'ratio':>8}  baseline is")
    for what, ours, unit, base, base_what in rows:
        ratio = ours / base if base else float("nan")
        print(f"{what:40} {ours:>10.3f}{unit:>2} {base:>10.3f}{unit:>2} {ratio:>7.2f}x  {base_what}")


# --- plain or encrypted files -----------------------------------------------------------------
# The database is encrypted (issue 13). The older benchmarks compare CivDesk with raw stdlib
# sqlite3 on the same file, so they keep measuring plain files: a new file is first created as
# an empty plain SQLite file, which CivDesk opens as a database of an older version (it is
# converted only at a login). benchmarks/encryption.py switches this off to compare the two.

import sqlite3 as _sqlite3  # noqa: E402

from civdesk.core import db as _db  # noqa: E402

_open_database = _db.open_database
PLAIN_FILES = {"on": True}


def make_plain_file(path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _sqlite3.connect(path)
    conn.execute("CREATE TABLE _plain (x)")
    conn.execute("DROP TABLE _plain")
    conn.commit()
    conn.close()


def _open_plain_if_new(path, *args, **kwargs):
    if PLAIN_FILES["on"] and (not Path(path).exists() or Path(path).stat().st_size == 0) \
            and not kwargs.get("read_only"):
        make_plain_file(path)
    return _open_database(path, *args, **kwargs)


_db.open_database = _open_plain_if_new
