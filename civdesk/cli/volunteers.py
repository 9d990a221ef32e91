"""Command-line commands of the volunteer module: ``volunteer …`` and ``hours …`` (import, entry,
and review: a reviewer approves or returns what a clerk entered, never their own entries).

Service records are named by their id or its first 8 characters, as ``hours list`` shows them."""

from __future__ import annotations

import dataclasses
import sys

from civdesk.cli.common import Parser, date_arg, db_path, login, open_existing, pick_id, print_json
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
        print_json(rows)
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
        print_json(report.as_json())
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
    volunteer_import.roster_batch.require_import(actor, update_existing=args.update_existing)
    result = volunteer_import.preview(args.file, actor, _progress_printer(), update_existing=args.update_existing,
                                      mapping=_mapping(args))
    if result.file_errors and args.json:
        return _print_refusal(result)
    report = volunteer_import.apply(result, actor, skip_invalid=args.skip_invalid, dry_run=args.dry_run,
                                    progress=_progress_printer())
    return _print_report(report, args)


def cmd_hours_import(args, lock) -> int:
    from civdesk.volunteers import hours_import

    open_existing(args, read_only=False)
    actor = login(args)
    result = hours_import.preview(args.file, actor, _progress_printer(), mapping=_mapping(args))
    if result.file_errors and args.json:
        return _print_refusal(result)
    report = hours_import.apply(result, actor, skip_invalid=args.skip_invalid, dry_run=args.dry_run,
                                progress=_progress_printer())
    return _print_report(report, args)


def _mapping(args) -> dict[str, str | None] | None:
    """--map "列名=字段" (repeatable; 字段 may be 不导入)."""
    from civdesk.core.errors import CivDeskError

    out: dict[str, str | None] = {}
    for item in args.map or []:
        header, sep, field_name = item.partition("=")
        if not sep or not header.strip():
            raise CivDeskError(f"--map 的格式应为 \"列名=字段\"，如 \"注册时间=注册日期\"（收到「{item}」）。")
        out[header.strip()] = field_name.strip() or None
    return out or None


def _print_refusal(result) -> int:
    """--json when the file is refused as a whole: the reasons and every column's fate on stdout."""
    from civdesk.volunteers.import_sheet import refusal_json

    print_json(refusal_json(result))
    return 1


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


# --- hours: entry and review -----------------------------------------------------------------

_STATUS_CHOICES = ("pending", "approved", "rejected")


def cmd_hours_list(args, lock) -> int:
    from civdesk.volunteers import hours

    open_existing(args, read_only=True)
    status = "pending" if args.pending else (args.status or "")
    volunteer_id = volunteers.find(args.volunteer).id if args.volunteer else None
    found = hours.records(volunteer_id, status=status, date_from=date_arg(args.date_from, "起始日期"),
                          date_to=date_arg(args.date_to, "截止日期"), limit=args.limit)
    rows = [{**dataclasses.asdict(r), "short_id": r.id[:8], "status_label": hours.STATUS_LABELS[r.status]}
            for r in found]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        extra = f"\t退回原因：{row['reason']}" if row["reason"] else ""
        print(f"{row['short_id']}\t{row['service_date']}\t{row['volunteer_name']}\t{row['hours']:g} 小时\t"
              f"{row['activity'] or row['content'] or '—'}\t{row['status_label']}\t录入 {row['entered_by']}{extra}")
    print(f"共 {len(rows)} 条服务记录")
    return 0


def cmd_hours_add(args, lock) -> int:
    from civdesk.volunteers import hours, teams

    open_existing(args, read_only=False)
    actor = login(args)
    volunteer = volunteers.find(args.volunteer)
    activity = teams.find_activity(args.activity, date_arg(args.activity_date, "活动开始日期")) if args.activity else None
    record = hours.enter(actor, volunteer.id, args.date, args.hours, activity_id=activity.id if activity else None,
                         content=args.content or "")
    print(f"已录入 {volunteer.name} {record.service_date.isoformat()} {record.half_hours / 2:g} 小时（待审核），"
          f"记录编号 {record.id[:8]}")
    return 0


def _record_id(key: str) -> str:
    from civdesk.volunteers import hours

    return pick_id(key, "服务记录", "hours list", prefix=hours.ids_starting_with, min_chars=8)


def cmd_hours_approve(args, lock) -> int:
    from civdesk.volunteers import hours

    open_existing(args, read_only=False)
    actor = login(args)
    ids = list(dict.fromkeys(_record_id(key) for key in args.ids))
    count = hours.approve(actor, ids)
    print(f"已审核通过 {count} 条服务记录")
    return 0


def cmd_hours_reject(args, lock) -> int:
    from civdesk.volunteers import hours

    open_existing(args, read_only=False)
    actor = login(args)
    hours.reject(actor, _record_id(args.id), args.reason)
    print(f"已退回服务记录 {args.id}：{args.reason.strip()}")
    return 0


