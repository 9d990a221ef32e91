"""Schema step 12 (frozen as shipped): loose ends of the first modules (issue 19): the vote pass
line of a nomination session; full pinyin typed without spaces (name_spell) for volunteers and
nominees, and initials for nominees, filled from the stored pinyin keys."""

from __future__ import annotations

STEP_12 = """
ALTER TABLE nomination_session ADD COLUMN pass_fraction TEXT NOT NULL DEFAULT '1/2';
ALTER TABLE volunteer ADD COLUMN name_spell TEXT NOT NULL DEFAULT '';
UPDATE volunteer SET name_spell = replace(name_pinyin, ' ', '');
CREATE INDEX volunteer_deleted_name_spell ON volunteer (deleted, name_spell);
ALTER TABLE nominee ADD COLUMN name_initials TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN name_spell TEXT NOT NULL DEFAULT '';
UPDATE nominee SET name_spell = replace(name_pinyin, ' ', '');
WITH RECURSIVE cut(id, rest, heads) AS (
    SELECT id, name_pinyin || ' ', '' FROM nominee WHERE name_pinyin <> ''
    UNION ALL
    SELECT id, substr(rest, instr(rest, ' ') + 1), heads || substr(rest, 1, 1) FROM cut WHERE rest <> ''
)
UPDATE nominee SET name_initials = coalesce((SELECT heads FROM cut WHERE cut.id = nominee.id AND rest = ''), '');
CREATE INDEX nominee_name_initials ON nominee (name_initials);
CREATE INDEX nominee_name_spell ON nominee (name_spell);
"""
