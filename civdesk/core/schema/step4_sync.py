"""Schema step 4 (frozen as shipped): USB sync. All four tables are this PC's own and never travel: the PCs
it has met (their keys, whether a person trusted them, what each acknowledged), the packages made and
applied, and the open conflicts (computed from the change log, the same on every PC)."""

from __future__ import annotations

STEP_4 = """
CREATE TABLE sync_peer (
    node_id TEXT NOT NULL PRIMARY KEY,
    node_name TEXT NOT NULL,
    office_id TEXT NOT NULL,
    office_name TEXT NOT NULL,
    office_kind TEXT NOT NULL,
    township_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    trusted INTEGER NOT NULL DEFAULT 0,
    trusted_at TEXT,
    trusted_by TEXT,
    first_seen TEXT NOT NULL,
    last_received TEXT,
    last_package_clock TEXT,
    acked_epoch TEXT,
    acked_seq INTEGER NOT NULL DEFAULT 0,
    own_max TEXT,
    their_epoch TEXT,
    covered_seq INTEGER NOT NULL DEFAULT 0,
    last_sent TEXT
);
CREATE TABLE sync_package (
    package_id TEXT NOT NULL PRIMARY KEY,
    direction TEXT NOT NULL,
    peer_node_id TEXT,
    peer_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    done_at TEXT NOT NULL,
    username TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    entries INTEGER NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_package_done_at ON sync_package (done_at);
CREATE TABLE sync_conflict (
    id TEXT NOT NULL PRIMARY KEY,
    tbl TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    kind TEXT NOT NULL,
    heads TEXT NOT NULL,
    winner TEXT NOT NULL,
    detected_at TEXT NOT NULL
);
CREATE INDEX sync_conflict_tbl_record_id ON sync_conflict (tbl, record_id);
"""
