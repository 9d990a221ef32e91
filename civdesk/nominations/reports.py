"""PDFs of good-people nominations: 推荐表, 评议汇总表, 表彰决定, 事迹材料 (the 公示名单 is the shared
notice_pdf). Stories are laid out line by line with the one CJK wrapper (reports/text.py), so a
2,000-character story breaks the Chinese way and flows across pages. ID numbers and phones are
masked unless the caller asks for the full number (a form sent up to the district needs it).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from civdesk.core import validation
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError
from civdesk.core.files import save_atomically
from civdesk.documents import issue
from civdesk.nominations import award as award_service
from civdesk.nominations import nominees as core
from civdesk.nominations import review
from civdesk.nominations.models import RECOMMENDER_KINDS, Nominee
from civdesk.notices import public_notices as notices
from civdesk.office import offices as office_service
from civdesk.reports.document import GRID_COLOR, LABEL_FILL, ReportDocument, chinese_date, sign_line
from civdesk.reports.numbers import quantity
from civdesk.reports.output import audit_export
from civdesk.reports.text import wrap_text
from civdesk.reports.widths import PADDING, header_markup, measured_widths, numeric_columns

TIE_FILL = colors.HexColor("#FFF3C4")
QUOTA_LINE = colors.HexColor("#C0392B")
MAX_JUSTIFY = 1.5


class TextLines(Flowable):
    """Paragraphs broken into lines by ``wrap_text`` (禁则, numbers kept with units), drawn on a
    fixed leading, justified, splitting between lines at page ends."""

    def __init__(self, text: str, font: str, size: float, leading: float, indent_chars: float = 2,
                 lines: list[tuple[str, float, float]] | None = None):
        super().__init__()
        self.text, self.font, self.size, self.leading = text, font, size, leading
        self.indent_chars = indent_chars
        self._lines = lines
        self._for_width: float | None = None if lines is None else -1

    def _layout(self, width: float) -> list[tuple[str, float, float]]:
        if self._for_width in (width, -1):
            return self._lines
        lines = []
        for paragraph in self.text.split("\n"):
            paragraph = paragraph.strip()
            if not paragraph:
                continue
            wrapped = wrap_text(paragraph, self.font, self.size, width, self.indent_chars * self.size)
            for number, (line, indent) in enumerate(wrapped):
                space = 0.0
                if number < len(wrapped) - 1 and len(line) > 1:
                    stretch = (width - indent - stringWidth(line, self.font, self.size)) / (len(line) - 1)
                    space = stretch if 0 <= stretch <= MAX_JUSTIFY else 0.0
                lines.append((line, indent, space))
        self._lines, self._for_width = lines, width
        return lines

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        self.width = availWidth
        self.height = len(self._layout(availWidth)) * self.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        lines = self._layout(availWidth)
        fit = int((availHeight + 0.01) // self.leading)
        if fit <= 0:
            return []
        if fit >= len(lines):
            return [self]
        return [TextLines("", self.font, self.size, self.leading, lines=lines[:fit]),
                TextLines("", self.font, self.size, self.leading, lines=lines[fit:])]

    def draw(self):
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        drop = (self.leading - self.size) / 2 + getAscent(self.font, self.size)
        for number, (line, indent, space) in enumerate(self._lines):
            canvas.drawString(indent, self.height - number * self.leading - drop, line, charSpace=space)


def _villages() -> dict[str, str]:
    return office_service.names()


def _photo(data: bytes | None, width: float, height: float, style: ParagraphStyle) -> Flowable:
    if not data:
        return Paragraph("（无照片）", style)  # in the document's font: the default Helvetica draws no Chinese
    image = Image(io.BytesIO(data))
    scale = min(width / image.imageWidth, height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _check(actor: Actor | None) -> None:
    if actor is not None:
        require(actor, "export_data")


# --- 推荐表 ----------------------------------------------------------------------------------


def _particulars(doc: ReportDocument, nomination, person, *, full_numbers: bool) -> Table:
    """The form's table: the person and the recommender, the photo on the right."""
    s = doc.styles

    def p(text):
        return Paragraph(str(text or ""), s.cell)

    def label(text):
        return Paragraph(text, s.cell_label)

    honours = "；".join(core.honour_text(h) for h in core.honours(person.id)
                       if h.session_id != nomination.session_id) or "无"
    documents = "、".join(f.file_name for f in core.files(nomination.id, "document")) or "无"
    id_text = person.id_number if full_numbers else validation.mask_id_number(person.id_number)
    phone = person.phone if full_numbers else validation.mask_phone(person.phone)
    village = _villages().get(person.village_id, "")
    birth = f"{person.birth_date:%Y年%m月}" if person.birth_date else ""
    recommender = f"{nomination.recommender_name}（{RECOMMENDER_KINDS.get(nomination.recommender_kind, '')}）"
    photo = _photo(core.first_photo(nomination.id), 34 * mm, 44 * mm, doc.styles.cell)
    data = [
        [label("姓　　名"), p(person.name), label("性　　别"), p(person.sex), photo],
        [label("出生年月"), p(birth), label("政治面貌"), p(person.political_status), ""],
        [label("身份证号码"), p(id_text), "", "", ""],
        [label("村（社区）"), p(village), label("职业"), p(person.occupation), ""],
        [label("联系电话"), p(phone), label("推荐类别"), p(nomination.category), ""],
        [label("推荐人（单位）"), p(recommender), label("与被推荐人关系"), p(nomination.recommender_relation), ""],
        [label("一句话事迹"), p(nomination.summary), "", "", ""],
        [label("曾获荣誉"), p(honours), "", "", ""],
        [label("证明材料"), p(documents), "", "", ""],
    ]
    widths = [26 * mm, 42 * mm, 30 * mm, 38 * mm, doc.width - 136 * mm]  # 「与被推荐人关系」 on one line
    # FONTNAME: the empty cells of spans are drawn as strings, in Helvetica unless told (referenced, not embedded).
    style = [("FONTNAME", (0, 0), (-1, -1), doc.fonts.body),
             ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("SPAN", (4, 0), (4, 5)), ("ALIGN", (4, 0), (4, 5), "CENTER"), ("SPAN", (1, 2), (3, 2)),
             ("SPAN", (1, 6), (4, 6)), ("SPAN", (1, 7), (4, 7)), ("SPAN", (1, 8), (4, 8)),
             ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    style += [("BACKGROUND", (c, r), (c, r), LABEL_FILL) for r in range(9) for c in (0, 2) if data[r][c] != ""]
    return Table(data, colWidths=widths, style=TableStyle(style), hAlign="LEFT")


def _opinions(doc: ReportDocument, checked) -> Flowable:
    """The three opinions with room for a seal or signature; 初审's is filled in when given."""
    s = doc.styles
    check_text = ""
    if checked is not None:
        verdict = "初审通过" if checked.to_status == "passed" else f"退回：{checked.reason}"
        check_text = f"{verdict}（{checked.created_at[:10]}）"
    gap = "&nbsp;" * 8
    right = ParagraphStyle("sign", parent=s.cell, alignment=TA_RIGHT)

    def opinion(text: str, sign: str) -> list:
        return [Paragraph(text, s.cell), Spacer(1, 9 * mm), Paragraph(f"{sign}{gap}年{gap}月{gap}日", right)]

    opinions = [[Paragraph("推荐单位意见", s.cell_label), opinion("", "（盖章）")],
                [Paragraph("镇文明办初审意见", s.cell_label), opinion(check_text, "（盖章）")],
                [Paragraph("评议委员会意见", s.cell_label), opinion("", "（签字）")]]
    return KeepTogether(Table(opinions, colWidths=[34 * mm, doc.width - 34 * mm], style=TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), doc.fonts.body),
         ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
         ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL), ("TOPPADDING", (0, 0), (-1, -1), 8),
         ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]), hAlign="LEFT"))


