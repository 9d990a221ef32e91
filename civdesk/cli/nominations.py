"""Command-line commands of the good-people nominations: ``nomination …`` and ``report nomination-…``.

Lists mask ID numbers; reports are exports, so they act as ``--user`` and are audited.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from civdesk.cli.common import Parser, login, open_existing, pick_id, print_json
from civdesk.nominations.models import PHASES, SESSION_KINDS


def _session(key: str):
    """A session by its name, its id or the id's first 8 or more characters (``nomination sessions``)."""
    from civdesk.nominations import nominees as nominations

    return nominations.get_session(pick_id(
        key, "评选活动", "nomination sessions", exact=nominations.session_ids_named,
        prefix=nominations.session_ids_starting_with, min_chars=8, named_by="名称或编号"))


def _nomination(key: str):
    """A nomination by its id or the id's first 8 or more characters (``nomination list --json``)."""
    from civdesk.nominations import nominees as nominations

    return nominations.get(pick_id(key, "推荐", "nomination list --json", prefix=nominations.ids_starting_with,
                                   min_chars=8))


def cmd_sessions(args, lock) -> int:
    from civdesk.nominations import nominees as nominations

    open_existing(args, read_only=True)
    rows = [{"id": s.id, "name": s.name, "kind": SESSION_KINDS.get(s.kind, s.kind), "period": s.period,
             "phase": PHASES.get(s.phase, s.phase), "nominations": len(nominations.nominations(s.id))}
            for s in nominations.sessions()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']}\t{row['name']}\t{row['kind']}\t{row['phase']}\t{row['nominations']} 人")
        print(f"共 {len(rows)} 个评选活动")
    return 0


def cmd_list(args, lock) -> int:
    from civdesk.nominations import nominees as nominations

    open_existing(args, read_only=True)
    session = _session(args.session)
    rows = [dataclasses.asdict(row) for row in nominations.rows(session.id)]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['name']}\t{row['village']}\t{row['category']}\t{row['status_label']}\t"
                  f"事迹 {row['story_chars']} 字\t{row['summary']}")
        print(f"{session.name}：共 {len(rows)} 条推荐")
    return 0


def cmd_tally(args, lock) -> int:
    from civdesk.nominations import review as nomination_review

    open_existing(args, read_only=True)
    result = nomination_review.tally(_session(args.session).id)
    categories = [{"category": c.category, "quota": c.quota, "tied": c.tied, "slots": c.slots,
                   "decided": c.decision is not None,
                   "rows": [{"nomination_id": r.nomination_id, "name": r.name, "village": r.village, "rank": r.rank,
                             "average": r.average, "raw_total": r.raw_total, "scorers": r.scorers,
                             "expected": r.expected, "recused": r.recused, "agree": r.agree, "against": r.against,
                             "abstain": r.abstain, "result": r.result, "result_label": r.result_label}
                            for r in c.rows]} for c in result.categories]
    if args.json:
        print_json({"session": result.session.name, "locked": result.locked, "undecided_ties": result.undecided,
                     "categories": categories})
    else:
        for c in categories:
            print(f"{c['category']}（名额 {c['quota']}）")
            for r in c["rows"]:
                score = f"{r['average']:.2f}" if r["average"] is not None else f"赞成 {r['agree']}"
                print(f"  {r['rank'] or '—'}\t{r['name']}\t{score}\t{r['result_label']}")
    return 0


def cmd_score(args, lock) -> int:
    """One member's scores for one nominee, as typed from the paper sheet (scripting, bulk entry)."""
    from civdesk.core.errors import CivDeskError
    from civdesk.nominations import nominees as nominations
    from civdesk.nominations import review as nomination_review

    open_existing(args, read_only=False)
    actor = login(args)
    nomination = _nomination(args.nomination)
    member = next((m for m in nomination_review.members(nomination.session_id) if m.name == args.member.strip()), None)
    if member is None:
        names = "、".join(m.name for m in nomination_review.members(nomination.session_id))
        raise CivDeskError(f"「{args.member}」不是本次评选的评议委员。评议委员：{names or '（还没有登记）'}")
    values = {}
    for part in args.values.replace("，", ",").split(","):
        item, sep, value = part.partition("=")
        if not sep:
            raise CivDeskError(f"分数应写成「评分项=分数」，用逗号分隔，如 事迹真实性=90,感人程度=85；「{part}」看不懂。")
        values[item.strip()] = value.strip()
    written = nomination_review.record_scores(actor, nomination.id, member.id, values)
    print(f"已为{member.name}录入{nominations.nominee_name(nomination)}的 {len(written)} 项（未变的不重复记录）")
    return 0


def cmd_advance(args, lock) -> int:
    """The next phase: 推荐→初审→评议, and closing 评议 (scores locked)."""
    from civdesk.core.errors import CivDeskError
    from civdesk.nominations import nominees as nominations
    from civdesk.nominations import review as nomination_review

    open_existing(args, read_only=False)
    actor = login(args)
    session = _session(args.session)
    if session.phase == "recommend":
        nominations.start_check(actor, session.id)
    elif session.phase == "check":
        nominations.start_review(actor, session.id)
    elif session.phase == "review":
        nomination_review.close_review(actor, session.id, allow_incomplete=args.allow_incomplete)
    else:
        raise CivDeskError(f"「{session.name}」现在是{PHASES[session.phase]}阶段：公示和表彰请在程序界面中进行。")
    print(f"「{session.name}」现在是{PHASES[nominations.get_session(session.id).phase]}阶段")
    return 0


def _out(args) -> Path:
    return Path(args.out).expanduser()


