"""Official documents read back with poppler: the parts in the order and places GB/T 9704 puts them,
the 发文字号 sequence across documents of one year, every referenced font embedded."""

from __future__ import annotations

import datetime as dt

import pytest
from reportlab.pdfgen import canvas

from civdesk.documents import service
from civdesk.nominations import reports as nomination_reports
from civdesk.reports.fonts import resolve_fonts
from civdesk.reports.official import Imprint, Masthead, OfficialDocument
from civdesk.units import reports as unit_reports
from civdesk.units import workflow as unit_workflow
from tests.nominations.test_reports import awarded  # noqa: F401 - fixture
from tests.support.pdf import assert_fonts_embedded, lines, needs_poppler, words
from tests.support.units import AFTER, REVIEWER, YEAR, application

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, 184 * MM
TOP, BOTTOM = 37 * MM, (37 + 225) * MM


@needs_poppler
def test_the_check_fails_on_a_font_referenced_but_not_embedded(tmp_path):
    pdf = tmp_path / "helvetica.pdf"
    page = canvas.Canvas(str(pdf))
    page.drawString(100, 100, "x")  # ReportLab's default font: Helvetica, never embedded
    page.save()
    with pytest.raises(AssertionError, match="does not embed"):
        assert_fonts_embedded(pdf)


@needs_poppler
def test_every_part_in_its_place(admin, tmp_path):
    pdf = tmp_path / "full.pdf"
    doc = OfficialDocument(pdf, "关于命名2026年度文明单位（村、社区）的决定", "清溪镇精神文明建设委员会",
                           doc_number="清溪文明委〔2026〕2号", date=dt.date(2026, 11, 9),
                           masthead=Masthead(("清溪镇精神文明建设委员会",), copy_number="000123", secrecy="秘密★1年"),
                           imprint=Imprint(cc="区文明办", printer="清溪镇文明办", print_date=dt.date(2026, 11, 10)),
                           note="此件公开发布")
    pages = doc.build(["各村（社区）、镇属各单位：", "正文。" * 40], [("名单", ["红星村"])])
    assert pages == 3
    first = lines(pdf, 1)
    texts = [t for *_, t in first]
    order = ["000123", "秘密★1年", "清溪镇精神文明建设委员会文件", "清溪文明委〔2026〕2号", "关于命名2026年度",
             "文明单位（村、社区）的决定", "各村（社区）、镇属各单位："]
    assert texts[:len(order)] == order
    by_text = {t: (x0, y0, x1, y1) for x0, y0, x1, y1, t in first}
    assert by_text["000123"][0] == pytest.approx(LEFT, abs=0.5) and by_text["000123"][1] == pytest.approx(TOP, abs=2)
    head = by_text["清溪镇精神文明建设委员会文件"]
    assert head[1] == pytest.approx(TOP + 35 * MM, abs=1.5 * MM), "发文机关标志 35 mm under the block's top"
    assert (head[0] + head[2]) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=2), "centred"
    number = by_text["清溪文明委〔2026〕2号"]
    assert (number[0] + number[2]) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=2)
    title = by_text["关于命名2026年度"], by_text["文明单位（村、社区）的决定"]
    assert title[0][2] - title[0][0] < title[1][2] - title[1][0], "a trapezoid: the upper line shorter"
    assert by_text["各村（社区）、镇属各单位："][0] == pytest.approx(LEFT, abs=0.5)
    # Page 2: signature, date, 附注; the 版记 goes after the attachment, at the foot of the last page.
    second = {t: box for *box, t in lines(pdf, 2)}
    name, date = second["清溪镇精神文明建设委员会"], second["2026年11月9日"]
    assert name[1] < date[1] and date[2] == pytest.approx(RIGHT - 4 * 15.79, abs=2), "成文日期右空四字"
    assert (name[0] + name[2]) / 2 == pytest.approx((date[0] + date[2]) / 2, abs=2), "署名 centred over the date"
    assert second["（此件公开发布）"][1] > date[1]
    x, y, radius = doc.seal_area
    assert y - radius < 842 - name[1] + 2 * 29 and abs(x - (date[0] + date[2]) / 2) < 2, "印章 over 署名 and date"
    last = lines(pdf, 3)
    assert last[0][4] == "附件" and last[0][0] == pytest.approx(LEFT, abs=0.5)
    imprint = [line for line in last if line[1] > BOTTOM - 3 * 29]
    assert [t for *_, t in imprint][:2] == ["抄送：区文明办。", "清溪镇文明办2026年11月10日印发"]
    assert imprint[1][3] == pytest.approx(BOTTOM, abs=10), "版记 on the last line of the block"
    assert_fonts_embedded(pdf)


