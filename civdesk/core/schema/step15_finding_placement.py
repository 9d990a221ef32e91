"""Schema step 15: a 督查 finding may name the 公益广告 placement it is about (damaged, faded or
missing), so the placement shows its open findings (issue 16)."""

from __future__ import annotations

STEP_15 = """
ALTER TABLE supervision_finding ADD COLUMN placement_id TEXT;
ALTER TABLE supervision_finding ADD COLUMN placement_state TEXT NOT NULL DEFAULT '';
CREATE INDEX supervision_finding_placement_id ON supervision_finding (placement_id);
"""
