"""Accounts: hashing, login and lockout, roles, the last administrator, and what the audit keeps."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from civdesk.core import db, dump
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import AuthError, CivDeskError, PermissionDenied
from civdesk.core.meta import ChangeLog
from civdesk.core.models import synced_models
from civdesk.core.validation import ValidationError
from civdesk.office import accounts, login_record, settings
from civdesk.office import audit as audit_service
from civdesk.office import offices as office_service
from civdesk.office.account_model import User
from tests.support.databases import ADMIN, ADMIN_PASSWORD

CLERK_PASSWORD = "Zhangli@2024"
REVIEWER_PASSWORD = "Lixiuying#88"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """Every password hash made during the test, to look for it where it must not be."""
    made: list[str] = []
    original = accounts.hash_password

    def recording(password):
        made.append(original(password))
        return made[-1]

    monkeypatch.setattr(accounts, "hash_password", recording)
    return made


@pytest.fixture
def staff(admin) -> dict[str, Actor]:
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD, must_change=False)
    accounts.add_user(admin, "lixiuying", "李秀英", "reviewer", REVIEWER_PASSWORD, must_change=False)
    return {"admin": admin, "clerk": Actor("zhangli", "张丽", "clerk"),
            "reviewer": Actor("lixiuying", "李秀英", "reviewer")}


def audit_actions(username: str) -> list[str]:
    return [a.action for a in AuditEntry.select().where(AuditEntry.record_id == username).order_by(AuditEntry.clock)]


# --- hashing --------------------------------------------------------------------------------


def test_hashes_are_salted_scrypt():
    first, second = accounts.hash_password("Secret#123"), accounts.hash_password("Secret#123")
    assert first != second and first.startswith("scrypt$") and "Secret#123" not in first
    assert accounts.verify_password("Secret#123", first) and accounts.verify_password("Secret#123", second)
    assert not accounts.verify_password("Secret#124", first)
    assert not accounts.verify_password("", first)


def test_tampered_hashes_are_rejected():
    good = accounts.hash_password("Secret#123")
    scheme, n, r, p, salt, digest = good.split("$")
    flipped = ("A" if digest[0] != "A" else "B") + digest[1:]
    other_salt = accounts.hash_password("x").split("$")[4]
    for bad in [f"{scheme}${n}${r}${p}${salt}${flipped}", f"{scheme}${n}${r}${p}${other_salt}${digest}",
                f"pbkdf2${n}${r}${p}${salt}${digest}", f"{scheme}$1000${r}${p}${salt}${digest}",
                f"{scheme}${n}${r}${p}$!!!${digest}", "", "scrypt$x"]:
        assert accounts.verify_password("Secret#123", bad) is False, bad


def test_truncated_digest_is_rejected():
    """The digest length comes from the stored text: a truncated hash (a damaged row, a bad
    migration) must not verify, or a one-byte digest would let one password in 256 through."""
    good = accounts.hash_password("Secret#123")
    *head, digest = good.split("$")
    short = "$".join([*head, base64.b64encode(base64.b64decode(digest)[:1]).decode()])
    assert accounts.verify_password("Secret#123", good[:-4]) is False
    assert accounts.verify_password("Secret#123", short) is False


# --- login and lockout ----------------------------------------------------------------------


def test_login_ok_is_audited(staff):
    actor = accounts.authenticate("zhangli", CLERK_PASSWORD)
    assert actor == staff["clerk"]
    user = User.get(User.username == "zhangli")
    assert user.last_login_at and user.failed_attempts == 0
    assert audit_actions("zhangli")[-1] == "login"


def test_unknown_user_gets_the_same_message_as_a_wrong_password(staff):
    with pytest.raises(AuthError) as unknown:
        accounts.authenticate("nobody", "whatever1")
    with pytest.raises(AuthError) as wrong:
        accounts.authenticate("zhangli", "whatever1")
    assert str(unknown.value) == str(wrong.value)
    assert str(unknown.value).startswith("用户名或密码不正确。")
    assert "再输错" not in str(wrong.value), "a countdown only for real names told which accounts exist"


def test_wrong_passwords_count_down_then_lock(staff, monkeypatch):
    now = dt.datetime(2030, 5, 1, 9, 0, 0)
    monkeypatch.setattr(accounts, "_now", lambda: now)
    attempts = settings.get("account.lockout_attempts")
    assert attempts == 5
    for _ in range(attempts - 1):
        with pytest.raises(AuthError) as info:
            accounts.authenticate("zhangli", "wrong-password")
        assert "连续输错 5 次将锁定 15 分钟" in str(info.value)
    with pytest.raises(AuthError) as info:
        accounts.authenticate("zhangli", "wrong-password")
    assert "锁定" in str(info.value) and "15" in str(info.value)
    assert accounts.is_locked(User.get(User.username == "zhangli"))

    with pytest.raises(AuthError) as info:
        accounts.authenticate("zhangli", CLERK_PASSWORD)
    assert "已锁定到 09:15" in str(info.value), "the right password is refused while locked"

    now = dt.datetime(2030, 5, 1, 9, 14, 59)
    with pytest.raises(AuthError):
        accounts.authenticate("zhangli", CLERK_PASSWORD)
    now = dt.datetime(2030, 5, 1, 9, 15, 1)
    assert accounts.authenticate("zhangli", CLERK_PASSWORD).username == "zhangli"
    assert audit_actions("zhangli").count("login_failed") == attempts
    assert audit_actions("zhangli").count("login_locked") == 2, "attempts while locked are audited"


def test_lockout_follows_the_setting(staff):
    settings.set_value(staff["admin"], "account.lockout_attempts", 3)
    for _ in range(2):
        with pytest.raises(AuthError):
            accounts.authenticate("zhangli", "wrong-password")
    with pytest.raises(AuthError) as info:
        accounts.authenticate("zhangli", "wrong-password")
    assert "连续 3 次" in str(info.value)


def test_locked_until_in_the_past_lets_user_in(staff):
    past = (dt.datetime.now() - dt.timedelta(minutes=1)).replace(microsecond=0).isoformat(sep=" ")
    User.update(locked_until=past).where(User.username == "zhangli").execute()
    assert accounts.authenticate("zhangli", CLERK_PASSWORD).username == "zhangli"


def test_admin_unlock_clears_the_lock(staff):
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.authenticate("zhangli", "wrong-password")
    assert accounts.is_locked(User.get(User.username == "zhangli"))
    accounts.unlock(staff["admin"], "zhangli")
    assert not accounts.is_locked(User.get(User.username == "zhangli"))
    assert accounts.authenticate("zhangli", CLERK_PASSWORD).username == "zhangli"
    assert "解除锁定" in [a.note for a in AuditEntry.select().where(AuditEntry.record_id == "zhangli")]


def test_successful_login_resets_the_count(staff):
    for _ in range(3):
        with pytest.raises(AuthError):
            accounts.authenticate("zhangli", "wrong-password")
    accounts.authenticate("zhangli", CLERK_PASSWORD)
    assert User.get(User.username == "zhangli").failed_attempts == 0
    for _ in range(4):
        with pytest.raises(AuthError):
            accounts.authenticate("zhangli", "wrong-password")
    assert not accounts.is_locked(User.get(User.username == "zhangli"))


def test_failed_logins_on_a_read_only_database_count_and_reach_the_audit_log(staff, tmp_path):
    """Finding 4 of issue 13: read-only, 12 wrong passwords then the right one got in and no
    login_failed was written; unknown names and attempts while locked were not audited."""
    path, key = db.state.path, db.state.key
    db.close_database()
    db.open_database(path, read_only=True, key=key)
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.authenticate("zhangli", "wrong-password")
    with pytest.raises(AuthError) as info:
        accounts.authenticate("zhangli", CLERK_PASSWORD)
    assert "已锁定到" in str(info.value), "the lockout holds on a read-only database"
    with pytest.raises(AuthError) as unknown:
        accounts.authenticate("nobody", "typed-secret-1")
    assert str(unknown.value).startswith("用户名或密码不正确。")
    side = login_record.side_path()
    assert side.exists() and "typed-secret-1" not in side.read_text(encoding="utf-8")
    db.close_database()
    db.open_database(path, key=key)
    assert accounts.authenticate(ADMIN, ADMIN_PASSWORD).username == ADMIN  # the next writable login
    assert not side.exists()
    assert audit_actions("zhangli").count("login_failed") == 5
    assert audit_actions("zhangli").count("login_locked") == 1
    assert accounts.is_locked(User.get(User.username == "zhangli"))
    strangers = AuditEntry.select().where(AuditEntry.record_id == "nobody")
    assert [(a.action, "没有这个账号" in a.note) for a in strangers] == [("login_failed", True)]
    assert not AuditEntry.select().where(AuditEntry.note.contains("typed-secret-1")).exists()


def test_unknown_names_are_audited_without_the_password(staff):
    with pytest.raises(AuthError):
        accounts.authenticate("nobody", "typed-secret-2")
    [entry] = AuditEntry.select().where(AuditEntry.record_id == "nobody")
    assert entry.action == "login_failed" and "typed-secret-2" not in entry.note + entry.changes


def test_a_read_only_login_is_refused_when_the_attempt_cannot_be_recorded(staff, monkeypatch):
    path, key = db.state.path, db.state.key
    db.close_database()
    db.open_database(path, read_only=True, key=key)
    monkeypatch.setattr(login_record, "side_path", lambda database_path=None: path.parent / "no" / "such.logins")
    with pytest.raises(AuthError) as info:
        accounts.authenticate("zhangli", "wrong-password")
    assert "无法在数据库旁记录" in str(info.value)


def test_deactivated_account_refused(staff):
    accounts.update_user(staff["admin"], "zhangli", active=False)
    with pytest.raises(AuthError) as info:
        accounts.authenticate("zhangli", CLERK_PASSWORD)
    assert "停用" in str(info.value)
    accounts.update_user(staff["admin"], "zhangli", active=True)
    assert accounts.authenticate("zhangli", CLERK_PASSWORD).username == "zhangli"


# --- roles ----------------------------------------------------------------------------------

ADMIN_ONLY = {
    "add_user": lambda a: accounts.add_user(a, "wangwu", "王五", "clerk", "Wangwu#2024"),
    "update_user": lambda a: accounts.update_user(a, "zhangli", display_name="张莉"),
    "deactivate": lambda a: accounts.update_user(a, "lixiuying", active=False),
    "promote": lambda a: accounts.update_user(a, a.username, role="admin"),
    "reset_password": lambda a: accounts.reset_password(a, "zhangli", "Reset#2024x"),
    "unlock": lambda a: accounts.unlock(a, "zhangli"),
    "set_setting": lambda a: settings.set_value(a, "backup.keep", 10),
    "update_own_office": lambda a: office_service.update_own_office(a, {"contact_person": "李四"}),
    "add_village": lambda a: office_service.add_village(a, "红星村"),
    "audit_ids": lambda a: audit_service.matching_ids(a, audit_service.AuditFilter()),
    "audit_rows": lambda a: audit_service.rows(a, []),
}


@pytest.mark.parametrize("role", ["clerk", "reviewer"])
@pytest.mark.parametrize("call", sorted(ADMIN_ONLY))
def test_admin_only_operations_refused(staff, role, call):
    before = (User.select().count(), ChangeLog.select().count(), AuditEntry.select().count())
    with pytest.raises(PermissionDenied) as info:
        ADMIN_ONLY[call](staff[role])
    assert has_chinese(str(info.value)) and "没有权限" in str(info.value)
    assert staff[role].display_name in str(info.value)
    assert (User.select().count(), ChangeLog.select().count(), AuditEntry.select().count()) == before
    assert User.get(User.username == staff[role].username).role == role


def _user(username: str) -> User:
    return User.get(User.username == username)


# What each admin-only call leaves behind, read back from the database (or its return value).
ADMIN_DID = {
    "add_user": lambda _r: (_user("wangwu").display_name, _user("wangwu").role) == ("王五", "clerk"),
    "update_user": lambda _r: _user("zhangli").display_name == "张莉",
    "deactivate": lambda _r: not _user("lixiuying").active,
    "promote": lambda _r: _user(ADMIN).role == "admin",
    "reset_password": lambda _r: accounts.verify_password("Reset#2024x", _user("zhangli").password_hash)
    and accounts.must_change_password("zhangli"),
    "unlock": lambda _r: not accounts.is_locked(_user("zhangli")) and _user("zhangli").failed_attempts == 0,
    "set_setting": lambda _r: settings.get("backup.keep") == 10,
    "update_own_office": lambda _r: office_service.own_office().contact_person == "李四",
    "add_village": lambda _r: [v.name for v in office_service.villages()] == ["红星村"],
    "audit_ids": lambda ids: set(ids) == {e.id for e in AuditEntry.select(AuditEntry.id)} and len(ids) > 0,
    "audit_rows": lambda rows: rows == {},
}


@pytest.mark.parametrize("call", sorted(ADMIN_ONLY))
def test_admin_may_do_them(staff, call):
    assert set(ADMIN_DID) == set(ADMIN_ONLY)
    if call == "unlock":  # something to unlock
        User.update(failed_attempts=5, locked_until="2999-01-01 00:00:00").where(User.username == "zhangli").execute()
        assert accounts.is_locked(_user("zhangli"))
    before = AuditEntry.select().count()
    result = ADMIN_ONLY[call](staff["admin"])
    assert ADMIN_DID[call](result), call
    if not call.startswith(("audit", "promote")):  # every change by an administrator is audited too
        assert AuditEntry.select().count() > before, call


def test_last_admin_cannot_be_demoted_or_deactivated(staff):
    admin = staff["admin"]
    with pytest.raises(CivDeskError) as info:
        accounts.update_user(admin, ADMIN, role="clerk")
    assert "最后一个系统管理员" in str(info.value)
    accounts.add_user(admin, "second", "副管理员", "admin", "Second#2024")
    second = Actor("second", "副管理员", "admin")
    accounts.update_user(admin, "second", active=False)
    with pytest.raises(CivDeskError):
        accounts.update_user(admin, ADMIN, role="reviewer")  # the other admin is inactive: still the last
    with pytest.raises(CivDeskError) as info:
        accounts.update_user(second, ADMIN, active=False)
    assert "最后一个系统管理员" in str(info.value)
    accounts.update_user(admin, "second", active=True)
    accounts.update_user(second, ADMIN, role="reviewer")
    assert User.get(User.username == ADMIN).role == "reviewer"
    with pytest.raises(CivDeskError):
        accounts.update_user(second, "second", role="clerk")


def test_user_cannot_deactivate_themselves(staff):
    accounts.add_user(staff["admin"], "second", "副管理员", "admin", "Second#2024")
    with pytest.raises(CivDeskError) as info:
        accounts.update_user(staff["admin"], ADMIN, active=False)
    assert "不能停用自己" in str(info.value)
    assert User.get(User.username == ADMIN).active


def test_update_user_validates_and_audits(staff):
    with pytest.raises(ValidationError):
        accounts.update_user(staff["admin"], "zhangli", role="boss")
    with pytest.raises(ValidationError):
        accounts.update_user(staff["admin"], "zhangli", display_name="  ")
    changed = accounts.update_user(staff["admin"], "zhangli", display_name="张莉", role="reviewer")
    assert changed == {"display_name": ["张丽", "张莉"], "role": ["录入员", "审核人"]}
    user = User.get(User.username == "zhangli")
    assert (user.display_name, user.role, user.name_initials) == ("张莉", "reviewer", "zl")
    assert audit_actions("zhangli")[-1] == "update"


# --- passwords ------------------------------------------------------------------------------


def test_reset_then_change_own_password(staff):
    admin, clerk = staff["admin"], staff["clerk"]
    assert not accounts.must_change_password("zhangli")
    accounts.reset_password(admin, "zhangli", "Temp#2024x")
    assert accounts.must_change_password("zhangli")
    with pytest.raises(AuthError):
        accounts.authenticate("zhangli", CLERK_PASSWORD)
    accounts.authenticate("zhangli", "Temp#2024x")
    with pytest.raises(ValidationError) as info:
        accounts.change_own_password(clerk, "not-the-old", "Brand#New99")
    assert info.value.errors == {"old_password": "原密码不正确"}
    with pytest.raises(ValidationError) as info:
        accounts.change_own_password(clerk, "Temp#2024x", "Temp#2024x")
    assert "不能与原密码相同" in info.value.errors["new_password"]
    accounts.change_own_password(clerk, "Temp#2024x", "Brand#New99")
    assert not accounts.must_change_password("zhangli")
    assert accounts.authenticate("zhangli", "Brand#New99").username == "zhangli"


def test_new_accounts_must_change_by_default(staff):
    accounts.add_user(staff["admin"], "wangwu", "王五", "clerk", "Wangwu#2024")
    assert accounts.must_change_password("wangwu")


@pytest.mark.parametrize(("password", "expected"), [
    ("short1", "密码至少需要 8 位，当前只有 6 位"),
    ("wangwu88", None),
    ("WangWu88", None),
    ("aaaaaaaa", "密码过于简单（至少包含 3 个不同的字符）"),
    ("abababab", "密码过于简单（至少包含 3 个不同的字符）"),
])
def test_password_policy(staff, password, expected):
    assert accounts.password_problem(password, "zhangsan") == expected
    if expected:
        with pytest.raises(ValidationError) as info:
            accounts.add_user(staff["admin"], "zhangsan", "张三", "clerk", password)
        assert info.value.errors["password"] == expected


def test_password_may_not_equal_username(staff):
    assert accounts.password_problem("Zhangsan1", "zhangsan1") == "密码不能与用户名相同"


def test_password_policy_follows_the_setting(staff):
    settings.set_value(staff["admin"], "account.min_password_length", 12)
    assert accounts.password_problem("Abcdef#12", "x") == "密码至少需要 12 位，当前只有 9 位"
    with pytest.raises(ValidationError):
        accounts.reset_password(staff["admin"], "zhangli", "Abcdef#12")


@pytest.mark.parametrize(("username", "field"), [("a", "username"), ("has space", "username"),
                                                  ("zhangli", "username"), ("x" * 33, "username")])
def test_add_user_validation(staff, username, field):
    with pytest.raises(ValidationError) as info:
        accounts.add_user(staff["admin"], username, "某人", "clerk", "Good#Pass1")
    assert field in info.value.errors and has_chinese(info.value.errors[field])


def test_add_user_reports_every_bad_field_at_once(staff):
    with pytest.raises(ValidationError) as info:
        accounts.add_user(staff["admin"], "a", "", "boss", "x")
    assert set(info.value.errors) == {"username", "display_name", "role", "password"}


# --- the audit keeps everything but the secrets ---------------------------------------------


def test_every_account_event_audited_without_secrets(admin, hashes):
    passwords = [ADMIN_PASSWORD, CLERK_PASSWORD, "Temp#2024x", "Brand#New99", "wrong-password"]
    accounts.authenticate(ADMIN, ADMIN_PASSWORD)
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD)
    with pytest.raises(AuthError):
        accounts.authenticate("zhangli", "wrong-password")
    accounts.reset_password(admin, "zhangli", "Temp#2024x")
    accounts.change_own_password(Actor("zhangli", "张丽", "clerk"), "Temp#2024x", "Brand#New99")
    accounts.update_user(admin, "zhangli", role="reviewer")
    accounts.update_user(admin, "zhangli", active=False)
    accounts.unlock(admin, "zhangli")

    assert audit_actions(ADMIN)[-1] == "login"
    assert audit_actions("zhangli") == ["create", "login_failed", "update", "update", "update", "update",
                                        "update"]
    assert len(hashes) == 3
    secrets = passwords + hashes + [h.split("$")[-1] for h in hashes] + [h.split("$")[-2] for h in hashes]
    texts = [str(v) for row in AuditEntry.select().tuples() for v in row]
    texts += [v for (v,) in ChangeLog.select(ChangeLog.value).tuples()]
    for text in texts:
        assert "scrypt$" not in text
        for secret in secrets:
            assert secret not in text


def test_password_hashes_never_reach_synced_tables(admin):
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD)
    assert "user" not in {m._meta.table_name for m in synced_models()}
    dumped = dump.dump_json()
    assert "scrypt$" not in dumped and CLERK_PASSWORD not in dumped
    assert "zhangli" in dumped, "the account's creation is in the (synced) audit log, by name only"
