"""Accounts: password hashing, login with lockout, and the administrator's account management."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import os
import re

from civdesk.core import changes, db, pinyin
from civdesk.core.actor import ROLE_LABELS, Actor, require
from civdesk.core.db import database
from civdesk.core.errors import AuthError, CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.office import keyslots, login_record, settings
from civdesk.office.account_model import User

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        if len(expected) != 32:  # a cut-off hash must not make short digests easy to match
            return False
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def password_problem(password: str, username: str = "") -> str | None:
    minimum = settings.get("account.min_password_length") if database.table_exists("setting") else 8
    if len(password) < minimum:
        return f"密码至少需要 {minimum} 位，当前只有 {len(password)} 位"
    if username and password.lower() == username.lower():
        return "密码不能与用户名相同"
    if len(set(password)) < 3:
        return "密码过于简单（至少包含 3 个不同的字符）"
    return None


@functools.cache
def _dummy_hash() -> str:
    return hash_password("no account has this password")


def _actor(user: User) -> Actor:
    return Actor(user.username, user.display_name, user.role)


def _get(username: str) -> User:
    user = User.get_or_none(User.username == (username or "").strip())
    if user is None:
        raise NotFound(f"没有名为「{username}」的账号。")
    return user


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


WRONG = login_record.WRONG


def policy() -> dict:
    """The lockout rule in force: how many wrong passwords lock an account, for how many minutes."""
    return {"attempts": settings.get("account.lockout_attempts"), "minutes": settings.get("account.lockout_minutes")}


def _wrong_message() -> str:
    return login_record.wrong_message(policy())


def _count_failure(failed: int, locked_until: str | None, at: dt.datetime) -> tuple[int, str | None, str]:
    """One more wrong password at *at*: the new count, lock and the audit note."""
    return login_record.count_failure(failed, locked_until, at, policy())


def _stranger(username: str) -> Actor:
    return Actor((username or "").strip()[:64], "（没有这个账号）", "")


def _audit_attempt(user: User | None, username: str, action: str, note: str) -> None:
    actor = _actor(user) if user is not None else _stranger(username)
    changes.write_audit(actor, action, tbl="user", record_id=actor.username,
                        record_label=user.display_name if user is not None else "（没有这个账号）", note=note)


def _replay_side_file() -> None:
    """Attempts made while the database was read-only (login_record) go into the audit log and
    count towards the lockout, in the order they happened."""
    events, taken = login_record.take_all()
    if taken is None:
        return
    with database.atomic():
        for event in events:
            user = User.get_or_none(User.username == event["user"])
            at = dt.datetime.fromisoformat(event["at"])
            when = f"（{event['at']} {'数据库解锁前' if event.get('how') == 'key' else '只读打开时'}）"
            if user is None or event["event"] == "unknown":
                _audit_attempt(None, event["user"], "login_failed", "没有这个账号" + when)
            elif event["event"] == "failed":
                user.failed_attempts, user.locked_until, note = _count_failure(
                    user.failed_attempts, user.locked_until, at)
                user.save()
                _audit_attempt(user, user.username, "login_failed", note + when)
            elif event["event"] == "locked":
                _audit_attempt(user, user.username, "login_locked", "账号锁定期间尝试登录" + when)
            else:
                user.failed_attempts = 0
                user.save()
                _audit_attempt(user, user.username, "login", "登录" + when)
    taken.unlink(missing_ok=True)


def _read_only_state(user: User) -> tuple[int, str | None]:
    """The failure count and lock of *user* with the side file's attempts added."""
    return login_record.fold(login_record.pending(user.username), user.failed_attempts, user.locked_until, policy())


_locked = login_record.is_locked


