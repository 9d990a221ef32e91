"""Command-line commands of USB sync: ``sync export | import | conflicts | resolve | peers | trust``."""

from __future__ import annotations

from civdesk.cli.common import Parser, UsageError, login, open_existing, print_json, read_secret
from civdesk.core.errors import SyncRefused


def cmd_export(args, lock) -> int:
    from civdesk.sync import exchange

    open_existing(args, read_only=False)
    actor = login(args)
    result = exchange.export_package(actor, args.out, to=args.to, full=args.full)
    if args.json:
        print_json(result.as_json())
    else:
        print(f"已导出 {result.entries} 条变更到 {result.path}（{result.size / 1024:.0f} KB）")
    return 0


def _print_counts(report: dict) -> None:
    tables = sorted(set(report["new"]) | set(report["pending"]))
    if not tables:
        print("  （没有变更）")
    from civdesk.core.models import model_for_table

    for table in tables:
        label = model_for_table(table).label or table
        line = (f"  {label}：新增 {report['new'].get(table, 0)}，更新 {report['updated'].get(table, 0)}，"
                f"未变 {report['unchanged'].get(table, 0)}，新冲突 {report['conflicts'].get(table, 0)}")
        if report["pending"].get(table):
            line += f"，等待原记录 {report['pending'][table]}"
        print(line)


def cmd_import(args, lock) -> int:
    from civdesk.sync import exchange

    open_existing(args, read_only=False)
    actor = login(args)
    try:
        incoming = exchange.import_package(actor, args.file, dry_run=args.dry_run, trust_new=args.trust_new)
    except SyncRefused as exc:
        if args.json:
            print_json({"refused": exc.code, "message": str(exc)})
        raise
    report = incoming.report()
    if args.json:
        print_json(report)
        return 0
    source = report["source"]
    print(f"数据包：{report['package']}（{report['created_at']}）")
    print(f"来自：{source['office_name']}「{source['node_name']}」，密钥指纹 {source['fingerprint']}")
    if report["skipped_other_scope"]:
        print(f"其他村/社区的记录 {report['skipped_other_scope']} 条，本单位不接收，已跳过。")
    _print_counts(report)
    for note in report["notes"]:
        print(note)
    if args.dry_run:
        print("（试导入：以上是将会发生的变化，数据库没有任何更改）")
    else:
        print(f"已导入。导入前的数据已备份到 {report['backup']}")
        if sum(report["conflicts"].values()):
            print("有新的同步冲突，请用 sync conflicts 查看、sync resolve 处理。")
    return 0


def cmd_conflicts(args, lock) -> int:
    from civdesk.sync import conflicts

    open_existing(args, read_only=not args.reveal)
    views = conflicts.open_conflicts()
    if args.reveal:  # full personal values, for a role allowed to settle conflicts, audited
        actor = login(args)
        views = [conflicts.reveal(actor, v.id) if v.personal else v for v in views]
    if args.json:
        print_json([v.as_json() for v in views])
        return 0
    for view in views:
        print(f"[{view.id}] {view.table_label}「{view.record_label}」{view.field_label}")
        for choice in view.choices:
            mark = "（暂定）" if choice.winner else ""
            print(f"    {choice.value_id}  {choice.text}{mark}  — {choice.node_name} {choice.username} {choice.at}")
        if view.differs:
            print(f"    （{view.differs}）")
    print(f"共 {len(views)} 个未处理的冲突")
    return 0


def cmd_resolve(args, lock) -> int:
    from civdesk.sync import conflicts

    if (args.keep is None) == (args.value is None):
        raise UsageError("请用 --keep VALUE_ID 选择一个值，或用 --value 填写新值（二选一）。")
    open_existing(args, read_only=False)
    actor = login(args)
    conflicts.resolve(actor, args.conflict_id, keep=args.keep, value=args.value)
    print(f"冲突 {args.conflict_id} 已处理；处理结果会随下一个数据包同步到其他电脑。")
    return 0


