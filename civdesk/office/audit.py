"""Reading the audit log (writing it is civdesk.core.changes.write_audit, called by services)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from civdesk.core.actor import Actor, require
from civdesk.core.audit_log import ACTIONS, AuditEntry
from civdesk.core.listing import IdList, Listing, QueryListing
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


def summarize(tbl: str, changes_json: str, shown: dict | None = None) -> str:
    """"角色：录入员 → 审核人；姓名：张三 → 张珊" — the before/after a reviewer reads. *shown*
    keeps the values already put into words (a block of entries names the same villages, people
    and units again and again: each is looked up once)."""
    try:
        changes = json.loads(changes_json or "{}")
    except ValueError:
        return ""
    shown = {} if shown is None else shown

    def text(field: str, value) -> str:
        key = (tbl, field, value if isinstance(value, str | int | float | bool | None) else json.dumps(value))
        if key not in shown:
            shown[key] = _display(tbl, field, value) or "（空）"
        return shown[key]

    def label(field: str) -> str:
        key = (tbl, field)
        if key not in shown:
            shown[key] = _field_label(tbl, field)
        return shown[key]

    parts = []
    for field, (before, after) in sorted(changes.items()):
        parts.append(f"{label(field)}：{text(field, before)} → {text(field, after)}")
    return "；".join(parts)


def _matching(flt: AuditFilter):
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
    return query


def _order(sort: str, descending: bool) -> list:
    # Entries of the same second keep the order they were made in (the clock), not a random one.
    return [(SORTABLE.get(sort, AuditEntry.at), descending), (AuditEntry.clock, descending), (AuditEntry.id, descending)]


def matching_ids(actor: Actor, flt: AuditFilter, sort: str = "at", descending: bool = True) -> list[str]:
    """Ids of every matching entry, from one indexed query."""
    require(actor, "view_audit")
    return QueryListing(AuditEntry, _matching(flt), _order(sort, descending)).all()


def listing(actor: Actor, flt: AuditFilter, sort: str = "at", descending: bool = True) -> Listing:
    """The log for a list view. By time without a text to match, a count and windows walked along
    the (at, clock, id), (action, at) or (username, at) indexes: a reload of 200,000 entries reads
    only what is in sight. A text search (``LIKE`` through every entry) or another order reads every
    matching id once, in order."""
    require(actor, "view_audit")
    found = QueryListing(AuditEntry, _matching(flt), _order(sort, descending))
    if flt.text.strip() or SORTABLE.get(sort, AuditEntry.at) is not AuditEntry.at:
        return IdList(found.all())
    return found


def rows(actor: Actor, ids: list[str]) -> dict[str, AuditRow]:
    require(actor, "view_audit")
    found, shown = {}, {}
    for entry in AuditEntry.select().where(AuditEntry.id << ids):
        found[entry.id] = AuditRow(entry.id, entry.at, entry.username, entry.user_display, entry.action,
                                   ACTIONS.get(entry.action, entry.action), _table_label(entry.tbl),
                                   entry.record_label, summarize(entry.tbl, entry.changes, shown), entry.note)
    return found


def users_in_log(actor: Actor) -> list[tuple[str, str]]:
    """(username, the name shown in that user's newest entry) of everyone in the log. The usernames
    come from the (username, at) index alone and each name from one entry: a GROUP BY read all
    200,000 entries of a large office (~30 ms at every visit of the page)."""
    require(actor, "view_audit")
    names = [u for (u,) in AuditEntry.select(AuditEntry.username).distinct().order_by(AuditEntry.username).tuples()]
    return [(name, AuditEntry.select(AuditEntry.user_display).where(AuditEntry.username == name)
             .order_by(AuditEntry.at.desc()).limit(1).scalar() or "") for name in names]
