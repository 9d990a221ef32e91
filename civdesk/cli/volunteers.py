"""Command-line commands of the volunteer module: ``volunteer …`` and ``hours …``."""

from __future__ import annotations

import dataclasses
import json
import sys

from civdesk.cli.common import Parser, db_path, login, open_existing
from civdesk.volunteers import roster as volunteers


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


# --- Excel: import, export, templates --------------------------------------------------------


def _progress_printer():
    """Progress on stderr when a person watches; nothing when output goes to a file or script."""
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def progress(done: int, total: int, text: str) -> None:
        import time

        now = time.monotonic()
        if now - last[0] < 0.2 and done < total:
            return
        last[0] = now
        sys.stderr.write(f"\r{text}" + " " * 10)
        sys.stderr.flush()
    return progress


def _print_report(report, args) -> int:
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        if report.unknown_columns:
            print(f"注意：以下列无法识别，已忽略：{'、'.join(report.unknown_columns)}", file=sys.stderr)
    else:
        if sys.stderr.isatty():
            sys.stderr.write("\r" + " " * 40 + "\r")
        print(report.summary())
        if report.unknown_columns:
            print(f"以下列无法识别，已忽略：{'、'.join(report.unknown_columns)}")
        if report.errors:
            verb = "未导入" if report.written or report.dry_run else "需改正"
            print(f"有问题的行（共 {len(report.rejected_rows)} 行，{verb}）：")
            for e in report.errors:
                print(f"  第 {e.row} 行「{e.column}」：{e.message}")
    return 1 if report.errors else 0


def cmd_volunteer_import(args, lock) -> int:
    from civdesk.volunteers import roster_import as volunteer_import

    open_existing(args, read_only=False)
    actor = login(args)
    report = volunteer_import.run(args.file, actor, skip_invalid=args.skip_invalid, dry_run=args.dry_run,
                                  update_existing=args.update_existing, progress=_progress_printer())
    return _print_report(report, args)


def cmd_hours_import(args, lock) -> int:
    from civdesk.volunteers import hours_import

    open_existing(args, read_only=False)
    actor = login(args)
    report = hours_import.run(args.file, actor, skip_invalid=args.skip_invalid, dry_run=args.dry_run,
                              progress=_progress_printer())
    return _print_report(report, args)


def cmd_volunteer_export(args, lock) -> int:
    from civdesk.volunteers import sheets as volunteer_export

    open_existing(args, read_only=False)
    actor = login(args)
    flt = volunteers.VolunteerFilter(text=args.search or "", status="" if args.all else "active")
    count = volunteer_export.export_volunteers(actor, args.out, flt=flt, full_numbers=args.full_numbers,
                                               progress=_progress_printer())
    what = "含完整证件号码和手机号码，请妥善保管" if args.full_numbers else "证件号码和手机号码已隐去中间位"
    print(f"已导出 {count} 名志愿者到 {args.out}（{what}）")
    return 0


def _village_names(args) -> list[str]:
    """Village names for the template's instructions, when a database is at hand."""
    from civdesk.core import db
    from civdesk.core.errors import CivDeskError
    from civdesk.office import offices as office

    if not db_path(args).exists():
        return []
    try:
        open_existing(args, read_only=True)
        return [v.name for v in office.villages()]
    except CivDeskError:
        return []
    finally:
        db.close_database()


def cmd_volunteer_template(args, lock) -> int:
    from civdesk.volunteers import sheets as volunteer_export

    volunteer_export.volunteer_template(args.out, _village_names(args))
    print(f"已生成志愿者导入模板：{args.out}")
    return 0


def cmd_hours_template(args, lock) -> int:
    from civdesk.volunteers import sheets as volunteer_export

    volunteer_export.hours_template(args.out)
    print(f"已生成服务时长导入模板：{args.out}")
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

    p = group.add_parser("import", parents=[acting], help="从 Excel（.xlsx）导入志愿者")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--skip-invalid", action="store_true", help="只导入没有问题的行（默认有任何问题都不导入）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    p.add_argument("--update-existing", action="store_true", help="已登记的志愿者按表格更新填写了的信息")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=cmd_volunteer_import, writes=True)
    p = group.add_parser("export", parents=[acting], help="导出志愿者名单到 Excel（默认隐去证件号码和电话中间位）")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--full-numbers", action="store_true", help="导出完整证件号码和手机号码（记入审计日志）")
    p.add_argument("--search", help="按姓名、拼音首字母、证件或电话尾号筛选")
    p.add_argument("--all", action="store_true", help="包括已退出的志愿者")
    p.set_defaults(func=cmd_volunteer_export, writes=True)
    p = group.add_parser("template", help="生成志愿者导入模板")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_volunteer_template, writes=False)

    hours_group = sub.add_parser("hours", help="服务时长").add_subparsers(dest="hours_command", metavar="ACTION",
                                                                       parser_class=Parser)
    hours_group.required = True
    p = hours_group.add_parser("import", parents=[acting], help="从 Excel（.xlsx）导入服务时长（导入后待审核）")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--skip-invalid", action="store_true", help="只导入没有问题的行（默认有任何问题都不导入）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=cmd_hours_import, writes=True)
    p = hours_group.add_parser("template", help="生成服务时长导入模板")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_hours_template, writes=False)
