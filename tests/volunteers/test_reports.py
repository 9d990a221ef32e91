"""Volunteer PDFs (certificates, hours, roster, statistics) read back with poppler, and the
``report`` / ``certificate`` commands."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from civdesk.core import db, validation
from civdesk.core.audit_log import AuditEntry
from civdesk.core.files import save_atomically
from civdesk.core.jobs import Cancelled
from civdesk.reports import qr
from civdesk.reports.fonts import resolve_fonts
from civdesk.reports.text import keep_whole
from civdesk.volunteers import certificates, hours, teams
from civdesk.volunteers.certificate_pdf import MAX_CELL_LINES, certificate_pdf, statement
from civdesk.volunteers.reports import hours_report, hours_rows, roster_pdf, stats_pdf
from civdesk.volunteers.roster import VolunteerFilter
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli
from tests.volunteers.test_certificates import CLERK, DAY, REVIEWER, id_number, make_people, served

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
needs_poppler = pytest.mark.usefixtures("poppler")  # fails, not skips, without poppler (tests/support/pdf.py)
needs_font = pytest.mark.skipif(not resolve_fonts().embedded, reason="no embeddable Chinese font on this machine")
pytestmark = [needs_poppler, needs_font]

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def pdftotext(pdf: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True, encoding="utf-8").stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(pdf)], check=True, capture_output=True, text=True, encoding="utf-8").stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_count(pdf: Path) -> int:
    return int(pdfinfo(pdf)["Pages"])


def assert_fonts_embedded(pdf: Path) -> None:
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True, encoding="utf-8").stdout.splitlines()[2:]
    assert lines, "no fonts at all"
    for line in lines:
        columns = line.split()
        assert columns[-5] == "yes", f"font not embedded: {line}"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def joined(text: str) -> str:
    """The text with every space and line break removed: wrapped Chinese paragraphs read as one."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def people(admin):
    return make_people(admin)


# -- certificates -----------------------------------------------------------------------------------


def test_certificate_pdf_prints_the_record_and_extracts_exactly(people, tmp_path):
    cert = certificates.issue(CLERK, people.wang.id, purpose="评优评先", today=DAY)
    pdf = tmp_path / "证明.pdf"
    assert certificate_pdf(pdf, [cert], actor=CLERK, date=DAY) == 1 == page_count(pdf)
    text = pdftotext(pdf)
    flat = squeeze(text)
    assert "志愿服务记录证明" in text and f"证明编号：{cert.number}" in text
    assert "王秀英" in text and people.wang.id_number in text  # the full ID number: this document needs it
    assert "*" not in text
    assert people.wang.number in text and "居民身份证" in text and "2024年3月5日" in text
    assert "累计志愿服务时长9.5小时" in joined(text) and "敬老助残5.5小时、环境保护4小时" in joined(text)
    assert f"兹证明王秀英（居民身份证：{people.wang.id_number}）" in joined(text)
    assert "本证明用于评优评先。以上情况属实，特此证明。" in flat
    assert "记录单位：清溪镇" in text and "2026年3月2日" in text and "（盖章）" in text
    assert f"校验码：{qr.format_check_code(cert.check_code)}" in text and "核验方法" in text
    assert "第 1 页 共 1 页" in text and "打印日期：2026年3月2日" in text
    for day, activity, h in (("2025-03-01", "关爱空巢老人", "3"), ("2025-06-01", "关爱空巢老人", "2.5"),
                             ("2025-09-01", "清洁家园", "4")):
        assert re.search(rf"{day}\s+{activity}\s+.+\s+{re.escape(h)}\n", text), (day, text)
    assert "（共3条记录）" in text
    assert_fonts_embedded(pdf)
    info = pdfinfo(pdf)
    assert "(A4)" in info["Page size"]
    entry = AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.clock.desc()).get()
    assert entry.username == CLERK.username and cert.number in entry.note and "证明.pdf" in entry.note


