"""Many records at once, for the volunteers service: the rows a file gives, the plan of what they
would do, and the one way a plan is written.

An importer (the Excel modules beside this one) reads a sheet into :class:`RowIn` values and
hands them to ``roster_batch.check_import`` or ``hours_batch.check_import``, which check every
row by the rules a single record follows and return a :class:`Plan` without writing anything.
``import_rows`` / ``import_records`` write a plan: permission, a backup, one transaction, the
change log — the importer never does any of that itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from civdesk.core import backup, changes, db, jobs, validation
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.jobs import CancelCheck, Progress

# What jobs.Cancelled says when the user stops an import.
CANCELLED = "已取消导入，没有导入任何数据"
NOTHING_UNREAD: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RowIn:
    """One row of a file: its number as the clerk sees it, the values of the fields the file
    has (a field the file has no column for is absent, an empty cell is None), and the fields
    whose cell the reader already refused (they are not checked again).  ``read``: the values
    come from the sheet reader, which strips and folds every text."""

    row: int
    values: dict[str, Any]
    unread: frozenset[str] = NOTHING_UNREAD
    read: bool = False  # from the sheet reader: text already stripped and folded


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row cannot be written (or, as a notice, why it is left out), by field."""

    row: int
    key: str
    message: str


@dataclass
class Plan:
    """What writing the checked rows would do, computed without writing.  ``db_clock`` is the
    newest change when the check began: a plan the database has moved on from is not written."""

    db_clock: str | None
    to_create: list[dict] = field(default_factory=list)
    to_update: list[tuple[int, str, dict]] = field(default_factory=list)  # (row, record id, changes)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # rows left out on purpose, and why
    rejected: set[int] = field(default_factory=set)  # rows refused, by their problems or unread cells
    skipped: int = 0  # rows already in the database
    conversions: dict[str, list[int]] = field(default_factory=dict)  # "20 分钟 → 0.33 小时，计 0.5 小时" -> rows
    rewritten: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)  # (field, as given, standard) -> rows

    def refuse(self, row: int, key: str, message: str) -> None:
        self.problems.append(Problem(row, key, message))
        self.rejected.add(row)

    def still_current(self) -> bool:
        return changes.newest_stamp() == self.db_clock


@dataclass
class Outcome:
    """What writing a plan did."""

    imported: int = 0
    updated: int = 0
    written: bool = False
    backup_path: Path | None = None


class StalePlan(CivDeskError):
    """The database changed after the rows were checked: check them again before writing."""

    def __init__(self) -> None:
        super().__init__("检查之后数据库已有其他修改，请重新检查文件后再导入。")


def new_plan() -> Plan:
    return Plan(db_clock=changes.newest_stamp())


def write(plan: Plan, total: int, what: str, body: Callable[[], None], *, progress: Progress | None,
          cancelled: CancelCheck | None) -> Path:
    """Back the database up, then run *body* in one transaction; returns the backup's path.
    A cancel before the backup writes nothing; *body* reports its own progress."""
    jobs.check(cancelled, CANCELLED)
    db.ensure_writable()
    if not plan.still_current():
        raise StalePlan()
    if progress is not None:
        progress(0, total, "正在备份数据库…")
    backup_path = backup.make_backup("before-import")
    if progress is not None:
        progress(0, total, f"正在写入 {total} {what}，请稍候…")
    with database.atomic():
        body()
    if progress is not None:
        progress(total, total, "导入完成")
    return backup_path


def text_of(value: object) -> str:
    """A value as text the way a clerk sees it in the cell: 12.0 is "12", a date is 2024-03-05."""
    if value is None:
        return ""
    if value.__class__ is str:
        # ASCII text cannot hold full-width or invisible characters: strip() is all it needs.
        return value.strip() if value.isascii() else validation.normalize_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return validation.normalize_text(value)
