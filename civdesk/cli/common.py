"""What every command of ``python -m civdesk`` shares: the parser class, secrets, opening the
database and acting as a user. The commands live in main.py and one module per domain here."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from civdesk.core import db, paths
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.office import accounts, maintenance, setup


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"命令用法错误：{message}\n")


def read_secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if sys.stdin is None or sys.stdin.closed:
        raise CivDeskError(f"缺少{prompt}：请设置环境变量 {env}，或从标准输入提供。")
    if sys.stdin.isatty():
        return getpass.getpass(f"{prompt}：")
    line = sys.stdin.readline()
    if not line:
        raise CivDeskError(f"缺少{prompt}：请设置环境变量 {env}，或从标准输入提供。")
    return line.rstrip("\r\n")


def db_path(args) -> Path:
    return Path(args.db).expanduser() if args.db else paths.default_db_path()


def open_existing(args, *, read_only: bool) -> Path:
    """Log in as ``--user`` (the password from CIVDESK_PASSWORD or standard input): the account's
    slot of the keyring unlocks the database, which is then opened and the login checked as in
    the GUI. Every command that reads the database needs it, since the file is encrypted."""
    path = db_path(args)
    if not path.exists() or path.stat().st_size == 0:
        raise CivDeskError(f"找不到数据库：{path}。请先运行 init 初始化。")
    if not getattr(args, "user", None):
        raise UsageError("数据库已加密，这个命令要读取数据：请用 --user 指定账号（密码取自环境变量 "
                         "CIVDESK_PASSWORD 或标准输入）。")
    password = read_secret("CIVDESK_PASSWORD", f"账号 {args.user} 的密码")
    try:
        result = maintenance.login(path, args.user, password, read_only=read_only)
    except db.KeyRequired as exc:
        raise CivDeskError(str(exc)) from exc
    args.logged_in = result.actor
    if result.converted:
        print("数据库已加密（旧的备份也已加密）。", file=sys.stderr)
    if result.recovery_key:
        print_recovery_key(result.recovery_key)
    if not setup.is_initialized():
        raise CivDeskError(f"数据库 {path} 尚未初始化，请先运行 init。")
    if accounts.must_change_password(result.actor.username):
        _change_temporary_password(result.actor, password)
    return path


def print_recovery_key(text: str) -> None:
    print("恢复密钥（只显示这一次，请立即打印或抄写，与数据库分开妥善保管；所有密码都忘记时，"
          f"凭它用 recover 命令重设管理员密码）：\n\n    {text}\n", file=sys.stderr)


def login(args) -> Actor:
    """The account ``open_existing`` logged in (it checked the password already)."""
    actor = getattr(args, "logged_in", None)
    if actor is None:
        raise UsageError("这个命令会修改数据，请用 --user 指定执行操作的账号。")
    return actor


def _change_temporary_password(actor: Actor, old_password: str) -> None:
    """A temporary password (set by an administrator) opens nothing until the user sets their own:
    on a terminal a new one is asked twice; without a terminal the command is refused."""
    reason = f"账号 {actor.username} 使用的是管理员设置的临时密码，必须先修改为自己的密码"
    interactive = sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()
    if not interactive:
        raise CivDeskError(f"{reason}。请在终端中运行这个命令（会提示输入新密码），或在程序中登录后修改。")
    if db.state.read_only:
        raise CivDeskError(f"{reason}，但数据库现在只读，改不了密码。请运行一个会写入数据的命令，或在程序中登录后修改。")
    print(f"{reason}。", file=sys.stderr)
    for _ in range(3):
        new = getpass.getpass("新密码：")
        if getpass.getpass("再输入一次新密码：") != new:
            print("两次输入的新密码不一致，请重新输入。", file=sys.stderr)
            continue
        try:
            accounts.change_own_password(actor, old_password, new)
        except ValidationError as exc:
            print(f"新密码不能使用：{exc}", file=sys.stderr)
            continue
        print("密码已修改。", file=sys.stderr)
        return
    raise CivDeskError("新密码没有设置成功，命令没有执行。")


def date_arg(text: str | None, label: str = "日期", *, required: bool = False):
    """A date typed on the command line (2026-03-05, 2026年3月5日 …), or None when none (or a blank)
    was given and none is *required*; refuses with the reason in Chinese."""
    if not required and (text is None or not text.strip()):
        return None
    from civdesk.core import validation

    checked = validation.date_value(text, label)
    if not checked.ok:
        raise CivDeskError(checked.error)
    return checked.value


def print_json(data) -> None:
    """*data* as JSON on standard output, Chinese as it is; dates and other values as their text."""
    import json

    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def whole_number(text: str, label: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number typed on the command line, read by the one number parser (full-width digits
    accepted); refuses with the reason in Chinese."""
    from civdesk.core import validation

    checked = validation.number(text, label, minimum=minimum, maximum=maximum, step=1)
    if not checked.ok:
        raise CivDeskError(checked.error)
    return int(checked.value)


def pick_id(text: str, what: str, listing: str, *, prefix=None, exact=None, min_chars: int = 6,
            named_by: str = "编号") -> str:
    """The id of the one record *text* names, by the same rule and with the same messages in every
    command: first ``exact(text)`` (ids whose name or number is *text*, when the record has one),
    then the record id or its first *min_chars* or more characters, ``prefix(key)`` giving the ids
    that begin with *key* (a domain service: the command line reads no tables). *what* names the
    record (申报), *listing* the command that shows the ids (unit list), *named_by* what may be
    typed (编号, 名称或编号 …)."""
    from civdesk.core import validation
    from civdesk.core.errors import NotFound

    typed = validation.normalize_text(text or "").strip()
    found = list(exact(typed)) if exact and typed else []
    by_name = bool(found)
    if not found and prefix is not None:
        if len(typed) < min_chars and exact is None:
            raise NotFound(f"编号「{typed}」太短：请至少写前 {min_chars} 位（见 {listing}）。")
        if len(typed) >= min_chars:
            found = list(dict.fromkeys(prefix(typed.lower())))
    if not found:
        hint = f"{'记录' if exact else ''}编号至少写前 {min_chars} 位，" if prefix is not None else ""
        raise NotFound(f"找不到{named_by}为「{typed}」的{what}（{hint}见 {listing}）。")
    if len(found) > 1:
        raise CivDeskError(f"「{typed}」对应 {len(found)} 个{what}，" + ("请改用编号。" if by_name else "请多写几位编号。"))
    return found[0]
