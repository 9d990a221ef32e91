"""Schema step 18 (frozen as shipped): what clerks' rosters know that a volunteer could not keep
(issue 20): the sheet's own volunteer number (原编号, searchable), 职业 and a second phone (座机)."""

from __future__ import annotations

STEP_18 = """
ALTER TABLE volunteer ADD COLUMN original_number TEXT NOT NULL DEFAULT '';
ALTER TABLE volunteer ADD COLUMN occupation TEXT NOT NULL DEFAULT '';
ALTER TABLE volunteer ADD COLUMN landline TEXT NOT NULL DEFAULT '';
CREATE INDEX volunteer_original_number ON volunteer (original_number);
"""
