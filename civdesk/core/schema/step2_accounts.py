"""Schema step 2 (frozen as shipped): accounts created or reset by an administrator carry a temporary
password that must be changed at the next login; names are searched by pinyin, so index it."""

from __future__ import annotations

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
