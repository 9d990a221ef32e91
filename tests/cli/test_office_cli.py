"""``office …`` on the command line: this office and its villages, as a script sets them up
before importing a roster whose 所属村 names them."""

from __future__ import annotations

import json

from openpyxl import Workbook

from civdesk.office import accounts
from civdesk.office import offices as office
from tests.support.volunteers import make_id

CLERK_PASSWORD = "Zhangli@2024"


def test_office_show(admin, civ):
    result = civ("office", "show", "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["name"], shown["kind"], shown["kind_label"]) == ("清溪镇", "township", "乡镇/街道")
    assert shown["node_name"] == "文明办电脑" and shown["villages"] == []
    text = civ("office", "show")
    assert "本单位：清溪镇（乡镇/街道）" in text.stdout and "村/社区：（还没有登记）" in text.stdout


def test_village_add_and_list(admin, civ):
    added = civ("office", "village", "add", "红星村", "桂花村", user="admin")
    assert added.returncode == 0, added.stderr
    assert "已添加村/社区：红星村、桂花村" in added.stdout
    listed = civ("office", "village", "list", "--json")
    assert [v["name"] for v in json.loads(listed.stdout)] == ["桂花村", "红星村"], "pinyin order"
    assert {v["id"] for v in json.loads(listed.stdout)} == {v.id for v in office.villages()}
    assert civ("office", "village", "list").stdout.splitlines() == ["桂花村", "红星村", "共 2 个村/社区"]
    assert json.loads(civ("office", "show", "--json").stdout)["villages"] == ["桂花村", "红星村"]


def test_village_add_refusals_change_nothing(admin, civ):
    assert civ("office", "village", "add", "红星村", user="admin").returncode == 0
    again = civ("office", "village", "add", "石桥村", "红星村", user="admin")
    assert again.returncode == 1 and "「红星村」已经在名单中" in again.stderr
    assert [v.name for v in office.villages()] == ["红星村"], "all or nothing: 石桥村 was not added either"
    blank = civ("office", "village", "add", " ", user="admin")
    assert blank.returncode == 1 and "不能为空" in blank.stderr
    accounts.add_user(admin, "zhangli", "张丽", "clerk", CLERK_PASSWORD, must_change=False)
    civ.passwords["zhangli"] = CLERK_PASSWORD
    clerk = civ("office", "village", "add", "石桥村", user="zhangli")
    assert clerk.returncode == 1 and "没有权限" in clerk.stderr
    anonymous = civ("office", "village", "add", "石桥村", user=None)
    assert anonymous.returncode == 2 and "--user" in anonymous.stderr
    assert "Traceback" not in again.stderr + blank.stderr + clerk.stderr
    assert [v.name for v in office.villages()] == ["红星村"]


def test_a_roster_naming_new_villages_imports_after_village_add(admin, civ, tmp_path):
    roster = tmp_path / "花名册.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "身份证号码", "所属村（社区）"])
    wb.active.append(["张三", make_id("19850302", "123"), "桂花村"])
    wb.active.append(["李四", make_id("19900515", "222"), "石桥村"])
    wb.save(roster)
    refused = civ("volunteer", "import", str(roster), user="admin")
    assert refused.returncode == 1 and "桂花村" in refused.stdout
    assert civ("office", "village", "add", "桂花村", "石桥村", user="admin").returncode == 0
    imported = civ("volunteer", "import", str(roster), "--json", user="admin")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert json.loads(imported.stdout)["imported"] == 2


def test_every_new_command_is_documented_in_chinese(civ, db_path):
    from tests.support.databases import run_cli

    top = run_cli("--help")
    assert top.returncode == 0
    for group, words in (("office", "本单位及其村/社区"), ("team", "志愿队伍"), ("activity", "志愿活动及参加人员")):
        assert group in top.stdout and words in top.stdout, group
    for args, words in ((("office", "village", "--help"), ("添加村/社区", "列出已登记的村/社区")),
                        (("team", "--help"), ("建立志愿队伍", "把志愿者加入队伍")),
                        (("activity", "--help"), ("登记志愿活动", "登记参加活动的志愿者")),
                        (("hours", "--help"), ("审核通过服务记录", "退回一条服务记录", "列出服务记录")),
                        (("unit", "--help"), ("提交申报", "受理，进入初审", "一票否决", "列入公示", "命名")),
                        (("unit", "score", "--help"), ("指标序号=得分或等次",)),
                        (("hours", "reject", "--help"), ("退回原因",))):
        shown = civ(*args)
        assert shown.returncode == 0 and all(w in shown.stdout for w in words), (args, shown.stdout)
