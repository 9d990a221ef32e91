"""The volunteer statistics as they were computed before one pass served every figure (one query per
figure, six passes over the service records): the reference tests compare ``stats.compute`` with."""

from __future__ import annotations

import datetime as dt

from peewee import fn

from civdesk.core import merges as merging
from civdesk.office import offices
from civdesk.volunteers import hours as hours_service
from civdesk.volunteers.hours import decided
from civdesk.volunteers.models import ServiceRecord, Team, TeamMember, Volunteer
from civdesk.volunteers.stats import STAR_NAMES, VolunteerStats


def _approved(query, date_from, date_to):
    # Hours of a deleted registration (made by mistake) leave the figures with the volunteer; those
    # of a person registered twice and merged count for the person kept.
    deleted = Volunteer.select(Volunteer.id).where((Volunteer.deleted == True) & Volunteer.merged_into.is_null())  # noqa: E712
    return query.where(decided("approved") & (ServiceRecord.service_date >= date_from)
                       & (ServiceRecord.service_date <= date_to) & ServiceRecord.volunteer_id.not_in(deleted))


def _by_team(date_from: dt.date, date_to: dt.date, merged) -> list[tuple[str, int]]:
    """Approved half-hours per team of its members; a member's merged records count too."""
    if not merged.survivor_of:
        return list(_approved(ServiceRecord.select(Team.name, fn.SUM(ServiceRecord.half_hours))
                              .join_from(ServiceRecord, TeamMember,
                                         on=(TeamMember.volunteer_id == ServiceRecord.volunteer_id))
                              .join_from(TeamMember, Team, on=(Team.id == TeamMember.team_id)),
                              date_from, date_to)
                    .where((TeamMember.deleted == False) & (Team.deleted == False))  # noqa: E712
                    .group_by(Team.id).tuples())
    per_person = merged.fold(dict(_approved(ServiceRecord.select(ServiceRecord.volunteer_id,
                                                                 fn.SUM(ServiceRecord.half_hours)), date_from, date_to)
                                  .group_by(ServiceRecord.volunteer_id).tuples()))
    members: dict[str, set[str]] = {}
    for team_id, vid in (TeamMember.select(TeamMember.team_id, TeamMember.volunteer_id)
                         .where(TeamMember.deleted == False).tuples()):  # noqa: E712
        members.setdefault(team_id, set()).add(merged.survivor(vid))
    names = dict(Team.select(Team.id, Team.name).where(Team.deleted == False).tuples())  # noqa: E712
    return [(names[tid], sum(per_person.get(v, 0) for v in people)) for tid, people in members.items()
            if tid in names and any(per_person.get(v) for v in people)]


def compute(date_from: dt.date, date_to: dt.date) -> VolunteerStats:
    merged = merging.merges(Volunteer)
    live = merging.live(Volunteer, merged)
    count = lambda cond: Volunteer.select(fn.COUNT(Volunteer.id)).where(live & cond).scalar()  # noqa: E731
    total_half = _approved(ServiceRecord.select(fn.COALESCE(fn.SUM(ServiceRecord.half_hours), 0)),
                           date_from, date_to).scalar() or 0
    served = len({merged.survivor(vid) for (vid,) in _approved(
        ServiceRecord.select(ServiceRecord.volunteer_id).distinct(), date_from, date_to).tuples()})
    month = fn.SUBSTR(ServiceRecord.service_date, 1, 7)
    by_month = dict(_approved(ServiceRecord.select(month, fn.SUM(ServiceRecord.half_hours)), date_from, date_to)
                    .group_by(month).tuples())
    months, cursor = [], date_from.replace(day=1)
    while cursor <= date_to:
        key = cursor.strftime("%Y-%m")
        months.append((key, (by_month.get(key) or 0) / 2))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)

    villages = offices.names("village")
    by_village_raw = (_approved(ServiceRecord.select(Volunteer.village_id, fn.SUM(ServiceRecord.half_hours))
                                .join_from(ServiceRecord, Volunteer, on=(Volunteer.id == ServiceRecord.volunteer_id)),
                                date_from, date_to).group_by(Volunteer.village_id).tuples())
    by_village = sorted(((villages.get(vid, "未指定村/社区"), half / 2) for vid, half in by_village_raw),
                        key=lambda item: -item[1])

    by_team_raw = _by_team(date_from, date_to, merged)
    by_team = sorted(((name, half / 2) for name, half in by_team_raw), key=lambda item: -item[1])

    thresholds = hours_service.star_thresholds()
    all_totals = merged.fold(dict(_approved(ServiceRecord.select(ServiceRecord.volunteer_id, fn.SUM(ServiceRecord.half_hours)),
                                dt.date(1900, 1, 1), dt.date(9999, 12, 31)).group_by(ServiceRecord.volunteer_id).tuples()))
    stars = [0] * (len(thresholds) + 1)
    for (vid,) in Volunteer.select(Volunteer.id).where(live & (Volunteer.status == "active")).tuples():
        stars[hours_service.star_level(all_totals.get(vid, 0), thresholds)] += 1
    names = [STAR_NAMES[i] if i < len(STAR_NAMES) else f"{i}星" for i in range(len(stars))]
    return VolunteerStats(
        date_from, date_to,
        volunteers_active=count(Volunteer.status == "active"), volunteers_left=count(Volunteer.status == "left"),
        volunteers_new=count((Volunteer.join_date >= date_from) & (Volunteer.join_date <= date_to)),
        total_hours=total_half / 2, served_volunteers=served, by_month=months, by_team=by_team,
        by_village=by_village, stars=list(zip(names, stars, strict=True)))
