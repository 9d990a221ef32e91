"""Schema step 13 (frozen as shipped): issuing bodies (发文机关: full name, short name, 机关代字, red head,
the documents each issues) and the register of 发文字号 numbered per body and year."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_13 = f"""
CREATE TABLE issuing_body ({SYNC_COLUMNS}
    key TEXT NOT NULL,
    full_name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL DEFAULT '',
    red_head INTEGER NOT NULL DEFAULT 1,
    documents TEXT NOT NULL DEFAULT ''
);
CREATE INDEX issuing_body_scope ON issuing_body (scope);
CREATE INDEX issuing_body_key ON issuing_body (key);
CREATE TABLE document_number ({SYNC_COLUMNS}
    body_key TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    ref TEXT NOT NULL DEFAULT ''
);
CREATE INDEX document_number_scope ON document_number (scope);
CREATE INDEX document_number_body_year ON document_number (body_key, year);
CREATE INDEX document_number_number ON document_number (number);
CREATE INDEX document_number_ref ON document_number (kind, ref);
"""
