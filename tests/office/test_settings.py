"""Office settings: defaults, validation, the village-over-township rule, deterministic ids."""

from __future__ import annotations

import json

import pytest

from civdesk.core import changes, db
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import NotFound
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.office.models import Setting
from tests.support.databases import initialize, setup_request


def test_defaults(admin):
    assert settings.get("backup.keep") == 30
    assert settings.get("account.lockout_attempts") == 5
    assert settings.get("account.lockout_minutes") == 15
    assert settings.get("account.min_password_length") == 8
    assert {spec.key for spec, _ in settings.all_values()} == set(settings.specs())
    assert Setting.select().count() == 0, "defaults live in the resource file, not as rows"


def test_set_and_get(admin):
    settings.set_value(admin, "backup.keep", "45")
    assert settings.get("backup.keep") == 45
    settings.set_value(admin, "backup.keep", 60)
    assert settings.get("backup.keep") == 60
    assert Setting.select().where(Setting.key == "backup.keep").count() == 1
    [row] = Setting.select()
    assert json.loads(row.value) == 60 and row.scope is None
    actions = [a.action for a in AuditEntry.select().where(AuditEntry.tbl == "setting").order_by(AuditEntry.clock)]
    assert actions == ["create", "update"]


def test_same_value_again_writes_nothing(admin):
    settings.set_value(admin, "backup.keep", 45)
    before = AuditEntry.select().count()
    settings.set_value(admin, "backup.keep", " 45 ")
    assert AuditEntry.select().count() == before


@pytest.mark.parametrize(("key", "value", "message"), [
    ("backup.keep", 2, "「自动备份保留份数」应在 3 到 365份 之间，当前为 2"),
    ("backup.keep", 366, "「自动备份保留份数」应在 3 到 365份 之间，当前为 366"),
    ("account.lockout_minutes", 0, "「锁定时长」应在 1 到 1440分钟 之间，当前为 0"),
    ("backup.keep", "三十", "「自动备份保留份数」应为整数，当前为「三十」"),
    ("backup.keep", "3.5", "「自动备份保留份数」应为整数，当前为 3.5"),
    ("backup.keep", "1e2", "「自动备份保留份数」请直接写数字，不要用科学计数法（当前为「1e2」）"),
    ("backup.keep", "inf", "「自动备份保留份数」应为整数，当前为「inf」"),
    ("backup.keep", "", "「自动备份保留份数」不能为空"),
])
def test_range_and_type_errors(admin, key, value, message):
    with pytest.raises(ValidationError) as info:
        settings.set_value(admin, key, value)
    assert info.value.errors == {key: message}
    assert Setting.select().count() == 0


def test_unknown_key(admin):
    with pytest.raises(NotFound) as info:
        settings.get("no.such.key")
    assert "no.such.key" in str(info.value)
    with pytest.raises(NotFound):
        settings.set_value(admin, "no.such.key", 1)


def _township_wide(actor, key: str, value) -> Setting:
    """A township-wide setting as sync would bring it to a village PC."""
    return changes.create(Setting, actor, {"key": key, "value": changes.dumps(value)}, scope=None,
                          id=changes.deterministic_id("setting", "", key))


def test_village_value_overrides_township_value(village_admin):
    assert settings.get("backup.keep") == 30
    _township_wide(village_admin, "backup.keep", 90)
    assert settings.get("backup.keep") == 90, "the township-wide value applies when the village has none"
    settings.set_value(village_admin, "backup.keep", 12)
    assert settings.get("backup.keep") == 12
    own = Setting.get((Setting.key == "backup.keep") & Setting.scope.is_null(False))
    assert own.scope == office_service.own_office().id
    assert own.id == changes.deterministic_id("setting", own.scope, "backup.keep")
    township = Setting.get((Setting.key == "backup.keep") & Setting.scope.is_null())
    assert json.loads(township.value) == 90, "setting the village's value leaves the township's alone"


def test_township_ignores_a_village_value(admin):
    settings.set_value(admin, "backup.keep", 40)
    changes.create(Setting, admin, {"key": "backup.keep", "value": "7"}, scope="some-village")
    assert settings.get("backup.keep") == 40


def test_setting_id_is_deterministic(admin, tmp_path):
    settings.set_value(admin, "backup.keep", 50)
    first = Setting.get(Setting.key == "backup.keep")
    first_node = changes.node_id()
    db.close_database()

    other = initialize(tmp_path / "other" / "civdesk.sqlite3", setup_request(node_name="另一台电脑"))
    settings.set_value(other, "backup.keep", 70)
    second = Setting.get(Setting.key == "backup.keep")
    assert changes.node_id() != first_node, "two independently set up PCs"
    assert second.id == first.id == changes.deterministic_id("setting", "", "backup.keep")
