"""Ordered schema upgrade steps, frozen as SQL.

Each step is written as it was when it shipped and never edited afterwards; the models describe
only the newest schema. ``db.open_database`` runs the missing steps, each in its own transaction
together with the new ``PRAGMA user_version``.
"""

from __future__ import annotations

# Columns every synced table has; see models/base.py for what they mean.
_SYNC_COLUMNS = """
    id TEXT NOT NULL PRIMARY KEY,
    scope TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    clock TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
"""

STEP_1 = f"""
CREATE TABLE local_meta (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE user (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    name_pinyin TEXT NOT NULL DEFAULT '',
    name_initials TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    last_login_at TEXT
);
CREATE TABLE change_log (
    seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    hlc TEXT NOT NULL UNIQUE,
    tbl TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    base TEXT,
    node_id TEXT NOT NULL,
    scope TEXT,
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX change_log_field ON change_log (tbl, record_id, field, hlc);
CREATE TABLE office ({_SYNC_COLUMNS}
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT,
    name_pinyin TEXT NOT NULL DEFAULT '',
    name_initials TEXT NOT NULL DEFAULT '',
    contact_person TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX office_scope ON office (scope);
CREATE TABLE setting ({_SYNC_COLUMNS}
    key TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX setting_scope ON setting (scope);
CREATE INDEX setting_key ON setting (key);
CREATE TABLE audit_entry ({_SYNC_COLUMNS}
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    user_display TEXT NOT NULL DEFAULT '',
    node_id TEXT NOT NULL,
    action TEXT NOT NULL,
    tbl TEXT NOT NULL DEFAULT '',
    record_id TEXT NOT NULL DEFAULT '',
    record_label TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL DEFAULT '{{}}',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entry_scope ON audit_entry (scope);
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_record ON audit_entry (tbl, record_id);
"""

# Version 2: accounts created or reset by an administrator carry a temporary password that
# must be changed at the next login; names are searched by pinyin, so index it.
STEP_2 = """
ALTER TABLE user ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE INDEX user_name_pinyin ON user (name_pinyin);
CREATE INDEX user_name_initials ON user (name_initials);
CREATE INDEX office_name_pinyin ON office (name_pinyin);
CREATE INDEX office_name_initials ON office (name_initials);
CREATE INDEX audit_entry_username ON audit_entry (username, at);
CREATE INDEX audit_entry_action ON audit_entry (action, at);
CREATE INDEX audit_entry_at_clock ON audit_entry (at, clock, id);
"""

STEPS: list[str] = [STEP_1, STEP_2]
SCHEMA_VERSION = len(STEPS)


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
