"""Schema step 11 (frozen as shipped): 活动与阵地: activity records with photos and volunteers, festival plans, 道德讲堂 halls and sessions, 公益广告 placements, 三美示范村, minors' care."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_11 = f"""
CREATE TABLE act_record ({SYNC_COLUMNS}
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
CREATE TABLE act_photo ({SYNC_COLUMNS}
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
CREATE TABLE act_photo_chunk ({SYNC_COLUMNS}
    photo_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX act_photo_chunk_scope ON act_photo_chunk (scope);
CREATE INDEX act_photo_chunk_photo_id_seq ON act_photo_chunk (photo_id, seq);
CREATE TABLE act_hall ({SYNC_COLUMNS}
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    village_id TEXT,
    address TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_hall_scope ON act_hall (scope);
CREATE INDEX act_hall_village_id ON act_hall (village_id);
CREATE TABLE act_hall_session ({SYNC_COLUMNS}
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
CREATE TABLE act_placement ({SYNC_COLUMNS}
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
CREATE TABLE act_sanmei_village ({SYNC_COLUMNS}
    village_id TEXT NOT NULL,
    plan TEXT NOT NULL DEFAULT '',
    plan_year INTEGER NOT NULL,
    named_on TEXT,
    decision TEXT NOT NULL DEFAULT ''
);
CREATE INDEX act_sanmei_village_scope ON act_sanmei_village (scope);
CREATE INDEX act_sanmei_village_village_id ON act_sanmei_village (village_id);
CREATE TABLE act_sanmei_evaluation ({SYNC_COLUMNS}
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
CREATE TABLE act_minor_project ({SYNC_COLUMNS}
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
CREATE TABLE act_minor_child ({SYNC_COLUMNS}
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
CREATE TABLE act_station_service ({SYNC_COLUMNS}
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
