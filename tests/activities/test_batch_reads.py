"""The batch reads of 活动与阵地 give exactly what the one-record reads give, on the demo township."""

from __future__ import annotations

from civdesk.activities import records, sanmei
from civdesk.activities.models import SanmeiEvaluation, SanmeiVillage
from tests.support.databases import open_db


def test_a_list_counts_each_records_volunteers_and_hours_as_its_detail_does(demo_copy):
    open_db(demo_copy)
    rows = records.rows()
    assert rows == [records.detail(r.id).row for r in rows]
    for r in rows:
        served = [s for s in records.volunteer_services(r.id) if s.status != "rejected"]
        assert (r.volunteers, r.volunteer_hours) == (len({s.volunteer_id for s in served}), sum(s.hours for s in served))
    assert sum(r.volunteer_hours > 0 for r in rows) >= 2 and any(r.volunteers == 0 for r in rows)


def test_the_sanmei_list_reads_each_villages_evaluation_of_the_year(demo_copy):
    open_db(demo_copy)
    years = sorted({e.year for e in SanmeiEvaluation.select()})
    assert years
    for year in (*years, years[-1] + 1):
        rows = sanmei.villages_status(year)
        assert len(rows) == SanmeiVillage.select().where(SanmeiVillage.deleted == False).count()  # noqa: E712
        for r in rows:
            evaluation = SanmeiEvaluation.get_or_none((SanmeiEvaluation.village_id == r.village_id)
                                                      & (SanmeiEvaluation.year == year)
                                                      & (SanmeiEvaluation.deleted == False))  # noqa: E712
            assert (r.scores is not None) == (evaluation is not None)
            if evaluation is not None:
                assert r.scores == {label: getattr(evaluation, key) for key, label in sanmei.SANMEI_ASPECTS.items()}
    assert any(r.scores for r in sanmei.villages_status(years[-1]))
