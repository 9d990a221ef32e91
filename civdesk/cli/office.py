"""Command-line commands of the office: ``init`` (first-run setup), ``user add`` and ``office …``
(this office and the villages and communities it knows of).

``office village add`` lets a script register the villages a volunteer roster names in its
所属村 column before importing it.
"""

from __future__ import annotations

from pathlib import Path

from civdesk.cli.common import (
    Parser,
    db_path,
    login,
    open_existing,
    print_json,
    print_recovery_key,
    read_secret,
)
from civdesk.core import db
from civdesk.core.errors import CivDeskError
from civdesk.office import accounts, maintenance, setup
from civdesk.office import offices as office_service


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


def cmd_user_add(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    password = read_secret("CIVDESK_NEW_PASSWORD", f"新账号 {args.username} 的密码")
    accounts.add_user(actor, args.username, args.name or args.username, args.role, password,
                      must_change=not args.permanent)
    kind = "长期密码" if args.permanent else "临时密码，首次登录时必须修改"
    print(f"已添加账号 {args.username}（{accounts.ROLE_LABELS[args.role]}，{kind}）")
    return 0


def cmd_office_show(args, lock) -> int:
    open_existing(args, read_only=True)
    own = office_service.own_office()
    township = office_service.township_of(own)
    data = {"id": own.id, "name": own.name, "kind": own.kind, "kind_label": own.kind_label,
            "township": township.name if township else "", "contact_person": own.contact_person,
            "phone": own.phone, "address": own.address, "node_name": office_service.node_name(),
            "villages": [v.name for v in office_service.villages()]}
    if args.json:
        print_json(data)
        return 0
    print(f"本单位：{data['name']}（{data['kind_label']}）")
    if own.kind == "village":
        print(f"所属乡镇：{data['township'] or '（未知）'}")
    print(f"联系人：{data['contact_person'] or '—'}　电话：{data['phone'] or '—'}　地址：{data['address'] or '—'}")
    print(f"本机名称：{data['node_name'] or '—'}")
    print(f"村/社区：{'、'.join(data['villages']) or '（还没有登记）'}")
    return 0


def cmd_village_list(args, lock) -> int:
    open_existing(args, read_only=True)
    rows = [{"id": v.id, "name": v.name} for v in office_service.villages()]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(row["name"])
    print(f"共 {len(rows)} 个村/社区")
    return 0


def cmd_village_add(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    names = list(dict.fromkeys(name.strip() for name in args.names))  # the same name twice is one village
    with db.database.atomic():  # several names: all or none
        added = [office_service.add_village(actor, name).name for name in names]
    print(f"已添加村/社区：{'、'.join(added)}")
    return 0


def add_commands(sub, acting: Parser) -> None:
    """``init``, ``user add`` and ``office …``."""
    p = sub.add_parser("init", help="初始化新数据库（本单位、本机、管理员）")
    p.add_argument("--office", required=True, help="本单位名称")
    p.add_argument("--kind", required=True, choices=["township", "village"], help="township=乡镇/街道，village=村/社区")
    p.add_argument("--node-name", required=True, help="本机在同步中显示的名称")
    p.add_argument("--admin", required=True, help="管理员用户名")
    p.add_argument("--admin-name", help="管理员姓名")
    p.add_argument("--township", help="所属乡镇（村/社区必填）")
    p.set_defaults(func=cmd_init, writes=True)

    users = sub.add_parser("user", help="账号管理").add_subparsers(dest="user_command", metavar="ACTION",
                                                                 parser_class=Parser)
    users.required = True
    p = users.add_parser("add", parents=[acting], help="添加账号（新账号密码取自 CIVDESK_NEW_PASSWORD 或标准输入）")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["admin", "reviewer", "clerk"])
    p.add_argument("--name", help="姓名")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--temporary", action="store_true", help="临时密码，首次登录时必须修改（默认）")
    kind.add_argument("--permanent", action="store_true", help="长期密码：不要求首次登录时修改")
    p.set_defaults(func=cmd_user_add, writes=True)

    office = sub.add_parser("office", help="本单位及其村/社区").add_subparsers(
        dest="office_command", metavar="ACTION", parser_class=Parser)
    office.required = True
    p = office.add_parser("show", help="显示本单位信息（名称、类型、所属乡镇、联系人、村/社区）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_office_show, writes=False)
    village = office.add_parser("village", help="村/社区名单").add_subparsers(
        dest="village_command", metavar="ACTION", parser_class=Parser)
    village.required = True
    p = village.add_parser("list", help="列出已登记的村/社区（按拼音排序）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_village_list, writes=False)
    p = village.add_parser("add", parents=[acting], help="添加村/社区（管理员；可一次写几个，全部成功或全部不添加）")
    p.add_argument("names", nargs="+", metavar="NAME", help="村/社区名称，如 桂花村")
    p.set_defaults(func=cmd_village_add, writes=True)
