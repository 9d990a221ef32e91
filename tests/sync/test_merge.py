"""Two and three PCs exchanging packages: fast-forwards, concurrent edits, deletes meeting
edits, resolutions, scope and acknowledgements."""

from __future__ import annotations

import pytest

from civdesk.core import changes, db
from civdesk.core.meta import SyncConflict
from civdesk.sync import conflicts
from civdesk.sync.models import SyncPeer
from civdesk.volunteers.models import Team
from tests.support.sync import ADMIN_ACTOR, Pc, comparable, copy_pcs


@pytest.fixture
def templates(sync_templates):
    return sync_templates


@pytest.fixture
def pcs(templates, tmp_path):
    made = copy_pcs(templates, ["T1", "A1", "T2", "A2", "B1"], tmp_path / "pcs")
    yield {pc.name: pc for pc in made}
    db.close_database()


def exchange_both(a: Pc, b: Pc, usb) -> None:
    b.import_(a.export(usb, b if _knows(a, b) else None))
    a.import_(b.export(usb, a))


def _knows(a: Pc, b: Pc) -> bool:
    a.open()
    return SyncPeer.get_or_none(SyncPeer.node_id == b.node_id) is not None


def edited_on_both(t: Pc, a: Pc, usb, field: str, *, village: str, township: str) -> str:
    """A village team known to both PCs, then the same field changed on each before they meet
    again: one conflict on both sides."""
    tid = make_team(a)
    exchange_both(a, t, usb)
    changes.update(team(a, tid), ADMIN_ACTOR, {field: village})
    changes.update(team(t, tid), ADMIN_ACTOR, {field: township})
    exchange_both(a, t, usb)
    return tid


def make_team(pc: Pc, name="环保队", scope="own") -> str:
    pc.open()
    scope = pc.office_id if scope == "own" and not pc.is_township else (None if scope == "own" else scope)
    return changes.create(Team, ADMIN_ACTOR, {"name": name, "village_id": scope}, scope=scope).id


def team(pc: Pc, team_id: str) -> Team:
    pc.open()
    return Team.get_by_id(team_id)


def open_conflicts(pc: Pc):
    pc.open()
    return conflicts.open_conflicts(reveal=True)


def test_edits_to_different_fields_both_survive(pcs, usb):
    t, a = pcs["T1"], pcs["A1"]
    tid = make_team(a)
    exchange_both(a, t, usb)
    changes.update(team(a, tid), ADMIN_ACTOR, {"note": "村里改的备注"})
    changes.update(team(t, tid), ADMIN_ACTOR, {"service_category": "环境保护"})
    exchange_both(a, t, usb)
    for pc in (a, t):
        row = team(pc, tid)
        assert (row.note, row.service_category) == ("村里改的备注", "环境保护")
        assert open_conflicts(pc) == []
    assert comparable(a.dump(), a, t) == comparable(t.dump(), a, t)


def test_same_field_on_two_pcs_is_one_conflict_everywhere_until_resolved(pcs, usb):
    t, a = pcs["T1"], pcs["A1"]
    tid = edited_on_both(t, a, usb, "name", village="村环保队", township="镇环保队")
    seen = []
    for pc in (a, t):
        [view] = open_conflicts(pc)
        seen.append((view.id, {c.value for c in view.choices}, next(c.value for c in view.choices if c.winner)))
        assert team(pc, tid).name == seen[-1][2]  # the provisional winner is what lists show
    assert seen[0] == seen[1]
    assert seen[0][1] == {"村环保队", "镇环保队"}
    # The village keeps the value that lost; the resolution travels and closes it on the township.
    [view] = open_conflicts(a)
    loser = next(c for c in view.choices if not c.winner)
    conflicts.resolve(ADMIN_ACTOR, view.id, keep=loser.value_id)
    assert open_conflicts(a) == []
    t.import_(a.export(usb, t))
    assert open_conflicts(t) == []
    assert team(t, tid).name == team(a, tid).name == loser.value