def test_certificate_statement_for_a_period():
    detail = certificates.CertificateDetails(
        number="QXZ-ZM-2026-0007", check_code="ABCDEFGH", issued_date=DAY, half_hours=21,
        period_from=dt.date(2025, 1, 1), period_to=dt.date(2025, 12, 31), purpose="", issuer_contact="",
        unit_name="清溪镇", name="张三", sex="男", id_type="居民身份证", id_number="510114195810022313",
        volunteer_number="QXZ000002", join_date=None,
        summary=[(f"类别{i}", 2) for i in range(7)])
    first, closing = statement(detail)
    assert keep_whole("类别0 1小时") in first, "each item kept whole with its hours"
    first = first.replace("\u2060", "")
    assert "于2025年1月1日至2025年12月31日期间累计志愿服务时长10.5小时" in first
    assert first.endswith("类别4 1小时等。") and "注册日期" not in first
    assert closing == "以上情况属实，特此证明。"


def test_many_records_show_the_most_recent_on_one_page(people, tmp_path):
    start = dt.date(2025, 1, 1)
    served(people.zhao, [(start + dt.timedelta(days=3 * i), 1.5) for i in range(60)], people.river)
    cert = certificates.issue(CLERK, people.zhao.id, today=DAY)
    pdf = tmp_path / "many.pdf"
    assert certificate_pdf(pdf, [cert]) == 1 == page_count(pdf)
    text = pdftotext(pdf)
    shown = re.findall(r"(\d{4}-\d{2}-\d{2})\s+清洁家园", text)
    assert 8 <= len(shown) < 61 and "（共61条记录，其余略）" in text
    assert shown == sorted(shown) and shown[-1] == (start + dt.timedelta(days=3 * 59)).isoformat()  # the most recent
    assert "累计志愿服务时长98小时" in joined(text)


def test_long_activity_and_content_are_cut_not_spilled(people, tmp_path):
    long_activity = "清溪镇新时代文明实践站" * 6
    activity = teams.create_activity(CLERK, {"name": long_activity, "start_date": "2025-01-01",
                                             "end_date": "2025-12-31", "content": "很长的服务内容描述" * 20})
    served(people.li, [(dt.date(2025, 12, 1), 2)], activity)
    cert = certificates.issue(CLERK, people.li.id, today=DAY)
    pdf = tmp_path / "long.pdf"
    assert certificate_pdf(pdf, [cert]) == 1
    text = pdftotext(pdf)
    row = text[text.index("2025-12-01") - 200:text.index("2025-12-01") + 400]
    assert "…" in row and row.count("很长的服务内容描述") < 20
    assert MAX_CELL_LINES == 2


def test_batch_pdf_numbers_each_certificate_as_its_own_document(people, tmp_path):
    issued = certificates.issue_batch(CLERK, certificates.active_with_hours(), today=DAY)
    pdf = tmp_path / "batch.pdf"
    calls = []
    pages = certificate_pdf(pdf, issued, progress=lambda done, total, text: calls.append((done, total)))
    assert pages == 3 == page_count(pdf)
    for page, (cert, person) in enumerate(zip(issued, (people.wang, people.li, people.zhao), strict=True), 1):
        text = pdftotext(pdf, page)
        assert cert.number in text and person.name in text and person.id_number in text
        assert "第 1 页 共 1 页" in text
    assert calls[-1] == (3, 3)
    assert_fonts_embedded(pdf)


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="zbarimg (zbar-tools) not installed")
def test_printed_qr_code_scans_to_the_register_entry(people, tmp_path):
    cert = certificates.issue(CLERK, people.wang.id, today=DAY)
    pdf = tmp_path / "qr.pdf"
    certificate_pdf(pdf, [cert])
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    out = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True,
                         text=True, encoding="utf-8").stdout.strip()
    assert out == f"CIVDESK-CERT|{cert.number}|{qr.format_check_code(cert.check_code)}"
    assert certificates.verify(*certificates.parse_qr_text(out)).ok


