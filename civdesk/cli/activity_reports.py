"""``report festival-plan``, ``report activity-month``, ``report hall-register`` and ``report minors``
(the only one with children's names: 未成年人信息 only). Reports are exports: they act as ``--user``
and are audited."""

from __future__ import annotations

from pathlib import Path

from civdesk.cli.common import Parser, login, open_existing


def _report(args, what: str, write) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    out = Path(args.out).expanduser()
    pages = write(actor, out)
    print(f"已生成{what}：{out}（{pages} 页）")
    return 0


def _village(args) -> str | None:
    from civdesk.activities import common

    return common.resolve_village(args.village) if getattr(args, "village", None) else None


def cmd_festival_plan(args, lock) -> int:
    from civdesk.activities import reports

    return _report(args, "我们的节日活动计划", lambda actor, out: reports.festival_plan_pdf(
        out, args.year, village_id=_village(args), actor=actor))


def cmd_activity_month(args, lock) -> int:
    from civdesk.activities import reports

    return _report(args, "月度活动报告", lambda actor, out: reports.month_report_pdf(
        out, args.year, args.month, village_id=_village(args), actor=actor))


def cmd_hall_register(args, lock) -> int:
    from civdesk.activities import halls, reports

    return _report(args, "道德讲堂活动登记簿", lambda actor, out: reports.hall_register_pdf(
        out, halls.find_hall(args.hall).id, args.year, actor=actor))


def cmd_minors(args, lock) -> int:
    from civdesk.activities import minors_report

    return _report(args, "未成年人关爱工作情况（含未成年人信息）",
                   lambda actor, out: minors_report.minors_report_pdf(out, args.year, actor))


def add_reports(report, acting: Parser) -> None:
    out_help = "输出的 PDF 文件"
    p = report.add_parser("festival-plan", parents=[acting], help="一年的“我们的节日”主题活动计划")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--village", help="只含这个村/社区的活动")
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_festival_plan, writes=True)
    p = report.add_parser("activity-month", parents=[acting], help="一个月的活动开展情况（含照片）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--month", type=int, required=True)
    p.add_argument("--village")
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_activity_month, writes=True)
    p = report.add_parser("hall-register", parents=[acting], help="一个道德讲堂一年的活动登记簿")
    p.add_argument("--hall", required=True, help="讲堂名称")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_hall_register, writes=True)
    p = report.add_parser("minors", parents=[acting], help="未成年人关爱工作情况（含儿童姓名，仅限有未成年人信息权限的账号）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_minors, writes=True)
