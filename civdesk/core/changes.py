"""The only way synced records are written: row, change log and audit in one transaction.

Services call ``create`` / ``update`` / ``delete``; sync (later) replays change-log entries from
other PCs. Each tracked field change gets its own hybrid-logical-clock stamp and remembers the
stamp of the value it replaced (its base), which is what the merge needs to tell fast-forwards
from concurrent edits.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring

from peewee import fn

from civdesk.core import db, validation
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.changes_bulk import (  # noqa: F401 - db_converter: sync.merge takes it from here
    BulkShape,
    db_converter,
    encode,
    indexes_built_after,
)
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.hlc import HybridClock
from civdesk.core.meta import ChangeLog, LocalMeta
from civdesk.core.models import SyncModel, new_id, new_ids

WHOLE_RECORD = "*"
_clock: tuple[object, HybridClock] | None = None


def now_text() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def node_id() -> str:
    value = LocalMeta.get_value("node_id")
    if not value:
        raise CivDeskError("本机尚未初始化（缺少节点编号），请先完成初始设置。")
    return value


def clock() -> HybridClock:
    """This PC's clock, resumed after the highest stamp already in the log."""
    global _clock
    key = (db.state.path, db.state.generation)
    if _clock is None or _clock[0] != key:
        last = ChangeLog.select(fn.MAX(ChangeLog.hlc)).scalar()
        _clock = (key, HybridClock(node_id(), last))
    return _clock[1]


# json.dumps builds a new encoder on every call when given options; one shared encoder writes
# the same text (bulk imports dump one payload per row).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dumps(value) -> str:
    return _ENCODER.encode(value)


# The C encoder behind _ENCODER, made once: ``JSONEncoder.encode`` builds it again for every call,
# which a bulk import of 100,000 payloads pays 100,000 times.  Same text (tested).
_C_ENCODER = (c_make_encoder(None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, True)
              if c_make_encoder is not None else None)


def dumps_dict(value: dict) -> str:
    """:func:`dumps` of a dict of plain values (str, numbers, None), faster."""
    return "".join(_C_ENCODER(value, 0)) if _C_ENCODER is not None else _ENCODER.encode(value)


def record_values(row: SyncModel) -> dict:
    return {name: encode(getattr(row, name)) for name in row.data_fields()}


