"""Table columns measured from their content, numbers right-aligned, one spacing rule for numbers."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from civdesk.reports import widths
from civdesk.reports.document import ReportDocument, sign_line
from civdesk.reports.fonts import resolve_fonts
from civdesk.reports.numbers import number, quantity
from tests.support.pdf import needs_poppler, words

FONTS = resolve_fonts()
STORY = ("柳林村 助人为乐：韦宇航16年如一日照顾孤寡老人和留守儿童，热心帮助邻里解决困难，"
         "多次组织村里的志愿者开展敬老活动")


def measure(header, rows, width=400.0):
    return widths.measured_widths(header, rows, width, font=FONTS.body, header_font=FONTS.bold, size=9.0)


def test_a_name_column_is_as_wide_as_the_names_and_the_text_column_takes_the_rest():
    found = measure(["序号", "姓名", "村（社区）、类别及事迹"], [[1, "韦宇航", STORY], [2, "欧阳晓明", STORY]])
    assert abs(sum(found) - 400.0) < 0.01
    name_needed = stringWidth("欧阳晓明", FONTS.body, 9.0) + widths.PADDING
    assert name_needed <= found[1] < name_needed + 12, found  # not a third of the width
    assert found[2] > 0.7 * 400, found


def test_short_tables_fill_the_width_in_proportion_and_never_wrap():
    found = measure(["类别", "件数", "占比"], [["环境卫生", 12, "33.3%"], ["合计", 36, "100%"]])
    assert abs(sum(found) - 400.0) < 0.01
    for c, text in enumerate(["环境卫生", "12", "33.3%"]):
        assert found[c] >= stringWidth(text, FONTS.body, 9.0) + widths.PADDING


def test_headers_wrap_only_at_their_separators():
    assert widths.header_pieces("已评/应评") == ["已评/", "应评"]
    assert widths.header_pieces("事迹真实性（30%）") == ["事迹真实性", "（30%）"]
    assert widths.header_pieces("加权平均分<br/>（排名依据）") == ["加权平均分", "（排名依据）"]
    narrow = stringWidth("已评/", FONTS.bold, 9.0) + 1
    assert widths.header_markup("已评/应评", FONTS.bold, 9.0, narrow) == "已评/<br/>应评"
    assert widths.header_markup("已评/应评", FONTS.bold, 9.0, 200) == "已评/应评"
    crowded = measure(["排名", "已评/应评", "结果"], [[1, "5/5", "未入选（并列决定）"]], width=120)
    assert crowded[1] >= stringWidth("应评", FONTS.bold, 9.0) + widths.PADDING  # never 「已评/应 / 评」
    roomy = measure(["排名", "姓名", "已评/应评", "结果", "说明"], [[1, "韦宇航", "5/5", "未入选（并列决定）", STORY]])
    assert roomy[3] >= stringWidth("未入选（并列决定）", FONTS.body, 9.0) + widths.PADDING  # inside its border


def test_number_columns_are_found_and_a_total_label_does_not_spoil_them():
    rows = [[1, "韦宇航", "90.62", "5/5", "12.5小时", "A（6）"], ["合计", "", "1,234.5", "—", "30小时", ""]]
    assert widths.numeric_columns(rows, 6) == [True, False, True, True, True, True]
    assert not widths.is_number("2026-11-04") and not widths.is_number("清溪镇") and widths.is_number("33.3%")


def test_a_wrapped_cell_never_ends_with_one_or_two_characters():
    text = "实地抽查发现问题，扣分"
    inner = stringWidth("实地抽查发现问题，扣", FONTS.body, 9.0) + 0.5  # would leave 「分」 alone
    mended = widths.without_orphan(text, FONTS.body, 9.0, inner)
    assert mended is not None and len(mended.split("\n")[-1]) > widths.ORPHAN
    assert mended.replace("\n", "") == text
    assert widths.without_orphan("短句", FONTS.body, 9.0, inner) is None


def test_one_spacing_rule_for_numbers_and_units():
    assert quantity(12.5, "小时") == "12.5小时" and quantity(6, "个") == "6个"
    assert number(2211.5) == "2211.5" and number(12345) == "12,345" and number(12345.25) == "12,345.25"
    assert number(90.6249, 2) == "90.62" and number(-12345) == "-12,345" and number(12.0) == "12"



def test_one_way_to_write_a_date():
    import datetime as dt

    from civdesk.reports import document, numbers
    from civdesk.volunteers import certificates

    assert numbers.chinese_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert document.chinese_date is numbers.chinese_date
    assert certificates.period_text(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "2026年1月1日至2026年12月31日"


@needs_poppler
def test_in_the_pdf_numbers_sit_right_and_the_signature_stays_with_the_last_rows(tmp_path: Path):
    pdf = tmp_path / "t.pdf"
    doc = ReportDocument(pdf, "测试表", "清溪镇", fonts=FONTS)
    rows = [[n, f"村民{n}", STORY if n % 3 == 0 else "短", f"{n * 1.5:g}"] for n in range(1, 46)]
    signature = [Paragraph("测评说明", doc.styles.small), sign_line(doc, ["测评人（签字）：", "日期：　年　月　日"])]
    story = doc.chunked_table(["序号", "姓名", "情况", "时长（小时）"], rows, keep_with=signature)
    pages = doc.build(story)
    last = words(pdf, pages)
    texts = [w[4] for w in last]
    assert "测评人（签字）：" in texts and "村民45" in texts  # never alone on its page
    first = words(pdf, 1)
    for column in (("1.5", "4.5", "7.5", "10.5"), ("10", "11", "13", "14")):  # 时长, 序号
        rights = {w[4]: w[2] for w in first if w[4] in column}
        assert len(rights) == 4 and max(rights.values()) - min(rights.values()) < 1.0, rights  # one right edge
    name_left = min(w[0] for w in first if w[4].startswith("村民"))
    text_left = min(w[0] for w in first if w[4].startswith("柳林村"))
    assert text_left - name_left < 40 * mm  # the name column is as wide as the names


def test_a_wide_table_squeezes_chinese_text_and_headers_but_keeps_codes_dates_and_numbers_whole():
    header = ["工单编号", "受理日期", "村（社区）", "问题", "承办单位", "期限", "逾期工作日", "处理"]
    row = ["QXZ-RX-2026-0005", "2026-11-05", "桂花村", "占道经营求助", "桂花村", "2026-11-12（办理）", 12, "督办"]
    size, width = 12.0, 156 * mm
    found = widths.measured_widths(header, [row], width, font=FONTS.body, header_font=FONTS.body, size=size)
    assert abs(sum(found) - width) < 0.01
    for c in (0, 1, 6):  # the ticket number, the date and the number stay on one line
        assert found[c] >= stringWidth(str(row[c]), FONTS.body, size) + widths.PADDING, (c, found)
    assert found[5] >= stringWidth("2026-11-12", FONTS.body, size) + widths.PADDING
    assert found[3] < stringWidth(row[3], FONTS.body, size) + widths.PADDING  # the Chinese text wraps


DOC_HEADER = ["文号", "村（社区）", "整改对象", "长效机制", "整改期限", "逾期", "状态"]
DOC_ROWS = [["清溪镇整改〔2026〕B12号", "桂花村", "清溪镇桂花村便民服务中心", "镇容环境卫生与门前三包", "2026-03-16",
             "12个工作日", "督办"],
            ["清文明〔2026〕3号", "新民村", "新民村农家书屋", "公益广告", "2026-03-20", "3个工作日", "逾期"],
            ["清溪镇精神文明建设委员会〔2025〕118号", "白鹤村", "依据清文明〔2026〕3号文件要求整改的农家书屋门前", "门前三包",
             "2026-03-20", "3个工作日", "逾期"]]


def _rendered(header, rows, width: float, size: float = 12.0) -> tuple[list[float], list[list[list[str]]]]:
    """The table as an official attachment lays it out (FangSong at *size* pt): its column widths and
    each body cell's lines as ReportLab breaks them at that width, with the same font metrics."""
    from dataclasses import replace

    from civdesk.reports.document import chunked_table, report_styles

    fonts = replace(FONTS, body=FONTS.fangsong)
    [table] = chunked_table(header, rows, styles=report_styles(fonts, cell_size=size), fonts=fonts, width=width)
    cells = []
    for row in table.rows:
        found = []
        for cell, column in zip(row, table.col_widths, strict=True):
            cell.wrap(column - widths.PADDING, 10_000)
            para = cell.blPara
            found.append(["".join(getattr(w, "text", w) for w in (line.words if para.kind else line[1]))
                          for line in para.lines])
        cells.append(found)
    return table.col_widths, cells


