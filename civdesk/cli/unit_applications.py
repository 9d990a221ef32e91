"""Command-line steps of a 文明创建 application, ``unit …``: register an organisation, file the
application, enter self-scores and assessed scores, attach evidence, then 提交 → 受理初审 → 进入测评
→ 公示 → 命名 (or 退回修改, 未通过, 一票否决). Each command calls the same service the program's
screens call, so roles and rules are the same: a clerk files and submits, a reviewer reviews.

Applications are named by their id or its first 8 characters (``unit list`` shows them);
indicators by their number in ``unit items``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from civdesk.cli.common import Parser, date_arg, login, open_existing, pick_id, print_json, whole_number
from civdesk.core import validation
from civdesk.core.errors import CivDeskError
from civdesk.office.offices import resolve_village
from civdesk.units import organisations as units
from civdesk.units import scoring, workflow
from civdesk.units.models import LEVELS, ORG_KINDS, SCORE_KINDS, STATUSES, TITLES, title_text


def _acting(args):
    open_existing(args, read_only=False)
    return login(args)


def application_id(key: str) -> str:
    """An application named by its id or the id's first 6 or more characters (``unit list``)."""
    return pick_id(key, "申报", "unit list", prefix=scoring.ids_starting_with)


def _app(key: str):
    return scoring.get(application_id(key))


def _apps(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(application_id(key) for key in keys))


def _moved(app_id: str) -> int:
    app = scoring.get(app_id)
    print(f"申报 {app.id[:8]}（{units.get_org(app.org_id).name}）现在是「{STATUSES[app.status]}」")
    return 0


# --- organisations and filing --------------------------------------------------------------------


def cmd_org_add(args, lock) -> int:
    actor = _acting(args)
    values = {"name": args.name, "kind": args.kind, "village_id": resolve_village(args.village) if args.village else None,
              "contact_person": args.contact or "", "phone": args.phone or "", "address": args.address or "",
              "size_count": args.size, "note": args.note or ""}
    org = units.create_org(actor, values)
    print(f"已登记创建单位「{org.name}」（{org.kind}）")
    return 0


def cmd_org_list(args, lock) -> int:
    open_existing(args, read_only=True)
    rows = [{"id": o.id, "name": o.name, "kind": o.kind, "contact_person": o.contact_person, "phone": o.phone,
             "size_count": o.size_count} for o in units.orgs(args.search or "")]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['name']}\t{row['kind']}\t{row['contact_person'] or '—'}\t{row['phone'] or '—'}")
    print(f"共 {len(rows)} 个创建单位")
    return 0


def cmd_apply(args, lock) -> int:
    actor = _acting(args)
    org = units.find_org(args.org)
    year = whole_number(args.year, "年度") if args.year else dt.date.today().year
    app = scoring.create(actor, org.id, year, args.title, args.level, model_grade=args.model_grade,
                         work_summary=args.summary or "", highlights=args.highlights or "")
    print(f"已建立申报 {app.id[:8]}：{org.name} {year}年{title_text(app.title, app.level, app.model_grade)}（草稿）")
    return 0


def cmd_update(args, lock) -> int:
    actor = _acting(args)
    values = {key: value for key, value in (("work_summary", args.summary), ("highlights", args.highlights),
                                            ("level", args.level), ("model_grade", args.model_grade))
              if value is not None}
    if not values:
        raise CivDeskError("没有要修改的内容：请用 --summary、--highlights、--level 或 --model-grade/--no-model-grade。")
    app = _app(args.application)
    changed = scoring.update(actor, app.id, values)
    print(f"已修改申报 {app.id[:8]}（{len(changed)} 项有变化）")
    return 0


def cmd_delete(args, lock) -> int:
    actor = _acting(args)
    app = _app(args.application)
    scoring.delete(actor, app.id, args.reason)
    print(f"已删除申报 {app.id[:8]}")
    return 0


# --- indicators, scores and evidence -------------------------------------------------------------


def item_rows(app) -> list[dict]:
    latest = {kind: scoring.latest_scores(app.id, kind) for kind in SCORE_KINDS}

    def shown(score):
        return None if score is None else (score.grade or score.tenths / 10)

    return [{"number": n, "item_id": item.id, "group": item.group_name, "name": item.name,
             "max_points": item.max_tenths / 10, "grades": item.grades,
             "self": shown(latest["self"].get(item.id)), "assessed": shown(latest["assessed"].get(item.id))}
            for n, item in enumerate(units.items(app.set_id), start=1)]


