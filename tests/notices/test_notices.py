"""公示 and objections: publishing, the clearance rule modules rely on, objections and their
outcomes, withdrawing, reminders, and the notice list as an official document."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.registry import registry
from civdesk.core.validation import ValidationError
from civdesk.notices import public_notices as notices
from civdesk.notices.models import Objection
from civdesk.notices.public_notices import Candidate
from civdesk.office import dashboard, settings

CLERK = Actor("zhangli", "张丽", "clerk")
REVIEWER = Actor("lixiuying", "李秀英", "reviewer")
START = dt.date(2026, 11, 2)


def publish(actor, names=("桂花村", "荷塘村"), start=START, **kw):
    candidates = [Candidate(f"item-{name}", name, "申报2026年度镇级文明村", scope=None) for name in names]
    return notices.publish(actor, "unit", "2026", "2026年度镇级文明村拟命名名单公示", candidates, start, **kw)


def test_a_notice_lasts_the_configured_days(admin):
    notice = publish(admin)
    assert notice.end_date == START + dt.timedelta(days=6)  # 7 days including the first
    assert [c.name for c in notices.candidates(notice.id)] == ["桂花村", "荷塘村"]
    settings.set_value(admin, "notice.days", 5)
    assert publish(admin, names=("莲花社区",)).end_date == START + dt.timedelta(days=4)


def test_clearance_only_after_the_notice_has_ended(admin):
    assert not notices.clearance("item-桂花村").ok and "尚未公示" in notices.clearance("item-桂花村").reason
    publish(admin)
    before = notices.clearance("item-桂花村", today=START - dt.timedelta(days=1))
    assert not before.ok and "开始" in before.reason
    during = notices.clearance("item-桂花村", today=START + dt.timedelta(days=6))
    assert not during.ok and "还剩 1 天" in during.reason
    after = notices.clearance("item-桂花村", today=START + dt.timedelta(days=7))
    assert after.ok and "无异议" in after.reason


def test_an_objection_blocks_until_looked_into_and_an_upheld_one_for_good(admin):
    notice = publish(admin)
    objection = notices.record_objection(CLERK, notice.id, "item-桂花村", START + dt.timedelta(days=2), "村民王某",
                                         "该村今年发生过一次较大的安全事故，没有如实上报。", contact="13800138000",
                                         today=START + dt.timedelta(days=2))
    ended = START + dt.timedelta(days=8)
    assert not notices.clearance("item-桂花村", ended).ok and "尚未核实" in notices.clearance("item-桂花村", ended).reason
    assert notices.clearance("item-荷塘村", ended).ok  # the other candidate is not held up
    with pytest.raises(PermissionDenied):
        notices.decide_objection(CLERK, objection.id, "upheld", "经核实情况属实")
    with pytest.raises(ValidationError) as info:
        notices.decide_objection(REVIEWER, objection.id, "upheld", "")
    assert "outcome_note" in info.value.errors
    notices.decide_objection(REVIEWER, objection.id, "upheld", "经安监办核实，事故属实且未上报。")
    refused = notices.clearance("item-桂花村", ended)
    assert not refused.ok and "异议经核实成立" in refused.reason and "安监办" in refused.reason
    notices.decide_objection(REVIEWER, objection.id, "dismissed", "复核：事故发生在邻村，与该村无关。")
    cleared = notices.clearance("item-桂花村", ended)
    assert cleared.ok and "不成立" in cleared.reason


def test_objections_are_checked(admin):
    notice = publish(admin)
    day = START + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        notices.record_objection(CLERK, notice.id, "item-桂花村", START + dt.timedelta(days=9), "", "公示期后才来的意见",
                                 today=START + dt.timedelta(days=9))
    assert "公示期内" in info.value.errors["received_date"]
    with pytest.raises(ValidationError) as info:
        notices.record_objection(CLERK, notice.id, "item-桂花村", day, "", "短", contact="12345", today=day)
    assert set(info.value.errors) == {"content", "contact"}
    with pytest.raises(ValidationError) as info:
        notices.record_objection(CLERK, notice.id, "item-桂花村", "2026-13-01", "", "日期写错了的异议内容", today=day)
    assert "received_date" in info.value.errors
    with pytest.raises(CivDeskError, match="不在这份公示"):
        notices.record_objection(CLERK, notice.id, "item-别的村", day, "", "不在名单上的对象", today=day)
    anonymous = notices.record_objection(CLERK, notice.id, "item-桂花村", day, " ", "匿名来电反映的情况", today=day)
    assert anonymous.source == "匿名"


def test_publishing_needs_the_right_role_and_a_complete_list(admin):
    with pytest.raises(PermissionDenied):
        publish(CLERK)
    with pytest.raises(ValidationError) as info:
        notices.publish(admin, "unit", "2026", " ", [], "2026-02-30")
    assert set(info.value.errors) == {"title", "candidates", "start_date"}
    publish(admin)
    with pytest.raises(CivDeskError, match="已在"):
        publish(admin, names=("桂花村",))


def test_withdrawing_allows_a_new_notice(admin):
    notice = publish(admin)
    with pytest.raises(ValidationError):
        notices.withdraw(admin, notice.id, "")
    notices.withdraw(admin, notice.id, "名单有误，重新公示")
    assert notices.status(notices.get(notice.id)).state == "已撤回"
    assert not notices.clearance("item-桂花村", START + dt.timedelta(days=30)).ok
    again = publish(admin, start=START + dt.timedelta(days=10))
    assert notices.clearance("item-桂花村", START + dt.timedelta(days=17)).ok
    assert notices.for_subject("unit", "2026")[0].id == again.id


def test_status_and_start_page(admin, monkeypatch):
    today = dt.date.today()
    notice = publish(admin, start=today - dt.timedelta(days=5))
    assert notices.status(notice, today).text == "公示中（还剩 2 天）"
    titles = [i.title for i in dashboard.collect(admin)]
    assert any("将于" in t and "期满" in t for t in titles)
    notices.record_objection(CLERK, notice.id, "item-桂花村", today, "张某", "反映该村道路两侧垃圾长期无人清理。")
    item = next(i for i in dashboard.collect(REVIEWER) if i.kind == "notice_objections")
    assert "1 条异议待核实" in item.title and item.target_page == "units"
    assert not [i for i in dashboard.collect(CLERK) if i.kind == "notice_objections"]


def test_an_objection_belongs_to_the_candidates_village(admin):
    from civdesk.office import offices as office

    village = office.add_village(admin, "桂花村")
    notice = notices.publish(admin, "unit", "2026", "公示", [Candidate("item-1", "桂花村", scope=village.id)], START)
    objection = notices.record_objection(CLERK, notice.id, "item-1", START, "某某", "反映的具体情况如下。",
                                         today=START)
    assert Objection.get_by_id(objection.id).scope == village.id and notice.scope is None


needs_tools = pytest.mark.usefixtures("poppler")  # fails, not skips, without poppler


@needs_tools
def test_the_notice_list_is_an_official_document(admin, tmp_path):
    from civdesk.notices import pdf as notice_pdf

    names = [f"第{n}村民小组" for n in range(1, 31)]
    notice = publish(admin, names=names, contact="监督电话 028-83912345")
    pdf = tmp_path / "notice.pdf"
    pages = notice_pdf.write_notice_list(pdf, notice, columns=("申报单位", "申报称号"))
    assert pages >= 2
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, encoding="utf-8").stdout)
    assert "2026年度镇级文明村拟命名名单公示" in text and "第30村民小组" in text
    assert "公示时间：2026年11月2日至2026年11月8日" in text and "028-83912345" in text
    assert "申报单位" in text
    # GB/T 9704 geometry: the text block starts 37 mm from the top and 28 mm from the left.
    box = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True, encoding="utf-8").stdout
    words = [(float(m[0]), float(m[1])) for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"', box)]
    mm = 72 / 25.4
    assert min(y for _, y in words) == pytest.approx(37 * mm, abs=1.5 * mm)
    assert min(x for x, _ in words) >= 28 * mm - 0.5


def test_a_notice_acted_upon_cannot_be_withdrawn(admin, monkeypatch):
    notice = publish(admin)
    monkeypatch.setitem(registry._decided, "unit", lambda item_id: item_id == "item-桂花村")
    with pytest.raises(CivDeskError, match="桂花村.*不能再撤回"):
        notices.withdraw(admin, notice.id, "想重新公示")
    assert not notices.get(notice.id).withdrawn


def test_the_naming_modules_register_what_counts_as_decided():
    from civdesk.nominations import award
    from civdesk.units import workflow

    assert registry.decided_check("unit") is workflow.is_named
    assert registry.decided_check("nomination") is award.is_honoured