@needs_poppler
def test_the_second_decision_of_a_year_prints_the_next_number(admin, tmp_path):
    first = application(admin, "notice", name="红星村")
    second = application(admin, "notice", name="白鹤社区")
    (a,) = unit_workflow.name(REVIEWER, [first.id], "", AFTER, today=AFTER)
    (b,) = unit_workflow.name(REVIEWER, [second.id], "", AFTER + dt.timedelta(days=1), today=AFTER)
    assert (a.decision_number, b.decision_number) == ("清溪文明委〔2026〕1号", "清溪文明委〔2026〕2号")
    for title, number, name in ((a, "清溪文明委〔2026〕1号", "红星村"), (b, "清溪文明委〔2026〕2号", "白鹤社区")):
        pdf = tmp_path / f"{title.id}.pdf"
        unit_reports.decision_pdf(pdf, YEAR, decision_number=number)
        texts = [t for *_, t in lines(pdf, 1)]
        assert texts[:2] == ["清溪镇精神文明建设委员会文件", number]
        assert name in "".join(t for *_, t in words(pdf, 1))
        assert_fonts_embedded(pdf)
    latest = tmp_path / "latest.pdf"
    unit_reports.decision_pdf(latest, YEAR)  # the year's latest decision, only what it named
    text = "".join(t for *_, t in words(latest, 1))
    assert "清溪文明委〔2026〕2号" in text and "白鹤社区" in text and "红星村" not in text


@needs_poppler
def test_the_award_decision_follows_in_the_committee_register(awarded, admin, tmp_path):  # noqa: F811
    session, *_ = awarded
    service.register(admin, "unit_decision", "earlier", 2026)
    pdf = tmp_path / "award.pdf"
    nomination_reports.decision_pdf(pdf, session.id)
    assert [t for *_, t in lines(pdf, 1)][:2] == ["清溪镇精神文明建设委员会文件", "清溪文明委〔2026〕2号"]
    nomination_reports.decision_pdf(pdf, session.id)  # printed again: the same number
    assert [t for *_, t in lines(pdf, 1)][1] == "清溪文明委〔2026〕2号"
    assert_fonts_embedded(pdf)


@needs_poppler
def test_preprinted_paper_leaves_the_head_out_and_keeps_its_room(admin, tmp_path):
    first = application(admin, "notice", name="红星村")
    unit_workflow.name(REVIEWER, [first.id], "", AFTER, today=AFTER)
    service.set_preprinted_paper(True)
    pdf = tmp_path / "preprinted.pdf"
    unit_reports.decision_pdf(pdf, YEAR, fonts=resolve_fonts())
    found = lines(pdf, 1)
    assert found[0][4] == "清溪文明委〔2026〕1号" and found[0][1] > TOP + 50 * MM
    assert "文件" not in found[0][4]


@needs_poppler
def test_the_nomination_form_and_tally_embed_every_font(awarded, admin, tmp_path):  # noqa: F811
    session, long, *_ = awarded
    form, tally = tmp_path / "form.pdf", tmp_path / "tally.pdf"
    nomination_reports.nomination_form(form, long.id, actor=admin)
    nomination_reports.tally_pdf(tally, session.id)
    assert_fonts_embedded(form)
    assert_fonts_embedded(tally)
