"""The one database object, how it is opened, checked and upgraded.

Every model binds to ``database``; ``open_database(path)`` points it at a file. peewee keeps one
connection per thread, so a background worker that calls ``worker_connection()`` gets its own
connection to the same file and never shares the GUI thread's.

The file is encrypted (SQLite3 Multiple Ciphers, AEGIS-256, see ``encrypted_db``) with the
database key the login unwraps from ``NAME.keys`` (``keyring``); ``open_database(path,
key=...)`` needs it for an encrypted file. A new file gets a new random key (setup writes the
keyring); a plain file of an older CivDesk opens without one until the first login converts it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import apsw
import peewee

from civdesk.core import encrypted_db, keyring, schema
from civdesk.core.encrypted_db import EncryptedDatabase
from civdesk.core.errors import DatabaseDamaged, DatabaseError, ReadOnlyError
from civdesk.core.paths import replace

SCHEMA_VERSION = schema.SCHEMA_VERSION
SQLITE_HEADER = b"SQLite format 3\x00"

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -32000,
    # Keeps PRAGMA optimize (run after bulk imports and on close) to a few milliseconds.
    "analysis_limit": 1000,
    # Sorting and temporary indexes never spill to an unencrypted temporary file.
    "temp_store": "memory",
}
READ_ONLY_PRAGMAS = {"foreign_keys": 1, "busy_timeout": 5000, "query_only": 1, "temp_store": "memory"}

database = EncryptedDatabase(None)


class KeyRequired(DatabaseError):
    """The file is encrypted and no key was given: log in first (the keyring unwraps it)."""


@dataclass
class DatabaseState:
    path: Path | None = None
    read_only: bool = False
    read_only_reason: str = ""
    schema_version: int = 0
    upgraded_from: int | None = None
    # Bumped whenever the file's content may have been replaced (open, restore), so that caches
    # of per-database facts (this PC's clock and node id) know to reload.
    generation: int = 0
    # The database key of the open file (None for a plain file of an older CivDesk). Only in
    # memory; repr=False keeps it out of logs and tracebacks.
    key: bytes | None = field(default=None, repr=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None


state = DatabaseState()
_SQL_ERRORS = (sqlite3.DatabaseError, peewee.DatabaseError, apsw.Error)


def is_plain(path) -> bool:
    """A database of an older CivDesk, not yet encrypted (the plain SQLite header)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


def is_encrypted(path) -> bool:
    """An existing, non-empty file that is not plain SQLite (an encrypted CivDesk database, or junk)."""
    path = Path(path)
    return path.is_file() and path.stat().st_size > 0 and not is_plain(path)


