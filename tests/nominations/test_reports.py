"""PDFs of the nominations (推荐表 with a 2,000-character story across pages, 评议汇总表, 公示名单,
表彰决定 in GB/T 9704 geometry, 事迹材料) and the command line."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from civdesk.core import db
from civdesk.core.errors import CivDeskError
from civdesk.nominations import award, reports, review
from civdesk.nominations import nominees as nominations
from civdesk.reports.text import NO_START
from tests.reports.test_reports_infra import MM, needs_poppler, needs_wqy, page_count, pdftotext, words
from tests.support.databases import ADMIN, ADMIN_PASSWORD, open_db, run_cli
from tests.support.nominations import new_session, nominate, score_all, to_review


@pytest.fixture
def awarded(admin):
    session = new_session(admin, quotas={"助人为乐": 1, "见义勇为": 1})
    long = nominate(session, "张桂英", 22, story_len=2000)
    other = nominate(session, "李秀兰", 44)
    brave = nominate(session, "赵德明", 17, "见义勇为")
    to_review(admin, session)
    score_all(session, long.id, [92, 90, 88])
    score_all(session, other.id, [80, 82, 81])
    score_all(session, brave.id, [85, 86, 90])
    review.close_review(admin, session.id)
    start = dt.date.today() - dt.timedelta(days=10)
    award.publish_notice(admin, session.id, start, days=7)
    award.award(admin, session.id, award_date=dt.date(2026, 12, 10))
    return session, long, other, brave


def flat(pdf, pages: int) -> str:
    return "".join(re.sub(r"\s+", "", pdftotext(pdf, page, layout=False)) for page in range(1, pages + 1))


def body_text(pdf, pages: int) -> str:
    """The text between the running header and footer of every page, in reading order."""
    found = []
    for page in range(1, pages + 1):
        body = [w for w in words(pdf, page) if 20 * MM < w[1] < (297 - 22) * MM]
        found += [w[4] for w in sorted(body, key=lambda w: (round(w[1]), w[0]))]
    return "".join(found)


@needs_poppler
@needs_wqy
def test_form_wraps_a_2000_character_story_across_pages(awarded, tmp_path, admin):
    _session, long, _other, _brave = awarded
    pdf = tmp_path / "form.pdf"
    pages = reports.nomination_form(pdf, long.id, actor=admin)
    assert pages == page_count(pdf) >= 2
    story = nominations.get(long.id).story
    assert nominations.count_chars(story) == 2000
    text = body_text(pdf, pages)
    for paragraph in story.split("\n"):
        assert re.sub(r"\s+", "", paragraph) in text, "every paragraph comes back exactly, across the page break"
    assert "510114********0229"[:6] in text and "*" in text, "the ID number is masked"
    left, right = 18 * MM, (210 - 18) * MM
    lines_per_page = []
    for page in range(1, pages + 1):
        body = [w for w in words(pdf, page) if 25 * MM < w[1] < (297 - 22) * MM]
        assert all(left - 0.5 <= w[0] and w[2] <= right + 0.5 for w in body), "nothing runs past the margins"
        rows: dict[float, list] = {}
        for w in body:
            rows.setdefault(round(w[1]), []).append(w)
        starts = ["".join(x[4] for x in sorted(row)) for row in rows.values()]
        assert not any(line[0] in NO_START for line in starts if line), "no line starts with closing punctuation"
        lines_per_page.append(len(rows))
    assert sum(lines_per_page) > 40


@needs_poppler
@needs_wqy
def test_tally_pdf_shows_ranks_quota_and_decisions(awarded, tmp_path):
    session, *_ = awarded
    pdf = tmp_path / "tally.pdf"
    pages = reports.tally_pdf(pdf, session.id)
    text = pdftotext(pdf)
    assert "评议汇总表" in text and "助人为乐（名额1名，2人参评）" in text
    assert "加权平均分" in text and "90.00" in text and "入选" in text and "未入选" in text
    assert "评议已结束，打分已锁定" in text and pages >= 1
    assert "委员甲" in text
    assert "评分明细（各委员加权分）" in text and "92.00" in text, "each member's raw score is printed"


@needs_poppler
@needs_wqy
def test_decision_is_an_official_document_with_the_gbt9704_geometry(awarded, tmp_path):
    session, *_ = awarded
    pdf = tmp_path / "decision.pdf"
    pages = reports.decision_pdf(pdf, session.id)
    assert pages == page_count(pdf) == 3  # the red head takes a third of page 1; the 名单 is an attachment
    left, right = 28 * MM, 184 * MM
    top, bottom = 37 * MM, (37 + 225) * MM
    for page in range(1, pages + 1):
        found = words(pdf, page)
        body = [w for w in found if w[3] <= bottom + 1]
        start = top + 35 * MM if page == 1 else top  # 发文机关标志 35 mm under the block's top
        assert min(w[1] for w in body) == pytest.approx(start, abs=1.5 * MM)
        assert all(left - 0.3 <= w[0] and w[2] <= right + 0.3 for w in body)
        assert "".join(w[4] for w in found if w[1] > bottom) == f"—{page}—"
    first = sorted(words(pdf, 1), key=lambda w: w[1])
    assert first[0][4] == "清溪镇精神文明建设委员会文件" and first[1][4] == "清溪文明委〔2026〕1号"
    title = "".join(w[4] for w in first if 20 < w[3] - w[1] < 30)
    assert title == "关于表彰清溪镇2026年第四季度身边好人的决定"
    text = flat(pdf, pages)
    assert "各村（社区）、镇属各单位：" in text and "清溪镇精神文明建设委员会2026年12月10日" in text
    assert "张桂英" in text and "赵德明" in text and "李秀兰" not in text


def test_decision_is_refused_before_the_award(admin, tmp_path):
    session = new_session(admin)
    with pytest.raises(CivDeskError, match="还没有作出表彰决定"):
        reports.decision_pdf(tmp_path / "x.pdf", session.id)
    assert not (tmp_path / "x.pdf").exists()


@needs_poppler
@needs_wqy
def test_notice_list_and_story_sheets(awarded, tmp_path):
    session, long, _other, brave = awarded
    notice_pdf = tmp_path / "notice.pdf"
    reports.notice_pdf(notice_pdf, session.id)
    text = pdftotext(notice_pdf)
    assert "关于清溪镇2026年第四季度身边好人拟表彰对象的公示" in text.replace("\n", "").replace(" ", "")
    stories = tmp_path / "stories.pdf"
    pages = reports.stories_pdf(stories, [long.id, brave.id])
    assert pages >= 3
    starts = [p for p in range(1, pages + 1) if "——记" in pdftotext(stories, p, layout=False)]
    assert len(starts) == 2 and starts[0] == 1 and starts[1] > 2, "each person starts a new page"
    assert "——记桂花村村民赵德明" in re.sub(r"\s+", "", pdftotext(stories, starts[1], layout=False))
    assert nominations.get(long.id).summary in flat(stories, 1)


def test_cli_lists_nominations_and_writes_the_tally(awarded, db_path, tmp_path):
    session, *_ = awarded
    db.close_database()
    result = run_cli("--db", str(db_path), "--user", ADMIN, "nomination", "list", "--session", session.id, "--json", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["name"]: r["status"] for r in rows} == {"张桂英": "honoured", "李秀兰": "not_selected",
                                                      "赵德明": "honoured"}
    assert all("*" in r["id_masked"] for r in rows) and "id_number" not in rows[0]
    out = tmp_path / "tally.pdf"
    result = run_cli("--db", str(db_path), "report", "nomination-tally", "--session", session.name, "--out", str(out),
                     "--user", ADMIN, env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF") and "评议汇总表" in result.stdout
    result = run_cli("--db", str(db_path), "--user", ADMIN, "nomination", "list", "--session", "没有这个活动", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 1 and "找不到名称或编号为「没有这个活动」的评选活动" in result.stderr
    result = run_cli("--db", str(db_path), "--user", ADMIN, "nomination", "sessions", "--json", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert json.loads(result.stdout)[0]["phase"] == "表彰"
    result = run_cli("--db", str(db_path), "--user", ADMIN, "nomination", "tally", "--session", session.id[:8], "--json", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    tally = json.loads(result.stdout)
    assert tally["locked"] and tally["undecided_ties"] == []
    assert [(r["name"], r["rank"], r["result"]) for r in tally["categories"][0]["rows"]] == [
        ("张桂英", 1, "in"), ("李秀兰", 2, "out")]
    form = tmp_path / "form.pdf"
    result = run_cli("--db", str(db_path), "report", "nomination-form", "--nomination", rows[0]["id"][:8],
                     "--out", str(form), "--user", ADMIN, env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 0, result.stderr
    assert form.read_bytes().startswith(b"%PDF")
    result = run_cli("--db", str(db_path), "report", "nomination-form", "--nomination", "abc", "--out", str(form),
                     "--user", ADMIN, env={"CIVDESK_PASSWORD": ADMIN_PASSWORD})
    assert result.returncode == 1 and "至少写前 8 位" in result.stderr


def test_cli_scores_and_advances_a_session(admin, db_path):
    from tests.support.nominations import REVIEWER

    session = new_session(admin, members=2)
    row = nominate(session, "张桂英", 22)
    nominations.start_check(admin, session.id)
    nominations.pass_check(REVIEWER, row.id, eligible=True)
    db.close_database()
    env = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}
    result = run_cli("--db", str(db_path), "nomination", "advance", "--session", session.id, "--user", ADMIN, env=env)
    assert result.returncode == 0 and "现在是评议阶段" in result.stdout, result.stderr
    score = ["--db", str(db_path), "nomination", "score", "--nomination", row.id[:8], "--user", ADMIN]
    result = run_cli(*score, "--member", "委员甲", "--values", "事迹真实性=90，感人程度=85,社会影响=80,示范意义=75", env=env)
    assert result.returncode == 0 and "录入张桂英的 4 项" in result.stdout, result.stderr
    result = run_cli(*score, "--member", "委员甲", "--values", "感人程度=101", env=env)
    assert result.returncode == 1 and "0 到 100 之间" in result.stderr
    result = run_cli(*score, "--member", "路人", "--values", "感人程度=80", env=env)
    assert result.returncode == 1 and "不是本次评选的评议委员" in result.stderr
    result = run_cli("--db", str(db_path), "nomination", "advance", "--session", session.id, "--user", ADMIN, env=env)
    assert result.returncode == 1 and "还有 1 项没有打分" in result.stderr
    result = run_cli("--db", str(db_path), "nomination", "advance", "--session", session.id, "--allow-incomplete",
                     "--user", ADMIN, env=env)
    assert result.returncode == 0 and "公示" in result.stdout
    result = run_cli(*score, "--member", "委员乙", "--values", "感人程度=80", env=env)
    assert result.returncode == 1 and "打分已锁定" in result.stderr
    open_db(db_path)
    tally = review.tally(session.id)
    assert tally.locked and tally.rows()[0].average == 83.25  # 90×.3 + 85×.25 + 80×.25 + 75×.2
