"""Encryption at rest: no personal data in clear in the database, its WAL, a backup or a sync
package; keys and slots; a wrong password changes nothing; conversion of a plain database;
the recovery key."""

from __future__ import annotations

import json
from pathlib import Path

import apsw
import pytest
from openpyxl import Workbook

from civdesk.core import backup, db, keyring, validation
from civdesk.core.errors import AuthError, CivDeskError
from civdesk.core.keyring import Keyring, WrongSecret
from civdesk.office import accounts, maintenance
from civdesk.office import offices as office
from civdesk.sync import exchange
from civdesk.volunteers import roster_import
from civdesk.volunteers.models import Volunteer
from tests.support.databases import (
    ADMIN,
    ADMIN_PASSWORD,
    build_v1,
    copy_db,
    run_cli,
    setup_request,
    sql,
)

BODY = "51011419870423471"
ID_NUMBER = BODY + validation.id_check_digit(BODY)
PHONE = "13912345678"
NAME = "欧阳秀英"


def test_the_driver_is_sqlite3mc_never_plain_apsw():
    assert apsw.mc_version and "Multiple Ciphers" in apsw.mc_version
    assert isinstance(db.database, db.EncryptedDatabase)


def _roster(path: Path) -> Path:
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "手机号", "所属村（社区）"])
    wb.active.append([NAME, ID_NUMBER, PHONE, "桂花村"])
    wb.save(path)
    return path


def _needles() -> list[bytes]:
    return [s.encode(enc) for s in (ID_NUMBER, PHONE, NAME) for enc in ("utf-8", "utf-16-le")]


def test_no_personal_data_in_clear_in_database_wal_backup_or_package(admin, db_path, tmp_path):
    office.add_village(admin, "桂花村")
    db.database.execute_sql("PRAGMA wal_autocheckpoint = 0")  # the rows stay in the -wal
    report = roster_import.run(_roster(tmp_path / "名册.xlsx"), admin)
    assert report.imported == 1
    assert Volunteer.get(Volunteer.id_number == ID_NUMBER).phone == PHONE
    wal = Path(f"{db_path}-wal")
    assert wal.stat().st_size > 0
    copy = backup.make_backup("manual", tmp_path / "usb" / "backup.sqlite3")
    package = exchange.export_package(admin, tmp_path / "usb").path
    files = [db_path, wal, copy, package, keyring.keyring_path(db_path), keyring.keyring_path(copy)]
    for path in files:
        data = path.read_bytes()
        for needle in _needles():
            assert needle not in data, f"{needle!r} in clear in {path.name}"
    assert not db.is_plain(db_path) and not db.is_plain(copy)
    assert sql(copy, "SELECT name FROM volunteer WHERE id_number = ?", (ID_NUMBER,)) == [(NAME,)]


def test_keyring_never_holds_the_key_and_backup_carries_a_copy(admin, tmp_path):
    dk = db.state.key
    ring_bytes = keyring.keyring_path(db.state.path).read_bytes()
    assert dk not in ring_bytes and dk.hex().encode() not in ring_bytes
    doc = json.loads(ring_bytes)
    assert set(doc["slots"]) == {f"account:{ADMIN}", "recovery"}
    copy = backup.make_backup("manual", tmp_path / "b.sqlite3")
    assert keyring.keyring_path(copy).read_bytes() == ring_bytes


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_wrong_password_leaves_every_file_byte_identical(admin, db_path):
    db.close_database()
    before = _files(db_path.parent)
    messages = set()
    for user, password in ((ADMIN, "Wrong#2024"), ("nobody", ADMIN_PASSWORD), (ADMIN, "")):
        with pytest.raises(AuthError) as info:
            maintenance.login(db_path, user, password)
        messages.add(str(info.value))
    assert len(messages) == 1, "one message for a wrong name or password"
    assert messages.pop().startswith(keyring.WRONG_LOGIN)
    assert db.database.is_closed()
    after = _files(db_path.parent)
    assert after.pop(f"{db_path.name}.logins"), "the failures wait outside the database"
    assert after == before


def test_a_password_change_rewraps_only_that_slot(admin, db_path):
    accounts.add_user(admin, "zhangli", "张丽", "clerk", "Clerk#2024x", must_change=False)
    path = keyring.keyring_path(db_path)
    before = json.loads(path.read_bytes())["slots"]
    assert "account:zhangli" in before
    clerk = accounts.authenticate("zhangli", "Clerk#2024x")
    accounts.change_own_password(clerk, "Clerk#2024x", "Clerk#2025y")
    after = json.loads(path.read_bytes())["slots"]
    assert after["account:zhangli"] != before["account:zhangli"]
    assert {k: v for k, v in after.items() if k != "account:zhangli"} == \
        {k: v for k, v in before.items() if k != "account:zhangli"}
    db.close_database()
    with pytest.raises(AuthError):
        maintenance.login(db_path, "zhangli", "Clerk#2024x")
    assert maintenance.login(db_path, "zhangli", "Clerk#2025y").actor.username == "zhangli"
    db.close_database()
    assert maintenance.login(db_path, ADMIN, ADMIN_PASSWORD).actor.role == "admin"


