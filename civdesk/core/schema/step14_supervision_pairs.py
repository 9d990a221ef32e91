"""Schema step 14: 督查与整改 — a clerk's explicit pairing of an 整改后 photo with the 整改前 photo it
answers (or none), added after the photo was stored. Rows are only ever added; the newest (by
clock) for an after-photo is the pairing in force, so two PCs pairing the same photo converge."""

from __future__ import annotations

from civdesk.core.schema.columns import SYNC_COLUMNS

STEP_14 = f"""
CREATE TABLE supervision_photo_pair ({SYNC_COLUMNS}
    after_id TEXT NOT NULL,
    before_id TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_photo_pair_scope ON supervision_photo_pair (scope);
CREATE INDEX supervision_photo_pair_after_id ON supervision_photo_pair (after_id);
"""