def nomination_form(path: str | Path, nomination_id: str, *, actor: Actor | None = None,
                    full_numbers: bool = False) -> int:
    _check(actor)
    nomination = core.get(nomination_id)
    session = core.get_session(nomination.session_id)
    person = Nominee.get_by_id(nomination.nominee_id)
    title = f"{session.name}推荐表"
    checked = next((e for e in reversed(core.events(nomination.id)) if e.to_status in ("passed", "returned")), None)

    def write(target: str) -> int:
        doc = ReportDocument(Path(target), title, office_service.own_name())
        story = [_particulars(doc, nomination, person, full_numbers=full_numbers), Spacer(1, 5 * mm),
                 Paragraph(f"主要事迹（{quantity(core.count_chars(nomination.story), '字')}）", doc.styles.heading),
                 TextLines(nomination.story, doc.fonts.body, 11, 19), Spacer(1, 6 * mm), _opinions(doc, checked)]
        return doc.build(story, subtitle=f"推荐类别：{nomination.category}　　填表日期：{chinese_date(dt.date.today())}")

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{person.name}" + ("（含完整证件号码）" if full_numbers else ""),
                     tbl="nomination")
    return pages


# --- 评议汇总表 -------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _member_cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _category_header(session) -> list[str]:
    if session.method == "vote":
        return ["排名", "姓名", "村（社区）", "赞成", "反对", "弃权", "已投/应投", "回避", "结果"]
    # No 合计: after a recusal a nominee with fewer scores has the lower sum yet may rank first; the
    # average ranks, and the count of scores beside it says how many it stands on.
    return ["排名", "姓名", "村（社区）", *[f"{item}<br/>（{weight}%）" for item, weight in session.rubric_items],
            "加权平均分<br/>（排名依据）", "已评/应评", "回避", "结果"]


