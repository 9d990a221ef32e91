"""Schema step 14 (frozen as shipped): loose ends of the first modules (issue 19): the vote pass
line of a nomination session."""

from __future__ import annotations

STEP_14 = """
ALTER TABLE nomination_session ADD COLUMN pass_fraction TEXT NOT NULL DEFAULT '1/2';
"""
