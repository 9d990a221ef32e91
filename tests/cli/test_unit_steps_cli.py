"""A 文明创建 application taken through every step on the command line — organisation, filing,
self-scores, submit, 初审, 测评, 公示, 命名 — with the roles and refusals of the screens."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civdesk.cli.unit_applications import application_id
from civdesk.core.actor import Actor
from civdesk.notices import public_notices as notices
from civdesk.office import accounts
from civdesk.office import offices as office
from civdesk.units import scoring, workflow
from civdesk.units.models import TitleHeld

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
PASSWORD = "Temp-1234x"
YEAR = str(dt.date.today().year)
START = dt.date.today() - dt.timedelta(days=10)  # a 7-day notice that has ended
DECISION = "清溪镇文明委〔2026〕5号"


@pytest.fixture
def staffed(admin, civ):
    for user in (CLERK, REVIEWER):
        accounts.add_user(admin, user.username, user.display_name, user.role, PASSWORD, must_change=False)
        civ.passwords[user.username] = PASSWORD
    office.add_village(admin, "红星村")
    return admin


def _application(short_id: str):
    return scoring.get(application_id(short_id))


def applied(civ, name: str = "红星村") -> str:
    assert civ("unit", "org", "add", name, "--kind", "村", "--village", "红星村", "--contact", "王村长",
               "--phone", "13812345678", "--size", "４２０", user="zhangli").returncode == 0
    made = civ("unit", "apply", name, "--title", "文明村", "--summary", "建立了文明创建工作台账。", user="zhangli")
    assert made.returncode == 0, made.stderr
    return made.stdout.split("已建立申报 ")[1][:8]


def full_marks(civ, app: str, *, short: float = 0.0) -> list[str]:
    """N=SCORE for every item: the best grade or full points, less *short* from the first items."""
    pairs, cut = [], round(short * 10)
    for row in json.loads(civ("unit", "items", app, "--json").stdout):
        if row["grades"]:
            pairs.append(f"{row['number']}={row['grades'].split('=')[0]}")
        else:
            take = min(cut, round(row["max_points"] * 10))
            cut -= take
            pairs.append(f"{row['number']}={(round(row['max_points'] * 10) - take) / 10:g}")
    return pairs


def test_an_application_from_filing_to_naming(staffed, civ):
    app = applied(civ)
    assert civ("unit", "show", app, "--json").returncode == 0
    early = civ("unit", "submit", app, user="zhangli")
    assert early.returncode == 1 and "项指标没有自评" in early.stderr
    scored = civ("unit", "score", app, "--kind", "self", *full_marks(civ, app), "--note", "见台账", user="zhangli")
    assert scored.returncode == 0 and "自评总分 100 分" in scored.stdout, scored.stderr
    assert "现在是「已提交」" in civ("unit", "submit", app, user="zhangli").stdout
    refused = civ("unit", "accept", app, user="zhangli")
    assert refused.returncode == 1 and "没有权限" in refused.stderr
    assert "现在是「初审」" in civ("unit", "accept", app, user="lixiuying").stdout
    assert "现在是「测评」" in civ("unit", "assess", app, "--note", "材料齐全", user="lixiuying").stdout
    assessed = civ("unit", "score", app, "--kind", "assessed", *full_marks(civ, app, short=8), user="lixiuying")
    assert assessed.returncode == 0 and "测评总分 92 分" in assessed.stdout, assessed.stderr
    items = json.loads(civ("unit", "items", app, "--json").stdout)
    assert items[0]["self"] == items[0]["max_points"] and items[0]["assessed"] == items[0]["max_points"] - 5

    published = civ("unit", "notice", app, "--start", START.isoformat(), user="lixiuying")
    assert published.returncode == 0 and "已发布公示" in published.stdout, published.stderr
    named = civ("unit", "name", app, "--number", DECISION, "--date", dt.date.today().isoformat(), user="lixiuying")
    assert named.returncode == 0 and "已命名 1 个单位" in named.stdout, named.stderr

    shown = json.loads(civ("unit", "show", app, "--json").stdout)
    assert (shown["status"], shown["status_code"], shown["decision_number"]) == ("已命名", "named", DECISION)
    assert (shown["self_score"], shown["assessed_score"]) == (100, 92)
    assert [e["to"] for e in shown["history"]] == ["已提交", "初审", "测评", "公示", "已命名"]
    full_id = _application(app).id
    assert workflow.is_named(full_id) and TitleHeld.get(TitleHeld.application_id == full_id).decision_number == DECISION
    assert notices.for_subject("unit", YEAR)[0].start_date == START
    listed = json.loads(civ("unit", "list", "--year", YEAR, "--json").stdout)
    assert [(r["short_id"], r["status"]) for r in listed] == [(app, "已命名")]


def test_return_fail_and_the_veto(staffed, civ):
    app = applied(civ)
    civ("unit", "score", app, "--kind", "self", *full_marks(civ, app), user="zhangli")
    civ("unit", "submit", app, user="zhangli")
    short = civ("unit", "return", app, "--reason", "x", user="lixiuying")
    assert short.returncode == 1 and "请写明退回修改的原因" in short.stderr
    assert "现在是「草稿」" in civ("unit", "return", app, "--reason", "补充台账照片", user="lixiuying").stdout
    changed = civ("unit", "update", app, "--summary", "补充了台账照片。", "--model-grade", user="zhangli")
    assert changed.returncode == 0, changed.stderr
    assert _application(app).model_grade and _application(app).work_summary == "补充了台账照片。"
    civ("unit", "submit", app, user="zhangli")
    civ("unit", "accept", app, user="lixiuying")
    civ("unit", "assess", app, user="lixiuying")

    vetoed = civ("unit", "veto", app, "--condition", "发生重大安全生产事故", "--reason", "燃气泄漏致一人受伤",
                 user="lixiuying")
    assert vetoed.returncode == 0, vetoed.stderr
    civ("unit", "score", app, "--kind", "assessed", *full_marks(civ, app), user="lixiuying")
    blocked = civ("unit", "notice", app, "--start", START.isoformat(), user="lixiuying")
    assert blocked.returncode == 1 and "已被一票否决" in blocked.stderr
    wrong = civ("unit", "lift-veto", app, "--condition", "别的情形", "--reason", "经复核不属实", user="admin")
    assert wrong.returncode == 1 and "现有的否决：发生重大安全生产事故" in wrong.stderr
    not_admin = civ("unit", "lift-veto", app, "--condition", "发生重大安全生产事故", "--reason", "经复核不属实",
                    user="lixiuying")
    assert not_admin.returncode == 1 and "没有权限" in not_admin.stderr
    lifted = civ("unit", "lift-veto", app, "--condition", "发生重大安全生产事故", "--reason", "经复核不属实", user="admin")
    assert lifted.returncode == 0 and not workflow.active_vetoes(_application(app).id)
    failed = civ("unit", "fail", app, "--reason", "测评发现台账造假", user="lixiuying")
    assert failed.returncode == 0 and "现在是「未通过」" in failed.stdout


def test_filing_refusals(staffed, civ, tmp_path):
    app = applied(civ)
    for args, words in (
            (("unit", "org", "add", "红星村", "--kind", "村", "--village", "红星村"), "已有名为「红星村」的创建单位"),
            (("unit", "org", "add", "清溪小学", "--kind", "学校", "--size", "12.5"), "职工数/户数应为整数"),
            (("unit", "apply", "不存在的单位", "--title", "文明村"), "没有名为「不存在的单位」的创建单位"),
            (("unit", "apply", "红星村", "--title", "文明村"), "不能重复申报"),
            (("unit", "apply", "红星村", "--title", "文明单位", "--year", "1999"), "年度"),
            (("unit", "score", app, "--kind", "self", "1=inf"), "得分应为数字"),
            (("unit", "score", app, "--kind", "self", "1=5.55"), "最多保留 1 位小数"),
            (("unit", "score", app, "--kind", "self", "99=3"), "指标序号应在 1 到"),
            (("unit", "score", app, "--kind", "self", "3"), "指标序号=分数"),
            (("unit", "score", app, "--kind", "assessed", "1=3"), "没有权限审核、测评"),
            (("unit", "update", app), "没有要修改的内容"),
            (("unit", "submit", "ffffff"), "找不到编号"),
            (("unit", "attach", app, str(tmp_path / "无.pdf")), "文件不存在"),
            (("unit", "delete", app, "--reason", " "), "请写明删除原因")):
        result = civ(*args, user="zhangli")
        assert result.returncode == 1 and words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert civ("unit", "score", app, "--kind", "self", "1=４．５", user="zhangli").returncode == 0
    assert scoring.latest_scores(_application(app).id, "self")[json.loads(
        civ("unit", "items", app, "--json").stdout)[0]["item_id"]].tenths == 45
    photo = tmp_path / "台账.pdf"
    photo.write_bytes(b"%PDF-1.4 test")
    attached = civ("unit", "attach", app, str(photo), "--item", "1", user="zhangli")
    assert attached.returncode == 0 and "台账.pdf" in json.loads(civ("unit", "show", app, "--json").stdout)["attachments"]
    orgs = json.loads(civ("unit", "org", "list", "--json").stdout)
    assert [(o["name"], o["size_count"]) for o in orgs] == [("红星村", 420)]
    assert civ("unit", "delete", app, "--reason", "重复录入", user="zhangli").returncode == 0
    assert json.loads(civ("unit", "list", "--year", YEAR, "--json").stdout) == []
