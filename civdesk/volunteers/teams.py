"""Volunteer teams (志愿队伍) with parent teams, leaders and members, and activities (志愿活动)."""

from __future__ import annotations

import datetime as dt

from peewee import fn

from civdesk.core import changes, validation
from civdesk.core import merges as merging
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.volunteers import hours as hours_service
from civdesk.volunteers.models import Activity, ActivityParticipant, Team, TeamMember, Volunteer
from civdesk.volunteers.roster import resolve_village

_LIVE = False  # comparisons against the tombstone flag read better with a name


def teams() -> list[Team]:
    return list(Team.select().where(Team.deleted == _LIVE).order_by(Team.name_pinyin))


def get_team(team_id: str) -> Team:
    team = Team.get_or_none((Team.id == team_id) & (Team.deleted == _LIVE))
    if team is None:
        raise NotFound("找不到这支志愿队伍。")
    return team


def find_team(key: str) -> Team:
    """A team by its name or id (the command line)."""
    text = validation.normalize_text(key)
    team = Team.get_or_none(((Team.name == text) | (Team.id == text)) & (Team.deleted == _LIVE))
    if team is None:
        known = "、".join(t.name for t in teams()[:20])
        raise NotFound(f"没有名为「{text}」的志愿队伍。" + (f"现有队伍：{known}" if known else "还没有登记任何队伍。"))
    return team


def _clean_team(values: dict, existing: Team | None = None) -> dict:
    errors, out = {}, {}
    name = validation.required(values.get("name", existing.name if existing else ""), "队伍名称")
    if not name.ok:
        errors["name"] = name.error
    else:
        out["name"] = name.value
        clash = Team.select().where((Team.name == name.value) & (Team.deleted == _LIVE))
        if existing:
            clash = clash.where(Team.id != existing.id)
        if clash.exists():
            errors["name"] = f"已有名为「{name.value}」的队伍"
    parent = values.get("parent_id", existing.parent_id if existing else None) or None
    if parent:
        if existing and _is_descendant(parent, existing.id):
            errors["parent_id"] = "上级队伍不能是它自己或它的下级队伍"
        elif not Team.select().where((Team.id == parent) & (Team.deleted == _LIVE)).exists():
            errors["parent_id"] = "找不到上级队伍"
    out["parent_id"] = parent
    leader = values.get("leader_id", existing.leader_id if existing else None) or None
    if leader and not Volunteer.select().where((Volunteer.id == leader) & (Volunteer.deleted == _LIVE)).exists():
        errors["leader_id"] = "找不到这名负责人"
    out["leader_id"] = leader
    try:
        out["village_id"] = resolve_village(values.get("village_id", existing.village_id if existing else None))
    except ValidationError as exc:
        errors.update(exc.errors)
    founded = values.get("founded_date", existing.founded_date if existing else None)
    if founded not in (None, ""):
        checked = validation.date_value(founded, "成立日期")
        if checked.ok:
            out["founded_date"] = checked.value
        else:
            errors["founded_date"] = checked.error
    else:
        out["founded_date"] = None
    for key in ("service_category", "note"):
        out[key] = str(values.get(key, getattr(existing, key) if existing else "") or "").strip()
    if errors:
        raise ValidationError(errors)
    return out


def _is_descendant(candidate: str, ancestor: str) -> bool:
    seen, current = set(), candidate
    while current and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        parent = Team.get_or_none(Team.id == current)
        current = parent.parent_id if parent else None
    return False


def create_team(actor: Actor, values: dict) -> Team:
    require(actor, "edit_volunteers")
    cleaned = _clean_team(values)
    team = changes.create(Team, actor, cleaned, scope=cleaned.get("village_id"))
    if cleaned.get("leader_id"):
        add_member(actor, team.id, cleaned["leader_id"], role="队长")
    return team