def open_database(path, *, key: bytes | None = None, read_only: bool = False,
                  backup_before_upgrade: bool = True) -> DatabaseState:
    """Open (creating if needed) the database at *path*, upgrading its schema.

    An encrypted file needs its *key* (KeyRequired otherwise); a new file is encrypted with
    *key* or a new random one (``state.key``; setup wraps it into the keyring); a plain file of
    an older CivDesk opens without a key. A database written by a newer CivDesk is opened
    read-only, with the reason in ``state.read_only_reason``; it is never modified.
    """
    global state
    close_database()
    path = Path(path).expanduser().resolve()
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not read_only:
        key = key or keyring.new_database_key()
    elif exists and is_plain(path):
        key = None
    version, tables = _peek(path, key) if exists else (0, 0)
    reason = ""
    if version > SCHEMA_VERSION:
        read_only = True
        reason = (f"这个数据库由更新版本的 CivDesk 写入（数据库版本 {version}，本程序支持到 {SCHEMA_VERSION}）。"
                  "为避免损坏数据，现以只读方式打开，请升级 CivDesk 后再修改。")
    elif read_only:
        reason = "数据库以只读方式打开。"
    if read_only and not path.exists():
        raise DatabaseDamaged(f"找不到数据库文件：{path}")
    if version == 0 and tables:
        # Checked before connecting for writing: even switching to WAL would alter the file.
        raise DatabaseDamaged(f"这个文件是别的程序的数据库，不是 CivDesk 数据库：{path}")
    if read_only:
        database.init(str(path), key=key, flags=apsw.SQLITE_OPEN_READONLY, pragmas=READ_ONLY_PRAGMAS)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        database.init(str(path), key=key, pragmas=PRAGMAS)
    try:
        database.connect()
        database.get_tables()  # reads the schema page: a damaged one fails here, not later
    except _SQL_ERRORS as exc:
        close_database()
        database.init(None)
        raise DatabaseDamaged(f"数据库文件已损坏，无法打开（{exc}）：{path}") from exc
    state = DatabaseState(path=path, read_only=read_only, read_only_reason=reason, schema_version=version,
                          generation=state.generation + 1, key=key)
    if not read_only and version < SCHEMA_VERSION:
        try:
            if version > 0 and backup_before_upgrade:
                make_backup("before-upgrade")
            upgrade(version)
        except _SQL_ERRORS as exc:
            close_database()
            raise DatabaseError(f"数据库升级失败（从版本 {version} 升级时出错：{exc}）。数据库保持原样，"
                                "升级前的备份在 backups 文件夹中。") from exc
        state.upgraded_from = version
        state.schema_version = SCHEMA_VERSION
    return state


def remember_key(path, key: bytes | None) -> None:
    """A file too damaged to open whose key a login unwrapped: kept (closed) for a restore."""
    global state
    close_database()
    state = DatabaseState(path=Path(path).expanduser().resolve(), key=key, generation=state.generation + 1)


def content_replaced() -> None:
    """Call after the open file's content was swapped (restore)."""
    state.generation += 1


def upgrade(from_version: int, to_version: int = SCHEMA_VERSION) -> None:
    """Run the missing steps in order; each step and its version bump share one transaction."""
    for number in range(from_version + 1, to_version + 1):
        with database.atomic():
            for statement in schema.statements(schema.STEPS[number - 1]):
                database.execute_sql(statement)
            database.execute_sql(f"PRAGMA user_version = {number}")


def close_database() -> None:
    if not database.is_closed():
        if not state.read_only:
            optimize()
        database.close()


def release_connection() -> None:
    """Close the calling thread's connection only (peewee keeps one per thread); the database stays
    open for the others, and this thread connects again when it next needs to."""
    if not database.deferred and not database.is_closed():
        database.close()


def optimize() -> None:
    """Refresh the query planner's statistics where they went stale (SQLite's own advice: run
    it on close); without them an index can be chosen that makes a 2 ms search take 200 ms."""
    try:
        database.execute_sql("PRAGMA optimize")
    except _SQL_ERRORS:
        pass  # only a hint to the planner; never worth failing over


def peek_schema_version(path, key: bytes | None = None) -> int:
    """Read ``user_version`` without opening through peewee; raises DatabaseDamaged on junk
    and KeyRequired for an encrypted file without its key."""
    return _peek(Path(path), key)[0]


def _peek(path: Path, key: bytes | None) -> tuple[int, int]:
    """(user_version, number of tables), read through a read-only connection."""
    with open(path, "rb") as fh:
        header = fh.read(16)
    if not header:
        return 0, 0
    if header == SQLITE_HEADER:
        key = None
    elif key is None:
        if keyring.keyring_path(path).exists():
            raise KeyRequired(f"数据库已加密，请先用账号和密码登录：{path}")
        raise DatabaseDamaged(f"这不是 CivDesk 数据库文件，或文件已损坏；如果它是加密的 CivDesk 数据库，"
                              f"{keyring.missing_message(keyring.keyring_path(path))}")
    try:
        conn = encrypted_db.connect(path, key, flags=apsw.SQLITE_OPEN_READONLY)  # a path, never a URI
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            return version, tables
        finally:
            conn.close()
    except apsw.Error as exc:
        if key is not None and keyring.keyring_path(path).exists():
            raise DatabaseDamaged(f"数据库文件已损坏，无法读取（{exc}）：{path}") from exc
        raise DatabaseDamaged(f"这不是 CivDesk 数据库文件，或文件已损坏，无法读取（{exc}）：{path}") from exc


