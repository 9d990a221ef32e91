"""文明创建 from the command line: listing as JSON, the decision and score-sheet PDFs, the
indicator sets in Excel; refusals exit 1 with a Chinese message, usage errors 2."""

from __future__ import annotations

import json
import shutil

import pytest

from civdesk.core import db
from civdesk.units import workflow as unit_workflow
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli
from tests.support.units import AFTER, REVIEWER, YEAR, application

ENV = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}


@pytest.fixture
def cycle(admin, db_path):
    named = application(admin, "notice")
    unit_workflow.name(REVIEWER, [named.id], "清溪镇文明委〔2026〕5号", AFTER, today=AFTER)
    vetoed = application(admin, "assessing", name="白鹤社区", kind="社区", title="文明社区")
    unit_workflow.veto(REVIEWER, vetoed.id, "发生重大安全生产事故", "燃气泄漏事故")
    application(admin, "draft", name="清溪镇卫生院", kind="机关事业单位", title="文明单位")
    db.close_database()
    return {"named": named.id, "vetoed": vetoed.id}


def test_unit_list_json(cycle, db_path):
    result = run_cli("--db", str(db_path), "unit", "list", "--year", str(YEAR), "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["organisation"]: row for row in json.loads(result.stdout)}
    assert rows["红星村"]["status"] == "已命名" and rows["红星村"]["decision_number"] == "清溪镇文明委〔2026〕5号"
    assert rows["白鹤社区"]["vetoes"] == ["发生重大安全生产事故"] and rows["白鹤社区"]["assessed_score"] == 92
    assert rows["清溪镇卫生院"]["status"] == "草稿" and rows["清溪镇卫生院"]["assessed_score"] is None
    assert "白鹤社区" in result.stdout, "Chinese as text, not escapes"
    drafts = run_cli("--db", str(db_path), "unit", "list", "--year", str(YEAR), "--status", "draft", "--json")
    assert [r["organisation"] for r in json.loads(drafts.stdout)] == ["清溪镇卫生院"]
    bad = run_cli("--db", str(db_path), "unit", "list", "--status", "whatever")
    assert bad.returncode == 1 and "状态只能是" in bad.stderr


def test_report_unit_decision_and_scores(cycle, db_path, tmp_path):
    out = tmp_path / "决定.pdf"
    result = run_cli("--db", str(db_path), "--user", ADMIN, "report", "unit-decision", "--year", str(YEAR),
                     "--out", str(out), env=ENV)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF") and "已生成命名决定" in result.stdout
    scores = tmp_path / "评分表.pdf"
    result = run_cli("--db", str(db_path), "--user", ADMIN, "report", "unit-scores", "--application",
                     cycle["vetoed"][:8], "--out", str(scores), env=ENV)
    assert result.returncode == 0, result.stderr and scores.exists()
    if shutil.which("pdftotext"):
        from tests.reports.test_reports_infra import pdftotext

        assert "发生重大安全生产事故" in pdftotext(scores)
    missing = run_cli("--db", str(db_path), "--user", ADMIN, "report", "unit-scores", "--application", "ffffffff",
                      "--out", str(tmp_path / "x.pdf"), env=ENV)
    assert missing.returncode == 1 and "找不到编号" in missing.stderr
    none = run_cli("--db", str(db_path), "--user", ADMIN, "report", "unit-decision", "--year", "2020",
                   "--out", str(tmp_path / "y.pdf"), env=ENV)
    assert none.returncode == 1 and "还没有已命名的申报" in none.stderr and not (tmp_path / "y.pdf").exists()
    usage = run_cli("--db", str(db_path), "report", "unit-decision", "--out", str(out))
    assert usage.returncode == 2


def test_unit_titles_and_indicator_excel(cycle, db_path, tmp_path):
    titles = run_cli("--db", str(db_path), "unit", "titles", "--year", str(YEAR), "--json")
    assert [t["organisation"] for t in json.loads(titles.stdout)] == ["红星村"]
    sheet = tmp_path / "文明村.xlsx"
    out = run_cli("--db", str(db_path), "--user", ADMIN, "unit", "indicators", "export", "--kind", "文明村",
                  "--year", str(YEAR), "--out", str(sheet), env=ENV)
    assert out.returncode == 0, out.stderr
    back = run_cli("--db", str(db_path), "--user", ADMIN, "unit", "indicators", "import", str(sheet), "--kind",
                   "文明村", "--year", str(YEAR + 1), env=ENV)
    assert back.returncode == 0 and "第 1 版" in back.stdout, back.stderr


def test_a_year_without_its_own_indicator_set_exports_the_set_in_force(cycle, db_path, tmp_path):
    """Asking for a later year exports the newest set of an earlier year, and both the sheet's title and
    the message say it is carried over (not the oldest set, not a set passed off as that year's)."""
    import openpyxl

    sheet = tmp_path / "set.xlsx"
    run_cli("--db", str(db_path), "--user", ADMIN, "unit", "indicators", "export", "--kind", "文明村",
            "--year", str(YEAR), "--out", str(sheet), env=ENV)
    made = run_cli("--db", str(db_path), "--user", ADMIN, "unit", "indicators", "import", str(sheet), "--kind",
                   "文明村", "--year", str(YEAR + 1), env=ENV)
    assert made.returncode == 0, made.stderr
    later = tmp_path / "later.xlsx"
    out = run_cli("--db", str(db_path), "--user", ADMIN, "unit", "indicators", "export", "--kind", "文明村",
                  "--year", str(YEAR + 3), "--out", str(later), env=ENV)
    assert out.returncode == 0 and f"{YEAR + 3}年度沿用{YEAR + 1}年制定的体系" in out.stdout, out.stdout + out.stderr
    title = openpyxl.load_workbook(later).active["A1"].value
    assert title.startswith(f"{YEAR + 3}年度适用的测评体系（沿用{YEAR + 1}年制定的"), title
