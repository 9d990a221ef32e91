"""A new recovery key on demand (设置 → 账号 → 生成新的恢复密钥, CLI ``recovery-key``): the old
key stops working at once, the new one recovers, the act is audited without the key, and only an
administrator may do it."""

from __future__ import annotations

import pytest

from civdesk.core import db, keyring
from civdesk.core.audit_log import AuditEntry
from civdesk.core.changes import record_values
from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.keyring import Keyring, WrongSecret
from civdesk.office import accounts, maintenance
from tests.support.databases import ADMIN

CLERK_PASSWORD = "Zhangli#2024"


def _keys_bytes(db_path) -> bytes:
    return keyring.keyring_path(db_path).read_bytes()


def test_a_new_key_recovers_and_the_old_one_no_longer_does(admin, db_path):
    old = maintenance.renew_recovery_key(admin)
    new = maintenance.renew_recovery_key(admin)
    assert old != new and len(new.split()) == 9
    ring = Keyring.load(keyring.keyring_path(db_path))
    with pytest.raises(WrongSecret):
        ring.unlock_with_recovery(old)
    ring.check(ring.unlock_with_recovery(new))
    rows = [e for e in AuditEntry.select() if "恢复密钥" in e.note]
    assert len(rows) == 2 and all(e.username == ADMIN for e in rows)
    for e in rows:
        text = str(record_values(e))
        assert old not in text and new not in text, "the key reached the audit log"
    db.close_database()
    with pytest.raises(CivDeskError):
        maintenance.recover(db_path, old, ADMIN, "Brand#New2026")
    db.close_database()
    maintenance.recover(db_path, new, ADMIN, "Brand#New2026")
    db.close_database()
    assert maintenance.login(db_path, ADMIN, "Brand#New2026").actor.role == "admin"


def test_a_clerk_is_refused_in_chinese_and_nothing_changes(admin, db_path):
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD, must_change=False)
    before = _keys_bytes(db_path)
    audits = AuditEntry.select().count()
    db.close_database()
    clerk = maintenance.login(db_path, "zhangli", CLERK_PASSWORD).actor
    audits_after_login = AuditEntry.select().count()
    with pytest.raises(PermissionDenied, match="没有权限生成新的恢复密钥"):
        maintenance.renew_recovery_key(clerk)
    assert _keys_bytes(db_path) == before
    assert AuditEntry.select().count() == audits_after_login
    assert audits_after_login >= audits
