"""Command-line commands of the working-day calendar and the festivals: ``calendar …``.

``calendar workday DATE N`` prints only the date N working days after DATE (「N 个工作日内」 counts
from the next day), so scripts can use it; a warning about a year without a holiday schedule
goes to stderr. ``calendar festivals`` needs no database.
"""

from __future__ import annotations

import datetime as dt
import sys

from civdesk.cli.common import Parser, UsageError, date_arg, login, open_existing, print_json, whole_number
from civdesk.core.errors import CivDeskError


def _count(text: str) -> int:
    return whole_number(text, "工作日天数")


def cmd_workday(args, lock) -> int:
    from civdesk.calendar import holidays

    open_existing(args, read_only=True)
    result = holidays.add_workdays(date_arg(args.date, required=True), _count(args.days))
    print(result.day.isoformat())
    warning = holidays.warning_for(result)
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
    return 0


def cmd_holidays(args, lock) -> int:
    from civdesk.calendar import holidays

    open_existing(args, read_only=True)
    info = holidays.year_info(args.year)
    if args.json:
        print_json({"year": info.year, "source": info.source, "source_label": info.source_label,
                    "days": [{"date": d.day.isoformat(), "type": d.kind, "name": d.name} for d in info.days]})
        return 0
    print(f"{info.year} 年放假安排（{info.source_label}）")
    for d in info.days:
        print(f"{d.day.isoformat()}\t{d.kind}\t{d.name}")
    if info.source == "none":
        print(f"未录入 {info.year} 年放假安排：工作日按周一至周五计算。", file=sys.stderr)
    return 0


def cmd_import(args, lock) -> int:
    from civdesk.calendar import holidays

    open_existing(args, read_only=False)
    actor = login(args)
    years = holidays.import_sheet(actor, args.file)
    print("已导入放假安排：" + "，".join(f"{year} 年 {count} 天" for year, count in years.items()))
    return 0


def cmd_festivals(args, lock) -> int:
    from civdesk.calendar import festivals

    try:
        found = festivals.festivals(args.year)
    except ValueError as exc:
        raise CivDeskError(str(exc)) from None
    if args.json:
        print_json([{"name": name, "date": day.isoformat()} for name, day in found])
        return 0
    for name, day in found:
        print(f"{day.isoformat()}\t{name}")
    return 0


def _year(text: str) -> int:
    if not text.strip().isdigit():
        raise UsageError(f"年份应为四位数字，当前为“{text}”")
    return int(text)


def add_commands(sub, acting: Parser) -> None:
    cal = sub.add_parser("calendar", help="工作日和节日：放假安排、N 个工作日后的日期、我们的节日").add_subparsers(
        dest="calendar_command", metavar="ACTION", parser_class=Parser)
    cal.required = True
    p = cal.add_parser("workday", help="DATE 之后第 N 个工作日的日期（只输出 YYYY-MM-DD）")
    p.add_argument("date", metavar="DATE", help="起算日期，如 2026-09-28（从次日起算）")
    p.add_argument("days", metavar="N", help="工作日天数")
    p.set_defaults(func=cmd_workday, writes=False)
    p = cal.add_parser("holidays", help="某年的放假和调休安排")
    p.add_argument("--year", type=_year, default=dt.date.today().year)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_holidays, writes=False)
    p = cal.add_parser("import", parents=[acting], help="从表格导入放假安排（列：日期、类型（休/班）、名称；管理员）")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_import, writes=True)
    p = cal.add_parser("festivals", help="我们的节日：某年的除夕、春节、元宵、清明、端午、七夕、中秋、重阳等日期")
    p.add_argument("--year", type=_year, default=dt.date.today().year)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_festivals, writes=False, no_db=True)
