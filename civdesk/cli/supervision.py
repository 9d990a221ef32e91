"""Command-line commands of 督查与整改: ``supervision …`` and ``report rectification-notice`` /
``report supervision-summary``.

Notices are named by their 文号, their id or its first 6+ characters (``supervision notices``
shows them). After every write by a reviewer the sanitation 一票否决 of overdue notices is
raised (``supervision sweep`` does only that).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import asdict
from pathlib import Path

from civdesk.cli.common import Parser, date_arg, login, open_existing, pick_id, print_json
from civdesk.core.errors import CivDeskError


def _sweep(actor) -> int:
    from civdesk.supervision import sanitation

    made = sanitation.sweep(actor)
    if made:
        print(f"已对 {made} 份创建申报提请「环境卫生长效管理不达标」一票否决（卫生类整改逾期）。", file=sys.stderr)
    return made


def _notice(text: str):
    """A notice by its 文号, its id or the id's first 6 or more characters (``supervision notices``)."""
    from civdesk.supervision import rectification

    return rectification.get(pick_id(text, "整改通知书", "supervision notices", exact=rectification.ids_numbered,
                                     prefix=rectification.ids_starting_with, named_by="文号或编号"))


def _target(args) -> dict:
    if sum(bool(x) for x in (args.org, args.holder, args.place)) != 1:
        raise CivDeskError("请用 --org、--holder 或 --place 中的一个指定对象。")
    kind = "org" if args.org else "holder" if args.holder else "place"
    return {"target_kind": kind, "org": args.org, "holder": args.holder, "place": args.place or "",
            "village": args.village}


def cmd_inspect(args, lock) -> int:
    from civdesk.supervision import inspections

    open_existing(args, read_only=False)
    actor = login(args)
    findings = [inspections.FindingInput(text, "", list(args.photo or []) if number == 0 else [],
                                         (args.placement or "") if number == 0 else "",
                                         (args.placement_state or "") if number == 0 else "")
                for number, text in enumerate(args.finding or [])]
    if (args.photo or args.placement) and not findings:
        raise CivDeskError("照片和公益广告要附在问题上：请用 --finding 写明问题。")
    row = inspections.record(actor, {**_target(args), "day": args.date or dt.date.today(), "mechanism": args.mechanism,
                                     "inspectors": args.inspectors, "location": args.location or "",
                                     "round_id": args.round, "note": args.note or "",
                                     "checklist": _checklist(args.check)}, findings)
    found = inspections.findings_of([row.id])
    if args.json:
        print_json({"id": row.id, "kind": row.kind, "findings": [{"id": f.id, "description": f.description}
                                                                   for f in found]})
    else:
        print(f"已登记{row.kind}记录 {row.id[:8]}，发现问题 {len(found)} 个：")
        for f in found:
            print(f"  {f.id}\t{f.description}")
    _sweep(actor)
    return 0


def cmd_issue(args, lock) -> int:
    from civdesk.supervision import rectification

    open_existing(args, read_only=False)
    actor = login(args)
    values = {**_target(args), "findings": args.finding_id or [], "mechanism": args.mechanism or "",
              "problems": args.problems or "", "requirements": args.requirements, "responsible": args.responsible,
              "served_date": args.served or dt.date.today(), "days": args.days, "deadline": args.deadline}
    notice = rectification.issue(actor, values)
    row = rectification.row(notice)
    if args.json:
        print_json(_notice_json(row))
    else:
        print(f"已下发 {notice.number}（{notice.id[:8]}）：{notice.target_name}，整改期限 {notice.deadline}")
    if row.warning:
        print(f"注意：{row.warning}", file=sys.stderr)
    _sweep(actor)
    return 0


def _notice_json(row) -> dict:
    out = asdict(row)
    for key in ("served_date", "deadline"):
        out[key] = out[key].isoformat()
    return out


def cmd_notices(args, lock) -> int:
    from civdesk.supervision import common, rectification

    open_existing(args, read_only=True)
    as_of = date_arg(args.as_of, "查询日期") or dt.date.today()
    village = None
    if args.village:
        errors: dict = {}
        village = common.resolve_village(args.village, errors)
        common.raise_if(errors)
    rows = rectification.notices(as_of, state=args.state, village_id=village)
    if args.json:
        print_json([_notice_json(r) for r in rows])
        return 0
    for r in rows:
        extra = f"逾期 {r.overdue_workdays} 个工作日" if r.state == "overdue" else (
            f"剩 {r.workdays_left} 个工作日" if r.state in ("pending", "failed") else "")
        print(f"{r.short_id}\t{r.number}\t{r.village_name}\t{r.target_name}\t{r.mechanism}\t{r.state_label}\t"
              f"期限 {r.deadline}\t{extra}")
    print(f"截至 {as_of} 共 {len(rows)} 份整改通知书")
    return 0


