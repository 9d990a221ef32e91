"""What every command of ``python -m civdesk`` shares: the parser class, secrets, opening the
database and acting as a user. The commands themselves live in cli.py and cli_<module>.py."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from civdesk.core import db, paths
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError
from civdesk.office import accounts, setup


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
    path = db_path(args)
    if not path.exists():
        raise CivDeskError(f"找不到数据库：{path}。请先运行 init 初始化。")
    db.open_database(path, read_only=read_only)
    if not setup.is_initialized():
        raise CivDeskError(f"数据库 {path} 尚未初始化，请先运行 init。")
    return path


def login(args) -> Actor:
    if not getattr(args, "user", None):
        raise UsageError("这个命令会修改数据，请用 --user 指定执行操作的账号。")
    return accounts.authenticate(args.user, read_secret("CIVDESK_PASSWORD", f"账号 {args.user} 的密码"))