def update_team(actor: Actor, team_id: str, values: dict) -> dict:
    require(actor, "edit_volunteers")
    team = get_team(team_id)
    cleaned = _clean_team(values, team)
    former = team.leader_id
    changed = changes.update(team, actor, cleaned)
    if "leader_id" in changed and former:  # one 队长: the former leader stays on as a member
        member = TeamMember.get_or_none(TeamMember.id == changes.deterministic_id("team-member", team.id, former))
        if member is not None and not member.deleted and member.role == "队长":
            changes.update(member, actor, {"role": "队员"})
    if "leader_id" in changed and cleaned.get("leader_id"):
        add_member(actor, team.id, cleaned["leader_id"], role="队长")
    return changed


def add_member(actor: Actor, team_id: str, volunteer_id: str, role: str = "队员",
               joined: dt.date | None = None) -> TeamMember:
    require(actor, "edit_volunteers")
    team = get_team(team_id)
    volunteer = Volunteer.get_or_none((Volunteer.id == volunteer_id) & (Volunteer.deleted == _LIVE))
    if volunteer is None:
        raise NotFound("找不到这名志愿者。")
    member_id = changes.deterministic_id("team-member", team.id, volunteer.id)
    existing = TeamMember.get_or_none(TeamMember.id == member_id)
    values = {"team_id": team.id, "volunteer_id": volunteer.id, "role": role,
              "joined_date": joined or dt.date.today()}
    if existing is None:
        return changes.create(TeamMember, actor, values, id=member_id, scope=volunteer.scope,
                              record_label=f"{team.name}：{volunteer.name}")
    # adding is an event of the set: it outranks a removal made elsewhere before it (latest wins)
    changes.update(existing, actor, {"role": role, "deleted": False}, record_label=f"{team.name}：{volunteer.name}",
                   restate=("deleted",))
    return existing


def remove_member(actor: Actor, team_id: str, volunteer_id: str) -> None:
    require(actor, "edit_volunteers")
    member = TeamMember.get_or_none(TeamMember.id == changes.deterministic_id("team-member", team_id, volunteer_id))
    if member is None or member.deleted:
        raise NotFound("这名志愿者不在这支队伍中。")
    changes.delete(member, actor)


def members(team_id: str) -> list[tuple[Volunteer, str]]:
    """The team's members; a member merged into another record is listed as the person kept
    (once, with the first role found)."""
    found = merging.merges(Volunteer)
    roles = dict(TeamMember.select(TeamMember.volunteer_id, TeamMember.role)
                 .where((TeamMember.team_id == team_id) & (TeamMember.deleted == _LIVE))
                 .order_by(TeamMember.created_at.desc(), TeamMember.id.desc()).tuples())
    kept: dict[str, str] = {}
    for vid, role in roles.items():
        kept.setdefault(found.survivor(vid), role)
    query = (Volunteer.select().where((Volunteer.id << list(kept)) & merging.live(Volunteer, found))
             .order_by(Volunteer.name_pinyin))
    return [(v, kept[v.id]) for v in query]


def member_counts() -> dict[str, int]:
    """Team id → its live members, for every team in one query."""
    query = (TeamMember.select(TeamMember.team_id, fn.COUNT(TeamMember.id))
             .join(Volunteer, on=(TeamMember.volunteer_id == Volunteer.id))
             .where((TeamMember.deleted == _LIVE) & (Volunteer.deleted == _LIVE)).group_by(TeamMember.team_id))
    return dict(query.tuples())


def teams_of(volunteer_id: str) -> list[Team]:
    family = merging.merges(Volunteer).family([volunteer_id])
    return list(Team.select().join(TeamMember, on=(TeamMember.team_id == Team.id))
                .where((TeamMember.volunteer_id << family) & (TeamMember.deleted == _LIVE)
                       & (Team.deleted == _LIVE)).distinct().order_by(Team.name_pinyin))


# --- activities ----------------------------------------------------------------------------