def cmd_rectify(args, lock) -> int:
    from civdesk.supervision import rectification

    open_existing(args, read_only=False)
    actor = login(args)
    notice = _notice(args.notice)
    rectification.report(actor, notice.id, args.date or dt.date.today(), args.text, list(args.photo or []),
                         pairs=_pairs(args))
    print(f"已登记 {notice.number} 的整改情况，等待复查。")
    _sweep(actor)
    return 0


def cmd_review(args, lock) -> int:
    from civdesk.supervision import rectification

    open_existing(args, read_only=False)
    actor = login(args)
    notice = _notice(args.notice)
    rectification.review(actor, notice.id, args.date or dt.date.today(), args.passed, args.text, days=args.days,
                         deadline=args.deadline, photo_paths=list(args.photo or []), pairs=_pairs(args))
    again = rectification.get(notice.id)
    print(f"{again.number} 复查通过，已销号。" if args.passed else
          f"{again.number} 复查未通过，重新限期至 {again.deadline}。")
    _sweep(actor)
    return 0


NO_PAIR = ("无", "-", "none")


def _pairs(args) -> list[str | None]:
    """--pair in the order of --photo: the 整改前 photo each answers ("无" for none)."""
    given = list(args.pair or [])
    if len(given) > len(args.photo or []):
        raise CivDeskError(f"--pair 有 {len(given)} 个，但 --photo 只有 {len(args.photo or [])} 张；每张照片最多对应一个 --pair")
    return [None if p.strip() in NO_PAIR else p.strip() for p in given]


def cmd_pairs(args, lock) -> int:
    from civdesk.supervision import pairs

    open_existing(args, read_only=True)
    login(args)
    view = pairs.view(_notice(args.notice).id)
    if args.json:
        print_json({"before": [asdict(c) for c in view.choices],
                     "pairs": [{"before_id": b.id, "after_id": a.id, "after_file": a.file_name} for b, a in view.pairs],
                     "unpaired_before": [b.id for b in view.unpaired_before],
                     "unpaired_after": [{"id": a.id, "file": a.file_name} for a in view.unpaired_after]})
        return 0
    labels = {c.id: c.label for c in view.choices}
    for before, after in view.pairs:
        print(f"{labels.get(before.id, before.file_name)}\t→\t{after.file_name}\t{after.id}")
    for after in view.unpaired_after:
        print(f"（未配对）\t→\t{after.file_name}\t{after.id}")
    for before in view.unpaired_before:
        print(f"{labels.get(before.id, before.file_name)}\t→\t（还没有整改后照片）\t{before.id}")
    return 0


def cmd_pair(args, lock) -> int:
    from civdesk.supervision import pairs

    open_existing(args, read_only=False)
    actor = login(args)
    notice = _notice(args.notice)
    before = None if args.before.strip() in NO_PAIR else args.before.strip()
    written = pairs.set_pairs(actor, notice.id, {args.after.strip(): before})
    print(f"已保存 {notice.number} 的照片配对。" if written else "照片配对没有改动。")
    return 0


def cmd_sweep(args, lock) -> int:
    from civdesk.supervision import sanitation

    open_existing(args, read_only=False)
    actor = login(args)
    made = sanitation.sweep(actor, date_arg(args.as_of, "查询日期"))
    print(f"提请一票否决 {made} 份创建申报。")
    return 0


def cmd_rounds(args, lock) -> int:
    from civdesk.supervision import plans

    open_existing(args, read_only=True)
    as_of = date_arg(args.as_of, "查询日期") or dt.date.today()
    rows = plans.due_soon(as_of, days=args.within)
    if args.json:
        print_json([asdict(o) for o in rows])
        return 0
    labels = {"open": "待督查", "missed": "未按期督查", "held": "已督查"}
    for o in rows:
        print(f"{o.due}\t{o.round_name}\t{o.period}\t{o.village_name}\t{labels[o.state]}")
    print(f"截至 {as_of} 待督查 {len(rows)} 期")
    return 0


