"""文明创建 PDFs read back with poppler: the 命名决定 in GB/T 9704 geometry, the 公示名单, the
申报表 and 测评评分表 with their scores and totals, the yearly roster."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess

import pytest
from reportlab.pdfbase import pdfmetrics

from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.notices import public_notices as notices
from civdesk.units import organisations as units
from civdesk.units import reports as unit_reports
from civdesk.units import titles as unit_titles
from civdesk.units import workflow as unit_workflow
from tests.reports.test_reports_infra import MM, needs_poppler, needs_wqy, page_count, pdftotext, words
from tests.support.units import AFTER, CLERK, REVIEWER, YEAR, application

DECISION = "清溪镇文明委〔2026〕5号"


def flat(pdf, pages) -> str:
    return "".join(re.sub(r"\s+", "", pdftotext(pdf, p, layout=False)).removesuffix(f"—{p}—")
                   for p in range(1, pages + 1))


@pytest.fixture
def named(admin):
    names = [("红星村", "村", "文明村"), ("白鹤社区", "社区", "文明社区"), ("清溪镇卫生院", "机关事业单位", "文明单位")]
    apps = [application(admin, "notice", name=n, kind=k, title=t) for n, k, t in names]
    unit_workflow.name(REVIEWER, [a.id for a in apps], DECISION, AFTER, today=AFTER)
    return apps


@needs_poppler
@needs_wqy
def test_the_naming_decision_is_an_official_document(named, tmp_path):
    pdf = tmp_path / "decision.pdf"
    pages = unit_reports.decision_pdf(pdf, YEAR, actor=REVIEWER)
    assert pages == page_count(pdf)
    left, right = 28 * MM, 184 * MM
    top, bottom = 37 * MM, (37 + 225) * MM
    for page in range(1, pages + 1):
        found = words(pdf, page)
        body = [w for w in found if w[3] <= bottom + 1]
        # Page 1 opens with the red head 35 mm under the block's top (GB/T 9704 §7.2.4), the others at the top.
        start = top + 35 * MM if page == 1 else top
        assert min(w[1] for w in body) == pytest.approx(start, abs=1.5 * MM), "text block starts 37 mm from the top"
        for x0, _, x1, _, text in body:
            assert left - 0.3 <= x0 and x1 <= right + 0.3, f"{text!r} outside the 156 mm block"
        numbers = [w for w in found if w[1] > bottom]
        assert "".join(w[4] for w in numbers) == f"—{page}—"
    first = sorted(words(pdf, 1), key=lambda w: w[1])
    assert first[0][4] == "清溪镇精神文明建设委员会文件"
    assert first[1][4] == DECISION
    assert min(w[0] for w in first if w[4].startswith("各村")) == pytest.approx(left, abs=0.3), "主送机关顶格"
    # Full body lines run edge to edge of the 156 mm block: 28 grid cells of 3号, a half-width digit
    # taking half a cell, a paragraph's first line starting two cells in (so "2026年…" can hold 28
    # characters in 26 cells with a Song face whose digits are half an em wide).
    def cells(text):
        return sum(0.5 if ch.isascii() else 1 for ch in text)

    cell = 156 * MM / 28
    full = [w for w in first if w[1] > first[2][1] and cells(w[4]) + round((w[0] - left) / cell) >= 28]
    assert full and all(w[2] == pytest.approx(right, abs=0.5) for w in full)
    assert all(w[0] == pytest.approx(left, abs=0.5) or w[0] == pytest.approx(left + 2 * cell, abs=0.5)
               for w in full)
    text = flat(pdf, pages)
    assert "关于命名2026年度文明单位（村、社区）的决定" in text
    for expected in ("一、镇级文明单位（1个）", "红星村", "镇级文明社区（1个）", "白鹤社区", "镇级文明村（1个）",
                     "清溪镇卫生院", "称号有效期3年", "清溪镇精神文明建设委员会2026年11月9日"):
        assert expected in text
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1


def test_no_decision_without_named_applications(admin, tmp_path):
    with pytest.raises(CivDeskError, match="还没有已命名的申报"):
        unit_reports.decision_pdf(tmp_path / "x.pdf", YEAR)
    assert not (tmp_path / "x.pdf").exists()


@needs_poppler
@needs_wqy
def test_the_notice_list_goes_through_the_shared_layout(admin, tmp_path):
    app = application(admin, "notice", assessed=91.5)
    pdf = tmp_path / "notice.pdf"
    pages = unit_reports.notice_pdf(pdf, notices.notices_of(app.id)[0].id, actor=REVIEWER)
    text = flat(pdf, pages)
    assert "关于2026年度文明单位（村、社区）拟命名对象的公示" in text
    assert "红星村" in text and "镇级文明村（测评91.5分）" in text and "2026年11月2日至2026年11月8日" in text
    assert min(w[1] for w in words(pdf, 1)) == pytest.approx(37 * MM, abs=1.5 * MM)


@needs_poppler
@needs_wqy
def test_the_application_form_has_the_self_scores_and_total(admin, tmp_path):
    app = application(admin, "submitted")
    pdf = tmp_path / "app.pdf"
    pages = unit_reports.application_pdf(pdf, app.id, actor=CLERK)
    text = flat(pdf, pages)
    assert "2026年度镇级文明村申报表" in text and "红星村" in text
    assert "138****5678" in text and "13812345678" not in text, "phone masked"
    assert re.search(r"合计\s+100\s+100", pdftotext(pdf, pages)), "the total row"
    assert "自评总分100分（申报需达到90分）" in text
    first = units.items(app.set_id)[0].name
    assert first[:10] in text
    assert "申报单位意见" in text and "镇文明办初审意见" in text


@needs_poppler
@needs_wqy
def test_the_score_sheet_has_self_and_assessed_per_indicator(admin, tmp_path):
    app = application(admin, "assessing", assessed=87.5)
    unit_workflow.veto(REVIEWER, app.id, "发生重大安全生产事故", "村办砖厂发生安全事故")
    pdf = tmp_path / "scores.pdf"
    pages = unit_reports.scores_pdf(pdf, app.id)
    text = flat(pdf, pages)
    assert "2026年度镇级文明村测评评分表" in text
    assert "测评总分87.5分" in text and "通过分数85分" in text
    assert re.search(r"合计\s+100\s+100\s+87\.5", pdftotext(pdf, pages)), "the total row"
    assert "一票否决发生重大安全生产事故" in text and "村办砖厂发生安全事故" in text
    layout = pdftotext(pdf, 1)
    row = next(line for line in layout.splitlines() if line.strip().startswith("1 "))
    assert re.search(r"5\s+5\s+0\s+实地查看", row), "the first item: max 5, self 5, assessed 0 (the shortfall)"


@needs_poppler
@needs_wqy
def test_the_roster_of_a_year(named, tmp_path):
    title = unit_titles.history(named[1].org_id)[0]
    unit_titles.revoke(REVIEWER, title.id, "发生群体性事件", dt.date(2026, 12, 1))
    pdf = tmp_path / "roster.pdf"
    pages = unit_reports.roster_pdf(pdf, YEAR, date=dt.date(2026, 12, 31))
    text = flat(pdf, pages)
    assert "2026年度文明单位（村、社区）名录" in text and "共3个称号，其中有效2个" in text
    assert "白鹤社区" in text and "已摘牌发生群体性事件" in text
    assert "清溪镇文明委〔2026〕5号" in text


def test_a_clerk_may_export_but_permission_is_checked(admin, tmp_path, monkeypatch):
    from civdesk.core.actor import PERMISSIONS

    app = application(admin, "draft")
    monkeypatch.setitem(PERMISSIONS, "export_data", frozenset({"admin"}))
    with pytest.raises(PermissionDenied):
        unit_reports.application_pdf(tmp_path / "a.pdf", app.id, actor=CLERK)


def _text_fonts(pdf) -> dict[str, str]:
    """Each text run of page 1 -> the font family poppler reads for it (pdftohtml -xml)."""
    out = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-enc", "UTF-8", "-f", "1", "-l", "1", str(pdf)],
                         check=True, capture_output=True).stdout.decode("utf-8")
    families = dict(re.findall(r'<fontspec id="(\d+)" size="[^"]*" family="([^"]*)"', out))
    runs = re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', out)
    return {re.sub(r"<[^>]+>", "", text): families[font] for font, text in runs}


@needs_poppler
def test_the_naming_decision_body_is_in_the_fangsong_role_font(named, tmp_path):
    """GB/T 9704: 正文 in 仿宋 (here whatever the one resolver chose for that role — AR PL UMing on a
    Debian PC with fonts-arphic-uming), the title in the title role's font; both embedded."""
    from civdesk.reports.fonts import office_fonts
    from tests.support.pdf import fonts as pdf_fonts

    resolved = office_fonts()
    body_ps = pdfmetrics.getFont(resolved.fangsong).face.name.decode()
    title_ps = pdfmetrics.getFont(resolved.title).face.name.decode()
    pdf = tmp_path / "decision.pdf"
    unit_reports.decision_pdf(pdf, YEAR, actor=REVIEWER)
    def base(name: str) -> str:  # "ABCDEF+UMingCN-0" (subset tag, ReportLab's subset number) -> "UMingCN"
        return re.sub(r"-\d+$", "", name.split("+")[-1])

    listed = {base(row["name"]): row["emb"] for row in pdf_fonts(pdf)}
    assert listed.get(body_ps) == "yes" and listed.get(title_ps) == "yes", listed
    runs = _text_fonts(pdf)
    body = [family for text, family in runs.items() if text.startswith(("各村", "经"))]
    assert body and all(base(family) == body_ps for family in body), (body_ps, runs)
    title = [family for text, family in runs.items() if text.startswith("关于命名")]
    assert title and all(base(family) == title_ps for family in title), (title_ps, runs)
    if os.path.exists("/usr/share/fonts/truetype/arphic/uming.ttc") and not resolved.sources["fangsong"].endswith(
            ("simfang.ttf", "GB2312.ttf")):
        assert body_ps == "UMingCN", "on Debian the 宋体 AR PL UMing stands in for 仿宋, not a 黑体"
