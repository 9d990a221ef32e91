"""Schema step 9 (frozen as shipped): 督查与整改: plans and rounds, inspections and findings with photos, 限期整改通知书 and their events, 门前三包 holders."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_9 = f"""
CREATE TABLE supervision_area ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    village_id TEXT,
    route TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_area_scope ON supervision_area (scope);
CREATE INDEX supervision_area_village_id ON supervision_area (village_id);
CREATE TABLE supervision_member ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '成员',
    unit TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX supervision_member_scope ON supervision_member (scope);
CREATE TABLE supervision_round ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    frequency TEXT NOT NULL,
    village_id TEXT,
    area_id TEXT,
    mechanism TEXT NOT NULL DEFAULT '',
    due_day INTEGER NOT NULL DEFAULT 25,
    start_date TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX supervision_round_scope ON supervision_round (scope);
CREATE INDEX supervision_round_village_id ON supervision_round (village_id);
CREATE INDEX supervision_round_area_id ON supervision_round (area_id);
CREATE TABLE supervision_template_item ({SYNC_COLUMNS}
    mechanism TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'pass',
    max_points INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX supervision_template_item_scope ON supervision_template_item (scope);
CREATE INDEX supervision_template_item_mechanism ON supervision_template_item (mechanism);
CREATE TABLE supervision_inspection ({SYNC_COLUMNS}
    kind TEXT NOT NULL DEFAULT '督查',
    day TEXT NOT NULL,
    village_id TEXT,
    area_id TEXT,
    round_id TEXT,
    mechanism TEXT NOT NULL,
    inspectors TEXT NOT NULL DEFAULT '',
    checklist TEXT NOT NULL DEFAULT '[]',
    location TEXT NOT NULL DEFAULT '',
    target_kind TEXT NOT NULL,
    org_id TEXT,
    holder_id TEXT,
    place TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_inspection_scope ON supervision_inspection (scope);
CREATE INDEX supervision_inspection_village_id ON supervision_inspection (village_id);
CREATE INDEX supervision_inspection_area_id ON supervision_inspection (area_id);
CREATE INDEX supervision_inspection_round_id ON supervision_inspection (round_id);
CREATE INDEX supervision_inspection_org_id ON supervision_inspection (org_id);
CREATE INDEX supervision_inspection_holder_id ON supervision_inspection (holder_id);
CREATE TABLE supervision_finding ({SYNC_COLUMNS}
    inspection_id TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL
);
CREATE INDEX supervision_finding_scope ON supervision_finding (scope);
CREATE INDEX supervision_finding_inspection_id ON supervision_finding (inspection_id);
CREATE TABLE supervision_photo ({SYNC_COLUMNS}
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'before',
    pair_id TEXT,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_photo_scope ON supervision_photo (scope);
CREATE INDEX supervision_photo_owner_id ON supervision_photo (owner_id);
CREATE INDEX supervision_photo_pair_id ON supervision_photo (pair_id);
CREATE TABLE supervision_photo_chunk ({SYNC_COLUMNS}
    photo_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX supervision_photo_chunk_scope ON supervision_photo_chunk (scope);
CREATE INDEX supervision_photo_chunk_photo_id_seq ON supervision_photo_chunk (photo_id, seq);
CREATE TABLE supervision_notice ({SYNC_COLUMNS}
    number TEXT NOT NULL,
    office_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    village_id TEXT,
    mechanism TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    org_id TEXT,
    holder_id TEXT,
    place TEXT NOT NULL DEFAULT '',
    target_name TEXT NOT NULL,
    responsible TEXT NOT NULL DEFAULT '',
    finding_ids TEXT NOT NULL DEFAULT '[]',
    problems TEXT NOT NULL DEFAULT '',
    requirements TEXT NOT NULL DEFAULT '',
    served_date TEXT NOT NULL,
    deadline_days INTEGER,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
);
CREATE INDEX supervision_notice_scope ON supervision_notice (scope);
CREATE INDEX supervision_notice_office_id ON supervision_notice (office_id);
CREATE INDEX supervision_notice_office_id_year ON supervision_notice (office_id, year);
CREATE INDEX supervision_notice_village_id ON supervision_notice (village_id);
CREATE INDEX supervision_notice_org_id ON supervision_notice (org_id);
CREATE INDEX supervision_notice_holder_id ON supervision_notice (holder_id);
CREATE TABLE supervision_notice_event ({SYNC_COLUMNS}
    notice_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    new_deadline TEXT,
    person TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_notice_event_scope ON supervision_notice_event (scope);
CREATE INDEX supervision_notice_event_notice_id ON supervision_notice_event (notice_id);
CREATE TABLE supervision_holder ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    village_id TEXT,
    address TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    duties TEXT NOT NULL DEFAULT '',
    signed_date TEXT,
    note TEXT NOT NULL DEFAULT '',
    name_pinyin TEXT NOT NULL DEFAULT '',
    name_initials TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_holder_scope ON supervision_holder (scope);
CREATE INDEX supervision_holder_village_id ON supervision_holder (village_id);
CREATE INDEX supervision_holder_name_pinyin ON supervision_holder (name_pinyin);
CREATE INDEX supervision_holder_name_initials ON supervision_holder (name_initials);
"""
