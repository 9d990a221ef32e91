"""Backups with SQLite's backup API (never a file copy: the WAL may hold recent pages).

Automatic backups live in ``backups/<name>/`` beside the database (``backups/civdesk/`` for
civdesk.sqlite3): one a day on start, and one before every schema upgrade, import and restore.
Only automatic ones are pruned. At start (``tidy``) the backups an older CivDesk left in the shared
``backups/`` folder move into this database's folder when they are copies of it (the same node
id), and ``*.part`` files of backups killed halfway are removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import apsw

from civdesk.core import convert, db, encrypted_db, keyring
from civdesk.core.db import (
    SCHEMA_VERSION,
    backup_dir,
    copy_database,
    database,
    make_backup,
    shared_backup_dir,
)
from civdesk.core.errors import CivDeskError, DatabaseDamaged
from civdesk.core.paths import replace

__all__ = ["REASONS", "BackupInfo", "auto_backup_on_start", "backup_dir", "inspect", "list_backups",
           "make_backup", "prune", "restore", "restore_damaged", "tidy"]

REASONS = {"daily": "每日自动备份", "before-upgrade": "升级前自动备份", "before-import": "导入前自动备份",
           "before-restore": "恢复前自动备份",
           "before-encrypt": "加密前自动备份", "manual": "手动备份"}
_NAME = re.compile(r"^civdesk-(\d{8})-(\d{6})(?:-\d+)?-([a-z\-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def list_backups(db_path: Path | None = None) -> list[BackupInfo]:
    folder = backup_dir(db_path)
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match:
                created = dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
                found.append(BackupInfo(path, created, match.group(3), path.stat().st_size))
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def prune(keep: int) -> list[Path]:
    automatic = [b for b in list_backups() if b.reason != "manual"]
    removed = []
    for info in automatic[keep:]:
        info.path.unlink(missing_ok=True)
        keyring.keyring_path(info.path).unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def _node_id_of(path: Path) -> str | None:
    """The node id inside a backup: a plain one of an older CivDesk, or one encrypted with the
    open database's key; None when it cannot be read."""
    try:
        conn = _open_source(path, db.state.key)
        try:
            row = conn.execute("SELECT value FROM local_meta WHERE key = 'node_id'").fetchone()
        finally:
            conn.close()
    except apsw.Error:
        return None
    return row[0] if row else None


PART_AGE = dt.timedelta(hours=1)  # a .part in the shared folder may be another database's backup under way


def tidy(now: dt.datetime | None = None) -> tuple[list[Path], list[Path]]:
    """At start, with the writer lock held: move this database's backups out of the shared
    folder of older versions, and remove leftovers of interrupted backups. Returns (moved, removed)."""
    own, shared = backup_dir(), shared_backup_dir()
    now = now or dt.datetime.now()
    moved, removed = [], []
    for leftover in own.glob("*.part") if own.is_dir() else []:
        leftover.unlink(missing_ok=True)  # only this database's writer backs up into its folder
        removed.append(leftover)
    if not shared.is_dir():
        return moved, removed
    node = db_node_id()
    for path in sorted(shared.iterdir()):
        if not path.is_file():
            continue
        if path.name.endswith(".part"):
            if now - dt.datetime.fromtimestamp(path.stat().st_mtime) > PART_AGE:
                path.unlink(missing_ok=True)
                removed.append(path)
        elif _NAME.match(path.name) and node and _node_id_of(path) == node:
            own.mkdir(parents=True, exist_ok=True)
            target = own / path.name
            if not target.exists():
                replace(path, target)
                if keyring.keyring_path(path).exists():  # its keyring travels with it
                    replace(keyring.keyring_path(path), keyring.keyring_path(target))
                moved.append(target)
    if moved and db.state.key is not None and keyring.keyring_path(db.state.path).exists():
        encrypt_plain_backups(db.state.path, db.state.key)  # no clear copy beside an encrypted database
    return moved, removed


def db_node_id() -> str | None:
    row = database.execute_sql("SELECT value FROM local_meta WHERE key = 'node_id'").fetchone() \
        if database.table_exists("local_meta") else None
    return row[0] if row else None


def encrypt_plain_backups(db_path, dk: bytes) -> list[Path]:
    """After a database was converted: its plain backups (made by older versions, and the one
    made just before converting) are encrypted in place with the same key, each with a copy of
    the keyring beside it, so that no personal data stays in clear in the backup folder."""
    keys = keyring.keyring_path(db_path).read_bytes()
    done = []
    for info in list_backups(Path(db_path)):
        if db.is_plain(info.path):
            convert.convert_file(info.path, dk, lambda p=info.path: keyring.atomic_write(keyring.keyring_path(p), keys))
            done.append(info.path)
    return done


def _open_source(path: Path, key: bytes | None):
    """A read-only connection to a backup: plain (an older CivDesk's) or encrypted with *key*."""
    return encrypted_db.connect(path, None if db.is_plain(path) else key, flags=apsw.SQLITE_OPEN_READONLY)


