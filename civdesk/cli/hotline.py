"""Command-line commands of 热线工单: ``hotline …`` and ``report hotline-month``.

Tickets are named by their number (``QXZ-RX-2026-0001``). Every step takes ``--at`` (default now;
never in the future) so that a ticket handled on paper can be entered afterwards with its real times.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from civdesk.cli.common import Parser, date_arg, login, open_existing, print_json
from civdesk.core.errors import CivDeskError
from civdesk.hotline.terms import CHANNELS, KINDS, STATES, VISIT_RESULTS


def _ticket(number: str):
    from civdesk.hotline import tickets

    return tickets.by_number(number)


def _write(args):
    open_existing(args, read_only=False)
    return login(args)


def cmd_add(args, lock) -> int:
    from civdesk.hotline import files, tickets

    actor = _write(args)
    attachments = [files.read(path) for path in args.attachment or []]
    values = {"received_at": args.received, "channel": args.channel, "caller_name": args.caller_name or "",
              "caller_phone": args.caller_phone or "", "address": args.address or "", "village_id": args.village or "",
              "kind": args.kind, "category": args.category, "content": args.content, "urgent": args.urgent}
    row = tickets.receive(actor, values, attachments=attachments)
    hints = tickets.possible_duplicates(row.caller_phone, row.address, row.category, row.received_at,
                                        exclude_id=row.id)
    if args.json:
        print_json({"id": row.id, "number": row.number, "possible_duplicates": [h.__dict__ for h in hints]})
        return 0
    print(f"已受理工单 {row.number}")
    for hint in hints:
        print(f"疑似重复（{hint.reason}）：{hint.number}\t{hint.received_at}\t{hint.category}\t{hint.state}\t{hint.summary}")
    return 0


def _done(row, what: str) -> int:
    from civdesk.hotline import terms

    print(f"工单 {row.number} 已{what}，现在是「{terms.STATES[row.state]}」")
    return 0


def cmd_dispatch(args, lock) -> int:
    from civdesk.hotline import deadlines, flow

    actor = _write(args)
    row = flow.dispatch(actor, _ticket(args.number).id, department=args.department or "", note=args.note or "",
                        at=args.at)
    print(f"签收期限 {row.sign_due}，办理期限 {row.handle_due}")
    warning = deadlines.calendar_warning(row.sign_due, row.handle_due)
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
    return _done(row, "派单")


def cmd_sign(args, lock) -> int:
    from civdesk.hotline import flow

    return _done(flow.sign(_write(args), _ticket(args.number).id, note=args.note or "", at=args.at), "签收")


def cmd_note(args, lock) -> int:
    from civdesk.hotline import files, flow

    actor = _write(args)
    photos = [files.read(path) for path in args.photo or []]
    return _done(flow.add_note(actor, _ticket(args.number).id, args.text, photos=photos, at=args.at), "记录办理情况")


def cmd_reply(args, lock) -> int:
    from civdesk.hotline import flow

    return _done(flow.reply(_write(args), _ticket(args.number).id, args.text, at=args.at), "答复")


def cmd_visit(args, lock) -> int:
    from civdesk.hotline import flow

    row = flow.visit(_write(args), _ticket(args.number).id, args.result, note=args.note or "",
                     handling_at_fault=args.redo, at=args.at)
    return _done(row, "回访")


def cmd_close(args, lock) -> int:
    from civdesk.hotline import flow

    return _done(flow.close(_write(args), _ticket(args.number).id, note=args.note or "", at=args.at), "办结")


def cmd_return(args, lock) -> int:
    from civdesk.hotline import flow

    return _done(flow.return_ticket(_write(args), _ticket(args.number).id, args.reason, at=args.at), "退单")


def cmd_extend(args, lock) -> int:
    from civdesk.hotline import flow

    actor = _write(args)
    row = flow.request_extension(actor, _ticket(args.number).id, args.days, args.reason, at=args.at)
    print(f"已申请延期 {row.days} 个工作日（{row.old_due} → {row.new_due}），等待审批")
    return 0


def cmd_approve(args, lock) -> int:
    from civdesk.hotline import flow

    actor = _write(args)
    ticket = _ticket(args.number)
    pending = next((x for x in flow.pending_extensions() if x.ticket_id == ticket.id), None)
    if pending is None:
        raise CivDeskError(f"工单 {ticket.number} 没有待审批的延期申请。")
    row = flow.decide_extension(actor, pending.id, not args.reject, note=args.note or "", at=args.at)
    print(f"工单 {ticket.number} 的延期申请{'已批准，新的办理期限 ' + str(row.new_due) if row.state == 'approved' else '未批准'}")
    return 0


def cmd_merge(args, lock) -> int:
    from civdesk.hotline import tickets

    actor = _write(args)
    keep, other = _ticket(args.keep), _ticket(args.other)
    tickets.merge(actor, keep.id, other.id, args.reason or "", at=args.at)
    print(f"已把工单 {other.number} 合并到 {keep.number}（两个编号都保留，按 {keep.number} 继续办理）")
    return 0


def cmd_list(args, lock) -> int:
    from civdesk.hotline import board

    open_existing(args, read_only=True)
    rows = board.rows(as_of=date_arg(args.as_of), state=args.state, month=args.month)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        due = f"{r.due_label} {r.due}" if r.due else ""
        flag = "　".join(x for x in (r.colour_label, r.escalation_label) if x)
        print(f"{r.number}\t{r.received_at}\t{r.village or '镇级'}\t{r.category}{r.kind}\t{r.state_label}\t{due}\t{flag}")
    print(f"共 {len(rows)} 件")
    return 0


def cmd_show(args, lock) -> int:
    from civdesk.hotline import board

    open_existing(args, read_only=True)
    found = board.detail(_ticket(args.number).id, date_arg(args.as_of))
    value = {**found.__dict__, "row": found.row.as_json(), "events": [e.__dict__ for e in found.events],
             "extensions": [x.__dict__ for x in found.extensions],
             "attachments": [f.__dict__ for f in found.attachments]}
    print_json(value)
    return 0


def cmd_duplicates(args, lock) -> int:
    from civdesk.hotline import tickets

    open_existing(args, read_only=True)
    hints = tickets.possible_duplicates(args.phone or "", args.address or "", args.category or "", args.received)
    if args.json:
        print_json([h.__dict__ for h in hints])
        return 0
    for h in hints:
        print(f"{h.number}\t{h.received_at}\t{h.reason}\t{h.category}\t{h.state}\t{h.summary}")
    print(f"疑似重复 {len(hints)} 件")
    return 0


def cmd_caller(args, lock) -> int:
    from civdesk.hotline import tickets

    actor = _write(args)
    found = tickets.caller(actor, _ticket(args.number).id)
    print(f"来电人：{found.name or '（未留姓名）'}\t电话：{found.phone or '（未留电话）'}")
    return 0


def cmd_hot(args, lock) -> int:
    from civdesk.hotline import hot

    open_existing(args, read_only=True)
    found = hot.hot_issues(args.month or dt.date.today())
    if args.json:
        print_json([{**h.__dict__, "closed": h.closed} for h in found])
        return 0
    for h in found:
        state = f"已于 {h.meeting_date} 召开现场办公会" if h.closed else "未召开现场办公会"
        print(f"{h.month}\t{h.village}\t{h.category}\t{h.count} 件\t{state}\t{'、'.join(h.numbers)}")
    print(f"热点问题 {len(found)} 个")
    return 0


def _task(text: str):
    from civdesk.hotline import hot

    parts = [p.strip() for p in text.replace("｜", "|").split("|")]
    if len(parts) != 3:
        raise CivDeskError(f"任务应写成「任务|责任人|完成期限」，如「增设垃圾桶|村主任刘强|2026-11-30」（填写的是「{text}」）")
    return hot.TaskInput(*parts)


def cmd_meeting(args, lock) -> int:
    from civdesk.hotline import hot
    from civdesk.office import offices

    actor = _write(args)
    village = {v.name: v.id for v in offices.villages()}.get(args.village)
    if village is None:
        raise CivDeskError(f"没有名为「{args.village}」的村/社区。")
    meeting = hot.record_meeting(actor, args.month, village, args.category, held_on=args.date, place=args.place,
                                 attendees=args.attendees, tasks=[_task(t) for t in args.task or []],
                                 summary=args.summary or "")
    print(f"已登记 {meeting.held_on} 现场办公会（{args.village}{args.category}），关联 "
          f"{len(json.loads(meeting.ticket_ids))} 件工单，热点问题已闭环")
    return 0


def cmd_export(args, lock) -> int:
    from civdesk.hotline import report

    actor = _write(args)
    count = report.month_xlsx(actor, Path(args.out).expanduser(), args.month, as_of=date_arg(args.as_of))
    print(f"已导出 {count} 件工单到 {args.out}（来电人姓名和电话已隐去部分内容）")
    return 0


def cmd_report_month(args, lock) -> int:
    from civdesk.hotline import report

    actor = _write(args)
    out = Path(args.out).expanduser()
    pages = report.month_pdf(out, args.month, actor=actor, as_of=date_arg(args.as_of))
    print(f"已生成热线工单月度通报：{out}（{pages} 页）")
    return 0


def _steps(group, acting: Parser) -> None:
    at_help = "这一步的时间，如 2026-11-03 09:30（默认现在；不能晚于现在）"

    def step(name: str, func, help_text: str):
        p = group.add_parser(name, parents=[acting], help=help_text)
        p.add_argument("number", metavar="NUMBER", help="工单编号，如 QXZ-RX-2026-0001")
        p.add_argument("--at", metavar="DATETIME", help=at_help)
        p.set_defaults(func=func, writes=True)
        return p

    step("dispatch", cmd_dispatch, "派单：派给工单所属村/社区，或用 --department 派给部门").add_argument(
        "--department", help="承办部门名称，须在承办单位名单中（设置 hotline.departments）；不填则派给所属村/社区")
    group.choices["dispatch"].add_argument("--note", help="派单说明")
    step("sign", cmd_sign, "签收（派单后 1 个工作日内）").add_argument("--note")
    p = step("note", cmd_note, "记录办理情况（可附现场照片）")
    p.add_argument("text", metavar="TEXT", help="办理情况")
    p.add_argument("--photo", action="append", metavar="FILE", help="照片（JPG、PNG 或 PDF，可重复）")
    step("reply", cmd_reply, "答复来电人（签收后）").add_argument("text", metavar="TEXT", help="答复内容")
    p = step("visit", cmd_visit, "回访：满意、基本满意或不满意；不满意且因办理原因时加 --redo 重办")
    p.add_argument("--result", required=True, choices=VISIT_RESULTS)
    p.add_argument("--note", help="回访情况")
    p.add_argument("--redo", action="store_true", help="不满意是办理不到位造成的：重办，重新计算办理期限")
    step("close", cmd_close, "办结（回访后）").add_argument("--note")
    step("return", cmd_return, "退单：不属于本单位办理，退回镇文明办").add_argument("--reason", required=True)
    p = step("extend", cmd_extend, "申请延期（办理期限之前）")
    p.add_argument("--days", required=True, type=int, help="延长的工作日数")
    p.add_argument("--reason", required=True, help="延期理由")
    p = step("approve-extension", cmd_approve, "审批工单的延期申请（审核人）")
    p.add_argument("--reject", action="store_true", help="不批准")
    p.add_argument("--note", help="审批意见")


def _receive(group, acting: Parser) -> None:
    p = group.add_parser("add", parents=[acting], help="受理一件工单（来电人电话会校验）")
    p.add_argument("--received", required=True, metavar="DATETIME", help="受理时间，如 2026-11-03 09:30")
    p.add_argument("--channel", default="来电", choices=CHANNELS, help="来源渠道")
    p.add_argument("--caller-name", help="来电人姓名（保密）")
    p.add_argument("--caller-phone", help="来电人电话（保密；手机或座机）")
    p.add_argument("--address", help="问题发生的地址")
    p.add_argument("--village", help="所属村/社区名称（镇级问题不填）")
    p.add_argument("--kind", required=True, choices=KINDS, help="工单类型")
    p.add_argument("--category", required=True, help="类别（见设置：环境卫生、占道经营……）")
    p.add_argument("--content", required=True, help="诉求内容")
    p.add_argument("--urgent", action="store_true", help="紧急：当天办结")
    p.add_argument("--attachment", action="append", metavar="FILE", help="附件：来信扫描件或照片（JPG、PNG 或 PDF，可重复）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add, writes=True)
    p = group.add_parser("merge", parents=[acting], help="把重复工单 OTHER 合并到 KEEP（两个编号都保留）")
    p.add_argument("keep", metavar="KEEP")
    p.add_argument("other", metavar="OTHER")
    p.add_argument("--reason")
    p.add_argument("--at", metavar="DATETIME")
    p.set_defaults(func=cmd_merge, writes=True)
    p = group.add_parser("duplicates", help="查找疑似重复工单（同一电话，或同一地址同一类别）")
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--category")
    p.add_argument("--received", metavar="DATETIME", help="以这个时间为准（默认现在）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_duplicates, writes=False)


def _views(group, acting: Parser) -> None:
    p = group.add_parser("list", help="列出工单：状态、期限和颜色（正常、临期、逾期）")
    p.add_argument("--as-of", metavar="DATE", help="按这一天计算期限颜色（默认今天）")
    p.add_argument("--state", choices=STATES, help="只列这个状态")
    p.add_argument("--month", metavar="YYYY-MM", help="只列这个月受理的")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list, writes=False)
    p = group.add_parser("show", help="一件工单的详情和流转记录（JSON；来电人已隐去部分内容）")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--as-of", metavar="DATE")
    p.set_defaults(func=cmd_show, writes=False)
    p = group.add_parser("caller", parents=[acting], help="查看来电人完整姓名和电话（需要权限；会记入审计日志）")
    p.add_argument("number", metavar="NUMBER")
    p.set_defaults(func=cmd_caller, writes=True)
    p = group.add_parser("hot", help="某月的热点问题（同一村/社区同一类别达到设定件数）")
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_hot, writes=False)
    p = group.add_parser("meeting", parents=[acting], help="登记热点问题的现场办公会（关联工单，闭环）")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="热点问题所在月份")
    p.add_argument("--village", required=True, help="村/社区名称")
    p.add_argument("--category", required=True)
    p.add_argument("--date", required=True, help="会议日期")
    p.add_argument("--place", required=True)
    p.add_argument("--attendees", required=True, help="参加人员")
    p.add_argument("--task", action="append", metavar="任务|责任人|期限", help="会议决定的任务（可重复）")
    p.add_argument("--summary", help="会议纪要")
    p.set_defaults(func=cmd_meeting, writes=True)
    p = group.add_parser("export", parents=[acting], help="把某月的工单导出为 Excel（来电人已隐去部分内容）")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--as-of", metavar="DATE")
    p.set_defaults(func=cmd_export, writes=True)


def add_commands(sub, acting: Parser, report) -> None:
    group = sub.add_parser("hotline", help="热线工单：受理、派单、签收、办理、答复、回访、办结").add_subparsers(
        dest="hotline_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    _receive(group, acting)
    _steps(group, acting)
    _views(group, acting)
    p = report.add_parser("hotline-month", parents=[acting], help="热线工单月度通报（受理、签收、办结、满意率、逾期、热点）")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.add_argument("--as-of", metavar="DATE", help="统计截至这一天（默认该月最后一天或今天）")
    p.set_defaults(func=cmd_report_month, writes=True)
