"""Schema step 17 (frozen as shipped): one person registered twice, merged (issue 19): a merged
volunteer or nominee stays as a tombstone whose ``merged_into`` points at the record kept."""

from __future__ import annotations

STEP_17 = """
ALTER TABLE volunteer ADD COLUMN merged_into TEXT NULL;
CREATE INDEX volunteer_merged_into ON volunteer (merged_into);
ALTER TABLE nominee ADD COLUMN merged_into TEXT NULL;
CREATE INDEX nominee_merged_into ON nominee (merged_into);
"""
