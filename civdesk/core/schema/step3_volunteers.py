"""Schema step 3 (frozen as shipped): the volunteer module (志愿服务). Service records, approvals and
certificates are append-only; search keys (pinyin, reversed ID/phone for "last digits") are indexed."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_3 = f"""
CREATE TABLE activity ({SYNC_COLUMNS}
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
CREATE TABLE activity_participant ({SYNC_COLUMNS}
    activity_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL
);
CREATE INDEX activity_participant_scope ON activity_participant (scope);
CREATE INDEX activity_participant_activity_id ON activity_participant (activity_id);
CREATE INDEX activity_participant_volunteer_id ON activity_participant (volunteer_id);
CREATE TABLE certificate ({SYNC_COLUMNS}
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
CREATE TABLE service_approval ({SYNC_COLUMNS}
    record_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX service_approval_scope ON service_approval (scope);
CREATE INDEX service_approval_record_id ON service_approval (record_id);
CREATE TABLE service_record ({SYNC_COLUMNS}
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
CREATE TABLE team ({SYNC_COLUMNS}
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
CREATE TABLE team_member ({SYNC_COLUMNS}
    team_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '队员',
    joined_date TEXT
);
CREATE INDEX team_member_scope ON team_member (scope);
CREATE INDEX team_member_team_id ON team_member (team_id);
CREATE INDEX team_member_volunteer_id ON team_member (volunteer_id);
CREATE TABLE volunteer ({SYNC_COLUMNS}
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
