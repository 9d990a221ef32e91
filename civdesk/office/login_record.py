"""Login attempts made while the database is open read-only, kept in a side file until they
can be written to the database.

Why a side file and not "no login without the writer lock": a read-only open is the normal way
to look at the data while another CivDesk (the GUI on this PC, a sync import) holds the lock, and
a database written by a newer CivDesk is read-only too; refusing every login there would lock
people out of reading. So on a read-only database each attempt is appended as one JSON line to
``NAME.logins`` beside the database file (``civdesk.sqlite3.logins``); failures there count
towards the lockout like failures in the database, and the next writable login moves the lines
into the audit log (``accounts.authenticate``) and deletes the file. The typed password is never
written; a name that is no account is. When the side file cannot be written (a read-only
folder) the login is refused, since the attempt could not be counted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from civdesk.core import db
from civdesk.core.errors import AuthError
from civdesk.core.paths import replace

SUFFIX = ".logins"
EVENTS = ("failed", "unknown", "locked", "login")


def side_path(database_path: Path | None = None) -> Path:
    path = database_path if database_path is not None else db.state.path
    return Path(f"{path}{SUFFIX}")


def append(event: str, username: str, at: str) -> None:
    line = json.dumps({"at": at, "user": username[:64], "event": event}, ensure_ascii=False) + "\n"
    try:
        fd = os.open(side_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        raise AuthError("数据库以只读方式打开，且无法在数据库旁记录这次登录尝试"
                        f"（{exc.strerror or exc}），为安全起见不能登录。") from exc


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
        if isinstance(item, dict) and item.get("event") in EVENTS and isinstance(item.get("user"), str) \
                and isinstance(item.get("at"), str):
            events.append(item)
    return events


def pending(username: str) -> list[dict]:
    """This account's attempts not yet in the database, oldest first."""
    return [e for e in _read(side_path()) if e["user"] == username]


def take_all() -> tuple[list[dict], Path | None]:
    """Every recorded attempt (oldest first) and the file to delete once they are in the audit
    log. The file is renamed first, so that lines appended meanwhile start a new one."""
    path = side_path()
    taking = Path(f"{path}.taking")
    if not taking.exists():
        try:
            replace(path, taking)
        except OSError:
            return [], None
    return _read(taking), taking