def _category_values(session, category) -> list[list]:
    values = []
    for row in category.rows:
        cells = [row.rank or "—", row.name, row.village]
        if session.method == "vote":
            cells += [row.agree, row.against, row.abstain]
        else:
            cells += [_number(row.item_averages.get(item)) for item, _ in session.rubric_items]
            cells += [_number(row.average)]
        values.append([*cells, f"{row.scorers}/{row.expected}", row.recused or "", row.result_label])
    return values


def _tally_widths(doc: ReportDocument, session, categories) -> list[float]:
    """One set of widths for every category's table (the columns line up down the page), measured
    from all their rows: 「已评/应评」 wraps only at its slash, 「未入选（并列决定）」 stays inside."""
    s = doc.styles
    values = [cells for category in categories for cells in _category_values(session, category)]
    return measured_widths(_category_header(session), values, doc.width, font=s.cell.fontName,
                           header_font=s.cell_header.fontName, size=s.cell.fontSize)


def _category_table(doc: ReportDocument, session, category, widths: list[float]) -> Table:
    """One category's ranking: per-item averages (or votes), the quota line, ties shaded."""
    s = doc.styles
    header = _category_header(session)
    values = _category_values(session, category)
    numbers = numeric_columns(values, len(header))
    rows = [[Paragraph(header_markup(h, s.cell_header.fontName, s.cell.fontSize, w - PADDING), s.cell_header)
             for h, w in zip(header, widths, strict=True)]]
    rows += [[Paragraph(escape(str(v)), s.cell_number if numbers[c] else s.cell) for c, v in enumerate(cells)]
             for cells in values]
    style = [("FONTNAME", (0, 0), (-1, -1), doc.fonts.body),
             ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOR), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LEFTPADDING", (0, 0), (-1, -1), PADDING / 2), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING / 2),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F2"))]
    for number, row in enumerate(category.rows, start=1):
        if row.result in ("tie", "decided_in", "decided_out"):
            style.append(("BACKGROUND", (0, number), (-1, number), TIE_FILL))
    inside = sum(1 for r in category.rows if r.rank is not None and r.rank <= category.quota)
    if category.rows and inside:
        style.append(("LINEBELOW", (0, inside), (-1, inside), 1.6, QUOTA_LINE))
    return Table(rows, colWidths=widths, style=TableStyle(style), repeatRows=1, hAlign="LEFT")