def cmd_holders(args, lock) -> int:
    from civdesk.supervision import holders

    open_existing(args, read_only=True)
    rows = holders.rows(args.search or "")
    if args.json:
        print_json([asdict(r) for r in rows])
        return 0
    for r in rows:
        score = "—" if r.score is None else str(r.score)
        print(f"{r.name}\t{r.kind}\t{r.village_name}\t{r.address}\t{r.responsible}\t{r.phone_masked}\t"
              f"督查 {r.inspections} 次\t得分 {score}")
    print(f"共 {len(rows)} 户")
    return 0


def cmd_holder_add(args, lock) -> int:
    from civdesk.supervision import holders

    open_existing(args, read_only=False)
    actor = login(args)
    row = holders.add(actor, {"name": args.name, "kind": args.kind, "village": args.village, "address": args.address,
                              "responsible": args.responsible, "phone": args.phone or "",
                              "signed_date": args.signed or ""})
    print(f"已登记门前三包责任户「{row.name}」（{row.id}）")
    return 0


def cmd_round_add(args, lock) -> int:
    from civdesk.supervision import plans

    open_existing(args, read_only=False)
    actor = login(args)
    area = None
    if args.area:
        area = pick_id(args.area, "督查片区", "supervision area-add 添加的片区", named_by="名称或编号",
                       exact=lambda text: [a.id for a in plans.areas() if text in (a.name, a.id)])
    row = plans.add_round(actor, args.name, args.frequency, args.start or dt.date.today(), village=args.village,
                          area_id=area, mechanism=args.mechanism or "", due_day=args.due_day)
    print(f"已添加督查计划「{row.name}」（{row.id}）")
    return 0


def cmd_area_add(args, lock) -> int:
    from civdesk.supervision import plans

    open_existing(args, read_only=False)
    row = plans.add_area(login(args), args.name, args.village, route=args.route or "")
    print(f"已添加督查片区「{row.name}」（{row.id}）")
    return 0


def cmd_member_add(args, lock) -> int:
    from civdesk.supervision import plans

    open_existing(args, read_only=False)
    row = plans.add_member(login(args), args.name, args.role, args.unit or "", args.phone or "")
    print(f"已添加督查组成员「{row.name}」（{row.role}）")
    return 0


def _add_plans(group, acting: Parser) -> None:
    p = group.add_parser("round-add", parents=[acting], help="添加定期督查计划（每月或每季度，全镇或某村）")
    p.add_argument("--name", required=True)
    p.add_argument("--frequency", required=True, choices=["monthly", "quarterly"], help="monthly=每月，quarterly=每季度")
    p.add_argument("--village", help="只督查这个村/社区（不填为全镇）")
    p.add_argument("--area", help="督查片区名称")
    p.add_argument("--mechanism", help="长效机制")
    p.add_argument("--due-day", type=int, default=25, help="每期最后一个月的截止日（默认 25 日）")
    p.add_argument("--start", help="开始日期（默认今天）")
    p.set_defaults(func=cmd_round_add, writes=True)
    p = group.add_parser("area-add", parents=[acting], help="添加督查片区及巡查路线")
    p.add_argument("--name", required=True)
    p.add_argument("--village", help="所属村/社区")
    p.add_argument("--route", help="巡查路线，如 村委会—文化广场—主街")
    p.set_defaults(func=cmd_area_add, writes=True)
    p = group.add_parser("member-add", parents=[acting], help="添加督查组成员")
    p.add_argument("--name", required=True)
    p.add_argument("--role", default="成员", help="组长或成员")
    p.add_argument("--unit", help="工作单位")
    p.add_argument("--phone", help="联系电话")
    p.set_defaults(func=cmd_member_add, writes=True)


def _checklist(items) -> dict:
    out = {}
    for item in items or []:
        name, sep, value = item.replace("＝", "=").rpartition("=")
        if not sep or not name.strip():
            raise CivDeskError(f"检查项应写成「检查内容=合格/不合格/得分」，当前为「{item}」")
        out[name.strip()] = value.strip()
    return out


def _report(args, what: str, write) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    out = Path(args.out).expanduser()
    pages = write(actor, out)
    print(f"已生成{what}：{out}（{pages} 页）")
    return 0


def cmd_report_notice(args, lock) -> int:
    from civdesk.supervision import reports

    return _report(args, "限期整改通知书", lambda actor, out: reports.rectification_notice_pdf(
        out, _notice(args.notice).id, actor=actor))


