"""The page template every ordinary report uses: A4, office and title in the header,
"第 X 页 共 Y 页" and the print date in the footer, Chinese paragraph styles and long tables.

Everything is drawn as real text in an embedded font, so a PDF text extractor gets back exactly
what was printed (tests rely on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit_module
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph_module

from civdesk.reports.fonts import FontSet, resolve_fonts
from civdesk.reports.numbers import chinese_date, number  # chinese_date: many import it from here
from civdesk.reports.text import CLOSING
from civdesk.reports.titles import title_lines
from civdesk.reports.widths import PADDING, cell_text, header_markup, measured_widths, numeric_columns

# ReportLab keeps some punctuation off the start of a line (hanging it in the margin instead) but
# its list lacks the full-width Chinese marks; a line starting with "，" looks broken to any reader.
for _module in (_paragraph_module, _textsplit_module):
    _module.ALL_CANNOT_START = "".join(dict.fromkeys(_module.ALL_CANNOT_START + CLOSING))

MAX_CHUNK = 200
KEEP_ROWS = 3  # rows of a table kept on the page of what must follow it (keep_with)
HEADER_FILL = colors.HexColor("#DCE6F2")
ZEBRA_FILL = colors.HexColor("#F3F6FA")
LABEL_FILL = colors.HexColor("#F0F0F0")
GRID_COLOR = colors.HexColor("#8C8C8C")
RULE_COLOR = colors.HexColor("#606060")
# Plain spaces are narrow in WenQuanYi (0.26 em): without two points more between the words,
# pdftotext -layout reads the footer of a sparse page as "第1页共1页".
FOOTER_WORD_SPACE = 2.0


def numbered_canvas(decorate: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas class that holds pages back until the end so *decorate* knows the page total.

    ``decorate(canvas, page_number, page_count)`` draws headers and footers on each page.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                decorate(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


@dataclass(frozen=True)
class ReportStyles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_number: ParagraphStyle
    cell_header: ParagraphStyle
    cell_label: ParagraphStyle


def report_styles(fonts: FontSet, cell_size: float = 9.0) -> ReportStyles:
    """Paragraph styles; *cell_size* scales the table cells (official attachments use 12 pt)."""

    def style(name, font, size, leading, **extra):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **extra)

    cell_leading = round(cell_size * 4 / 3, 1)

    return ReportStyles(
        title=style("title", fonts.title, 18, 26, alignment=TA_CENTER, spaceAfter=4),
        subtitle=style("subtitle", fonts.body, 10.5, 15, alignment=TA_CENTER, spaceAfter=8,
                       textColor=colors.HexColor("#404040")),
        heading=style("heading", fonts.bold, 13, 19, spaceBefore=8, spaceAfter=4),
        body=style("body", fonts.body, 10.5, 17, spaceAfter=4, firstLineIndent=21),
        small=style("small", fonts.body, 9, 13, spaceBefore=3, textColor=colors.HexColor("#404040")),
        cell=style("cell", fonts.body, cell_size, cell_leading, alignment=TA_LEFT),
        cell_number=style("cell_number", fonts.body, cell_size, cell_leading, alignment=TA_RIGHT),
        cell_header=style("cell_header", fonts.bold, cell_size, cell_leading, alignment=TA_CENTER),
        cell_label=style("cell_label", fonts.bold, cell_size, cell_leading, alignment=TA_LEFT),
    )


def _cell(value, styles: ReportStyles, style: ParagraphStyle | None = None, markup: bool = False) -> Flowable:
    if isinstance(value, Flowable):
        return value
    if value is None:
        return Paragraph("", style or styles.cell)
    if isinstance(value, bool):
        return Paragraph("是" if value else "否", style or styles.cell)
    if isinstance(value, (int, float, Decimal)):
        text = number(value)
        return Paragraph(escape(text), style or styles.cell_number)
    text = str(value) if markup else escape(str(value))
    return Paragraph(text.replace("\n", "<br/>"), style or styles.cell)


class _ChunkTable(Flowable):
    """Up to MAX_CHUNK rows of a long table that splits itself across pages.

    It prints the header row when it starts the table or starts a page, never in the middle of a
    page where the previous chunk left off; stripes continue across chunks and pages.
    """

    def __init__(self, header: list[Flowable] | None, rows: list[list[Flowable]], col_widths: list[float],
                 fonts: FontSet, start: int, first: bool, repeat_header: bool):
        super().__init__()
        self.header, self.rows, self.col_widths = header, rows, col_widths
        self.fonts, self.start, self.first, self.repeat_header = fonts, start, first, repeat_header
        self._table: tuple[bool, Table] | None = None

    def _wants_header(self) -> bool:
        if self.header is None:
            return False
        if self.first:
            return True
        frame = getattr(self, "_frame", None)
        return self.repeat_header and bool(frame is not None and frame._atTop)

    def _make(self, rows: list[list[Flowable]], with_header: bool) -> Table:
        data = ([self.header] if with_header else []) + rows
        top = 1 if with_header else 0
        stripes = [colors.white, ZEBRA_FILL] if self.start % 2 == 0 else [ZEBRA_FILL, colors.white]
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if rows:
            commands.append(("ROWBACKGROUNDS", (0, top), (-1, -1), stripes))
        if with_header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
        return Table(data, colWidths=self.col_widths, style=TableStyle(commands), repeatRows=0, hAlign="LEFT")

    def _inner(self) -> Table:
        with_header = self._wants_header()
        if self._table is None or self._table[0] != with_header:
            self._table = (with_header, self._make(self.rows, with_header))
        return self._table[1]

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        self.width, self.height = self._inner().wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802
        assert self._table is not None, "wrap() comes before drawOn()"
        self._table[1].drawOn(canvas, x, y, _sW)

    def split(self, availWidth, availHeight):  # noqa: N803
        table = self._inner()
        table.wrap(availWidth, availHeight)
        with_header = self._table[0]
        heights = table._rowHeights
        used = heights[0] if with_header else 0.0
        fit = 0
        for height in heights[1 if with_header else 0:]:
            if used + height > availHeight + 1e-6:
                break
            used += height
            fit += 1
        if fit == 0:
            return []  # not even one row: the frame moves on and we start the next page, header and all
        if fit >= len(self.rows):
            return [self]
        head = self._make(self.rows[:fit], with_header)
        rest = _ChunkTable(self.header, self.rows[fit:], self.col_widths, self.fonts, self.start + fit,
                           False, self.repeat_header)
        return [head, rest]


def column_widths(width: float, columns: int, col_widths: Sequence[float] | None) -> list[float]:
    """Points as given, fractions of *width* when they sum to 1, equal columns for None."""
    if col_widths is None:
        return [width / columns] * columns
    widths = list(col_widths)
    if len(widths) != columns:
        raise ValueError(f"{columns} columns but {len(widths)} widths")
    if sum(widths) <= 1.0001:
        widths = [width * w for w in widths]
    return widths


def chunked_table(header: Sequence | None, rows: Iterable[Sequence], col_widths: Sequence[float] | None = None,
                  chunk: int = MAX_CHUNK, repeat_header: bool = True, *, styles: ReportStyles, fonts: FontSet,
                  width: float, keep_with: Sequence[Flowable] = ()) -> list[Flowable]:
    """A long table as flowables of at most *chunk* (≤ 200) rows each.

    One giant ReportLab Table costs more than linear time to split across pages; chunks keep it
    linear. *col_widths* are points, or fractions of *width* summing to 1, or None (the usual) for
    widths measured from the content (civdesk/reports/widths.py). Cells may be text, numbers,
    None or flowables; a column of numbers is right-aligned. A header wraps at its separators
    (「已评/应评」 after the slash); a wrapped text cell never ends with a line of one or two
    characters. With *repeat_header* the header row starts every page the table runs onto.
    *keep_with*: flowables (a note, a signature block) kept on one page with the last KEEP_ROWS
    rows, so a signature line never stands alone on a page.
    """
    chunk = max(1, min(chunk, MAX_CHUNK))
    rows = [list(row) for row in rows]
    columns = len(header) if header else (len(rows[0]) if rows else 1)
    if col_widths is None:
        widths = measured_widths(header, rows, width, font=styles.cell.fontName, columns=columns,
                                 header_font=styles.cell_header.fontName, size=styles.cell.fontSize)
    else:
        widths = column_widths(width, columns, col_widths)
    header_cells = None
    if header:
        header_cells = [_cell(header_markup(escape(h), styles.cell_header.fontName, styles.cell.fontSize,
                                            w - PADDING), styles, styles.cell_header, markup=True)
                        if isinstance(h, str) else _cell(h, styles, styles.cell_header)
                        for h, w in zip(header, widths, strict=False)]
    numbers = numeric_columns(rows, columns)
    font, size = styles.cell.fontName, styles.cell.fontSize
    body = [[_cell(value, styles, styles.cell_number if c < columns and numbers[c] else None)
             if not isinstance(value, str) or c >= columns or numbers[c]
             else _cell(cell_text(value, font, size, widths[c] - PADDING), styles)
             for c, value in enumerate(row)] for row in rows]
    if not body:
        return [_ChunkTable(header_cells, [], widths, fonts, 0, True, repeat_header)] if header_cells else []
    tail = min(len(body), KEEP_ROWS) if keep_with else 0
    lead = len(body) - tail
    found: list[Flowable] = [_ChunkTable(header_cells, body[i:min(i + chunk, lead)], widths, fonts, i, i == 0,
                                         repeat_header) for i in range(0, lead, chunk)]
    if keep_with:  # the last rows and what must follow them (a signature block) on one page
        found.append(KeepTogether([_ChunkTable(header_cells, body[lead:], widths, fonts, lead, lead == 0,
                                               repeat_header), *keep_with]))
    return found


def key_value_table(pairs: Iterable[tuple[str, object]], col_widths: Sequence[float] | None = None,
                    columns: int = 1, *, styles: ReportStyles, fonts: FontSet, width: float) -> Table:
    """Label | value rows (*columns* pairs per row), labels shaded; values are left-aligned."""
    pairs = list(pairs)
    cells = [(_cell(label, styles, styles.cell_label), _cell(value, styles, styles.cell)) for label, value in pairs]
    data = []
    for i in range(0, len(cells), columns):
        row: list[Flowable | str] = []
        for label, value in cells[i:i + columns]:
            row += [label, value]
        row += [""] * (2 * columns - len(row))
        data.append(row)
    if col_widths is None:  # labels as wide as the widest label, the values the rest
        label = max((stringWidth(str(name), styles.cell_label.fontName, styles.cell_label.fontSize)
                     for name, _ in pairs), default=0.0) + PADDING + 6
        label = min(max(label, 0.1 * width / columns), 0.4 * width / columns)
        col_widths = [label, width / columns - label] * columns
    widths = column_widths(width, 2 * columns, col_widths)
    commands = [("FONTNAME", (0, 0), (-1, -1), fonts.body),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOR), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5)]
    commands += [("BACKGROUND", (2 * c, 0), (2 * c, -1), LABEL_FILL) for c in range(columns)]
    return Table(data or [["", ""]], colWidths=widths, style=TableStyle(commands), hAlign="LEFT")


def sign_line(doc: ReportDocument, parts: Sequence[str]) -> Table:
    """A signature line: 「测评人（签字）：」「复核人（签字）：」「日期：　年　月　日」 spread over the width
    in equal parts, each with room to sign, on one line however wide the page."""
    style = ParagraphStyle("sign", parent=doc.styles.body, firstLineIndent=0, spaceAfter=0)
    # Paragraphs collapse runs of spaces, full-width ones too: the room to write is kept as no-break spaces.
    cells = [Paragraph(escape(part).replace("　", "\u00a0" * 4), style) for part in parts]
    return Table([cells], colWidths=[doc.width / len(parts)] * len(parts), hAlign="LEFT",
                 style=TableStyle([("FONTNAME", (0, 0), (-1, -1), doc.fonts.body),  # no unused Helvetica
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))


class ReportDocument:
    """An ordinary report: ``doc = ReportDocument(...); doc.build([...])``."""

    def __init__(self, path_or_buffer: str | Path | IO[bytes], title: str, office_name: str,
                 fonts: FontSet | None = None, landscape: bool = False, date: dt.date | None = None,
                 subject: str = ""):
        self.fonts = fonts or resolve_fonts()
        self.title = title
        self.office_name = office_name
        self.date = date or dt.date.today()
        self.pagesize = to_landscape(A4) if landscape else A4
        self.styles = report_styles(self.fonts)
        self.page_count = 0
        self.left = self.right = 18 * mm
        self.top, self.bottom = 22 * mm, 20 * mm
        target = str(path_or_buffer) if isinstance(path_or_buffer, Path) else path_or_buffer
        self._doc = BaseDocTemplate(
            target, pagesize=self.pagesize, leftMargin=self.left, rightMargin=self.right,
            topMargin=self.top, bottomMargin=self.bottom, title=title, author=office_name,
            subject=subject or title, creator="CivDesk", producer="CivDesk (ReportLab)", lang="zh-CN",
            initialFontName=self.fonts.body, initialFontSize=10.5)
        frame = Frame(self.left, self.bottom, self.width, self.pagesize[1] - self.top - self.bottom,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self._doc.addPageTemplates([PageTemplate(id="report", frames=[frame])])

    @property
    def width(self) -> float:
        """Usable width in points, for column widths."""
        return self.pagesize[0] - self.left - self.right

    # -- flowables ---------------------------------------------------------------------------

    def paragraph(self, text: str, style: str = "body", *, markup: bool = False) -> Paragraph:
        """A paragraph of plain text (escaped unless *markup*), wrapped the Chinese way."""
        body = text if markup else escape(text).replace("\n", "<br/>")
        return Paragraph(body, getattr(self.styles, style))

    def title_paragraph(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A title (or a headline) broken at word and phrase boundaries, centred."""
        style = style or self.styles.title
        lines = title_lines(text, style.fontName, style.fontSize, self._doc.width)
        return Paragraph("<br/>".join(escape(line) for line in lines), style)

    def title_block(self, subtitle: str | None = None) -> list[Flowable]:
        items: list[Flowable] = [self.title_paragraph(self.title)]
        if subtitle:
            items.append(Paragraph(escape(subtitle), self.styles.subtitle))
        else:
            items.append(Spacer(1, 4 * mm))
        return items

    def chunked_table(self, header: Sequence | None, rows: Iterable[Sequence], col_widths: Sequence[float] | None = None,
                      chunk: int = MAX_CHUNK, repeat_header: bool = True,
                      keep_with: Sequence[Flowable] = ()) -> list[Flowable]:
        """A long table as flowables of at most *chunk* (≤ 200) rows each; see :func:`chunked_table`."""
        return chunked_table(header, rows, col_widths, chunk, repeat_header, styles=self.styles, fonts=self.fonts,
                             width=self.width, keep_with=keep_with)

    def key_value_table(self, pairs: Iterable[tuple[str, object]], col_widths: Sequence[float] | None = None,
                        columns: int = 1) -> Table:
        """Label | value rows (*columns* pairs per row), labels shaded, for record details."""
        return key_value_table(pairs, col_widths, columns, styles=self.styles, fonts=self.fonts, width=self.width)

    # -- pages -------------------------------------------------------------------------------

    def _decorate(self, canvas: Canvas, page: int, total: int) -> None:
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFillColor(RULE_COLOR)
        canvas.setStrokeColor(RULE_COLOR)
        canvas.setLineWidth(0.6)
        rule_y = height - self.top + 4 * mm
        canvas.setFont(self.fonts.body, 9)
        canvas.drawString(self.left, rule_y + 2 * mm, self.office_name)
        canvas.drawRightString(width - self.right, rule_y + 2 * mm, self.title)
        canvas.line(self.left, rule_y, width - self.right, rule_y)
        foot_y = self.bottom - 10 * mm
        canvas.line(self.left, self.bottom - 4 * mm, width - self.right, self.bottom - 4 * mm)
        canvas.drawCentredString(width / 2, foot_y, f"第 {page} 页 共 {total} 页", wordSpace=FOOTER_WORD_SPACE)
        canvas.drawRightString(width - self.right, foot_y, f"打印日期：{chinese_date(self.date)}")
        canvas.restoreState()
        self.page_count = total

    def build(self, flowables: Iterable[Flowable], title_block: bool = True, subtitle: str | None = None) -> int:
        """Lay out and write the PDF; returns the page count."""
        story = (self.title_block(subtitle) if title_block else []) + list(flowables)
        if not story:
            story = [Spacer(1, 1)]
        self._doc.build(story, canvasmaker=numbered_canvas(self._decorate))
        return self.page_count