def activities(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[Activity]:
    query = Activity.select().where(Activity.deleted == _LIVE)
    if date_from:
        query = query.where(Activity.end_date >= date_from)
    if date_to:
        query = query.where(Activity.start_date <= date_to)
    return list(query.order_by(Activity.start_date.desc(), Activity.name_pinyin))


def get_activity(activity_id: str) -> Activity:
    activity = Activity.get_or_none((Activity.id == activity_id) & (Activity.deleted == _LIVE))
    if activity is None:
        raise NotFound("找不到这个活动。")
    return activity


def find_activity(key: str, start_date: dt.date | None = None) -> Activity:
    """An activity by its id or its name, with its start date when several share the name."""
    text = validation.normalize_text(key)
    query = Activity.select().where(((Activity.name == text) | (Activity.id == text)) & (Activity.deleted == _LIVE))
    if start_date is not None:
        query = query.where(Activity.start_date == start_date)
    found = list(query.order_by(Activity.start_date).limit(11))
    if not found:
        when = f"（开始日期 {start_date.isoformat()}）" if start_date else ""
        raise NotFound(f"没有名为「{text}」{when}的志愿活动。")
    if len(found) > 1:
        dates = "、".join(a.start_date.isoformat() for a in found[:10])
        raise ValidationError({"activity_id": f"有 {len(found)} 个名为「{text}」的活动（开始日期 {dates}），"
                                              "请同时给出开始日期"})
    return found[0]


def _clean_activity(values: dict, existing: Activity | None = None) -> dict:
    merged = {**({k: getattr(existing, k) for k in Activity.data_fields()} if existing else {}), **values}
    checks = {"name": validation.required(merged.get("name"), "活动名称"),
              "start_date": validation.date_value(merged.get("start_date"), "开始日期"),
              "end_date": validation.date_value(merged.get("end_date") or merged.get("start_date"), "结束日期")}
    errors = {k: c.error for k, c in checks.items() if not c.ok}
    out = {k: c.value for k, c in checks.items() if c.ok}
    if not errors and out["end_date"] < out["start_date"]:
        errors["end_date"] = "结束日期不能早于开始日期"
    team = merged.get("team_id") or None
    if team and not Team.select().where((Team.id == team) & (Team.deleted == _LIVE)).exists():
        errors["team_id"] = "找不到这支队伍"
    out["team_id"] = team
    try:
        out["village_id"] = resolve_village(merged.get("village_id"))
    except ValidationError as exc:
        errors.update(exc.errors)
    for key in ("place", "content", "organizer", "person_in_charge", "service_category"):
        out[key] = str(merged.get(key) or "").strip()
    if errors:
        raise ValidationError(errors)
    return out


def create_activity(actor: Actor, values: dict) -> Activity:
    require(actor, "edit_volunteers")
    cleaned = _clean_activity(values)
    return changes.create(Activity, actor, cleaned, scope=cleaned.get("village_id"))


def update_activity(actor: Actor, activity_id: str, values: dict) -> dict:
    require(actor, "edit_volunteers")
    activity = get_activity(activity_id)
    cleaned = _clean_activity(values, activity)
    if hours_service.records(activity_id=activity.id, limit=1):
        outside = [r for r in hours_service.records(activity_id=activity.id)
                   if not (cleaned["start_date"].isoformat() <= r.service_date <= cleaned["end_date"].isoformat())]
        if outside:
            raise CivDeskError(f"已有 {len(outside)} 条服务记录的日期不在新的活动日期内，不能这样修改活动日期。")
    return changes.update(activity, actor, cleaned)


def add_participant(actor: Actor, activity_id: str, volunteer_id: str) -> None:
    require(actor, "edit_volunteers")
    volunteer = Volunteer.get_or_none((Volunteer.id == volunteer_id) & (Volunteer.deleted == _LIVE))
    if volunteer is None:
        raise NotFound("找不到这名志愿者。")
    hours_service.add_participant(actor, get_activity(activity_id), volunteer)


def participants(activity_id: str) -> list[Volunteer]:
    found = merging.merges(Volunteer)
    ids = {found.survivor(vid) for (vid,) in ActivityParticipant.select(ActivityParticipant.volunteer_id).where(
        (ActivityParticipant.activity_id == activity_id) & (ActivityParticipant.deleted == _LIVE)).tuples()}
    # A participant merged into another record is the person kept, listed once.
    return list(Volunteer.select().where((Volunteer.id << sorted(ids)) & merging.live(Volunteer, found))
                .order_by(Volunteer.name_pinyin))
