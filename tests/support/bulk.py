"""Larger copies of a database for tests that compare behaviour as the rows grow (N+1 queries).

``multiply`` copies every row of the record tables *times* over under new ids, straight in SQL:
the copies point at the same parents (villages, volunteers, sessions …) as the originals, so
every list holds *times* as many rows and every reference stays valid. Offices, accounts,
settings, the calendar, indicator sets, sync bookkeeping and file chunks are left as they are.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.databases import RawConnection, raw

KEPT = {"local_meta", "user", "change_log", "office", "setting", "calendar_day", "indicator_set", "indicator_item",
        "sync_peer", "sync_package", "sync_conflict", "issuing_body", "document_number"}


def _tables(conn: RawConnection) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%'")]
    found = []
    for name in names:
        columns = {r[1]: r for r in conn.execute(f'PRAGMA table_info("{name}")')}
        text_id = "id" in columns and columns["id"][5] == 1 and columns["id"][2].upper() == "TEXT"
        if name not in KEPT and not name.endswith("_chunk") and text_id:
            found.append(name)
    return found


def multiply(path: Path, times: int) -> dict[str, int]:
    """Make every record table of *path* hold *times* as many rows; returns the new counts."""
    conn = raw(path)  # keyed: the database is encrypted
    try:
        conn.execute("BEGIN")
        counts = {}
        for table in _tables(conn):
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            chosen = ", ".join(f'"{c}"' for c in columns)
            values = ", ".join("id || ?" if c == "id" else f'"{c}"' for c in columns)
            original = f'SELECT {values} FROM "{table}" WHERE id NOT LIKE \'%#%\''
            for copy in range(1, times):
                conn.execute(f'INSERT INTO "{table}" ({chosen}) {original}', (f"#{copy}",))
            counts[table] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        return counts
    finally:
        conn.close()