def cmd_items(args, lock) -> int:
    open_existing(args, read_only=True)
    rows = item_rows(_app(args.application))
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        scale = row["grades"] or f"{row['max_points']:g} 分"
        self_score = "—" if row["self"] is None else row["self"]
        assessed = "—" if row["assessed"] is None else row["assessed"]
        print(f"{row['number']}\t{row['group']}\t{row['name']}\t{scale}\t自评 {self_score}\t测评 {assessed}")
    return 0


def _entries(app, pairs: list[str], note: str) -> dict[str, tuple[str, str]]:
    items = units.items(app.set_id)
    entries = {}
    for pair in pairs:
        number, sep, value = pair.replace("＝", "=").partition("=")
        if not sep:
            raise CivDeskError(f"分数应写成「指标序号=分数」（如 3=4.5 或 5=A，序号见 unit items），「{pair}」看不懂。")
        position = whole_number(number, "指标序号", minimum=1, maximum=len(items))
        entries[items[position - 1].id] = (value, note)
    return entries


def cmd_score(args, lock) -> int:
    actor = _acting(args)
    app = _app(args.application)
    total = scoring.enter_scores(actor, app.id, args.kind, _entries(app, args.scores, args.note or ""))
    print(f"已录入{SCORE_KINDS[args.kind]}分 {len(args.scores)} 项，{SCORE_KINDS[args.kind]}总分 {total / 10:g} 分")
    return 0


def cmd_attach(args, lock) -> int:
    actor = _acting(args)
    app = _app(args.application)
    item_id = None
    if args.item:
        items = units.items(app.set_id)
        item_id = items[whole_number(args.item, "指标序号", minimum=1, maximum=len(items)) - 1].id
    row = scoring.add_attachment(actor, app.id, Path(args.file).expanduser(), item_id=item_id, note=args.note or "")
    print(f"已添加附件「{row.file_name}」（{row.size / 1024:.0f} KB）")
    return 0


# --- review: 提交, 初审, 测评, 退回, 未通过, 一票否决 ---------------------------------------------------


def _step(action):
    def run(args, lock) -> int:
        actor = _acting(args)
        app = _app(args.application)
        action(actor, app.id, args)
        return _moved(app.id)
    return run


cmd_submit = _step(lambda actor, app_id, args: workflow.submit(actor, app_id))
cmd_accept = _step(lambda actor, app_id, args: workflow.accept(actor, app_id))
cmd_assess = _step(lambda actor, app_id, args: workflow.start_assessment(actor, app_id, args.note or ""))
cmd_return = _step(lambda actor, app_id, args: workflow.return_for_changes(actor, app_id, args.reason))
cmd_fail = _step(lambda actor, app_id, args: workflow.fail(actor, app_id, args.reason))


def cmd_veto(args, lock) -> int:
    actor = _acting(args)
    app = _app(args.application)
    workflow.veto(actor, app.id, validation.normalize_text(args.condition), args.reason, args.evidence or "")
    print(f"已对申报 {app.id[:8]} 一票否决：{args.condition}")
    return 0


def cmd_lift_veto(args, lock) -> int:
    actor = _acting(args)
    app = _app(args.application)
    condition = validation.normalize_text(args.condition)
    found = [v for v in workflow.active_vetoes(app.id) if v.condition == condition]
    if not found:
        standing = "、".join(v.condition for v in workflow.active_vetoes(app.id)) or "（没有）"
        raise CivDeskError(f"申报 {app.id[:8]} 没有「{condition}」的一票否决。现有的否决：{standing}")
    for veto in found:
        workflow.lift_veto(actor, veto.id, args.reason)
    print(f"已解除申报 {app.id[:8]} 的一票否决：{condition}")
    return 0


# --- 公示 and 命名 --------------------------------------------------------------------------------


def cmd_notice(args, lock) -> int:
    actor = _acting(args)
    days = whole_number(args.days, "公示天数", minimum=1, maximum=60) if args.days else None
    notice = workflow.publish_notice(actor, _apps(args.applications), date_arg(args.start, "公示开始日期"),
                                     days=days, title=args.title or "", contact=args.contact)
    print(f"已发布公示「{notice.title}」（{notice.start_date} 至 {notice.end_date}），共 {len(args.applications)} 份申报")
    return 0


