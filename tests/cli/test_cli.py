"""``python -m civdesk``, run as a clerk's script would run it: a subprocess, secrets in the environment."""

from __future__ import annotations

import json

import pytest

from civdesk.core import changes, db, validation
from civdesk.office import accounts
from civdesk.office.models import Office
from tests.support.databases import (
    ADMIN,
    ADMIN_PASSWORD,
    PASSPHRASE,
    copy_db,
    corrupt_pages,
    open_db,
    run_cli,
    sql,
)

SECRETS = {"CIVDESK_PASSWORD": ADMIN_PASSWORD, "CIVDESK_SYNC_PASSPHRASE": PASSPHRASE}
DEMO = {"CIVDESK_PASSWORD": "demo1234"}
CLERK_PASSWORD = "Zhangli@2024"


def init_args(db_path, *extra: str) -> list[str]:
    return ["--db", str(db_path), "init", "--office", "清溪镇", "--kind", "township", "--node-name", "文明办电脑",
            "--admin", ADMIN, "--admin-name", "王主任", *extra]


def add_user(db_path, username: str, role: str, *, as_user: str = ADMIN, password: str = ADMIN_PASSWORD,
             new_password: str = CLERK_PASSWORD, kind: str = "--permanent"):
    return run_cli("--db", str(db_path), "user", "add", username, "--role", role, "--name", "张丽", kind,
                   "--user", as_user, env={"CIVDESK_PASSWORD": password, "CIVDESK_NEW_PASSWORD": new_password})


