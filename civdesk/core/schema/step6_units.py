"""Schema step 6 (frozen as shipped): civilized-unit creation (文明单位/村/社区/企业创建): organisations and the titles
they hold, indicator sets, applications with append-only scores, status events and reviews, attachments
stored in chunks so they travel with sync, vetoes and district recommendations."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_6 = f"""
CREATE TABLE unit_org ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    village_id TEXT,
    address TEXT NOT NULL DEFAULT '',
    contact_person TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    size_count INTEGER,
    note TEXT NOT NULL DEFAULT '',
    name_pinyin TEXT NOT NULL DEFAULT '',
    name_initials TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_org_scope ON unit_org (scope);
CREATE INDEX unit_org_village_id ON unit_org (village_id);
CREATE INDEX unit_org_name_pinyin ON unit_org (name_pinyin);
CREATE INDEX unit_org_name_initials ON unit_org (name_initials);
CREATE TABLE indicator_set ({SYNC_COLUMNS}
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL,
    self_threshold INTEGER,
    pass_threshold INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX indicator_set_scope ON indicator_set (scope);
CREATE INDEX indicator_set_kind_year ON indicator_set (kind, year);
CREATE TABLE indicator_item ({SYNC_COLUMNS}
    set_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    max_tenths INTEGER NOT NULL,
    grades TEXT NOT NULL DEFAULT '',
    guidance TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT ''
);
CREATE INDEX indicator_item_scope ON indicator_item (scope);
CREATE INDEX indicator_item_set_id ON indicator_item (set_id);
CREATE TABLE unit_application ({SYNC_COLUMNS}
    org_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    level TEXT NOT NULL,
    model_grade INTEGER NOT NULL DEFAULT 0,
    set_id TEXT NOT NULL,
    work_summary TEXT NOT NULL DEFAULT '',
    highlights TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    self_tenths INTEGER NOT NULL DEFAULT 0,
    assessed_tenths INTEGER,
    decision_number TEXT NOT NULL DEFAULT '',
    decision_date TEXT
);
CREATE INDEX unit_application_scope ON unit_application (scope);
CREATE INDEX unit_application_org_id ON unit_application (org_id);
CREATE INDEX unit_application_year_status ON unit_application (year, status);
CREATE TABLE unit_score ({SYNC_COLUMNS}
    application_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    tenths INTEGER NOT NULL,
    grade TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_score_scope ON unit_score (scope);
CREATE INDEX unit_score_application_id_kind ON unit_score (application_id, kind);
CREATE TABLE unit_event ({SYNC_COLUMNS}
    application_id TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_event_scope ON unit_event (scope);
CREATE INDEX unit_event_application_id ON unit_event (application_id);
CREATE TABLE unit_attachment ({SYNC_COLUMNS}
    application_id TEXT NOT NULL,
    item_id TEXT,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_attachment_scope ON unit_attachment (scope);
CREATE INDEX unit_attachment_application_id ON unit_attachment (application_id);
CREATE TABLE unit_attachment_chunk ({SYNC_COLUMNS}
    attachment_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX unit_attachment_chunk_scope ON unit_attachment_chunk (scope);
CREATE INDEX unit_attachment_chunk_attachment_id_seq ON unit_attachment_chunk (attachment_id, seq);
CREATE TABLE unit_veto ({SYNC_COLUMNS}
    application_id TEXT NOT NULL,
    condition TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'manual',
    lifted INTEGER NOT NULL DEFAULT 0,
    lifted_reason TEXT NOT NULL DEFAULT '',
    lifted_by TEXT NOT NULL DEFAULT '',
    lifted_at TEXT
);
CREATE INDEX unit_veto_scope ON unit_veto (scope);
CREATE INDEX unit_veto_application_id ON unit_veto (application_id);
CREATE TABLE unit_title ({SYNC_COLUMNS}
    org_id TEXT NOT NULL,
    application_id TEXT,
    title TEXT NOT NULL,
    level TEXT NOT NULL,
    model_grade INTEGER NOT NULL DEFAULT 0,
    year INTEGER NOT NULL,
    term_years INTEGER NOT NULL,
    valid_until TEXT NOT NULL,
    decision_number TEXT NOT NULL DEFAULT '',
    decision_date TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    revoked_reason TEXT NOT NULL DEFAULT '',
    revoked_date TEXT
);
CREATE INDEX unit_title_scope ON unit_title (scope);
CREATE INDEX unit_title_org_id ON unit_title (org_id);
CREATE INDEX unit_title_status_valid_until ON unit_title (status, valid_until);
CREATE TABLE unit_review ({SYNC_COLUMNS}
    title_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    review_date TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_review_scope ON unit_review (scope);
CREATE INDEX unit_review_title_id ON unit_review (title_id);
CREATE TABLE unit_recommendation ({SYNC_COLUMNS}
    org_id TEXT NOT NULL,
    title_id TEXT,
    year INTEGER NOT NULL,
    target_title TEXT NOT NULL,
    recommended_date TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    outcome_date TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_recommendation_scope ON unit_recommendation (scope);
CREATE INDEX unit_recommendation_org_id ON unit_recommendation (org_id);
CREATE INDEX unit_recommendation_year ON unit_recommendation (year);
"""