def authenticate(username: str, password: str) -> Actor:
    """Check a login; five wrong passwords (a setting) lock the account for a while. Every
    failure, a name that is no account and an attempt while locked are audited (on a read-only
    database through the side file of login_record); the typed password never is."""
    writable = not db.state.read_only
    if writable:
        _replay_side_file()
    name = (username or "").strip()
    user = User.get_or_none(User.username == name)
    now = _now()
    stamp = now.isoformat(sep=" ")
    if user is None:
        verify_password(password or "", _dummy_hash())  # the same time as for a real account
        if writable:
            _audit_attempt(None, name, "login_failed", "没有这个账号")
        else:
            login_record.append("unknown", name, stamp)
        raise AuthError(_wrong_message())
    failed, locked_until = (user.failed_attempts, user.locked_until) if writable else _read_only_state(user)
    if _locked(locked_until, now):
        if writable:
            _audit_attempt(user, user.username, "login_locked", "账号锁定期间尝试登录")
        else:
            login_record.append("locked", user.username, stamp)
        raise AuthError(login_record.locked_message(locked_until))
    if not verify_password(password or "", user.password_hash):
        if writable:
            with database.atomic():
                user.failed_attempts, user.locked_until, note = _count_failure(failed, locked_until, now)
                user.save()
                _audit_attempt(user, user.username, "login_failed", note)
            locked_until = user.locked_until
        else:
            login_record.append("failed", user.username, stamp)
            _, locked_until = _read_only_state(user)
        if _locked(locked_until, now):
            raise AuthError(login_record.just_locked_message(policy()))
        raise AuthError(_wrong_message())
    if not user.active:
        raise AuthError("这个账号已停用，请联系系统管理员。")
    if writable:
        with database.atomic():
            user.failed_attempts, user.locked_until, user.last_login_at = 0, None, stamp
            user.save()
            changes.write_audit(_actor(user), "login", tbl="user", record_id=user.username,
                                record_label=user.display_name)
    else:
        login_record.append("login", user.username, stamp)
    return _actor(user)


def carry_login_state() -> None:
    """After a writable login through the keyring: the lockout policy and every account's count and
    lock copied into the side file, where a login checks them before the database can be opened."""
    now = _now()
    states = [(u.username, u.failed_attempts, u.locked_until if _locked(u.locked_until, now) else None)
              for u in User.select() if u.failed_attempts or _locked(u.locked_until, now)]
    login_record.carry(policy(), states, now.isoformat(sep=" "))


def must_change_password(username: str) -> bool:
    return bool(_get(username).must_change_password)


def _validate_new(username: str, display_name: str, role: str, password: str) -> None:
    errors = {}
    if not _USERNAME.match(username or ""):
        errors["username"] = "用户名应为 2–32 个字母、数字、汉字或下划线，不能有空格"
    elif User.get_or_none(User.username == username) is not None:
        errors["username"] = f"用户名「{username}」已被使用"
    if not (display_name or "").strip():
        errors["display_name"] = "「姓名」不能为空"
    if role not in ROLE_LABELS:
        errors["role"] = "角色只能是系统管理员、审核人或录入员"
    problem = password_problem(password or "", username)
    if problem:
        errors["password"] = problem
    if errors:
        raise ValidationError(errors)


def create_user_record(username: str, display_name: str, role: str, password: str,
                       must_change: bool = False) -> User:
    """Insert without a permission check: only for setup, which creates the first administrator."""
    name = display_name.strip()
    return User.create(username=username, display_name=name, name_pinyin=pinyin.sort_key(name),
                       name_initials=pinyin.initials(name), role=role, password_hash=hash_password(password),
                       must_change_password=must_change, created_at=_now().isoformat(sep=" "))


def add_user(actor: Actor, username: str, display_name: str, role: str, password: str,
             must_change: bool = True) -> User:
    require(actor, "manage_users")
    db.ensure_writable()
    username = (username or "").strip()
    _validate_new(username, display_name, role, password)
    with database.atomic():
        user = create_user_record(username, display_name, role, password, must_change)
        keyslots.set_password(username, password)  # needs this session's database key
        changes.write_audit(actor, "create", tbl="user", record_id=username, record_label=user.display_name,
                            changes={"username": [None, username], "display_name": [None, user.display_name],
                                     "role": [None, ROLE_LABELS[role]]})
    return user


