"""One side file (NAME.logins) for every login attempt the database cannot take when it happens:
read-only opens and wrong passwords before an encrypted database can be opened."""

from __future__ import annotations

import pytest

from civdesk.core import db
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import AuthError
from civdesk.office import accounts, login_record, maintenance
from civdesk.office.account_model import User
from tests.support.databases import ADMIN, ADMIN_PASSWORD

CLERK_PASSWORD = "Zhangli@2024"


@pytest.fixture
def closed(admin, db_path):
    """An encrypted database with a clerk, closed as before a login."""
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD, must_change=False)
    db.close_database()
    return db_path


def wrong(path, name="zhangli", password="Wrong#2024x") -> str:
    with pytest.raises(AuthError) as info:
        maintenance.login(path, name, password)
    assert db.database.is_closed()
    return str(info.value)


def test_wrong_passwords_before_the_database_opens_lock_the_account(closed):
    messages = {wrong(closed) for _ in range(4)} | {wrong(closed, "nobody")}
    assert messages == {login_record.wrong_message(login_record.default_policy())}, \
        "one message for a wrong name or password"
    assert "已锁定" in wrong(closed), "the fifth wrong password locks"
    assert "已锁定到" in wrong(closed, password=CLERK_PASSWORD), "the right password waits for the lock"
    text = login_record.side_path(closed).read_text(encoding="utf-8")
    assert "Wrong#2024x" not in text and CLERK_PASSWORD not in text


def test_attempts_reach_the_audit_log_and_the_lock_holds_after_another_login(closed):
    for _ in range(5):
        wrong(closed)
    wrong(closed, "nobody")
    assert maintenance.login(closed, ADMIN, ADMIN_PASSWORD).actor.role == "admin"
    entries = AuditEntry.select().where(AuditEntry.record_id == "zhangli")
    assert [e.action for e in entries].count("login_failed") == 5
    assert all("数据库解锁前" in e.note for e in entries if e.action == "login_failed")
    assert [e.action for e in AuditEntry.select().where(AuditEntry.record_id == "nobody")] == ["login_failed"]
    assert accounts.is_locked(User.get(User.username == "zhangli"))
    db.close_database()
    # The attempts moved into the database; the lock it now holds is honoured before it opens.
    assert "已锁定到" in wrong(closed, password=CLERK_PASSWORD)


def test_the_administrators_unlock_holds_before_the_database_opens(closed):
    for _ in range(5):
        wrong(closed)
    admin = maintenance.login(closed, ADMIN, ADMIN_PASSWORD).actor
    accounts.unlock(admin, "zhangli")
    db.close_database()
    assert maintenance.login(closed, "zhangli", CLERK_PASSWORD).actor.username == "zhangli"


def test_a_changed_lockout_policy_is_used_before_the_database_opens(closed):
    from civdesk.office import settings

    admin = maintenance.login(closed, ADMIN, ADMIN_PASSWORD).actor
    settings.set_value(admin, "account.lockout_attempts", 3)
    db.close_database()
    maintenance.login(closed, ADMIN, ADMIN_PASSWORD)  # copies the policy beside the database
    db.close_database()
    for _ in range(2):
        assert "连续输错 3 次" in wrong(closed)
    assert "已锁定" in wrong(closed)


def test_a_read_only_login_counts_in_the_same_file(closed):
    for _ in range(5):
        with pytest.raises(AuthError):
            maintenance.login(closed, "zhangli", "Wrong#2024x", read_only=True)
    assert "已锁定到" in wrong(closed, password=CLERK_PASSWORD)
    assert [p.name for p in closed.parent.iterdir() if p.name.endswith(".logins")] == [f"{closed.name}.logins"]
