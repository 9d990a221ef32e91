"""One writer per database: a second CivDesk on the same file is told who holds it.

Two OS file locks (released by the OS if the process dies), both needed for one writer:

- ``<db>.lock`` beside the database, on its (resolved) name: a second PC reaching the same file
  over a shared folder meets it there;
- a lock on the file's identity — device and inode (``os.stat``; on Windows NTFS the file index)
  — in this user's cache folder (``locks/<device>-<inode>.lock``): hard links and other paths of
  one file (another mount, a second drive letter of the same volume) share it, which the name
  alone did not (two imports through two hard links ran at once and damaged the database).

Each file's text says which process holds it, for the message. A database that does not exist
yet has no identity and only the name lock.

An identity lock file is removed when its holder lets go, and ``remove_stale`` (at start) removes
those left by processes that died; before, one file per database file ever opened piled up in the
cache folder. (The name lock beside the database stays: one per database, and a demo folder's
``in-use.lock`` marks a run in progress, see ``civdesk.demo.cache``.)
Removing is safe because the remover holds the lock while it unlinks the file, and whoever takes
a lock checks afterwards that the file it locked is still the one at that path (else it tries the
new one): an unlinked file's lock counts for nobody. A lock found taken is tried again for a
moment, so a remover's brief hold is not mistaken for another CivDesk's.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from pathlib import Path

import platformdirs

from civdesk.core.errors import DatabaseBusy

_LOCK_OFFSET = 4096  # lock a byte past the holder text, so others can still read who holds it
_BUSY_RETRIES = 5  # a lock found taken is tried again this many times, _RETRY_SECONDS apart
_RETRY_SECONDS = 0.02

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fh) -> bool:
        fh.seek(_LOCK_OFFSET)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh) -> None:
        fh.seek(_LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fh) -> bool:
        try:
            # flock (not lockf): held per open file, so even a second open in this process is refused
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def identity_lock_dir() -> Path:
    """Where the identity locks live: this user's cache folder (CIVDESK_LOCK_DIR overrides it)."""
    override = os.environ.get("CIVDESK_LOCK_DIR")
    return Path(override) if override else platformdirs.user_cache_path("CivDesk", appauthor=False) / "locks"


def identity_lock_path(db_path) -> Path | None:
    try:
        info = os.stat(db_path)
    except OSError:
        return None
    if not info.st_ino:  # a file system without file ids: the name lock is all there is
        return None
    return identity_lock_dir() / f"{info.st_dev:x}-{info.st_ino:x}.lock"


def read_holder(fh) -> str:
    """The holder text of a lock file held by someone else. The handle is unbuffered and the
    read stops at 200 bytes, well before the locked byte (on Windows reading a locked byte
    fails); any OSError just leaves the holder unnamed."""
    try:
        fh.seek(0)
        return fh.read(200).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _same_file(fh, path: Path) -> bool:
    """Is the open file *fh* still the file at *path* (not unlinked or replaced since it was opened)?"""
    try:
        held, now = os.fstat(fh.fileno()), os.stat(path)
    except OSError:
        return False
    if not held.st_ino:  # no file ids (some network shares): nothing to compare, trust the name
        return True
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _try_take(path: Path):
    """(the locked open file, "") or (None, the holder's text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = ""
    for _attempt in range(_BUSY_RETRIES):
        fh = open(path, "a+b", buffering=0)  # noqa: SIM115 - held open for the lock's lifetime
        if _try_lock(fh):
            if _same_file(fh, path):
                return fh, ""
            _let_go(fh)  # removed by its last holder between our open and our lock: take the new one
            continue
        holder = read_holder(fh)
        fh.close()
        time.sleep(_RETRY_SECONDS)  # perhaps only a remover's moment (remove_stale, a release)
    return None, holder


def _take(path: Path) -> object:
    fh, holder = _try_take(path)
    if fh is None:
        detail = f"（{holder}）" if holder else ""
        raise DatabaseBusy("这个数据库正被另一个 CivDesk 程序使用" + detail + "。同一时间只能有一个 CivDesk "
                           "修改同一个数据库，请先关闭另一个窗口，再重新打开。")
    fh.seek(0)
    fh.truncate()
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    fh.write(f"电脑 {socket.gethostname()}，进程 {os.getpid()}，{started} 起".encode())
    return fh


def _let_go(fh) -> None:
    try:
        _unlock(fh)
    finally:
        fh.close()


def _remove_and_let_go(fh, path: Path) -> None:
    """Unlink the lock file while still holding it (on Windows an open file cannot be removed:
    there it is closed first, and a file someone else opened meanwhile simply stays)."""
    if os.name != "nt" and _same_file(fh, path):
        _unlink_quietly(path)
    _let_go(fh)
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        _unlink_quietly(path)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:  # gone already, or taken and kept open by another process (Windows)
        pass


def remove_stale(folder: Path | None = None) -> int:
    """Remove the identity lock files no live process holds (their holders died or were killed):
    each is taken as a writer would take it, so a file in use is never touched. Returns how many."""
    folder = Path(folder) if folder is not None else identity_lock_dir()
    removed = 0
    try:
        candidates = list(folder.glob("*.lock"))
    except OSError:
        return 0
    for path in candidates:
        try:
            fh = open(path, "r+b", buffering=0)  # noqa: SIM115 - closed by _remove_and_let_go
        except OSError:
            continue  # removed meanwhile
        if not _try_lock(fh):
            fh.close()  # held by a live CivDesk
            continue
        if _same_file(fh, path):
            _remove_and_let_go(fh, path)
            removed += 1
        else:
            _let_go(fh)
    return removed


class WriterLock:
    def __init__(self, db_path):
        self.db_path = Path(db_path)
        self.path = Path(str(db_path) + ".lock")
        self._held: list = []

    def acquire(self) -> WriterLock:
        targets = [self.path]
        identity = identity_lock_path(self.db_path)
        if identity is not None:
            targets.append(identity)
        try:
            for target in targets:
                self._held.append((target, _take(target)))
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        held, self._held = self._held, []
        for path, fh in reversed(held):
            try:
                if path == self.path:
                    _let_go(fh)
                else:
                    _remove_and_let_go(fh, path)
            except OSError:
                pass

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
