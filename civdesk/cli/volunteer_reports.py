"""Command-line PDFs of the volunteer module (``report …``) and certificate checks (``certificate …``).

Every report is an export of personal data, so every ``report`` command acts as ``--user`` and is
written to the audit log; ``report certificate(s)`` also issue certificates into the register.
A certificate is registered and its PDF written in one transaction: if the PDF cannot be
written, no number is used up.

The PDF machinery (ReportLab) is imported inside the commands: other commands start faster.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

from civdesk.cli.common import Parser, date_arg, login, open_existing, print_json
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.reports import qr
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers import teams


def _period(args, *, required: bool) -> tuple[dt.date | None, dt.date | None]:
    start, end = date_arg(args.date_from, "起始日期"), date_arg(args.date_to, "截止日期")
    if required and (start is None or end is None):
        raise CivDeskError("请用 --from 和 --to 指定统计期间，例如 --from 2026-01-01 --to 2026-12-31。")
    if start and end and start > end:
        raise CivDeskError(f"起始日期 {start.isoformat()} 晚于截止日期 {end.isoformat()}。")
    return start, end


def _out(args) -> Path:
    return Path(args.out).expanduser()


# --- report … ----------------------------------------------------------------------------------


def cmd_report_certificate(args, lock) -> int:
    from civdesk.volunteers import certificates
    from civdesk.volunteers.certificate_pdf import certificate_pdf

    open_existing(args, read_only=False)
    actor = login(args)
    start, end = _period(args, required=False)
    volunteer = volunteers.find(args.volunteer)
    out = _out(args)
    with database.atomic():
        cert = certificates.issue(actor, volunteer.id, purpose=args.purpose or "", period_from=start, period_to=end)
        certificate_pdf(out, [cert], actor=actor)
    print(f"已出具志愿服务记录证明 {cert.number}：{volunteer.name}，累计 {cert.half_hours / 2:g} 小时，"
          f"校验码 {qr.format_check_code(cert.check_code)}")
    print(f"已保存到 {out}")
    return 0


def cmd_report_certificates(args, lock) -> int:
    from civdesk.volunteers import certificates
    from civdesk.volunteers.certificate_pdf import certificate_pdf

    open_existing(args, read_only=False)
    actor = login(args)
    start, end = _period(args, required=False)
    ids = certificates.active_with_hours(start, end)
    if not ids:
        raise CivDeskError("没有在册且有已审核服务时长的志愿者，没有出具证明。")
    out = _out(args)
    with database.atomic():
        issued = certificates.issue_batch(actor, ids, purpose=args.purpose or "", period_from=start, period_to=end)
        if not issued:
            raise CivDeskError("没有可以出具证明的志愿者（都没有已审核的服务时长）。")
        pages = certificate_pdf(out, issued, actor=actor)
    print(f"已出具 {len(issued)} 份志愿服务记录证明（{issued[0].number} 至 {issued[-1].number}），共 {pages} 页")
    for _, name, reason in issued.skipped:
        print(f"  未出具：{name or '（未知志愿者）'}——{reason}", file=sys.stderr)
    print(f"已保存到 {out}")
    return 0


def cmd_report_hours(args, lock) -> int:
    from civdesk.volunteers.reports import hours_report

    open_existing(args, read_only=False)
    actor = login(args)
    start, end = _period(args, required=True)
    team_id = teams.find_team(args.team).id if args.team else None
    activity_id = (teams.find_activity(args.activity, date_arg(args.activity_date, "活动开始日期")).id
                   if args.activity else None)
    out = _out(args)
    pages = hours_report(out, start, end, team_id=team_id, activity_id=activity_id, actor=actor)
    print(f"已生成志愿服务时长统计表（{start.isoformat()} 至 {end.isoformat()}，共 {pages} 页），已保存到 {out}")
    return 0


def cmd_report_roster(args, lock) -> int:
    from civdesk.volunteers.reports import roster_pdf

    open_existing(args, read_only=False)
    actor = login(args)
    village = volunteers.resolve_village(args.village) if args.village else ""
    flt = volunteers.VolunteerFilter(status="" if args.all else "active", village_id=village or "")
    out = _out(args)
    pages = roster_pdf(out, flt, actor=actor)
    print(f"已生成志愿者花名册（共 {pages} 页，证件号码和电话已隐去中间位），已保存到 {out}")
    return 0


def cmd_report_stats(args, lock) -> int:
    from civdesk.volunteers.reports import stats_pdf

    open_existing(args, read_only=False)
    actor = login(args)
    start, end = _period(args, required=True)
    out = _out(args)
    pages = stats_pdf(out, start, end, actor=actor)
    print(f"已生成志愿服务统计（{start.isoformat()} 至 {end.isoformat()}，共 {pages} 页），已保存到 {out}")
    return 0


# --- certificate … -----------------------------------------------------------------------------


def cmd_certificate_verify(args, lock) -> int:
    from civdesk.volunteers import certificates

    open_existing(args, read_only=True)
    number, code = args.number, args.code
    if code is None:
        number, code = certificates.parse_qr_text(args.number)  # the whole text a scanner read
    result = certificates.verify(number, code)
    if args.json:
        data = dataclasses.asdict(result)
        data["issued_date"] = result.issued_date.isoformat() if result.issued_date else None
        data["ok"] = result.ok
        print_json(data)
    else:
        print(result.message)
    return 0 if result.ok else 1


def cmd_certificate_list(args, lock) -> int:
    from civdesk.volunteers import certificates

    open_existing(args, read_only=True)
    rows = certificates.register(text=args.search or "", limit=args.limit)
    if args.json:
        print_json([dataclasses.asdict(row) for row in rows])
    else:
        for row in rows:
            print(f"{row.number}\t{row.issued_date}\t{row.volunteer_name}\t{row.volunteer_number}\t{row.hours:g} 小时\t"
                  f"{row.purpose}")
        print(f"共 {len(rows)} 份证明")
    return 0


def add_commands(sub, acting: Parser):
    """Adds ``report …`` and ``certificate …``; returns the ``report`` group, to which other
    modules add their own report kinds (``report unit-decision``, …)."""
    report = sub.add_parser("report", help="生成 PDF（证明、时长统计、花名册、统计等）").add_subparsers(
        dest="report_command", metavar="KIND", parser_class=Parser)
    report.required = True
    out_help = "输出的 PDF 文件"

    def period(p, required: bool) -> None:
        p.add_argument("--from", dest="date_from", required=required, metavar="DATE", help="起始日期，如 2026-01-01")
        p.add_argument("--to", dest="date_to", required=required, metavar="DATE", help="截止日期，如 2026-12-31")

    p = report.add_parser("certificate", parents=[acting], help="为一名志愿者出具志愿服务记录证明（登记编号并生成 PDF）")
    p.add_argument("--volunteer", required=True, metavar="ID_NUMBER_OR_VOLUNTEER_NUMBER", help="证件号码或志愿者编号")
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--purpose", help="证明用途，如「升学」「评优评先」")
    period(p, False)
    p.set_defaults(func=cmd_report_certificate, writes=True)

    p = report.add_parser("certificates", parents=[acting], help="为所有在册且有已审核时长的志愿者批量出具证明（一个 PDF）")
    p.add_argument("--all", action="store_true", required=True, help="所有在册且有已审核服务时长的志愿者")
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--purpose", help="证明用途")
    period(p, False)
    p.set_defaults(func=cmd_report_certificates, writes=True)

    p = report.add_parser("hours", parents=[acting], help="志愿服务时长统计表（全部、某支队伍或某个活动）")
    period(p, True)
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--team", metavar="NAME", help="只统计这支队伍（含下级队伍）的成员")
    p.add_argument("--activity", metavar="NAME", help="只统计这个活动（名称或编号）")
    p.add_argument("--activity-date", metavar="DATE", help="这个活动的开始日期（有同名活动时必填）")
    p.set_defaults(func=cmd_report_hours, writes=True)

    p = report.add_parser("roster", parents=[acting], help="志愿者花名册（证件号码、电话隐去中间位）")
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--village", metavar="NAME", help="只列这个村/社区")
    p.add_argument("--all", action="store_true", help="包括已退出的志愿者")
    p.set_defaults(func=cmd_report_roster, writes=True)

    p = report.add_parser("stats", parents=[acting], help="志愿服务统计（按月、按村、星级分布）")
    period(p, True)
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_report_stats, writes=True)

    cert = sub.add_parser("certificate", help="志愿服务记录证明登记簿").add_subparsers(
        dest="certificate_command", metavar="ACTION", parser_class=Parser)
    cert.required = True
    p = cert.add_parser("verify", help="核验纸质证明：证明编号和校验码（或二维码内容）是否与登记簿一致")
    p.add_argument("number", help="证明编号，或扫描二维码得到的整段文字")
    p.add_argument("code", nargs="?", help="证明上印的校验码，如 ABCD-EFGH")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_certificate_verify, writes=False)

    p = cert.add_parser("list", help="列出已出具的证明（新的在前）")
    p.add_argument("--search", help="按证明编号、姓名或志愿者编号筛选")
    p.add_argument("--limit", type=int, help="最多列出多少份")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_certificate_list, writes=False)
    return report