def has_daily_backup(day: dt.date | None = None) -> bool:
    """Whether the automatic backup of *day* (today) was made: the day's first start is done."""
    day = day or dt.date.today()
    return any(b.reason == "daily" and b.created.date() == day for b in list_backups())


def auto_backup_on_start(keep: int) -> Path | None:
    """At most one backup a day; keeps the newest *keep* automatic backups. Tidies the backup
    folders first (see ``tidy``)."""
    tidy()
    if has_daily_backup():
        return None
    path = make_backup("daily")
    prune(keep)
    return path


def inspect(path, key: bytes | None = None) -> int:
    """Check that *path* is a healthy CivDesk database we can restore with *key* (default: the
    open database's); returns its schema version."""
    path = Path(path)
    key = key if key is not None else db.state.key
    if not path.is_file():
        raise CivDeskError(f"找不到备份文件：{path}")
    if not db.is_plain(path) and key is not None and keyring.keyring_path(path).exists():
        ring = keyring.Keyring.load(keyring.keyring_path(path))
        if ring.key_id != keyring.key_id(key):
            raise CivDeskError(f"这个备份用另一个数据库密钥加密（例如更换密钥之前的备份），"
                               f"不能用当前的登录恢复：{path}")
    version = db.peek_schema_version(path, key)
    try:
        conn = _open_source(path, key)
        try:
            check = conn.execute("PRAGMA integrity_check(5)").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except apsw.Error as exc:
        raise DatabaseDamaged(f"备份文件已损坏，不能用来恢复（{exc}）：{path}") from exc
    if [r[0] for r in check] != ["ok"]:
        raise DatabaseDamaged(f"备份文件未通过完整性检查，不能用来恢复：{path}")
    if "local_meta" not in tables or version < 1:
        raise DatabaseDamaged(f"这个文件不是 CivDesk 的备份：{path}")
    if version > SCHEMA_VERSION:
        raise CivDeskError(f"这个备份由更新版本的 CivDesk 生成（数据库版本 {version}），请先升级 CivDesk。")
    return version


@contextlib.contextmanager
def _source_for(path: Path, key: bytes | None):
    """A connection to the backup *path* the backup API can copy into the open database: a plain
    backup (of an older CivDesk) into an encrypted database goes through an encrypted temporary
    copy, since sqlite3mc copies pages only between files of the same kind."""
    if not (db.is_plain(path) and db.state.key is not None):
        source = _open_source(path, key)
        try:
            yield source
        finally:
            source.close()
        return
    folder = Path(tempfile.mkdtemp(prefix=".restore-", dir=db.state.path.parent))
    try:
        temp = folder / "restore.sqlite3"
        shutil.copyfile(path, temp)
        convert.convert_file(temp, db.state.key)
        source = encrypted_db.connect(temp, db.state.key, flags=apsw.SQLITE_OPEN_READONLY)
        try:
            yield source
        finally:
            source.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def restore(path, key: bytes | None = None) -> Path:
    """Replace the open database's content with a backup (encrypted with *key*, by default the
    open database's); the current state is backed up first. The database keeps its own key.

    Returns the path of the backup taken before restoring. The caller writes the audit entry.
    """
    path = Path(path)
    key = key if key is not None else db.state.key
    version = inspect(path, key)
    db.ensure_writable()
    safety = make_backup("before-restore")
    with _source_for(path, key) as source, database.connection().backup("main", source, "main") as step:
        step.step(-1)
    db.content_replaced()
    if version < SCHEMA_VERSION:
        db.upgrade(version)
    db.state.schema_version = SCHEMA_VERSION
    _new_log_epoch(database.connection())
    return safety


def _new_log_epoch(conn) -> None:
    """A restored change log numbers its entries again from an older point: tell sync peers so
    (they then resend what this PC forgot instead of trusting old acknowledgements)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'local_meta'").fetchone():
        with conn:
            conn.execute("INSERT OR REPLACE INTO local_meta (key, value) VALUES ('log_epoch', ?)",
                         (uuid.uuid4().hex,))


def restore_damaged(db_path, backup_path, key: bytes | None = None) -> Path:
    """For a database too damaged to open: move it aside (never delete it) and rebuild the file
    from a backup (encrypted with *key*, which the login unwrapped from the keyring). Returns
    where the damaged file now is."""
    db_path, backup_path = Path(db_path), Path(backup_path)
    key = key if key is not None else db.state.key
    inspect(backup_path, key)
    db.close_database()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    replace(db_path, aside)
    for suffix in ("-wal", "-shm"):
        extra = Path(str(db_path) + suffix)
        if extra.exists():
            replace(extra, Path(str(aside) + suffix))
    plain = db.is_plain(backup_path)
    source = _open_source(backup_path, key)
    try:
        copy_database(source, db_path, None if plain else key)
    finally:
        source.close()
    restored = encrypted_db.connect(db_path, None if plain else key)
    try:
        _new_log_epoch(restored)
    finally:
        restored.close()
    return aside
