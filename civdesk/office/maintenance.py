"""Keeping the database healthy: opening and checking it, backups, and restoring from one.

The GUI (start-up, 文件 → 备份数据库, the restore dialog, 关于) and the command line (``check``,
``backup``, ``restore``) both go through these functions, so a backup or a restore is checked,
permitted and written to the audit log the same way whoever starts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from civdesk.core import backup, changes, db
from civdesk.core.actor import Actor, require
from civdesk.core.backup import BackupInfo
from civdesk.core.errors import CivDeskError
from civdesk.office import settings, setup

__all__ = ["SCHEMA_VERSION", "BackupInfo", "DatabaseInfo", "HealthReport", "backup_folder", "backups", "check",
           "checked_today", "close_database", "daily_backup", "data_version", "integrity_problems", "log_backup", "make_backup", "open_database",
           "restore", "restore_damaged", "schema_version"]

SCHEMA_VERSION = db.SCHEMA_VERSION  # the newest database version this program reads and writes


@dataclass(frozen=True)
class DatabaseInfo:
    """The database just opened: read-only (and why), its version, the version it was upgraded from."""

    path: Path
    read_only: bool
    read_only_reason: str
    schema_version: int
    upgraded_from: int | None


@dataclass(frozen=True)
class HealthReport:
    """What ``check`` finds: the version, whether this program supports it, integrity problems."""

    database: Path
    schema_version: int
    problems: list[str]
    initialized: bool | None  # None when the database is too damaged to tell
    supported_schema_version: int = SCHEMA_VERSION

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def newer_than_supported(self) -> bool:
        return self.schema_version > self.supported_schema_version

    def as_json(self) -> dict:
        return {"database": str(self.database), "schema_version": self.schema_version,
                "supported_schema_version": self.supported_schema_version,
                "integrity": "ok" if self.healthy else "failed", "problems": self.problems,
                "initialized": self.initialized}


# --- opening and checking -------------------------------------------------------------------


def open_database(path, *, read_only: bool = False) -> DatabaseInfo:
    """Open (creating if needed) and upgrade the database at *path*; see ``core.db.open_database``.
    Raises DatabaseDamaged for a file that cannot be opened."""
    state = db.open_database(path, read_only=read_only)
    return DatabaseInfo(state.path, state.read_only, state.read_only_reason, state.schema_version,
                        state.upgraded_from)


def close_database() -> None:
    db.close_database()


def schema_version() -> int:
    """The version of the open database."""
    return db.state.schema_version


def integrity_problems() -> list[str]:
    """SQLite's integrity and foreign-key checks of the open database; empty when healthy."""
    return db.integrity_problems()


def check(path) -> HealthReport:
    """Open the database at *path* read-only and check it."""
    path = Path(path)
    if not path.exists():
        raise CivDeskError(f"找不到数据库：{path}")
    db.open_database(path, read_only=True)
    problems = db.integrity_problems()
    return HealthReport(path, db.state.schema_version, problems, setup.is_initialized() if not problems else None)


# --- backups --------------------------------------------------------------------------------


def backups(db_path=None) -> list[BackupInfo]:
    """The backups in the backup folder beside the database, newest first."""
    return backup.list_backups(Path(db_path) if db_path else None)


def backup_folder(db_path=None) -> Path:
    return backup.backup_dir(Path(db_path) if db_path else None)


def data_version() -> tuple:
    """Changes whenever anything was written to the open database — every write goes through the
    change log or the audit log (logins, backups, sync imports too) — or the day turns (deadlines
    move with it). Both are the logs' largest keys: read in an instant however long they are."""
    seq = db.database.execute_sql("SELECT MAX(seq) FROM change_log").fetchone()[0]
    audit = db.database.execute_sql("SELECT MAX(rowid) FROM audit_entry").fetchone()[0]
    return dt.date.today(), seq, audit


def checked_today() -> bool:
    """Whether today's first start already checked the database and made the daily backup: the
    whole-file integrity check (a minute on a large office) runs once a day, with the backup."""
    return backup.has_daily_backup()


def daily_backup() -> Path | None:
    """The automatic backup on start (at most one a day), keeping as many as the settings say."""
    return backup.auto_backup_on_start(settings.get("backup.keep"))


def make_backup(actor: Actor, dest) -> Path:
    """Back the open database up to the file *dest* (a read-only database too). Safe to run as a
    background job; the caller then writes :func:`log_backup` (which needs a writable database)."""
    require(actor, "backup")
    return backup.make_backup("manual", Path(dest))


def log_backup(actor: Actor, path) -> None:
    changes.write_audit(actor, "backup", note=f"备份到 {path}")


# --- restoring ------------------------------------------------------------------------------


def _check_restored() -> None:
    problems = db.integrity_problems()
    if problems:
        raise CivDeskError("恢复后的数据库仍未通过检查：" + "；".join(problems[:3]))


def restore(actor: Actor, backup_path) -> Path:
    """Replace the open database's content with a backup; the current content is backed up first.
    Returns where that backup is. Written to the audit log as 从备份恢复数据库 (restore_db)."""
    require(actor, "restore")
    backup_path = Path(backup_path)
    safety = backup.restore(backup_path)
    _check_restored()
    changes.write_audit(actor, "restore_db", note=f"从 {backup_path} 恢复；恢复前的数据已备份到 {safety}")
    return safety


def restore_damaged(actor: Actor, db_path, backup_path) -> Path:
    """For a database too damaged to open: move it aside (never deleted), rebuild it from a backup
    and open it. Returns where the damaged file now is. Audited like :func:`restore`."""
    require(actor, "restore")
    backup_path = Path(backup_path)
    aside = backup.restore_damaged(db_path, backup_path)
    db.open_database(db_path)
    _check_restored()
    changes.write_audit(actor, "restore_db", note=f"从 {backup_path} 恢复；损坏的文件保留为 {aside}")
    return aside
