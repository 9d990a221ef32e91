"""Teams, members and activities; change tracking and deterministic ids of the volunteer tables."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civdesk.core import changes, db
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import CivDeskError, NotFound, PermissionDenied
from civdesk.core.meta import ChangeLog, LocalMeta
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.volunteers import hours, teams
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import (
    Activity,
    ActivityParticipant,
    ServiceApproval,
    Team,
    TeamMember,
    Volunteer,
)
from tests.support.databases import initialize, setup_request
from tests.volunteers.test_roster import CLERK, GUEST, REVIEWER, field_error, id_for, person


@pytest.fixture
def people(admin):
    return {name: person(CLERK, name) for name in ("张三", "李四", "王五", "阿明")}


def team(name="桂花村志愿服务队", **values):
    return teams.create_team(CLERK, {"name": name, **values})


def member_roles(team_id):
    return [(v.name, role) for v, role in teams.members(team_id)]


# --- teams ----------------------------------------------------------------------------------


def test_create_and_update_a_team(admin):
    village = office_service.add_village(admin, "桂花村")
    t = team(" 桂花村志愿服务队 ", village_id="桂花村", service_category="环境保护", founded_date="2023年3月5日",
             note=" 河道保洁 ")
    stored = Team.get_by_id(t.id)
    assert (stored.name, stored.village_id, stored.scope) == ("桂花村志愿服务队", village.id, village.id)
    assert (stored.service_category, stored.founded_date, stored.note) == ("环境保护", dt.date(2023, 3, 5), "河道保洁")
    assert stored.name_pinyin.startswith("gui hua cun")
    changed = teams.update_team(CLERK, t.id, {"name": "桂花村巾帼志愿服务队"})
    assert changed == {"name": ["桂花村志愿服务队", "桂花村巾帼志愿服务队"]}
    stored = teams.get_team(t.id)
    assert stored.name == "桂花村巾帼志愿服务队" and stored.village_id == village.id and stored.note == "河道保洁"
    assert teams.update_team(CLERK, t.id, {"name": "桂花村巾帼志愿服务队"}) == {}
    with pytest.raises(ValidationError) as exc:
        team("")
    assert "队伍名称" in field_error(exc, "name")
    with pytest.raises(ValidationError) as exc:
        team("石桥队", founded_date="去年")
    assert "founded_date" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        team("石桥队", village_id="没有这个村")
    assert "village_id" in exc.value.errors
    with pytest.raises(PermissionDenied):
        teams.create_team(GUEST, {"name": "访客队"})
    with pytest.raises(NotFound):
        teams.get_team("no-such-team")
    assert [x.name for x in teams.teams()] == ["桂花村巾帼志愿服务队"]


def test_duplicate_team_name_is_refused(admin):
    a = team("桂花村志愿服务队")
    b = team("石桥社区志愿服务队")
    with pytest.raises(ValidationError) as exc:
        team("桂花村志愿服务队")
    assert "已有" in field_error(exc, "name")
    with pytest.raises(ValidationError):
        team(" 桂花村志愿服务队　")
    with pytest.raises(ValidationError):
        teams.update_team(CLERK, b.id, {"name": "桂花村志愿服务队"})
    assert Team.select().count() == 2 and teams.get_team(a.id).name == "桂花村志愿服务队"


def test_parent_cycles_are_refused(admin):
    top = team("清溪镇志愿服务总队")
    middle = team("桂花村志愿服务队", parent_id=top.id)
    bottom = team("桂花村一组志愿服务小队", parent_id=middle.id)
    assert Team.get_by_id(bottom.id).parent_id == middle.id
    for parent in (top.id, middle.id, bottom.id):
        with pytest.raises(ValidationError) as exc:
            teams.update_team(CLERK, top.id, {"parent_id": parent})
        assert "下级" in field_error(exc, "parent_id")
    with pytest.raises(ValidationError):
        teams.update_team(CLERK, middle.id, {"parent_id": bottom.id})
    with pytest.raises(ValidationError) as exc:
        team("石桥队", parent_id="no-such-team")
    assert "找不到上级队伍" in field_error(exc, "parent_id")
    assert teams.get_team(top.id).parent_id is None
    other = team("石桥社区志愿服务队")
    teams.update_team(CLERK, bottom.id, {"parent_id": other.id})  # moving sideways is fine
    teams.update_team(CLERK, bottom.id, {"parent_id": None})
    assert teams.get_team(bottom.id).parent_id is None


def test_leader_becomes_a_member_with_role_captain(people):
    t = team(leader_id=people["张三"].id)
    assert member_roles(t.id) == [("张三", "队长")]
    with pytest.raises(ValidationError) as exc:
        team("石桥队", leader_id="no-such-volunteer")
    assert "leader_id" in exc.value.errors


def test_changing_the_leader_leaves_one_captain(people):
    t = team(leader_id=people["张三"].id)
    teams.add_member(CLERK, t.id, people["李四"].id)
    teams.update_team(CLERK, t.id, {"leader_id": people["李四"].id})
    assert teams.get_team(t.id).leader_id == people["李四"].id
    roles = dict(member_roles(t.id))
    assert roles["李四"] == "队长"
    assert roles["张三"] != "队长", "the former leader should no longer be shown as 队长"
    teams.update_team(CLERK, t.id, {"leader_id": None})
    assert teams.get_team(t.id).leader_id is None
    assert "队长" not in dict(member_roles(t.id)).values()


def test_add_and_remove_members(people):
    t = team()
    m = teams.add_member(CLERK, t.id, people["张三"].id, joined=dt.date(2024, 3, 1))
    assert m.id == changes.deterministic_id("team-member", t.id, people["张三"].id)
    assert (m.role, m.joined_date, m.scope) == ("队员", dt.date(2024, 3, 1), people["张三"].scope)
    teams.add_member(CLERK, t.id, people["李四"].id, role="副队长")
    assert member_roles(t.id) == [("李四", "副队长"), ("张三", "队员")]
    with pytest.raises(NotFound):
        teams.add_member(CLERK, t.id, "no-such-volunteer")
    with pytest.raises(NotFound):
        teams.add_member(CLERK, "no-such-team", people["王五"].id)
    with pytest.raises(PermissionDenied):
        teams.add_member(GUEST, t.id, people["王五"].id)

    teams.remove_member(CLERK, t.id, people["张三"].id)
    row = TeamMember.get_by_id(m.id)
    assert row.deleted, "removing is a tombstone, the row stays for sync"
    assert member_roles(t.id) == [("李四", "副队长")]
    with pytest.raises(NotFound):
        teams.remove_member(CLERK, t.id, people["张三"].id)
    with pytest.raises(NotFound):
        teams.remove_member(CLERK, t.id, people["王五"].id)

    again = teams.add_member(CLERK, t.id, people["张三"].id, role="联络员")
    assert again.id == m.id
    assert TeamMember.select().where(TeamMember.volunteer_id == people["张三"].id).count() == 1
    assert member_roles(t.id) == [("李四", "副队长"), ("张三", "联络员")]
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.record_id == m.id).order_by(AuditEntry.clock)]
    assert actions == ["create", "delete", "update"]


def test_members_and_teams_of(people):
    a = team("桂花村志愿服务队", leader_id=people["王五"].id)
    b = team("阿坝州对口帮扶志愿服务队")
    for name in ("张三", "阿明"):
        teams.add_member(CLERK, a.id, people[name].id)
    teams.add_member(CLERK, b.id, people["张三"].id)
    assert member_roles(a.id) == [("阿明", "队员"), ("王五", "队长"), ("张三", "队员")]
    assert [t.name for t in teams.teams_of(people["张三"].id)] == ["阿坝州对口帮扶志愿服务队", "桂花村志愿服务队"]
    assert teams.teams_of(people["李四"].id) == []
    teams.remove_member(CLERK, b.id, people["张三"].id)
    assert [t.name for t in teams.teams_of(people["张三"].id)] == ["桂花村志愿服务队"]
    Volunteer.update(deleted=True).where(Volunteer.id == people["阿明"].id).execute()
    assert [name for name, _ in member_roles(a.id)] == ["王五", "张三"], "deleted volunteers are not listed"


# --- activities -----------------------------------------------------------------------------


def test_create_activity(people):
    t = team()
    act = teams.create_activity(CLERK, {"name": " 清洁家园 ", "start_date": "2024-05-06", "team_id": t.id,
                                        "place": " 桂花村 ", "organizer": "桂花村志愿服务队"})
    stored = Activity.get_by_id(act.id)
    assert (stored.name, stored.start_date, stored.end_date) == ("清洁家园", dt.date(2024, 5, 6), dt.date(2024, 5, 6))
    assert (stored.team_id, stored.place) == (t.id, "桂花村")
    with pytest.raises(ValidationError) as exc:
        teams.create_activity(CLERK, {"name": "义诊", "start_date": "2024-05-06", "end_date": "2024-05-05"})
    assert "早于开始日期" in field_error(exc, "end_date")
    with pytest.raises(ValidationError) as exc:
        teams.create_activity(CLERK, {"name": "", "start_date": "", "team_id": "no-such-team"})
    assert {"name", "start_date", "team_id"} <= set(exc.value.errors)
    with pytest.raises(PermissionDenied):
        teams.create_activity(GUEST, {"name": "义诊", "start_date": "2024-05-06"})
    assert Activity.select().count() == 1
    assert [a.name for a in teams.activities(dt.date(2024, 5, 6), dt.date(2024, 5, 6))] == ["清洁家园"]
    assert teams.activities(dt.date(2024, 5, 7)) == [] and teams.activities(date_to=dt.date(2024, 5, 5)) == []


def test_update_activity_refuses_stranding_recorded_hours(people):
    act = teams.create_activity(CLERK, {"name": "清洁家园", "start_date": "2024-05-06", "end_date": "2024-05-10"})
    teams.update_activity(CLERK, act.id, {"end_date": "2024-05-12"})  # no hours yet: anything goes
    hours.enter(CLERK, people["张三"].id, dt.date(2024, 5, 8), 2, activity_id=act.id)
    hours.enter(CLERK, people["李四"].id, dt.date(2024, 5, 9), 2, activity_id=act.id)
    for values in ({"start_date": "2024-05-09"}, {"end_date": "2024-05-08"},
                   {"start_date": "2024-05-01", "end_date": "2024-05-05"}):
        with pytest.raises(CivDeskError) as exc:
            teams.update_activity(CLERK, act.id, values)
        assert "服务记录" in str(exc.value)
    stored = teams.get_activity(act.id)
    assert (stored.start_date, stored.end_date) == (dt.date(2024, 5, 6), dt.date(2024, 5, 12))
    changed = teams.update_activity(CLERK, act.id, {"start_date": "2024-05-08", "end_date": "2024-05-09",
                                                    "place": "桂花村河道"})
    assert set(changed) == {"start_date", "end_date", "place"}
    with pytest.raises(ValidationError):
        teams.update_activity(CLERK, act.id, {"end_date": "2024-05-07"})
    assert teams.get_activity(act.id).name == "清洁家园"


def test_participants(people):
    act = teams.create_activity(CLERK, {"name": "清洁家园", "start_date": "2024-05-06"})
    teams.add_participant(CLERK, act.id, people["张三"].id)
    teams.add_participant(CLERK, act.id, people["阿明"].id)
    teams.add_participant(CLERK, act.id, people["张三"].id)
    assert [v.name for v in teams.participants(act.id)] == ["阿明", "张三"]
    assert ActivityParticipant.select().count() == 2
    with pytest.raises(NotFound):
        teams.add_participant(CLERK, act.id, "no-such-volunteer")
    with pytest.raises(NotFound):
        teams.add_participant(CLERK, "no-such-activity", people["李四"].id)


# --- change tracking ------------------------------------------------------------------------


def whole_record_entries(row):
    return list(ChangeLog.select().where((ChangeLog.tbl == row._meta.table_name) & (ChangeLog.record_id == row.id)
                                         & (ChangeLog.field == changes.WHOLE_RECORD)))


def test_every_create_writes_one_whole_record_entry(admin):
    v = person(CLERK, "张三", phone="13812345678")
    t = team(leader_id=v.id)
    member = TeamMember.get_by_id(changes.deterministic_id("team-member", t.id, v.id))
    act = teams.create_activity(CLERK, {"name": "清洁家园", "start_date": "2024-05-06", "team_id": t.id})
    record = hours.enter(CLERK, v.id, dt.date(2024, 5, 6), 2, activity_id=act.id)
    participant = ActivityParticipant.get_by_id(changes.deterministic_id("participant", act.id, v.id))
    hours.approve(REVIEWER, [record.id])
    approval = ServiceApproval.get(ServiceApproval.record_id == record.id)
    rows = [v, t, member, act, participant, record, approval]
    for row in rows:
        entries = whole_record_entries(row)
        assert len(entries) == 1, type(row).__name__
        [entry] = entries
        stored = type(row).get_by_id(row.id)
        assert entry.hlc == stored.clock and entry.scope == stored.scope and entry.base is None
        payload = json.loads(entry.value)
        for name in type(row).data_fields():
            assert payload[name] == changes.encode(getattr(stored, name)), (type(row).__name__, name)
        assert payload["created_by"] == stored.created_by
    payload = json.loads(whole_record_entries(v)[0].value)
    assert payload["id_number"] == v.id_number and "name_pinyin" not in payload, \
        "the log carries the real values (packages are encrypted); derived keys are recomputed"
    assert ChangeLog.select().where(ChangeLog.tbl == "service_record").count() == 1
    assert ChangeLog.select().where(ChangeLog.tbl == "activity_participant").count() == 1


def test_updates_log_fields_with_their_base(admin):
    v = person(CLERK, "张三")
    created = whole_record_entries(v)[0].hlc
    teams_row = team()
    teams.update_team(CLERK, teams_row.id, {"note": "新队伍"})
    [entry] = ChangeLog.select().where((ChangeLog.record_id == teams_row.id) & (ChangeLog.field == "note"))
    assert entry.base == whole_record_entries(teams_row)[0].hlc and json.loads(entry.value) == "新队伍"
    volunteers.leave(CLERK, v.id)
    [entry] = ChangeLog.select().where((ChangeLog.record_id == v.id) & (ChangeLog.field == "status"))
    assert entry.base == created and json.loads(entry.value) == "left"


def test_member_and_participant_ids_agree_across_databases(tmp_path):
    """Two PCs that add the same member or participant on their own make one record once synced."""
    shared = {"volunteer": "00000000-0000-4000-8000-0000000000a1", "team": "00000000-0000-4000-8000-0000000000b2",
              "activity": "00000000-0000-4000-8000-0000000000c3"}
    found, nodes = [], []
    for name in ("a", "b"):
        actor = initialize(tmp_path / name / "civdesk.sqlite3", setup_request())
        nodes.append(LocalMeta.get_value("node_id"))
        # The volunteer, team and activity came to both PCs from the same package: same ids.
        changes.create(Volunteer, actor, {"number": "QXZ000001", "name": "张三", "id_number": id_for(seq=90)},
                       id=shared["volunteer"])
        changes.create(Team, actor, {"name": "桂花村志愿服务队"}, id=shared["team"])
        changes.create(Activity, actor, {"name": "清洁家园", "start_date": dt.date(2024, 5, 6),
                                         "end_date": dt.date(2024, 5, 6)}, id=shared["activity"])
        member = teams.add_member(actor, shared["team"], shared["volunteer"])
        record = hours.enter(actor, shared["volunteer"], dt.date(2024, 5, 6), 2, activity_id=shared["activity"])
        [participant] = ActivityParticipant.select()
        found.append((member.id, participant.id, record.id))
        db.close_database()
    assert nodes[0] != nodes[1]
    (member_a, part_a, record_a), (member_b, part_b, record_b) = found
    assert member_a == member_b == changes.deterministic_id("team-member", shared["team"], shared["volunteer"])
    assert part_a == part_b == changes.deterministic_id("participant", shared["activity"], shared["volunteer"])
    assert record_a != record_b, "service records are distinct entries (append-only), never merged"
