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

# Version 3: the volunteer module (志愿服务). Service records, approvals and certificates are
# append-only; search keys (pinyin, reversed ID/phone for "last digits") are indexed.
STEP_3 = f"""
CREATE TABLE activity ({_SYNC_COLUMNS}
    name TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    organizer TEXT NOT NULL DEFAULT '',
    person_in_charge TEXT NOT NULL DEFAULT '',
    service_category TEXT NOT NULL DEFAULT '',
    team_id TEXT,
    village_id TEXT,
    name_pinyin TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_scope ON activity (scope);
CREATE INDEX activity_start_date ON activity (start_date);
CREATE INDEX activity_end_date ON activity (end_date);
CREATE INDEX activity_team_id ON activity (team_id);
CREATE INDEX activity_village_id ON activity (village_id);
CREATE INDEX activity_name_pinyin ON activity (name_pinyin);
CREATE TABLE activity_participant ({_SYNC_COLUMNS}
    activity_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL
);
CREATE INDEX activity_participant_scope ON activity_participant (scope);
CREATE INDEX activity_participant_activity_id ON activity_participant (activity_id);
CREATE INDEX activity_participant_volunteer_id ON activity_participant (volunteer_id);
CREATE TABLE certificate ({_SYNC_COLUMNS}
    number TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    issued_date TEXT NOT NULL,
    half_hours INTEGER NOT NULL,
    period_from TEXT,
    period_to TEXT,
    purpose TEXT NOT NULL DEFAULT '',
    issuer_contact TEXT NOT NULL DEFAULT '',
    check_code TEXT NOT NULL
);
CREATE INDEX certificate_scope ON certificate (scope);
CREATE INDEX certificate_number ON certificate (number);
CREATE INDEX certificate_volunteer_id ON certificate (volunteer_id);
CREATE TABLE service_approval ({_SYNC_COLUMNS}
    record_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX service_approval_scope ON service_approval (scope);
CREATE INDEX service_approval_record_id ON service_approval (record_id);
CREATE TABLE service_record ({_SYNC_COLUMNS}
    volunteer_id TEXT NOT NULL,
    activity_id TEXT,
    service_date TEXT NOT NULL,
    half_hours INTEGER NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    corrects_id TEXT
);
CREATE INDEX service_record_scope ON service_record (scope);
CREATE INDEX service_record_activity_id ON service_record (activity_id);
CREATE INDEX service_record_corrects_id ON service_record (corrects_id);
CREATE INDEX service_record_volunteer_id_service_date ON service_record (volunteer_id, service_date);
CREATE INDEX service_record_service_date ON service_record (service_date);
CREATE TABLE team ({_SYNC_COLUMNS}
    name TEXT NOT NULL,
    parent_id TEXT,
    leader_id TEXT,
    village_id TEXT,
    service_category TEXT NOT NULL DEFAULT '',
    founded_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    name_pinyin TEXT NOT NULL DEFAULT ''
);
CREATE INDEX team_scope ON team (scope);
CREATE INDEX team_village_id ON team (village_id);
CREATE INDEX team_name_pinyin ON team (name_pinyin);
CREATE TABLE team_member ({_SYNC_COLUMNS}
    team_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '队员',
    joined_date TEXT
);
CREATE INDEX team_member_scope ON team_member (scope);
CREATE INDEX team_member_team_id ON team_member (team_id);
CREATE INDEX team_member_volunteer_id ON team_member (volunteer_id);
CREATE TABLE volunteer ({_SYNC_COLUMNS}
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    id_type TEXT NOT NULL DEFAULT '居民身份证',
    id_number TEXT NOT NULL DEFAULT '',
    ethnicity TEXT NOT NULL DEFAULT '',
    political_status TEXT NOT NULL DEFAULT '',
    education TEXT NOT NULL DEFAULT '',
    employer TEXT NOT NULL DEFAULT '',
    village_id TEXT,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    service_category TEXT NOT NULL DEFAULT '',
    join_date TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '',
    name_pinyin TEXT NOT NULL DEFAULT '',
    name_initials TEXT NOT NULL DEFAULT '',
    id_rev TEXT NOT NULL DEFAULT '',
    phone_rev TEXT NOT NULL DEFAULT ''
);
CREATE INDEX volunteer_scope ON volunteer (scope);
CREATE INDEX volunteer_number ON volunteer (number);
CREATE INDEX volunteer_village_id ON volunteer (village_id);
CREATE INDEX volunteer_deleted_name_pinyin_id ON volunteer (deleted, name_pinyin, id);
CREATE INDEX volunteer_id_number ON volunteer (id_number);
CREATE INDEX volunteer_deleted_name_initials ON volunteer (deleted, name_initials);
CREATE INDEX volunteer_deleted_id_rev ON volunteer (deleted, id_rev);
CREATE INDEX volunteer_deleted_phone_rev ON volunteer (deleted, phone_rev);
CREATE INDEX volunteer_deleted_name ON volunteer (deleted, name);

"""

# Version 4: USB sync. All four tables are this PC's own and never travel: the PCs it has met
# (their keys, whether a person trusted them, what each acknowledged), the packages made and
# applied, and the open conflicts (computed from the change log, the same on every PC).
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

STEPS: list[str] = [STEP_1, STEP_2, STEP_3, STEP_4]
SCHEMA_VERSION = len(STEPS)


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
