"""Command-line commands of civilized-unit creation: ``unit …`` and ``report unit-…``.

Applications are named by their id or its first 6 or more characters (``unit list`` shows 8);
the rule and its messages are ``common.pick_id``, as in every command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from civdesk.cli import unit_applications
from civdesk.cli.common import Parser, login, open_existing, print_json
from civdesk.core.errors import CivDeskError
from civdesk.units.models import STATUS_ORDER, STATUSES, TITLES, title_text


def _year(args) -> int:
    return args.year or dt.date.today().year


_application_id = unit_applications.application_id


def application_rows(year: int, status: str | None = None) -> list[dict]:
    from civdesk.units import scoring
    from civdesk.units import workflow as unit_workflow

    found = [a for a in scoring.applications_in_year(year) if not status or a.status == status]
    rows = []
    for app in sorted(found, key=lambda a: STATUS_ORDER.index(a.status)):
        vetoes = unit_workflow.active_vetoes(app.id)
        rows.append({"id": app.id, "short_id": app.id[:8], "organisation": app.org_name,
                     "kind": app.org_kind, "year": app.year,
                     "title": title_text(app.title, app.level, app.model_grade), "status": STATUSES[app.status],
                     "status_code": app.status, "self_score": app.self_tenths / 10,
                     "assessed_score": None if app.assessed_tenths is None else app.assessed_tenths / 10,
                     "vetoes": [v.condition for v in vetoes], "decision_number": app.decision_number})
    return rows


def cmd_unit_list(args, lock) -> int:
    open_existing(args, read_only=True)
    if args.status and args.status not in STATUSES:
        raise CivDeskError(f"状态只能是：{'、'.join(f'{k}（{v}）' for k, v in STATUSES.items())}")
    rows = application_rows(_year(args), args.status)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        assessed = "—" if row["assessed_score"] is None else f"{row['assessed_score']:g}"
        veto = f"\t一票否决：{'、'.join(row['vetoes'])}" if row["vetoes"] else ""
        print(f"{row['short_id']}\t{row['organisation']}\t{row['title']}\t{row['status']}\t"
              f"自评 {row['self_score']:g}\t测评 {assessed}{veto}")
    print(f"{_year(args)} 年共 {len(rows)} 份申报")
    return 0


def cmd_unit_titles(args, lock) -> int:
    from civdesk.units import titles as unit_titles

    open_existing(args, read_only=True)
    year = _year(args)
    end = min(dt.date(year, 12, 31), dt.date.today())
    rows = [{"organisation": org.name, "title": title_text(t.title, t.level, t.model_grade), "year": t.year,
             "decision_number": t.decision_number, "valid_until": t.valid_until.isoformat(),
             "status": unit_titles.status_text(t, end), "revoked_reason": t.revoked_reason}
            for t, org in unit_titles.roster(year)]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['organisation']}\t{row['title']}\t{row['year']}\t{row['decision_number']}\t"
                  f"至 {row['valid_until']}\t{row['status']}")
        print(f"{year} 年共 {len(rows)} 个称号")
    return 0


def _indicator_set(kind: str, year: int):
    from civdesk.units import organisations as units

    found = units.current_set(kind, year)
    if found is None:
        raise CivDeskError(f"还没有{year}年（或更早）的{kind}测评体系。")
    return found


def cmd_indicators_export(args, lock) -> int:
    from civdesk.units import indicator_sheets as indicator_xlsx

    open_existing(args, read_only=False)
    actor = login(args)
    year = _year(args)
    indicator_set = _indicator_set(args.kind, year)
    count = indicator_xlsx.export_set(actor, indicator_set.id, Path(args.out), year=year)
    carried = f"（{year}年度沿用{indicator_set.year}年制定的体系）" if indicator_set.year != year else ""
    print(f"已导出「{indicator_set.name}」{carried}{count} 项指标到 {args.out}")
    return 0


def cmd_indicators_import(args, lock) -> int:
    from civdesk.units import indicator_sheets as indicator_xlsx

    open_existing(args, read_only=False)
    actor = login(args)
    made = indicator_xlsx.import_set(actor, Path(args.file), args.kind, _year(args), name=args.name or "")
    print(f"已导入「{made.name}」（第 {made.version} 版）")
    return 0


def _report(args, what: str, write) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    out = Path(args.out).expanduser()
    pages = write(actor, out)
    print(f"已生成{what}：{out}（{pages} 页）")
    return 0


def cmd_report_decision(args, lock) -> int:
    from civdesk.units import reports as unit_reports

    return _report(args, "命名决定", lambda actor, out: unit_reports.decision_pdf(
        out, args.year, decision_number=args.number, actor=actor))


def cmd_report_scores(args, lock) -> int:
    from civdesk.units import reports as unit_reports

    return _report(args, "测评评分表", lambda actor, out: unit_reports.scores_pdf(
        out, _application_id(args.application), actor=actor))


def cmd_report_application(args, lock) -> int:
    from civdesk.units import reports as unit_reports

    return _report(args, "申报表", lambda actor, out: unit_reports.application_pdf(
        out, _application_id(args.application), actor=actor))


def cmd_report_roster(args, lock) -> int:
    from civdesk.units import reports as unit_reports

    return _report(args, "文明单位名录", lambda actor, out: unit_reports.roster_pdf(out, args.year, actor=actor))


def cmd_report_notice(args, lock) -> int:
    from civdesk.notices import public_notices as notices
    from civdesk.units import reports as unit_reports

    def write(actor, out):
        found = notices.for_subject("unit", str(args.year))
        if not found:
            raise CivDeskError(f"{args.year} 年度还没有文明创建的公示。")
        return unit_reports.notice_pdf(out, found[0].id, actor=actor)

    return _report(args, "公示名单", write)


def add_commands(sub, acting: Parser, report) -> None:
    group = sub.add_parser("unit", help="文明单位（村、社区）创建").add_subparsers(
        dest="unit_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    p = group.add_parser("list", help="列出一个年度的创建申报（默认今年）")
    p.add_argument("--year", type=int, help="年度，如 2026")
    p.add_argument("--status", help="只列这个状态：" + "、".join(STATUSES))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_unit_list, writes=False)
    p = group.add_parser("titles", help="列出一个年度持有文明称号的单位（默认今年）")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_unit_titles, writes=False)
    unit_applications.add_commands(group, acting)

    indicators = group.add_parser("indicators", help="测评体系的 Excel 导入导出").add_subparsers(
        dest="indicators_command", metavar="ACTION", parser_class=Parser)
    indicators.required = True
    p = indicators.add_parser("export", parents=[acting], help="把某个称号当年的测评体系导出为 Excel")
    p.add_argument("--kind", required=True, choices=TITLES)
    p.add_argument("--year", type=int)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_indicators_export, writes=True)
    p = indicators.add_parser("import", parents=[acting], help="从 Excel 导入测评体系（作为当年的新版本）")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--kind", required=True, choices=TITLES)
    p.add_argument("--year", type=int)
    p.add_argument("--name", help="测评体系名称（默认「某年度某称号测评体系」）")
    p.set_defaults(func=cmd_indicators_import, writes=True)

    out_help = "输出的 PDF 文件"
    p = report.add_parser("unit-decision", parents=[acting], help="命名决定（公文格式，GB/T 9704）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--number", help="只含这个文号命名的单位（默认该年度全部已命名的）")
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_report_decision, writes=True)
    p = report.add_parser("unit-scores", parents=[acting], help="一份申报的测评评分表（自评分和测评分）")
    p.add_argument("--application", required=True, metavar="ID", help="申报编号（unit list 中的前 8 位即可）")
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_report_scores, writes=True)
    p = report.add_parser("unit-application", parents=[acting], help="一份申报的申报表（含自评分）")
    p.add_argument("--application", required=True, metavar="ID")
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_report_application, writes=True)
    p = report.add_parser("unit-roster", parents=[acting], help="一个年度的文明单位（村、社区）名录")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_report_roster, writes=True)
    p = report.add_parser("unit-notice", parents=[acting], help="一个年度最新的文明创建公示名单（公文格式）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help=out_help)
    p.set_defaults(func=cmd_report_notice, writes=True)
