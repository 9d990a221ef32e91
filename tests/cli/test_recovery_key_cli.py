"""CLI ``recovery-key --user ADMIN``: a new recovery key printed once; a clerk is refused."""

from __future__ import annotations

from civdesk.core import db, keyring
from civdesk.core.keyring import Keyring
from civdesk.office import accounts
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli

CLERK_PASSWORD = "Zhangli#2024"


def _keys_bytes(db_path) -> bytes:
    return keyring.keyring_path(db_path).read_bytes()


def test_cli_recovery_key_prints_the_new_key_once(admin, db_path):
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD, must_change=False)
    db.close_database()
    before = _keys_bytes(db_path)
    refused = run_cli("--db", str(db_path), "--user", "zhangli", "recovery-key",
                      env={"CIVDESK_PASSWORD": CLERK_PASSWORD})
    assert refused.returncode == 1 and "没有权限生成新的恢复密钥" in refused.stderr
    assert _keys_bytes(db_path) == before
    result = run_cli("--db", str(db_path), "--user", ADMIN, "recovery-key", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 0, result.stderr
    new = result.stdout.strip()
    assert "旧的恢复密钥已作废" in result.stderr
    Keyring.load(keyring.keyring_path(db_path)).unlock_with_recovery(new)
    fixed = run_cli("--db", str(db_path), "recover", "--recovery-key", new, env={"CIVDESK_NEW_PASSWORD": "Brand#New2026"})
    assert fixed.returncode == 0, fixed.stderr
    helptext = run_cli("--help")
    assert "recovery-key" in helptext.stdout
