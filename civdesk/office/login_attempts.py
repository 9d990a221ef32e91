"""Wrong passwords at the login of an encrypted database, counted outside it.

A wrong password fails on the keyring slot, so the database cannot be opened to count it. The
count, the lockout and the attempts wait in the small side file ``NAME.logins`` beside the
database (no password, no secret in it); the next successful login of a writable database
writes them into the audit log as ``login_failed`` entries and clears them. The lockout policy
(a setting inside the database) is copied there at each such login.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from civdesk.core import keyring

DEFAULT_POLICY = {"attempts": 5, "minutes": 15}


def _path(db_path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".logins")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def load(db_path) -> dict:
    try:
        doc = json.loads(_path(db_path).read_text("utf-8"))
        return doc if isinstance(doc, dict) else {}
    except (OSError, ValueError):
        return {}


def _save(db_path, doc: dict) -> None:
    keyring.atomic_write(_path(db_path), json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))


def locked_until(db_path, username: str) -> dt.datetime | None:
    entry = load(db_path).get("users", {}).get(username) or {}
    until = entry.get("locked_until")
    if until and dt.datetime.fromisoformat(until) > _now():
        return dt.datetime.fromisoformat(until)
    return None


def record_failure(db_path, username: str) -> str:
    """Count one wrong password (whether or not the name exists: one message for both); returns
    the message to show."""
    doc = load(db_path)
    policy = {**DEFAULT_POLICY, **doc.get("policy", {})}
    entry = doc.setdefault("users", {}).setdefault(username, {"failed": 0, "attempts": []})
    entry["failed"] = entry.get("failed", 0) + 1
    entry.setdefault("attempts", []).append(_now().isoformat(sep=" "))
    message = keyring.WRONG_LOGIN
    if entry["failed"] >= policy["attempts"]:
        entry["locked_until"] = (_now() + dt.timedelta(minutes=policy["minutes"])).isoformat(sep=" ")
        entry["failed"] = 0
        message = (f"连续 {policy['attempts']} 次输错密码，账号已锁定 {policy['minutes']} 分钟。"
                   "请稍后再试，或请系统管理员解锁。")
    _save(db_path, doc)
    return message


def take(db_path, username: str, policy: dict) -> list[str]:
    """After a successful login: the times of the failures recorded since (for every name),
    forgotten here; the lockout policy is refreshed. Returns [(username, time), ...]."""
    doc = load(db_path)
    found = [(name, at) for name, entry in doc.get("users", {}).items() for at in entry.get("attempts", [])]
    kept = {name: {"failed": 0, "attempts": [], "locked_until": entry.get("locked_until")}
            for name, entry in doc.get("users", {}).items()
            if name != username and entry.get("locked_until")}
    new = {"policy": policy, "users": kept}
    if new != doc:
        _save(db_path, new)
    return found


def unlock(db_path, username: str) -> None:
    doc = load(db_path)
    if username in doc.get("users", {}):
        doc["users"].pop(username)
        _save(db_path, doc)
