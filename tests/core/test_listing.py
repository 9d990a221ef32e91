"""civdesk.core.listing: windows, counts and positions of an ordered query, NULLs included."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core import validation
from civdesk.core.listing import IdList, QueryListing
from civdesk.volunteers import roster
from civdesk.volunteers.models import Volunteer

JOINED = [None, "2024-03-01", None, "2023-01-05", "2024-03-01", "2025-07-09", None, "2023-01-05"]


@pytest.fixture
def people(admin):
    for n, joined in enumerate(JOINED):
        body = f"51011419850312{n + 10:02d}3"
        found = roster.register(admin, {"name": f"测试{n}", "id_number": body + validation.id_check_digit(body)})
        Volunteer.update(join_date=dt.date.fromisoformat(joined) if joined else None).where(
            Volunteer.id == found.id).execute()
    return Volunteer.select(Volunteer.id).where(Volunteer.deleted == False)  # noqa: E712


@pytest.mark.parametrize("descending", [False, True])
def test_an_order_with_nulls_reads_the_same_in_windows_and_positions(people, descending):
    found = QueryListing(Volunteer, people, [(Volunteer.join_date, descending)])
    direction = (lambda f: f.desc()) if descending else (lambda f: f.asc())
    whole = [v.id for v in people.order_by(direction(Volunteer.join_date), direction(Volunteer.id))]
    assert len(whole) == len(JOINED) == found.count()
    assert found.all() == whole
    assert [i for start in range(0, 8, 3) for i in found.window(start, 3)] == whole
    assert [found.position(i) for i in whole] == list(range(8))
    assert found.position("nobody") == -1


def test_an_id_list_is_a_listing_too():
    ids = IdList(["c", "a", "b"])
    assert (ids.count(), ids.window(1, 5), ids.position("b"), ids.position("x"), ids.all()) == (3, ["a", "b"], 2, -1,
                                                                                                   ["c", "a", "b"])
