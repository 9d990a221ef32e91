"""``volunteer merge`` / ``volunteer duplicates`` and ``nomination person-merge`` /
``nomination person-duplicates``: preview, per-field --take, JSON, refusals in Chinese with exit 1
and nothing written, and the help that documents them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.meta import ChangeLog
from civdesk.nominations import people
from civdesk.nominations.models import Nominee
from civdesk.office import accounts
from civdesk.volunteers import hours
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.models import Volunteer
from tests.support.volunteers import make_id

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
PASSWORD = "Temp-1234x"
ZHANG = make_id("19850302", "123")


@pytest.fixture
def twice(admin, civ):
    for user in (CLERK, REVIEWER):
        accounts.add_user(admin, user.username, user.display_name, user.role, PASSWORD, must_change=False)
        civ.passwords[user.username] = PASSWORD
    kept = volunteers.register(CLERK, {"name": "张三", "id_number": ZHANG, "phone": "13812345678"})
    data = {name: getattr(kept, name) for name in Volunteer.data_fields() if name != "merged_into"}
    other = changes.create(Volunteer, CLERK, {**data, "number": "QXZ-B000001", "phone": "13987654321",
                                              "address": "西街 2 号"}, scope=kept.scope)
    record = hours.enter(CLERK, other.id, dt.date.today() - dt.timedelta(days=2), 2)
    hours.approve(REVIEWER, [record.id])
    return kept, other


def log_size() -> int:
    """What a merge writes (a command's login leaves its own audit line)."""
    return (ChangeLog.select().where(ChangeLog.tbl != "audit_entry").count()
            + AuditEntry.select().where(AuditEntry.action << ["merge", "view_personal"]).count())


def test_duplicates_then_a_dry_run_then_the_merge(twice, civ):
    kept, other = twice
    listed = civ("volunteer", "duplicates", "--json", user="lixiuying")
    assert listed.returncode == 0, listed.stderr
    [pair] = json.loads(listed.stdout)
    assert {pair["keep_id"], pair["other_id"]} == {kept.id, other.id} and ZHANG not in listed.stdout
    before = log_size()
    dry = civ("volunteer", "merge", kept.number, other.number, "--take", "联系电话", "--dry-run", user="lixiuying")
    assert dry.returncode == 0, dry.stderr
    assert "联系电话：138****5678 ｜ 139****4321 → 用另一条的" in dry.stdout and "服务记录 1 条" in dry.stdout
    assert "未作任何更改" in dry.stdout and log_size() == before
    done = civ("volunteer", "merge", kept.number, other.number, "--take", "phone", "--json", user="lixiuying")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["merged"] and result["moves"]["服务记录"] == 1
    fields = {f["field"]: f for f in result["fields"]}
    assert fields["phone"]["kept"] == "other" and fields["address"]["kept"] == "keep"
    assert fields["name"]["kept"] == "same" and "13987654321" not in done.stdout
    assert Volunteer.get_by_id(kept.id).phone == "13987654321"
    assert Volunteer.get_by_id(other.id).merged_into == kept.id
    assert volunteers.find(other.number).id == kept.id
    listed = json.loads(civ("volunteer", "list", "--json").stdout)
    assert [(r["number"], r["hours"]) for r in listed] == [(kept.number, 2)]


@pytest.mark.parametrize("case", ["itself", "again", "clerk", "unknown_field", "unknown_number"])
def test_refusals_exit_1_in_chinese_and_write_nothing(twice, civ, case):
    kept, other = twice
    if case == "again":
        assert civ("volunteer", "merge", kept.number, other.number, user="lixiuying").returncode == 0
    args, user, expected = {
        "itself": ((kept.number, kept.number), "lixiuying", "与它自己合并"),
        "again": ((kept.number, other.number), "lixiuying", "已经合并到「张三」"),
        "clerk": ((kept.number, other.number), "zhangli", "没有权限合并重复登记"),
        "unknown_field": ((kept.number, other.number, "--take", "工作单位"), "lixiuying", "不是可以选择的信息"),
        "unknown_number": ((kept.number, "QXZ999999"), "lixiuying", "找不到编号或记录编号为「QXZ999999」的志愿者"),
    }[case]
    before = log_size()
    ran = civ("volunteer", "merge", *args, user=user)
    assert ran.returncode == 1 and expected in ran.stderr, (ran.returncode, ran.stderr)
    assert log_size() == before


def test_a_nominee_merge(twice, civ):
    made = []
    for number in (make_id("19560101", "123"), make_id("19560101", "163")):
        made.append(people.nominee_for(CLERK, people.clean_person({"name": "钱桂英", "id_number": number})).id)
    listed = civ("nomination", "person-duplicates", user="lixiuying")
    assert listed.returncode == 0 and "号码只差一两位" in listed.stdout and made[0][:8] in listed.stdout
    done = civ("nomination", "person-merge", made[0][:8], made[1][:8], "--take", "身份证号码", user="lixiuying")
    assert done.returncode == 0, done.stderr
    assert "已合并" in done.stdout and Nominee.get_by_id(made[0]).id_number == Nominee.get_by_id(made[1]).id_number
    assert Nominee.get_by_id(made[1]).merged_into == made[0]
    again = civ("nomination", "person-merge", made[0][:8], made[1][:8], user="lixiuying")
    assert again.returncode == 1 and "合并留下的记录" in again.stderr


def test_the_help_documents_both(civ):
    ran = civ("volunteer", "--help")
    assert "merge" in ran.stdout and "合并重复登记的同一个志愿者" in ran.stdout
    ran = civ("volunteer", "merge", "--help")
    assert "--take" in ran.stdout and "--dry-run" in ran.stdout and "KEEP" in ran.stdout
    ran = civ("nomination", "--help")
    assert "person-merge" in ran.stdout and "合并重复登记的同一个被推荐人" in ran.stdout