def test_deactivating_an_account_removes_its_slot(admin, db_path):
    accounts.add_user(admin, "zhangli", "张丽", "clerk", "Clerk#2024x", must_change=False)
    accounts.update_user(admin, "zhangli", active=False)
    assert not Keyring.load(keyring.keyring_path(db_path)).has_account("zhangli")


def test_setup_returns_a_recovery_key_that_sets_a_new_admin_password(tmp_path):
    from civdesk.office import setup

    path = tmp_path / "new.sqlite3"
    db.open_database(path)
    _actor, recovery = setup.initialize_with_recovery(setup_request())
    db.close_database()
    assert len(recovery.split()) == 9
    with pytest.raises(WrongSecret):
        keyring.parse_recovery_key(recovery[:-1] + ("0" if recovery[-1] != "0" else "1"))  # typo: check group
    maintenance.recover(path, recovery.lower().replace(" ", "-"), ADMIN, "Brand#New2026")
    db.close_database()
    with pytest.raises(AuthError):
        maintenance.login(path, ADMIN, ADMIN_PASSWORD)
    assert maintenance.login(path, ADMIN, "Brand#New2026").actor.role == "admin"


def test_cli_recover_and_reads_need_a_login(tmp_path):
    path = tmp_path / "cli.sqlite3"
    result = run_cli("--db", str(path), "init", "--office", "清溪镇", "--kind", "township", "--node-name", "电脑",
                     "--admin", ADMIN, env={"CIVDESK_PASSWORD": ADMIN_PASSWORD,
                                            "CIVDESK_SYNC_PASSPHRASE": "tongbu-kouling-88"})
    assert result.returncode == 0, result.stderr
    recovery = " ".join(result.stderr.split("恢复密钥")[1].split("\n\n")[1].split())
    keyring.parse_recovery_key(recovery)
    dump = run_cli("--db", str(path), "dump", "--json")
    assert dump.returncode == 2 and "--user" in dump.stderr
    check = run_cli("--db", str(path), "check")
    assert check.returncode == 0 and "密钥文件" in check.stdout
    fixed = run_cli("--db", str(path), "recover", "--recovery-key", recovery,
                    env={"CIVDESK_NEW_PASSWORD": "Brand#New2026"})
    assert fixed.returncode == 0, fixed.stderr
    ok = run_cli("--db", str(path), "--user", ADMIN, "dump", "--json", env={"CIVDESK_PASSWORD": "Brand#New2026"})
    assert ok.returncode == 0, ok.stderr


def test_a_plain_database_is_backed_up_and_encrypted_at_the_first_login(tmp_path):
    path = tmp_path / "old.sqlite3"
    build_v1(path)
    folder = db.backup_dir(path)
    folder.mkdir(parents=True)
    old_backup = folder / "civdesk-20240101-080000-manual.sqlite3"
    copy_db(path, old_backup)
    result = maintenance.login(path, ADMIN, ADMIN_PASSWORD)
    assert result.converted and result.recovery_key
    assert not db.is_plain(path) and db.state.encrypted
    assert db.state.schema_version == db.SCHEMA_VERSION
    assert b"028-83951234" not in path.read_bytes()
    backups = maintenance.backups(path)
    assert {b.reason for b in backups} >= {"before-encrypt", "manual"}
    for info in backups:  # the old plain backups are encrypted in place, each with its keyring
        assert not db.is_plain(info.path) and keyring.keyring_path(info.path).exists()
        assert b"028-83951234" not in info.path.read_bytes()
    db.close_database()
    again = maintenance.login(path, ADMIN, ADMIN_PASSWORD)
    assert not again.converted and again.actor.role == "admin"
    db.close_database()
    assert sql(old_backup, "SELECT phone FROM office") == [("028-83951234",)]


def test_other_accounts_keep_their_password_across_the_conversion(tmp_path):
    path = tmp_path / "old.sqlite3"
    build_v1(path)
    db.open_database(path)
    db.database.execute_sql("INSERT INTO user (username, display_name, role, password_hash, created_at) "
                            "VALUES ('zhangli', '张丽', 'clerk', ?, '2024-01-01 08:00:00')",
                            (accounts.hash_password("Clerk#2024x"),))
    db.close_database()
    maintenance.login(path, ADMIN, ADMIN_PASSWORD)
    db.close_database()
    ring = Keyring.load(keyring.keyring_path(path))
    assert ring.is_legacy("zhangli")
    assert maintenance.login(path, "zhangli", "Clerk#2024x").actor.username == "zhangli"
    assert not Keyring.load(keyring.keyring_path(path)).is_legacy("zhangli"), "a normal slot after its login"


