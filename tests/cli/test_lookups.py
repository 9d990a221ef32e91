"""One rule for naming a record on the command line — its name or number where it has one, else
its id or the id's first characters — with the same Chinese messages in every command
(``civdesk.cli.common.pick_id``), and commands that find teams and activities through the
volunteers' service like the ``team``/``activity`` commands do."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.cli.common import pick_id
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.office import accounts
from civdesk.office import offices as office
from civdesk.units import scoring
from civdesk.volunteers import teams
from tests.support.databases import ADMIN

IDS = ["3f2a9c10-aaaa", "3f2a9c11-bbbb", "77e01d22-cccc"]


def _prefix(key: str) -> list[str]:
    return [i for i in IDS if i.startswith(key)]


def test_a_short_id_names_the_one_record_it_begins():
    assert pick_id("77e01d", "申报", "unit list", prefix=_prefix) == IDS[2]
    assert pick_id(" 3F2A9C11 ", "申报", "unit list", prefix=_prefix) == IDS[1], "case and spaces do not matter"
    assert pick_id("３f２a９c１０", "申报", "unit list", prefix=_prefix) == IDS[0], "full-width digits are folded"


@pytest.mark.parametrize(("typed", "error", "message"), [
    ("3f2a", NotFound, "编号「3f2a」太短：请至少写前 6 位（见 unit list）。"),
    ("ffffff", NotFound, "找不到编号为「ffffff」的申报（编号至少写前 6 位，见 unit list）。"),
    ("3f2a9c", CivDeskError, "「3f2a9c」对应 2 个申报，请多写几位编号。"),
])
def test_the_refusals_say_what_to_type(typed, error, message):
    with pytest.raises(error) as caught:
        pick_id(typed, "申报", "unit list", prefix=_prefix)
    assert str(caught.value) == message


def test_a_name_comes_before_the_id_and_two_of_one_name_ask_for_the_id():
    names = {"清溪片": [IDS[0]], "两个": [IDS[0], IDS[1]]}
    pick = dict(what="督查片区", listing="supervision area-add", exact=lambda t: names.get(t, []), prefix=_prefix,
                named_by="名称或编号")
    assert pick_id("清溪片", **pick) == IDS[0]
    assert pick_id("77e01d22", **pick) == IDS[2]
    with pytest.raises(CivDeskError, match="^「两个」对应 2 个督查片区，请改用编号。$"):
        pick_id("两个", **pick)
    with pytest.raises(NotFound, match="^找不到名称或编号为「西片」的督查片区（记录编号至少写前 6 位，见 supervision area-add）。$"):
        pick_id("西片", **pick)
    with pytest.raises(NotFound, match="^找不到名称或编号为「西片」的督查片区（见 supervision area-add）。$"):
        pick_id("西片", "督查片区", "supervision area-add", exact=lambda t: names.get(t, []), named_by="名称或编号")


@pytest.fixture
def reviewer(admin, civ):
    accounts.add_user(admin, "lixiuying", "李秀英", "reviewer", "Temp-1234x", must_change=False)
    civ.passwords["lixiuying"] = "Temp-1234x"
    return admin


@pytest.mark.parametrize(("args", "message"), [
    (("hours", "approve", "ffffffff"), "找不到编号为「ffffffff」的服务记录（编号至少写前 8 位，见 hours list）。"),
    (("hours", "approve", "abc"), "编号「abc」太短：请至少写前 8 位（见 hours list）。"),
    (("unit", "submit", "ffffff"), "找不到编号为「ffffff」的申报（编号至少写前 6 位，见 unit list）。"),
    (("unit", "submit", "fff"), "编号「fff」太短：请至少写前 6 位（见 unit list）。"),
    (("report", "unit-application", "--application", "ffffff", "--out", "x.pdf"),
     "找不到编号为「ffffff」的申报（编号至少写前 6 位，见 unit list）。"),
    (("placement", "inspect", "ffffff", "--state", "完好"),
     "找不到编号为「ffffff」的公益广告（编号至少写前 6 位，见 placement list）。"),
    (("supervision", "rectify", "ffffff", "--text", "已清运"),
     "找不到文号或编号为「ffffff」的整改通知书（记录编号至少写前 6 位，见 supervision notices）。"),
    (("supervision", "pairs", "清溪镇整改〔2026〕9号"),
     "找不到文号或编号为「清溪镇整改〔2026〕9号」的整改通知书（记录编号至少写前 6 位，见 supervision notices）。"),
    (("report", "nomination-form", "--nomination", "ffffffff", "--out", "x.pdf"),
     "找不到编号为「ffffffff」的推荐（编号至少写前 8 位，见 nomination list --json）。"),
    (("nomination", "tally", "--session", "ffffffff"),
     "找不到名称或编号为「ffffffff」的评选活动（记录编号至少写前 8 位，见 nomination sessions）。"),
    (("nomination", "person-merge", "ffffffff", "eeeeeeee"),
     "找不到记录编号为「ffffffff」的被推荐人（编号至少写前 8 位，见 nomination person-duplicates）。"),
    (("volunteer", "merge", "QXZ999999", "eeeeeeee"),
     "找不到编号或记录编号为「QXZ999999」的志愿者（记录编号至少写前 8 位，见 volunteer duplicates）。"),
    (("report", "frontage-agreement", "没有这户", "--out", "x.pdf"),
     "找不到名称或编号为「没有这户」的门前三包责任户（见 supervision holders --json）。"),
    (("supervision", "round-add", "--name", "月查", "--frequency", "monthly", "--area", "东片"),
     "找不到名称或编号为「东片」的督查片区（见 supervision area-add 添加的片区）。"),
])
def test_every_command_refuses_an_unknown_record_in_the_same_words(reviewer, civ, tmp_path, monkeypatch, args,
                                                                   message):
    monkeypatch.chdir(tmp_path)
    ran = civ(*args, user="lixiuying" if args[0] == "hours" else ADMIN)
    assert (ran.returncode, ran.stderr) == (1, f"错误：{message}\n")
    assert not (tmp_path / "x.pdf").exists()


def test_a_command_names_two_records_sharing_the_typed_start(reviewer, civ, monkeypatch):
    monkeypatch.setattr(scoring, "ids_starting_with", lambda key: [f"{key}01", f"{key}02", f"{key}03"])
    ran = civ("unit", "submit", "abcdef")
    assert (ran.returncode, ran.stderr) == (1, "错误：「abcdef」对应 3 个申报，请多写几位编号。\n")


def test_report_hours_finds_teams_and_activities_as_the_activity_commands_do(admin, civ, tmp_path):
    office.add_village(admin, "桂花村")
    team = teams.create_team(admin, {"name": "桂花村志愿服务队", "village_id": "桂花村"})
    first = teams.create_activity(admin, {"name": "重阳节敬老", "start_date": dt.date(2025, 10, 29)})
    teams.create_activity(admin, {"name": "重阳节敬老", "start_date": dt.date(2025, 10, 30)})
    out = tmp_path / "hours.pdf"
    period = ("report", "hours", "--from", "2025-01-01", "--to", "2025-12-31", "--out", str(out))
    both = civ(*period, "--activity", "重阳节敬老")
    assert both.returncode == 1 and "有 2 个名为「重阳节敬老」的活动（开始日期 2025-10-29、2025-10-30），请同时给出开始日期" \
        in both.stderr and not out.exists()
    one = civ(*period, "--activity", "重阳节敬老", "--activity-date", "2025年10月29日")
    assert one.returncode == 0 and out.exists(), one.stderr
    by_id = civ(*period, "--activity", first.id, "--team", team.id)
    assert by_id.returncode == 0, by_id.stderr
    bad_date = civ(*period, "--activity", "重阳节敬老", "--activity-date", "2025-13-01")
    assert bad_date.returncode == 1 and "活动开始日期「2025-13-01」不存在" in bad_date.stderr


def test_one_date_and_one_json_helper_for_every_command(capsys):
    from civdesk.cli.common import date_arg, print_json

    assert date_arg(None, "检查日期") is None and date_arg("  ", "检查日期") is None  # not given
    assert date_arg("2026年3月5日") == dt.date(2026, 3, 5) and date_arg("２０２６-03-05") == dt.date(2026, 3, 5)
    with pytest.raises(CivDeskError, match="「日期」不能为空"):
        date_arg("", required=True)
    with pytest.raises(CivDeskError, match="检查日期「2026-02-30」不存在"):
        date_arg("2026-02-30", "检查日期")
    print_json({"day": dt.date(2026, 3, 5), "村": "桂花村"})
    assert capsys.readouterr().out == '{\n "day": "2026-03-05",\n "村": "桂花村"\n}\n'


def test_a_blank_required_date_is_refused_in_chinese(admin, civ):
    ran = civ("calendar", "workday", "", "3")
    assert (ran.returncode, ran.stderr) == (1, "错误：「日期」不能为空\n")
