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

# Version 5: public notices (公示) shared by the modules that publish candidates (civilized
# units, good-people nominations): the notice, its candidates, and objections with outcomes.
STEP_5 = f"""
CREATE TABLE public_notice ({_SYNC_COLUMNS}
    subject TEXT NOT NULL,
    subject_ref TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    withdrawn INTEGER NOT NULL DEFAULT 0,
    withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX public_notice_scope ON public_notice (scope);
CREATE INDEX public_notice_subject_subject_ref ON public_notice (subject, subject_ref);
CREATE INDEX public_notice_end_date ON public_notice (end_date);
CREATE TABLE notice_candidate ({_SYNC_COLUMNS}
    notice_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    name TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    village_id TEXT
);
CREATE INDEX notice_candidate_scope ON notice_candidate (scope);
CREATE INDEX notice_candidate_notice_id ON notice_candidate (notice_id);
CREATE INDEX notice_candidate_item_id ON notice_candidate (item_id);
CREATE TABLE objection ({_SYNC_COLUMNS}
    notice_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    received_date TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    outcome_note TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    decided_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX objection_scope ON objection (scope);
CREATE INDEX objection_notice_id ON objection (notice_id);
CREATE INDEX objection_item_id ON objection (item_id);
"""

# Version 6: civilized-unit creation (文明单位/村/社区/企业创建): organisations and the titles
# they hold, indicator sets, applications with append-only scores, status events and reviews,
# attachments stored in chunks so they travel with sync, vetoes and district recommendations.
STEP_6 = f"""
CREATE TABLE unit_org ({_SYNC_COLUMNS}
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
CREATE TABLE indicator_set ({_SYNC_COLUMNS}
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
CREATE TABLE indicator_item ({_SYNC_COLUMNS}
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
CREATE TABLE unit_application ({_SYNC_COLUMNS}
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
CREATE TABLE unit_score ({_SYNC_COLUMNS}
    application_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    tenths INTEGER NOT NULL,
    grade TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_score_scope ON unit_score (scope);
CREATE INDEX unit_score_application_id_kind ON unit_score (application_id, kind);
CREATE TABLE unit_event ({_SYNC_COLUMNS}
    application_id TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_event_scope ON unit_event (scope);
CREATE INDEX unit_event_application_id ON unit_event (application_id);
CREATE TABLE unit_attachment ({_SYNC_COLUMNS}
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
CREATE TABLE unit_attachment_chunk ({_SYNC_COLUMNS}
    attachment_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX unit_attachment_chunk_scope ON unit_attachment_chunk (scope);
CREATE INDEX unit_attachment_chunk_attachment_id_seq ON unit_attachment_chunk (attachment_id, seq);
CREATE TABLE unit_veto ({_SYNC_COLUMNS}
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
CREATE TABLE unit_title ({_SYNC_COLUMNS}
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
CREATE TABLE unit_review ({_SYNC_COLUMNS}
    title_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    review_date TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_review_scope ON unit_review (scope);
CREATE INDEX unit_review_title_id ON unit_review (title_id);
CREATE TABLE unit_recommendation ({_SYNC_COLUMNS}
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

# Version 7: good-people and moral-model nominations (身边好人 / 道德模范). Persons are kept once
# per ID number; recusals, scores, votes, tie decisions and status events are append-only; photos
# and documents travel in the database as base64 text.
STEP_7 = f"""
CREATE TABLE nomination_session ({_SYNC_COLUMNS}
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
CREATE TABLE nominee ({_SYNC_COLUMNS}
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
CREATE TABLE nomination ({_SYNC_COLUMNS}
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
CREATE TABLE nomination_file ({_SYNC_COLUMNS}
    nomination_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'photo',
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX nomination_file_scope ON nomination_file (scope);
CREATE INDEX nomination_file_nomination_id ON nomination_file (nomination_id);
CREATE TABLE committee_member ({_SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    duty TEXT NOT NULL DEFAULT '委员'
);
CREATE INDEX committee_member_scope ON committee_member (scope);
CREATE INDEX committee_member_session_id ON committee_member (session_id);
CREATE TABLE recusal ({_SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    nomination_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recusal_scope ON recusal (scope);
CREATE INDEX recusal_session_id ON recusal (session_id);
CREATE INDEX recusal_nomination_id ON recusal (nomination_id);
CREATE INDEX recusal_member_id ON recusal (member_id);
CREATE TABLE nomination_score ({_SYNC_COLUMNS}
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
CREATE TABLE tie_decision ({_SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    category TEXT NOT NULL,
    tied TEXT NOT NULL,
    chosen TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX tie_decision_scope ON tie_decision (scope);
CREATE INDEX tie_decision_session_id ON tie_decision (session_id);
CREATE TABLE nomination_event ({_SYNC_COLUMNS}
    session_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX nomination_event_scope ON nomination_event (scope);
CREATE INDEX nomination_event_session_id ON nomination_event (session_id);
CREATE INDEX nomination_event_record_id ON nomination_event (record_id);
CREATE TABLE nominee_honour ({_SYNC_COLUMNS}
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
CREATE TABLE upward_submission ({_SYNC_COLUMNS}
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

# 8: the working-day calendar (official holidays and 调休), edited by an administrator.
STEP_8 = f"""
CREATE TABLE calendar_day ({_SYNC_COLUMNS}
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calendar_day_scope ON calendar_day (scope);
CREATE INDEX calendar_day_day ON calendar_day (day);
"""

# 11: 活动与阵地 — activity records and their photos, 道德讲堂 halls and sessions, 公益广告, 三美示范村,
# minors' care projects, the children helped and the psychological station's service records.
STEP_11 = f"""
CREATE TABLE act_record ({_SYNC_COLUMNS}
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'held',
    title TEXT NOT NULL,
    day TEXT NOT NULL,
    festival TEXT NOT NULL DEFAULT '',
    village_id TEXT,
    place TEXT NOT NULL DEFAULT '',
    organiser TEXT NOT NULL DEFAULT '',
    participants INTEGER NOT NULL DEFAULT 0,
    content TEXT NOT NULL DEFAULT '',
    project_id TEXT,
    volunteer_activity_id TEXT,
    title_pinyin TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_record_scope ON act_record (scope);
CREATE INDEX act_record_day ON act_record (day);
CREATE INDEX act_record_village_id ON act_record (village_id);
CREATE INDEX act_record_project_id ON act_record (project_id);
CREATE INDEX act_record_volunteer_activity_id ON act_record (volunteer_activity_id);
CREATE INDEX act_record_title_pinyin ON act_record (title_pinyin);
CREATE TABLE act_photo ({_SYNC_COLUMNS}
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    caption TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_photo_scope ON act_photo (scope);
CREATE INDEX act_photo_owner_id ON act_photo (owner_id);
CREATE TABLE act_photo_chunk ({_SYNC_COLUMNS}
    photo_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX act_photo_chunk_scope ON act_photo_chunk (scope);
CREATE INDEX act_photo_chunk_photo_id_seq ON act_photo_chunk (photo_id, seq);
CREATE TABLE act_hall ({_SYNC_COLUMNS}
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    village_id TEXT,
    address TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_hall_scope ON act_hall (scope);
CREATE INDEX act_hall_village_id ON act_hall (village_id);
CREATE TABLE act_hall_session ({_SYNC_COLUMNS}
    hall_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    parts TEXT NOT NULL DEFAULT '[]',
    story_kind TEXT NOT NULL DEFAULT '',
    story_title TEXT NOT NULL DEFAULT '',
    storyteller TEXT NOT NULL DEFAULT '',
    nominee_id TEXT
);
CREATE INDEX act_hall_session_scope ON act_hall_session (scope);
CREATE INDEX act_hall_session_hall_id ON act_hall_session (hall_id);
CREATE INDEX act_hall_session_record_id ON act_hall_session (record_id);
CREATE INDEX act_hall_session_nominee_id ON act_hall_session (nominee_id);
CREATE TABLE act_placement ({_SYNC_COLUMNS}
    village_id TEXT,
    location_type TEXT NOT NULL,
    place TEXT NOT NULL,
    theme TEXT NOT NULL,
    size TEXT NOT NULL DEFAULT '',
    put_up TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '完好',
    inspected_on TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_placement_scope ON act_placement (scope);
CREATE INDEX act_placement_village_id ON act_placement (village_id);
CREATE TABLE act_sanmei_village ({_SYNC_COLUMNS}
    village_id TEXT NOT NULL,
    plan TEXT NOT NULL DEFAULT '',
    plan_year INTEGER NOT NULL,
    named_on TEXT,
    decision TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_sanmei_village_scope ON act_sanmei_village (scope);
CREATE INDEX act_sanmei_village_village_id ON act_sanmei_village (village_id);
CREATE TABLE act_sanmei_evaluation ({_SYNC_COLUMNS}
    village_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    fengshang INTEGER NOT NULL,
    huanjing INTEGER NOT NULL,
    shenghuo INTEGER NOT NULL,
    evaluated_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_sanmei_evaluation_scope ON act_sanmei_evaluation (scope);
CREATE INDEX act_sanmei_evaluation_village_id ON act_sanmei_evaluation (village_id);
CREATE TABLE act_minor_project ({_SYNC_COLUMNS}
    village_id TEXT NOT NULL,
    name TEXT NOT NULL,
    target_group TEXT NOT NULL,
    helpers TEXT NOT NULL DEFAULT '',
    done TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT
);
CREATE INDEX act_minor_project_scope ON act_minor_project (scope);
CREATE INDEX act_minor_project_village_id ON act_minor_project (village_id);
CREATE TABLE act_minor_child ({_SYNC_COLUMNS}
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_year INTEGER,
    school TEXT NOT NULL DEFAULT '',
    guardian TEXT NOT NULL DEFAULT '',
    help_given TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_minor_child_scope ON act_minor_child (scope);
CREATE INDEX act_minor_child_project_id ON act_minor_child (project_id);
CREATE TABLE act_station_service ({_SYNC_COLUMNS}
    village_id TEXT NOT NULL,
    day TEXT NOT NULL,
    service TEXT NOT NULL,
    counsellor TEXT NOT NULL DEFAULT '',
    child_name TEXT NOT NULL DEFAULT '',
    child_age INTEGER,
    attendees INTEGER NOT NULL DEFAULT 1,
    summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_station_service_scope ON act_station_service (scope);
CREATE INDEX act_station_service_village_id ON act_station_service (village_id);
CREATE INDEX act_station_service_day ON act_station_service (day);
"""

STEPS: list[str] = [STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6, STEP_7, STEP_8, STEP_11]
SCHEMA_VERSION = len(STEPS)


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