def refused(result, code: int, words: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def cli_db(township_template, db_path):
    """An initialized database, closed so that only the subprocess touches it."""
    copy_db(township_template, db_path)
    return db_path


def usernames(db_path) -> dict[str, str]:
    return dict(sql(db_path, "SELECT username, role FROM user"))


# --- init -----------------------------------------------------------------------------------


def test_init_township_then_again(db_path):
    result = run_cli(*init_args(db_path), env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert "已初始化" in result.stdout and "清溪镇" in result.stdout
    assert sql(db_path, "SELECT name, kind FROM office") == [("清溪镇", "township")]
    assert usernames(db_path) == {ADMIN: "admin"}
    refused(run_cli(*init_args(db_path), env=SECRETS), 1, "已经初始化过了")


def test_init_village(db_path):
    result = run_cli("--db", str(db_path), "init", "--office", "桂花村", "--kind", "village", "--township", "清溪镇",
                     "--node-name", "桂花村电脑", "--admin", ADMIN, env=SECRETS)
    assert result.returncode == 0, result.stderr
    offices = dict(sql(db_path, "SELECT name, kind FROM office"))
    assert offices == {"清溪镇": "township", "桂花村": "village"}
    [(parent,)] = sql(db_path, "SELECT parent_id FROM office WHERE kind = 'village'")
    assert parent == sql(db_path, "SELECT id FROM office WHERE kind = 'township'")[0][0]


def test_init_village_needs_its_township(db_path):
    result = run_cli("--db", str(db_path), "init", "--office", "桂花村", "--kind", "village",
                     "--node-name", "桂花村电脑", "--admin", ADMIN, env=SECRETS)
    refused(result, 1, "村/社区必须填写所属乡镇")


def test_init_reads_secrets_from_stdin(db_path):
    result = run_cli(*init_args(db_path), input=f"{ADMIN_PASSWORD}\n{PASSPHRASE}\n")
    assert result.returncode == 0, result.stderr
    assert ADMIN_PASSWORD not in result.stdout + result.stderr
    open_db(db_path)
    assert accounts.authenticate(ADMIN, ADMIN_PASSWORD).role == "admin"


def test_init_without_secrets_is_refused(db_path):
    refused(run_cli(*init_args(db_path), input=""), 1, "CIVDESK_PASSWORD")


@pytest.mark.parametrize("flag", ["--password", "--admin-password"])
def test_passwords_are_never_arguments(db_path, flag):
    result = run_cli(*init_args(db_path, flag, ADMIN_PASSWORD), env=SECRETS)
    assert result.returncode == 2
    assert not db_path.exists(), "nothing is created when the command line is refused"


def test_init_rejects_a_weak_password(db_path):
    refused(run_cli(*init_args(db_path), env={**SECRETS, "CIVDESK_PASSWORD": "short"}), 1, "密码至少需要 8 位")


# --- user add -------------------------------------------------------------------------------


def test_user_add_as_admin_is_audited(cli_db):
    result = add_user(cli_db, "zhangli", "clerk")
    assert result.returncode == 0, result.stderr
    assert "已添加账号 zhangli（录入员，长期密码）" in result.stdout
    assert usernames(cli_db)["zhangli"] == "clerk"
    audit = sql(cli_db, "SELECT action, username FROM audit_entry WHERE record_id = 'zhangli'")
    assert ("create", ADMIN) in audit
    assert ("login", ADMIN) in sql(cli_db, "SELECT action, username FROM audit_entry")


def test_user_add_makes_a_temporary_password_the_command_line_honours(cli_db, tmp_path):
    """Finding 3 of issue 13: CLI ``user add`` made permanent passwords and the command line let a
    temporary password run ``backup``; without a terminal the command is refused with the reason."""
    result = add_user(cli_db, "zhangli", "clerk", kind="--temporary")
    assert result.returncode == 0 and "临时密码" in result.stdout, result.stderr
    assert add_user(cli_db, "wangwu", "clerk", kind="--role").returncode == 2  # a usage error, nothing added
    assert run_cli("--db", str(cli_db), "user", "add", "liqiang", "--role", "clerk", "--user", ADMIN,
                   env={"CIVDESK_PASSWORD": ADMIN_PASSWORD, "CIVDESK_NEW_PASSWORD": "Liqiang@2024"}).returncode == 0
    flags = dict(sql(cli_db, "SELECT username, must_change_password FROM user"))
    assert flags["zhangli"] == 1 and flags["liqiang"] == 1 and flags[ADMIN] == 0
    out = tmp_path / "backup.sqlite3"
    result = run_cli("--db", str(cli_db), "--user", "zhangli", "backup", "--out", str(out),
                     env={"CIVDESK_PASSWORD": CLERK_PASSWORD})
    refused(result, 1, "临时密码")
    assert "终端" in result.stderr and not out.exists()


def test_a_temporary_password_is_changed_on_a_terminal(cli_db, tmp_path, monkeypatch):
    from civdesk.cli import common
    from civdesk.cli.main import main

    assert add_user(cli_db, "zhangli", "clerk", kind="--temporary").returncode == 0
    answers = iter(["Zhangli-own-1", "Zhangli-own-1"])
    monkeypatch.setattr(common.getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(common.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("CIVDESK_PASSWORD", CLERK_PASSWORD)
    out = tmp_path / "backup.sqlite3"
    assert main(["--db", str(cli_db), "--user", "zhangli", "backup", "--out", str(out)]) == 0
    assert out.exists()
    assert sql(cli_db, "SELECT must_change_password FROM user WHERE username = 'zhangli'") == [(0,)]
    open_db(cli_db)
    assert accounts.authenticate("zhangli", "Zhangli-own-1").username == "zhangli"


def test_user_add_as_clerk_refused(cli_db):
    assert add_user(cli_db, "zhangli", "clerk").returncode == 0
    result = add_user(cli_db, "wangwu", "clerk", as_user="zhangli", password=CLERK_PASSWORD)
    refused(result, 1, "没有权限")
    assert "wangwu" not in usernames(cli_db)


def test_user_add_with_wrong_password_refused(cli_db):
    refused(add_user(cli_db, "zhangli", "clerk", password="not-the-password"), 1, "用户名或密码不正确")
    assert "zhangli" not in usernames(cli_db)
    # The wrong password fails on the keyring slot, before the encrypted database can be opened:
    # the attempt waits in the side file beside it and reaches the audit log at the next login.
    assert ("login_failed",) not in sql(cli_db, "SELECT action FROM audit_entry")
    assert cli_db.with_name(f"{cli_db.name}.logins").exists()
    assert add_user(cli_db, "zhangli", "clerk").returncode == 0
    assert ("login_failed",) in sql(cli_db, "SELECT action FROM audit_entry")


@pytest.mark.parametrize("args", [
    ["frobnicate"],
    ["user", "add", "zhangli"],                        # no --role
    ["user", "add", "zhangli", "--role", "boss"],
    ["user"],
    [],
])
def test_usage_errors_exit_2(cli_db, args):
    result = run_cli("--db", str(cli_db), *args, env=SECRETS)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_writing_without_user_is_a_usage_error(cli_db):
    result = run_cli("--db", str(cli_db), "user", "add", "zhangli", "--role", "clerk",
                     env={**SECRETS, "CIVDESK_NEW_PASSWORD": CLERK_PASSWORD})
    refused(result, 2, "--user")


def test_missing_database(tmp_path):
    refused(run_cli("--db", str(tmp_path / "none.sqlite3"), "--user", ADMIN, "user", "add", "x1", "--role", "clerk",
                    env=SECRETS), 1, "找不到数据库")


# --- check ----------------------------------------------------------------------------------


def test_check_passes(cli_db):
    result = run_cli("--db", str(cli_db), "--user", ADMIN, "check", env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert "通过" in result.stdout and "未通过" not in result.stdout
    report = json.loads(run_cli("--db", str(cli_db), "--user", ADMIN, "check", "--json", env=SECRETS).stdout)
    assert report["integrity"] == "ok" and report["initialized"] is True
    assert report["schema_version"] == db.SCHEMA_VERSION


def test_check_fails_on_corrupted_data_pages(big_database, tmp_path):
    damaged = corrupt_pages(big_database, tmp_path / "damaged.sqlite3", first_page=600)  # past the schema pages: an encrypted page fails whole
    result = run_cli("--db", str(damaged), "--user", ADMIN, "check", env=SECRETS)
    refused(result, 1, "完整性检查未通过")
    assert "未通过" in result.stdout


def test_check_fails_cleanly_on_a_corrupted_schema(big_database, tmp_path):
    damaged = copy_db(big_database, tmp_path / "damaged.sqlite3")
    data = bytearray(big_database.read_bytes())
    data[100:4096] = b"\xff" * 3996
    damaged.write_bytes(bytes(data))
    refused(run_cli("--db", str(damaged), "--user", ADMIN, "check", env=SECRETS), 1, "错误：数据库")


def test_check_on_garbage(tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database\n" * 100)
    refused(run_cli("--db", str(garbage), "check"), 1, "不是 CivDesk 数据库文件")


# --- backup and restore ---------------------------------------------------------------------


def test_backup_then_restore(cli_db, tmp_path):
    assert add_user(cli_db, "zhangli", "clerk").returncode == 0
    out = tmp_path / "usb" / "backup.sqlite3"
    result = run_cli("--db", str(cli_db), "--user", ADMIN, "backup", "--out", str(out), env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert out.exists()
    offices = sql(cli_db, "SELECT * FROM office ORDER BY id")

    assert add_user(cli_db, "wangwu", "reviewer").returncode == 0
    assert set(usernames(cli_db)) == {ADMIN, "zhangli", "wangwu"}

    result = run_cli("--db", str(cli_db), "--user", ADMIN, "restore", str(out), env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert "已从" in result.stdout
    assert set(usernames(cli_db)) == {ADMIN, "zhangli"}
    assert sql(cli_db, "SELECT * FROM office ORDER BY id") == offices
    assert ("restore_db",) in sql(cli_db, "SELECT action FROM audit_entry")
    assert list((cli_db.parent / "backups" / "civdesk").glob("*-before-restore.sqlite3"))


def test_restore_rebuilds_a_database_with_a_damaged_header(cli_db, tmp_path):
    """Finding 7 of issue 13: ``check`` says to run ``restore``, but CLI ``restore`` failed on a
    file with a damaged header where the GUI rebuilds it."""
    out = tmp_path / "usb" / "backup.sqlite3"
    assert run_cli("--db", str(cli_db), "--user", ADMIN, "backup", "--out", str(out), env=SECRETS).returncode == 0
    offices = sql(cli_db, "SELECT * FROM office ORDER BY id")
    data = bytearray(cli_db.read_bytes())
    data[0:100] = b"\xff" * 100
    cli_db.write_bytes(bytes(data))
    # Encrypted: only a login can tell a damaged header (without one, check reads the keyring).
    refused(run_cli("--db", str(cli_db), "--user", ADMIN, "check", env=SECRETS), 1, "已损坏")
    result = run_cli("--db", str(cli_db), "--user", ADMIN, "restore", str(out), env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert "已从" in result.stdout and "损坏的文件保留为" in result.stdout
    assert sql(cli_db, "SELECT * FROM office ORDER BY id") == offices
    assert ("restore_db",) in sql(cli_db, "SELECT action FROM audit_entry")
    assert list(cli_db.parent.glob("civdesk.sqlite3.damaged-*"))
    assert run_cli("--db", str(cli_db), "--user", ADMIN, "check", env=SECRETS).returncode == 0


def test_restore_refuses_garbage(cli_db, tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"junk" * 1000)
    before = sql(cli_db, "SELECT COUNT(*) FROM audit_entry")
    refused(run_cli("--db", str(cli_db), "--user", ADMIN, "restore", str(garbage), env=SECRETS), 1, "错误")
    assert sql(cli_db, "SELECT COUNT(*) FROM audit_entry")[0][0] == before[0][0] + 1  # only the login


# --- demo and dump --------------------------------------------------------------------------


def test_demo_on_a_fresh_path(db_path, demo_template):
    # demo_template: the run's demo is built once (under a lock shared by xdist workers) and the
    # command copies it from the run's cache instead of building a second one alongside
    result = run_cli("--db", str(db_path), "demo")
    assert result.returncode == 0, result.stderr
    assert sql(db_path, "SELECT COUNT(*) FROM office WHERE kind = 'village' AND deleted = 0") == [(10,)]
    assert "admin" in usernames(db_path)


@pytest.fixture
def demo_db(db_path, demo_template):
    assert run_cli("--db", str(db_path), "demo").returncode == 0
    open_db(db_path)
    village = Office.get(Office.name == "石桥村")
    changes.delete(village, accounts.authenticate("admin", "demo1234"))
    db.close_database()
    return db_path, village.id


DEMO_ENV = {"CIVDESK_PASSWORD": "demo1234"}


def test_dump_json(demo_db):
    db_path, deleted_id = demo_db
    first = run_cli("--db", str(db_path), "--user", "admin", "dump", "--json", env=DEMO_ENV)
    second = run_cli("--db", str(db_path), "--user", "admin", "dump", "--json", env=DEMO_ENV)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout, "dump is stable"
    data = json.loads(first.stdout)
    assert {"office", "setting", "audit_entry"} <= set(data)
    assert "user" not in data and "change_log" not in data and "local_meta" not in data
    assert len(data["office"]) == 10 and data["setting"]
    assert deleted_id not in {r["id"] for rows in data.values() for r in rows}
    assert "石桥村" not in {r["name"] for r in data["office"]}
    assert all(not r["deleted"] for rows in data.values() for r in rows)
    for table, rows in data.items():
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows), table
    assert "scrypt$" not in first.stdout and "demo1234" not in first.stdout
    for (hash_,) in sql(db_path, "SELECT password_hash FROM user"):
        assert hash_.split("$")[-1] not in first.stdout
    assert "signing_key" not in first.stdout and "PRIVATE KEY" not in first.stdout


def test_dump_needs_json_flag(cli_db):
    refused(run_cli("--db", str(cli_db), "dump"), 2, "--json")


def test_dump_needs_an_account_and_masks_personal_data(demo_db):
    """Finding 2 of issue 13: ``dump --json`` printed every full ID number without a login."""
    db_path, _ = demo_db
    refused(run_cli("--db", str(db_path), "dump", "--json"), 2, "--user")
    refused(run_cli("--db", str(db_path), "--user", "admin", "dump", "--json", env={"CIVDESK_PASSWORD": "wrong-one"}),
            1, "用户名或密码不正确")
    [(id_number, phone)] = sql(db_path, "SELECT id_number, phone FROM volunteer WHERE id_number != '' "
                                        "AND phone != '' AND deleted = 0 LIMIT 1")
    masked = run_cli("--db", str(db_path), "--user", "admin", "dump", "--json", env=DEMO_ENV)
    assert masked.returncode == 0, masked.stderr
    assert id_number not in masked.stdout and phone not in masked.stdout
    assert validation.mask_id_number(id_number) in masked.stdout
    assert validation.mask_phone(phone) in masked.stdout
    audited = "SELECT COUNT(*) FROM audit_entry WHERE action = 'export' AND note LIKE '%dump%'"
    assert sql(db_path, audited) == [(0,)]


def test_dump_full_numbers_for_an_administrator_only_and_audited(demo_db):
    db_path, _ = demo_db
    open_db(db_path)
    accounts.add_user(accounts.authenticate("admin", "demo1234"), "zhaoqiang", "赵强", "clerk", CLERK_PASSWORD,
                      must_change=False)
    db.close_database()
    [(id_number,)] = sql(db_path, "SELECT id_number FROM volunteer WHERE id_number != '' AND deleted = 0 LIMIT 1")
    clerk = run_cli("--db", str(db_path), "--user", "zhaoqiang", "dump", "--json", "--full-numbers",
                    env={"CIVDESK_PASSWORD": CLERK_PASSWORD})
    refused(clerk, 1, "没有权限")
    assert id_number not in clerk.stdout
    full = run_cli("--db", str(db_path), "--user", "admin", "dump", "--json", "--full-numbers", env=DEMO_ENV)
    assert full.returncode == 0, full.stderr
    assert id_number in full.stdout
    assert sql(db_path, "SELECT username FROM audit_entry WHERE action = 'export' AND note LIKE '%dump%'") \
        == [("admin",)]
