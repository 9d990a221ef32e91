"""The 督查通报 as an official document: its text read back, the 发文字号 from the register (the
same period keeps its number, the next period gets the next one), the 版记 on the last page only."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from civdesk.documents import service as documents
from civdesk.supervision import bulletin, plans, rectification, reports
from tests.supervision.helpers import CLERK, REVIEWER, notice
from tests.support.pdf import assert_fonts_embedded, lines, needs_poppler

ISSUED = dt.date(2026, 4, 2)


def _text(pdf, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"], check=True, capture_output=True,
                         encoding="utf-8")
    return re.sub(r"\s+", "", out.stdout)


def _pages(pdf) -> int:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(pdf)], check=True, capture_output=True,
                         encoding="utf-8").stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def _march(admin, tmp_path):
    late = notice(admin, tmp_path, name="新民村")
    rectification.report(CLERK, late.id, "2026-03-20", "已清运完毕")
    rectification.review(REVIEWER, late.id, "2026-03-23", True, "已整改到位")
    overdue = notice(admin, tmp_path, name="白鹤村")
    plans.add_round(REVIEWER, "白鹤村月度督查", "monthly", "2026-03-01", village="白鹤村")
    return overdue


@needs_poppler
def test_the_bulletin_reads_back_as_an_official_document(admin, tmp_path):
    overdue = _march(admin, tmp_path)
    pdf = tmp_path / "通报.pdf"
    pages = reports.summary_pdf(pdf, "2026-03", actor=REVIEWER, date=ISSUED)
    assert pages == _pages(pdf) >= 3
    issuer = documents.body_for("supervision_bulletin")
    number = f"{issuer.code}〔2026〕1号"
    first = [t for *_, t in lines(pdf, 1)]
    assert first[:3] == [f"{issuer.full_name}文件", number, "关于2026年3月督查整改情况的通报"]
    text = _text(pdf)
    for part in ("各村（社区）、镇属各单位：", "一、总体情况", "本期共开展督查2次", "共发现问题2个", "超期整改1件",
                 "逾期未整改1件", "二、问题分布", "从长效机制看，镇容环境卫生2个", "三、排名情况", "四、逾期未整改问题",
                 f"白鹤村（{overdue.number}，整改期限2026年3月16日", "五、工作要求",
                 "附件：1．2026年3月各村（社区）问题分布", "3．逾期未整改的整改通知书清单", "2026年4月2日"):
        assert part in text, part
    assert "白鹤村白鹤村" not in text.split("附件1")[0], "a village that is the target is named once in the text"
    # The attachments: the village table with the chart, the ranking with its rule, the overdue list.
    assert "得分＝100－问题数×2－超期整改件数×3－逾期未整改件数×8－未按计划督查次数×5" in text
    last = _text(pdf, pages)
    assert "各村（社区）发现问题数" in text
    assert "附件3逾期未整改的整改通知书清单" in last and "白鹤村" in last and "督办" in last and "（工作日）" in last
    # 版记 on the last page, nowhere else.
    imprint = [t for *_, t in lines(pdf, pages)][-3:]
    assert imprint[:2] == ["抄送：镇党委、政府领导。", f"{documents.body('office').full_name}2026年4月2日印发"]
    assert not any("印发" in _text(pdf, page) for page in range(1, pages))
    assert_fonts_embedded(pdf)


@needs_poppler
def test_the_number_comes_from_the_register_once_per_period(admin, tmp_path):
    _march(admin, tmp_path)
    issuer = documents.body_for("supervision_bulletin")
    reports.summary_pdf(tmp_path / "a.pdf", "2026-03", actor=REVIEWER, date=ISSUED)
    reports.summary_pdf(tmp_path / "again.pdf", "2026-03", actor=REVIEWER, date=ISSUED)
    reports.summary_pdf(tmp_path / "q1.pdf", quarter="2026-Q1", actor=REVIEWER, date=ISSUED)
    registered = {row.ref: row.number for row in documents.numbers(issuer.key, 2026)}
    assert registered == {bulletin.ref_of("2026-03", None): f"{issuer.code}〔2026〕1号",
                          bulletin.ref_of(None, "2026-Q1"): f"{issuer.code}〔2026〕2号"}
    assert f"{issuer.code}〔2026〕1号" in _text(tmp_path / "again.pdf", 1)
    assert f"{issuer.code}〔2026〕2号" in _text(tmp_path / "q1.pdf", 1)
    assert "关于2026年第一季度督查整改情况的通报" in _text(tmp_path / "q1.pdf", 1)
    # A bulletin of December written in January takes the new year's register.
    reports.summary_pdf(tmp_path / "dec.pdf", "2026-12", actor=REVIEWER, date=dt.date(2027, 1, 5))
    assert [row.number for row in documents.numbers(issuer.key, 2027)] == [f"{issuer.code}〔2027〕1号"]


@needs_poppler
def test_a_quiet_month_says_so(admin, tmp_path):
    pdf = tmp_path / "quiet.pdf"
    reports.summary_pdf(pdf, "2026-05", actor=REVIEWER, date=dt.date(2026, 6, 1))
    text = _text(pdf)
    assert "本期督查未发现问题。" in text and "本期没有逾期未整改的问题。" in text
    assert "附件：1．" in text and "3．" not in text.split("附件：")[1][:60]


@needs_poppler
def test_the_overdue_list_keeps_each_document_number_whole(admin, tmp_path):
    """A 文号 in the attachment's table never breaks inside 「〔2026〕B2号」, at most before 〔."""
    from civdesk.office import offices

    _march(admin, tmp_path)
    offices.set_pc_code(admin, "B")
    overdue = notice(admin, tmp_path, name="红星村")
    assert overdue.number.endswith("〔2026〕B3号"), overdue.number
    pdf = tmp_path / "通报.pdf"
    pages = reports.summary_pdf(pdf, "2026-03", actor=REVIEWER, date=ISSUED)
    table = [t for *_, t in lines(pdf, pages)]
    table = table[next(i for i, t in enumerate(table) if t.startswith("文号")):]
    cut = overdue.number.index("〔")
    found = [i for i, t in enumerate(table) if "〔2026〕B3号" in t]
    assert found, table
    # Whole on its line, or 〔…〕号 starting a line under the issuer's part (the cells beside it are
    # centred vertically, so their lines may come between).
    assert table[found[0]].startswith(overdue.number) or (
        table[found[0]].startswith("〔2026〕B3号")
        and any(t.startswith(overdue.number[:cut]) for t in table[found[0] - 2:found[0]])), table