def cmd_report_summary(args, lock) -> int:
    from civdesk.supervision import reports

    if bool(args.month) == bool(args.quarter):
        raise CivDeskError("请用 --month YYYY-MM 或 --quarter YYYY-Qn 中的一个指定期间。")
    if Path(args.out).suffix.lower() == ".xlsx":
        open_existing(args, read_only=False)
        count = reports.summary_xlsx(Path(args.out).expanduser(), args.month, quarter=args.quarter, actor=login(args))
        print(f"已生成督查通报表格：{args.out}（{count} 个村、社区）")
        return 0
    return _report(args, "督查通报", lambda actor, out: reports.summary_pdf(out, args.month, quarter=args.quarter,
                                                                         actor=actor))


def cmd_report_agreement(args, lock) -> int:
    from civdesk.supervision import holders, reports

    def write(actor, out):
        holder = pick_id(args.holder, "门前三包责任户", "supervision holders --json", named_by="名称或编号",
                         exact=lambda text: [h.id for h in holders.rows() if text in (h.name, h.id)])
        return reports.agreement_pdf(out, holder, actor=actor)

    return _report(args, "门前三包责任书", write)


def _target_args(p) -> None:
    p.add_argument("--org", help="创建单位（名称或编号）")
    p.add_argument("--holder", help="门前三包责任户编号（见 supervision holders --json）")
    p.add_argument("--place", help="地点（不是单位或责任户时）")
    p.add_argument("--village", help="地点所在的村/社区")


