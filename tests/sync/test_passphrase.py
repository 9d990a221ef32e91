"""Changing the sync passphrase: checked, audited without the passphrases, packages made with the
old one still open, a PC still on the old one is told what to do."""

from __future__ import annotations

import pytest

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import PermissionDenied, SyncRefused
from civdesk.core.meta import LocalMeta
from civdesk.core.validation import ValidationError
from civdesk.sync import package, passphrase
from tests.support.databases import ADMIN, ADMIN_PASSWORD, PASSPHRASE, run_cli
from tests.support.sync import ADMIN_ACTOR, copy_pcs

NEW = "guihua-zhen-2031-xin"


@pytest.fixture
def pcs(sync_templates, tmp_path):
    made = copy_pcs(sync_templates, ["T1", "A1"], tmp_path / "pcs")
    yield {pc.name: pc for pc in made}
    db.close_database()


def test_the_old_passphrase_and_the_rule_are_checked_and_nothing_is_written(pcs):
    pcs["T1"].open()
    before = LocalMeta.get_value("sync_key")
    with pytest.raises(ValidationError) as wrong:
        passphrase.change(ADMIN_ACTOR, "not-the-passphrase", NEW)
    assert set(wrong.value.errors) == {"old"}
    with pytest.raises(ValidationError) as weak:
        passphrase.change(ADMIN_ACTOR, PASSPHRASE, "1234567890")
    assert "太常见" in weak.value.errors["new"]
    with pytest.raises(ValidationError) as same:
        passphrase.change(ADMIN_ACTOR, PASSPHRASE, PASSPHRASE)
    assert "相同" in same.value.errors["new"]
    with pytest.raises(PermissionDenied):
        passphrase.change(Actor("zhangli", "张丽", "clerk"), PASSPHRASE, NEW)
    assert LocalMeta.get_value("sync_key") == before


def test_packages_of_the_old_passphrase_still_open_and_a_pc_on_it_is_told(pcs, tmp_path):
    t, a1 = pcs["T1"], pcs["A1"]
    before = a1.export(tmp_path / "usb")  # made with the old passphrase, still on its way
    t.open()
    passphrase.change(ADMIN_ACTOR, PASSPHRASE, NEW)
    [entry] = AuditEntry.select().where(AuditEntry.record_id == "sync_key")
    assert entry.username == ADMIN and PASSPHRASE not in entry.note + entry.changes and NEW not in entry.note
    assert t.import_(before).applied, "a package made with the old passphrase opens"
    after = t.export(tmp_path / "usb", a1)
    with pytest.raises(SyncRefused) as refused:
        a1.import_(after)
    assert "同步口令不对" in str(refused.value) and "设置 → 同步口令" in str(refused.value)
    a1.open()
    passphrase.change(ADMIN_ACTOR, PASSPHRASE, NEW)
    assert a1.import_(after).applied
    assert t.import_(a1.export(tmp_path / "usb", t)).applied, "both on the new passphrase"


def test_an_office_without_a_salt_gets_one_with_the_new_passphrase(pcs, tmp_path):
    t = pcs["T1"].open()
    LocalMeta.delete().where(LocalMeta.key.in_(["sync_salt", "sync_salt_kind"])).execute()
    passphrase.change(ADMIN_ACTOR, PASSPHRASE, NEW)
    assert LocalMeta.get_value("sync_salt") and LocalMeta.get_value("sync_salt_kind") == "office"
    assert package.open_package(t.export(tmp_path / "usb")).salt is not None


def test_the_command_line_changes_it(pcs, tmp_path):
    t = pcs["T1"]
    db.close_database()
    env = {"CIVDESK_PASSWORD": ADMIN_PASSWORD, "CIVDESK_SYNC_PASSPHRASE": "wrong-passphrase-1",
           "CIVDESK_NEW_SYNC_PASSPHRASE": NEW}
    refused = run_cli("--db", str(t.path), "--user", ADMIN, "sync", "passphrase", env=env)
    assert refused.returncode == 1 and "原同步口令不对" in refused.stderr
    env["CIVDESK_SYNC_PASSPHRASE"] = PASSPHRASE
    done = run_cli("--db", str(t.path), "--user", ADMIN, "sync", "passphrase", env=env)
    assert done.returncode == 0, done.stderr
    assert "同步口令已修改" in done.stdout and NEW not in done.stdout + done.stderr
    t.open()
    assert LocalMeta.get_value("sync_key") != ""
    with pytest.raises(ValidationError):
        passphrase.change(ADMIN_ACTOR, PASSPHRASE, "another-passphrase-9")  # the old one no longer is
