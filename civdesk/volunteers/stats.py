"""Volunteer statistics: counts, approved hours by month, team and village, star distribution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import SQL, Case, NodeList, fn

from civdesk.core import merges as merging
from civdesk.office import offices
from civdesk.volunteers import hours as hours_service
from civdesk.volunteers.hours import decided
from civdesk.volunteers.models import ServiceRecord, Team, TeamMember, Volunteer


@dataclass(frozen=True)
class VolunteerStats:
    date_from: dt.date
    date_to: dt.date
    volunteers_active: int
    volunteers_left: int
    volunteers_new: int  # registered within the period
    total_hours: float
    served_volunteers: int  # volunteers with approved hours in the period
    by_month: list[tuple[str, float]] = field(default_factory=list)  # ("2026-03", hours)
    by_team: list[tuple[str, float]] = field(default_factory=list)
    by_village: list[tuple[str, float]] = field(default_factory=list)
    stars: list[tuple[str, int]] = field(default_factory=list)  # ("未评星", n), ("一星", n) …


STAR_NAMES = ("未评星", "一星", "二星", "三星", "四星", "五星")


def _approved(query, date_from, date_to, *, date=ServiceRecord.service_date):
    # Hours of a deleted registration (made by mistake) leave the figures with the volunteer; those
    # of a person registered twice and merged count for the person kept.
    deleted = Volunteer.select(Volunteer.id).where((Volunteer.deleted == True) & Volunteer.merged_into.is_null())  # noqa: E712
    return query.where(decided("approved") & (date >= date_from) & (date <= date_to)
                       & ServiceRecord.volunteer_id.not_in(deleted))


def _per_volunteer(date_from: dt.date, date_to: dt.date) -> list[tuple]:
    """One pass over the approved records of every date: per volunteer and month of the period,
    the half-hours (month None: outside the period)."""
    in_period = (ServiceRecord.service_date >= date_from) & (ServiceRecord.service_date <= date_to)
    month = Case(None, [(in_period, fn.SUBSTR(ServiceRecord.service_date, 1, 7))], None)
    query = ServiceRecord.select(ServiceRecord.volunteer_id, month, fn.SUM(ServiceRecord.half_hours))
    # "+date": every record is read, so a scan beats walking the date index to each row (5.8 → 3.5 s)
    unindexed = NodeList((SQL("+"), ServiceRecord.service_date), glue="")
    return list(_approved(query, dt.date(1900, 1, 1), dt.date(9999, 12, 31), date=unindexed)
                .group_by(ServiceRecord.volunteer_id, month).tuples())


@dataclass
class _Sums:
    """The figures of the service records, summed from the one pass of ``_per_volunteer``."""

    total: int = 0
    all_time: dict[str, int] = field(default_factory=dict)  # volunteer → half-hours, every date
    period: dict[str, int] = field(default_factory=dict)  # volunteer → half-hours in the period
    months: dict[str, int] = field(default_factory=dict)
    villages: dict[str | None, int] = field(default_factory=dict)

    @classmethod
    def of(cls, rows, village_of: dict[str, str | None]) -> _Sums:
        sums = cls()
        for vid, month, half in rows:
            sums.all_time[vid] = _add(sums.all_time.get(vid), half)
            if month is None:
                continue
            sums.total += half or 0
            sums.period[vid] = _add(sums.period.get(vid), half)
            sums.months[month] = sums.months.get(month, 0) + (half or 0)
            if vid in village_of:  # a record naming nobody on file has no village
                village = village_of[vid]
                sums.villages[village] = sums.villages.get(village, 0) + (half or 0)
        return sums


def _add(sofar, half):
    """SUM's way: NULLs are left out, and a sum of nothing but NULLs stays NULL."""
    return half if sofar is None else sofar + (half or 0)


def _by_team(period: dict[str, int], merged) -> list[tuple[str, int]]:
    """Approved half-hours per team of its members; a member's merged records count too."""
    names = dict(Team.select(Team.id, Team.name).where(Team.deleted == False).tuples())  # noqa: E712
    rows = (TeamMember.select(TeamMember.team_id, TeamMember.volunteer_id)
            .where(TeamMember.deleted == False).tuples())  # noqa: E712
    if not merged.survivor_of:  # each membership row counts its member's records once
        sums: dict[str, int] = {}
        for team_id, vid in rows:
            if team_id in names and vid in period:
                sums[team_id] = sums.get(team_id, 0) + (period[vid] or 0)
        return [(names[tid], sums[tid]) for tid in sorted(sums)]
    per_person = merged.fold(period)
    members: dict[str, set[str]] = {}
    for team_id, vid in rows:
        members.setdefault(team_id, set()).add(merged.survivor(vid))
    return [(names[tid], sum(per_person.get(v, 0) for v in people)) for tid, people in members.items()
            if tid in names and any(per_person.get(v) for v in people)]


def _months(date_from: dt.date, date_to: dt.date, by_month: dict[str, int]) -> list[tuple[str, float]]:
    months, cursor = [], date_from.replace(day=1)
    while cursor <= date_to:
        key = cursor.strftime("%Y-%m")
        months.append((key, (by_month.get(key) or 0) / 2))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return months


def compute(date_from: dt.date, date_to: dt.date) -> VolunteerStats:
    merged = merging.merges(Volunteer)
    live = merging.live(Volunteer, merged)
    count = lambda cond: fn.COUNT(Case(None, [(cond, 1)], None))  # noqa: E731
    active, left, new = (Volunteer.select(count(Volunteer.status == "active"), count(Volunteer.status == "left"),
                                          count((Volunteer.join_date >= date_from) & (Volunteer.join_date <= date_to)))
                         .where(live).tuples().get())
    sums = _Sums.of(_per_volunteer(date_from, date_to), dict(Volunteer.select(Volunteer.id, Volunteer.village_id).tuples()))
    served = len({merged.survivor(vid) for vid in sums.period})

    villages = offices.names("village")
    by_village = sorted(((villages.get(vid, "未指定村/社区"), sums.villages[vid] / 2)
                         for vid in sorted(sums.villages, key=lambda v: (v is not None, v or ""))),
                        key=lambda item: -item[1])
    by_team = sorted(((name, half / 2) for name, half in _by_team(sums.period, merged)), key=lambda item: -item[1])

    thresholds = hours_service.star_thresholds()
    all_totals = merged.fold(sums.all_time)
    stars = [0] * (len(thresholds) + 1)
    for (vid,) in Volunteer.select(Volunteer.id).where(live & (Volunteer.status == "active")).tuples():
        stars[hours_service.star_level(all_totals.get(vid, 0), thresholds)] += 1
    names = [STAR_NAMES[i] if i < len(STAR_NAMES) else f"{i}星" for i in range(len(stars))]
    return VolunteerStats(
        date_from, date_to, volunteers_active=active, volunteers_left=left, volunteers_new=new,
        total_hours=sums.total / 2, served_volunteers=served, by_month=_months(date_from, date_to, sums.months),
        by_team=by_team, by_village=by_village, stars=list(zip(names, stars, strict=True)))
