"""Schema step 20 (frozen as shipped): the volunteer register read a window at a time (issue 17).

The register shows the volunteers of one status (在册 by default) by name. With this index the
list's count and each window of it are read from the index alone, in order, instead of every id
being looked up and read on each reload (100,000 volunteers: ~290 ms → a few ms). ``ANALYZE``
gives the planner the new index's statistics, so that a list of every status keeps walking
``volunteer_deleted_name_pinyin_id`` rather than sorting this one's rows.
"""

from __future__ import annotations

STEP_20 = """
CREATE INDEX volunteer_deleted_status_name_pinyin_id ON volunteer (deleted, status, name_pinyin, id);
ANALYZE volunteer;
"""
