"""Command-line commands of volunteer teams and activities: ``team …`` and ``activity …``.

Teams and activities are named by their name (or id); volunteers by ID number or volunteer
number, as ``volunteer list`` shows them. An activity whose name is shared by several is
named with ``--date`` (its start date) as well.
"""

from __future__ import annotations

from civdesk.cli.common import Parser, date_arg, login, open_existing, print_json
from civdesk.core import db
from civdesk.office import offices as office_service
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers import teams


def _village_id(name: str | None) -> str | None:
    return volunteers.resolve_village(name) if name else None


def _volunteer_ids(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(volunteers.find(key).id for key in keys))


# --- team … ------------------------------------------------------------------------------------


def cmd_team_add(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    values = {"name": args.name, "village_id": _village_id(args.village),
              "parent_id": teams.find_team(args.parent).id if args.parent else None,
              "leader_id": volunteers.find(args.leader).id if args.leader else None,
              "service_category": args.category or "", "founded_date": args.founded or None, "note": args.note or ""}
    team = teams.create_team(actor, values)
    print(f"已建立志愿队伍「{team.name}」")
    return 0


def team_rows() -> list[dict]:
    villages = office_service.names("village")
    names = {t.id: t.name for t in teams.teams()}
    rows = []
    for team in teams.teams():
        members = teams.members(team.id)
        leader = next((v.name for v, _role in members if v.id == team.leader_id), "")
        rows.append({"id": team.id, "name": team.name, "parent": names.get(team.parent_id, ""),
                     "village": villages.get(team.village_id, ""), "leader": leader, "members": len(members),
                     "service_category": team.service_category,
                     "founded_date": team.founded_date.isoformat() if team.founded_date else None})
    return rows


def cmd_team_list(args, lock) -> int:
    open_existing(args, read_only=True)
    rows = team_rows()
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        parent = f"（上级：{row['parent']}）" if row["parent"] else ""
        print(f"{row['name']}{parent}\t{row['village'] or '全镇'}\t负责人 {row['leader'] or '—'}\t{row['members']} 人")
    print(f"共 {len(rows)} 支志愿队伍")
    return 0


def cmd_team_members(args, lock) -> int:
    open_existing(args, read_only=True)
    team = teams.find_team(args.team)
    rows = [{"volunteer_id": v.id, "number": v.number, "name": v.name, "role": role} for v, role in teams.members(team.id)]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['number']}\t{row['name']}\t{row['role']}")
    print(f"「{team.name}」共 {len(rows)} 名队员")
    return 0


