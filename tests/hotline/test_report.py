"""The monthly 通报 reads back exactly (pdftotext) and the sheet keeps callers masked."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import PermissionDenied
from civdesk.hotline import flow, report
from tests.hotline.helpers import CLERK, REVIEWER, signed, ticket, villages


def pdf_text(path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed to check the PDF text"
    return subprocess.run([tool, "-enc", "UTF-8", "-layout", str(path), "-"], capture_output=True, text=True, encoding="utf-8", check=True).stdout


@pytest.fixture
def month(admin):
    villages(admin)
    for day in (2, 3, 4):
        ticket(received_at=f"2026-11-0{day} 09:00", caller_phone=f"1390013900{day}", caller_name="赵六")
    done = signed(received_at="2026-11-05 09:00", dispatched_at="2026-11-05 10:00", signed_at="2026-11-05 11:00",
                  village_id="石桥村", kind="咨询", category="噪声油烟", caller_phone="13700137000")
    flow.reply(CLERK, done.id, "已告知办理渠道", at="2026-11-06 10:00")
    flow.visit(REVIEWER, done.id, "基本满意", at="2026-11-09 10:00")
    late = signed(received_at="2026-11-05 09:00", dispatched_at="2026-11-05 10:00", signed_at="2026-11-09 11:00",
                  kind="求助", category="占道经营", caller_phone="13600136000")
    return late


def pdf_pages(path) -> list[str]:
    return pdf_text(path).split("\f")


def test_month_pdf_is_an_official_document_with_the_figures(admin, month, tmp_path):
    out = tmp_path / "通报.pdf"
    pages = report.month_pdf(out, "2026-11", actor=admin, as_of=dt.date(2026, 11, 30), date=dt.date(2026, 12, 1))
    text = pdf_text(out)
    flat = "".join(text.split())
    assert pages >= 2 and f"— {pages} —" in text
    for words in ("清溪镇人民政府文件", "清溪政〔2026〕1号", "关于2026年11月热线工单办理情况的通报", "各村（社区）、镇属各单位：",
                  "12345政务服务便民热线", "共受理", "5件", "按时签收率=本月派单的工单中在签收期限内签收的件数",
                  "回访满意率=（满意+基本满意）件数", "50.0%（1/2）", "100.0%（1/1）", "桂花村", "石桥村", "噪声油烟",
                  "占道经营", "四、逾期未办结工单", "五、热点问题", "尚未召开现场办公会", "三、承办单位办理情况",
                  "附件1", "热线工单办理情况统计表", "逾期未办结工单清单", "各类别受理件数", "本通报不列出来电人姓名和电话"):
        assert "".join(words.split()) in flat, words
    assert "".join(month.number.split()) in flat
    assert "13600136000" not in text and "赵六" not in text
    last = "".join(pdf_pages(out)[pages - 1].split())
    assert "抄送：区文明办" in last and "清溪镇文明办" in last and "2026年12月1日印发" in last
    assert all("印发" not in "".join(page.split()) for page in pdf_pages(out)[:pages - 1])
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1


def test_the_bulletin_number_comes_from_the_register(admin, month, tmp_path):
    from civdesk.documents import service as documents

    report.month_pdf(tmp_path / "a.pdf", "2026-11", actor=admin, date=dt.date(2026, 12, 1))
    report.month_pdf(tmp_path / "b.pdf", "2026-11", actor=admin, date=dt.date(2026, 12, 2))  # printed again
    report.month_pdf(tmp_path / "c.pdf", "2026-10", actor=admin, date=dt.date(2026, 12, 2))
    registered = {(n.ref, n.number) for n in documents.numbers("government", 2026)}
    assert registered == {("2026-11", "清溪政〔2026〕1号"), ("2026-10", "清溪政〔2026〕2号")}
    flat = ["".join(pdf_text(tmp_path / name).split()) for name in ("a.pdf", "b.pdf", "c.pdf")]
    assert "清溪政〔2026〕1号" in flat[0] and "清溪政〔2026〕1号" in flat[1] and "清溪政〔2026〕2号" in flat[2]
    assert documents.next_number("government", 2026) == "清溪政〔2026〕3号"


def test_month_pdf_needs_the_export_permission(admin, month, tmp_path):
    from civdesk.core.actor import Actor

    with pytest.raises(PermissionDenied):
        report.month_pdf(tmp_path / "x.pdf", "2026-11", actor=Actor("guest", "访客", "guest"))
    assert not (tmp_path / "x.pdf").exists()


def test_month_xlsx_lists_every_ticket_with_the_caller_masked(admin, month, tmp_path):
    out = tmp_path / "工单.xlsx"
    assert report.month_xlsx(admin, out, "2026-11") == 5
    sheet = load_workbook(out).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values[2]
    assert header[:5] == ["工单编号", "受理时间", "来源渠道", "来电人", "联系电话"]
    body = values[3:]
    assert [r[0] for r in body] == [f"QXZ-RX-2026-000{i}" for i in range(1, 6)]
    assert body[0][3] == "赵*" and body[0][4] == "139****9002"
    assert all("13600136000" not in str(cell) for row in body for cell in row)
    assert body[3][15] == "2026-11-06 10:00" and body[3][16] == "基本满意"
