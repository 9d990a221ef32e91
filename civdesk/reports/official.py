"""Official documents (notices, decisions, rectification notices) laid out per GB/T 9704-2012.

Geometry: A4, top margin 37 mm, left margin 28 mm, text block 156 × 225 mm; title 2号 (22 pt)
centred; body 3号 (16 pt) FangSong, 22 lines of 28 characters; page numbers "— 1 —" in 4号
(14 pt), 7 mm under the text block, odd pages on the right and even pages on the left, one
character in from the edge.

Why a line grid of our own instead of ReportLab's Paragraph: 28 characters of 16 pt are 448 pt
but the block is 156 mm = 442.2 pt wide. Word solves this with a character grid; we do the same
by drawing each line with a character spacing (PDF ``Tc``) of (442.2 − 28 × 16) / 27 ≈ −0.21 pt,
so the glyphs stay 16 pt and exactly 28 fit. Full lines are justified to the block's right edge.
Lines sit on a fixed pitch of 225 mm / 22 ≈ 29.0 pt, so a full page holds exactly 22 lines and the
first line's glyph box starts at the top of the block (37 mm from the paper's top edge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph

from civdesk.reports.document import chinese_date, chunked_table, key_value_table, report_styles
from civdesk.reports.fonts import FontSet, resolve_fonts
from civdesk.reports.grid import (  # noqa: F401 - re-exported: the geometry is the official document's
    _FIRST_LEVEL_HEADING,
    BLOCK_HEIGHT,
    BLOCK_WIDTH,
    BODY_CHAR_SPACE,
    BODY_SIZE,
    CHAR,
    CHARS_PER_LINE,
    LEFT_MARGIN,
    LINE_PITCH,
    LINES_PER_PAGE,
    MAX_JUSTIFY_SPACE,
    PAGE_HEIGHT,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    RED,
    TITLE_SIZE,
    TOP_MARGIN,
    GridLine,
    GridLines,
    _blank,
)
from civdesk.reports.masthead import SEAL_DIAMETER, HeadBlock, Imprint, ImprintBlock, Masthead  # noqa: F401
from civdesk.reports.text import extent, wrap_text
from civdesk.reports.titles import title_lines


class OfficialDocument:
    """A 公文 per GB/T 9704-2012: ``OfficialDocument(...).build(paragraphs, attachments, signature, sign_date)``."""

    def __init__(self, path_or_buffer: str | Path | IO[bytes], title: str, office_name: str,
                 doc_number: str | None = None, date: dt.date | None = None, fonts: FontSet | None = None, *,
                 masthead: Masthead | None = None, imprint: Imprint | None = None, note: str = "",
                 show_seal_area: bool = False):
        self.fonts = fonts or resolve_fonts()
        self.title = title
        self.office_name = office_name
        self.doc_number = doc_number
        self.date = date or dt.date.today()
        self.masthead = masthead
        self.imprint = imprint
        self.note = note  # 附注: 成文日期下一行, 居左空二字, in brackets
        self.show_seal_area = show_seal_area
        self.seal_area: tuple[float, float, float] | None = None  # (x, y, radius) in page points, bottom-left
        self.page_count = 0
        self._table_fonts = replace(self.fonts, body=self.fonts.fangsong)
        self._table_styles = report_styles(self._table_fonts, cell_size=12)
        target = str(path_or_buffer) if isinstance(path_or_buffer, Path) else path_or_buffer
        self._doc = BaseDocTemplate(
            target, pagesize=A4, leftMargin=LEFT_MARGIN, rightMargin=PAGE_WIDTH - LEFT_MARGIN - BLOCK_WIDTH,
            topMargin=TOP_MARGIN, bottomMargin=PAGE_HEIGHT - TOP_MARGIN - BLOCK_HEIGHT, title=title,
            author=office_name, subject=title, creator="CivDesk", producer="CivDesk (ReportLab)", lang="zh-CN",
            initialFontName=self.fonts.fangsong, initialFontSize=BODY_SIZE)
        frame = Frame(LEFT_MARGIN, PAGE_HEIGHT - TOP_MARGIN - BLOCK_HEIGHT, BLOCK_WIDTH, BLOCK_HEIGHT, id="block",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self._doc.addPageTemplates([PageTemplate(id="official", frames=[frame], onPage=self._page_number)])

    # -- lines -------------------------------------------------------------------------------

    def _body_lines(self, text: str, *, indent_chars: float = 2, hang: float | None = None,
                    font: str | None = None, justify: bool = True) -> list[GridLine]:
        font = font or self.fonts.fangsong
        first = indent_chars * CHAR
        rest = hang if hang is not None else 0.0
        wrapped = wrap_text(text, font, BODY_SIZE, BLOCK_WIDTH, first, rest, BODY_CHAR_SPACE)
        lines = []
        for number, (line, indent) in enumerate(wrapped):
            space = BODY_CHAR_SPACE
            last = number == len(wrapped) - 1
            if justify and not last and len(line) > 1:
                stretch = (BLOCK_WIDTH - indent - stringWidth(line, font, BODY_SIZE)) / (len(line) - 1)
                if BODY_CHAR_SPACE <= stretch <= MAX_JUSTIFY_SPACE:
                    space = stretch
            lines.append(GridLine(line, font, BODY_SIZE, indent, space))
        return lines

    def _centred(self, text: str, font: str, size: float) -> list[GridLine]:
        """Centred lines; a title that needs several lines is broken at word and phrase boundaries and
        shaped as a trapezoid or diamond (:func:`civdesk.reports.titles.title_lines`)."""
        return [GridLine(line, font, size, (BLOCK_WIDTH - stringWidth(line, font, size)) / 2)
                for line in title_lines(text, font, size, BLOCK_WIDTH)]

    @staticmethod
    def _is_heading(text: str) -> bool:
        text = text.strip()
        return bool(_FIRST_LEVEL_HEADING.match(text)) and len(text) <= CHARS_PER_LINE and "。" not in text[:-1]

    def _paragraph_lines(self, index: int, text: str) -> list[GridLine]:
        text = text.strip()
        if index == 0 and text.endswith(("：", ":")) and len(text) <= 2 * CHARS_PER_LINE:
            return self._body_lines(text, indent_chars=0, justify=False)  # 主送机关: flush left
        if self._is_heading(text):
            return self._body_lines(text, font=self.fonts.bold)  # 一级标题 in 黑体
        return self._body_lines(text)

    def _attachment_note(self, names: list[str]) -> list[GridLine]:
        """附件说明: 左空二字 "附件：", numbered when several; long names align with their first character."""
        font = self.fonts.fangsong
        label = "附件："
        lines: list[GridLine] = []
        label_end = 2 * CHAR + extent(label, font, BODY_SIZE, BODY_CHAR_SPACE) + BODY_CHAR_SPACE
        for number, name in enumerate(names, start=1):
            prefix = f"{number}．" if len(names) > 1 else ""
            head = (label if number == 1 else "") + prefix
            start = 2 * CHAR if number == 1 else label_end
            hang = label_end + (extent(prefix, font, BODY_SIZE, BODY_CHAR_SPACE) + BODY_CHAR_SPACE if prefix else 0)
            for line, indent in wrap_text(head + name, font, BODY_SIZE, BLOCK_WIDTH, start, hang, BODY_CHAR_SPACE):
                lines.append(GridLine(line, font, BODY_SIZE, indent, BODY_CHAR_SPACE))
        return lines

    def _signature_lines(self, signature: str, sign_date: dt.date | str, sealed: bool) -> list[GridLine]:
        """署名 and 成文日期 per GB/T 9704 §7.3.5: with a seal the date is 右空四字 and the office
        name centred over it; without a seal the name is 右空二字 and the date starts two characters
        to the right of it (or, when the date is longer, the date is 右空二字 and the name centred)."""
        font = self.fonts.fangsong
        date_text = chinese_date(sign_date) if isinstance(sign_date, dt.date) else str(sign_date)

        def width(text):
            return extent(text, font, BODY_SIZE, BODY_CHAR_SPACE)

        name_w, date_w = width(signature), width(date_text)
        if sealed:
            date_x = BLOCK_WIDTH - 4 * CHAR - date_w
            name_x = date_x + (date_w - name_w) / 2
        elif name_w >= date_w + 2 * CHAR:
            name_x = BLOCK_WIDTH - 2 * CHAR - name_w
            date_x = name_x + 2 * CHAR
        else:
            date_x = BLOCK_WIDTH - 2 * CHAR - date_w
            name_x = date_x + (date_w - name_w) / 2
        name_x = max(0.0, min(name_x, BLOCK_WIDTH - name_w))  # a very long name stays inside the block
        date_x = max(0.0, date_x)
        seal = self._seal if sealed else None
        lines = [GridLine(signature, font, BODY_SIZE, name_x, BODY_CHAR_SPACE, seal=seal)] if signature else []
        return lines + [GridLine(date_text, font, BODY_SIZE, date_x, BODY_CHAR_SPACE,
                                 seal=None if signature else seal)]

    def _seal(self, canvas, x: float, y: float) -> None:
        """印章 (§7.3.5.1): centred over 署名 and 成文日期, which sit under its centre, its top within one
        line of the body. Recorded for tests; drawn as a dashed outline only when asked (a preview)."""
        radius = SEAL_DIAMETER / 2
        page_x, page_y = canvas.absolutePosition(x, y)
        self.seal_area = (page_x, page_y, radius)
        if self.show_seal_area:
            canvas.saveState()
            canvas.setStrokeColor(RED)
            canvas.setDash(3, 3)
            canvas.circle(x, y, radius)
            canvas.restoreState()

    # -- flowables for attachments ------------------------------------------------------------

    def table(self, header: Sequence | None, rows: Sequence[Sequence], col_widths: Sequence[float] | None = None,
              repeat_header: bool = True) -> list[Flowable]:
        """A table for an attachment (名单, 汇总表) in FangSong 12 pt, as wide as the text block."""
        return chunked_table(header, rows, col_widths, repeat_header=repeat_header, styles=self._table_styles,
                             fonts=self._table_fonts, width=BLOCK_WIDTH)

    def key_value_table(self, pairs: Sequence[tuple[str, object]], col_widths: Sequence[float] | None = None,
                        columns: int = 1):
        return key_value_table(pairs, col_widths, columns, styles=self._table_styles, fonts=self._table_fonts,
                               width=BLOCK_WIDTH)

    # -- building ----------------------------------------------------------------------------

    def _page_number(self, canvas, doc) -> None:
        page = canvas.getPageNumber()
        text = f"— {page} —"
        font = self.fonts.body
        canvas.saveState()
        canvas.setFont(font, PAGE_NUMBER_SIZE)
        text_width = stringWidth(text, font, PAGE_NUMBER_SIZE)
        # The dashes' top edge 7 mm under the block; an em dash sits about 0.3 em over the baseline.
        baseline = PAGE_HEIGHT - TOP_MARGIN - BLOCK_HEIGHT - 7 * mm - 0.35 * PAGE_NUMBER_SIZE
        if page % 2:
            x = LEFT_MARGIN + BLOCK_WIDTH - PAGE_NUMBER_SIZE - text_width
        else:
            x = LEFT_MARGIN + PAGE_NUMBER_SIZE
        canvas.drawString(x, baseline, text)
        canvas.restoreState()
        self.page_count = max(self.page_count, page)

    def _attachment_pages(self, attachments: list, names: list[str | None]) -> list[Flowable]:
        story: list[Flowable] = []
        many = len(attachments) > 1
        for number, (item, name) in enumerate(zip(attachments, names, strict=True), start=1):
            content = item[1] if isinstance(item, tuple) else item
            story.append(PageBreak())
            head = [GridLine(f"附件{number}" if many else "附件", self.fonts.bold, BODY_SIZE)]
            if name:
                head += [_blank(self.fonts.bold), *self._centred(name, self.fonts.title, TITLE_SIZE),
                         _blank(self.fonts.bold)]
            story.append(GridLines(head, keep_tail=len(head)))
            for part in content if isinstance(content, (list, tuple)) else [content]:
                if isinstance(part, str):
                    style = ParagraphStyle("attachment", fontName=self.fonts.fangsong, fontSize=BODY_SIZE,
                                           leading=LINE_PITCH, wordWrap="CJK", firstLineIndent=2 * BODY_SIZE)
                    story.append(Paragraph(escape(part), style))
                else:
                    story.append(part)
        return story

    def _front(self) -> list[Flowable]:
        """版头 (or the bare document number) and the title, each kept with the text after it."""
        fangsong = self.fonts.fangsong
        story: list[Flowable] = []
        m = self.masthead
        if m is not None and (m.draws_head or m.copy_number or m.secrecy or m.urgency or m.signers):
            story.append(HeadBlock(self, m, self.doc_number))
        elif self.doc_number:
            number = self._centred(self.doc_number, fangsong, BODY_SIZE)
            story.append(GridLines([*number, _blank(fangsong), _blank(fangsong)], keep_tail=len(number) + 2,
                                   rules_after=[len(number) - 1]))
        title = self._centred(self.title, self.fonts.title, TITLE_SIZE)
        story.append(GridLines([*title, _blank(fangsong)], keep_tail=len(title) + 1))
        return story

    def build(self, paragraphs: Sequence[str | Flowable], attachments: Sequence | None = None,
              signature: str | None = None, sign_date: dt.date | str | None = None, *,
              sealed: bool = True) -> int:
        """Write the document and return its page count.

        *paragraphs*: body text, one string per paragraph (first-line indent two characters); a
        first paragraph ending in "：" is the addressee (主送机关) and starts flush left; a short
        paragraph starting "一、" is a first-level heading in the bold (Hei) face. Flowables pass
        through unchanged. *attachments*: flowables (or lists of them, or text), or (name, content)
        pairs whose names are listed in the 附件说明; each starts on a new page under "附件N".
        *signature* defaults to the office name, *sign_date* to the document's date. *sealed*:
        the office will stamp it (date 右空四字, room for the seal above the signature).
        """
        attachments = list(attachments or [])
        names = [item[0] if isinstance(item, tuple) else None for item in attachments]
        signature = self.office_name if signature is None else signature
        sign_date = self.date if sign_date is None else sign_date
        fangsong = self.fonts.fangsong

        story: list[Flowable] = self._front()

        blocks: list[Flowable] = []
        heading: list[GridLine] = []  # a heading waits to be joined to the text that follows it
        for index, paragraph in enumerate(paragraphs):
            if isinstance(paragraph, Flowable):
                blocks += [GridLines(heading)] if heading else []
                blocks.append(paragraph)
                heading = []
                continue
            lines = self._paragraph_lines(index, paragraph)
            if self._is_heading(paragraph):
                heading += lines
                continue
            keep = len(heading) + min(2, len(lines)) if heading else 0
            blocks.append(GridLines(heading + lines, keep_head=keep))
            heading = []
        if heading:
            blocks.append(GridLines(heading))
        tail: list[GridLine] = []
        if any(names):
            tail += [_blank(fangsong), *self._attachment_note([n for n in names if n])]
        tail += [_blank(fangsong)] * (2 if sealed else 1) + self._signature_lines(signature, sign_date, sealed)
        if self.note:  # 附注: 居左空二字加圆括号, 成文日期下一行
            note = self.note if self.note.startswith("（") else f"（{self.note}）"
            tail += self._body_lines(note, justify=False)
        # The signature never stands alone on a page: the last lines of the body go with it.
        last = blocks[-1] if blocks and isinstance(blocks[-1], GridLines) else None
        if last is not None:
            blocks[-1] = GridLines(last.lines + tail, keep_tail=len(tail) + min(2, len(last.lines)),
                                   keep_head=last.keep_head)
        else:
            blocks.append(GridLines(tail, keep_tail=len(tail)))
        story += blocks
        story += self._attachment_pages(attachments, names)
        if self.imprint is not None:
            story.append(ImprintBlock(self, self.imprint))
        self._doc.build(story)
        return self.page_count


def line_geometry() -> dict[str, float]:
    """The layout's numbers in millimetres, for tests and the settings screen's explanation."""
    return {"top": TOP_MARGIN / mm, "left": LEFT_MARGIN / mm, "width": BLOCK_WIDTH / mm,
            "height": BLOCK_HEIGHT / mm, "line_pitch": LINE_PITCH / mm, "char_pitch": CHAR / mm}


