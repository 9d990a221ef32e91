"""The open database's keyring (``NAME.keys``): the slots that follow its accounts.

Every change needs the open session's database key (``db.state.key``), which only a login or
setup puts in memory. A plain database of an older CivDesk has no keyring yet: these do nothing
until the first login converts it (``maintenance.login``).
"""

from __future__ import annotations

from civdesk.core import db, keyring
from civdesk.core.keyring import Keyring


def _path():
    return keyring.keyring_path(db.state.path)


def active() -> bool:
    return db.state.key is not None and db.state.path is not None


def create(username: str, password: str) -> str:
    """A new keyring for a new database: the first administrator's slot and a recovery key,
    returned as text to show once. Written before the setup transaction commits."""
    dk = db.state.key
    ring = Keyring.for_key(dk)
    ring.set_account(dk, username, password)
    text = ring.new_recovery_key(dk)
    ring.save(_path())
    return text


def set_password(username: str, password: str) -> None:
    """Wrap the key for this account's (new) password; every other slot stays as it was."""
    if not active():
        return
    ring = Keyring.load(_path())
    ring.set_account(db.state.key, username, password)
    ring.save(_path())


def remove(username: str) -> None:
    if not active():
        return
    ring = Keyring.load(_path())
    ring.remove_account(username)
    ring.save(_path())


def new_recovery_key() -> str:
    ring = Keyring.load(_path())
    text = ring.new_recovery_key(db.state.key)
    ring.save(_path())
    return text
