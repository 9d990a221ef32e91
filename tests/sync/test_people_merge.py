"""Two PCs merge one person registered twice before they meet — the same pair the same way, in
opposite directions (a loop), or in a chain — then exchange packages in either order: both end
with the same records and the same one person, whose hours count once, including hours entered
for the merged record by the PC that had not seen the merge."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core import changes, db
from civdesk.core.actor import Actor
from civdesk.core.meta import SyncConflict
from civdesk.nominations import merges as nominee_merges
from civdesk.nominations import people
from civdesk.nominations.models import Nominee
from civdesk.sync.models import SyncPeer
from civdesk.volunteers import hours, merges
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Volunteer
from tests.support.sync import ADMIN_ACTOR, Pc, comparable, copy_pcs

REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
PERSON = {"name": "赵德华", "id_number": "11010519491231002X", "phone": "13800138000"}
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def pcs(sync_templates, tmp_path):
    made = copy_pcs(sync_templates, ["T1", "A1"], tmp_path / "pcs")
    yield made
    db.close_database()


def knows(a: Pc, b: Pc) -> bool:
    a.open()
    return SyncPeer.get_or_none(SyncPeer.node_id == b.node_id) is not None


def send(a: Pc, b: Pc, usb) -> None:
    b.import_(a.export(usb, b if knows(a, b) else None))


def served(pc: Pc, volunteer_id: str, amount: int, day: dt.date) -> None:
    pc.open()
    record = hours.enter(ADMIN_ACTOR, volunteer_id, day, amount)
    hours.approve(REVIEWER, [record.id])


def registered_on_both(t: Pc, a: Pc, usb, *, third: bool) -> list[str]:
    """The same person registered on each PC before they met (and with *third* a third record
    made on the township PC, as a mistaken import would), known to both PCs."""
    send(t, a, usb)
    send(a, t, usb)
    made = []
    for pc, amount in ((t, 2), (a, 3)):
        pc.open()
        row = volunteers.register(ADMIN_ACTOR, {**PERSON, "village_id": a.office_id})
        served(pc, row.id, amount, DAY)
        made.append(row.id)
    if third:
        t.open()
        first = Volunteer.get_by_id(made[0])
        data = {name: getattr(first, name) for name in Volunteer.data_fields() if name != "merged_into"}
        row = changes.create(Volunteer, ADMIN_ACTOR, {**data, "number": first.number + "C"}, scope=first.scope)
        served(t, row.id, 4, DAY + dt.timedelta(days=1))
        made.append(row.id)
    send(t, a, usb)
    send(a, t, usb)
    return made


SCENARIOS = {
    # name: (merges (keep, other) on the township PC, on the village PC, who survives, the record
    # the village PC enters hours for afterwards: one the township merged away if there is one)
    "same": ([(0, 1)], [(0, 1)], lambda ids: ids[0], 0),
    "opposite": ([(0, 1)], [(1, 0)], lambda ids: min(ids[0], ids[1]), 1),
    "chained": ([(1, 0)], [(2, 1)], lambda ids: ids[2], 0),  # A→B here, B→C there
}


@pytest.mark.parametrize("first", ["township", "village"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_two_pcs_that_merged_before_meeting_end_identical(pcs, usb, scenario, first):
    t, a = pcs
    ids = registered_on_both(t, a, usb, third=scenario == "chained")
    on_t, on_a, survivor, late = SCENARIOS[scenario]
    for pc, steps in ((t, on_t), (a, on_a)):
        pc.open()
        for keep, other in steps:
            merges.merge(ADMIN_ACTOR, ids[keep], ids[other])
    # The village PC, not knowing of the township's merge, enters hours for a record it merged away.
    served(a, ids[late], 1, DAY + dt.timedelta(days=2))
    order = [(t, a), (a, t)] if first == "township" else [(a, t), (t, a)]
    for source, target in order:
        send(source, target, usb)
    dumps = {pc.name: pc.dump() for pc in (t, a)}
    assert comparable(dumps["T1"], t, a) == comparable(dumps["A1"], t, a)
    kept = survivor(ids)
    for pc in (t, a):
        pc.open()
        assert volunteers.matching_ids(volunteers.VolunteerFilter()) == [kept], (pc.name, scenario)
        assert hours.totals_for([kept]) == {kept: 2 * (2 + 3 + (4 if len(ids) == 3 else 0) + 1)}
        assert {volunteers.get(i).id for i in ids} == {kept}
    conflicts = []
    for pc in (t, a):
        pc.open()
        conflicts.append(sorted(c.id for c in SyncConflict.select()))
    assert conflicts[0] == conflicts[1] == []


def test_a_nominee_merged_on_one_pc_is_one_person_on_the_other(pcs, usb):
    t, a = pcs
    send(t, a, usb)
    send(a, t, usb)
    made = []
    for pc, number in ((t, "11010519491231002X"), (a, "11010519491231012X")):  # one digit mistyped on A1
        pc.open()
        person = people.clean_person({"name": "钱桂英", "id_number": number[:17] + _check(number[:17]),
                                      "village_id": a.office_id})
        made.append(people.nominee_for(ADMIN_ACTOR, person).id)
    send(a, t, usb)
    t.open()
    [candidate] = nominee_merges.candidates(ADMIN_ACTOR)
    assert {candidate.keep_id, candidate.other_id} == set(made)
    nominee_merges.merge(ADMIN_ACTOR, made[0], made[1])
    send(t, a, usb)
    for pc in (t, a):
        pc.open()
        assert people.search("钱桂英") == [made[0]]
        assert sorted(people.same_person(made[0])) == sorted(made)
        assert Nominee.get_by_id(made[1]).merged_into == made[0]


def _check(body: str) -> str:
    from civdesk.core import validation

    return validation.id_check_digit(body)
