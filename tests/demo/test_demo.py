"""The demo township: offices, accounts and settings, and filling it twice adds nothing."""

from __future__ import annotations

import pytest

from civdesk import demo
from civdesk.core import changes
from civdesk.core.audit_log import AuditEntry
from civdesk.core.meta import ChangeLog
from civdesk.demo.names import VILLAGES
from civdesk.office import accounts, settings
from civdesk.office import offices as office_service
from civdesk.office.account_model import User
from civdesk.office.models import Office, Setting
from tests.support.databases import open_db


@pytest.fixture
def demo_admin(demo_copy):
    """The demo built once per run (tests/support/databases.py) — the same build as below."""
    open_db(demo_copy)
    return accounts.authenticate("admin", demo.DEMO_PASSWORD)


def test_demo_fills_offices_users_and_settings(demo_admin):
    township = office_service.own_office()
    assert (township.name, township.kind, township.contact_person) == ("清溪镇", "township", "王建国")
    villages = office_service.villages()
    assert sorted(v.name for v in villages) == sorted(VILLAGES)
    for village in villages:
        assert village.parent_id == township.id and village.scope == village.id
        assert village.contact_person and village.address.startswith("清溪镇")
        assert len(village.phone) == 11 and village.phone.startswith("1")
    users = {u.username: u.role for u in accounts.list_users()}
    assert users["admin"] == "admin" and list(users.values()).count("reviewer") == 2
    assert list(users.values()).count("clerk") == 3
    for username in users:
        assert accounts.authenticate(username, demo.DEMO_PASSWORD).username == username
    assert Setting.select().count() >= 1
    assert settings.get("backup.keep") == 30


def test_demo_is_deterministic(demo_admin, tmp_path):
    first = sorted((v.name, v.contact_person, v.phone) for v in office_service.villages())
    demo.create_demo_database(tmp_path / "second" / "civdesk.sqlite3")
    assert sorted((v.name, v.contact_person, v.phone) for v in office_service.villages()) == first


def test_filling_twice_adds_nothing(demo_admin):
    counts = [m.select().count() for m in (Office, User, Setting, ChangeLog, AuditEntry)]
    progress = []
    demo.fill(demo_admin, lambda done, total, text="": progress.append((done, total)))
    assert Office.select().where(Office.kind == "village").count() == len(VILLAGES)
    assert [m.select().count() for m in (Office, User, Setting, ChangeLog, AuditEntry)] == counts
    assert progress[-1][0] == progress[-1][1]


def test_fill_after_a_village_was_removed_does_not_duplicate_it(demo_admin):
    village = Office.get(Office.name == "石桥村")
    changes.delete(village, demo_admin)
    demo.fill(demo_admin)
    assert Office.select().where(Office.name == "石桥村").count() == 1


def test_the_demo_refuses_another_offices_database(db_path):
    """One office per document: 清溪镇's sample data would put 清溪镇 into 新繁镇's titles and numbers."""
    from civdesk.core.errors import CivDeskError
    from civdesk.office import setup

    open_db(db_path)
    actor = setup.initialize(setup.SetupRequest(
        office_name="新繁镇", kind="township", node_name="新繁镇文明办", admin_username="admin",
        admin_password=demo.DEMO_PASSWORD, sync_passphrase=demo.DEMO_PASSPHRASE, admin_display_name="李主任"))
    with pytest.raises(CivDeskError, match="不能加入「新繁镇」的数据库"):
        demo.fill(actor)
    assert not Office.select().where(Office.name.contains("清溪")).exists()
