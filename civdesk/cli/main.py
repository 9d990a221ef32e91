"""Command line: ``python -m civdesk [--db PATH] COMMAND``.

Exit codes: 0 success; 1 bad input or a refused operation (a Chinese message on stderr);
2 usage errors. Passwords never come as arguments: CIVDESK_PASSWORD (the acting user's, or the
new administrator's for ``init``), CIVDESK_NEW_PASSWORD (a new account's), CIVDESK_SYNC_PASSPHRASE,
each read from standard input, one per line, when the variable is not set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from civdesk import __version__
from civdesk.cli.common import (
    Parser,
    UsageError,
    db_path,
    login,
    open_existing,
    print_recovery_key,
    read_secret,
)
from civdesk.core import db
from civdesk.core.actor import require
from civdesk.core.errors import CivDeskError
from civdesk.core.writer_lock import WriterLock
from civdesk.domains import register_all
from civdesk.office import accounts, maintenance, setup


def cmd_init(args, lock) -> int:
    path = db_path(args)
    request = setup.SetupRequest(
        office_name=args.office, kind=args.kind, node_name=args.node_name, admin_username=args.admin,
        admin_password=read_secret("CIVDESK_PASSWORD", "管理员密码"),
        sync_passphrase=read_secret("CIVDESK_SYNC_PASSPHRASE", "同步口令"),
        township_name=args.township or "", admin_display_name=args.admin_name or "")
    created = not path.exists()
    if maintenance.is_encrypted(path):
        raise CivDeskError(f"数据库 {path} 已经初始化过了。")
    db.open_database(path)
    if setup.is_initialized():
        raise CivDeskError(f"数据库 {path} 已经初始化过了。")
    try:
        _actor, recovery = setup.initialize_with_recovery(request)
    except CivDeskError:
        if created:  # a refused init leaves no empty database behind
            db.close_database()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.keys")):
                leftover.unlink(missing_ok=True)
        raise
    print(f"已初始化：{args.office}（{'乡镇/街道' if args.kind == 'township' else '村/社区'}），数据库 {path}")
    print(f"数据库已加密；密钥文件 {path.name}.keys 必须与数据库放在一起（复制、备份时一起带走）。")
    if recovery:
        print_recovery_key(recovery)
    return 0


def cmd_recover(args, lock) -> int:
    path = db_path(args)
    key = args.recovery_key or read_secret("CIVDESK_RECOVERY_KEY", "恢复密钥")
    password = read_secret("CIVDESK_NEW_PASSWORD", f"管理员 {args.admin} 的新密码")
    maintenance.recover(path, key, args.admin, password)
    print(f"已用恢复密钥重设系统管理员 {args.admin} 的密码。")
    return 0


def cmd_user_add(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    password = read_secret("CIVDESK_NEW_PASSWORD", f"新账号 {args.username} 的密码")
    accounts.add_user(actor, args.username, args.name or args.username, args.role, password,
                      must_change=args.temporary)
    print(f"已添加账号 {args.username}（{accounts.ROLE_LABELS[args.role]}）")
    return 0


def cmd_check(args, lock) -> int:
    path = db_path(args)
    if not path.exists():
        raise CivDeskError(f"找不到数据库：{path}")
    if not getattr(args, "user", None) and maintenance.is_encrypted(path):
        return _check_keys_only(args, path)
    key = None
    if maintenance.is_encrypted(path):
        key = maintenance.unlock(path, args.user, read_secret("CIVDESK_PASSWORD", f"账号 {args.user} 的密码"))
    report = maintenance.check(path, key)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        print(f"数据库：{path}")
        print(f"数据库版本：{report.schema_version}（本程序支持到 {report.supported_schema_version}）")
        if report.newer_than_supported:
            print("注意：数据库由更新版本的 CivDesk 写入，本程序只能只读打开。")
        print("完整性检查：" + ("通过" if report.healthy else "未通过"))
        for problem in report.problems:
            print(f"  - {problem}")
    if not report.healthy:
        print("数据库完整性检查未通过，请从备份恢复（restore 命令）。", file=sys.stderr)
        return 1
    return 0


def _check_keys_only(args, path: Path) -> int:
    """Without a login only the header and the keyring can be checked."""
    problems = maintenance.check_keys(path)
    if not (path.parent / f"{path.name}.keys").exists():
        raise CivDeskError(f"这不是 CivDesk 数据库文件，或文件已损坏（加密的数据库旁边还应有它的 .keys 文件）：{path}")
    if args.json:
        print(json.dumps({"database": str(path), "encrypted": True, "keys": "ok" if not problems else "failed",
                          "problems": problems, "integrity": None}, ensure_ascii=False, indent=1))
    else:
        print(f"数据库：{path}（已加密）")
        print("密钥文件：" + ("正常" if not problems else "有问题"))
        for problem in problems:
            print(f"  - {problem}")
        print("未登录只检查了文件头和密钥文件；完整性检查请加 --user 并提供密码。")
    return 1 if problems else 0


def cmd_backup(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    out = maintenance.make_backup(actor, args.out)
    maintenance.log_backup(actor, out)
    print(f"已备份到 {out}")
    return 0


def cmd_restore(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    safety = maintenance.restore(actor, args.file)
    print(f"已从 {args.file} 恢复。恢复前的数据已备份到 {safety}")
    return 0


def cmd_demo(args, lock) -> int:
    from civdesk import demo

    path = db_path(args)
    if path.exists() and path.stat().st_size > 0:
        open_existing(args, read_only=False)
        actor = login(args)
        require(actor, "load_demo")
        print("正在向已有数据库添加演示数据……")
    else:
        db.open_database(path)
        actor = demo.initialize_demo_office()
        print(f"已创建演示单位，管理员账号 admin，密码 {demo.DEMO_PASSWORD}")
    demo.fill(actor)
    print(f"演示数据已写入 {path}")
    return 0


def cmd_demo_pair(args, lock) -> int:
    from civdesk.demo import sync_pair

    last = ""

    def progress(done: int, total: int, text: str = "") -> None:
        nonlocal last
        if text != last:
            print(f"[{done}/{total}] {text}", flush=True)
            last = text

    pair = sync_pair.create_demo_pair(Path(args.out), progress)
    print(sync_pair.instructions(pair))
    return 0


def cmd_dump(args, lock) -> int:
    from civdesk.core import dump

    if not args.json:
        raise UsageError("dump 目前只支持 --json 格式。")
    open_existing(args, read_only=True)
    sys.stdout.write(dump.dump_json() + "\n")
    return 0


def _add_key_and_check_commands(sub, acting) -> None:
    p = sub.add_parser("init", help="初始化新数据库（本单位、本机、管理员）")
    p.add_argument("--office", required=True, help="本单位名称")
    p.add_argument("--kind", required=True, choices=["township", "village"], help="township=乡镇/街道，village=村/社区")
    p.add_argument("--node-name", required=True, help="本机在同步中显示的名称")
    p.add_argument("--admin", required=True, help="管理员用户名")
    p.add_argument("--admin-name", help="管理员姓名")
    p.add_argument("--township", help="所属乡镇（村/社区必填）")
    p.set_defaults(func=cmd_init, writes=True)

    p = sub.add_parser("recover", help="所有密码都忘记时：用恢复密钥重设系统管理员的密码（新密码取自 CIVDESK_NEW_PASSWORD）")
    p.add_argument("--recovery-key", help="初始化时打印的恢复密钥（不给出时取自 CIVDESK_RECOVERY_KEY 或标准输入）")
    p.add_argument("--admin", default="admin", help="要重设密码的系统管理员账号（默认 admin）")
    p.set_defaults(func=cmd_recover, writes=True)

    p = sub.add_parser("check", parents=[acting], help="检查数据库完整性和版本（加密的数据库未登录时只检查密钥文件）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check, writes=False)


def build_parser() -> Parser:
    parser = Parser(prog="python -m civdesk", description="文明创建工作台（CivDesk）命令行")
    parser.add_argument("--db", help="数据库文件路径（默认：用户数据目录或 main.py 旁的 data/）")
    parser.add_argument("--user", help="执行操作的账号；密码取自环境变量 CIVDESK_PASSWORD 或标准输入")
    parser.add_argument("--version", action="version", version=f"CivDesk {__version__}")
    acting = Parser(add_help=False)
    acting.add_argument("--user", default=argparse.SUPPRESS, help="执行操作的账号")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    users = sub.add_parser("user", help="账号管理").add_subparsers(dest="user_command", metavar="ACTION",
                                                                 parser_class=Parser)
    users.required = True
    p = users.add_parser("add", parents=[acting], help="添加账号（新账号密码取自 CIVDESK_NEW_PASSWORD 或标准输入）")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["admin", "reviewer", "clerk"])
    p.add_argument("--name", help="姓名")
    p.add_argument("--temporary", action="store_true", help="临时密码：首次登录时必须修改")
    p.set_defaults(func=cmd_user_add, writes=True)

    _add_key_and_check_commands(sub, acting)

    p = sub.add_parser("backup", parents=[acting], help="备份数据库到文件")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_backup, writes=True)

    p = sub.add_parser("restore", parents=[acting], help="从备份文件恢复（恢复前自动备份当前数据）")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore, writes=True)

    p = sub.add_parser("demo", parents=[acting], help="写入演示数据")
    p.set_defaults(func=cmd_demo, writes=True)

    p = sub.add_parser("demo-pair", help="生成一对已同步过一次的演示数据库（镇、村各一个），用来试用U盘同步")
    p.add_argument("--out", required=True, metavar="FOLDER", help="放两个数据库的文件夹（township/ 和 village/）")
    p.set_defaults(func=cmd_demo_pair, writes=False)

    p = sub.add_parser("dump", parents=[acting], help="按稳定顺序输出所有同步记录，便于比较两个数据库")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dump, writes=False)

    # Each module adds its own commands; imported here to keep start-up of other commands light.
    from civdesk.cli import sync as cli_sync
    from civdesk.cli import volunteer_reports as cli_reports
    from civdesk.cli import volunteers as cli_volunteers

    cli_volunteers.add_commands(sub, acting)
    report = cli_reports.add_commands(sub, acting)  # noqa: F841 - later modules add report kinds to it
    cli_sync.add_commands(sub, acting)
    from civdesk.cli import units as cli_units

    cli_units.add_commands(sub, acting, report)
    from civdesk.cli import nominations as cli_nominations

    cli_nominations.add_commands(sub, acting, report)
    from civdesk.cli import calendar as cli_calendar

    cli_calendar.add_commands(sub, acting)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    register_all()
    lock = None
    try:
        if args.writes:
            lock = WriterLock(db_path(args).resolve()).acquire()
        return args.func(args, lock)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"命令用法错误：{exc}", file=sys.stderr)
        return 2
    except CivDeskError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
        return 0
    finally:
        db.close_database()
        if lock is not None:
            lock.release()
