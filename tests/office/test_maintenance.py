"""The one maintenance service the GUI and the command line share: check, back up, restore."""

from __future__ import annotations

import pytest

from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import PermissionDenied
from civdesk.office import accounts, maintenance
from tests.support.databases import key_for

CLERK = Actor("clerk", "张丽", "clerk")


def test_a_healthy_database_checks_out(admin, db_path):
    maintenance.close_database()
    report = maintenance.check(db_path, key_for(db_path))
    assert report.healthy and report.initialized and not report.newer_than_supported
    assert report.as_json()["integrity"] == "ok"
    assert report.schema_version == maintenance.SCHEMA_VERSION == maintenance.schema_version()


def test_backup_and_restore_are_audited_and_permitted(admin, tmp_path):
    made = maintenance.make_backup(CLERK, tmp_path / "usb" / "备份.sqlite3")  # any role may back up
    maintenance.log_backup(CLERK, made)
    accounts.add_user(admin, "later", "后来的人", "clerk", "Later#2024")
    with pytest.raises(PermissionDenied):
        maintenance.restore(CLERK, made)
    safety = maintenance.restore(admin, made)
    assert [u.username for u in accounts.list_users()] == ["admin"]
    assert safety in [b.path for b in maintenance.backups()] and safety.parent == maintenance.backup_folder()
    entry = AuditEntry.get(AuditEntry.action == "restore_db")
    assert entry.username == "admin" and str(made) in entry.note and str(safety) in entry.note
