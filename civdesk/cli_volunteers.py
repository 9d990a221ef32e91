"""Command-line commands of the volunteer module: ``volunteer …`` and ``hours …``."""

from __future__ import annotations

import dataclasses
import json
import sys

from civdesk.cli import Parser, open_existing
from civdesk.services import volunteers


def cmd_volunteer_list(args, lock) -> int:
    open_existing(args, read_only=True)
    flt = volunteers.VolunteerFilter(text=args.search or "", status="" if args.all else "active")
    ids = volunteers.matching_ids(flt, sort="number")
    rows = []
    # Rows are read in blocks, as the list page does, so that 100,000 volunteers stay cheap.
    for start in range(0, len(ids), 500):
        block = ids[start:start + 500]
        found = volunteers.rows(block)
        rows.extend(dataclasses.asdict(found[i]) for i in block if i in found)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for row in rows:
            print(f"{row['number']}\t{row['name']}\t{row['sex']}\t{row['id_masked']}\t{row['village']}\t"
                  f"{row['hours']:g} 小时\t{row['status']}")
        print(f"共 {len(rows)} 名志愿者")
    return 0


def add_commands(sub, acting: Parser) -> None:
    group = sub.add_parser("volunteer", help="志愿者").add_subparsers(dest="volunteer_command", metavar="ACTION",
                                                                    parser_class=Parser)
    group.required = True
    p = group.add_parser("list", help="列出志愿者（证件号码和电话已隐去中间位）")
    p.add_argument("--json", action="store_true")
    p.add_argument("--search", help="按姓名、拼音首字母、证件或电话尾号筛选")
    p.add_argument("--all", action="store_true", help="包括已退出的志愿者")
    p.set_defaults(func=cmd_volunteer_list, writes=False)