def _tie_note(category) -> str:
    names = "、".join(r.name for r in category.rows if r.nomination_id in category.tied)
    if category.decision is None:
        return f"并列待定：{names} 并列争{category.slots}个名额，尚未决定。"
    chosen = "、".join(r.name for r in category.rows if r.result == "decided_in") or "无人"
    return (f"并列决定：{names} 并列，决定 {chosen} 入选。依据：{category.decision.reason}"
            f"（{category.decision.created_by}，{category.decision.created_at[:10]}）")


def _tally_tail(doc: ReportDocument, result, members, recused) -> Flowable:
    """The members, the recusals and the signature line, kept together: signatures never stand
    alone on a page."""
    s = doc.styles
    tail: list[Flowable] = [Paragraph("评议委员", s.heading)]
    member_rows = [[n, m.name, m.unit, m.duty] for n, m in enumerate(members, 1)]
    tail += doc.chunked_table(["序号", "姓名", "单位", "职务"], member_rows)
    if recused:
        names = {m.id: m.name for m in members}
        people = {r.nomination_id: r.name for r in result.rows()}
        tail.append(Paragraph("回避情况", s.heading))
        tail += doc.chunked_table(["委员", "回避对象", "原因"], [[names.get(m, ""), people.get(n, ""), why]
                                                         for (m, n), why in recused.items()])
    tail += [Spacer(1, 8 * mm), sign_line(doc, ["评议委员会成员签字：", "", "日期：　　　　年　　月　　日"])]
    return KeepTogether(tail)


def tally_pdf(path: str | Path, session_id: str, *, actor: Actor | None = None) -> int:
    _check(actor)
    result = review.tally(session_id)
    session = result.session
    title = f"{session.name}评议汇总表"
    members = review.members(session.id)
    recused = review.recusals(session.id)

    def write(target: str) -> int:
        doc = ReportDocument(Path(target), title, office_service.own_name(), landscape=True)
        s = doc.styles
        state = "评议已结束，打分已锁定" if result.locked else "评议进行中，以下为当前结果（未锁定）"
        method = "投票" if session.method == "vote" else "评分（各项百分制，按权重计算加权分；平均分按评完全部项目的委员计算）"
        story = [doc.paragraph(f"评议方式：{method}。评议委员{len(members)}人。{state}。", "small"),
                 doc.paragraph("红线为名额线；黄色底为名额线上的并列，须由评选办公室明确决定，系统不自行取舍。", "small")]
        widths = _tally_widths(doc, session, [c for c in result.categories if c.rows])
        for category in (c for c in result.categories if c.rows):
            heading = f"{category.category}（名额{category.quota}名，{len(category.rows)}人参评）"
            story += [Paragraph(heading, s.heading), _category_table(doc, session, category, widths)]
            if category.pass_line:
                passed = sum(1 for r in category.rows if r.result not in ("below", "unscored"))
                story.append(doc.paragraph(f"通过线：{category.pass_line}；{passed}人过线，"
                                           "红线以上为入选（名额线）。", "small"))
            if category.tied:
                story.append(doc.paragraph(_tie_note(category), "small"))
        empty = [c.category for c in result.categories if not c.rows]
        if empty:
            story.append(doc.paragraph(f"{'、'.join(empty)}：无人参评。", "small"))
        if members and result.rows():
            story.append(Paragraph("评分明细（各委员" + ("投票" if session.method == "vote" else "加权分") + "）", s.heading))
            detail = [[row.category, row.name, *[_member_cell(row.by_member.get(m.id)) for m in members]]
                      for row in result.rows()]
            story += doc.chunked_table(["类别", "姓名", *[m.name for m in members]], detail)
        story.append(_tally_tail(doc, result, members, recused))
        return doc.build(story)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{len(result.rows())} 人", tbl="nomination")
    return pages


# --- 表彰决定 and 事迹材料 ---------------------------------------------------------------------


