"""Schema step 10 (frozen as shipped): 热线工单: tickets, their append-only events, files, 延期 requests, 现场办公会 with tasks."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_10 = f"""
CREATE TABLE hotline_ticket ({SYNC_COLUMNS}
    number TEXT NOT NULL,
    received_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    caller_name TEXT NOT NULL DEFAULT '',
    caller_phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    village_id TEXT,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    content TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'received',
    assignee_kind TEXT NOT NULL DEFAULT '',
    assignee TEXT NOT NULL DEFAULT '',
    dispatched_at TEXT,
    sign_due TEXT,
    signed_at TEXT,
    handle_due TEXT,
    replied_at TEXT,
    reply TEXT NOT NULL DEFAULT '',
    visit_result TEXT NOT NULL DEFAULT '',
    visit_note TEXT NOT NULL DEFAULT '',
    visited_at TEXT,
    closed_at TEXT,
    redo_count INTEGER NOT NULL DEFAULT 0,
    merged_into TEXT,
    address_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_ticket_scope ON hotline_ticket (scope);
CREATE INDEX hotline_ticket_number ON hotline_ticket (number);
CREATE INDEX hotline_ticket_received_at ON hotline_ticket (received_at);
CREATE INDEX hotline_ticket_caller_phone ON hotline_ticket (caller_phone);
CREATE INDEX hotline_ticket_village_id ON hotline_ticket (village_id);
CREATE INDEX hotline_ticket_state ON hotline_ticket (state);
CREATE INDEX hotline_ticket_merged_into ON hotline_ticket (merged_into);
CREATE INDEX hotline_ticket_address_key ON hotline_ticket (address_key);
CREATE INDEX hotline_ticket_address_key_category ON hotline_ticket (address_key, category);
CREATE TABLE hotline_event ({SYNC_COLUMNS}
    ticket_id TEXT NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_event_scope ON hotline_event (scope);
CREATE INDEX hotline_event_ticket_id ON hotline_event (ticket_id);
CREATE TABLE hotline_file ({SYNC_COLUMNS}
    ticket_id TEXT NOT NULL,
    event_id TEXT,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX hotline_file_scope ON hotline_file (scope);
CREATE INDEX hotline_file_ticket_id ON hotline_file (ticket_id);
CREATE TABLE hotline_extension ({SYNC_COLUMNS}
    ticket_id TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    days INTEGER NOT NULL,
    reason TEXT NOT NULL,
    old_due TEXT NOT NULL,
    new_due TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_extension_scope ON hotline_extension (scope);
CREATE INDEX hotline_extension_ticket_id ON hotline_extension (ticket_id);
CREATE TABLE hotline_meeting ({SYNC_COLUMNS}
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    attendees TEXT NOT NULL,
    village_id TEXT,
    category TEXT NOT NULL,
    month TEXT NOT NULL,
    ticket_ids TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_meeting_scope ON hotline_meeting (scope);
CREATE INDEX hotline_meeting_village_id ON hotline_meeting (village_id);
CREATE INDEX hotline_meeting_month ON hotline_meeting (month);
CREATE TABLE hotline_meeting_task ({SYNC_COLUMNS}
    meeting_id TEXT NOT NULL,
    task TEXT NOT NULL,
    owner TEXT NOT NULL,
    due TEXT NOT NULL,
    done_on TEXT
);
CREATE INDEX hotline_meeting_task_scope ON hotline_meeting_task (scope);
CREATE INDEX hotline_meeting_task_meeting_id ON hotline_meeting_task (meeting_id);
"""