def _add_writes(group, acting: Parser) -> None:
    p = group.add_parser("inspect", parents=[acting], help="登记一次督查（村电脑上为自查）和发现的问题")
    _target_args(p)
    p.add_argument("--mechanism", required=True, help="长效机制，如 镇容环境卫生")
    p.add_argument("--date", help="督查日期（默认今天）")
    p.add_argument("--inspectors", required=True, help="督查人员，用顿号或逗号分隔")
    p.add_argument("--location", help="具体位置")
    p.add_argument("--round", help="所属督查计划编号")
    p.add_argument("--note", help="备注")
    p.add_argument("--check", action="append", metavar="ITEM=RESULT",
                   help="检查表的一项：检查内容=合格、不合格或得分（可重复；不合格的自动记为问题）")
    p.add_argument("--finding", action="append", metavar="TEXT", help="发现的问题（可重复）")
    p.add_argument("--photo", action="append", metavar="FILE", help="第一个问题的整改前照片（可重复）")
    p.add_argument("--placement", metavar="ID", help="第一个问题涉及的公益广告编号（活动与阵地）")
    p.add_argument("--placement-state", metavar="STATE", help="这处公益广告的状况：破损、褪色或缺失")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_inspect, writes=True)
    p = group.add_parser("issue", parents=[acting], help="下发限期整改通知书（--days N 个工作日或 --deadline 日期）")
    _target_args(p)
    p.add_argument("--finding-id", action="append", metavar="ID", help="督查发现的问题编号（可重复）")
    p.add_argument("--mechanism", help="长效机制（默认取所选问题的）")
    p.add_argument("--problems", help="存在问题（默认取所选问题的描述）")
    p.add_argument("--requirements", required=True, help="整改要求")
    p.add_argument("--responsible", help="整改责任人（默认取单位联系人或责任户责任人）")
    p.add_argument("--served", help="送达日期（默认今天）")
    p.add_argument("--days", help="整改期限：送达次日起 N 个工作日")
    p.add_argument("--deadline", help="整改期限：截止日期（不能早于送达日期）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_issue, writes=True)
    p = group.add_parser("rectify", parents=[acting], help="登记整改情况（村、社区报送），等待复查")
    p.add_argument("notice", metavar="NOTICE", help="通知书文号或编号")
    p.add_argument("--date", help="整改完成日期（默认今天）")
    p.add_argument("--text", required=True, help="整改情况")
    p.add_argument("--photo", action="append", metavar="FILE", help="整改后照片（可重复）")
    p.add_argument("--pair", action="append", metavar="BEFORE_ID",
                   help="按 --photo 的顺序，每张照片对应的整改前照片编号（supervision pairs 可查；「无」表示不对应）")
    p.set_defaults(func=cmd_rectify, writes=True)
    p = group.add_parser("review", parents=[acting], help="复查：--pass 销号，或 --fail 并重新限期")
    p.add_argument("notice", metavar="NOTICE")
    result = p.add_mutually_exclusive_group(required=True)
    result.add_argument("--pass", dest="passed", action="store_true", help="复查通过，销号")
    result.add_argument("--fail", dest="passed", action="store_false", help="复查未通过")
    p.add_argument("--date", help="复查日期（默认今天）")
    p.add_argument("--text", required=True, help="复查情况")
    p.add_argument("--days", help="未通过时新的期限：复查次日起 N 个工作日")
    p.add_argument("--deadline", help="未通过时新的截止日期")
    p.add_argument("--photo", action="append", metavar="FILE", help="复查照片（可重复）")
    p.add_argument("--pair", action="append", metavar="BEFORE_ID",
                   help="按 --photo 的顺序，每张照片对应的整改前照片编号（supervision pairs 可查；「无」表示不对应）")
    p.set_defaults(func=cmd_review, writes=True)
    p = group.add_parser("pair", parents=[acting], help="调整整改后照片对应的整改前照片")
    p.add_argument("notice", metavar="NOTICE", help="通知书文号或编号")
    p.add_argument("--after", required=True, metavar="AFTER_ID", help="整改后照片编号（supervision pairs 可查）")
    p.add_argument("--before", required=True, metavar="BEFORE_ID", help="对应的整改前照片编号；「无」表示不对应")
    p.set_defaults(func=cmd_pair, writes=True)
    p = group.add_parser("sweep", parents=[acting], help="对卫生类逾期整改的创建单位提请一票否决（审核人）")
    p.add_argument("--as-of", help="按这一天计算是否逾期（默认今天）")
    p.set_defaults(func=cmd_sweep, writes=True)


def add_commands(sub, acting: Parser, report) -> None:
    group = sub.add_parser("supervision", help="督查与整改：督查记录、限期整改通知书、复查、门前三包").add_subparsers(
        dest="supervision_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    _add_writes(group, acting)
    _add_plans(group, acting)
    p = group.add_parser("notices", help="整改通知书及其状态、期限、颜色（逾期、督办）")
    p.add_argument("--as-of", help="按这一天计算状态（默认今天），如 2026-03-20")
    p.add_argument("--state", choices=["pending", "reported", "passed", "failed", "overdue", "escalated"],
                   help="只列这个状态：待整改、已整改待复查、已销号、复查未通过、逾期、督办")
    p.add_argument("--village", help="只列这个村/社区的")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notices, writes=False)
    p = group.add_parser("pairs", parents=[acting], help="整改通知书的整改前后照片配对，及未配对的照片")
    p.add_argument("notice", metavar="NOTICE", help="通知书文号或编号")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pairs, writes=False)
    p = group.add_parser("rounds", help="到期或未按期的督查计划")
    p.add_argument("--as-of", help="按这一天计算（默认今天）")
    p.add_argument("--within", type=int, default=7, help="列出几天内到期的（默认 7）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rounds, writes=False)
    p = group.add_parser("holders", help="门前三包责任户（电话已隐去中间四位）")
    p.add_argument("--search", help="按名称、地址或拼音首字母查找")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_holders, writes=False)
    p = group.add_parser("holder-add", parents=[acting], help="登记门前三包责任户")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, choices=["商铺", "住户", "单位"])
    p.add_argument("--village", help="所属村/社区")
    p.add_argument("--address", required=True)
    p.add_argument("--responsible", required=True, help="责任人")
    p.add_argument("--phone", help="联系电话")
    p.add_argument("--signed", help="责任书签订日期")
    p.set_defaults(func=cmd_holder_add, writes=True)

    p = report.add_parser("rectification-notice", parents=[acting], help="限期整改通知书（公文格式，GB/T 9704）")
    p.add_argument("notice", metavar="NOTICE", help="通知书文号或编号")
    p.add_argument("--out", required=True, help="输出的 PDF 文件")
    p.set_defaults(func=cmd_report_notice, writes=True)
    p = report.add_parser("supervision-summary", parents=[acting],
                          help="月度或季度督查通报（问题分布、整改情况、村社区排名）；--out 以 .xlsx 结尾时输出表格")
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--quarter", metavar="YYYY-Qn", help="季度，如 2026-Q1")
    p.add_argument("--out", required=True, help="输出的 PDF 或 .xlsx 文件")
    p.set_defaults(func=cmd_report_summary, writes=True)
    p = report.add_parser("frontage-agreement", parents=[acting], help="门前三包责任书（打印后签字盖章）")
    p.add_argument("holder", metavar="HOLDER", help="责任户名称或编号")
    p.add_argument("--out", required=True, help="输出的 PDF 文件")
    p.set_defaults(func=cmd_report_agreement, writes=True)