def cmd_peers(args, lock) -> int:
    from civdesk.sync import exchange, peers

    open_existing(args, read_only=True)
    rows = [{"node_id": p.node_id, "node_name": p.node_name, "office": p.office_name, "kind": p.office_kind,
             "fingerprint": p.fingerprint, "trusted": p.trusted, "last_received": p.last_received,
             "last_sent": p.last_sent, "unacknowledged": exchange.pending_for(p)} for p in peers.all_peers()]
    me = peers.identity()
    if args.json:
        print_json({"self": {"node_id": me.node_id, "node_name": me.node_name, "office": me.office_name,
                              "fingerprint": me.fingerprint}, "peers": rows})
        return 0
    print(f"本机：{me.office_name}「{me.node_name}」 {me.node_id}  指纹 {me.fingerprint}")
    for row in rows:
        print(f"{row['node_id']}  {row['office']}「{row['node_name']}」  {'已信任' if row['trusted'] else '未信任'}  "
              f"指纹 {row['fingerprint']}  最近收到 {row['last_received'] or '—'}  最近发出 {row['last_sent'] or '—'}")
    return 0


def cmd_trust(args, lock) -> int:
    from civdesk.sync import peers

    open_existing(args, read_only=False)
    actor = login(args)
    peer = peers.find(args.node)
    peers.set_trusted(actor, peer.node_id, not args.revoke)
    print(f"已{'取消信任' if args.revoke else '信任'}电脑「{peer.node_name}」（指纹 {peer.fingerprint}）")
    return 0


def cmd_passphrase(args, lock) -> int:
    from civdesk.sync import passphrase

    open_existing(args, read_only=False)
    actor = login(args)
    old = read_secret("CIVDESK_SYNC_PASSPHRASE", "原同步口令")
    new = read_secret("CIVDESK_NEW_SYNC_PASSPHRASE", "新同步口令")
    passphrase.change(actor, old, new)
    print("同步口令已修改（已记入审计日志）。本单位其他每台电脑都要改成同一个新口令；"
          "旧口令加密的数据包本机仍可导入。")
    return 0


def add_commands(sub, acting: Parser) -> None:
    group = sub.add_parser("sync", help="U 盘同步：导出、导入数据包，处理冲突").add_subparsers(
        dest="sync_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    p = group.add_parser("export", parents=[acting], help="导出数据包（对方尚未确认收到的全部变更）")
    p.add_argument("--out", required=True, metavar="FILE|FOLDER", help="数据包文件，或放数据包的文件夹（如 U 盘）")
    p.add_argument("--to", metavar="NODE", help="接收电脑的节点编号或名称；不指定则导出完整数据包")
    p.add_argument("--full", action="store_true", help="导出全部变更，不论对方是否已确认")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export, writes=True)

    p = group.add_parser("import", parents=[acting], help="导入数据包（先检查，导入前自动备份）")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只检查并显示将发生的变化，不写入")
    p.add_argument("--json", action="store_true")
    p.add_argument("--trust-new", action="store_true", help="信任尚未信任过的来源电脑（仅管理员）")
    p.set_defaults(func=cmd_import, writes=True)

    p = group.add_parser("conflicts", parents=[acting], help="列出未处理的同步冲突")
    p.add_argument("--json", action="store_true")
    p.add_argument("--reveal", action="store_true", help="显示身份证号、电话的完整值（须有处理冲突的权限，记入审计日志）")
    p.set_defaults(func=cmd_conflicts, writes=False)

    p = group.add_parser("resolve", parents=[acting], help="处理一个冲突：保留其中一个值或填写新值")
    p.add_argument("conflict_id", metavar="CONFLICT_ID")
    p.add_argument("--keep", metavar="VALUE_ID", help="要保留的值的编号（见 sync conflicts）")
    p.add_argument("--value", help="填写新的值")
    p.set_defaults(func=cmd_resolve, writes=True)

    p = group.add_parser("peers", help="列出认识的电脑和它们的密钥指纹")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_peers, writes=False)

    p = group.add_parser("trust", parents=[acting], help="信任（或 --revoke 取消信任）一台认识的电脑")
    p.add_argument("node", metavar="NODE")
    p.add_argument("--revoke", action="store_true")
    p.set_defaults(func=cmd_trust, writes=True)

    p = group.add_parser("passphrase", parents=[acting],
                         help="修改本机的同步口令（系统管理员；原口令取自 CIVDESK_SYNC_PASSPHRASE，"
                              "新口令取自 CIVDESK_NEW_SYNC_PASSPHRASE，或依次从标准输入读取）")
    p.set_defaults(func=cmd_passphrase, writes=True)
