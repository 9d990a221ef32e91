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
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path

import platformdirs

from civdesk.core.errors import DatabaseBusy

_LOCK_OFFSET = 4096  # lock a byte past the holder text, so others can still read who holds it

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


def _take(path: Path) -> object:
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+b", buffering=0)  # noqa: SIM115 - held open for the lock's lifetime
    if not _try_lock(fh):
        holder = read_holder(fh)
        fh.close()
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
                self._held.append(_take(target))
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        held, self._held = self._held, []
        for fh in reversed(held):
            try:
                _let_go(fh)
            except OSError:
                pass

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