def test_resolution_with_a_new_value(pcs, usb):
    t, a = pcs["T1"], pcs["A1"]
    tid = edited_on_both(t, a, usb, "note", village="甲", township="乙")
    [view] = open_conflicts(t)
    conflicts.resolve(ADMIN_ACTOR, view.id, value="甲和乙")
    a.import_(t.export(usb, a))
    assert team(a, tid).note == team(t, tid).note == "甲和乙"
    assert open_conflicts(a) == open_conflicts(t) == []


def test_an_edit_meeting_a_delete_is_a_conflict_not_a_loss(pcs, usb):
    t, a = pcs["T1"], pcs["A1"]
    tid = make_team(a)
    exchange_both(a, t, usb)
    changes.delete(team(a, tid), ADMIN_ACTOR)
    changes.update(team(t, tid), ADMIN_ACTOR, {"note": "镇里刚补充的备注"})
    exchange_both(a, t, usb)
    for pc in (a, t):
        [view] = open_conflicts(pc)
        assert view.kind == "delete"
        assert team(pc, tid).deleted  # provisional: the delete is newest
        assert team(pc, tid).note == "镇里刚补充的备注"  # the edit is kept, not lost
    keep = next(c for c in open_conflicts(t)[0].choices if c.value is False)
    conflicts.resolve(ADMIN_ACTOR, open_conflicts(t)[0].id, keep=keep.value_id)
    a.import_(t.export(usb, a))
    for pc in (a, t):
        assert not team(pc, tid).deleted and team(pc, tid).note == "镇里刚补充的备注"
        assert open_conflicts(pc) == []


def test_a_delete_after_seeing_the_edit_is_no_conflict(pcs, usb):
    t, a = pcs["T1"], pcs["A1"]
    tid = make_team(a)
    exchange_both(a, t, usb)
    changes.update(team(t, tid), ADMIN_ACTOR, {"note": "先改"})
    exchange_both(t, a, usb)
    changes.delete(team(a, tid), ADMIN_ACTOR)
    exchange_both(a, t, usb)
    assert open_conflicts(a) == open_conflicts(t) == []
    assert team(t, tid).deleted


def test_editing_a_field_in_conflict_keeps_the_conflict_open(pcs, usb):
    """An edit on one PC does not silently discard the value the other PC wrote."""
    t, a = pcs["T1"], pcs["A1"]
    tid = edited_on_both(t, a, usb, "name", village="一", township="二")
    changes.update(team(t, tid), ADMIN_ACTOR, {"name": "三"})
    [view] = open_conflicts(t)
    assert {c.value for c in view.choices} == {"三", "一"} or {c.value for c in view.choices} == {"三", "二"}
    a.import_(t.export(usb, a))
    assert [v.id for v in open_conflicts(a)] == [v.id for v in open_conflicts(t)]


def test_village_receives_its_own_and_township_wide_records_only(pcs, usb):
    t, a, b = pcs["T1"], pcs["A1"], pcs["B1"]
    a_team, b_team = make_team(a, "桂花队"), make_team(b, "荷塘队")
    wide = make_team(t, "全镇队", scope=None)
    for village in (a, b):
        t.import_(village.export(usb))
    for village in (a, b):
        village.import_(t.export(usb, village))
    a.open()
    names = {row.name for row in Team.select()}
    assert names == {"桂花队", "全镇队"}
    b.open()
    assert {row.name for row in Team.select()} == {"荷塘队", "全镇队"}
    t.open()
    assert {row.name for row in Team.select()} == {"桂花队", "荷塘队", "全镇队"}
    assert a_team and b_team and wide
    # Nothing of the other village is even in the log.
    from civdesk.core.meta import ChangeLog

    a.open()
    assert not ChangeLog.select().where(ChangeLog.scope == b.office_id).exists()


def test_packages_carry_only_what_the_receiver_has_not_acknowledged(pcs, usb):
    from civdesk.sync import exchange

    t, a = pcs["T1"], pcs["A1"]
    for n in range(5):
        make_team(a, f"队{n}")
    t.import_(a.export(usb))
    a.import_(t.export(usb, a))  # carries the township's acknowledgement
    make_team(a, "新队")
    a.open()
    result = exchange.export_package(ADMIN_ACTOR, usb, to=t.node_id)
    assert result.counts["team"] == {"entries": 1, "records": 1}
    # Nothing the township made itself comes back to it.
    assert all(not e.startswith("sync") for e in result.counts)
    t.import_(result.path)
    # Not acknowledged yet (no package from the township since): sent again, and unchanged there.
    again = a.export(usb, t)
    assert t.import_(again).plan.counts["team"].unchanged == 1