def test_interrupted_rekey_opens_with_either_key(admin, db_path):
    old = db.state.key
    ring = Keyring.load(keyring.keyring_path(db_path))
    new = keyring.new_database_key()
    ring.begin_rekey(new, ADMIN, ADMIN_PASSWORD)
    ring.save(keyring.keyring_path(db_path))
    db.close_database()  # power cut before PRAGMA rekey: the old key still opens
    maintenance.login(db_path, ADMIN, ADMIN_PASSWORD)
    assert db.state.key == old
    assert Keyring.load(keyring.keyring_path(db_path)).pending is None


def test_missing_keyring_is_named(admin, db_path):
    db.close_database()
    keyring.keyring_path(db_path).unlink()
    with pytest.raises(CivDeskError) as info:
        maintenance.login(db_path, ADMIN, ADMIN_PASSWORD)
    assert ".keys" in str(info.value)


def test_read_only_opening_is_keyed_and_writes_nothing(admin, db_path):
    db.close_database()
    before = db_path.read_bytes()
    maintenance.login(db_path, ADMIN, ADMIN_PASSWORD, read_only=True)
    assert db.state.read_only and db.database.execute_sql("PRAGMA query_only").fetchone()[0] == 1
    db.close_database()
    assert db_path.read_bytes() == before


def _scan(folders: list[Path]) -> list[str]:
    """Every file under *folders*, each searched for the known ID number, phone and name."""
    seen = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            for needle in _needles():
                assert needle not in data, f"{needle!r} in clear in {path}"
            seen.append(path.name)
    return seen


def test_every_file_the_database_leaves_beside_itself_or_in_temp_holds_no_clear_data(
        admin, db_path, tmp_path_factory, monkeypatch):
    """The WAL, the shared-memory index, journals, backups, the keyring, the login side file and
    whatever SQLite or CivDesk writes to the temporary folder while sorting, copying and restoring."""
    temp = tmp_path_factory.mktemp("temp")
    for name in ("SQLITE_TMPDIR", "TMPDIR", "TMP", "TEMP"):
        monkeypatch.setenv(name, str(temp))
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    office.add_village(admin, "桂花村")
    db.database.execute_sql("PRAGMA wal_autocheckpoint = 0")  # the rows stay in the -wal
    assert roster_import.run(_roster(tmp_path_factory.mktemp("roster") / "名册.xlsx"), admin).imported == 1
    # Work SQLite may spill to temporary files: a sort without an index, a temporary table, an index build.
    db.database.execute_sql("SELECT name, phone FROM volunteer ORDER BY phone || name, address").fetchall()
    db.database.execute_sql("CREATE TEMP TABLE spill AS SELECT * FROM volunteer")
    db.database.execute_sql("CREATE INDEX temp.spill_phone ON spill (phone, name)")
    saved = backup.make_backup("manual")
    backup.restore(saved)  # through the backup API, with a safety backup first
    exchange.export_package(admin, db_path.parent / "usb")
    beside = _scan([db_path.parent, temp])
    assert {f"{db_path.name}-wal", f"{db_path.name}-shm", f"{db_path.name}.keys"} <= set(beside)
    assert sum(name.endswith(".sqlite3") for name in beside) >= 3, "the database and its backups were searched"
    db.close_database()
    with pytest.raises(AuthError):
        maintenance.login(db_path, ADMIN, "Wrong#2024x")
    assert f"{db_path.name}.logins" in _scan([db_path.parent, temp])


def test_a_damaged_header_found_at_login_is_restored_with_the_unwrapped_key(admin, db_path, tmp_path):
    from civdesk.core.actor import SYSTEM
    from civdesk.core.errors import DatabaseDamaged

    office.add_village(admin, "桂花村")
    saved = backup.make_backup("manual", tmp_path / "usb" / "saved.sqlite3")
    db.close_database()
    data = bytearray(db_path.read_bytes())
    data[0:100] = b"\xff" * 100
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged):
        maintenance.login(db_path, ADMIN, ADMIN_PASSWORD)
    aside = maintenance.restore_damaged(SYSTEM, db_path, saved)
    assert aside.exists() and not db.is_plain(db_path)
    db.close_database()
    assert maintenance.login(db_path, ADMIN, ADMIN_PASSWORD).actor.role == "admin"
    assert [o.name for o in office.villages()] == ["桂花村"]


def test_a_copy_without_its_keyring_says_what_to_do(admin, db_path, tmp_path):
    db.close_database()
    copy = tmp_path / "U盘" / "civdesk.sqlite3"
    copy.parent.mkdir()
    copy.write_bytes(db_path.read_bytes())
    with pytest.raises(CivDeskError) as info:
        maintenance.login(copy, ADMIN, ADMIN_PASSWORD)
    assert "civdesk.sqlite3.keys" in str(info.value) and "一起复制" in str(info.value)
    env = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}
    for args in (["--user", ADMIN, "volunteer", "list"], ["check"]):
        ran = run_cli("--db", str(copy), *args, env=env)
        assert ran.returncode == 1 and ".keys" in ran.stderr and "一起复制" in ran.stderr, ran.stderr
