"""Command-line commands of 活动与阵地: ``activity-record …``, ``hall …``, ``placement …`` and the
``report festival-plan / activity-month / hall-register / minors`` PDFs.

``activity-record`` (not ``activity``, which the volunteers' commands use) adds and lists activity
records as JSON; volunteers who served are given as ``--volunteer 编号或证件号=小时``, and their
hours go to 志愿服务 awaiting a reviewer.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from civdesk.cli.common import Parser, UsageError, date_arg, login, open_existing, pick_id, print_json


def _rows(items) -> list[dict]:
    return [dataclasses.asdict(item) for item in items]


def _photos(paths: list[str] | None) -> list[tuple[str, bytes]]:
    from civdesk.activities import photos

    return [photos.read_file(Path(p).expanduser()) for p in paths or []]


def _volunteers(specs: list[str] | None) -> list[tuple[str, str]]:
    from civdesk.volunteers import roster

    served = []
    for spec in specs or []:
        key, sep, amount = spec.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--volunteer 应写成「志愿者编号=小时」，如 QXZ-0001=2.5，当前为「{spec}」")
        served.append((roster.find(key).id, amount))
    return served


def _village(text: str | None) -> str | None:
    from civdesk.activities import common

    return common.resolve_village(text) if text else None


# --- activity records -------------------------------------------------------------------------


def cmd_record_add(args, lock) -> int:
    from civdesk.activities import records

    open_existing(args, read_only=False)
    actor = login(args)
    values = {"kind": args.kind, "status": args.status, "title": args.title, "day": args.date,
              "festival": args.festival or "", "village_id": args.village, "place": args.place or "",
              "organiser": args.organiser or "", "participants": args.participants, "content": args.content or ""}
    row = records.create(actor, values, photo_files=_photos(args.photo), volunteers=_volunteers(args.volunteer))
    detail = records.detail(row.id)
    if args.json:
        print_json({**dataclasses.asdict(detail.row), "volunteer_services": _rows(detail.volunteers)})
    else:
        print(f"已登记：{detail.row.day} {detail.row.title}（{detail.row.kind_label}，{detail.row.status_label}），"
              f"照片 {detail.row.photo_count} 张，志愿者 {detail.row.volunteers} 人（时长待审核）")
    return 0


def cmd_record_list(args, lock) -> int:
    from civdesk.activities import records

    open_existing(args, read_only=True)
    rows = records.rows(date_arg(args.date_from, "起始日期"), date_arg(args.date_to, "截止日期"), kind=args.kind or "",
                        village_id=_village(args.village), festival=args.festival or "")
    if args.json:
        print_json(_rows(rows))
        return 0
    for r in rows:
        print(f"{r.day}\t{r.kind_label}\t{r.title}\t{r.status_label}\t{r.village or '全镇'}\t{r.participants} 人")
    print(f"共 {len(rows)} 项活动")
    return 0


def cmd_plan_festival(args, lock) -> int:
    from civdesk.activities import festival_plans, records

    open_existing(args, read_only=False)
    actor = login(args)
    row = festival_plans.plan_festival(actor, args.year, args.festival, village_id=_village(args.village),
                                       day=date_arg(args.date), place=args.place or "", organiser=args.organiser or "")
    detail = records.detail(row.id)
    if args.json:
        print_json(dataclasses.asdict(detail.row))
    else:
        print(f"已制定计划：{detail.row.day} {detail.row.title}")
    return 0


def cmd_record_export(args, lock) -> int:
    from civdesk.activities import sheets

    open_existing(args, read_only=False)
    actor = login(args)
    count = sheets.export_records(actor, Path(args.out).expanduser(), date_arg(args.date_from, "起始日期"),
                                  date_arg(args.date_to, "截止日期"), kind=args.kind or "")
    print(f"已导出 {count} 条活动记录到 {args.out}")
    return 0


# --- 道德讲堂 ---------------------------------------------------------------------------------


def cmd_hall_add(args, lock) -> int:
    from civdesk.activities import halls

    open_existing(args, read_only=False)
    actor = login(args)
    hall = halls.create_hall(actor, {"name": args.name, "kind": args.kind, "village_id": args.village,
                                     "address": args.address or ""})
    print(f"已添加道德讲堂：{hall.name}（{hall.kind}）")
    return 0


def cmd_hall_list(args, lock) -> int:
    from civdesk.activities import halls

    open_existing(args, read_only=True)
    rows = halls.halls(args.year)
    if args.json:
        print_json(_rows(rows))
    else:
        for h in rows:
            print(f"{h.name}\t{h.kind}\t{h.village or '镇'}\t今年 {h.sessions_this_year} 次\t最近 {h.last_session or '—'}")
    return 0


def cmd_hall_session(args, lock) -> int:
    from civdesk.activities import halls

    open_existing(args, read_only=False)
    actor = login(args)
    hall = halls.find_hall(args.hall)
    values = {"day": args.date, "participants": args.attendance, "story_kind": args.story_kind or "",
              "story_title": args.story_title or "", "storyteller": args.storyteller or "",
              "nominee_id": args.nominee}
    if args.title:
        values["title"] = args.title
    session = halls.add_session(actor, hall.id, values, photo_files=_photos(args.photo))
    row = next(s for s in halls.sessions(hall.id) if s.id == session.id)
    if args.json:
        print_json(dataclasses.asdict(row))
    else:
        print(f"已登记：{row.day} {row.title}，{row.attendance} 人参加")
    return 0


def cmd_hall_sessions(args, lock) -> int:
    from civdesk.activities import halls

    open_existing(args, read_only=True)
    rows = halls.sessions(halls.find_hall(args.hall).id if args.hall else None, args.year)
    if args.json:
        print_json(_rows(rows))
    else:
        for s in rows:
            print(f"{s.day}\t{s.hall}\t{s.story_title or s.title}\t{s.attendance} 人")
        print(f"共 {len(rows)} 次活动")
    return 0


# --- 公益广告 ---------------------------------------------------------------------------------


def cmd_placement_add(args, lock) -> int:
    from civdesk.activities import placements

    open_existing(args, read_only=False)
    actor = login(args)
    row = placements.create(actor, {"village_id": args.village, "location_type": args.type, "place": args.place,
                                    "theme": args.theme, "size": args.size or "", "put_up": args.date},
                            photo_files=_photos(args.photo))
    print(json.dumps({"id": row.id, "place": row.place, "theme": row.theme}, ensure_ascii=False) if args.json
          else f"已登记公益广告：{row.place}（{row.location_type}）{row.theme}")
    return 0


def cmd_placement_list(args, lock) -> int:
    from civdesk.activities import placements

    open_existing(args, read_only=True)
    if args.counts:
        rows = placements.counts()
        if args.json:
            print_json(_rows(rows))
        else:
            for c in rows:
                print(f"{c.village}\t" + "\t".join(f"{k} {v}" for k, v in c.by_type.items()) + f"\t合计 {c.total}")
        return 0
    rows = placements.placements(_village(args.village), args.type or "")
    if args.json:
        print_json(_rows(rows))
    else:
        for p in rows:
            print(f"{p.id[:8]}\t{p.village or '镇'}\t{p.location_type}\t{p.place}\t{p.theme}\t{p.state}")
    return 0


def cmd_placement_inspect(args, lock) -> int:
    from civdesk.activities import placements

    open_existing(args, read_only=False)
    actor = login(args)
    found = pick_id(args.id, "公益广告", "placement list", prefix=lambda key: [
        p.id for p in placements.placements(include_removed=True) if p.id.startswith(key)])
    placements.inspect(actor, found, args.state, date_arg(args.date, "检查日期"), args.note or "")
    row = placements.get(found)
    print(f"已记录检查：{row.place} {row.state}（{row.inspected_on}）")
    return 0


def add_commands(sub, acting: Parser, report) -> None:
    from civdesk.cli import activity_reports

    _record_commands(sub, acting)
    _hall_commands(sub, acting)
    _placement_commands(sub, acting)
    activity_reports.add_reports(report, acting)


def _record_commands(sub, acting: Parser) -> None:
    from civdesk.activities.terms import KINDS, STATUSES

    group = sub.add_parser("activity-record", help="活动记录：我们的节日、道德讲堂、三美、未成年人、志愿服务").add_subparsers(
        dest="record_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    p = group.add_parser("add", parents=[acting], help="登记一项活动（志愿者时长进入志愿服务，待审核）")
    p.add_argument("--kind", required=True, choices=[*KINDS.values(), *KINDS], help="活动类型")
    p.add_argument("--title", required=True, help="活动名称")
    p.add_argument("--date", required=True, help="活动日期，如 2026-10-29")
    p.add_argument("--status", default="held", choices=[*STATUSES, *STATUSES.values()], help="默认：已开展")
    p.add_argument("--festival", help="节日活动的节日，如 重阳")
    p.add_argument("--village", help="所属村/社区（名称或编号；村电脑上总是本村）")
    p.add_argument("--place")
    p.add_argument("--organiser", help="组织单位")
    p.add_argument("--participants", default="0", help="参与人数（≥ 0）")
    p.add_argument("--content", help="活动内容")
    p.add_argument("--photo", action="append", metavar="FILE", help="照片（JPG 或 PNG，可多次）")
    p.add_argument("--volunteer", action="append", metavar="编号=小时", help="服务的志愿者及时长，可多次")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_record_add, writes=True)
    p = group.add_parser("list", help="列出活动记录")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--kind", help="只列这一类型：" + "、".join(KINDS.values()))
    p.add_argument("--festival")
    p.add_argument("--village")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_record_list, writes=False)
    p = group.add_parser("plan-festival", parents=[acting], help="按模板为一个节日制定活动计划（一步完成）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--festival", required=True, help="除夕、春节、元宵、清明、端午、七夕、中秋、重阳、烈士纪念日、国家公祭日")
    p.add_argument("--date", help="活动日期（默认节日当天）")
    p.add_argument("--village")
    p.add_argument("--place")
    p.add_argument("--organiser")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_festival, writes=True)
    p = group.add_parser("export", parents=[acting], help="把活动记录导出为 Excel")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--kind")
    p.set_defaults(func=cmd_record_export, writes=True)


def _hall_commands(sub, acting: Parser) -> None:
    from civdesk.activities.terms import HALL_KINDS, STORY_KINDS

    group = sub.add_parser("hall", help="道德讲堂：总堂、分堂和每次活动").add_subparsers(
        dest="hall_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    p = group.add_parser("add", parents=[acting], help="添加讲堂")
    p.add_argument("name")
    p.add_argument("--kind", required=True, choices=HALL_KINDS)
    p.add_argument("--village")
    p.add_argument("--address")
    p.set_defaults(func=cmd_hall_add, writes=True)
    p = group.add_parser("list", help="列出讲堂和今年的活动次数")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hall_list, writes=False)
    p = group.add_parser("session", parents=[acting], help="登记一次道德讲堂活动（默认五个环节）")
    p.add_argument("--hall", required=True, help="讲堂名称")
    p.add_argument("--date", required=True)
    p.add_argument("--attendance", required=True, help="参加人数")
    p.add_argument("--title")
    p.add_argument("--story-title")
    p.add_argument("--story-kind", choices=STORY_KINDS)
    p.add_argument("--storyteller")
    p.add_argument("--nominee", metavar="ID", help="讲的是好人评选中的这位被推荐人")
    p.add_argument("--photo", action="append", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hall_session, writes=True)
    p = group.add_parser("sessions", help="列出道德讲堂活动")
    p.add_argument("--hall")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hall_sessions, writes=False)


def _placement_commands(sub, acting: Parser) -> None:
    from civdesk.activities.terms import LOCATION_TYPES, PLACEMENT_STATES

    group = sub.add_parser("placement", help="公益广告：设置位置、检查状况、按村和类型统计").add_subparsers(
        dest="placement_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    p = group.add_parser("add", parents=[acting], help="登记一处公益广告")
    p.add_argument("--type", required=True, choices=LOCATION_TYPES, help="位置类型")
    p.add_argument("--place", required=True)
    p.add_argument("--theme", required=True)
    p.add_argument("--date", required=True, help="设置日期")
    p.add_argument("--size")
    p.add_argument("--village")
    p.add_argument("--photo", action="append", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_placement_add, writes=True)
    p = group.add_parser("list", help="列出公益广告（--counts：按村和位置类型统计）")
    p.add_argument("--counts", action="store_true")
    p.add_argument("--type", choices=LOCATION_TYPES)
    p.add_argument("--village")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_placement_list, writes=False)
    p = group.add_parser("inspect", parents=[acting], help="记录一次检查的状况")
    p.add_argument("id", metavar="ID", help="编号（placement list 中的前 8 位即可）")
    p.add_argument("--state", required=True, choices=PLACEMENT_STATES)
    p.add_argument("--date")
    p.add_argument("--note")
    p.set_defaults(func=cmd_placement_inspect, writes=True)