def test_a_restored_pc_gets_back_what_it_forgot(pcs, usb, tmp_path):
    from civdesk.core import backup

    t, a = pcs["T1"], pcs["A1"]
    a.open()
    saved = db.make_backup("test", tmp_path / "a-before.sqlite3")
    tid = make_team(a, "恢复前建的队")
    t.import_(a.export(usb))
    a.import_(t.export(usb, a))
    a.open()
    backup.restore(saved)
    assert Team.get_or_none(Team.id == tid) is None
    # The village sends a package: its acknowledgements went back with the restore...
    t.import_(a.export(usb))
    # ...so the township sends the forgotten records again, including the village's own.
    a.import_(t.export(usb, a))
    assert team(a, tid).name == "恢复前建的队"


def test_three_pcs_converge_with_a_conflict_relayed(pcs, usb):
    t, a, a2 = pcs["T1"], pcs["A1"], pcs["A2"]
    tid = make_team(a)
    t.import_(a.export(usb))
    a2.import_(t.export(usb))  # township packages "for anyone" hold only township-wide records
    assert team_or_none(a2, tid) is None
    t.import_(a2.export(usb))
    a2.import_(t.export(usb, a2))
    a.import_(t.export(usb, a))
    changes.update(team(a2, tid), ADMIN_ACTOR, {"note": "二号电脑"})
    changes.update(team(a, tid), ADMIN_ACTOR, {"note": "一号电脑"})
    for _ in range(2):
        for src, dst in ((a, t), (a2, t), (t, a), (t, a2)):
            dst.import_(src.export(usb, dst))
    ids = {pc.name: [v.id for v in open_conflicts(pc)] for pc in (t, a, a2)}
    assert len(ids["T1"]) == 1 and ids["T1"] == ids["A1"] == ids["A2"]


def team_or_none(pc: Pc, team_id: str):
    pc.open()
    return Team.get_or_none(Team.id == team_id)


def test_conflict_rows_are_the_same_everywhere(pcs, usb):
    t, a = pcs["T1"], pcs["A1"]
    edited_on_both(t, a, usb, "note", village="x", township="y")
    rows = []
    for pc in (a, t):
        pc.open()
        rows.append([(c.id, c.heads, c.winner, c.kind) for c in SyncConflict.select()])
    assert rows[0] == rows[1] and len(rows[0]) == 1


def test_offices_made_on_every_pc_merge_without_conflict(pcs, usb):
    """Each PC's setup makes its township's office record; the township filling in its contact
    details before the village was set up must not turn into a conflict with the empty ones."""
    from civdesk.office import offices as office_service
    from civdesk.office.models import Office

    t, a = pcs["T1"], pcs["A1"]
    t.open()
    office_service.update_own_office(ADMIN_ACTOR, {"contact_person": "王主任", "address": "镇政府二楼"})
    office_service.add_village(ADMIN_ACTOR, "桂花村")  # the township lists the village too
    exchange_both(a, t, usb)
    for pc in (a, t):
        assert open_conflicts(pc) == []
        pc.open()
        township = Office.get(Office.kind == "township")
        assert (township.contact_person, township.address) == ("王主任", "镇政府二楼")
        assert Office.select().where(Office.name == "桂花村").count() == 1


