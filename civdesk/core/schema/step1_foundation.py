"""Schema step 1 (frozen as shipped): this PC's own facts, accounts, the change log, offices, settings and
the audit log."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

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
CREATE TABLE office ({SYNC_COLUMNS}
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
CREATE TABLE setting ({SYNC_COLUMNS}
    key TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX setting_scope ON setting (scope);
CREATE INDEX setting_key ON setting (key);
CREATE TABLE audit_entry ({SYNC_COLUMNS}
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
