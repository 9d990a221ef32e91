"""志愿服务记录证明 as PDF: one A4 page per certificate, one certificate or a batch in one file.

Each certificate is one fixed-size flowable that lays out its own page (title, personal data,
the statement, as many service records as fit, the QR code with the check code, and the place
for the seal), so a batch of a thousand pages costs a thousand simple layouts: no long
Paragraph wrapping, no page-splitting tables. Lines are broken with ``text.wrap_text`` (numbers
and ID numbers never split), table cells are plain strings; the QR code is ``qr.draw_qr``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress, Ticker
from civdesk.reports.document import GRID_COLOR, HEADER_FILL, LABEL_FILL, ReportDocument, chinese_date
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.official import MAX_JUSTIFY_SPACE
from civdesk.reports.output import CANCELLED, audit_export
from civdesk.reports.qr import draw_qr, format_check_code
from civdesk.reports.text import keep_whole, wrap_text
from civdesk.volunteers import certificates as certificate_service
from civdesk.volunteers.certificates import CertificateDetails
from civdesk.volunteers.models import Certificate

TITLE = "志愿服务记录证明"
BORDER = colors.HexColor("#8E1B1B")
SEAL_GREY = colors.HexColor("#A0A0A0")
NOTE_GREY = colors.HexColor("#505050")
PAD = 11 * mm               # inside the border
SUMMARY_TOP = 5             # service categories named in the statement
CELL_SIZE, CELL_LEADING = 9.0, 11.6
CELL_PAD_TOP, CELL_PAD_BOTTOM, CELL_PAD_X = 2.8, 2.8, 4.0
INFO_SIZE, INFO_LEADING, INFO_LABEL = 10.5, 15.0, 25 * mm
MAX_CELL_LINES = 2          # a longer activity or content is cut with "…"


def hours_text(half_hours: int) -> str:
    return f"{half_hours / 2:g}"


# --- one certificate page --------------------------------------------------------------------------


def _cut(lines: list[tuple[str, float]], font: str, size: float, width: float) -> list[str]:
    texts = [line for line, _ in lines]
    if len(texts) <= MAX_CELL_LINES:
        return texts
    last = texts[MAX_CELL_LINES - 1]
    while last and stringWidth(last + "…", font, size) > width:
        last = last[:-1]
    return [*texts[:MAX_CELL_LINES - 1], last + "…"]


def _cell_lines(text: str, font: str, width: float) -> list[str]:
    text = " ".join(str(text or "").split())
    if not text:
        return [""]
    if stringWidth(text, font, CELL_SIZE) <= width:
        return [text]
    return _cut(wrap_text(text[:120], font, CELL_SIZE, width), font, CELL_SIZE, width)


def summary_text(summary: Sequence[tuple[str, int]]) -> str:
    if not summary:
        return ""
    shown = "、".join(keep_whole(f"{label} {hours_text(half)}小时") for label, half in summary[:SUMMARY_TOP])
    return shown + ("等" if len(summary) > SUMMARY_TOP else "")


def statement(cert: CertificateDetails) -> list[str]:
    """The paragraphs of the certificate text."""
    # Numbers, dates and codes run on with the Chinese text, without spaces (reports/numbers.py).
    who = f"兹证明{cert.name}（{cert.id_type or '证件'}：{cert.id_number}）系本单位登记的注册志愿者，志愿者编号{cert.volunteer_number}"
    if cert.join_date:
        who += f"，注册日期{chinese_date(cert.join_date)}"
    if cert.period_from or cert.period_to:
        when = f"该志愿者于{certificate_service.period_text(cert.period_from, cert.period_to)}"
        when += "期间" if cert.period_from and cert.period_to else ""
    else:
        when = f"截至{chinese_date(cert.issued_date)}，该志愿者"
    text = f"{who}。经查询本单位志愿服务记录，{when}累计志愿服务时长{hours_text(cert.half_hours)}小时"
    topics = summary_text(cert.summary)
    text += f"，主要服务内容为：{topics}。" if topics else "。"
    closing = f"本证明用于{cert.purpose.rstrip('。')}。" if cert.purpose else ""
    return [text, closing + "以上情况属实，特此证明。"]


@dataclass
class Cell:
    lines: list[str]
    font: str
    align: str = "left"
    fill: object = None
    span: int = 1


def row_height(lines: int, leading: float) -> float:
    return lines * leading + CELL_PAD_TOP + CELL_PAD_BOTTOM


def record_widths(width: float) -> list[float]:
    return [24 * mm, 42 * mm, width - 24 * mm - 42 * mm - 22 * mm, 22 * mm]


def _fit(text: str, font: str, size: float, width: float) -> list[str]:
    return [line for line, _ in wrap_text(text, font, size, width)] if stringWidth(text, font, size) > width else [text]


def draw_grid(canvas: Canvas, x: float, top: float, widths: list[float], rows: list[list[Cell]], size: float,
              leading: float, *, box_width: float = 0.0) -> float:
    """A ruled table of plain text cells, drawn directly (a ReportLab Table costs several times
    more per cell); rows are as tall as their tallest cell, text centred vertically. Returns the
    y of its bottom edge."""
    heights = [row_height(max(len(cell.lines) for cell in row), leading) for row in rows]
    edges = [x]
    for width in widths:
        edges.append(edges[-1] + width)
    boxes = []  # (cell, x0, x1, y0, y1)
    y = top
    for row, height in zip(rows, heights, strict=True):
        column = 0
        for cell in row:
            boxes.append((cell, edges[column], edges[column + cell.span], y - height, y))
            column += cell.span
        y -= height
    canvas.saveState()
    for cell, x0, x1, y0, y1 in boxes:
        if cell.fill is not None:
            canvas.setFillColor(cell.fill)
            canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for cell, x0, x1, y0, y1 in boxes:
        canvas.setFont(cell.font, size)
        middle = (y0 + CELL_PAD_BOTTOM + y1 - CELL_PAD_TOP) / 2 + len(cell.lines) * leading / 2
        for number, line in enumerate(cell.lines):
            baseline = middle - (number + 0.5) * leading - 0.36 * size
            if cell.align == "center":
                canvas.drawCentredString((x0 + x1) / 2, baseline, line)
            elif cell.align == "right":
                canvas.drawRightString(x1 - CELL_PAD_X, baseline, line)
            else:
                canvas.drawString(x0 + CELL_PAD_X, baseline, line)
    path = canvas.beginPath()
    for _, x0, x1, y0, y1 in boxes:
        path.rect(x0, y0, x1 - x0, y1 - y0)
    canvas.setStrokeColor(GRID_COLOR)
    canvas.setLineWidth(0.4)
    canvas.drawPath(path, stroke=1, fill=0)
    if box_width:
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(box_width)
        canvas.rect(x, y, edges[-1] - x, top - y)
    canvas.restoreState()
    return y


class CertificatePage(Flowable):
    """One certificate filling the whole frame of a page."""

    def __init__(self, cert: CertificateDetails, fonts: FontSet, height: float, on_drawn: Callable[[], None] | None = None):
        super().__init__()
        self.cert, self.fonts, self.fixed_height, self.on_drawn = cert, fonts, height, on_drawn

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        self.width, self.height = availWidth, self.fixed_height
        return self.width, self.height

    # -- pieces ------------------------------------------------------------------------------

    def _text(self, text: str, x: float, y: float, font: str, size: float, align: str = "left",
              color=colors.black) -> None:
        canvas = self.canv
        canvas.setFont(font, size)
        canvas.setFillColor(color)
        if align == "center":
            canvas.drawCentredString(x, y, text)
        elif align == "right":
            canvas.drawRightString(x, y, text)
        else:
            canvas.drawString(x, y, text)

    def _paragraph(self, text: str, x: float, top: float, width: float, font: str, size: float,
                   leading: float, indent: float) -> float:
        """Draw wrapped, justified text from *top* down; returns the new top."""
        canvas = self.canv
        canvas.setFont(font, size)
        canvas.setFillColor(colors.black)
        lines = wrap_text(text, font, size, width, indent)
        ascent = getAscent(font, size)
        for number, (line, left) in enumerate(lines):
            space = 0.0
            if number < len(lines) - 1 and len(line) > 1:
                stretch = (width - left - stringWidth(line, font, size)) / (len(line) - 1)
                if 0 < stretch <= MAX_JUSTIFY_SPACE:
                    space = stretch
            canvas.drawString(x + left, top - ascent, line, charSpace=space)
            top -= leading
        return top

    def _info_table(self, width: float) -> list[list[Cell]]:
        cert, fonts = self.cert, self.fonts
        period = certificate_service.period_text(cert.period_from, cert.period_to) or \
            f"截至{chinese_date(cert.issued_date)}的全部记录"
        pairs = [("姓名", cert.name, "性别", cert.sex or "—"),
                 ("证件类型", cert.id_type or "—", "证件号码", cert.id_number),
                 ("志愿者编号", cert.volunteer_number, "注册日期", chinese_date(cert.join_date) if cert.join_date else "—"),
                 ("记录单位", cert.unit_name, "累计服务时长", f"{hours_text(cert.half_hours)}小时")]
        value_width = width / 2 - INFO_LABEL - 10
        rows = [[Cell([a], fonts.bold, fill=LABEL_FILL), Cell(_fit(b, fonts.body, INFO_SIZE, value_width), fonts.body),
                 Cell([c], fonts.bold, fill=LABEL_FILL), Cell(_fit(d, fonts.body, INFO_SIZE, value_width), fonts.body)]
                for a, b, c, d in pairs]
        rows.append([Cell(["统计时段"], fonts.bold, fill=LABEL_FILL), Cell([period], fonts.body, span=3)])
        return rows

    def _records(self, width: float, room: float) -> tuple[list[list[Cell]], int]:
        """Rows of the most recent records that fit in *room* points, oldest first; (rows, shown)."""
        fonts = self.fonts
        inner = [w - 2 * CELL_PAD_X for w in record_widths(width)]
        header = [Cell([text], fonts.bold, "center", HEADER_FILL) for text in ("服务日期", "活动名称", "服务内容", "时长（小时）")]
        used = row_height(1, CELL_LEADING)
        rows: list[list[Cell]] = []
        for line in reversed(self.cert.records):
            activity = _cell_lines(line.activity or "—", fonts.body, inner[1])
            content = _cell_lines(line.content, fonts.body, inner[2])
            height = row_height(max(len(activity), len(content)), CELL_LEADING)
            if used + height > room:
                break
            used += height
            rows.append([Cell([line.date.isoformat()], fonts.body, "center"), Cell(activity, fonts.body),
                         Cell(content, fonts.body), Cell([hours_text(line.half_hours)], fonts.body, "right")])
        if not rows:
            return [], 0
        rows.reverse()
        return [header, *rows], len(rows)

    def _bottom(self, left: float, width: float, bottom: float) -> float:
        """QR code, check code and how to verify on the left; the seal box on the right. Returns its top."""
        cert, fonts, canvas = self.cert, self.fonts, self.canv
        side = 23 * mm
        draw_qr(canvas, cert.qr_text, left, bottom + 2 * mm, side)
        text_x = left + side + 4 * mm
        top = bottom + side
        self._text(f"校验码：{format_check_code(cert.check_code)}", text_x, top - 9, fonts.bold, 11.5)
        note = ("核验方法：扫描二维码，或在 CivDesk「志愿服务 → 证明核验」中输入证明编号和校验码，"
                "可查验本证明是否与登记簿一致。")
        self.canv.setFillColor(NOTE_GREY)
        note_width = width * 0.5 - side
        y = top - 16
        for line, _ in wrap_text(note, fonts.body, 8, note_width):
            self._text(line, text_x, y - 8, fonts.body, 8, color=NOTE_GREY)
            y -= 11
        # The seal: a dashed box, right-aligned, with the unit's name and the issue date in it.
        box_w, box_h = 66 * mm, 34 * mm
        box_x = left + width - box_w
        box_y = bottom + 7 * mm
        canvas.saveState()
        canvas.setStrokeColor(SEAL_GREY)
        canvas.setLineWidth(0.6)
        canvas.setDash(3, 2)
        canvas.roundRect(box_x, box_y, box_w, box_h, 2 * mm, stroke=1, fill=0)
        canvas.restoreState()
        centre = box_x + box_w / 2
        self._text("（盖章）", box_x + box_w - 3 * mm, box_y + box_h - 6 * mm, fonts.body, 9, "right", SEAL_GREY)
        self._text(f"记录单位：{cert.unit_name}", centre, box_y + box_h / 2 + 1 * mm, fonts.fangsong, 13, "center")
        self._text(chinese_date(cert.issued_date), centre, box_y + box_h / 2 - 7 * mm, fonts.fangsong, 13, "center")
        contact = f"联系电话：{cert.issuer_contact}" if cert.issuer_contact else "联系电话：________________"
        self._text(contact, left + width, bottom, fonts.body, 9.5, "right")
        return bottom + max(side, box_h + 7 * mm)

    # -- the page --------------------------------------------------------------------------------

    def draw(self):
        cert, fonts, canvas = self.cert, self.fonts, self.canv
        width, height = self.width, self.height
        canvas.saveState()
        canvas.setStrokeColor(BORDER)
        canvas.setLineWidth(1.8)
        canvas.rect(0, 0, width, height)
        canvas.setLineWidth(0.5)
        canvas.rect(1.6 * mm, 1.6 * mm, width - 3.2 * mm, height - 3.2 * mm)
        canvas.restoreState()
        left, inner = PAD, width - 2 * PAD
        top = height - PAD - 1 * mm
        self._text(TITLE, width / 2, top - 24, fonts.title, 26, "center")
        top -= 24 + 8 * mm
        self._text(f"证明编号：{cert.number}", left + inner, top, fonts.body, 10.5, "right")
        top -= 4 * mm
        info_widths = [INFO_LABEL, inner / 2 - INFO_LABEL, INFO_LABEL, inner / 2 - INFO_LABEL]
        top = draw_grid(canvas, left, top, info_widths, self._info_table(inner), INFO_SIZE, INFO_LEADING,
                        box_width=0.9)
        top -= 6 * mm
        for number, text in enumerate(statement(cert)):
            top = self._paragraph(text, left, top, inner, fonts.fangsong, 13.5, 22, 27)
            top -= 2 if number == 0 else 0
        bottom_top = self._bottom(left, inner, PAD)
        top -= 3 * mm
        total = len(cert.records)
        self._text("服务记录", left, top - 11, fonts.bold, 11.5)
        top -= 11 + 3 * mm
        room = top - bottom_top - 7 * mm
        records, shown = self._records(inner, room)
        if records:
            top = draw_grid(canvas, left, top, record_widths(inner), records, CELL_SIZE, CELL_LEADING)
        if shown < total:
            note = f"（共{total}条记录，其余略）" if shown else f"（共{total}条记录，详见本单位志愿服务记录）"
        else:
            note = f"（共{total}条记录）" if total else "（统计时段内没有服务记录明细）"
        self._text(note, left + inner, top - 12, fonts.body, 9, "right", NOTE_GREY)
        if self.on_drawn is not None:
            self.on_drawn()


class CertificateDocument(ReportDocument):
    """Numbered per certificate: each certificate is a complete one-page document
    ("第 1 页 共 1 页") whatever its place in a batch."""

    def _decorate(self, canvas: Canvas, page: int, total: int) -> None:
        super()._decorate(canvas, 1, 1)
        self.page_count = total

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - self.top - self.bottom


def certificate_pdf(path: str | Path, certificates: Iterable[Certificate | CertificateDetails], *,
                    actor: Actor | None = None, fonts: FontSet | None = None, date: dt.date | None = None,
                    progress: Progress | None = None, cancelled: CancelCheck | None = None) -> int:
    """Write one or many certificates (register rows or their details), one page each; returns
    the page count. With *actor* the export is checked (export_data) and audited."""
    if actor is not None:
        require(actor, "export_data")
    items = list(certificates)
    rows = [item for item in items if isinstance(item, Certificate)]
    loaded = iter(certificate_service.details(rows)) if rows else iter(())
    found = [next(loaded) if isinstance(item, Certificate) else item for item in items]
    if not found:
        raise CivDeskError("没有要打印的证明。")
    fonts = fonts or office_fonts()
    office = found[0].unit_name
    tick = Ticker(progress, len(found), "正在生成证明 PDF", cancelled, cancel_message=CANCELLED)
    drawn = [0]

    def on_drawn() -> None:
        drawn[0] += 1
        tick(drawn[0], f"正在生成证明 PDF：第 {drawn[0]} / {len(found)} 份")

    def write(target: str) -> int:
        doc = CertificateDocument(target, TITLE, office, fonts=fonts, date=date,
                                  subject=f"志愿服务记录证明 {found[0].number}" + (f" 等 {len(found)} 份" if len(found) > 1 else ""))
        height = doc.frame_height - 0.5
        return doc.build([CertificatePage(cert, fonts, height, on_drawn) for cert in found], title_block=False)

    pages = save_atomically(path, write)
    if actor is not None:
        numbers = f"{found[0].number}" + (f" 至 {found[-1].number}" if len(found) > 1 else "")
        audit_export(actor, TITLE, path, f"{len(found)} 份（{numbers}），含完整证件号码", tbl="certificate")
    return pages
