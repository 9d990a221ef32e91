"""版头 and 版记 of an official document (GB/T 9704-2012 §7.2 and §7.4): 份号, 密级, the red 发文机关标志
(one issuer or a joint head), 发文字号 with 签发人, the red separator; 抄送, 印发机关 and 印发日期 between
separator lines at the foot of the last page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, getDescent, stringWidth
from reportlab.platypus import Flowable

from civdesk.reports.document import chinese_date
from civdesk.reports.grid import BLOCK_WIDTH, BODY_CHAR_SPACE, BODY_SIZE, CHAR, LINE_PITCH, RED
from civdesk.reports.text import extent, wrap_text

HEAD_TOP = 35 * mm          # 发文机关标志's top edge under the block's top (§7.2.4)
HEAD_TOP_UPWARD = 80 * mm   # … for an upward document (上行文, with 签发人)
HEAD_SIZE = 36.0            # the head's glyphs; squeezed horizontally when a long name needs it
IMPRINT_SIZE = 14.0         # 版记 in 4号
SEAL_DIAMETER = 42 * mm     # the usual round seal of a township body


@dataclass(frozen=True)
class Masthead:
    """版头 of GB/T 9704 §7.2: 份号, 密级, 紧急程度 at the top left, the red 发文机关标志 (one issuer's
    full name and 「文件」, or a joint head of several issuers), the 发文字号 (with 签发人 for an upward
    document) and the red separator line. *preprinted*: 套红纸打印 — the head and the red line are left
    out, their room kept, so the number lands under a head printed on the paper."""

    issuers: tuple[str, ...] = ()
    red_head: bool = True
    preprinted: bool = False
    copy_number: str = ""   # 份号, six digits
    secrecy: str = ""       # 密级和保密期限
    urgency: str = ""       # 紧急程度
    signers: tuple[str, ...] = ()  # 签发人 (上行文)
    head: str = ""          # 发文机关标志 of a single issuer; empty: its full name and 「文件」

    @property
    def draws_head(self) -> bool:
        return bool(self.issuers) and self.red_head


@dataclass(frozen=True)
class Imprint:
    """版记 (§7.4): 抄送机关, then 印发机关 and 印发日期, between separator lines at the foot of the last page."""

    cc: str = ""
    printer: str = ""
    print_date: dt.date | None = None


class HeadBlock(Flowable):
    """The 版头 as one block from the top of the first page down to the line after the red separator,
    its height a whole number of lines so the title and body stay on the grid."""

    def __init__(self, doc, masthead: Masthead, number: str | None):
        super().__init__()
        self.doc, self.masthead, self.number = doc, masthead, number
        fonts = doc.fonts
        self.top_lines = [t for t in (masthead.copy_number, masthead.secrecy, masthead.urgency) if t]
        head_top = HEAD_TOP_UPWARD if masthead.signers else HEAD_TOP
        names = masthead.issuers or ("",)
        self.head_size = HEAD_SIZE if len(names) == 1 else min(HEAD_SIZE, 28.0)
        self.head_top = max(head_top, len(self.top_lines) * LINE_PITCH)
        head_height = len(names) * self.head_size * 1.15
        # 发文机关标志下空二行编排发文字号, snapped onto the line grid.
        self.number_line = int(-(-(self.head_top + head_height + 2 * LINE_PITCH) // LINE_PITCH))
        self.height = (self.number_line + 3) * LINE_PITCH  # number, then 空二行 under the red line
        self.width = BLOCK_WIDTH
        self.fonts = fonts

    def wrap(self, availWidth, availHeight):  # noqa: N803
        return self.width, self.height

    def _line_baseline(self, index: int, font: str, size: float) -> float:
        return self.height - index * LINE_PITCH - getAscent(font, size)

    def draw(self):
        canvas, m, fonts = self.canv, self.masthead, self.fonts
        for i, text in enumerate(self.top_lines):  # 份号 (FangSong), 密级 and 紧急程度 (Hei), 顶格
            font = fonts.fangsong if i == 0 and text == m.copy_number else fonts.bold
            canvas.setFont(font, BODY_SIZE)
            canvas.setFillColor(colors.black)
            canvas.drawString(0, self._line_baseline(i, font, BODY_SIZE), text, charSpace=BODY_CHAR_SPACE)
        if m.draws_head and not m.preprinted:
            canvas.saveState()  # the head's horizontal scale (Tz) is text state: it must not reach the number
            self._draw_head()
            canvas.restoreState()
        fangsong = fonts.fangsong
        baseline = self._line_baseline(self.number_line, fangsong, BODY_SIZE)
        canvas.setFillColor(colors.black)
        if self.number:
            canvas.setFont(fangsong, BODY_SIZE)
            width = extent(self.number, fangsong, BODY_SIZE, BODY_CHAR_SPACE)
            if m.signers:  # 发文字号居左空一字, 签发人居右空一字
                canvas.drawString(CHAR, baseline, self.number, charSpace=BODY_CHAR_SPACE)
                label = "签发人：" + "　".join(m.signers)
                right = BLOCK_WIDTH - CHAR - extent(label, fangsong, BODY_SIZE, BODY_CHAR_SPACE)
                canvas.drawString(right, baseline, label, charSpace=BODY_CHAR_SPACE)
            else:
                canvas.drawString((BLOCK_WIDTH - width) / 2, baseline, self.number, charSpace=BODY_CHAR_SPACE)
        if not m.preprinted and (m.draws_head or self.number):
            # 版头分隔线: 4 mm under the document number, as wide as the block, red.
            y = baseline + getDescent(fangsong, BODY_SIZE) - 4 * mm
            canvas.setStrokeColor(RED)
            canvas.setLineWidth(1.0)
            canvas.line(0, y, BLOCK_WIDTH, y)

    def _draw_head(self):
        canvas, m = self.canv, self.masthead
        font, size = self.fonts.title, self.head_size
        top = self.height - self.head_top
        canvas.setFillColor(RED)
        if len(m.issuers) == 1:
            self._head_text(m.head or f"{m.issuers[0]}文件", font, size, top - getAscent(font, size), BLOCK_WIDTH)
            return
        # Joint head: the issuers stacked, 「文件」 to their right, centred on them (§7.2.4 联合行文).
        suffix = "文件"
        suffix_width = stringWidth(suffix, font, size) + size
        names_width = min(max(stringWidth(n, font, size) for n in m.issuers), BLOCK_WIDTH - suffix_width)
        left = (BLOCK_WIDTH - names_width - suffix_width) / 2
        pitch = size * 1.15
        for i, name in enumerate(m.issuers):
            self._head_text(name, font, size, top - i * pitch - getAscent(font, size), names_width, left, justify=True)
        middle = top - len(m.issuers) * pitch / 2
        canvas.setFont(font, size)
        canvas.drawString(left + names_width + size, middle - size * 0.35, suffix)

    def _head_text(self, text, font, size, baseline, width, left=0.0, justify=False):
        natural = stringWidth(text, font, size)
        scale = min(1.0, width / natural) if natural else 1.0
        text_object = self.canv.beginText()
        text_object.setFont(font, size)
        text_object.setHorizScale(scale * 100)
        gap = 0.0
        if justify and len(text) > 1 and natural < width:
            gap = (width - natural) / (len(text) - 1)
        text_object.setCharSpace(gap)
        drawn = natural * scale + gap * (len(text) - 1)
        text_object.setTextOrigin(left + (width - drawn) / 2, baseline)
        text_object.textOut(text)
        self.canv.drawText(text_object)
        self.canv.setFillColor(RED)


class ImprintBlock(Flowable):
    """版记 at the foot of the page: separator lines (thick first and last, thin between), 抄送机关 左右各空一字,
    印发机关 左空一字 and 印发日期 右空一字. It takes the rest of the page so it sits on the last line."""

    def __init__(self, doc, imprint: Imprint):
        super().__init__()
        self.doc, self.imprint = doc, imprint
        font = doc.fonts.fangsong
        self.rows: list[tuple[str, str]] = []
        if imprint.cc:
            label = "抄送："
            for line, _ in (wrap_text(label + imprint.cc.rstrip("。") + "。", font, IMPRINT_SIZE,
                                                    BLOCK_WIDTH - 2 * IMPRINT_SIZE)):
                self.rows.append((line, ""))
        date = imprint.print_date or doc.date
        self.rows.append((imprint.printer or doc.office_name, f"{chinese_date(date)}印发"))
        self.height = len(self.rows) * LINE_PITCH
        self.width = BLOCK_WIDTH
        self._room = self.height

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self._room = max(self.height, availHeight)
        return self.width, self._room

    def draw(self):
        canvas, font = self.canv, self.doc.fonts.fangsong
        canvas.setFillColor(colors.black)
        canvas.setStrokeColor(colors.black)
        for i, (left, right) in enumerate(self.rows):
            top = self.height - i * LINE_PITCH
            baseline = top - LINE_PITCH / 2 - IMPRINT_SIZE * 0.35
            canvas.setFont(font, IMPRINT_SIZE)
            canvas.drawString(IMPRINT_SIZE, baseline, left)
            if right:
                canvas.drawString(BLOCK_WIDTH - IMPRINT_SIZE - stringWidth(right, font, IMPRINT_SIZE), baseline, right)
            canvas.setLineWidth(0.35 * mm if i == 0 else 0.25 * mm)
            canvas.line(0, top, BLOCK_WIDTH, top)
        canvas.setLineWidth(0.35 * mm)
        canvas.line(0, 0, BLOCK_WIDTH, 0)


