"""Convergence: 3 to 5 PCs make random creates, edits, deletes and conflict resolutions, register
people and merge people registered twice (the same pair either way, chains, loops), and exchange
packages in random order (replays and out-of-order deliveries included). Once every PC has seen
every package, they hold the same records (each the part its office may see), the same open
conflicts, the same people after merges, and every value that lost to the provisional winner is a
recorded conflict.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from civdesk.core import changes, db
from civdesk.core import merges as merging
from civdesk.core.errors import AlreadyApplied, SyncRefused
from civdesk.core.meta import ChangeLog, SyncConflict
from civdesk.sync import conflicts
from civdesk.volunteers import merges
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Team, Volunteer
from tests.support.sync import ADMIN_ACTOR, Pc, comparable, copy_pcs

TEXTS = ["甲", "乙", "丙", "丁"]
FIELDS = ["name", "note", "service_category"]
PHONES = ["13900000001", "13900000002"]


@pytest.fixture
def templates(sync_templates):
    return sync_templates


def live_teams(pc: Pc) -> list[Team]:
    pc.open()
    return list(Team.select().where(Team.deleted == False).order_by(Team.id))  # noqa: E712


def deleted_teams(pc: Pc) -> list[Team]:
    pc.open()
    return list(Team.select().where(Team.deleted == True).order_by(Team.id))  # noqa: E712


def live_people(pc: Pc) -> list[Volunteer]:
    pc.open()
    return list(Volunteer.select().where(merging.live(Volunteer)).order_by(Volunteer.id))


def merge_two(data, pc: Pc) -> None:
    """Merge two people of one office the PC holds, choosing the phone either way."""
    people = live_people(pc)
    pairs = [(a, b) for a in people for b in people if a.id != b.id and a.scope == b.scope]
    if pairs:
        keep, other = data.draw(st.sampled_from(pairs))
        choice = {"phone": data.draw(st.sampled_from(["keep", "other"]))} if keep.phone != other.phone else None
        merges.merge(ADMIN_ACTOR, keep.id, other.id, choice)


def act(data, pc: Pc, others: list[Pc], packages: list, out: Path) -> None:
    # Few records and many edits, so that PCs often edit the same field before they meet.
    kind = data.draw(st.sampled_from(["create", "edit", "edit", "edit", "edit", "delete", "undelete", "resolve",
                                      "person", "person", "merge", "merge", "export", "export", "import", "import",
                                      "import"]))
    if kind in ("create", "person"):
        pc.open()
        scopes = [None, *(p.office_id for p in others if not p.is_township)] if pc.is_township else [None, pc.office_id]
        # People mostly township-wide: every PC holds them, so merges on two PCs meet often.
        scope = data.draw(st.sampled_from([None, None, *scopes] if kind == "person" else scopes))
        if kind == "person":  # one person, registered again and again (to be merged)
            changes.create(Volunteer, ADMIN_ACTOR, {"number": "P1", "name": "赵德华", "village_id": scope,
                                                    "phone": data.draw(st.sampled_from(PHONES))}, scope=scope)
        else:
            changes.create(Team, ADMIN_ACTOR, {"name": data.draw(st.sampled_from(TEXTS)), "village_id": scope},
                           scope=scope)
    elif kind == "merge":
        merge_two(data, pc)
    elif kind == "edit":
        teams = live_teams(pc)
        if teams:
            team = data.draw(st.sampled_from(teams))
            field = data.draw(st.sampled_from(FIELDS))
            changes.update(team, ADMIN_ACTOR, {field: data.draw(st.sampled_from(TEXTS))})
    elif kind == "delete":
        teams = live_teams(pc)
        if teams:
            changes.delete(data.draw(st.sampled_from(teams)), ADMIN_ACTOR)
    elif kind == "undelete":
        teams = deleted_teams(pc)
        if teams:
            changes.undelete(data.draw(st.sampled_from(teams)), ADMIN_ACTOR)
    elif kind == "resolve":
        pc.open()
        views = [v for v in conflicts.open_conflicts(reveal=True) if v.choices]
        if views:
            view = data.draw(st.sampled_from(views))
            choice = data.draw(st.sampled_from(view.choices))
            conflicts.resolve(ADMIN_ACTOR, view.id, keep=choice.value_id)
    elif kind == "export":
        known = [p for p in others if p.node_id in known_peers(pc)]
        to = data.draw(st.sampled_from([None, *known]))
        packages.append((pc, pc.export(out, to, full=data.draw(st.booleans()))))
    elif kind == "import" and packages:
        source, path = data.draw(st.sampled_from(packages))
        deliver(pc, source, path)


def known_peers(pc: Pc) -> set[str]:
    from civdesk.sync.models import SyncPeer

    pc.open()
    return {p.node_id for p in SyncPeer.select()}


def deliver(pc: Pc, source: Pc, path: Path) -> None:
    if source is pc:
        return
    pc.open()
    before = footprint()
    try:
        pc.import_(path)
    except AlreadyApplied:
        assert footprint() == before  # a replay changes nothing
    except SyncRefused as exc:
        assert exc.code == "other_office", exc  # addressed to another office: refused whole
        assert footprint() == before


def footprint() -> tuple:
    """What any write of an import would move (test_sync_refused compares whole databases)."""
    return db.database.execute_sql(
        "SELECT (SELECT COALESCE(MAX(seq), 0) FROM change_log), (SELECT COUNT(*) FROM sync_package), "
        "(SELECT COUNT(*) FROM sync_peer), (SELECT COUNT(*) FROM sync_conflict)").fetchone()


def heads_by_oracle(entries: list[ChangeLog]) -> dict[tuple[str, str], dict[str, object]]:
    """An independent reading of the log: per (record, field) the values of entries that no
    other entry of the same field has seen (directly or through other entries)."""
    by_hlc = {e.hlc: e for e in entries}
    parents = {e.hlc: [b for b in (e.base or "").split(",") if b in by_hlc] for e in entries}

    def seen_by(hlc: str) -> set[str]:
        found, todo = set(), list(parents[hlc])
        while todo:
            top = todo.pop()
            if top not in found:
                found.add(top)
                todo.extend(parents[top])
        return found

    result: dict[tuple[str, str], dict[str, object]] = {}
    by_record: dict[str, list[ChangeLog]] = {}
    for e in entries:
        by_record.setdefault(e.record_id, []).append(e)
    for record_id, items in by_record.items():
        for field in FIELDS:
            cands = [e for e in items if e.field in (field, "*")]
            if not any(e.field == "*" for e in cands):
                continue
            ancestors = set().union(*(seen_by(e.hlc) for e in cands))
            heads = {}
            for e in cands:
                if e.hlc not in ancestors:
                    value = json.loads(e.value)
                    heads[e.hlc] = value.get(field) if e.field == "*" else value
            result[(record_id, field)] = heads
    return result


def check_conflicts_recorded(pc: Pc) -> None:
    pc.open()
    entries = list(ChangeLog.select().where(ChangeLog.tbl == "team"))
    open_rows = {(c.record_id, c.field): json.loads(c.heads) for c in SyncConflict.select()
                 .where((SyncConflict.tbl == "team") & (SyncConflict.kind == "field"))}
    for (record_id, field), heads in heads_by_oracle(entries).items():
        distinct = {json.dumps(v) for v in heads.values()}
        if len(distinct) > 1:
            assert open_rows.get((record_id, field)) == sorted(heads), (pc.name, record_id, field, heads)
        else:
            assert (record_id, field) not in open_rows, (pc.name, record_id, field)
        # The row shows the provisional winner: the newest entry of the field.
        if (record_id, field) in open_rows:
            team = Team.get_by_id(record_id)
            winner = max(e.hlc for e in entries if e.record_id == record_id and e.field in (field, "*"))
            assert getattr(team, field) == heads.get(winner, getattr(team, field))


def people_after_merges(pc: Pc, other: Pc) -> tuple[dict[str, str], list[str]]:
    """Who each record both PCs see stands for, and the people the volunteer list shows."""
    pc.open()
    scopes = dict(Volunteer.select(Volunteer.id, Volunteer.scope).tuples())
    shared = {i for i, scope in scopes.items() if pc.sees(scope) and other.sees(scope)}
    found = merging.merges(Volunteer)
    listed = volunteers.matching_ids(volunteers.VolunteerFilter(status=""), sort="number")
    return {i: found.survivor(i) for i in shared}, sorted(i for i in listed if i in shared)


def conflict_ids(pc: Pc, other: Pc) -> set[str]:
    pc.open()
    scopes = {e.record_id: e.scope for e in ChangeLog.select(ChangeLog.record_id, ChangeLog.scope)
              .where(ChangeLog.field == "*")}
    return {c.id for c in SyncConflict.select()
            if c.record_id in scopes and pc.sees(scopes[c.record_id]) and other.sees(scopes[c.record_id])}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.data_too_large])
@given(data=st.data(), count=st.integers(min_value=3, max_value=5))
def test_pcs_converge_whatever_the_order(templates, data, count):
    """Examples: the hypothesis profile (8 in the default run; 500 with ``pytest --sync-full``)."""
    work = Path(tempfile.mkdtemp(prefix="civdesk-sync-"))
    try:
        pcs = copy_pcs(templates, list(templates)[:count], work)
        out = work / "usb"
        out.mkdir()
        packages: list = []
        for _ in range(data.draw(st.integers(min_value=10, max_value=50), label="steps")):
            pc = data.draw(st.sampled_from(pcs))
            act(data, pc, [p for p in pcs if p is not pc], packages, out)
        # Everyone sees every package made so far, in a random order, replays included...
        order = data.draw(st.permutations([(p, s, f) for p in pcs for s, f in packages]))
        for pc, source, path in order:
            deliver(pc, source, path)
        # ...and then every PC sends what it holds to every other until nothing is left over
        # (a village's records reach the other village's PCs through the township).
        for _round in range(3):
            fresh = [(p, p.export(out, q if q.node_id in known_peers(p) else None)) for p in pcs for q in pcs
                     if q is not p]
            for (source, path), pc in itertools.product(fresh, pcs):
                deliver(pc, source, path)
        dumps = {pc.name: pc.dump() for pc in pcs}
        for a, b in itertools.combinations(pcs, 2):
            assert comparable(dumps[a.name], a, b) == comparable(dumps[b.name], a, b), (a.name, b.name)
            assert conflict_ids(a, b) == conflict_ids(b, a), (a.name, b.name)
            assert people_after_merges(a, b) == people_after_merges(b, a), (a.name, b.name)
        for pc in pcs:
            check_conflicts_recorded(pc)
        conflicted = sum(SyncConflict.select().count() for pc in pcs if pc.open())
        event(f"open conflicts at the end: {'some' if conflicted else 'none'}")
        pcs[0].open()
        found = merging.merges(Volunteer)
        event(f"merges at the end: {'loop' if found.loop_survivors else 'some' if found.survivor_of else 'none'}")
    finally:
        db.close_database()
        shutil.rmtree(work, ignore_errors=True)