def test_an_edit_that_arrives_before_its_record_waits_for_it(pcs, usb):
    t, a, a2 = pcs["T1"], pcs["A1"], pcs["A2"]
    tid = make_team(a, "先建")
    first = a.export(usb)
    t.import_(first)
    changes.update(team(t, tid), ADMIN_ACTOR, {"note": "镇里补充"})
    a2.import_(t.export(usb))  # to any PC: township-wide only, introduces the township
    t.import_(a2.export(usb))
    edit_only = t.export(usb, a2)  # holds the team's create and the edit...
    from civdesk.sync import package, peers

    # ...strip the create so that only the edit arrives first, as if packages crossed.
    t.open()
    opened = package.open_package(edit_only)
    lines = [ln for ln in opened.decrypt(peers.package_key(opened)).splitlines() if b'"*"' not in ln or tid.encode() not in ln]
    from tests.sync.test_refused import resign

    crossed = resign(edit_only, t, usb / "crossed.civsync",
                     manifest={"entries": len(lines), "range": None, "package_id": "crossed-1"},
                     lines=lambda _plain: b"\n".join(lines) + b"\n")
    report = a2.import_(crossed).report()
    assert report["pending"] == {"team": 1} and team_or_none(a2, tid) is None
    a2.import_(first)  # the village's own package with the create, later
    row = team(a2, tid)
    assert (row.name, row.note) == ("先建", "镇里补充")
    assert open_conflicts(a2) == []


def test_a_pc_with_its_date_far_ahead_is_pointed_out(pcs, usb):
    from civdesk.core.hlc import HybridClock

    a, t = pcs["A1"], pcs["T1"]
    a.open()
    ahead = int(__import__("time").time() * 1000) + int(40.5 * 24 * 3600 * 1000)
    changes._clock = ((db.state.path, db.state.generation), HybridClock(a.node_id, wall=lambda: ahead))
    make_team(a, "未来的队")
    changes._clock = None
    report = t.import_(a.export(usb)).report()
    assert any("晚 40 天" in note and "桂花村1" in note for note in report["notes"])


def test_a_typed_resolution_follows_the_field_rules(pcs, usb):
    from civdesk.core.validation import ValidationError

    t, a = pcs["T1"], pcs["A1"]
    tid = edited_on_both(t, a, usb, "name", village="一队", township="二队")
    [view] = open_conflicts(t)
    with pytest.raises(ValidationError):
        conflicts.resolve(ADMIN_ACTOR, view.id, value="   ")  # a name cannot be empty
    assert len(open_conflicts(t)) == 1
    from civdesk.core.actor import Actor
    from civdesk.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        conflicts.resolve(Actor("zhang", "张丽", "clerk"), view.id, keep=view.choices[0].value_id)
    conflicts.resolve(ADMIN_ACTOR, view.id, value=" 一二队 ")
    assert team(t, tid).name == "一二队"


def test_the_same_person_registered_on_two_pcs_is_pointed_out(pcs, usb):
    from civdesk.office import dashboard
    from civdesk.volunteers import roster as volunteers

    t, a = pcs["T1"], pcs["A1"]
    exchange_both(a, t, usb)
    person = {"name": "赵德华", "id_number": "11010519491231002X", "phone": "13800138000"}
    for pc in (a, t):
        pc.open()
        volunteers.register(ADMIN_ACTOR, {**person, "village_id": a.office_id})
        assert not [i for i in dashboard.collect(ADMIN_ACTOR) if i.kind == "volunteer_duplicates"]
    exchange_both(a, t, usb)
    for pc in (a, t):
        pc.open()
        [item] = [i for i in dashboard.collect(ADMIN_ACTOR) if i.kind == "volunteer_duplicates"]
        assert item.title == "1 名志愿者被重复登记" and "赵德华、赵德华" in item.detail
        assert "11010519491231002X" not in item.detail and item.target_page == "volunteers/merge"


def test_a_setting_changed_on_two_pcs_is_named_in_words(pcs, usb):
    from civdesk.office import settings

    t, t2 = pcs["T1"], pcs["T2"]
    exchange_both(t, t2, usb)
    spec = settings.specs()["backup.keep"]
    for pc, value in ((t, 40), (t2, 60)):
        pc.open()
        settings.set_value(ADMIN_ACTOR, "backup.keep", value)
    exchange_both(t, t2, usb)
    [view] = open_conflicts(t)
    assert view.record_label == spec.label and view.table_label == "设置"


def test_sync_reads_as_words_in_the_audit_log(pcs, usb):
    from civdesk.core.audit_log import AuditEntry
    from civdesk.office import audit

    t, a = pcs["T1"], pcs["A1"]
    make_team(a)
    t.import_(a.export(usb))
    t.open()
    entry = AuditEntry.get(AuditEntry.action == "sync_import")
    row = audit.rows(ADMIN_ACTOR, [entry.id])[entry.id]
    assert (row.action_label, row.table_label) == ("导入同步数据包", "同步数据包")
    assert "桂花村「桂花村1」" in entry.note and "新增" in entry.note


