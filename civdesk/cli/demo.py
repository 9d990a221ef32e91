"""Command-line commands that write demonstration data: ``demo`` and ``demo-pair``."""

from __future__ import annotations

from pathlib import Path

from civdesk.cli.common import Parser, db_path, login, open_existing
from civdesk.core.actor import require


def cmd_demo(args, lock) -> int:
    from civdesk import demo

    path = db_path(args)
    if not path.exists() or path.stat().st_size == 0:  # new: today's cached copy, or built once and cached
        from civdesk.demo import cache

        cache.create(path)
        print(f"已创建演示单位，管理员账号 admin，密码 {demo.DEMO_PASSWORD}")
        print(f"演示数据已写入 {path}")
        return 0
    open_existing(args, read_only=False)
    actor = login(args)
    require(actor, "load_demo")
    print("正在向已有数据库添加演示数据……")
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


def add_commands(sub, acting: Parser) -> None:
    p = sub.add_parser("demo", parents=[acting], help="写入演示数据")
    p.set_defaults(func=cmd_demo, writes=True)

    p = sub.add_parser("demo-pair", help="生成一对已同步过一次的演示数据库（镇、村各一个），用来试用U盘同步")
    p.add_argument("--out", required=True, metavar="FOLDER", help="放两个数据库的文件夹（township/ 和 village/）")
    p.set_defaults(func=cmd_demo_pair, writes=False)