def _admins_left(excluding: User) -> int:
    return (User.select().where((User.role == "admin") & (User.active == True)  # noqa: E712
                                & (User.id != excluding.id)).count())


def update_user(actor: Actor, username: str, *, display_name: str | None = None, role: str | None = None,
                active: bool | None = None) -> dict:
    require(actor, "manage_users")
    db.ensure_writable()
    user = _get(username)
    changed = {}
    if display_name is not None and display_name.strip() != user.display_name:
        if not display_name.strip():
            raise ValidationError({"display_name": "「姓名」不能为空"})
        changed["display_name"] = [user.display_name, display_name.strip()]
        user.display_name = display_name.strip()
        user.name_pinyin, user.name_initials = pinyin.sort_key(user.display_name), pinyin.initials(user.display_name)
    if role is not None and role != user.role:
        if role not in ROLE_LABELS:
            raise ValidationError({"role": "角色只能是系统管理员、审核人或录入员"})
        if user.role == "admin" and _admins_left(user) == 0:
            raise CivDeskError("这是最后一个系统管理员账号，不能改为其他角色。")
        changed["role"] = [ROLE_LABELS[user.role], ROLE_LABELS[role]]
        user.role = role
    if active is not None and active != user.active:
        if not active and user.username == actor.username:
            raise CivDeskError("不能停用自己正在使用的账号。")
        if not active and user.role == "admin" and _admins_left(user) == 0:
            raise CivDeskError("这是最后一个系统管理员账号，不能停用。")
        changed["active"] = ["启用" if user.active else "停用", "启用" if active else "停用"]
        user.active = active
    if changed:
        with database.atomic():
            user.save()
            if active is False:
                keyslots.remove(user.username)  # a new password (reset_password) brings it back
            changes.write_audit(actor, "update", tbl="user", record_id=user.username,
                                record_label=user.display_name, changes=changed)
    return changed


def reset_password(actor: Actor, username: str, new_password: str) -> None:
    """The administrator sets a temporary password; the user must change it at next login."""
    require(actor, "manage_users")
    db.ensure_writable()
    user = _get(username)
    problem = password_problem(new_password or "", username)
    if problem:
        raise ValidationError({"password": problem})
    with database.atomic():
        user.password_hash = hash_password(new_password)
        user.must_change_password, user.failed_attempts, user.locked_until = True, 0, None
        user.save()
        keyslots.set_password(user.username, new_password)
        changes.write_audit(actor, "update", tbl="user", record_id=user.username, record_label=user.display_name,
                            note="重置密码（下次登录须修改）")
    login_record.note_unlock(user.username, _now().isoformat(sep=" "))


def unlock(actor: Actor, username: str) -> None:
    require(actor, "manage_users")
    db.ensure_writable()
    user = _get(username)
    with database.atomic():
        user.failed_attempts, user.locked_until = 0, None
        user.save()
        changes.write_audit(actor, "update", tbl="user", record_id=user.username, record_label=user.display_name,
                            note="解除锁定")
    login_record.note_unlock(user.username, _now().isoformat(sep=" "))


def change_own_password(actor: Actor, old_password: str, new_password: str) -> None:
    db.ensure_writable()
    user = _get(actor.username)
    if not verify_password(old_password or "", user.password_hash):
        raise ValidationError({"old_password": "原密码不正确"})
    problem = password_problem(new_password or "", user.username)
    if problem:
        raise ValidationError({"new_password": problem})
    if verify_password(new_password, user.password_hash):
        raise ValidationError({"new_password": "新密码不能与原密码相同"})
    with database.atomic():
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        user.save()
        keyslots.set_password(user.username, new_password)  # re-wraps only this account's slot
        changes.write_audit(actor, "update", tbl="user", record_id=user.username, record_label=user.display_name,
                            note="修改了自己的密码")


def list_users() -> list[User]:
    return list(User.select().order_by(User.active.desc(), User.role, User.name_pinyin))


def is_locked(user: User) -> bool:
    return bool(user.locked_until) and dt.datetime.fromisoformat(user.locked_until) > _now()
