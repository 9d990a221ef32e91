"""Issue 17: counting the service records waiting for review, before and after schema step 19.

Runs the 待办 count's SQL (count, oldest date, own entries) on a copy of a database: first as it
was (every record read, a NOT EXISTS probe each), then after step 19's SQL (the partial index).
Without --db it builds a synthetic table of --records records (1 in 20 still pending).

    python benchmarks/pending_count.py [--db FILE] [--records 200000] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from civdesk.core.schema import statements  # noqa: E402
from civdesk.core.schema.step19_pending_index import STEP_19  # noqa: E402

BEFORE = """SELECT COUNT(*), MIN(r.service_date), SUM(r.created_by = 'zhangli') FROM service_record r
WHERE r.deleted = 0 AND NOT EXISTS (SELECT 1 FROM service_approval a WHERE a.record_id = r.id)"""
AFTER = """SELECT COUNT(*), MIN(r.service_date), SUM(r.created_by = 'zhangli') FROM service_record r
WHERE r.pending = 1 AND r.deleted = 0"""


def synthetic(path: Path, records: int) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("""
    CREATE TABLE service_record (id TEXT NOT NULL PRIMARY KEY, scope TEXT, deleted INTEGER NOT NULL DEFAULT 0,
        clock TEXT, created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL, volunteer_id TEXT NOT NULL, activity_id TEXT, service_date TEXT NOT NULL,
        half_hours INTEGER NOT NULL, content TEXT NOT NULL DEFAULT '', corrects_id TEXT);
    CREATE INDEX service_record_service_date ON service_record (service_date);
    CREATE TABLE service_approval (id TEXT NOT NULL PRIMARY KEY, scope TEXT, deleted INTEGER NOT NULL DEFAULT 0,
        clock TEXT, created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL, record_id TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '');
    CREATE INDEX service_approval_record_id ON service_approval (record_id);
    """)
    at = "2025-01-01T00:00:00"
    conn.executemany("INSERT INTO service_record VALUES (?, NULL, 0, ?, ?, ?, ?, ?, ?, NULL, ?, 4, '志愿服务', NULL)",
                     ((f"r{i:031d}", str(i), at, "zhangli" if i % 3 else "wangfang", at, "zhangli",
                       f"v{i % 100000:031d}", f"202{i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(records)))
    conn.executemany("INSERT INTO service_approval VALUES (?, NULL, 0, ?, ?, 'chenjing', ?, 'chenjing', ?, 'approved', '')",
                     ((f"a{i:031d}", str(i), at, at, f"r{i:031d}") for i in range(records) if i % 20))
    conn.commit()
    conn.close()


def timed(conn: sqlite3.Connection, sql: str, runs: int) -> tuple[float, tuple]:
    times, row = [], None
    for _ in range(runs):
        start = time.perf_counter()
        row = conn.execute(sql).fetchone()
        times.append(time.perf_counter() - start)
    return statistics.median(times), row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pending.sqlite3"
        if args.db:
            shutil.copyfile(args.db, path)
        else:
            synthetic(path, args.records)
        conn = sqlite3.connect(path)
        total = conn.execute("SELECT COUNT(*) FROM service_record").fetchone()[0]
        before, found_before = timed(conn, BEFORE, args.runs)
        start = time.perf_counter()
        with conn:
            for statement in statements(STEP_19):
                conn.execute(statement)
        step = time.perf_counter() - start
        after, found_after = timed(conn, AFTER, args.runs)
        plan = " / ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + AFTER))
        conn.close()
    assert found_before == found_after, (found_before, found_after)
    print(f"{total:,} records, {found_after[0]:,} pending; medians of {args.runs}")
    print(f"before (scan + NOT EXISTS): {before * 1000:.1f} ms")
    print(f"after (partial index):      {after * 1000:.2f} ms  ({before / after:.0f}× faster; plan: {plan})")
    print(f"schema step 19 on this file: {step:.1f} s (once)")


if __name__ == "__main__":
    main()
