"""Backups through SQLite's backup API, daily automatic backups, restore and recovery."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest

from civdesk.core import backup, changes, db, dump, keyring
from civdesk.core.errors import CivDeskError, DatabaseDamaged
from civdesk.core.meta import ChangeLog, LocalMeta
from civdesk.office import accounts
from civdesk.office import offices as office_service
from civdesk.office.models import Office
from tests.support.databases import (
    ADMIN_PASSWORD,
    build_v1,
    copy_db,
    initialize,
    key_for,
    open_db,
    raw,
    setup_request,
    sql,
)


def village_names(path: Path | None = None) -> list[str]:
    query = "SELECT name FROM office WHERE kind = 'village' AND deleted = 0 ORDER BY name"
    if path is not None:
        return [r[0] for r in sql(path, query)]
    return [r[0] for r in db.database.execute_sql(query).fetchall()]


def fake_backup(folder: Path, when: dt.datetime, reason: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"civdesk-{when:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    path.write_bytes(b"placeholder")
    return path


@pytest.fixture
def saved(admin, tmp_path) -> Path:
    """A manual backup holding one village (红星村); the live database then gets a second (白鹤村)."""
    office_service.add_village(admin, "红星村")
    path = backup.make_backup("manual", tmp_path / "usb" / "saved.sqlite3")
    office_service.add_village(admin, "白鹤村")
    return path


# --- make_backup ----------------------------------------------------------------------------


def test_backup_opens_with_the_same_data(admin, tmp_path):
    office_service.add_village(admin, "红星村")
    path = backup.make_backup("manual", tmp_path / "copy.sqlite3")
    assert sql(path, "PRAGMA integrity_check") == [("ok",)]
    assert sql(path, "PRAGMA user_version") == [(db.SCHEMA_VERSION,)]
    expected = dump.dump_json()
    db.close_database()
    open_db(path, read_only=True)
    assert dump.dump_json() == expected
    assert not Path(str(path) + ".part").exists()


def test_backup_includes_pages_still_in_the_wal(admin, db_path, tmp_path):
    db.database.execute_sql("PRAGMA wal_autocheckpoint = 0")
    changes.create_many(Office, admin, [{"name": f"第{i}组", "kind": "village"} for i in range(300)])
    assert Path(str(db_path) + "-wal").stat().st_size > 0
    file_copy = tmp_path / "file-copy.sqlite3"
    copy_db(db_path, file_copy)  # what a plain file copy would have kept
    assert sql(file_copy, "SELECT COUNT(*) FROM office")[0][0] < 301

    path = backup.make_backup("manual", tmp_path / "api-copy.sqlite3")
    assert sql(path, "SELECT COUNT(*) FROM office") == [(301,)]
    assert sql(path, "PRAGMA integrity_check") == [("ok",)]


def test_backup_names_and_list(admin):
    first = backup.make_backup("manual")
    second = backup.make_backup("manual")
    assert first != second and first.parent == second.parent == backup.backup_dir()
    infos = backup.list_backups()
    assert {i.path for i in infos} == {first, second}
    assert all(i.reason == "manual" and i.reason_label == "手动备份" and i.size > 0 for i in infos)


# --- automatic backups ----------------------------------------------------------------------


def test_auto_backup_once_a_day_and_pruned(admin):
    folder = backup.backup_dir()
    old = dt.datetime(2024, 3, 1, 8, 0, 0)
    automatic = [fake_backup(folder, old + dt.timedelta(days=i), "daily") for i in range(5)]
    automatic.append(fake_backup(folder, old + dt.timedelta(days=10), "before-upgrade"))
    manual = [fake_backup(folder, old - dt.timedelta(days=400), "manual"),
              fake_backup(folder, old + dt.timedelta(days=1), "manual")]
    elsewhere = folder / "my-notes.txt"
    elsewhere.write_text("not a backup")

    made = backup.auto_backup_on_start(keep=3)
    assert made is not None and made.exists()
    kept = [b for b in backup.list_backups() if b.reason != "manual"]
    assert [b.path for b in kept] == [made, automatic[5], automatic[4]]
    assert all(p.exists() for p in manual) and elsewhere.exists()
    assert not any(p.exists() for p in automatic[:4])

    assert backup.auto_backup_on_start(keep=3) is None, "a second start on the same day backs up nothing"
    files = [p for p in folder.iterdir() if p.suffix != ".keys"]
    assert len(files) == 3 + len(manual) + 1
    assert keyring.keyring_path(made).exists(), "a backup carries a copy of the keyring"


def test_databases_in_one_folder_keep_their_own_backups(admin, db_path, tmp_path):
    """Finding 7 of issue 13: databases in one folder shared backups/: opening X listed and
    pruned Y's backups. Killed backups left *.part files that were never removed."""
    own_old = backup.make_backup("daily", db.shared_backup_dir() / "civdesk-20240301-080000-daily.sqlite3")
    db.close_database()
    other_path = db_path.with_name("other.sqlite3")
    initialize(other_path, setup_request(node_name="另一台"))
    assert backup.backup_dir() == other_path.parent / "backups" / "other"
    others = [fake_backup(db.shared_backup_dir(), dt.datetime(2024, 3, d, 8), "daily") for d in (2, 3, 4)]
    killed = backup.backup_dir() / "civdesk-20240305-080000-daily.sqlite3.part"
    killed.parent.mkdir(parents=True, exist_ok=True)
    killed.write_bytes(b"half")
    made = backup.auto_backup_on_start(keep=1)
    assert [b.path for b in backup.list_backups()] == [made], "another database's backups are not listed"
    assert own_old.exists() and all(p.exists() for p in others), "nor pruned"
    assert not killed.exists()

    db.close_database()
    open_db(db_path)
    assert backup.backup_dir() == db_path.parent / "backups" / "civdesk"
    backup.auto_backup_on_start(keep=5)
    listed = [b.path.name for b in backup.list_backups()]
    assert own_old.name in listed, "a backup an older version left in backups/ moves to its database's folder"
    assert not own_old.exists() and all(p.exists() for p in others)
    assert not {p.name for p in others} & set(listed)