def test_cancelled_pdf_leaves_the_old_file_and_no_temporary(people, tmp_path):
    cert = certificates.issue(CLERK, people.wang.id, today=DAY)
    folder = tmp_path / "out"
    folder.mkdir()
    pdf = folder / "out.pdf"
    pdf.write_bytes(b"old")
    with pytest.raises(Cancelled, match="没有生成 PDF"):
        certificate_pdf(pdf, [cert], cancelled=lambda: True)
    assert pdf.read_bytes() == b"old"
    assert sorted(p.name for p in folder.iterdir()) == ["out.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_finished_pdf_gets_normal_permissions_not_the_temporary_files(tmp_path):
    mask = os.umask(0o027)
    try:
        pdf = tmp_path / "report.pdf"
        assert save_atomically(pdf, lambda target: Path(target).write_bytes(b"%PDF-1.4")) == 8
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o640
    finally:
        os.umask(mask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


# -- hours, roster, statistics ----------------------------------------------------------------------


def test_hours_report_lists_masked_ids_and_totals(people, tmp_path):
    pdf = tmp_path / "hours.pdf"
    pages = hours_report(pdf, *PERIOD, actor=REVIEWER, date=DAY)
    assert pages == page_count(pdf) == 1
    text = pdftotext(pdf)
    assert "志愿服务时长统计表" in text and "2025年1月1日至2025年12月31日" in text and "清溪镇" in text
    assert "第 1 页 共 1 页" in text and "打印日期：2026年3月2日" in text
    assert "按月服务时长" in text
    lines = [squeeze(line).strip() for line in text.splitlines()]
    assert any(line.endswith(f"王秀英 {validation.mask_id_number(people.wang.id_number)} 3 9.5") for line in lines), text
    assert any("赵晓东" in line and line.endswith("1 8") for line in lines)
    assert "钱多多" not in text and "孙无时" not in text  # pending and none
    for person in (people.wang, people.li, people.zhao):
        assert person.id_number not in text
    assert "累计服务时长 21小时" in squeeze(text) and "参与志愿者 3人" in squeeze(text)
    assert_fonts_embedded(pdf)
    entry = AuditEntry.get((AuditEntry.action == "export") & (AuditEntry.username == REVIEWER.username))
    assert "志愿服务时长统计表" in entry.record_label


def test_hours_of_a_team_and_of_an_activity(people, tmp_path):
    rows, months = hours_rows(*PERIOD, team_id=people.team.id)
    assert [(r["name"], r["hours"], r["records"]) for r in rows] == [("王秀英", 9.5, 3), ("李建国", 3.5, 2)]
    assert len(months) == 12 and dict(months)["2025-09"] == 4
    rows, _ = hours_rows(*PERIOD, activity_id=people.river.id)
    assert [(r["name"], r["hours"]) for r in rows] == [("赵晓东", 8), ("王秀英", 4)]
    pdf = tmp_path / "team.pdf"
    hours_report(pdf, *PERIOD, team_id=people.team.id)
    text = pdftotext(pdf)
    assert "清溪镇敬老志愿服务队" in text and "赵晓东" not in text and "王秀英" in text
    with pytest.raises(validation.ValidationError):
        hours_report(pdf, PERIOD[1], PERIOD[0])


def test_hours_report_counts_a_twice_approved_record_once(people, tmp_path):
    from civdesk.core import changes
    from civdesk.core.actor import Actor
    from civdesk.volunteers.models import ServiceApproval

    record = hours.enter(CLERK, people.none.id, dt.date(2025, 2, 2), 3)
    hours.approve(REVIEWER, [record.id])
    changes.create(ServiceApproval, Actor("zhoujun", "周军", "reviewer"),
                   {"record_id": record.id, "decision": "approved"}, scope=people.none.scope)
    rows, months = hours_rows(*PERIOD)
    assert {r["name"]: (r["hours"], r["records"]) for r in rows}["孙无时"] == (3, 1)
    assert dict(months)["2025-02"] == 3


def test_roster_masks_ids_and_phones(people, tmp_path):
    pdf = tmp_path / "roster.pdf"
    assert roster_pdf(pdf, VolunteerFilter(status=""), date=DAY) == page_count(pdf) == 1
    text = pdftotext(pdf)
    assert "志愿者花名册" in text and "共5人" in text and "第 1 页 共 1 页" in text
    everyone = (people.wang, people.li, people.zhao, people.pending, people.none)
    for person in everyone:
        assert person.name in text
        assert validation.mask_id_number(person.id_number) in text
        assert person.id_number not in text and person.id_number[6:14] not in text
        assert person.phone not in text and validation.mask_phone(person.phone) in text
    width, height = (float(v) for v in re.findall(r"[\d.]+", pdfinfo(pdf)["Page size"])[:2])
    assert width > height  # landscape
    assert_fonts_embedded(pdf)


def test_stats_pdf_has_figures_and_charts(people, tmp_path):
    pdf = tmp_path / "stats.pdf"
    pages = stats_pdf(pdf, *PERIOD, date=DAY)
    assert pages == page_count(pdf) >= 1
    text = pdftotext(pdf)
    flat = squeeze(text)
    for words in ("志愿服务统计", "在册志愿者 5人", "参加服务 3人", "累计服务时长 21小时", "按月服务时长",
                  "各村（社区）服务时长", "志愿者星级分布", "未评星", "清溪镇敬老志愿服务队",
                  f"第 1 页 共 {pages} 页"):
        assert words in flat, words
    assert_fonts_embedded(pdf)


def test_exports_need_the_permission(people, tmp_path):
    from civdesk.core.actor import Actor
    from civdesk.core.errors import PermissionDenied

    guest = Actor("guest", "访客", "guest")
    for build in (lambda p: hours_report(p, *PERIOD, actor=guest), lambda p: roster_pdf(p, actor=guest),
                  lambda p: stats_pdf(p, *PERIOD, actor=guest)):
        with pytest.raises(PermissionDenied):
            build(tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# -- the command line ---------------------------------------------------------------------------------

ENV = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}


@pytest.fixture
def cli_people(people, db_path):
    """The people, in a database closed so that only the subprocess touches it."""
    db.close_database()
    return db_path


def cli(db_path: Path, *args: str, user: bool = True):
    return run_cli("--db", str(db_path), *(["--user", ADMIN] if user else []), *args, env=ENV)


def test_cli_certificate_issues_registers_and_writes(cli_people, people, tmp_path):
    out = tmp_path / "证明" / "王秀英.pdf"
    result = cli(cli_people, "report", "certificate", "--volunteer", people.wang.id_number, "--out", str(out),
                 "--purpose", "升学")
    assert result.returncode == 0, result.stderr
    assert "QXZ-ZM-" in result.stdout and out.exists()
    text = pdftotext(out)
    assert "王秀英" in text and people.wang.id_number in text and "本证明用于升学" in joined(text)
    number = re.search(r"QXZ-ZM-\d{4}-\d{4}", result.stdout).group()
    code = re.search(r"校验码 (\w{4}-\w{4})", result.stdout).group(1)
    assert f"校验码：{code}" in text

    by_number = cli(cli_people, "report", "certificate", "--volunteer", people.li.number, "--out",
                    str(tmp_path / "li.pdf"))
    assert by_number.returncode == 0, by_number.stderr

    ok = cli(cli_people, "certificate", "verify", number, code, user=False)
    assert ok.returncode == 0 and "核验通过" in ok.stdout
    scanned = cli(cli_people, "certificate", "verify", f"CIVDESK-CERT|{number}|{code}", user=False)
    assert scanned.returncode == 0
    bad = cli(cli_people, "certificate", "verify", number, code[:-1] + ("2" if code[-1] != "2" else "3"), user=False)
    assert bad.returncode == 1 and "校验码不符" in bad.stdout
    listed = cli(cli_people, "certificate", "list", user=False)
    assert listed.returncode == 0 and number in listed.stdout and "共 2 份证明" in listed.stdout

    refused = cli(cli_people, "report", "certificate", "--volunteer", people.none.number, "--out",
                  str(tmp_path / "none.pdf"))
    assert refused.returncode == 1 and "没有已审核的服务时长" in refused.stderr
    assert not (tmp_path / "none.pdf").exists()
    unknown = cli(cli_people, "report", "certificate", "--volunteer", "110101199003077777", "--out",
                  str(tmp_path / "x.pdf"))
    assert unknown.returncode == 1 and "找不到" in unknown.stderr
    anonymous = cli(cli_people, "report", "certificate", "--volunteer", people.wang.number, "--out",
                    str(tmp_path / "x.pdf"), user=False)
    assert anonymous.returncode == 2 and "--user" in anonymous.stderr


def test_cli_batch_hours_roster_stats(cli_people, people, tmp_path):
    batch = cli(cli_people, "report", "certificates", "--all", "--out", str(tmp_path / "all.pdf"))
    assert batch.returncode == 0, batch.stderr
    assert "已出具 3 份" in batch.stdout and page_count(tmp_path / "all.pdf") == 3
    for args in (("hours", "--from", "2025-01-01", "--to", "2025-12-31"),
                 ("hours", "--from", "2025-01-01", "--to", "2025-12-31", "--team", "清溪镇敬老志愿服务队"),
                 ("roster",), ("stats", "--from", "2025年1月1日", "--to", "2025/12/31")):
        out = tmp_path / f"{args[0]}-{len(args)}.pdf"
        result = cli(cli_people, "report", *args, "--out", str(out))
        assert result.returncode == 0, (args, result.stderr)
        assert out.exists() and "第 1 页" in pdftotext(out)
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~civdesk")] == []
    roster = pdftotext(tmp_path / "roster-1.pdf")
    assert people.wang.id_number not in roster and validation.mask_id_number(people.wang.id_number) in roster

    db.open_database(cli_people, read_only=True)
    exports = AuditEntry.select().where(AuditEntry.action == "export").count()
    issued = AuditEntry.select().where((AuditEntry.action == "create") & (AuditEntry.tbl == "certificate")).count()
    db.close_database()
    assert exports == 5 and issued == 3


def test_cli_bad_dates_and_names_exit_1_with_a_message(cli_people, tmp_path):
    out = tmp_path / "x.pdf"
    for args, words in ((("hours", "--from", "2025-13-01", "--to", "2025-12-31"), "起始日期「2025-13-01」不存在"),
                        (("hours", "--from", "2025-01-01", "--to", "明天"), "截止日期「明天」格式无法识别"),
                        (("stats", "--from", "2025-12-31", "--to", "2025-01-01"), "晚于截止日期"),
                        (("hours", "--from", "2025-01-01", "--to", "2025-12-31", "--team", "没有这队"),
                         "没有名为「没有这队」的志愿队伍"),
                        (("roster", "--village", "没有这村"), "没有名为「没有这村」的村/社区")):
        result = cli(cli_people, "report", *args, "--out", str(out))
        assert result.returncode == 1, (args, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    usage = cli(cli_people, "report", "hours", "--from", "2025-01-01", "--out", str(out))
    assert usage.returncode == 2


def test_hours_entered_after_a_certificate_do_not_change_it(people, tmp_path):
    cert = certificates.issue(CLERK, people.zhao.id, today=DAY)
    served(people.zhao, [(dt.date(2025, 12, 24), 3)], people.river)
    (detail,) = certificates.details([certificates.get(cert.id)])
    assert detail.half_hours == 16  # the registered total stands; the records list is read today
    assert certificates.verify(cert.number, cert.check_code).ok
    assert hours.total_half_hours(people.zhao.id) == 22
    assert id_number(dt.date(1990, 1, 9), 35) == people.zhao.id_number
