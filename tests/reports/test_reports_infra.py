"""The shared PDF machinery: fonts, the report page template, the GB/T 9704 official document,
QR codes and check codes, charts. PDFs are read back with poppler (pdftotext, pdffonts)."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.graphics.barcode import qrencoder
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from civdesk.reports import fonts as fonts_module
from civdesk.reports.charts import bar_chart, pie_chart
from civdesk.reports.document import MAX_CHUNK, ReportDocument, _ChunkTable, chinese_date
from civdesk.reports.fonts import NOT_EMBEDDED_WARNING, resolve_fonts
from civdesk.reports.official import (
    BLOCK_WIDTH,
    BODY_CHAR_SPACE,
    BODY_SIZE,
    CHAR,
    LINE_PITCH,
    GridLine,
    GridLines,
    OfficialDocument,
)
from civdesk.reports.qr import (
    ALPHABET,
    _codewords,
    _row_bits,
    check_code,
    format_check_code,
    normalize_check_code,
    qr_flowable,
    qr_matrix,
    verify_check_code,
)
from civdesk.reports.text import extent, units, wrap_text

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
MM = 72 / 25.4
DAY = dt.date(2026, 11, 29)
OFFICE = "清溪镇文明办"

needs_poppler = pytest.mark.usefixtures("poppler")  # fails, not skips, without poppler (tests/support/pdf.py)
needs_wqy = pytest.mark.skipif(not os.path.exists(WQY), reason="fonts-wqy-microhei not installed")


def pdftotext(pdf: Path, page: int | None = None, layout: bool = True) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True, encoding="utf-8").stdout


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) in points from the top-left corner, as poppler sees them."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True, encoding="utf-8").stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(pattern, out)]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(pdf)], check=True, capture_output=True, text=True, encoding="utf-8").stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.fixture(autouse=True)
def _fresh_font_cache():
    fonts_module.clear_cache()
    yield
    fonts_module.clear_cache()


# -- fonts ------------------------------------------------------------------------------------------

@needs_wqy
def test_fonts_resolve_to_embedded_truetype(tmp_path):
    fonts = resolve_fonts()
    assert fonts.embedded and fonts.warning == ""
    for role in ("body", "bold", "fangsong", "title"):
        assert isinstance(pdfmetrics.getFont(fonts.for_role(role)), TTFont)
        assert fonts.sources[role].split("#")[0].endswith((".ttf", ".ttc"))
    assert resolve_fonts() is fonts, "resolved once, then cached"

    pdf = tmp_path / "fonts.pdf"
    ReportDocument(pdf, "字体检查", OFFICE, date=DAY).build([])
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True, encoding="utf-8").stdout
        rows = listing.splitlines()[2:]
        assert rows and any("WenQuanYi" in row for row in rows)
        for row in rows:  # name type encoding emb sub uni ...: every font embedded, no stray Helvetica
            assert row.split()[-5] == "yes", row


def _config(*entries: str) -> dict:
    return {"fallback": {"bold": "body", "fangsong": "body", "title": "bold"},
            "roles": {"body": {"linux": list(entries)}}}


@needs_wqy
def test_candidates_that_cannot_be_embedded_are_skipped(tmp_path):
    fake_otf = tmp_path / "NotoSansCJK-Regular.otf"
    fake_otf.write_bytes(b"OTTO" + bytes(200))  # CFF outlines: ReportLab raises TTFError
    damaged = tmp_path / "damaged.ttf"
    damaged.write_bytes(b"\0\1\0\0" + b"\xff" * 50)
    missing = tmp_path / "missing.ttf"
    candidates = [str(missing), str(fake_otf), str(damaged)]
    dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if os.path.exists(dejavu):
        candidates.append(dejavu)  # a fine TrueType font, but with no Chinese in it
    fonts = resolve_fonts(config=_config(*candidates, WQY + "#0"), platform="linux")

    assert fonts.embedded and fonts.sources["body"] == WQY
    assert fonts.body == fonts.bold == fonts.fangsong == fonts.title, "roles without fonts fall back to body"
    reasons = dict(fonts.skipped)
    assert reasons[str(missing)] == "文件不存在"
    assert "OpenType/CFF" in reasons[str(fake_otf)]
    assert reasons[str(damaged)].startswith("无法读取")
    if os.path.exists(dejavu):
        assert reasons[dejavu] == "不含中文字形"


@needs_wqy
def test_admin_font_path_comes_first_and_a_bad_one_is_reported(tmp_path):
    fonts = resolve_fonts(WQY, config=_config(), platform="linux")
    assert fonts.embedded and fonts.sources["body"] == WQY and fonts.warning == ""

    fake_otf = tmp_path / "SourceHanSerif.otf"
    fake_otf.write_bytes(b"OTTO" + bytes(200))
    fonts = resolve_fonts(str(fake_otf), config=_config(WQY), platform="linux")
    assert fonts.embedded and fonts.sources["body"] == WQY
    assert str(fake_otf) in fonts.warning and "OpenType/CFF" in fonts.warning


def test_last_resort_is_stsong_not_embedded(tmp_path):
    fonts = resolve_fonts(config=_config(str(tmp_path / "none.ttf")), platform="linux")
    assert not fonts.embedded
    assert fonts.body == fonts.bold == fonts.fangsong == fonts.title == "STSong-Light"
    assert fonts.warning == NOT_EMBEDDED_WARNING
    assert fonts.warning.startswith("未找到可嵌入的中文字体，PDF 在其他电脑上可能显示为空白")
    buffer = io.BytesIO()
    ReportDocument(buffer, "最后手段", OFFICE, fonts=fonts, date=DAY).build([])
    assert buffer.getvalue().startswith(b"%PDF")


def test_windows_and_mac_lists_are_read(monkeypatch):
    config = fonts_module.load_config()
    assert config["roles"]["body"]["windows"][0] == "{windir}/Fonts/simsun.ttc#0"
    monkeypatch.setenv("WINDIR", "D:/Win")
    assert fonts_module._expand("{windir}/Fonts/simsun.ttc#0") == [("D:/Win/Fonts/simsun.ttc", 0)]
    assert fonts_module._expand("{windir}/Fonts/simhei.ttf") == [("D:/Win/Fonts/simhei.ttf", 0)]
    assert fonts_module.platform_key("win32") == "windows"
    assert fonts_module.platform_key("darwin") == "darwin"
    assert fonts_module.platform_key("linux") == "linux"


def test_font_path_setting_is_declared():
    from civdesk.office import settings

    spec = settings.specs()["reports.font_path"]
    assert (spec.group, spec.label, spec.type, spec.default) == ("报表", "PDF 中文字体文件", "text", "")
    assert spec.help


# -- ordinary reports -------------------------------------------------------------------------------

@needs_poppler
@needs_wqy
def test_long_report_numbers_pages_and_extracts_exactly(tmp_path):
    pdf = tmp_path / "hours.pdf"
    doc = ReportDocument(pdf, "志愿服务时长统计表", OFFICE, date=DAY)
    villages = ["桂花村", "清溪社区", "石桥村"]
    rows = [[i + 1, f"志愿者{i:04d}", villages[i % 3], f"{i * 1.5:.1f}", "助人为乐"] for i in range(1000)]
    table = doc.chunked_table(["序号", "姓名", "村（社区）", "时长（小时）", "类别"], rows, [0.1, 0.2, 0.25, 0.2, 0.25])
    assert len(table) == 5 and all(isinstance(t, _ChunkTable) and len(t.rows) <= MAX_CHUNK for t in table)
    details = doc.key_value_table([("统计单位", OFFICE), ("统计期间", "2026年1月1日至2026年11月29日")])
    total = doc.build([doc.paragraph("数据来源：各村（社区）上报的志愿服务记录 <截至11月>。"), details, *table])

    assert total == page_count(pdf) > 10
    for page in range(1, total + 1):
        text = pdftotext(pdf, page)
        assert f"第 {page} 页 共 {total} 页" in text
        assert "打印日期：2026年11月29日" in text and OFFICE in text
        assert text.count("序号") == 1, f"page {page}: the header starts each page and never repeats mid-page"
    text = pdftotext(pdf)
    assert "数据来源：各村（社区）上报的志愿服务记录 <截至11月>。" in text
    assert "统计期间" in text and "2026年1月1日至2026年11月29日" in text
    lines = [line.split() for line in text.splitlines()]
    found = [cells for cells in lines if len(cells) == 5 and cells[1].startswith("志愿者")]
    assert found == [[str(r[0]), r[1], r[2], r[3], r[4]] for r in rows]


def test_report_document_details(tmp_path):
    assert chinese_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    buffer = io.BytesIO()
    doc = ReportDocument(buffer, "横向报表", OFFICE, landscape=True, date=DAY)
    assert doc.width > 700
    assert doc.chunked_table(["a"], [[1]] * 450, chunk=1000)[0].rows.__len__() == MAX_CHUNK
    assert doc.build([doc.paragraph("a & b < c")]) == 1
    data = buffer.getvalue()
    assert data.startswith(b"%PDF") and b"CivDesk" in data


@needs_poppler
@needs_wqy
def test_footer_words_stay_apart_on_a_sparse_page(tmp_path):
    pdf = tmp_path / "short.pdf"
    doc = ReportDocument(pdf, "志愿服务统计", OFFICE, date=DAY)
    doc.build([doc.paragraph("没有符合条件的志愿者。")])
    assert "第 1 页 共 1 页" in pdftotext(pdf), "WenQuanYi's narrow spaces need the footer's word spacing"


# -- official documents (GB/T 9704-2012) ------------------------------------------------------------

BODY_PARAGRAPHS = [
    "各村（社区）：",
    "为巩固文明村镇创建成果，经研究，决定开展2026年度文明村镇复查。现将有关事项通知如下。",
    "一、复查内容",
    "复查采取自查自评、实地查看、资料查阅和群众满意度测评相结合的方式进行，重点查看门前三包责任落实、"
    "农村人居环境整治、新时代文明实践站运行和志愿服务开展等情况。" * 20,
    "二、工作要求",
    "各村（社区）要高度重视，明确专人负责，确保复查工作按时完成，对复查不合格的予以通报并限期整改。",
]


@needs_poppler
@needs_wqy
def test_official_document_geometry(tmp_path):
    pdf = tmp_path / "notice.pdf"
    doc = OfficialDocument(pdf, "关于开展2026年度文明村镇创建工作复查的通知", OFFICE,
                           doc_number="清溪镇文明办〔2026〕3号", date=DAY)
    pages = doc.build(BODY_PARAGRAPHS, signature=OFFICE, sign_date=DAY)
    assert pages == page_count(pdf) >= 3

    left, right = 28 * MM, 184 * MM
    top, bottom = 37 * MM, (37 + 225) * MM
    for page in range(1, pages + 1):
        found = words(pdf, page)
        body = [w for w in found if w[3] <= bottom + 1]
        numbers = [w for w in found if w[1] > bottom]
        assert body and numbers
        assert min(w[1] for w in body) == pytest.approx(top, abs=1.5 * MM), "first line 37 mm from the top"
        for x0, _, x1, _, text in body:
            assert left - 0.3 <= x0 and x1 <= right + 0.3, f"{text!r} outside the 156 mm block"
        # "— N —" in 4号 under the block: odd pages right, even pages left.
        assert "".join(w[4] for w in numbers) == f"—{page}—"
        assert all(w[1] - bottom < 12 * MM for w in numbers)
        if page % 2:
            assert max(w[2] for w in numbers) == pytest.approx(right - 14, abs=1)
        else:
            assert min(w[0] for w in numbers) == pytest.approx(left + 14, abs=1)

    # Page 2 is all body text: exactly 22 lines on a 225/22 mm pitch, full lines of 28 characters
    # running from the left edge to the right edge.
    body = sorted((w for w in words(pdf, 2) if w[3] <= bottom + 1), key=lambda w: w[1])
    tops = sorted({round(w[1], 1) for w in body})
    assert len(tops) == 22
    pitches = {round(b - a, 2) for a, b in zip(tops, tops[1:], strict=False)}
    assert all(p == pytest.approx(225 * MM / 22, abs=0.1) for p in pitches)
    full = [w for w in body if len(w[4]) == 28]
    assert full, "pure Chinese lines hold 28 characters"
    for x0, _, x1, _, _ in full:
        assert x0 == pytest.approx(left, abs=0.5) and x1 == pytest.approx(right, abs=0.5)

    # Page 1: doc number, title 2号, body 3号; text comes back exactly.
    page1 = sorted(words(pdf, 1), key=lambda w: w[1])
    assert page1[0][4] == "清溪镇文明办〔2026〕3号"
    title, addressee = page1[1:3], page1[3]
    assert "".join(w[4] for w in title) == "关于开展2026年度文明村镇创建工作复查的通知"
    assert all(w[3] - w[1] > 20 for w in title) and addressee[3] - addressee[1] < 17, "2号 title, 3号 body"
    assert addressee[4] == "各村（社区）：" and addressee[0] == pytest.approx(left, abs=0.3), "主送机关顶格"
    flat = "".join(re.sub(r"\s+", "", pdftotext(pdf, page, layout=False)).removesuffix(f"—{page}—")
                   for page in range(1, pages + 1))
    for paragraph in BODY_PARAGRAPHS:
        assert paragraph in flat
    assert "关于开展2026年度文明村镇创建工作复查的通知" in flat
    assert f"{OFFICE}2026年11月29日" in flat

    # The signature sits at the right: date 右空四字 for a sealed document.
    last = words(pdf, pages)
    date_word = next(w for w in last if w[4] == "2026年11月29日")
    assert date_word[2] == pytest.approx(right - 4 * CHAR, abs=0.5)
    body_last = [w for w in last if w[3] <= bottom + 1 and w[4] not in (OFFICE, "2026年11月29日")]
    assert body_last, "the signature never stands alone on a page"


@needs_poppler
@needs_wqy
def test_official_document_attachments_and_unsealed_signature(tmp_path):
    pdf = tmp_path / "decision.pdf"
    doc = OfficialDocument(pdf, "关于命名2026年度镇级文明村的决定", OFFICE, date=DAY)
    names = doc.table(["序号", "村（社区）", "称号"], [[1, "桂花村", "镇级文明村"], [2, "石桥村", "镇级文明村"]])
    pages = doc.build(["经评审和公示，决定命名桂花村等2个村为2026年度镇级文明村。"],
                      attachments=[("2026年度镇级文明村名单", names), ("测评说明", "按测评体系逐项打分。")],
                      signature="清溪镇精神文明建设办公室", sign_date="2026年12月1日", sealed=False)
    assert pages == 3
    first = pdftotext(pdf, 1, layout=False)
    assert "附件：1．2026年度镇级文明村名单" in first and "2．测评说明" in first
    sign = next(w for w in words(pdf, 1) if w[4] == "清溪镇精神文明建设办公室")
    assert sign[2] == pytest.approx(184 * MM - 2 * CHAR, abs=0.5), "unsealed: 署名右空二字"
    second = sorted(words(pdf, 2), key=lambda w: w[1])
    assert second[0][4] == "附件1" and second[0][0] == pytest.approx(28 * MM, abs=0.5)
    assert second[0][1] == pytest.approx(37 * MM, abs=1.5 * MM)
    text = pdftotext(pdf, 2)
    assert "2026年度镇级文明村名单" in text and "桂花村" in text and "石桥村" in text
    assert "附件2" in pdftotext(pdf, 3) and "按测评体系逐项打分。" in pdftotext(pdf, 3, layout=False)


def _wrap_by_measuring_each_line(text, font, size, width, first_indent=0.0, rest_indent=0.0, space=0.0):
    """The obvious wrapper: measure the whole line again for every unit (quadratic)."""
    lines, current, indent = [], "", first_indent
    for unit in units(text):
        if unit == "\n":
            lines.append((current.rstrip(), indent))
            current, indent = "", rest_indent
            continue
        if current and extent(current + unit, font, size, space) > width - indent + 0.01:
            lines.append((current.rstrip(), indent))
            current, indent = "", rest_indent
            if unit.isspace():
                continue
        if not current and extent(unit, font, size, space) > width - indent + 0.01:
            for ch in unit:
                if current and extent(current + ch, font, size, space) > width - indent + 0.01:
                    lines.append((current.rstrip(), indent))
                    current, indent = "", rest_indent
                current += ch
            continue
        current += unit
    if current or not lines:
        lines.append((current.rstrip(), indent))
    return lines


def test_linear_wrapping_breaks_where_measuring_each_line_would():
    fonts = resolve_fonts()
    texts = ["兹证明 欧阳明华（居民身份证：510114198506019172）系本单位登记的注册志愿者，志愿者编号 QXZ000001。",
             "核验方法：扫描二维码，或在 CivDesk「志愿服务 → 证明核验」中输入证明编号和校验码。" * 3,
             "https://example.com/" + "a" * 200, "第一行\n第二行，“引号”（括号）。", "", BODY_PARAGRAPHS[3]]
    for text in texts:
        for width, first, rest, space in ((120, 0, 0, 0), (300, 27, 0, 0), (423, 27, 0, 0),
                                          (BLOCK_WIDTH, 2 * CHAR, 0, BODY_CHAR_SPACE),
                                          (BLOCK_WIDTH, 2 * CHAR, 5 * CHAR, BODY_CHAR_SPACE)):
            assert wrap_text(text, fonts.body, 13.5, width, first, rest, space) == \
                _wrap_by_measuring_each_line(text, fonts.body, 13.5, width, first, rest, space)


def test_numbers_stay_with_their_units():
    fonts = resolve_fonts()
    text = ("经查询本单位志愿服务记录，截至 2026年11月29日，该志愿者于（2025年1月1日至2025年12月31日）期间"
            "累计志愿服务时长 182.5 小时，服务 37 次。")
    for width in range(80, 400, 3):  # narrower than "182.5 小时，", it must break inside
        lines = [line for line, _ in wrap_text(text, fonts.body, 12, width)]
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for before, after in zip(lines, lines[1:], strict=False):
            assert not (before[-1].isdigit() and after[0] in "年月日小次"), (width, before, after)
            assert after[0] not in "，。）", (width, after)
            assert before[-1] not in "（", (width, before)


def test_line_breaking_keeps_chinese_rules():
    text = "各村（社区）要高度重视，明确专人负责。" * 6 + "《测评体系》“门前三包”，2026年度qingxi@example.com。"
    font = resolve_fonts().fangsong
    lines = [line for line, _ in wrap_text(text, font, BODY_SIZE, BLOCK_WIDTH, 2 * CHAR, 0, BODY_CHAR_SPACE)]
    assert "".join(lines) == text
    assert all(line[0] not in "，。、；：？！）》”" for line in lines), lines
    assert all(line[-1] not in "（《“" for line in lines), lines
    assert "qingxi@example.com。" in "".join(line for line in lines if "qingxi" in line), "a Latin word is not cut"


def test_grid_lines_keep_headings_and_signatures_with_text():
    lines = [GridLine(str(i), resolve_fonts().body, BODY_SIZE) for i in range(6)]
    head = GridLines(lines, keep_head=3)
    assert head.split(BLOCK_WIDTH, 2 * LINE_PITCH) == [], "a heading never ends a page alone"
    first, rest = head.split(BLOCK_WIDTH, 3 * LINE_PITCH)
    assert len(first.lines) == 3 and len(rest.lines) == 3
    tail = GridLines(lines, keep_tail=4)
    first, rest = tail.split(BLOCK_WIDTH, 5 * LINE_PITCH)
    assert len(first.lines) == 2 and len(rest.lines) == 4 and rest.keep_tail == 4


# -- QR and check codes -----------------------------------------------------------------------------

def test_fast_qr_encoding_is_reportlabs_encoding():
    rng = random.Random(5)
    for _ in range(40):
        text = "CIVDESK-CERT|" + "".join(rng.choice("ABCDEFGHJKMNP0123456789-|") for _ in range(rng.randint(5, 150)))
        for level in ("L", "M", "Q", "H"):
            ec = getattr(qrencoder.QRErrorCorrectLevel, level)
            code = qrencoder.QRCode(None, ec)
            code.addData(text)
            code.version = code.calculate_version()
            assert _codewords(code.version, ec, code.dataList) == qrencoder.QRCode.createData(code.version, ec,
                                                                                             code.dataList)
            size, bits = qr_matrix(text, level)
            assert size == code.version * 4 + 17
            masks = []
            for mask in range(8):
                code.makeImpl(False, mask)
                masks.append(_row_bits(code.modules))
            assert bits in masks


def test_qr_flowable_renders(tmp_path):
    text = "https://example.invalid/v?no=QX2026-0001"
    drawing = qr_flowable(text, 30)
    assert drawing.width == pytest.approx(30 * MM) and drawing.height == pytest.approx(30 * MM)
    pdf = tmp_path / "qr.pdf"
    ReportDocument(pdf, "证明", OFFICE, date=DAY).build([drawing])
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "qr")],
                       check=True)
        images = list(tmp_path.glob("qr*.png"))
        assert images
        if shutil.which("zbarimg"):
            out = subprocess.run(["zbarimg", "-q", "--raw", str(images[0])], capture_output=True, text=True).stdout
            assert out.strip() == text


def test_check_codes_verify_and_fail():
    secret = b"office-secret-123"
    code = check_code(secret, "QX2026-0001", "张三", "123.5")
    assert len(code) == 8 and set(code) <= set(ALPHABET) and not set(code) & set("ILOU")
    assert code == check_code(secret, "QX2026-0001", "张三", "123.5")
    assert verify_check_code(secret, code, "QX2026-0001", "张三", "123.5")
    assert verify_check_code(secret, format_check_code(code).lower(), "QX2026-0001", "张三", "123.5")
    assert verify_check_code(secret, " " + code[:4] + " - " + code[4:], "QX2026-0001", "张三", "123.5")
    assert not verify_check_code(secret, code, "QX2026-0001", "张三", "125.5")
    assert not verify_check_code(b"another-office", code, "QX2026-0001", "张三", "123.5")
    assert not verify_check_code(secret, "", "QX2026-0001", "张三", "123.5")
    assert not verify_check_code(secret, "不是核验码", "QX2026-0001", "张三", "123.5")
    assert check_code(secret, "ab", "c") != check_code(secret, "a", "bc")
    assert normalize_check_code("abcd-efgh") == "ABCDEFGH"
    assert normalize_check_code(" O0 Il ") == "0011", "letters people confuse read as the digits they look like"
    with pytest.raises(ValueError):
        check_code(b"", "x")


# -- charts -----------------------------------------------------------------------------------------

@needs_poppler
@needs_wqy
def test_charts_render_with_chinese_labels(tmp_path):
    pdf = tmp_path / "charts.pdf"
    doc = ReportDocument(pdf, "志愿服务情况统计", OFFICE, date=DAY)
    villages = ["桂花村", "清溪社区", "石桥村", "柳林村", "白鹤村", "梨花村", "新华社区", "东风村", "红星村"]
    doc.build([
        bar_chart("各村志愿服务时长", villages[:6], [1234.5, 980, 456.5, 300, 120, 0], "小时"),
        bar_chart("各村志愿者人数", villages, [12, 9, 4, 3, 1, 0, 6, 5, 4], "人"),  # many: labels slanted
        pie_chart("服务类别构成", ["助人为乐", "见义勇为", "孝老爱亲"], [40, 0, 20]),
        bar_chart("空白图表", [], [], "人"),
        pie_chart("空白饼图", ["助人为乐"], [0]),
    ])
    text = pdftotext(pdf, layout=False)
    for expected in ("各村志愿服务时长", "单位：小时", "清溪社区", "1234.5", "服务类别构成",
                     "助人为乐", "66.7%", "暂无数据", "单位：人"):
        assert expected in text
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True, encoding="utf-8").stdout
    assert "".join(villages) in re.sub(r"\s+", "", raw), "slanted labels are still real text"
    assert "见义勇为" not in text, "zero slices are left out of the pie"
