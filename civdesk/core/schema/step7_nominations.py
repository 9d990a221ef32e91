"""Schema step 7 (frozen as shipped): good-people and moral-model nominations (身边好人 / 道德模范). Persons are
kept once per ID number; recusals, scores, votes, tie decisions and status events are append- only;
photos and documents travel in the database as base64 text."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_7 = f"""
CREATE TABLE nomination_session ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT 'score',
    categories TEXT NOT NULL DEFAULT '[]',
    quotas TEXT NOT NULL DEFAULT '{{}}',
    rubric TEXT NOT NULL DEFAULT '[]',
    recommend_start TEXT,
    recommend_end TEXT,
    check_end TEXT,
    review_end TEXT,
    notice_start TEXT,
    award_date TEXT,
    phase TEXT NOT NULL DEFAULT 'recommend',
    scores_locked_at TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX nomination_session_scope ON nomination_session (scope);
CREATE TABLE nominee ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    id_number TEXT NOT NULL,
    village_id TEXT,
    occupation TEXT NOT NULL DEFAULT '',
    political_status TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    name_pinyin TEXT NOT NULL DEFAULT ''
);
CREATE INDEX nominee_scope ON nominee (scope);
CREATE INDEX nominee_id_number ON nominee (id_number);
CREATE INDEX nominee_village_id ON nominee (village_id);
CREATE INDEX nominee_name_pinyin ON nominee (name_pinyin);
CREATE TABLE nomination ({SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    nominee_id TEXT NOT NULL,
    category TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    story TEXT NOT NULL DEFAULT '',
    recommender_kind TEXT NOT NULL DEFAULT 'person',
    recommender_name TEXT NOT NULL DEFAULT '',
    recommender_relation TEXT NOT NULL DEFAULT '',
    recommender_contact TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'recommended',
    return_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX nomination_scope ON nomination (scope);
CREATE INDEX nomination_session_id ON nomination (session_id);
CREATE INDEX nomination_nominee_id ON nomination (nominee_id);
CREATE TABLE nomination_file ({SYNC_COLUMNS}
    nomination_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'photo',
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX nomination_file_scope ON nomination_file (scope);
CREATE INDEX nomination_file_nomination_id ON nomination_file (nomination_id);
CREATE TABLE committee_member ({SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    duty TEXT NOT NULL DEFAULT '委员'
);
CREATE INDEX committee_member_scope ON committee_member (scope);
CREATE INDEX committee_member_session_id ON committee_member (session_id);
CREATE TABLE recusal ({SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    nomination_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recusal_scope ON recusal (scope);
CREATE INDEX recusal_session_id ON recusal (session_id);
CREATE INDEX recusal_nomination_id ON recusal (nomination_id);
CREATE INDEX recusal_member_id ON recusal (member_id);
CREATE TABLE nomination_score ({SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    nomination_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    item TEXT NOT NULL,
    value REAL NOT NULL
);
CREATE INDEX nomination_score_scope ON nomination_score (scope);
CREATE INDEX nomination_score_session_id ON nomination_score (session_id);
CREATE INDEX nomination_score_nomination_id ON nomination_score (nomination_id);
CREATE INDEX nomination_score_member_id ON nomination_score (member_id);
CREATE TABLE tie_decision ({SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    category TEXT NOT NULL,
    tied TEXT NOT NULL,
    chosen TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX tie_decision_scope ON tie_decision (scope);
CREATE INDEX tie_decision_session_id ON tie_decision (session_id);
CREATE TABLE nomination_event ({SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX nomination_event_scope ON nomination_event (scope);
CREATE INDEX nomination_event_session_id ON nomination_event (session_id);
CREATE INDEX nomination_event_record_id ON nomination_event (record_id);
CREATE TABLE nominee_honour ({SYNC_COLUMNS}
    nominee_id TEXT NOT NULL,
    title TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '镇级',
    awarded_by TEXT NOT NULL DEFAULT '',
    awarded_date TEXT,
    session_id TEXT
);
CREATE INDEX nominee_honour_scope ON nominee_honour (scope);
CREATE INDEX nominee_honour_nominee_id ON nominee_honour (nominee_id);
CREATE INDEX nominee_honour_session_id ON nominee_honour (session_id);
CREATE TABLE upward_submission ({SYNC_COLUMNS}
    nominee_id TEXT NOT NULL,
    nomination_id TEXT,
    list_name TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    submitted_date TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    outcome_date TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX upward_submission_scope ON upward_submission (scope);
CREATE INDEX upward_submission_nominee_id ON upward_submission (nominee_id);
"""