def cmd_name(args, lock) -> int:
    actor = _acting(args)
    titles = workflow.name(actor, _apps(args.applications), args.number, args.date)
    print(f"已命名 {len(titles)} 个单位（{args.number.strip()}），称号有效期至 {titles[0].valid_until.isoformat()}")
    return 0


def application_detail(app) -> dict:
    org = units.get_org(app.org_id)
    return {"id": app.id, "short_id": app.id[:8], "organisation": org.name, "year": app.year,
            "title": title_text(app.title, app.level, app.model_grade), "status": STATUSES[app.status],
            "status_code": app.status, "self_score": app.self_tenths / 10,
            "assessed_score": None if app.assessed_tenths is None else app.assessed_tenths / 10,
            "work_summary": app.work_summary, "decision_number": app.decision_number,
            "vetoes": [{"condition": v.condition, "reason": v.reason, "lifted": v.lifted, "lifted_reason": v.lifted_reason}
                       for v in workflow.vetoes(app.id)],
            "history": [{"from": STATUSES.get(e.from_status, ""), "to": STATUSES.get(e.to_status, e.to_status),
                         "reason": e.reason, "by": e.created_by, "at": e.created_at} for e in workflow.history(app.id)],
            "attachments": [a.file_name for a in scoring.attachments(app.id)]}


def cmd_show(args, lock) -> int:
    open_existing(args, read_only=True)
    data = application_detail(_app(args.application))
    if args.json:
        print_json(data)
        return 0
    assessed = "—" if data["assessed_score"] is None else f"{data['assessed_score']:g}"
    print(f"{data['short_id']}\t{data['organisation']}\t{data['year']}年{data['title']}\t{data['status']}")
    print(f"自评 {data['self_score']:g} 分\t测评 {assessed} 分\t附件 {len(data['attachments'])} 个")
    for veto in data["vetoes"]:
        print(f"一票否决：{veto['condition']}（{'已解除' if veto['lifted'] else '有效'}）{veto['reason']}")
    for event in data["history"]:
        print(f"  {event['at']}\t{event['by']}\t{event['from'] or '—'} → {event['to']}\t{event['reason']}")
    return 0


# --- the parser ----------------------------------------------------------------------------------

_APP = "申报编号（unit list 中的前 8 位即可）"


def _add_filing(group, acting: Parser) -> None:
    org = group.add_parser("org", help="创建单位（机关、企业、村、社区、学校等）").add_subparsers(
        dest="org_command", metavar="ACTION", parser_class=Parser)
    org.required = True
    p = org.add_parser("add", parents=[acting], help="登记创建单位")
    p.add_argument("name", metavar="NAME", help="单位名称")
    p.add_argument("--kind", required=True, choices=ORG_KINDS, help="单位类型")
    p.add_argument("--village", metavar="NAME", help="对应的村/社区（村、社区必填）")
    p.add_argument("--contact", help="联系人")
    p.add_argument("--phone", help="联系电话")
    p.add_argument("--address", help="地址")
    p.add_argument("--size", metavar="N", help="职工数/户数")
    p.add_argument("--note", help="备注")
    p.set_defaults(func=cmd_org_add, writes=True)
    p = org.add_parser("list", help="列出创建单位（按拼音排序）")
    p.add_argument("--search", help="按名称或拼音首字母筛选")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_org_list, writes=False)

    p = group.add_parser("apply", parents=[acting], help="为一个创建单位建立申报（草稿）")
    p.add_argument("org", metavar="ORG", help="创建单位名称")
    p.add_argument("--title", required=True, choices=TITLES, help="申报称号")
    p.add_argument("--level", default="镇级", choices=LEVELS, help="级别（默认：镇级）")
    p.add_argument("--model-grade", action="store_true", help="申报标兵")
    p.add_argument("--year", help="年度（默认今年）")
    p.add_argument("--summary", help="创建工作总结（提交前必填）")
    p.add_argument("--highlights", help="特色亮点")
    p.set_defaults(func=cmd_apply, writes=True)
    p = group.add_parser("update", parents=[acting], help="修改草稿申报的工作总结、特色亮点、级别或标兵")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("--summary", help="创建工作总结")
    p.add_argument("--highlights", help="特色亮点")
    p.add_argument("--level", choices=LEVELS)
    p.add_argument("--model-grade", action=argparse.BooleanOptionalAction, default=None, help="是否申报标兵")
    p.set_defaults(func=cmd_update, writes=True)
    p = group.add_parser("delete", parents=[acting], help="删除草稿申报")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("--reason", required=True, help="删除原因")
    p.set_defaults(func=cmd_delete, writes=True)