def cmd_team_add_member(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    team = teams.find_team(args.team)
    ids = _volunteer_ids(args.volunteers)
    with db.database.atomic():
        for volunteer_id in ids:
            teams.add_member(actor, team.id, volunteer_id, role=args.role)
    print(f"已把 {len(ids)} 名志愿者加入「{team.name}」（{args.role}）")
    return 0


# --- activity … --------------------------------------------------------------------------------


def cmd_activity_add(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    values = {"name": args.name, "start_date": args.start, "end_date": args.end or args.start,
              "team_id": teams.find_team(args.team).id if args.team else None, "village_id": _village_id(args.village),
              "place": args.place or "", "content": args.content or "", "organizer": args.organizer or "",
              "person_in_charge": args.person_in_charge or "", "service_category": args.category or ""}
    activity = teams.create_activity(actor, values)
    print(f"已登记志愿活动「{activity.name}」（{activity.start_date.isoformat()} 至 {activity.end_date.isoformat()}）")
    return 0


def activity_rows(date_from=None, date_to=None) -> list[dict]:
    villages = office_service.names("village")
    team_names = {t.id: t.name for t in teams.teams()}
    return [{"id": a.id, "name": a.name, "start_date": a.start_date.isoformat(), "end_date": a.end_date.isoformat(),
             "place": a.place, "team": team_names.get(a.team_id, ""), "village": villages.get(a.village_id, ""),
             "organizer": a.organizer, "person_in_charge": a.person_in_charge, "content": a.content,
             "participants": len(teams.participants(a.id))}
            for a in teams.activities(date_from, date_to)]


def cmd_activity_list(args, lock) -> int:
    open_existing(args, read_only=True)
    rows = activity_rows(date_arg(args.date_from, "起始日期"), date_arg(args.date_to, "截止日期"))
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        days = row["start_date"] if row["start_date"] == row["end_date"] else f"{row['start_date']} 至 {row['end_date']}"
        print(f"{days}\t{row['name']}\t{row['place'] or '—'}\t{row['team'] or '—'}\t{row['participants']} 人参加")
    print(f"共 {len(rows)} 个志愿活动")
    return 0


def _activity(args):
    return teams.find_activity(args.activity, date_arg(args.date, "活动开始日期"))


def cmd_participants(args, lock) -> int:
    open_existing(args, read_only=True)
    activity = _activity(args)
    rows = [{"volunteer_id": v.id, "number": v.number, "name": v.name} for v in teams.participants(activity.id)]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['number']}\t{row['name']}")
    print(f"「{activity.name}」共 {len(rows)} 人参加")
    return 0


def cmd_add_participant(args, lock) -> int:
    open_existing(args, read_only=False)
    actor = login(args)
    activity = _activity(args)
    ids = _volunteer_ids(args.volunteers)
    with db.database.atomic():
        for volunteer_id in ids:
            teams.add_participant(actor, activity.id, volunteer_id)
    print(f"已登记 {len(ids)} 名志愿者参加「{activity.name}」（服务时长请用 hours import 或在程序中录入）")
    return 0


def _add_team_commands(sub, acting: Parser) -> None:
    group = sub.add_parser("team", help="志愿队伍").add_subparsers(dest="team_command", metavar="ACTION",
                                                                 parser_class=Parser)
    group.required = True
    p = group.add_parser("add", parents=[acting], help="建立志愿队伍")
    p.add_argument("name", metavar="NAME", help="队伍名称，如 桂花村巾帼志愿服务队")
    p.add_argument("--parent", metavar="TEAM", help="上级队伍的名称")
    p.add_argument("--village", metavar="NAME", help="所属村/社区（不填为全镇的队伍）")
    p.add_argument("--leader", metavar="ID_NUMBER_OR_VOLUNTEER_NUMBER", help="负责人（队长）的证件号码或志愿者编号")
    p.add_argument("--category", help="服务类别，如 敬老助残")
    p.add_argument("--founded", metavar="DATE", help="成立日期，如 2024-03-05")
    p.add_argument("--note", help="备注")
    p.set_defaults(func=cmd_team_add, writes=True)
    p = group.add_parser("list", help="列出志愿队伍（按拼音排序）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_team_list, writes=False)
    p = group.add_parser("members", help="列出一支队伍的队员")
    p.add_argument("team", metavar="TEAM", help="队伍名称")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_team_members, writes=False)
    p = group.add_parser("add-member", parents=[acting], help="把志愿者加入队伍（可一次写几名）")
    p.add_argument("team", metavar="TEAM", help="队伍名称")
    p.add_argument("volunteers", nargs="+", metavar="VOLUNTEER", help="证件号码或志愿者编号")
    p.add_argument("--role", default="队员", help="在队伍中的职务（默认：队员）")
    p.set_defaults(func=cmd_team_add_member, writes=True)


def _add_activity_commands(sub, acting: Parser) -> None:
    group = sub.add_parser("activity", help="志愿活动及参加人员").add_subparsers(
        dest="activity_command", metavar="ACTION", parser_class=Parser)
    group.required = True
    p = group.add_parser("add", parents=[acting], help="登记志愿活动")
    p.add_argument("name", metavar="NAME", help="活动名称，如 重阳节敬老志愿服务")
    p.add_argument("--start", required=True, metavar="DATE", help="开始日期，如 2026-10-29")
    p.add_argument("--end", metavar="DATE", help="结束日期（默认与开始日期相同）")
    p.add_argument("--team", metavar="TEAM", help="组织队伍的名称")
    p.add_argument("--village", metavar="NAME", help="所属村/社区")
    p.add_argument("--place", help="地点")
    p.add_argument("--content", help="服务内容")
    p.add_argument("--organizer", help="组织单位")
    p.add_argument("--person-in-charge", help="负责人")
    p.add_argument("--category", help="服务类别")
    p.set_defaults(func=cmd_activity_add, writes=True)
    p = group.add_parser("list", help="列出志愿活动（新的在前）")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="只列这天以后结束的活动")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="只列这天以前开始的活动")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_activity_list, writes=False)
    p = group.add_parser("participants", help="列出一个活动的参加人员")
    p.add_argument("activity", metavar="ACTIVITY", help="活动名称")
    p.add_argument("--date", metavar="DATE", help="活动开始日期（有同名活动时必填）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_participants, writes=False)
    p = group.add_parser("add-participant", parents=[acting], help="登记参加活动的志愿者（可一次写几名）")
    p.add_argument("activity", metavar="ACTIVITY", help="活动名称")
    p.add_argument("volunteers", nargs="+", metavar="VOLUNTEER", help="证件号码或志愿者编号")
    p.add_argument("--date", metavar="DATE", help="活动开始日期（有同名活动时必填）")
    p.set_defaults(func=cmd_add_participant, writes=True)


def add_commands(sub, acting: Parser) -> None:
    _add_team_commands(sub, acting)
    _add_activity_commands(sub, acting)