def test_masked_values_that_read_alike_show_the_digits_that_differ(pcs, usb):
    """Issue 19 item 6: 13900010001 and 13900020001 both mask to 139****0001; nobody could choose.
    The conflict shows the differing digit (JSON and screen); the full values only to a role that
    settles conflicts, and that viewing is audited."""
    from civdesk.core.actor import Actor
    from civdesk.core.audit_log import AuditEntry
    from civdesk.core.errors import PermissionDenied
    from civdesk.core.validation import mask_phone
    from civdesk.volunteers import roster as volunteers
    from civdesk.volunteers.models import Volunteer

    t, a = pcs["T1"], pcs["A1"]
    exchange_both(a, t, usb)
    a.open()
    vid = volunteers.register(ADMIN_ACTOR, {"name": "赵德华", "id_number": "11010519491231002X",
                                            "phone": "13800138000", "village_id": a.office_id}).id
    exchange_both(a, t, usb)
    for pc, phone in ((a, "13900010001"), (t, "13900020001")):
        pc.open()
        changes.update(Volunteer.get_by_id(vid), ADMIN_ACTOR, {"phone": phone})
    assert mask_phone("13900010001") == mask_phone("13900020001")
    exchange_both(a, t, usb)
    t.open()
    [view] = conflicts.open_conflicts()
    texts = sorted(c.text for c in view.choices)
    assert texts == ["139***10001", "139***20001"], "only the differing digit is shown"
    assert "13900010001" not in str(view.as_json()) and view.as_json()["differs"].startswith("打码后相同，只在第 7 位不同：1 / 2")
    assert {x["value"] for x in view.as_json()["values"]} == set(texts)
    before = AuditEntry.select().where(AuditEntry.action == "view_personal").count()
    with pytest.raises(PermissionDenied):
        conflicts.reveal(Actor("zhang", "张丽", "guest"), view.id)
    full = conflicts.reveal(ADMIN_ACTOR, view.id)
    assert sorted(c.text for c in full.choices) == ["13900010001", "13900020001"]
    assert AuditEntry.select().where(AuditEntry.action == "view_personal").count() == before + 1


