"""Login attempts that cannot be written into the database when they happen, kept in one side
file until they can: ``NAME.logins`` beside the database file (``civdesk.sqlite3.logins``).

Two cases need it, and both use this one file:
- **Read-only database** (another CivDesk holds the writer lock, or a newer CivDesk wrote it):
  refusing every login there would lock people out of reading, so each attempt is appended here.
- **Encrypted database before it opens**: a wrong password fails on the account's slot of the
  keyring (``NAME.keys``), so the database cannot be opened to count it. The attempt is appended
  here with ``how = "key"``, and the lockout is decided from this file before the keyring is
  tried (:func:`before_open`).

Each line is one JSON object. Attempts (``failed``, ``unknown``, ``locked``, ``login``) count
towards the lockout like failures in the database, and the next writable login moves them into
the audit log (``accounts.authenticate``) and deletes the file. So that a lock set in the database
still holds before an encrypted database can be opened, a writable login through the keyring then
writes the lockout policy and every account's count and lock back here (``policy`` and ``state``
lines, :func:`carry`); the administrator's unlock adds an ``unlock`` line. The typed password is
never written; a name that is no account is. When the file cannot be written (a read-only
folder) the login is refused, since the attempt could not be counted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from civdesk.core import db
from civdesk.core.errors import AuthError
from civdesk.core.paths import replace
from civdesk.office import settings

SUFFIX = ".logins"
EVENTS = ("failed", "unknown", "locked", "login")  # attempts: replayed into the audit log
STATES = ("state", "unlock", "policy")  # copies of the database's lockout, for before_open
WRONG = "用户名或密码不正确。"


def side_path(database_path: Path | None = None) -> Path:
    path = database_path if database_path is not None else db.state.path
    return Path(f"{path}{SUFFIX}")


def _write(path: Path, lines: list[dict]) -> None:
    data = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in lines).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AuthError("无法在数据库旁记录这次登录尝试"
                        f"（{exc.strerror or exc}），为安全起见不能登录。") from exc


def append(event: str, username: str, at: str, *, database_path: Path | None = None, how: str = "") -> None:
    """One attempt. *how*: "" for a read-only database, "key" before an encrypted one opened."""
    item = {"at": at, "user": username[:64], "event": event}
    if how:
        item["how"] = how
    _write(side_path(database_path), [item])


def _read(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    events = []
    for line in text.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue  # a line cut off by a crash
        if isinstance(item, dict) and item.get("event") in EVENTS + STATES and isinstance(item.get("user"), str) \
                and isinstance(item.get("at"), str):
            events.append(item)
    return events


def pending(username: str) -> list[dict]:
    """This account's attempts not yet in the database, oldest first."""
    return [e for e in _read(side_path()) if e["user"] == username and e["event"] in EVENTS]


def take_all() -> tuple[list[dict], Path | None]:
    """Every recorded attempt (oldest first) and the file to delete once they are in the audit
    log. The file is renamed first, so that lines appended meanwhile start a new one. The copies
    of the lockout (``state`` lines) are dropped: the database holds the real ones."""
    path = side_path()
    taking = Path(f"{path}.taking")
    if not taking.exists():
        try:
            replace(path, taking)
        except OSError:
            return [], None
    return [e for e in _read(taking) if e["event"] in EVENTS], taking


# --- the lockout rule, shared by the database's count and the side file's ------------------


def count_failure(failed: int, locked_until: str | None, at: dt.datetime, policy: dict) -> tuple[int, str | None, str]:
    """One more wrong password at *at*: the new count, lock and the audit note."""
    failed += 1
    note = f"第 {failed} 次输错密码"
    if failed >= policy["attempts"]:
        locked_until = (at + dt.timedelta(minutes=policy["minutes"])).isoformat(sep=" ")
        failed = 0
        note += f"，账号锁定 {policy['minutes']} 分钟"
    return failed, locked_until, note


def fold(events: list[dict], failed: int, locked_until: str | None, policy: dict) -> tuple[int, str | None]:
    """The count and lock after *events* (one account's, oldest first)."""
    for event in events:
        kind = event["event"]
        if kind == "failed":
            failed, locked_until, _ = count_failure(failed, locked_until, dt.datetime.fromisoformat(event["at"]), policy)
        elif kind == "login":
            failed = 0
        elif kind == "unlock":
            failed, locked_until = 0, None
        elif kind == "state":
            failed, locked_until = int(event.get("failed") or 0), event.get("locked_until")
    return failed, locked_until


def is_locked(locked_until: str | None, now: dt.datetime) -> bool:
    return bool(locked_until) and dt.datetime.fromisoformat(locked_until) > now


def wrong_message(policy: dict) -> str:
    """The same words for an unknown name and a wrong password: nothing tells which accounts exist."""
    return f"{WRONG}同一账号连续输错 {policy['attempts']} 次将锁定 {policy['minutes']} 分钟。"


def locked_message(until: str) -> str:
    return (f"连续输错密码次数过多，账号已锁定到 {dt.datetime.fromisoformat(until).strftime('%H:%M')}。"
            "请稍后再试，或请系统管理员解锁。")


def just_locked_message(policy: dict) -> str:
    return (f"连续 {policy['attempts']} 次输错密码，账号已锁定 {policy['minutes']} 分钟。"
            "请稍后再试，或请系统管理员解锁。")


# --- before an encrypted database opens ----------------------------------------------------


def default_policy() -> dict:
    """The lockout rule of a new office (the settings' defaults): the database is not open."""
    specs = settings.specs()
    return {"attempts": specs["account.lockout_attempts"].default, "minutes": specs["account.lockout_minutes"].default}


def before_open(database_path: Path, username: str) -> tuple[dict, int, str | None]:
    """(policy, count, lock) of *username* from the side file alone, for a login that cannot
    read the database yet."""
    events = _read(side_path(database_path))
    policy = default_policy()
    for event in events:
        if event["event"] == "policy":
            policy = {"attempts": int(event["attempts"]), "minutes": int(event["minutes"])}
    failed, locked_until = fold([e for e in events if e["user"] == username], 0, None, policy)
    return policy, failed, locked_until


def carry(policy: dict, states: list[tuple[str, int, str | None]], at: str) -> None:
    """After a writable login through the keyring: the lockout policy and the accounts' counts and
    locks (those not at rest) copied here, so that :func:`before_open` honours them."""
    lines = [{"at": at, "user": name, "event": "state", "failed": failed, "locked_until": until}
             for name, failed, until in states]
    if policy != default_policy():
        lines.insert(0, {"at": at, "user": "", "event": "policy", **policy})
    if lines:
        _write(side_path(), lines)


def note_unlock(username: str, at: str) -> None:
    """The administrator unlocked or reset *username*: a copied lock no longer holds."""
    if side_path().exists():
        _write(side_path(), [{"at": at, "user": username, "event": "unlock"}])
