"""The demo database cache (built once a day, copied after) and the cleanup of killed runs' folders."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time

import pytest

from civdesk import demo
from civdesk.core import db, keyring
from civdesk.core.writer_lock import WriterLock
from civdesk.demo import cache
from civdesk.office import accounts
from civdesk.volunteers.models import Volunteer
from tests.support.databases import DB_NAME, open_db, run_cli, sql


def test_a_second_demo_copies_todays_cache(demo_template, tmp_path, monkeypatch):
    assert cache.cache_path().is_file(), "the run's demo was built through the cache"
    monkeypatch.setattr(demo, "create_demo_database", lambda *a, **k: pytest.fail("built again"))
    path = tmp_path / "copy" / DB_NAME
    assert cache.create(path) == ("admin", demo.DEMO_PASSWORD)
    open_db(path)
    assert accounts.authenticate("admin", demo.DEMO_PASSWORD).username == "admin"
    assert Volunteer.select().count() == sql(demo_template, "SELECT COUNT(*) FROM volunteer")[0][0] > 0
    assert db.integrity_problems() == []


def test_the_cache_is_for_one_day_and_one_program(demo_template, tmp_path):
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    assert cache.cache_path(tomorrow) != cache.cache_path(today)
    assert today.isoformat() in cache.cache_path().name
    assert not cache.copy_cached(tmp_path / "x.sqlite3", tomorrow), "yesterday's dates would be wrong tomorrow"
    assert cache.copy_cached(tmp_path / "y.sqlite3", today)
    assert len(cache.code_hash()) == 16 and cache.code_hash() == cache.code_hash()


def test_the_code_hash_follows_the_sources(monkeypatch, tmp_path):
    source = tmp_path / "civdesk"
    (source / "demo").mkdir(parents=True)
    (source / "demo" / "volunteers.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_SOURCE_ROOT", source)
    first = cache.code_hash()
    (source / "demo" / "volunteers.py").write_text("A = 2\n", encoding="utf-8")
    assert cache.code_hash() != first


def test_storing_keeps_today_and_a_few_other_versions(demo_template, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CIVDESK_DEMO_CACHE", str(folder))
    folder.mkdir()
    today = dt.date.today()
    stale = folder / f"demo-v1-0000000000000000-{(today - dt.timedelta(days=1)).isoformat()}.sqlite3"
    others = [folder / f"demo-v1-{n:016d}-{today.isoformat()}.sqlite3" for n in range(5)]
    for number, path in enumerate([stale, *others]):
        path.write_bytes(b"x")
        os.utime(path, (time.time() - 100 + number, time.time() - 100 + number))
    kept = cache.store(demo_template)
    assert kept == cache.cache_path() and kept.is_file()
    assert not stale.exists()
    assert [p.exists() for p in others] == [False, False, True, True, True]
    # An encrypted file is copied as bytes, with its keyring; the copy reads as the original.
    assert keyring.keyring_path(kept).is_file()
    assert sql(kept, "SELECT COUNT(*) FROM volunteer") == sql(demo_template, "SELECT COUNT(*) FROM volunteer")
    assert sql(kept, "SELECT COUNT(*) FROM volunteer") == sql(demo_template, "SELECT COUNT(*) FROM volunteer")


def test_the_cli_demo_on_a_new_path_copies_the_cache(demo_template, tmp_path):
    path = tmp_path / "cli" / DB_NAME
    path.parent.mkdir()
    started = time.perf_counter()
    done = run_cli("--db", str(path), "demo")
    assert done.returncode == 0, done.stderr
    assert "admin" in done.stdout and "demo1234" in done.stdout
    assert sql(path, "SELECT COUNT(*) FROM volunteer") == sql(demo_template, "SELECT COUNT(*) FROM volunteer")
    assert time.perf_counter() - started < 60


# --- leftovers of killed runs ----------------------------------------------------------------


def _leftover(root, name: str, *, marked: bool = True, age: float = 0):
    folder = root / f"{cache.PREFIX}{name}"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"SQLite format 3\x00")
    if marked:
        (folder / f"{cache.IN_USE}.lock").write_text("电脑 x，进程 1", encoding="utf-8")
    if age:
        os.utime(folder, (time.time() - age, time.time() - age))
    return folder


def test_leftovers_of_killed_runs_are_removed_and_nothing_else(tmp_path, monkeypatch):
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(root))
    killed = _leftover(root, "killed")
    old_version = _leftover(root, "old", marked=False, age=3600)
    building = _leftover(root, "building", marked=False)  # an older CivDesk's run, still building
    foreign = _leftover(root, "foreign", age=3600)
    (foreign / "报告.docx").write_bytes(b"not ours")
    other = root / "civdesk-other"
    other.mkdir()
    running, lock = cache.new_run_folder()  # a demo running now
    open_db = _leftover(root, "open", marked=False, age=3600)
    db_lock = WriterLock(open_db / DB_NAME).acquire()  # an older CivDesk's demo, open
    try:
        assert sorted(cache.clean_leftovers()) == sorted([killed, old_version])
        assert all(p.exists() for p in (building, foreign, other, running, open_db))
    finally:
        lock.release()
        db_lock.release()
    assert running in cache.clean_leftovers(root)
    shutil.rmtree(root)
