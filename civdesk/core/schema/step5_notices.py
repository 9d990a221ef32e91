"""Schema step 5 (frozen as shipped): public notices (公示) shared by the modules that publish candidates
(civilized units, good-people nominations): the notice, its candidates, and objections with outcomes."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_5 = f"""
CREATE TABLE public_notice ({SYNC_COLUMNS}
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
CREATE TABLE notice_candidate ({SYNC_COLUMNS}
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
CREATE TABLE objection ({SYNC_COLUMNS}
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
