"""Merging change-log entries from another PC: plan what they change, then write it.

``plan`` reads the database and works out, per record, the row and conflicts its full history
gives (history.py), without writing anything: the preview shows exactly what ``apply`` will
write. ``apply`` writes the new log entries, the rows and the conflicts; the caller holds the
transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from civdesk.core.changes import LOG_INSERT, db_converter
from civdesk.core.conflict_log import chunked, conflict_id, load_histories, set_conflicts
from civdesk.core.db import database
from civdesk.core.history import DELETED, WHOLE_RECORD, Conflict, Entry, History
from civdesk.core.models import SyncModel, model_for_table

# Wire order of one entry (a JSON array per line).
WIRE_FIELDS = ("hlc", "tbl", "record_id", "field", "value", "base", "node_id", "scope", "username", "at")


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    pending: int = 0  # edits whose record's creation has not arrived yet


@dataclass
class Plan:
    log_rows: list[tuple] = field(default_factory=list)
    rows: dict[str, list[tuple]] = field(default_factory=dict)  # table -> full row tuples
    conflicts: dict[str, dict[str, list[Conflict]]] = field(default_factory=dict)
    counts: dict[str, TableCounts] = field(default_factory=dict)
    max_hlc: str = ""
    log_seq: int = 0  # the log's last seq when planned: apply re-plans if it moved

    @property
    def changes_anything(self) -> bool:
        return bool(self.log_rows)


def known_stamps(stamps: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(stamps):
        found.update(r[0] for r in database.execute_sql(
            f"SELECT hlc FROM change_log WHERE hlc IN ({','.join('?' * len(chunk))})", chunk))
    return found


def log_seq() -> int:
    return database.execute_sql("SELECT COALESCE(MAX(seq), 0) FROM change_log").fetchone()[0]


class _RowWriter:
    """Turns a record's winning values into the tuple its table's INSERT takes."""

    def __init__(self, model: type[SyncModel]):
        self.model = model
        self.fields = model._meta.sorted_fields
        self.names = model.data_fields()
        self.defaults = {f.name: (f.default() if callable(f.default) else f.default) for f in self.fields}
        self.convert = [(f.name, db_converter(f)) for f in self.fields]
        self.required = [n for n in self.names if not model._meta.fields[n].null and self.defaults.get(n) is not None]
        self.id_index = [f.name for f in self.fields].index("id")
        self.scratch = model()
        table = model._meta.table_name
        cols = ", ".join(f'"{f.column_name}"' for f in self.fields)
        self.sql = f'INSERT OR REPLACE INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(self.fields))})'

    def tuple_for(self, record_id: str, values: dict) -> tuple:
        data = {**self.defaults, **values}
        for name in self.required:  # a create from an older schema may lack newer fields
            if data.get(name) is None:
                data[name] = self.defaults[name]
        data["id"] = record_id
        data["deleted"] = bool(values.get(DELETED))
        self.scratch.__data__ = data
        self.scratch.compute_derived()
        return tuple(convert(data.get(name)) for name, convert in self.convert)

    def fast_values(self, entry: Entry) -> dict:
        """The values of a record known only from its one create entry (the bulk case)."""
        payload = entry.decoded()
        values = {name: payload.get(name) for name in self.names}
        values.update(scope=entry.scope, deleted=False, clock=entry.hlc, created_at=payload.get("created_at"),
                      created_by=payload.get("created_by"), updated_at=entry.at, updated_by=entry.username)
        return values


def _existing_rows(writer: _RowWriter, ids: list[str]) -> dict[str, tuple]:
    table = writer.model._meta.table_name
    cols = ", ".join(f'"{f.column_name}"' for f in writer.fields)
    found = {}
    for chunk in chunked(ids):
        for row in database.execute_sql(f'SELECT {cols} FROM "{table}" WHERE id IN ({",".join("?" * len(chunk))})',
                                        chunk):
            found[row[writer.id_index]] = row
    return found


def _logged(table: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(ids):
        found.update(r[0] for r in database.execute_sql(
            f"SELECT DISTINCT record_id FROM change_log WHERE tbl = ? AND record_id IN ({','.join('?' * len(chunk))})",
            (table, *chunk)))
    return found


def _open_conflicts(table: str, ids: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in chunked(ids):
        for cid, rid in database.execute_sql(
                f"SELECT id, record_id FROM sync_conflict WHERE tbl = ? AND record_id IN ({','.join('?' * len(chunk))})",
                (table, *chunk)):
            found[rid].add(cid)
    return found


def _normalise(row: tuple) -> tuple:
    return tuple(int(v) if isinstance(v, bool) else v for v in row)


def plan(entries: list[Entry | tuple], decoded: dict[str, object] | None = None) -> Plan:
    """What applying these wire entries (tuples in WIRE_FIELDS order) would do to this database.

    *decoded*: the entries' values already parsed, by stamp (reading the package parsed them
    once; parsing 100,000 payloads again costs seconds)."""
    decoded = decoded or {}
    result = Plan(log_seq=log_seq())
    unique: dict[str, tuple] = {}
    for wire in entries:
        unique.setdefault(wire[0], wire)
    known = known_stamps(list(unique))
    by_table: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    unchanged_records: dict[str, set[str]] = defaultdict(set)
    for stamp, wire in unique.items():
        hlc, tbl, record_id, fld, value, base, node_id, scope, username, at = wire
        if stamp in known:
            unchanged_records[tbl].add(record_id)
            continue
        entry = Entry(hlc, fld, value, base, node_id, scope, username, at)
        if hlc in decoded:
            entry._decoded, entry._has_decoded = decoded[hlc], True
        by_table[tbl][record_id].append(entry)
        result.log_rows.append(wire)
        if hlc > result.max_hlc:
            result.max_hlc = hlc
    for tbl in sorted(set(by_table) | set(unchanged_records)):
        counts = result.counts.setdefault(tbl, TableCounts())
        touched = by_table.get(tbl, {})
        counts.unchanged += len(unchanged_records.get(tbl, set()) - set(touched))
        if touched:
            _plan_table(result, model_for_table(tbl), touched, counts)
    return result


def _plan_table(result: Plan, model: type[SyncModel], touched: dict[str, list[Entry]], counts: TableCounts) -> None:
    table = model._meta.table_name
    writer = _RowWriter(model)
    ids = list(touched)
    existing = _existing_rows(writer, ids)
    # Records this PC has never heard of (no row, nothing in the log: an edit can arrive before
    # its record's creation) and that arrive as one create: no history to read.
    logged = _logged(table, [rid for rid in ids if rid not in existing])
    simple = {rid for rid, got in touched.items()
              if rid not in existing and rid not in logged and len(got) == 1 and got[0].field == WHOLE_RECORD}
    rest = [rid for rid in ids if rid not in simple]
    histories = load_histories(table, rest, {rid: touched[rid] for rid in rest}) if rest else {}
    open_now = _open_conflicts(table, [rid for rid in rest if rid in existing or rid in logged])
    out = result.rows.setdefault(table, [])
    found_conflicts = result.conflicts.setdefault(table, {})
    names = model.data_fields()
    for rid in ids:
        if rid in simple:
            out.append(writer.tuple_for(rid, writer.fast_values(touched[rid][0])))
            counts.new += 1
            continue
        history: History = histories[rid]
        values = history.values(names)
        if values is None:
            counts.pending += 1
            continue
        row = writer.tuple_for(rid, values)
        conflicts = history.conflicts(names, model.merges_without_conflict())
        found_conflicts[rid] = conflicts
        counts.conflicts += len({conflict_id(table, rid, c) for c in conflicts} - open_now.get(rid, set()))
        before = existing.get(rid)
        if before is None:
            counts.new += 1
            out.append(row)
        elif _normalise(before) != _normalise(row):
            counts.updated += 1
            out.append(row)
        else:
            counts.unchanged += 1


def apply(result: Plan) -> None:
    """Write a plan; the caller holds the transaction."""
    cursor = database.cursor
    for batch in chunked(result.log_rows, 5000):
        cursor().executemany(LOG_INSERT, batch)
    for table, rows in result.rows.items():
        if rows:
            sql = _RowWriter(model_for_table(table)).sql
            for batch in chunked(rows, 5000):
                cursor().executemany(sql, batch)
    for table, found in result.conflicts.items():
        if found:
            set_conflicts(model_for_table(table), found)


def decode_line(number: int, line: bytes, decoded: dict[str, object] | None = None) -> tuple:
    """One wire entry, checked for shape; a bad line is reported by its number. Its parsed
    value goes into *decoded* (by stamp) when given."""
    from civdesk.core.errors import SyncRefused
    from civdesk.core.hlc import Stamp

    try:
        wire = json.loads(line)
        if not isinstance(wire, list) or len(wire) != len(WIRE_FIELDS):
            raise ValueError("字段个数不对")
        hlc, tbl, record_id, fld, value, base, node_id, scope, username, at = wire
        Stamp.parse(hlc)
        for text in (tbl, record_id, fld, value, node_id, username, at):
            if not isinstance(text, str):
                raise ValueError("字段类型不对")
        if not (scope is None or isinstance(scope, str)) or not (base is None or isinstance(base, str)):
            raise ValueError("字段类型不对")
        if base:
            for part in base.split(","):
                Stamp.parse(part)
        if not record_id or len(record_id) > 64 or not hlc.endswith("-" + node_id):
            raise ValueError("记录编号或节点编号不对")
        parsed = json.loads(value)
        if decoded is not None:
            decoded[hlc] = parsed
    except (ValueError, TypeError) as exc:
        raise SyncRefused(f"数据包第 {number} 条变更的格式不对（{exc}），文件已被改动或损坏。未作任何更改。",
                          "malformed") from exc
    return tuple(wire)