def test_two_pcs_numbering_at_the_same_time_print_distinct_numbers(pcs, usb):
    """Issue 19 item 1: two PCs of one office register volunteers, issue certificates and take
    hotline tickets before they meet; after the exchange every number is distinct everywhere,
    the old form still verifies and is found, and a PC's code is set once."""
    import datetime as dt

    from civdesk.core.errors import CivDeskError
    from civdesk.core.validation import id_check_digit
    from civdesk.hotline import tickets
    from civdesk.office import offices
    from civdesk.volunteers import certificates, hours
    from civdesk.volunteers import roster as volunteers
    from civdesk.volunteers.models import Certificate, Volunteer

    def id_number(body):
        return body + id_check_digit(body)

    from civdesk.core.actor import Actor

    clerk = Actor("luru", "录入员", "admin")  # hours are approved by someone other than who entered them
    a1, a2, t1, t2 = pcs["A1"], pcs["A2"], pcs["T1"], pcs["T2"]
    exchange_both(a1, a2, usb)
    exchange_both(t1, t2, usb)
    old = {}
    a1.open()  # a PC set up before codes existed keeps the old forms
    v = volunteers.register(ADMIN_ACTOR, {"name": "钱旧号", "id_number": id_number("11010519491231004"), "village_id": a1.office_id})
    hours.approve(ADMIN_ACTOR, [hours.enter(clerk, v.id, dt.date(2026, 3, 2), 2).id])
    old["volunteer"], old["cert"] = v.number, certificates.issue(ADMIN_ACTOR, v.id, today=dt.date(2026, 3, 3)).number
    assert old["cert"].endswith("-2026-0001") and old["volunteer"][-6:].isdigit()
    for pc, code, person_id in ((a1, "A", id_number("11010519491231003")), (a2, "B", id_number("11010519500101001"))):
        pc.open()
        assert offices.set_pc_code(ADMIN_ACTOR, code.lower()) == code and offices.pc_code() == code
        v = volunteers.register(ADMIN_ACTOR, {"name": "赵德华", "id_number": person_id, "village_id": a1.office_id})
        hours.approve(ADMIN_ACTOR, [hours.enter(clerk, v.id, dt.date(2026, 3, 2), 3).id])
        cert = certificates.issue(ADMIN_ACTOR, v.id, today=dt.date(2026, 3, 4))
        assert f"-{code}0" in v.number and cert.number.endswith(f"-2026-{code}0001"), (v.number, cert.number)
    with pytest.raises(CivDeskError, match="不能再改"):
        offices.set_pc_code(ADMIN_ACTOR, "C")
    for pc, code in ((t1, "A"), (t2, "B")):
        pc.open()
        offices.set_pc_code(ADMIN_ACTOR, code)
        row = tickets.receive(ADMIN_ACTOR, {"received_at": "2026-11-02 09:00", "channel": "来电", "village_id": "",
                                            "address": "镇政府门口", "kind": "投诉", "category": "环境卫生",
                                            "content": "门口垃圾"})
        assert row.number.endswith(f"-2026-{code}0001")
    exchange_both(a1, a2, usb)
    exchange_both(t1, t2, usb)
    for pc in (a1, a2):
        pc.open()
        numbers = [n for (n,) in Volunteer.select(Volunteer.number).tuples()]
        certs = [n for (n,) in Certificate.select(Certificate.number).tuples()]
        assert len(numbers) == len(set(numbers)) == 3 and len(certs) == len(set(certs)) == 3
        for cert in Certificate.select():
            checked = certificates.verify(cert.number, cert.check_code)
            assert checked.found and checked.code_matches and checked.number == cert.number
        for number in (old["volunteer"], *numbers):
            assert volunteers.find(number).number == number
    for pc in (t1, t2):
        pc.open()
        from civdesk.hotline.models import Ticket

        found = [n for (n,) in Ticket.select(Ticket.number).tuples()]
        assert len(found) == len(set(found)) == 2


def test_team_members_are_a_set_not_a_conflict(pcs, usb):
    """Issue 19 item 3: two PCs adding the same member with different joined dates (or one
    removing while the other edits) make one member, latest wins per field, no conflict."""
    import datetime as dt

    from civdesk.volunteers import roster as volunteers
    from civdesk.volunteers import teams
    from civdesk.volunteers.models import TeamMember

    t, a = pcs["T1"], pcs["A1"]
    tid = make_team(a)
    a.open()
    vid = volunteers.register(ADMIN_ACTOR, {"name": "赵德华", "id_number": "11010519491231002X",
                                            "village_id": a.office_id}).id
    exchange_both(a, t, usb)
    for pc, joined, role in ((a, dt.date(2026, 3, 1), "队员"), (t, dt.date(2026, 3, 5), "副队长")):
        pc.open()
        teams.add_member(ADMIN_ACTOR, tid, vid, role, joined)
    exchange_both(a, t, usb)
    rows = []
    for pc in (a, t):
        pc.open()
        assert conflicts.open_conflicts() == [], "the same person added twice is one member"
        [member] = TeamMember.select().where(TeamMember.team_id == tid)
        rows.append((member.joined_date, member.role, member.deleted))
    assert rows[0] == rows[1] == (dt.date(2026, 3, 5), "副队长", False), "the later add wins on every PC"
    # removed on one PC while the other changes the role: latest wins, still no conflict
    a.open()
    teams.remove_member(ADMIN_ACTOR, tid, vid)
    t.open()
    teams.add_member(ADMIN_ACTOR, tid, vid, "队长", dt.date(2026, 3, 5))
    exchange_both(a, t, usb)
    states = []
    for pc in (a, t):
        pc.open()
        assert conflicts.open_conflicts() == []
        states.append(TeamMember.select().where(TeamMember.team_id == tid).get())
    assert (states[0].role, states[0].deleted) == (states[1].role, states[1].deleted) == ("队长", False), \
        "the add made after the removal wins on both PCs"