def integrity_problems(limit: int = 20) -> list[str]:
    """``PRAGMA integrity_check`` plus a foreign-key check; an empty list means healthy."""
    try:
        rows = database.execute_sql(f"PRAGMA integrity_check({int(limit)})").fetchall()
        problems = [r[0] for r in rows if r[0] != "ok"]
        if not problems:
            fk = database.execute_sql("PRAGMA foreign_key_check").fetchall()
            problems = [f"表 {r[0]} 的外键引用缺失（行 {r[1]}）" for r in fk[:limit]]
        return problems
    except _SQL_ERRORS as exc:
        return [f"数据库已损坏：{exc}"]


def ensure_writable() -> None:
    if state.read_only:
        raise ReadOnlyError(state.read_only_reason or "数据库以只读方式打开，不能修改。")


@contextlib.contextmanager
def worker_connection():
    """For background threads: a connection of their own, closed when the work ends."""
    opened = database.connect(reuse_if_open=True)
    try:
        yield database
    finally:
        if opened:
            release_connection()  # the work may have closed or reopened it already (the login)


# --- backups (the SQLite backup API; listing and restoring are in backup.py) ----------------


def backup_dir(db_path: Path | None = None) -> Path:
    """``backups/<name>/`` beside the database, named after its file (``backups/civdesk/`` for
    civdesk.sqlite3): databases sharing a folder never list or prune each other's backups."""
    path = Path(db_path or state.path)
    return shared_backup_dir(path) / (path.stem or path.name)


def shared_backup_dir(db_path: Path | None = None) -> Path:
    """The folder every database beside it shared before backups were kept per database."""
    return Path(db_path or state.path).parent / "backups"


def copy_database(source: apsw.Connection, dest: Path, key: bytes | None, keys_from: Path | None = None) -> None:
    """The backup API into ``dest.part`` keyed with *key* (the source's key: sqlite3mc refuses an
    unkeyed target for an encrypted source, so no plaintext copy by mistake), then a snapshot of
    the keyring *keys_from* beside it as ``dest.keys`` (a backup opens on its own, with the
    passwords of its day or the recovery key), then the rename."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    encrypted_db.check_build()
    target = apsw.Connection(str(tmp))
    try:
        encrypted_db.apply_key(target, key)
        with target.backup("main", source, "main") as step:
            step.step(-1)
        # A backup is a single self-contained file: out of WAL mode, so that opening it (even
        # read-only) leaves no -wal/-shm files beside it.
        target.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        target.close()
    if key is not None and keys_from is not None and Path(keys_from).exists():
        keyring.atomic_write(keyring.keyring_path(dest), Path(keys_from).read_bytes())
    elif key is None:
        keyring.keyring_path(dest).unlink(missing_ok=True)
    replace(tmp, dest)  # a half-written backup never carries the final name


def make_backup(reason: str = "manual", dest=None) -> Path:
    """Back up the open database, to *dest* or to a new file in the backup folder.

    It lives here, not in backup.py, because opening a database backs it up before upgrading;
    backup.py (listing, pruning, restoring) builds on it.
    """
    if dest is None:
        folder = backup_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = folder / f"civdesk-{stamp}-{reason}.sqlite3"
        n = 1
        while dest.exists():
            dest = folder / f"civdesk-{stamp}-{n}-{reason}.sqlite3"
            n += 1
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    copy_database(database.connection(), dest, state.key, keyring.keyring_path(state.path))
    return dest