def decision_pdf(path: str | Path, session_id: str, *, actor: Actor | None = None) -> int:
    """The naming decision, an official document; only once 表彰 has been decided, so no name is
    printed before its notice ended."""
    _check(actor)
    session = core.get_session(session_id)
    if session.phase != "award":
        raise CivDeskError("还没有作出表彰决定：公示期满、异议处理完毕并作出表彰决定后，才能打印表彰决定。")
    honoured = award_service.honoured(session.id)
    villages = _villages()
    notice = award_service.session_notice(session.id)
    office_name = office_service.own_name()
    base = award_service.honour_name(session.name)
    title = f"关于表彰{base}的决定"
    people = [(core.nominee_name(n), villages.get(Nominee.get_by_id(n.nominee_id).village_id, ""), n.category)
              for n in honoured]
    when = (f"（{chinese_date(notice.start_date)}至{chinese_date(notice.end_date)}）" if notice else "")
    names = "、".join(name for name, _, _ in people[:3]) + ("等" if len(people) > 3 else "")
    paragraphs = [
        "各村（社区）、镇属各单位：",
        f"为深入学习宣传先进典型，大力弘扬社会主义核心价值观，{office_name}组织开展了{session.name}活动。"
        f"经群众推荐、初审、评议委员会评议和社会公示{when}，决定授予{names}{len(people)}名同志“{base}”称号，予以通报表彰。",
        "希望受到表彰的同志珍惜荣誉、再接再厉，继续发挥示范引领作用。全镇广大干部群众要以先进典型为榜样，"
        "崇德向善、见贤思齐，为建设文明和谐的美好家园作出新的贡献。",
    ]
    rows = [[str(n), name, village, category] for n, (name, village, category) in enumerate(people, 1)]

    number = issue.number_for(actor, "nomination_decision", session.id, session.award_date.year, title)

    def write(target: str) -> int:
        doc = issue.official_document(Path(target), "nomination_decision", title, number=number,
                                      date=session.award_date, cc="区文明办")
        table = doc.table(["序号", "姓名", "村（社区）", "类别"], rows)
        return doc.build(paragraphs, attachments=[(f"{base}名单", table)], sign_date=session.award_date)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{len(people)} 人", tbl="nomination")
    return pages


def stories_pdf(path: str | Path, nomination_ids: list[str], *, actor: Actor | None = None,
                title: str = "事迹材料") -> int:
    """One 事迹材料 sheet per person (headline, photo, story), each starting a new page."""
    _check(actor)
    if not nomination_ids:
        raise CivDeskError("没有要打印事迹材料的人。")
    villages = _villages()
    items = [core.get(i) for i in nomination_ids]

    def write(target: str) -> int:
        doc = ReportDocument(Path(target), title, office_service.own_name())
        s = doc.styles
        story: list[Flowable] = []
        for number, nomination in enumerate(items):
            person = Nominee.get_by_id(nomination.nominee_id)
            if number:
                story.append(PageBreak())
            about = f"——记{villages.get(person.village_id, '')}{person.occupation}{person.name}"
            story += [doc.title_paragraph(nomination.summary or person.name, s.title), Paragraph(about, s.subtitle),
                      _photo(core.first_photo(nomination.id), 40 * mm, 52 * mm, s.cell), Spacer(1, 4 * mm),
                      doc.paragraph(f"推荐类别：{nomination.category}", "small"), Spacer(1, 2 * mm),
                      TextLines(nomination.story, doc.fonts.body, 12, 21)]
        return doc.build(story, title_block=False)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{len(items)} 人", tbl="nomination")
    return pages


def notice_pdf(path: str | Path, session_id: str, *, actor: Actor | None = None) -> int:
    _check(actor)
    from civdesk.notices.pdf import write_notice_list

    notice = award_service.session_notice(session_id)
    if notice is None:
        raise CivDeskError("本次评选还没有发布公示。")
    pages = write_notice_list(path, notice, columns=("姓名", "村（社区）、类别及事迹"))
    if actor is not None:
        audit_export(actor, notice.title, path, f"{len(notices.candidates(notice.id))} 人", tbl="public_notice")
    return pages
