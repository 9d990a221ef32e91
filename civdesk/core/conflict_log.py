"""Reading a record's history from the change log, writing its row, keeping its conflicts.

Everything here works on the log as it is in the open database; the merge (merge.py) and local
writes (changes.py) both end up here, so a record's row and conflicts are always the same
function of its entries (history.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from civdesk.core.db import database
from civdesk.core.history import Conflict, Entry, History
from civdesk.core.meta import SyncConflict
from civdesk.core.models import SyncModel

CHUNK = 400  # ids per "IN (...)" query: well under SQLite's limit on bound parameters


def chunked(items: list, size: int = CHUNK):
    """The list in slices of *size*, for IN (...) queries over many ids."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
_COLUMNS = "hlc, field, value, base, node_id, scope, username, at"


def load_histories(table: str, record_ids, extra: dict[str, list[Entry]] | None = None) -> dict[str, History]:
    """Histories of the given records from the log, plus not-yet-written *extra* entries."""
    found: dict[str, list[Entry]] = {rid: [] for rid in record_ids}
    ids = list(found)
    for chunk in chunked(ids):
        cursor = database.execute_sql(
            f"SELECT record_id, {_COLUMNS} FROM change_log WHERE tbl = ? AND record_id IN "
            f"({','.join('?' * len(chunk))})", (table, *chunk))
        for record_id, *values in cursor:
            found[record_id].append(Entry(*values))
    for record_id, entries in (extra or {}).items():
        found.setdefault(record_id, []).extend(entries)
    return {rid: History(entries) for rid, entries in found.items()}


def history_of(row: SyncModel) -> History:
    return load_histories(row._meta.table_name, [row.id])[row.id]


def conflict_id(table: str, record_id: str, conflict: Conflict) -> str:
    digest = hashlib.sha256(f"{table}|{record_id}|{conflict.key}".encode()).hexdigest()
    return digest[:16]


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def set_conflicts(model: type[SyncModel], found: dict[str, list[Conflict]]) -> tuple[int, int]:
    """Replace the open conflicts of these records with *found*; returns (new, closed) counts."""
    table = model._meta.table_name
    ids = list(found)
    existing: dict[str, str] = {}
    for chunk in chunked(ids):
        for cid, rid in (SyncConflict.select(SyncConflict.id, SyncConflict.record_id)
                         .where((SyncConflict.tbl == table) & (SyncConflict.record_id << chunk)).tuples()):
            existing[cid] = rid
    wanted = {}
    for record_id, conflicts in found.items():
        for conflict in conflicts:
            wanted[conflict_id(table, record_id, conflict)] = (record_id, conflict)
    closed = [cid for cid in existing if cid not in wanted]
    if closed:
        for chunk in chunked(closed):
            SyncConflict.delete().where(SyncConflict.id << chunk).execute()
    new = [(cid, rid, c) for cid, (rid, c) in wanted.items() if cid not in existing]
    if new:
        now = _now()
        database.cursor().executemany(
            "INSERT INTO sync_conflict (id, tbl, record_id, field, kind, heads, winner, detected_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(cid, table, rid, c.field, c.kind, json.dumps(c.heads), c.winner, now) for cid, rid, c in new])
    return len(new), len(closed)


def has_open_conflicts(table: str, record_id: str) -> bool:
    return database.execute_sql("SELECT 1 FROM sync_conflict WHERE tbl = ? AND record_id = ? LIMIT 1",
                                (table, record_id)).fetchone() is not None


def refresh_conflicts(row: SyncModel) -> None:
    """Recompute one record's conflicts after a local write (an edit can move a head)."""
    model = type(row)
    history = history_of(row)
    set_conflicts(model, {row.id: history.conflicts(model.data_fields(), model.merges_without_conflict())})