def test_a_document_number_never_breaks_inside_its_number():
    roomy, cells = _rendered(DOC_HEADER, DOC_ROWS[:2], 220 * mm)
    assert [row[0] for row in cells] == [["清溪镇整改〔2026〕B12号"], ["清文明〔2026〕3号"]]  # room: one line each
    for width in (156 * mm, 150 * mm):  # squeezed tables (narrower, everything shrinks alike): a break before 〔
        found, cells = _rendered(DOC_HEADER, DOC_ROWS, width)
        assert abs(sum(found) - width) < 0.01
        assert found[0] >= stringWidth("〔2025〕118号", FONTS.fangsong, 12.0) + widths.PADDING
        for row, cell in zip(DOC_ROWS, cells, strict=True):
            number = row[0]
            cut = number.index("〔")
            assert cell[0] == [number] or (cell[0][-1] == number[cut:] and "".join(cell[0][:-1]) == number[:cut]), (
                width, cell[0])  # whole, or the issuer's name (wrapped like any Chinese text) above 〔…〕号
            if "〔" in row[2]:  # inside longer text the number is one piece
                assert any("〔2026〕3号" in line for line in cell[2]), (width, cell[2])
        assert cells[0][0] == ["清溪镇整改", "〔2026〕B12号"]  # before: 「清溪镇整改〔」「2026〕B12号」


def test_the_glue_keeps_the_number_and_leaves_other_text_alone():
    assert widths.glued("桂花村农家书屋") == "桂花村农家书屋"
    assert widths.cell_text("清文明〔2026〕3号", FONTS.body, 9.0, 200) == "清文明〔2026〕3号"
    narrow = stringWidth("清溪镇整改〔20", FONTS.body, 9.0)
    assert widths.cell_text("清溪镇整改〔2026〕B12号", FONTS.body, 9.0, narrow) == "清溪镇整改\n〔2026〕B12号"
    text = "依据清文明〔2026〕3号文件要求，桂花村对农家书屋进行了整改"
    inner = stringWidth("依据清文明〔2026", FONTS.body, 9.0)
    lines = widths.cell_text(text, FONTS.body, 9.0, inner).split("\n")
    assert "".join(lines) == text and lines[:2] == ["依据清文明", "〔2026〕3号文件"]
    assert all(stringWidth(line, FONTS.body, 9.0) <= inner for line in lines)