def cmd_report_form(args, lock) -> int:
    from civdesk.nominations.reports import nomination_form

    open_existing(args, read_only=False)
    actor = login(args)

    nomination = _nomination(args.nomination)
    pages = nomination_form(_out(args), nomination.id, actor=actor, full_numbers=args.full_numbers)
    print(f"已生成推荐表（共 {pages} 页），已保存到 {args.out}")
    return 0


def _session_report(kind: str):
    def run(args, lock) -> int:
        from civdesk.nominations import award as nomination_award
        from civdesk.nominations import reports

        open_existing(args, read_only=False)
        actor = login(args)
        session = _session(args.session)
        out = _out(args)
        if kind == "tally":
            pages, what = reports.tally_pdf(out, session.id, actor=actor), "评议汇总表"
        elif kind == "notice":
            pages, what = reports.notice_pdf(out, session.id, actor=actor), "公示名单"
        elif kind == "decision":
            pages, what = reports.decision_pdf(out, session.id, actor=actor), "表彰决定"
        else:
            ids = [n.id for n in nomination_award.honoured(session.id)]
            pages, what = reports.stories_pdf(out, ids, actor=actor, title=f"{session.name}事迹材料"), "事迹材料"
        print(f"已生成{session.name}{what}（共 {pages} 页），已保存到 {out}")
        return 0
    return run


def cmd_person_merge(args, lock) -> int:
    from civdesk.cli import merging
    from civdesk.nominations import merges

    open_existing(args, read_only=args.dry_run and not args.reveal)
    actor = login(args)
    keep, other = (merging.record_id(key, merges, "被推荐人", "nomination person-duplicates") for key in (args.keep, args.other))
    preview = merges.preview(actor, keep, other, reveal=args.reveal)
    chosen = merging.choices(args.take, preview)
    if not args.dry_run:
        merges.merge(actor, keep, other, chosen)
    merging.show(args, preview, chosen, not args.dry_run,
                 lambda side: f"{side.name}（{side.id_masked}，记录 {side.id[:8]}）")
    return 0


def cmd_person_duplicates(args, lock) -> int:
    from civdesk.cli import merging
    from civdesk.nominations import merges

    return merging.list_pairs(args, merges, lambda r: f"{r['name']}\t{r['keep_id'][:8]}\t{r['other_id'][:8]}\t{r['reason']}",
                              "共 {n} 对疑似重复登记的被推荐人（nomination person-merge 保留的记录 合并的记录）")


def _add_person_merge(group, acting: Parser) -> None:
    from civdesk.cli import merging

    p = group.add_parser("person-merge", parents=[acting], help=(
        "合并重复登记的同一个被推荐人（审核人、系统管理员）：KEEP、OTHER 写记录编号（至少前 8 位，"
        "见 person-duplicates）；推荐、荣誉、向上推荐都归到 KEEP"))
    merging.add_arguments(p, "被推荐人")
    p.set_defaults(func=cmd_person_merge, writes=True)
    p = group.add_parser("person-duplicates", parents=[acting],
                         help="列出疑似重复登记的被推荐人（同一身份证号码，或同名且号码只差一两位）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_person_duplicates, writes=False)


def add_commands(sub, acting: Parser, report) -> None:
    group = sub.add_parser("nomination", help="身边好人、道德模范评选").add_subparsers(
        dest="nomination_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    p = group.add_parser("sessions", help="列出评选活动")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sessions, writes=False)
    p = group.add_parser("list", help="列出一次评选的推荐（身份证号码已隐去中间位）")
    p.add_argument("--session", required=True, metavar="ID_OR_NAME", help="评选活动的编号或名称")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list, writes=False)
    p = group.add_parser("tally", help="评议结果：排名、名额、并列")
    p.add_argument("--session", required=True, metavar="ID_OR_NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tally, writes=False)

    p = group.add_parser("score", parents=[acting], help="代一位评议委员录入对一名被推荐人的打分或投票")
    p.add_argument("--nomination", required=True, metavar="ID", help="推荐编号（至少前 8 位）")
    p.add_argument("--member", required=True, metavar="NAME", help="评议委员姓名")
    p.add_argument("--values", required=True, metavar="ITEM=VALUE,…", help="如 事迹真实性=90,感人程度=85；投票写 投票=赞成")
    p.set_defaults(func=cmd_score, writes=True)
    p = group.add_parser("advance", parents=[acting], help="进入下一阶段：推荐→初审→评议→结束评议（打分锁定）")
    p.add_argument("--session", required=True, metavar="ID_OR_NAME")
    p.add_argument("--allow-incomplete", action="store_true", help="结束评议时允许还有委员没有评完")
    p.set_defaults(func=cmd_advance, writes=True)
    _add_person_merge(group, acting)

    out_help = "输出的 PDF 文件"
    p = report.add_parser("nomination-form", parents=[acting], help="一条推荐的推荐表（含照片和事迹）")
    p.add_argument("--nomination", required=True, metavar="ID")
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--full-numbers", action="store_true", help="印完整身份证号码和电话（报送上级时用，记入审计日志）")
    p.set_defaults(func=cmd_report_form, writes=True)
    for kind, name, text in (("tally", "nomination-tally", "评议汇总表（排名、名额线、并列及决定）"),
                             ("notice", "nomination-notice", "公示名单（公文格式）"),
                             ("decision", "nomination-decision", "表彰决定（公文格式，作出表彰决定后）"),
                             ("stories", "nomination-stories", "受表彰者的事迹材料，每人一页起")):
        p = report.add_parser(name, parents=[acting], help=text)
        p.add_argument("--session", required=True, metavar="ID_OR_NAME", help="评选活动的编号或名称")
        p.add_argument("--out", required=True, help=out_help)
        p.set_defaults(func=_session_report(kind), writes=True)
