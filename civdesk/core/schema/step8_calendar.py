"""Schema step 8 (frozen as shipped): the working-day calendar (official holidays and 调休), edited by an
administrator."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_8 = f"""
CREATE TABLE calendar_day ({SYNC_COLUMNS}
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calendar_day_scope ON calendar_day (scope);
CREATE INDEX calendar_day_day ON calendar_day (day);
"""