def test_old_part_files_in_the_shared_folder_are_removed(admin):
    shared = db.shared_backup_dir()
    shared.mkdir(parents=True, exist_ok=True)
    old, fresh = shared / "civdesk-20240301-080000-daily.sqlite3.part", shared / "x.sqlite3.part"
    for path in (old, fresh):
        path.write_bytes(b"half")
    two_hours_ago = (dt.datetime.now() - dt.timedelta(hours=2)).timestamp()
    os.utime(old, (two_hours_ago, two_hours_ago))
    backup.auto_backup_on_start(keep=5)
    assert not old.exists() and fresh.exists(), "a fresh one may be another database's backup under way"


def test_auto_backup_after_yesterdays(admin):
    yesterday = dt.datetime.now() - dt.timedelta(days=1)
    fake_backup(backup.backup_dir(), yesterday, "daily")
    assert backup.auto_backup_on_start(keep=30) is not None


# --- restore --------------------------------------------------------------------------------


def test_restore_brings_back_the_old_data(saved, admin):
    assert village_names() == ["白鹤村", "红星村"]
    safety = backup.restore(saved)
    assert village_names() == ["红星村"]
    assert safety.parent == backup.backup_dir() and "before-restore" in safety.name
    assert village_names(safety) == ["白鹤村", "红星村"], "the state before restoring is kept"
    office_service.add_village(admin, "金马村")  # the restored database is writable as usual
    assert village_names() == ["红星村", "金马村"]


def test_restore_uses_this_pcs_clock_identity(saved, admin, tmp_path):
    """After restoring, new changes carry the node id the restored database names as its own."""
    db.close_database()
    other = initialize(tmp_path / "other" / "civdesk.sqlite3", setup_request(node_name="新电脑"))
    office_service.add_village(other, "柳林村")
    backup.restore(saved, key_for(saved))  # another database's backup: its own key
    office_service.add_village(other, "双河社区")
    newest = ChangeLog.select().order_by(ChangeLog.hlc.desc()).first()
    assert newest.node_id == LocalMeta.get_value("node_id")
    assert newest.hlc.endswith("-" + LocalMeta.get_value("node_id"))


def _damaged_copy(saved: Path, tmp_path: Path) -> Path:
    bad = tmp_path / "damaged.sqlite3"
    data = bytearray(saved.read_bytes())
    for offset in range(4096 + 8, len(data) - 100, 4096):
        data[offset:offset + 64] = os.urandom(64)
    bad.write_bytes(bytes(data))
    return bad


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def _newer(saved: Path, tmp_path: Path) -> Path:
    path = tmp_path / "newer.sqlite3"
    copy_db(saved, path)
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    conn.close()
    return path


def _garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(os.urandom(20000))
    return path


@pytest.mark.parametrize(("make", "error", "words"), [
    (lambda saved, tmp: _damaged_copy(saved, tmp), DatabaseDamaged, "损坏"),
    (lambda saved, tmp: _garbage(tmp), DatabaseDamaged, "不是 CivDesk"),
    (lambda saved, tmp: _foreign(tmp), DatabaseDamaged, "不是 CivDesk 的备份"),
    (lambda saved, tmp: _newer(saved, tmp), CivDeskError, "更新版本"),
    (lambda saved, tmp: tmp / "missing.sqlite3", CivDeskError, "找不到备份文件"),
], ids=["damaged", "garbage", "foreign", "newer", "missing"])
def test_restore_refuses_bad_files_and_changes_nothing(saved, tmp_path, make, error, words):
    bad = make(saved, tmp_path)
    before = dump.dump_json()
    with pytest.raises(error) as info:
        backup.restore(bad)
    assert words in str(info.value)
    assert dump.dump_json() == before
    assert village_names() == ["白鹤村", "红星村"]
    assert not [b for b in backup.list_backups() if b.reason == "before-restore"]


def test_restore_of_an_older_schema_upgrades(admin, tmp_path):
    old = tmp_path / "v1.sqlite3"
    build_v1(old)
    backup.restore(old)
    assert db.database.execute_sql("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    assert db.state.schema_version == db.SCHEMA_VERSION
    columns = {r[1] for r in db.database.execute_sql("PRAGMA table_info(user)").fetchall()}
    assert "must_change_password" in columns


# --- recovering a database too damaged to open ------------------------------------------------


def test_restore_damaged_moves_the_file_aside(saved, admin, db_path):
    db.close_database()
    damaged_bytes = b"SQLite format 3\x00" + os.urandom(30000)
    db_path.write_bytes(damaged_bytes)
    with pytest.raises(DatabaseDamaged):
        open_db(db_path)

    aside = backup.restore_damaged(db_path, saved)
    assert aside.exists() and aside.name.startswith(db_path.name + ".damaged-")
    assert aside.read_bytes() == damaged_bytes, "the damaged file is kept as it was"
    open_db(db_path)
    assert village_names() == ["红星村"]
    assert db.integrity_problems() == []
    assert accounts.authenticate("admin", ADMIN_PASSWORD).role == "admin"


def test_restore_damaged_refuses_a_bad_backup(admin, db_path, tmp_path):
    db.close_database()
    original = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged):
        backup.restore_damaged(db_path, _garbage(tmp_path))
    assert db_path.read_bytes() == original
    assert not list(db_path.parent.glob("*.damaged-*"))
