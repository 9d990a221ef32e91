"""Schema step 19 (frozen as shipped): "records waiting for review" answered by an index (issue 17).

A decision is a separate, synced ``service_approval`` row, so "no decision yet" is not a
condition on the record's own row. ``service_record.pending`` is that condition stored on the
row; SQLite triggers keep it right however a row arrives (the service, a USB sync package that
brings the decision before or after its record, a restore), so the value never travels in the
change log (a derived field). A partial index holds only the records still pending, which the
start page's 待办 count and the review tab read instead of scanning every record.
"""

from __future__ import annotations

_STILL_PENDING = "NOT EXISTS (SELECT 1 FROM service_approval WHERE record_id = new.id)"

STEP_19 = f"""
ALTER TABLE service_record ADD COLUMN pending INTEGER NOT NULL DEFAULT 1;
UPDATE service_record SET pending = 0 WHERE id IN (SELECT record_id FROM service_approval);
CREATE INDEX service_record_pending ON service_record (service_date, created_by) WHERE pending = 1 AND deleted = 0;
CREATE TRIGGER service_record_pending_insert AFTER INSERT ON service_record
WHEN new.pending IS NOT ({_STILL_PENDING})
BEGIN
    UPDATE service_record SET pending = ({_STILL_PENDING}) WHERE id = new.id;
END;
CREATE TRIGGER service_record_pending_update AFTER UPDATE ON service_record
WHEN new.pending IS NOT ({_STILL_PENDING})
BEGIN
    UPDATE service_record SET pending = ({_STILL_PENDING}) WHERE id = new.id;
END;
CREATE TRIGGER service_approval_pending_insert AFTER INSERT ON service_approval
BEGIN
    UPDATE service_record SET pending = 0 WHERE id = new.record_id AND pending <> 0;
END;
CREATE TRIGGER service_approval_pending_delete AFTER DELETE ON service_approval
BEGIN
    UPDATE service_record SET pending = NOT EXISTS (SELECT 1 FROM service_approval WHERE record_id = old.record_id)
    WHERE id = old.record_id;
END;
CREATE TRIGGER service_approval_pending_update AFTER UPDATE OF record_id ON service_approval
BEGIN
    UPDATE service_record SET pending = NOT EXISTS (SELECT 1 FROM service_approval WHERE record_id = old.record_id)
    WHERE id = old.record_id;
    UPDATE service_record SET pending = 0 WHERE id = new.record_id;
END;
"""
