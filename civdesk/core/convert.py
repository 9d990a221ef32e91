"""Plain -> encrypted: a database (or backup) of an older CivDesk becomes an encrypted one.

``VACUUM INTO`` an sqlite3mc URI naming the cipher and the raw key writes a new, compact,
encrypted copy (user_version included); the copy is verified (integrity, version, rows per
table) before anything replaces the plain file, and the keyring is written before the rename,
so an encrypted file never exists without its keys. A crash before the rename leaves the plain
file in use (and a keyring): the next login converts again.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import apsw

from civdesk.core import encrypted_db, paths
from civdesk.core.errors import DatabaseError


def _file_uri(path: Path) -> str:
    p = Path(path).resolve().as_posix()
    if not p.startswith("/"):
        p = "/" + p  # file:///C:/...
    return "file://" + quote(p, safe="/:")


def _counts(conn) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").fetchall()]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _facts(conn) -> tuple[int, dict[str, int]]:
    return conn.execute("PRAGMA user_version").fetchone()[0], _counts(conn)


def convert_file(path, dk: bytes, before_rename=None) -> None:
    """Encrypt the plain database *path* with *dk* in place (see the module docstring).
    *before_rename()* runs after the verified copy exists (write the keyring there)."""
    encrypted_db.check_build()
    path = Path(path)
    tmp = path.with_name(path.name + ".encrypting")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    src = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_URI)
    try:
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        src.execute("PRAGMA journal_mode = delete").fetchall()  # no -wal left beside the plain file
        before = _facts(src)
        key = quote(f"x'{dk.hex()}'")
        src.execute("VACUUM INTO ?", (f"{_file_uri(tmp)}?cipher={encrypted_db.CIPHER}&key={key}",))
    finally:
        src.close()
    check = encrypted_db.connect(tmp, dk)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        after = _facts(check)
        check.execute("PRAGMA journal_mode = wal").fetchall()
    finally:
        check.close()
    if ok != "ok" or after != before:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"加密后的副本与原数据库不一致（{ok}），原数据库未改动：{path}")
    if before_rename is not None:
        before_rename()
    paths.replace(tmp, path)  # waits briefly while a virus scanner holds the file (Windows)
    for extra in ("-wal", "-shm"):
        Path(f"{tmp}{extra}").unlink(missing_ok=True)
