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
from civdesk.cli.common import Parser, UsageError, db_path, login, open_existing, read_secret
from civdesk.core import changes, db, keyring, paths
from civdesk.core.actor import SYSTEM, require
from civdesk.core.console import use_utf8_output
from civdesk.core.errors import CivDeskError, DatabaseDamaged
from civdesk.core.writer_lock import WriterLock
from civdesk.domains import register_all
from civdesk.office import maintenance


def cmd_recover(args, lock) -> int:
    path = db_path(args)
    key = args.recovery_key or read_secret("CIVDESK_RECOVERY_KEY", "恢复密钥")
    password = read_secret("CIVDESK_NEW_PASSWORD", f"管理员 {args.admin} 的新密码")
    maintenance.recover(path, key, args.admin, password)
    print(f"已用恢复密钥重设系统管理员 {args.admin} 的密码。")
    return 0


def cmd_recovery_key(args, lock) -> int:
    open_existing(args, read_only=False)
    text = maintenance.renew_recovery_key(login(args))
    if args.json:
        print(json.dumps({"recovery_key": text}, ensure_ascii=False))
    else:
        print("已生成新的恢复密钥，旧的恢复密钥已作废。新密钥只显示这一次，请立即打印或抄写，与电脑分开保管：",
              file=sys.stderr)
        print(text)
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
        raise CivDeskError(f"{path} 不是 CivDesk 数据库文件，或文件已损坏；如果它是加密的 CivDesk 数据库，"
                           f"{keyring.missing_message(keyring.keyring_path(path))}")
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
    try:
        open_existing(args, read_only=False)
    except DatabaseDamaged as exc:
        # As the GUI's start-up does: a database too damaged to open (a broken header) has no
        # accounts to check, so the program itself rebuilds it from the backup, keeping the
        # damaged file beside it, and names itself in the audit log.
        print(f"数据库无法打开：{exc}", file=sys.stderr)
        aside = maintenance.restore_damaged(SYSTEM, db_path(args), args.file)
        print(f"已从 {args.file} 恢复。损坏的文件保留为 {aside}")
        return 0
    actor = login(args)
    safety = maintenance.restore(actor, args.file)
    print(f"已从 {args.file} 恢复。恢复前的数据已备份到 {safety}")
    return 0


def cmd_dump(args, lock) -> int:
    """Personal data masked; ``--full-numbers`` for a role allowed to see it, written to the
    audit log (so that run takes the writer lock and opens the database writable)."""
    from civdesk.core import dump

    if not args.json:
        raise UsageError("dump 目前只支持 --json 格式。")
    if not getattr(args, "user", None):
        raise UsageError("dump 会输出个人信息，请用 --user 指定执行操作的账号。")
    if args.full_numbers:
        lock = WriterLock(db_path(args).resolve()).acquire()
    try:
        open_existing(args, read_only=not args.full_numbers)
        actor = login(args)
        if args.full_numbers:
            require(actor, "dump_full_numbers")
            changes.write_audit(actor, "export", tbl="", record_label="全部同步记录（dump）",
                                note="命令行 dump --json --full-numbers：含完整证件号码、电话等个人信息")
        sys.stdout.write(dump.dump_json(full=args.full_numbers) + "\n")
    finally:
        if args.full_numbers:
            db.close_database()
            lock.release()
    return 0


def _root_parser() -> tuple[Parser, argparse._SubParsersAction, Parser]:
    """The program's parser, its COMMAND sub-parsers and the parent every acting command shares."""
    parser = Parser(prog=paths.program_name(), description="文明创建工作台（CivDesk）命令行")
    parser.add_argument("--db", help="数据库文件路径（默认：用户数据目录或 main.py 旁的 data/）")
    parser.add_argument("--user", help="执行操作的账号；密码取自环境变量 CIVDESK_PASSWORD 或标准输入")
    parser.add_argument("--version", action="version", version=f"CivDesk {__version__}")
    acting = Parser(add_help=False)
    acting.add_argument("--user", default=argparse.SUPPRESS, help="执行操作的账号")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    return parser, sub, acting


def _add_database_commands(sub, acting: Parser) -> None:
    """The database itself: ``check``, ``backup``, ``restore``, ``recover``."""
    p = sub.add_parser("check", parents=[acting], help="检查数据库完整性和版本（加密的数据库未登录时只检查密钥文件）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check, writes=False)

    p = sub.add_parser("recover", help="所有密码都忘记时：用恢复密钥重设系统管理员的密码（新密码取自 CIVDESK_NEW_PASSWORD）")
    p.add_argument("--recovery-key", help="初始化时打印的恢复密钥（不给出时取自 CIVDESK_RECOVERY_KEY 或标准输入）")
    p.add_argument("--admin", default="admin", help="要重设密码的系统管理员账号（默认 admin）")
    p.set_defaults(func=cmd_recover, writes=True)

    p = sub.add_parser("recovery-key", parents=[acting],
                       help="生成新的恢复密钥（仅系统管理员；旧的恢复密钥立即作废，新密钥只显示这一次）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_recovery_key, writes=True)

    p = sub.add_parser("backup", parents=[acting], help="备份数据库到文件")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_backup, writes=True)

    p = sub.add_parser("restore", parents=[acting], help="从备份文件恢复（恢复前自动备份当前数据）")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore, writes=True)


def _add_dump_command(sub, acting: Parser) -> None:
    p = sub.add_parser("dump", parents=[acting], help="按稳定顺序输出所有同步记录，便于比较两个数据库（个人信息已隐去）")
    p.add_argument("--json", action="store_true")
    p.add_argument("--full-numbers", action="store_true",
                   help="输出完整证件号码、电话等个人信息（仅系统管理员，记入审计日志）")
    p.set_defaults(func=cmd_dump, writes=False)


def build_parser() -> Parser:
    """Every command; each domain's module under civdesk/cli adds its own."""
    from civdesk.cli import activities as cli_activities
    from civdesk.cli import calendar as cli_calendar
    from civdesk.cli import demo as cli_demo
    from civdesk.cli import hotline as cli_hotline
    from civdesk.cli import nominations as cli_nominations
    from civdesk.cli import office as cli_office
    from civdesk.cli import supervision as cli_supervision
    from civdesk.cli import sync as cli_sync
    from civdesk.cli import teams as cli_teams
    from civdesk.cli import units as cli_units
    from civdesk.cli import volunteer_reports as cli_reports
    from civdesk.cli import volunteers as cli_volunteers

    parser, sub, acting = _root_parser()
    cli_office.add_commands(sub, acting)  # init, user, office
    _add_database_commands(sub, acting)
    cli_demo.add_commands(sub, acting)
    _add_dump_command(sub, acting)
    cli_volunteers.add_commands(sub, acting)  # volunteer, hours
    cli_teams.add_commands(sub, acting)  # team, activity
    report = cli_reports.add_commands(sub, acting)  # report, certificate; other domains add report kinds
    cli_sync.add_commands(sub, acting)
    cli_units.add_commands(sub, acting, report)
    cli_nominations.add_commands(sub, acting, report)
    cli_calendar.add_commands(sub, acting)
    cli_supervision.add_commands(sub, acting, report)
    cli_hotline.add_commands(sub, acting, report)
    cli_activities.add_commands(sub, acting, report)
    return parser


def main(argv: list[str] | None = None) -> int:
    use_utf8_output()
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
