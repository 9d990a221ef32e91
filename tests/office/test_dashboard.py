import datetime as dt

import pytest

from civdesk.core import backup, changes, db
from civdesk.core.actor import Actor
from civdesk.core.registry import registry
from civdesk.office import accounts, dashboard
from civdesk.office.account_model import User
from civdesk.office.dashboard import DueItem
from tests.support.databases import open_db


class FakeProviders:
    def __init__(self):
        self.collect = dashboard.collect

    def register(self, provider):
        registry.add_due_provider(provider)


@pytest.fixture
def providers(monkeypatch):
    """Register test providers without leaking them into other tests."""
    monkeypatch.setattr(registry, "_due", [])
    return FakeProviders()


def kinds(items):
    return [item.kind for item in items]


def lock(username, minutes=10):
    user = User.get(User.username == username)
    until = dt.datetime.now().replace(microsecond=0) + dt.timedelta(minutes=minutes)
    user.locked_until = until.isoformat(sep=" ")
    user.save()


def test_collect_sorts_by_severity_then_date(providers):
    day = dt.date(2024, 5, 1)
    items = [DueItem("a", "提示", "", None, "info", "home"),
             DueItem("b", "晚到期", "", day + dt.timedelta(days=3), "due", "home"),
             DueItem("c", "无日期逾期", "", None, "overdue", "home"),
             DueItem("d", "早到期", "", day, "due", "home"),
             DueItem("e", "逾期", "", day - dt.timedelta(days=9), "overdue", "home")]
    providers.register(lambda actor: items)
    assert kinds(providers.collect(Actor("u", "用户", "clerk"))) == ["e", "c", "d", "b", "a"]


def test_register_twice_adds_once(providers):
    def provider(actor):
        return [DueItem("x", "一项", "", None, "due", "home")]

    providers.register(provider)
    providers.register(provider)
    assert len(providers.collect(Actor("u", "用户", "clerk"))) == 1


def test_failing_provider_is_skipped(providers, caplog):
    def broken(actor):
        raise RuntimeError("boom")

    providers.register(broken)
    providers.register(lambda actor: [DueItem("ok", "还在", "", None, "info", "home")])
    assert kinds(providers.collect(Actor("u", "用户", "clerk"))) == ["ok"]
    assert "boom" in caplog.text


def test_bad_severity_is_refused():
    with pytest.raises(ValueError):
        DueItem("x", "t", "", None, "urgent", "home")


def test_locked_account_shown_to_admin_only(admin):
    accounts.add_user(admin, "lisi", "李四", "clerk", "Temp-1234x")
    assert dashboard.locked_accounts(admin) == []
    lock("lisi")
    items = dashboard.locked_accounts(admin)
    assert [i.title for i in items] == ["账号「李四」已被锁定"]
    assert items[0].severity == "due" and items[0].target_page == "settings/accounts"
    assert dashboard.locked_accounts(Actor("lisi", "李四", "clerk")) == []
    assert "account_locked" in kinds(dashboard.collect(admin))


def test_expired_lock_is_not_shown(admin):
    accounts.add_user(admin, "lisi", "李四", "clerk", "Temp-1234x")
    lock("lisi", minutes=-1)
    assert dashboard.locked_accounts(admin) == []


def test_no_backup_yet_is_due_then_overdue(admin, monkeypatch):
    [item] = dashboard.backup_due(admin)
    assert item.severity == "due" and item.target_page == "home/backup"
    later = dt.datetime.now() + dt.timedelta(days=10)
    monkeypatch.setattr(dashboard, "_now", lambda: later)
    [item] = dashboard.backup_due(admin)
    assert item.severity == "overdue"


def test_recent_backup_clears_the_item(admin):
    backup.make_backup("daily")
    assert dashboard.backup_due(admin) == []


def test_old_backup_is_overdue(admin):
    old = backup.backup_dir() / "civdesk-20200101-120000-daily.sqlite3"
    old.parent.mkdir(parents=True, exist_ok=True)
    backup.make_backup("manual", old)
    [item] = dashboard.backup_due(admin)
    assert item.severity == "overdue"
    assert item.due_date == dt.date(2020, 1, 8)
    assert "2020-01-01" in item.detail


def test_manual_backup_elsewhere_counts_through_the_audit_log(admin, tmp_path):
    path = backup.make_backup("manual", tmp_path / "usb" / "copy.sqlite3")
    changes.write_audit(admin, "backup", note=str(path))
    assert dashboard.last_backup_time() is not None
    assert dashboard.backup_due(admin) == []


def test_read_only_database_is_an_info_item(admin):
    path = db.state.path
    open_db(path, read_only=True)
    items = dashboard.collect(admin)
    read_only = [i for i in items if i.kind == "read_only"]
    assert len(read_only) == 1 and read_only[0].severity == "info"
    assert items[-1].kind == "read_only"  # information comes after what is due


def test_writable_database_has_no_read_only_item(admin):
    assert dashboard.read_only_notice(admin) == []
