"""Keeping the database healthy: opening and checking it, backups, and restoring from one.

The GUI (start-up, 文件 → 备份数据库, the restore dialog, 关于) and the command line (``check``,
``backup``, ``restore``) both go through these functions, so a backup or a restore is checked,
permitted and written to the audit log the same way whoever starts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from civdesk.core import backup, changes, convert, db, keyring
from civdesk.core.actor import Actor, require
from civdesk.core.backup import BackupInfo
from civdesk.core.errors import AuthError, CivDeskError
from civdesk.core.keyring import Keyring, WrongSecret
from civdesk.office import accounts, keyslots, login_record, settings, setup
from civdesk.office.account_model import User

__all__ = ["SCHEMA_VERSION", "BackupInfo", "DatabaseInfo", "HealthReport", "LoginResult", "backup_folder", "backups",
           "check", "check_keys", "checked_today", "close_database", "daily_backup", "data_version", "integrity_problems",
           "is_encrypted", "log_backup", "login", "make_backup", "open_database", "recover", "restore", "restore_damaged",
           "schema_version", "unlock"]

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


def open_database(path, *, read_only: bool = False, key: bytes | None = None) -> DatabaseInfo:
    """Open (creating if needed) and upgrade the database at *path*; see ``core.db.open_database``.
    Raises DatabaseDamaged for a file that cannot be opened, KeyRequired for an encrypted one
    without its key (log in with :func:`login` instead)."""
    state = db.open_database(path, read_only=read_only, key=key)
    return DatabaseInfo(state.path, state.read_only, state.read_only_reason, state.schema_version,
                        state.upgraded_from)


def close_database() -> None:
    db.close_database()


def release_connection() -> None:
    """Close this thread's connection, if it has one, without closing the database: the login's
    background check opens (or reopens, or converts) the file on a thread of its own and leaves
    it this way; the GUI thread connects again at its next query."""
    db.release_connection()


def reopen_read_only(path) -> DatabaseInfo:
    """The open database again, read-only, with the key already in memory."""
    return open_database(path, read_only=True, key=db.state.key)


def discard_unset_database(path) -> None:
    """Setup cancelled on a new file: it holds nothing and its key (never written to a keyring)
    is lost with this process, so remove it rather than leave a file nobody can open."""
    path = Path(path)
    if keyring.keyring_path(path).exists() or not path.exists() or setup.is_initialized():
        return
    db.close_database()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def is_closed() -> bool:
    return db.database.is_closed()


def opened() -> DatabaseInfo:
    """The database open now (after a login opened it)."""
    state = db.state
    return DatabaseInfo(state.path, state.read_only, state.read_only_reason, state.schema_version,
                        state.upgraded_from)


def schema_version() -> int:
    """The version of the open database."""
    return db.state.schema_version


def integrity_problems() -> list[str]:
    """SQLite's integrity and foreign-key checks of the open database; empty when healthy."""
    return db.integrity_problems()


def check(path, key: bytes | None = None) -> HealthReport:
    """Open the database at *path* read-only and check it (an encrypted one with its *key*)."""
    path = Path(path)
    if not path.exists():
        raise CivDeskError(f"找不到数据库：{path}")
    db.open_database(path, read_only=True, key=key)
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


def backup_key(actor: Actor, backup_path, password: str | None) -> bytes | None:
    """The key of a backup made under another database key (another database, or before a
    rekey): its own ``.keys`` unwrapped with this account's password. None: the open one's."""
    keys = keyring.keyring_path(backup_path)
    if db.is_plain(backup_path) or not keys.exists() or password is None:
        return None
    ring = Keyring.load(keys)
    if db.state.key is not None and ring.key_id == keyring.key_id(db.state.key):
        return None
    try:
        return ring.unlock(actor.username, password)
    except WrongSecret:
        raise AuthError("这个备份用另一个密钥加密，您的账号在备份时的密码打不开它。") from None


