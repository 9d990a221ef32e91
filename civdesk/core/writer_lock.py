"""One writer per database: a second CivDesk on the same file is told who holds it.

An OS file lock (released by the OS if the process dies) on ``<db>.lock``; the file's text says
which process holds it, for the message.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path

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


class WriterLock:
    def __init__(self, db_path):
        self.path = Path(str(db_path) + ".lock")
        self._fh = None

    def acquire(self) -> WriterLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        if not _try_lock(fh):
            fh.seek(0)
            holder = fh.read(200).decode("utf-8", "replace").strip()
            fh.close()
            detail = f"（{holder}）" if holder else ""
            raise DatabaseBusy("这个数据库正被另一个 CivDesk 程序使用" + detail + "。同一时间只能有一个 CivDesk "
                               "修改同一个数据库，请先关闭另一个窗口，再重新打开。")
        fh.seek(0)
        fh.truncate()
        started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        fh.write(f"电脑 {socket.gethostname()}，进程 {os.getpid()}，{started} 起".encode())
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
