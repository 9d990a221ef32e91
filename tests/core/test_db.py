"""Opening, upgrading and checking the database file."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from civdesk.core import backup, changes, db, schema
from civdesk.core.errors import DatabaseDamaged, DatabaseError, ReadOnlyError
from civdesk.core.models import synced_models
from civdesk.core.registry import registry
from civdesk.office import accounts, settings, setup
from civdesk.office import offices as office_service
from civdesk.office.account_model import User
from civdesk.office.models import Office
from tests.support.databases import (
    ADMIN,
    ADMIN_PASSWORD,
    V1_OFFICE,
    V1_STAMP,
    build_v1,
    corrupt_pages,
    open_db,
    raw,
    sql,
)


def columns(path_or_none, table: str) -> dict[str, tuple]:
    rows = (sql(path_or_none, f"PRAGMA table_info({table})") if path_or_none
            else db.database.execute_sql(f"PRAGMA table_info({table})").fetchall())
    return {r[1]: r for r in rows}


def index_names(path: Path) -> set[str]:
    return {r[0] for r in sql(path, "SELECT name FROM sqlite_master WHERE type = 'index'")}


def pragma(name: str):
    return db.database.execute_sql(f"PRAGMA {name}").fetchone()[0]


# --- opening ------------------------------------------------------------------------------


def test_open_new_database_sets_pragmas_and_version(db_path):
    state = open_db(db_path)
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 5000
    assert pragma("user_version") == db.SCHEMA_VERSION == len(schema.STEPS)
    assert state.schema_version == db.SCHEMA_VERSION and not state.read_only
    assert state.upgraded_from == 0
    assert not backup.list_backups(), "a brand-new database needs no before-upgrade backup"


def test_worker_thread_gets_its_own_connection(admin):
    main = db.database.connection()
    seen = {}

    def work():
        with db.worker_connection() as database:
            seen["conn"] = database.connection()
            seen["offices"] = Office.select().count()
        seen["closed_after"] = database.is_closed()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["conn"] is not main
    assert seen["offices"] == 1
    assert seen["closed_after"]
    assert not db.database.is_closed(), "closing the worker's connection must not close the GUI thread's"


# --- upgrades -----------------------------------------------------------------------------


def test_upgrade_from_version_1_keeps_data_and_backs_up_first(db_path):
    build_v1(db_path)
    assert "must_change_password" not in columns(db_path, "user")

    state = open_db(db_path)

    assert state.upgraded_from == 1 and state.schema_version == db.SCHEMA_VERSION
    assert pragma("user_version") == db.SCHEMA_VERSION
    user = User.get(User.username == ADMIN)
    assert user.must_change_password is False
    assert accounts.verify_password(ADMIN_PASSWORD, user.password_hash)
    office = Office.get_by_id(V1_OFFICE)
    assert (office.name, office.kind, office.phone, office.clock) == ("清溪镇", "township", "028-83951234", V1_STAMP)
    assert setup.is_initialized() and office_service.own_office().id == V1_OFFICE
    db.close_database()
    assert {"user_name_pinyin", "user_name_initials", "office_name_pinyin", "office_name_initials",
            "audit_entry_username", "audit_entry_action"} <= index_names(db_path)

    backups = [b for b in backup.list_backups(db_path) if b.reason == "before-upgrade"]
    assert len(backups) == 1
    old = backups[0].path
    assert sql(old, "PRAGMA user_version") == [(1,)]
    assert "must_change_password" not in columns(old, "user")
    assert sql(old, "SELECT id, name FROM office") == [(V1_OFFICE, "清溪镇")]
    assert sql(old, "SELECT username FROM user") == [(ADMIN,)]


def test_upgraded_database_is_usable(db_path):
    build_v1(db_path)
    open_db(db_path)
    actor = accounts.authenticate(ADMIN, ADMIN_PASSWORD)
    office_service.update_own_office(actor, {"contact_person": "李四"})
    entry = sql(db_path, "SELECT base, hlc FROM change_log WHERE tbl = 'office' AND field = 'contact_person'")
    assert entry[0][0] == V1_STAMP, "the first edit after an upgrade builds on the version-1 value"
    assert entry[0][1] > V1_STAMP


def test_upgrade_via_raw_open_matches_step_1(tmp_path):
    raw = tmp_path / "raw.sqlite3"
    db.database.init(str(raw))
    db.database.connect()
    db.upgrade(0, 1)
    db.close_database()
    assert sql(raw, "PRAGMA user_version") == [(1,)]
    assert "must_change_password" not in columns(raw, "user")
    assert "user_name_pinyin" not in index_names(raw)


BROKEN_STEP_2 = """
ALTER TABLE user ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
CREATE INDEX office_name_pinyin ON office (name_pinyin);
CREATE INDEX broken ON no_such_table (x);
"""


def _open_with_broken_step(db_path, monkeypatch):
    build_v1(db_path)
    monkeypatch.setattr(schema, "STEPS", [schema.STEP_1, BROKEN_STEP_2])
    with pytest.raises(Exception) as info:
        open_db(db_path)
    db.close_database()
    return info.value


def test_failing_upgrade_step_rolls_back(db_path, monkeypatch):
    _open_with_broken_step(db_path, monkeypatch)
    assert sql(db_path, "PRAGMA user_version") == [(1,)]
    assert "must_change_password" not in columns(db_path, "user"), "half a step must not stay applied"
    assert "office_name_pinyin" not in index_names(db_path)
    assert sql(db_path, "SELECT id, name FROM office") == [(V1_OFFICE, "清溪镇")]
    assert sql(db_path, "SELECT username FROM user") == [(ADMIN,)]


def test_failing_upgrade_step_reports_a_clear_error_and_leaves_nothing_open(db_path, monkeypatch):
    """A clerk must see a Chinese message, not a raw SQL error, and nothing may keep writing to a
    half-upgraded file."""
    build_v1(db_path)
    monkeypatch.setattr(schema, "STEPS", [schema.STEP_1, BROKEN_STEP_2])
    with pytest.raises(DatabaseError) as info:
        open_db(db_path)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))
    assert db.database.is_closed()


def _expected_indexes(model) -> list[tuple[tuple[str, ...], bool]]:
    found = []
    for field in model._meta.sorted_fields:
        if (field.index or field.unique) and not field.primary_key:
            found.append(((field.column_name,), bool(field.unique)))
    for fields, unique in model._meta.indexes:
        found.append((tuple(model._meta.fields[name].column_name for name in fields), unique))
    return found


def _actual_indexes(table: str) -> dict[tuple[str, ...], bool]:
    result = {}
    for _, name, unique, *_ in db.database.execute_sql(f"PRAGMA index_list({table})").fetchall():
        cols = tuple(r[2] for r in db.database.execute_sql(f"PRAGMA index_info({name})").fetchall())
        result[cols] = result.get(cols, False) or bool(unique)
    return result


@pytest.mark.parametrize("start", ["new", "from-v1"])
def test_models_match_schema_after_all_steps(db_path, start):
    if start == "from-v1":
        build_v1(db_path)
    open_db(db_path)
    models = registry.local_models() + synced_models()
    assert {m._meta.table_name for m in synced_models()} >= {"office", "setting", "audit_entry"}
    for model in models:
        table = model._meta.table_name
        cols = columns(None, table)
        assert cols, f"table {table} missing"
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(fields) == set(cols), f"{table}: model and schema disagree on columns"
        for name, field in fields.items():
            if not field.primary_key:
                assert bool(cols[name][3]) == (not field.null), f"{table}.{name}: NOT NULL differs"
        actual = _actual_indexes(table)
        for cols_wanted, unique in _expected_indexes(model):
            assert cols_wanted in actual, f"{table}: no index on {cols_wanted}"
            assert actual[cols_wanted] == unique, f"{table}: uniqueness of index on {cols_wanted} differs"


# --- newer, foreign and damaged files -----------------------------------------------------


def test_newer_schema_opens_read_only_and_refuses_writes(admin, db_path):
    db.close_database()
    conn = raw(db_path)
    conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 5}")
    conn.close()
    before = db_path.read_bytes()

    state = open_db(db_path)
    assert state.read_only
    assert "更新版本" in state.read_only_reason and str(db.SCHEMA_VERSION + 5) in state.read_only_reason
    assert Office.select().count() == 1, "a newer database can still be read"
    assert accounts.authenticate(ADMIN, ADMIN_PASSWORD).role == "admin"
    writes = [
        lambda: changes.create(Office, admin, {"name": "新村", "kind": "village"}),
        lambda: changes.update(office_service.own_office(), admin, {"address": "新地址"}),
        lambda: accounts.add_user(admin, "zhangsan", "张三", "clerk", "Zhang#2024"),
        lambda: settings.set_value(admin, "backup.keep", 10),
        lambda: office_service.update_own_office(admin, {"contact_person": "李四"}),
        lambda: changes.write_audit(admin, "export", note="x"),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyError) as info:
            write()
        assert "更新版本" in str(info.value)
    db.close_database()
    assert db_path.read_bytes() == before
    wal = Path(str(db_path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_foreign_sqlite_file_is_refused_and_left_alone(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.execute("INSERT INTO customers VALUES ('someone')")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged) as info:
        open_db(db_path)
    assert "不是 CivDesk" in str(info.value)
    db.close_database()
    assert db_path.read_bytes() == before, "refusing another program's database must not modify it"


@pytest.mark.parametrize("content", [b"this is not a database at all\n" * 200, "junk-after-header",
                                     "truncated-header"])
def test_garbage_file_is_damaged(township_template, db_path, content):
    real = township_template.read_bytes()
    if content == "junk-after-header":
        content = real[:16] + os.urandom(8000)
    elif content == "truncated-header":
        content = real[:50]
    db_path.write_bytes(content)
    for read_only in (True, False):
        with pytest.raises(DatabaseDamaged):
            open_db(db_path, read_only=read_only)
            db.integrity_problems()  # a file that opens must at least fail the check with DatabaseDamaged
            raise AssertionError("damaged file opened and passed the check")
        db.close_database()


def test_empty_file_becomes_a_new_database(db_path):
    db_path.write_bytes(b"")
    state = open_db(db_path)
    assert state.schema_version == db.SCHEMA_VERSION


# --- integrity ------------------------------------------------------------------------------


def test_integrity_problems_empty_on_healthy_database(admin):
    assert db.integrity_problems() == []


def _damage_signalled(path: Path, read_only: bool) -> bool:
    try:
        open_db(path, read_only=read_only)
    except DatabaseDamaged:
        return True
    try:
        return bool(db.integrity_problems())
    finally:
        db.close_database()


@pytest.mark.parametrize("read_only", [True, False])
def test_corrupted_data_pages_are_detected(big_database, tmp_path, read_only):
    # Past the first pages, which hold the schema and the tables' roots: those are the next test.
    damaged = corrupt_pages(big_database, tmp_path / "damaged.sqlite3", first_page=600)  # past the schema pages: an encrypted page fails whole
    assert _damage_signalled(damaged, read_only)


@pytest.mark.parametrize("read_only", [True, False])
def test_corrupted_schema_page_is_detected(big_database, tmp_path, read_only):
    """Junk in page 1 after the header (where sqlite_master starts): SQLite then fails on the first
    statement, which must still come out as DatabaseDamaged or a reported problem, not a raw error."""
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(big_database.read_bytes())
    data[100:4096] = b"\xff" * 3996
    damaged.write_bytes(bytes(data))
    assert _damage_signalled(damaged, read_only)