def deterministic_id(*parts: str) -> str:
    """An id that two PCs compute alike for the same thing (a setting key, an office name)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "civdesk:" + "/".join(parts)))


LOG_INSERT = ("INSERT INTO change_log (hlc, tbl, record_id, field, value, base, node_id, scope, username, at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _log(stamp: str, row: SyncModel, field: str, value, base: str | None, actor: Actor, at: str) -> None:
    # Plain SQL: every tracked write passes here, and building the statement through peewee
    # cost more than executing it.
    database.execute_sql(LOG_INSERT, (stamp, row._meta.table_name, row.id, field, dumps(value), base,
                                       clock().node_id, row.scope, actor.username, at))


SEED_ACTOR = Actor("system", "系统", "admin")


def seed_stamp(record_id: str) -> str:
    """The stamp of a seeded create: the same on every PC, older than any real change."""
    return f"{0:016d}-{0:05d}-seed_{record_id.replace('-', '')}"


def _insert(row: SyncModel, actor: Actor, *, seed: bool = False) -> str:
    at = "" if seed else now_text()
    stamp = seed_stamp(row.id) if seed else clock().now()
    username = SEED_ACTOR.username if seed else actor.username
    row.created_at = row.updated_at = at
    row.created_by = row.updated_by = username
    row.clock = stamp
    row.compute_derived()
    row.save(force_insert=True)
    payload = record_values(row)
    payload.update(created_at=at, created_by=username)
    if seed:
        database.execute_sql(LOG_INSERT, (stamp, row._meta.table_name, row.id, WHOLE_RECORD, dumps(payload), None,
                                           stamp.split("-", 2)[2], row.scope, username, at))
    else:
        _log(stamp, row, WHOLE_RECORD, payload, None, actor, at)
    return stamp


def text_limits(model) -> dict[str, tuple[str, int]]:
    """{field: (label, limit)} for the text fields a person fills in (those with a label)."""
    cached = model.__dict__.get("_text_limits")
    if cached is not None:
        return cached
    from peewee import CharField, TextField

    limits = {}
    table = model._meta.table_name
    for name, label in (getattr(model, "field_labels", None) or {}).items():
        field = model._meta.fields.get(name)
        if isinstance(field, TextField):
            limits[name] = (label, validation.TEXT_LIMIT_OVERRIDES.get((table, name), validation.LONG_TEXT))
        elif isinstance(field, CharField):
            limits[name] = (label, validation.TEXT_LIMIT_OVERRIDES.get((table, name), validation.SHORT_TEXT))
    model._text_limits = limits
    return limits


def too_long(model, values: dict) -> None:
    """Raise ValidationError naming each text field over its limit."""
    errors = {}
    for name, (label, limit) in text_limits(model).items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            errors[name] = validation.text_length(value, label, limit).error
    if errors:
        raise validation.ValidationError(errors)


def create(model: type[SyncModel], actor: Actor, values: dict, *, id: str | None = None,
           scope: str | None = None, audit: bool = True, note: str = "", record_label: str = "",
           seed: bool = False) -> SyncModel:
    """Create a record. With ``seed`` (records with a deterministic id that every PC creates
    alike, such as the offices), the create entry is the same on every PC — same stamp, no
    time or user — so PCs that each made it hold one create, not two competing ones; what is
    filled in later are ordinary edits."""
    db.ensure_writable()
    if seed and id is None:
        raise ValueError("a seeded record needs a deterministic id")
    unknown = set(values) - set(model.data_fields())
    if unknown:
        raise ValueError(f"{model.__name__} has no tracked fields {sorted(unknown)}")
    too_long(model, values)
    with database.atomic():
        row = model(id=id or new_id(), scope=scope, deleted=False, **values)
        _insert(row, actor, seed=seed)
        if audit:
            changes = {name: [None, v] for name, v in record_values(row).items() if v not in (None, "")}
            write_audit(actor, "create", row=row, changes=changes, note=note, record_label=record_label)
    return row


def newest_stamp() -> str | None:
    """The stamp of the newest change in the log: any synced write changes it, so work planned
    against the database (an import's preview) can tell whether it is still true."""
    return database.execute_sql("SELECT MAX(hlc) FROM change_log").fetchone()[0]


def field_clock(row: SyncModel, field: str) -> str | None:
    """The stamp of the field's current value: its newest entry, or the record's creation."""
    return (ChangeLog.select(fn.MAX(ChangeLog.hlc))
            .where((ChangeLog.tbl == row._meta.table_name) & (ChangeLog.record_id == row.id)
                   & (ChangeLog.field << [field, WHOLE_RECORD]))
            .scalar())


def update(row: SyncModel, actor: Actor, values: dict, *, audit: bool = True, action: str = "update",
           note: str = "", record_label: str = "", restate: tuple[str, ...] = ()) -> dict:
    """Change fields of *row*; returns {field: [before, after]} of what really changed. Fields in
    *restate* are logged even when unchanged: an event that must outrank a concurrent one (a set
    member added again while another PC removed it)."""
    db.ensure_writable()
    if row.append_only:
        raise CivDeskError(f"{row.label or '该记录'}只能新增，不能修改；如需更正请新增一条更正记录。")
    allowed = set(row.data_fields()) | {"deleted"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"{type(row).__name__} has no tracked fields {sorted(unknown)}")
    if row.deleted and values.get("deleted") is not False and set(values) - {"deleted"}:
        raise CivDeskError(f"这条{row.label or '记录'}已被删除，不能修改；如需修改请先恢复。")
    too_long(type(row), values)
    from civdesk.core import conflict_log as records  # sync builds on this module, not the other way round

    with database.atomic():
        changed = {}
        at = now_text()
        for name, new in values.items():
            old = getattr(row, name)
            setattr(row, name, new)
            # Normalise through the field so "1" vs 1 or a date vs its text compare as stored.
            field = row._meta.fields[name]
            new_stored = encode(field.python_value(field.db_value(new)))
            old_stored = encode(old)
            if new_stored == old_stored and name not in restate:
                continue
            if name == "deleted":
                # A delete (or restore) has seen the whole record: its base is every field's
                # heads, so an edit it did not see shows up as a conflict, never as a loss.
                base = ",".join(records.history_of(row).record_heads(row.data_fields())) or None
            else:
                base = field_clock(row, name)
            stamp = clock().now()
            _log(stamp, row, name, new_stored, base, actor, at)
            row.clock = stamp
            changed[name] = [old_stored, new_stored]
        if not changed:
            return {}
        row.updated_at, row.updated_by = at, actor.username
        row.compute_derived()
        row.save()
        if records.has_open_conflicts(row._meta.table_name, row.id):
            records.refresh_conflicts(row)
        if audit:
            write_audit(actor, action, row=row, changes=changed, note=note, record_label=record_label)
    return changed


def resolve(row: SyncModel, actor: Actor, field: str, value, bases: list[str], *, note: str = "") -> str:
    """Write the value a person chose for a conflict: one entry whose bases are all the
    competing heads, so it closes the conflict on every PC it reaches."""
    db.ensure_writable()
    from civdesk.core import conflict_log as records

    with database.atomic():
        at = now_text()
        stamp = clock().now()
        model_field = row._meta.fields[field]
        stored = encode(model_field.python_value(model_field.db_value(value)))
        before = encode(getattr(row, field))
        _log(stamp, row, field, stored, ",".join(sorted(bases)), actor, at)
        setattr(row, field, stored if field != "deleted" else bool(stored))
        row.clock, row.updated_at, row.updated_by = stamp, at, actor.username
        row.compute_derived()
        row.save()
        records.refresh_conflicts(row)
        write_audit(actor, "resolve_conflict", row=row, changes={field: [before, stored]} if before != stored else {},
                    note=note or "处理同步冲突")
    return stamp


def delete(row: SyncModel, actor: Actor, *, note: str = "") -> None:
    """Tombstone: the record stays (sync must learn of the delete) but disappears from lists."""
    update(row, actor, {"deleted": True}, action="delete", note=note)


def undelete(row: SyncModel, actor: Actor, *, note: str = "") -> None:
    update(row, actor, {"deleted": False}, action="restore", note=note)


def _check_bulk(model: type[SyncModel], rows: list[dict]) -> None:
    """What ``create`` checks of each row: only tracked fields, no text over its limit."""
    tracked = set(model.data_fields()) | {"scope"}
    limits = list(text_limits(model).items())
    names = [name for name, _limit in limits]
    shortest = min((limit for _label, limit in text_limits(model).values()), default=0)
    for values in rows:
        if not values.keys() <= tracked:
            raise ValueError(f"{model.__name__} has no tracked fields {sorted(set(values) - tracked)}")
        try:  # all the texts together within the smallest limit: none of them is over its own
            if len("".join(filter(None, map(values.get, names)))) <= shortest:
                continue
        except TypeError:  # something other than text in a text field: looked at one by one
            pass
        get = values.get
        for name, (_label, limit) in limits:  # too_long's check, without a call per row
            value = get(name)
            if value.__class__ is str and len(value) > limit:
                too_long(model, values)


def create_many(model: type[SyncModel], actor: Actor, rows: list[dict], *, scope: str | None = None,
                batch: int = 2000, note: str = "", derive: Callable[[dict], None] | None = None) -> list[str]:
    """Bulk insert for imports: one transaction, executemany batches, one audit entry.

    The same rows and change-log entries as ``create`` would write, built without peewee's
    per-statement query building (:class:`~civdesk.core.changes_bulk.BulkShape`).  The new ids are
    handed out in sorted order, so the id index takes them in order; many rows into a table that
    holds fewer get its other indexes built once after them.  ``derive`` fills in, row by row
    in the order given, what the caller works out per row (derived fields, a number), instead of
    ``compute_derived``.
    """
    db.ensure_writable()
    _check_bulk(model, rows)
    shape = BulkShape.of(model)
    build, static, table, hlc, user = shape.build, shape.static, model._meta.table_name, clock(), actor.username
    scratch = model()  # derived fields are computed on this one object, refilled for each row
    at, ids, stamps = now_text(), sorted(new_ids(len(rows))), hlc.stamps(len(rows))
    meta = {"deleted": False, "created_at": at, "updated_at": at, "created_by": user, "updated_by": user}
    node, cursor = hlc.node_id, database.cursor
    with database.atomic():
        with indexes_built_after(database, table, len(rows)):
            for start in range(0, len(rows), batch):
                row_params, log_params = [], []
                for values, record_id, stamp in zip(rows[start:start + batch], ids[start:start + batch],
                                                    stamps[start:start + batch], strict=True):
                    scratch.__data__ = data = {**static, "scope": scope, **values, **meta, "id": record_id,
                                               "clock": stamp}
                    if derive is None:
                        scratch.compute_derived()
                    else:
                        derive(data)
                    row, payload = build(data, at, user)
                    row_params.append(row)
                    log_params.append((stamp, table, record_id, WHOLE_RECORD, payload, None, node,
                                       data["scope"], user, at))
                cursor().executemany(shape.row_sql, row_params)
                cursor().executemany(LOG_INSERT, log_params)
        write_audit(actor, "import", tbl=table, record_label=model.label,
                    note=note or f"批量新增 {len(ids)} 条{model.label}")
    if len(ids) >= 1000:
        db.optimize()  # the table's shape changed a lot: let the planner see it
    return ids


def mask_personal(kind: str, value):
    """A personal field's value as lists, the audit log and ``dump`` show it (kind from
    ``personal_fields``: id_number and phone keep their ends, anything else is hidden)."""
    if value in (None, ""):
        return value
    if kind == "id_number":
        return validation.mask_id_number(str(value))
    if kind == "phone":
        return validation.mask_phone(str(value))
    return "（已隐藏）"


_mask = mask_personal


def write_audit(actor: Actor, action: str, *, row: SyncModel | None = None, tbl: str = "",
                record_id: str = "", record_label: str = "", changes: dict | None = None,
                note: str = "", scope: str | None = None) -> AuditEntry:
    """Append an audit entry (itself a synced, append-only record). Personal data is masked."""
    db.ensure_writable()
    if row is not None:
        tbl, record_id = row._meta.table_name, row.id
        record_label = record_label or row.record_label()
        scope = row.scope if scope is None else scope
        changes = {name: [_mask(row.personal_fields[name], b), _mask(row.personal_fields[name], a)]
                   if name in row.personal_fields else [b, a]
                   for name, (b, a) in (changes or {}).items() if name not in row.audit_hidden_fields}
    entry = AuditEntry(id=new_id(), scope=scope, deleted=False, at=now_text(), username=actor.username,
                       user_display=actor.display_name, node_id=clock().node_id, action=action, tbl=tbl,
                       record_id=record_id, record_label=record_label, changes=dumps(changes or {}),
                       note=note)
    with database.atomic():
        _insert(entry, actor)
    return entry
