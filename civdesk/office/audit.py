"""Reading the audit log (writing it is civdesk.core.changes.write_audit, called by services)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from civdesk.core.actor import Actor, require
from civdesk.core.audit_log import ACTIONS, AuditEntry
from civdesk.core.db import database
from civdesk.core.models import model_for_table


def action_labels() -> dict[str, str]:
    """What each kind of audit entry is called on screen ({"restore_db": "从备份恢复数据库", …})."""
    return dict(ACTIONS)


@dataclass(frozen=True)
class AuditFilter:
    text: str = ""  # matched against user, record label, note
    action: str = ""
    username: str = ""
    date_from: str = ""  # "YYYY-MM-DD"
    date_to: str = ""


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: str
    username: str
    user_display: str
    action: str
    action_label: str
    table_label: str
    record_label: str
    summary: str
    note: str


SORTABLE = {"at": AuditEntry.at, "username": AuditEntry.username, "action": AuditEntry.action,
            "record_label": AuditEntry.record_label}


# Tables that belong to one PC (not synced models) but appear in the log.
_LOCAL_LABELS = {"user": "账号", "sync_package": "同步数据包", "sync_peer": "同步的电脑"}


def _table_label(tbl: str) -> str:
    if tbl in _LOCAL_LABELS:
        return _LOCAL_LABELS[tbl]
    try:
        return model_for_table(tbl).label or tbl
    except KeyError:
        return tbl


def _display(tbl: str, field: str, value) -> str:
    if tbl == "user":
        return "" if value is None else str(value)
    try:
        return model_for_table(tbl).display_value(field, value)
    except KeyError:
        return "" if value is None else str(value)


def _field_label(tbl: str, field: str) -> str:
    labels = {"username": "用户名", "display_name": "姓名", "role": "角色", "active": "状态",
              "deleted": "已删除"}
    try:
        labels = {**labels, **model_for_table(tbl).field_labels}
    except KeyError:
        pass
    return labels.get(field, field)


def summarize(tbl: str, changes_json: str) -> str:
    """"角色：录入员 → 审核人；姓名：张三 → 张珊" — the before/after a reviewer reads."""
    try:
        changes = json.loads(changes_json or "{}")
    except ValueError:
        return ""
    parts = []
    for field, (before, after) in sorted(changes.items()):
        old, new = _display(tbl, field, before) or "（空）", _display(tbl, field, after) or "（空）"
        parts.append(f"{_field_label(tbl, field)}：{old} → {new}")
    return "；".join(parts)


def matching_ids(actor: Actor, flt: AuditFilter, sort: str = "at", descending: bool = True) -> list[str]:
    """Ids of every matching entry, from one indexed query (the list model fetches rows later)."""
    require(actor, "view_audit")
    # Audit entries are append-only, never tombstoned: no `deleted` test, so that the default
    # listing is read from the covering index alone.
    query = AuditEntry.select(AuditEntry.id)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.username:
        query = query.where(AuditEntry.username == flt.username)
    if flt.date_from:
        query = query.where(AuditEntry.at >= flt.date_from)
    if flt.date_to:
        query = query.where(AuditEntry.at < flt.date_to + "~")  # '~' sorts after any time on that day
    text = flt.text.strip()
    if text:
        like = f"%{text}%"
        query = query.where(AuditEntry.username.contains(text) | AuditEntry.user_display ** like
                            | AuditEntry.record_label ** like | AuditEntry.note ** like)
    column = SORTABLE.get(sort, AuditEntry.at)
    # Entries of the same second keep the order they were made in (the clock), not a random one.
    tie = AuditEntry.clock.desc() if descending else AuditEntry.clock.asc()
    sql, params = query.order_by(column.desc() if descending else column.asc(), tie).sql()
    # A plain cursor: peewee's row wrapping costs more than the query on 100,000 ids.
    return [row[0] for row in database.execute_sql(sql, params).fetchall()]


def rows(actor: Actor, ids: list[str]) -> dict[str, AuditRow]:
    require(actor, "view_audit")
    found = {}
    for entry in AuditEntry.select().where(AuditEntry.id << ids):
        found[entry.id] = AuditRow(entry.id, entry.at, entry.username, entry.user_display, entry.action,
                                   ACTIONS.get(entry.action, entry.action), _table_label(entry.tbl),
                                   entry.record_label, summarize(entry.tbl, entry.changes), entry.note)
    return found


def users_in_log(actor: Actor) -> list[tuple[str, str]]:
    require(actor, "view_audit")
    query = (AuditEntry.select(AuditEntry.username, AuditEntry.user_display)
             .group_by(AuditEntry.username).order_by(AuditEntry.username).tuples())
    return list(query)