def _add_scoring(group, acting: Parser) -> None:
    p = group.add_parser("show", help="一份申报的状态、分数、一票否决和办理经过")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show, writes=False)
    p = group.add_parser("items", help="一份申报的测评指标（序号、分值）及已录入的自评分和测评分")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_items, writes=False)
    p = group.add_parser("score", parents=[acting], help="录入自评分（草稿时，录入员）或测评分（测评中，审核人）")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("scores", nargs="+", metavar="N=SCORE", help="指标序号=得分或等次，如 1=5 2=4.5 7=A（序号见 unit items）")
    p.add_argument("--kind", required=True, choices=tuple(SCORE_KINDS), help="self=自评分，assessed=测评分")
    p.add_argument("--note", help="说明（佐证、扣分原因等），用于这次录入的每一项")
    p.set_defaults(func=cmd_score, writes=True)
    p = group.add_parser("attach", parents=[acting], help="为申报添加附件（照片或 PDF，随同步数据包传送）")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("file", metavar="FILE", help=".jpg、.png、.gif、.bmp 或 .pdf 文件")
    p.add_argument("--item", metavar="N", help="佐证的指标序号（见 unit items）")
    p.add_argument("--note", help="说明")
    p.set_defaults(func=cmd_attach, writes=True)


def _add_review(group, acting: Parser) -> None:
    steps = (("submit", cmd_submit, "提交申报（自评分全部录入且达到申报分数线，录入员）", None),
             ("accept", cmd_accept, "受理，进入初审（审核人）", None),
             ("assess", cmd_assess, "初审通过，进入测评（审核人）", ("--note", "说明（默认：初审通过，进入测评）", False)),
             ("return", cmd_return, "退回修改，回到草稿（审核人）", ("--reason", "要修改什么", True)),
             ("fail", cmd_fail, "评为未通过（审核人）", ("--reason", "未通过的原因", True)))
    for name, func, text, option in steps:
        p = group.add_parser(name, parents=[acting], help=text)
        p.add_argument("application", metavar="ID", help=_APP)
        if option:
            p.add_argument(option[0], help=option[1], required=option[2])
        p.set_defaults(func=func, writes=True)
    p = group.add_parser("veto", parents=[acting], help="一票否决（审核人；否决情形见 设置 → 参数）")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("--condition", required=True, help="否决情形，如 发生重大安全生产事故")
    p.add_argument("--reason", required=True, help="否决的事实和理由")
    p.add_argument("--evidence", help="依据材料")
    p.set_defaults(func=cmd_veto, writes=True)
    p = group.add_parser("lift-veto", parents=[acting], help="解除一票否决（系统管理员）")
    p.add_argument("application", metavar="ID", help=_APP)
    p.add_argument("--condition", required=True, help="要解除的否决情形")
    p.add_argument("--reason", required=True, help="解除的理由，如 经复核不属实")
    p.set_defaults(func=cmd_lift_veto, writes=True)
    p = group.add_parser("notice", parents=[acting], help="把测评达标的申报列入公示（审核人）")
    p.add_argument("applications", nargs="+", metavar="ID", help=_APP)
    p.add_argument("--start", required=True, metavar="DATE", help="公示开始日期")
    p.add_argument("--days", metavar="N", help="公示天数（默认见设置，通常 7 天）")
    p.add_argument("--title", help="公示标题（默认「关于某年度文明单位（村、社区）拟命名对象的公示」）")
    p.add_argument("--contact", help="监督电话等联系方式（默认见设置）")
    p.set_defaults(func=cmd_notice, writes=True)
    p = group.add_parser("name", parents=[acting], help="命名：公示期满、异议处理完毕后，按命名决定命名（审核人）")
    p.add_argument("applications", nargs="+", metavar="ID", help=_APP)
    p.add_argument("--number", required=True, help="命名决定文号，如 清溪镇文明委〔2026〕5号")
    p.add_argument("--date", required=True, metavar="DATE", help="命名日期")
    p.set_defaults(func=cmd_name, writes=True)


def add_commands(group, acting: Parser) -> None:
    """The application steps, added to the ``unit`` group."""
    _add_filing(group, acting)
    _add_scoring(group, acting)
    _add_review(group, acting)
