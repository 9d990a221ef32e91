"""The demo database built once and copied: ``python main.py --demo`` opens in well under 2 s.

Building the demo township takes 10–40 s (thousands of records entered through the services). The
first demo of a day builds it into the user's cache folder (``demo/``); later demos that day copy
that file. The cached file is used only when its key matches: the schema version, a hash of the
program's code (every module under ``civdesk/``, or the bundle's version and executable when the
sources are not on disk) and **today's date** — the sample data is dated relative to the day it was
built (hotline deadlines turning yellow, activities ended "last week", working days), so a copy
from yesterday would be wrong and is rebuilt instead.

Every demo run works in its own ``civdesk-demo-*`` folder in the temporary directory and holds a
lock file there (``in-use.lock``) for as long as it runs; the OS releases it if the process dies.
Folders left by killed runs are removed at the next start — only folders of this shape, owned by
this user, whose lock (and whose database's writer lock) nobody holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import platformdirs

from civdesk import __version__
from civdesk.core import schema
from civdesk.core.errors import DatabaseBusy
from civdesk.core.keyring import keyring_path
from civdesk.core.writer_lock import WriterLock

PREFIX = "civdesk-demo-"
IN_USE = "in-use"  # WriterLock adds ".lock"
DB_NAME = "civdesk.sqlite3"
# A folder of an older CivDesk (no in-use lock) is left alone while this young: it may still be
# building its database, before it takes the database's writer lock.
YOUNG_SECONDS = 600
KEEP_OTHER_VERSIONS = 3
_SOURCE_ROOT = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    """``CIVDESK_DEMO_CACHE`` overrides the user's cache folder (tests use their own)."""
    override = os.environ.get("CIVDESK_DEMO_CACHE")
    return Path(override) if override else platformdirs.user_cache_path("CivDesk", appauthor=False) / "demo"


def code_hash() -> str:
    """What the demo's content depends on besides the date: every module of the core (the demo
    enters its records through the services) and the schema."""
    digest = hashlib.sha256(f"{__version__}|{schema.SCHEMA_VERSION}".encode())
    sources = sorted(_SOURCE_ROOT.rglob("*.py"))
    if sources:
        for source in sources:
            digest.update(source.relative_to(_SOURCE_ROOT).as_posix().encode())
            digest.update(source.read_bytes())
    else:  # a bundle keeps the modules inside its archive: its executable stands for them
        info = os.stat(sys.executable)
        digest.update(f"{sys.executable}|{info.st_size}|{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cache_path(today: dt.date | None = None) -> Path:
    today = today or dt.date.today()
    return cache_dir() / f"demo-v{schema.SCHEMA_VERSION}-{code_hash()}-{today.isoformat()}.sqlite3"


def copy_cached(dest: Path, today: dt.date | None = None) -> bool:
    """Copy today's cached demo database (and its keyring) to *dest*; False when there is none."""
    source = cache_path(today)
    if not source.is_file():
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    if keyring_path(source).is_file():
        shutil.copyfile(keyring_path(source), keyring_path(dest))
    part = dest.with_name(dest.name + ".part")
    shutil.copyfile(source, part)
    os.replace(part, dest)
    return True


def store(built: Path, today: dt.date | None = None) -> Path:
    """Keep a consistent copy of the freshly built (and closed) demo database *built* as today's
    cache; older cached days and versions are removed."""
    target = cache_path(today)
    target.parent.mkdir(parents=True, exist_ok=True)
    wal = built.with_name(built.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise OSError("演示数据库还没有写完（-wal 不为空），不缓存")
    # The file is closed and whole; an encrypted one can only be copied as bytes, with its keyring.
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    shutil.copyfile(built, part)
    if keyring_path(built).is_file():
        shutil.copyfile(keyring_path(built), keyring_path(target))
    os.replace(part, target)
    _prune(target, today or dt.date.today())
    return target


def _prune(kept: Path, today: dt.date) -> None:
    """Remove cached days other than today; of today's other versions (another copy of the
    program) keep the newest few."""
    others = []
    for old in kept.parent.glob("demo-*.sqlite3"):
        if old == kept:
            continue
        if not old.name.endswith(f"-{today.isoformat()}.sqlite3"):
            _remove(old)
        else:
            others.append(old)
    others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_OTHER_VERSIONS:]:
        _remove(old)


def _remove(cached: Path) -> None:
    cached.unlink(missing_ok=True)
    keyring_path(cached).unlink(missing_ok=True)


def create(dest: Path, progress=None) -> tuple[str, str]:
    """The demo database at *dest* (new): copied from today's cache, or built and then cached.
    Returns the login (user name, password). The database is left closed."""
    from civdesk import demo
    from civdesk.core import db

    if copy_cached(dest):
        return "admin", demo.DEMO_PASSWORD
    try:
        credentials = demo.create_demo_database(dest, progress)
    finally:
        db.close_database()
    try:
        store(dest)
    except OSError:
        pass  # a cache that cannot be written only makes the next demo slow again
    return credentials


# --- the run's own folder, and leftovers of killed runs -----------------------------------------


def new_run_folder() -> tuple[Path, WriterLock]:
    """A new ``civdesk-demo-*`` folder and the lock that marks it in use (release it at the end)."""
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    return folder, WriterLock(folder / IN_USE).acquire()


def _ours(folder: Path) -> bool:
    if not folder.is_dir() or folder.is_symlink() or not folder.name.startswith(PREFIX):
        return False
    if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
        return False
    allowed = (IN_USE, DB_NAME, "backups")
    return all(entry.name.startswith(allowed) for entry in folder.iterdir())


def _free(lock: WriterLock) -> bool:
    try:
        lock.acquire()
    except (DatabaseBusy, OSError):
        return False
    lock.release()
    return True


def _in_use(folder: Path) -> bool:
    marked = (folder / f"{IN_USE}.lock").exists()
    if not marked and time.time() - folder.stat().st_mtime < YOUNG_SECONDS:
        return True
    if marked and not _free(WriterLock(folder / IN_USE)):
        return True
    database = folder / DB_NAME
    return database.exists() and not _free(WriterLock(database))


def clean_leftovers(temp_root: Path | None = None) -> list[Path]:
    """Remove ``civdesk-demo-*`` folders of earlier runs that crashed or were killed."""
    root = Path(temp_root or tempfile.gettempdir())
    removed = []
    for folder in root.glob(PREFIX + "*"):
        try:
            if _ours(folder) and not _in_use(folder):
                shutil.rmtree(folder)
                removed.append(folder)
        except OSError:
            continue  # held by another program, or vanished meanwhile: try again next time
    return removed