def restore(actor: Actor, backup_path, password: str | None = None) -> Path:
    """Replace the open database's content with a backup; the current content is backed up first.
    Returns where that backup is. Written to the audit log as 从备份恢复数据库 (restore_db).
    *password* (the actor's) opens a backup made under another database key."""
    require(actor, "restore")
    backup_path = Path(backup_path)
    safety = backup.restore(backup_path, backup_key(actor, backup_path, password))
    _check_restored()
    changes.write_audit(actor, "restore_db", note=f"从 {backup_path} 恢复；恢复前的数据已备份到 {safety}")
    return safety


def restore_damaged(actor: Actor, db_path, backup_path) -> Path:
    """For a database too damaged to open: move it aside (never deleted), rebuild it from a backup
    and open it. Returns where the damaged file now is. Audited like :func:`restore`."""
    require(actor, "restore")
    backup_path = Path(backup_path)
    key = db.state.key if db.state.path == Path(db_path).expanduser().resolve() else None
    aside = backup.restore_damaged(db_path, backup_path, key)
    db.open_database(db_path, key=key)
    _check_restored()
    changes.write_audit(actor, "restore_db", note=f"从 {backup_path} 恢复；损坏的文件保留为 {aside}")
    return aside


# --- keys and login -------------------------------------------------------------------------


def is_encrypted(path) -> bool:
    """True for an existing encrypted database (it needs a login before it can be read)."""
    return db.is_encrypted(path)


def check_keys(path) -> list[str]:
    """Without any key: is the file encrypted, is its keyring there and readable? Problems found."""
    path = Path(path)
    if db.is_plain(path):
        return ["数据库尚未加密（旧版本的数据库：下次登录时自动加密）"]
    try:
        ring = Keyring.load(keyring.keyring_path(path))
    except keyring.KeyringError as exc:
        return [str(exc)]
    return [] if ring.has_recovery else ["密钥文件中没有恢复密钥：请系统管理员登录一次，生成并打印恢复密钥"]


def unlock(path, username: str, password: str) -> bytes:
    """The database key of an encrypted *path* for this account; AuthError (one message for a
    wrong name or password) otherwise, the attempt counted as at a login."""
    path = Path(path).expanduser().resolve()
    return _unwrap(path, Keyring.load(keyring.keyring_path(path)), (username or "").strip(), password)


@dataclass(frozen=True)
class LoginResult:
    actor: Actor
    recovery_key: str | None = None  # new: show once to the administrator, to print and keep
    converted: bool = False  # a plain database was encrypted at this login


def login(path, username: str, password: str, *, read_only: bool = False) -> LoginResult:
    """Unlock the account's slot, open the database with the key, then authenticate as always
    (lockout etc.). A plain database is opened as it is and, after a successful login on a
    writable database, backed up and encrypted. A wrong password changes neither the database nor
    its keyring: it is counted in the side file ``NAME.logins`` (``login_record``)."""
    path = Path(path).expanduser().resolve()
    username = (username or "").strip()
    if not path.exists():
        raise CivDeskError(f"找不到数据库：{path}")
    if db.is_plain(path):
        db.open_database(path, read_only=read_only)
        actor = accounts.authenticate(username, password)
        if read_only or db.state.read_only:
            return LoginResult(actor)
        return LoginResult(actor, _convert(path, actor, password), converted=True)
    ring = Keyring.load(keyring.keyring_path(path))
    dk = _unwrap(path, ring, username, password)
    try:
        db.open_database(path, read_only=read_only, key=dk)
    except db.DatabaseDamaged:
        db.remember_key(path, dk)  # for restore_damaged: the login unwrapped it
        raise
    writable = not db.state.read_only
    if writable and ring.settle(dk):
        ring.save(keyring.keyring_path(path))
    try:
        actor = accounts.authenticate(username, password)
    except CivDeskError:
        if writable:
            accounts.carry_login_state()
        db.close_database()
        raise
    recovery = None
    if writable:
        accounts.carry_login_state()
        if ring.is_legacy(username):
            keyslots.set_password(username, password)
        if actor.role == "admin" and not ring.has_recovery:
            recovery = keyslots.new_recovery_key()
    return LoginResult(actor, recovery)


def _unwrap(path: Path, ring: Keyring, username: str, password: str) -> bytes:
    """The database key from the account's slot, after the lockout kept in the side file
    (``login_record``: the database cannot be read yet). A wrong password, an unknown name and an
    attempt while locked are recorded there and reach the audit log at the next writable login."""
    policy, _, locked_until = login_record.before_open(path, username)
    now = dt.datetime.now().replace(microsecond=0)
    stamp = now.isoformat(sep=" ")
    if login_record.is_locked(locked_until, now):
        login_record.append("locked", username, stamp, database_path=path, how="key")
        raise AuthError(login_record.locked_message(locked_until))
    try:
        candidates = ring.candidates(username, password or "")
    except WrongSecret:
        event = "failed" if ring.has_account(username) else "unknown"
        login_record.append(event, username, stamp, database_path=path, how="key")
        _, _, locked_until = login_record.before_open(path, username)
        if login_record.is_locked(locked_until, now):
            raise AuthError(login_record.just_locked_message(policy)) from None
        raise AuthError(login_record.wrong_message(policy)) from None
    for dk in candidates[:-1]:  # an unfinished rekey: the pending key first
        try:
            db.peek_schema_version(path, dk)
            return dk
        except db.DatabaseDamaged:
            continue
    return candidates[-1]


def _convert(path: Path, actor: Actor, password: str) -> str | None:
    """Encrypt a plain database after its first successful login: a backup first (as before an
    upgrade), a new key, this account's slot, a slot from each other account's password hash
    (replaced at its next login) and, for an administrator, a recovery key; then the plain
    backups in the backup folder are encrypted too. Returns the recovery key (or None)."""
    db.make_backup("before-encrypt")
    dk = keyring.new_database_key()
    ring = Keyring.for_key(dk)
    for user in User.select():
        if user.username == actor.username:
            ring.set_account(dk, user.username, password)
        elif user.password_hash and user.password_hash.startswith("scrypt$"):
            ring.set_legacy_account(dk, user.username, user.password_hash)
    recovery = ring.new_recovery_key(dk) if actor.role == "admin" else None
    if recovery is None:
        ring.slots.pop("recovery", None)
    db.close_database()
    convert.convert_file(path, dk, lambda: ring.save(keyring.keyring_path(path)))
    db.open_database(path, key=dk)
    backup.encrypt_plain_backups(path, dk)
    changes.write_audit(actor, "update", tbl="local_meta", note="数据库已加密（AEGIS-256），旧的备份也已加密")
    return recovery


def renew_recovery_key(actor: Actor) -> str:
    """A new recovery key for the open (encrypted, writable) database, returned once to show; the
    old key stops working as the keyring is saved. Audited without the key."""
    require(actor, "renew_recovery_key")
    db.ensure_writable()
    if not keyslots.active():
        raise CivDeskError("数据库还没有加密，没有恢复密钥可换：请先用管理员账号登录一次完成加密。")
    with db.database.atomic():
        changes.write_audit(actor, "update", tbl="local_meta", record_label="恢复密钥",
                            note="生成了新的恢复密钥，旧的恢复密钥已作废")
        return keyslots.new_recovery_key()


def recover(path, recovery_key: str, username: str, new_password: str) -> Actor:
    """Every password lost: the recovery key unlocks the database; *username* (an administrator)
    gets *new_password* (a new slot, the account unlocked) and the act is audited."""
    path = Path(path).expanduser().resolve()
    ring = Keyring.load(keyring.keyring_path(path))
    dk = ring.unlock_with_recovery(recovery_key)
    db.open_database(path, key=dk)
    user = User.get_or_none(User.username == (username or "").strip())
    if user is None or user.role != "admin" or not user.active:
        raise CivDeskError(f"「{username}」不是启用中的系统管理员账号。")
    problem = accounts.password_problem(new_password or "", user.username)
    if problem:
        raise CivDeskError(problem)
    actor = Actor(user.username, user.display_name, user.role)
    with db.database.atomic():
        user.password_hash = accounts.hash_password(new_password)
        user.must_change_password, user.failed_attempts, user.locked_until = False, 0, None
        user.save()
        keyslots.set_password(user.username, new_password)
        changes.write_audit(actor, "update", tbl="user", record_id=user.username, record_label=user.display_name,
                            note="用恢复密钥重设了系统管理员密码")
    return actor
