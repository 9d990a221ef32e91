"""One writer per database: a second process is refused and told who holds the file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from civdesk.core import writer_lock
from civdesk.core.errors import DatabaseBusy
from civdesk.core.writer_lock import WriterLock
from tests.support.databases import REPO_ROOT, run_cli

TRY_LOCK = """
import sys
from civdesk.core.console import use_utf8_output
from civdesk.core.errors import DatabaseBusy
from civdesk.core import writer_lock
from civdesk.core.writer_lock import WriterLock
use_utf8_output()
try:
    WriterLock(sys.argv[1]).acquire().release()
except DatabaseBusy as exc:
    print("BUSY", exc)
else:
    print("ACQUIRED")
"""


def try_lock_elsewhere(db_path) -> str:
    result = subprocess.run([sys.executable, "-c", TRY_LOCK, str(db_path)], cwd=REPO_ROOT, capture_output=True,
                            text=True, encoding="utf-8", timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_second_process_refused_with_holder_named(db_path):
    with WriterLock(db_path):
        answer = try_lock_elsewhere(db_path)
    assert answer.startswith("BUSY")
    assert "正被另一个 CivDesk 程序使用" in answer
    assert f"进程 {os.getpid()}" in answer and socket.gethostname() in answer
    assert try_lock_elsewhere(db_path) == "ACQUIRED", "after release the lock is free again"


def test_hard_links_of_one_database_share_the_lock(tmp_path):
    """Finding 6 of issue 13: the lock followed the name, so two imports through two hard links
    of one database both ran and damaged it."""
    original = tmp_path / "office" / "civdesk.sqlite3"
    original.parent.mkdir()
    original.write_bytes(b"SQLite format 3\x00")
    other = tmp_path / "elsewhere" / "link.sqlite3"
    other.parent.mkdir()
    os.link(original, other)
    with WriterLock(original):
        answer = try_lock_elsewhere(other)
        with pytest.raises(DatabaseBusy):
            WriterLock(other).acquire()
    assert answer.startswith("BUSY") and f"进程 {os.getpid()}" in answer
    assert try_lock_elsewhere(other) == "ACQUIRED"
    assert try_lock_elsewhere(original) == "ACQUIRED", "a refused lock leaves nothing held"


def test_a_busy_lock_file_that_cannot_be_read_still_gives_the_message(db_path, monkeypatch):
    """Issue 11: on Windows a buffered read of the holder text reaches the locked byte and fails."""
    from civdesk.core import writer_lock

    class Unreadable:
        def seek(self, *a):
            raise PermissionError(13, "locked")

    assert writer_lock.read_holder(Unreadable()) == ""
    with WriterLock(db_path):
        monkeypatch.setattr(writer_lock, "read_holder", lambda fh: "")
        with pytest.raises(DatabaseBusy) as info:
            WriterLock(db_path).acquire()
    assert "正被另一个 CivDesk 程序使用" in str(info.value)


def test_second_lock_in_the_same_process_refused(db_path):
    lock = WriterLock(db_path).acquire()
    try:
        with pytest.raises(DatabaseBusy):
            WriterLock(db_path).acquire()
    finally:
        lock.release()
    WriterLock(db_path).acquire().release()


def test_holder_text_is_rewritten_by_each_holder(db_path):
    with WriterLock(db_path) as lock:
        text = lock.path.read_text(encoding="utf-8")
    assert text.count("进程") == 1 and str(os.getpid()) in text


def test_cli_refuses_while_the_database_is_held(admin, db_path):
    with WriterLock(db_path.resolve()):
        result = run_cli("--db", str(db_path), "--user", "admin", "user", "add", "zhangsan", "--role", "clerk",
                         env={"CIVDESK_PASSWORD": "whatever", "CIVDESK_NEW_PASSWORD": "Zhang#2024"})
    assert result.returncode == 1, result.stderr
    assert "正被另一个 CivDesk 程序使用" in result.stderr and f"进程 {os.getpid()}" in result.stderr
    assert "Traceback" not in result.stderr


# --- lock files do not pile up (issue 17: thousands were left in the cache folder) -------------------

HOLD = """
import sys, time
from civdesk.core import writer_lock
from civdesk.core.writer_lock import WriterLock
lock = WriterLock(sys.argv[1]).acquire()
print("HELD", flush=True)
sys.stdin.readline()  # until the test says so
lock.release()
print("RELEASED", flush=True)
"""


@pytest.fixture
def lock_dir(tmp_path, monkeypatch):
    folder = tmp_path / "locks"
    monkeypatch.setenv("CIVDESK_LOCK_DIR", str(folder))
    return folder


def _holder(db_path, lock_dir):
    env = dict(os.environ, CIVDESK_LOCK_DIR=str(lock_dir))
    env.pop("PYTHONIOENCODING", None)
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path)], cwd=REPO_ROOT, env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == "HELD"
    return process


def test_a_released_lock_leaves_no_file_in_the_cache_folder(db_path, lock_dir):
    db_path.write_bytes(b"SQLite format 3\x00")
    lock = WriterLock(db_path).acquire()
    name_lock, identity = lock.path, writer_lock.identity_lock_path(db_path)
    assert name_lock.exists() and identity.exists() and identity.parent == lock_dir
    lock.release()
    assert not identity.exists()
    assert name_lock.exists()  # beside the database, one per database (a demo run's in-use marker)
    with WriterLock(db_path):  # and it can be taken again
        assert try_lock_elsewhere(db_path).startswith("BUSY")
    assert list(lock_dir.iterdir()) == []


def test_stale_lock_files_go_and_a_live_holders_stays(db_path, lock_dir, tmp_path):
    lock_dir.mkdir()
    for number in range(50):  # left by processes that died: nobody holds them
        (lock_dir / f"fe00-{number:x}.lock").write_text(f"电脑 pc，进程 {40000 + number}，2026-12-01 08:00 起",
                                                        encoding="utf-8")
    db_path.write_bytes(b"SQLite format 3\x00")
    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"SQLite format 3\x00")
    holder = _holder(db_path, lock_dir)  # a live CivDesk in another process
    try:
        with WriterLock(other):  # and one in this process
            assert writer_lock.remove_stale() == 50
            left = sorted(lock_dir.iterdir())
            assert left == sorted([writer_lock.identity_lock_path(db_path), writer_lock.identity_lock_path(other)])
            answer = try_lock_elsewhere(db_path)  # the live holder still holds, and is still named
            assert answer.startswith("BUSY") and f"进程 {holder.pid}" in answer
            with pytest.raises(DatabaseBusy):
                WriterLock(other).acquire()
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "RELEASED"
        holder.wait(30)
    assert list(lock_dir.iterdir()) == []


def test_a_lock_file_removed_under_a_waiting_opener_is_not_a_second_lock(db_path, lock_dir):
    """The remover unlinks while holding; one who opened the old file before and locks it after
    must not count as holding: it takes the file now at the path instead, which a second taker
    is then refused."""
    db_path.write_bytes(b"SQLite format 3\x00")
    path = writer_lock.identity_lock_path(db_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    early = open(path, "a+b", buffering=0)  # noqa: SIM115 - opened before the file is removed
    try:
        assert writer_lock.remove_stale() == 1 and not path.exists()
        assert writer_lock._try_lock(early)  # it can lock the unlinked file...
        assert not writer_lock._same_file(early, path)  # ...which is no longer the lock at that path
        with WriterLock(db_path):
            assert path.exists() and try_lock_elsewhere(db_path).startswith("BUSY")
    finally:
        early.close()