def cmd_volunteer_merge(args, lock) -> int:
    from civdesk.cli import merging
    from civdesk.volunteers import merges

    open_existing(args, read_only=args.dry_run and not args.reveal)
    actor = login(args)
    keep, other = (merging.record_id(key, merges, "志愿者", "volunteer duplicates") for key in (args.keep, args.other))
    preview = merges.preview(actor, keep, other, reveal=args.reveal)
    chosen = merging.choices(args.take, preview)
    if not args.dry_run:
        merges.merge(actor, keep, other, chosen)
    merging.show(args, preview, chosen, not args.dry_run, lambda side: f"{side.name}（编号 {side.number}）")
    return 0


def cmd_volunteer_duplicates(args, lock) -> int:
    from civdesk.cli import merging
    from civdesk.volunteers import merges

    return merging.list_pairs(args, merges, lambda r: f"{r['name']}\t{r['id_masked']}\t{r['numbers']}",
                              "共 {n} 对重复登记（volunteer merge 保留的编号 合并的编号）")


def _add_merge(group, acting: Parser) -> None:
    from civdesk.cli import merging

    p = group.add_parser("merge", parents=[acting], help=(
        "合并重复登记的同一个志愿者（审核人、系统管理员）：KEEP、OTHER 写志愿者编号或记录编号；"
        "服务记录、证明、队伍都归到 KEEP，OTHER 留作指向它的墓碑"))
    merging.add_arguments(p, "志愿者")
    p.set_defaults(func=cmd_volunteer_merge, writes=True)
    p = group.add_parser("duplicates", parents=[acting], help="列出重复登记（同一证件号码两条）的志愿者")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_volunteer_duplicates, writes=False)


def _add_hours_review(hours_group, acting: Parser) -> None:
    p = hours_group.add_parser("list", help="列出服务记录（新的在前）；--pending 只列待审核的")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--pending", action="store_true", help="只列待审核的记录")
    which.add_argument("--status", choices=_STATUS_CHOICES, help="只列这个状态：pending=待审核，approved=已审核，rejected=已退回")
    p.add_argument("--volunteer", metavar="ID_NUMBER_OR_VOLUNTEER_NUMBER", help="只列这名志愿者的记录")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="服务日期从这天起")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="服务日期到这天止")
    p.add_argument("--limit", type=int, help="最多列出多少条")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hours_list, writes=False)
    p = hours_group.add_parser("add", parents=[acting], help="录入一条服务时长（录入后待审核）")
    p.add_argument("volunteer", metavar="VOLUNTEER", help="证件号码或志愿者编号")
    p.add_argument("--date", required=True, metavar="DATE", help="服务日期，如 2026-03-05")
    p.add_argument("--hours", required=True, help="服务时长（小时，按 0.5 计），如 2 或 1.5")
    p.add_argument("--activity", metavar="NAME", help="所参加的志愿活动名称")
    p.add_argument("--activity-date", metavar="DATE", help="活动开始日期（有同名活动时必填）")
    p.add_argument("--content", help="服务内容（默认取活动的服务内容）")
    p.set_defaults(func=cmd_hours_add, writes=True)
    p = hours_group.add_parser("approve", parents=[acting], help="审核通过服务记录（审核人；不能审核自己录入的；全部通过或全部不通过）")
    p.add_argument("ids", nargs="+", metavar="ID", help="记录编号（hours list 中的前 8 位即可）")
    p.set_defaults(func=cmd_hours_approve, writes=True)
    p = hours_group.add_parser("reject", parents=[acting], help="退回一条服务记录并写明原因（审核人）")
    p.add_argument("id", metavar="ID", help="记录编号（hours list 中的前 8 位即可）")
    p.add_argument("--reason", required=True, help="退回原因，录入员据此更正")
    p.set_defaults(func=cmd_hours_reject, writes=True)


def add_commands(sub, acting: Parser) -> None:
    group = sub.add_parser("volunteer", help="志愿者").add_subparsers(dest="volunteer_command", metavar="ACTION",
                                                                    parser_class=Parser)
    group.required = True
    p = group.add_parser("list", help="列出志愿者（证件号码和电话已隐去中间位）")
    p.add_argument("--json", action="store_true")
    p.add_argument("--search", help="按姓名、拼音首字母、证件或电话尾号筛选")
    p.add_argument("--all", action="store_true", help="包括已退出的志愿者")
    p.set_defaults(func=cmd_volunteer_list, writes=False)
    _add_merge(group, acting)

    p = group.add_parser("import", parents=[acting], help="从 Excel（.xlsx）导入志愿者")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--skip-invalid", action="store_true", help="只导入没有问题的行（默认有任何问题都不导入）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    p.add_argument("--map", action="append", metavar="列名=字段",
                   help="指定某列导入为哪个字段，字段写「不导入」则忽略该列；可重复")
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
    p.add_argument("--map", action="append", metavar="列名=字段",
                   help="指定某列导入为哪个字段，字段写「不导入」则忽略该列；可重复")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=cmd_hours_import, writes=True)
    p = hours_group.add_parser("template", help="生成服务时长导入模板")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_hours_template, writes=False)
    _add_hours_review(hours_group, acting)
