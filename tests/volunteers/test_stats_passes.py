"""The volunteer statistics from one pass over the service records give exactly the figures the
one-query-per-figure computation gave (tests/volunteers/stats_reference.py), figure by figure."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from civdesk.volunteers import merges, stats
from civdesk.volunteers.models import ServiceRecord
from tests.support.databases import open_db
from tests.volunteers import stats_reference
from tests.volunteers.test_merges import CLERK, REVIEWER, approved_hours, person, twin

PERIODS = [(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
           (dt.date(2025, 11, 15), dt.date(2026, 2, 10)), (dt.date(2026, 3, 10), dt.date(2026, 3, 10))]


def assert_same(date_from: dt.date, date_to: dt.date) -> stats.VolunteerStats:
    new, old = stats.compute(date_from, date_to), stats_reference.compute(date_from, date_to)
    for name, value in dataclasses.asdict(old).items():
        assert getattr(new, name) == value, (name, date_from, date_to)
    return new


def test_demo_figures_match_the_old_computation(demo_copy):
    open_db(demo_copy)
    dates = [d for (d,) in ServiceRecord.select(ServiceRecord.service_date).tuples()]
    assert dates, "the demo has service records"
    periods = [*PERIODS, (min(dates), max(dates)), (max(dates).replace(day=1), max(dates))]
    figures = [assert_same(*period) for period in periods]
    whole = figures[-2]  # the demo's own span: every figure has something to compare
    assert whole.total_hours > 0 and whole.served_volunteers > 0
    assert whole.by_team and whole.by_village and any(h for _, h in whole.by_month)
    assert any(n for name, n in whole.stars if name != "未评星")


@pytest.mark.parametrize("merge", [False, True])
def test_figures_match_with_and_without_merged_volunteers(admin, merge):
    from civdesk.office import offices
    from civdesk.volunteers import teams

    village = offices.add_village(admin, "桂花村")
    kept = person(CLERK, "张三", village_id=village.id)
    other = twin(kept, village_id=None)
    alone = person(CLERK, "李四")
    team = teams.create_team(CLERK, {"name": "清溪镇志愿服务总队"})
    for volunteer in (kept, other, alone):
        teams.add_member(CLERK, team.id, volunteer.id)
    approved_hours(kept, 3, dt.date(2024, 3, 1))
    approved_hours(other, 2, dt.date(2024, 4, 2))
    approved_hours(alone, 20, dt.date(2023, 12, 31))
    if merge:
        merges.merge(REVIEWER, kept.id, other.id)
    for period in PERIODS + [(dt.date(2024, 1, 1), dt.date(2024, 3, 31))]:
        assert_same(*period)
    assert assert_same(dt.date(2023, 1, 1), dt.date(2024, 12, 31)).by_team == [("清溪镇志愿服务总队", 25.0)]
