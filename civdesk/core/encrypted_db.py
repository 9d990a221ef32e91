"""The peewee database class for CivDesk's encrypted file: SQLite3 Multiple Ciphers through
``apsw-sqlite3mc``, cipher AEGIS-256, with a raw 32-byte key (no KDF inside the library: the
slow part is done once at login, see ``keyring``).

Differences from the stdlib-sqlite3 ``SqliteDatabase`` the rest of the core relies on:
no ``check_same_thread`` (apsw connections may be used from any thread), the backup call is
``target.backup("main", source, "main")``, and raw connections raise ``apsw.Error``
subclasses (peewee still maps them to its own classes).
"""

from __future__ import annotations

import datetime
import decimal

import apsw
from peewee import ImproperlyConfigured
from playhouse.apsw_ext import APSWDatabase

CIPHER = "aegis"
# Plain `apsw` has the same import name and silently ignores PRAGMA key: it would write in
# clear. Only the apsw-sqlite3mc build has mc_version ("SQLite3 Multiple Ciphers 2.x").
HAS_SQLITE3MC = bool(getattr(apsw, "mc_version", None))
ERRORS = (apsw.Error,)


def check_build() -> None:
    if not HAS_SQLITE3MC:
        raise ImproperlyConfigured("apsw without SQLite3 Multiple Ciphers (install apsw-sqlite3mc, never "
                                   "plain apsw): refusing to write personal data in clear")


def check_key(key) -> None:
    if key is not None and (not isinstance(key, bytes) or len(key) != 32):
        raise ValueError("the database key must be 32 bytes")


def apply_key(conn: apsw.Connection, key: bytes | None, cipher: str = CIPHER) -> None:
    """Key a fresh connection (before its first read); key None leaves a plain file plain."""
    if key is not None:
        conn.execute(f"PRAGMA cipher = '{cipher}'").fetchall()
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"").fetchall()  # raw key: no KDF


def connect(path, key: bytes | None, *, flags: int | None = None) -> apsw.Connection:
    """A raw keyed connection (backups, peeking, conversion); a wrong key fails here."""
    check_build()
    check_key(key)
    conn = apsw.Connection(str(path), flags=flags) if flags is not None else apsw.Connection(str(path))
    try:
        apply_key(conn, key)
        conn.execute("PRAGMA temp_store = MEMORY").fetchall()
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except Exception:
        conn.close()
        raise
    return conn


def _convert_binding(cursor, num, value):
    """apsw binds only None/int/float/str/bytes; peewee's DateField, DateTimeField, TimeField and
    DecimalField rely on the stdlib adapters, which store these as text."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, (datetime.date, datetime.time, decimal.Decimal)):
        return str(value)
    raise TypeError(f"no SQLite binding for {type(value).__name__}")


class EncryptedDatabase(APSWDatabase):
    """``init(path, key=<32 bytes>|None, pragmas=..., flags=...)``. key=None opens a plain file
    (only to convert it). The key stays in memory, never on disk: peewee opens one connection
    per thread and each needs it."""

    def init(self, database, key: bytes | None = None, cipher: str = CIPHER, **kwargs):
        check_key(key)
        kwargs.pop("check_same_thread", None)  # sqlite3-only argument; apsw has no such check
        self._key, self._cipher = key, cipher
        self.connect_params = {}  # peewee merges into the old ones: read-only flags would stay
        super().init(database, **kwargs)

    @property
    def key(self) -> bytes | None:
        return self._key

    def _connect(self):
        check_build()
        conn = apsw.Connection(self.database, **self.connect_params)
        try:
            apply_key(conn, self._key, self._cipher)
            # A wrong key fails here ("file is not a database"), before any pragma could write.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
            if self._timeout is not None:
                conn.set_busy_timeout(int(self._timeout * 1000))
            conn.convert_binding = _convert_binding
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn
