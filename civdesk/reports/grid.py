"""The GB/T 9704 line grid shared by official documents: the geometry and lines drawn on a fixed pitch
(see official.py for why a grid of our own)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, getDescent
from reportlab.platypus import Flowable

from civdesk.reports.text import extent

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
BLOCK_WIDTH = 156 * mm
BLOCK_HEIGHT = 225 * mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TITLE_SIZE = 22.0        # 2号
BODY_SIZE = 16.0         # 3号
PAGE_NUMBER_SIZE = 14.0  # 4号
LINE_PITCH = BLOCK_HEIGHT / LINES_PER_PAGE                                   # ≈ 28.99 pt
BODY_CHAR_SPACE = (BLOCK_WIDTH - CHARS_PER_LINE * BODY_SIZE) / (CHARS_PER_LINE - 1)  # ≈ −0.21 pt
CHAR = BODY_SIZE + BODY_CHAR_SPACE                                           # one grid character
MAX_JUSTIFY_SPACE = 1.0  # wider gaps read as spaces (and extract as spaces): leave such lines ragged
RED = colors.HexColor("#D7000F")

_FIRST_LEVEL_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass(frozen=True)
class GridLine:
    text: str
    font: str
    size: float
    x: float = 0.0           # from the block's left edge
    char_space: float = 0.0
    color: object = None
    seal: object = None      # called with (canvas, x, y) of the line's top centre: the 印章 sits there


class GridLines(Flowable):
    """Lines on the fixed line pitch; splits between lines. The first *keep_head* lines (a heading
    and the start of its text) and the last *keep_tail* lines (text and signature) stay together."""

    def __init__(self, lines: Sequence[GridLine], keep_tail: int = 0, rules_after: Sequence[int] = (),
                 keep_head: int = 0):
        super().__init__()
        self.lines = list(lines)
        self.keep_tail = min(keep_tail, len(self.lines))
        self.keep_head = min(keep_head, len(self.lines))
        self.rules_after = set(rules_after)
        self.width = BLOCK_WIDTH
        self.height = len(self.lines) * LINE_PITCH

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        room = int((availHeight + 0.01) // LINE_PITCH)
        fit = min(room, len(self.lines) - self.keep_tail)
        if fit < self.keep_head:
            fit = 0
        if fit <= 0 and availHeight >= BLOCK_HEIGHT - 1:
            fit = room  # the kept lines alone are longer than a page: keeping them is impossible
        if fit <= 0:
            return []
        if fit >= len(self.lines):
            return [self]
        return [GridLines(self.lines[:fit], 0, [i for i in self.rules_after if i < fit]),
                GridLines(self.lines[fit:], self.keep_tail, [i - fit for i in self.rules_after if i >= fit])]

    def draw(self):
        canvas = self.canv
        for i, line in enumerate(self.lines):
            baseline = self.height - i * LINE_PITCH - getAscent(line.font, line.size)
            if line.seal is not None:
                line.seal(canvas, line.x + extent(line.text, line.font, line.size, line.char_space) / 2,
                          self.height - i * LINE_PITCH)
            if line.text:
                canvas.setFont(line.font, line.size)
                canvas.setFillColor(line.color or colors.black)
                canvas.drawString(line.x, baseline, line.text, charSpace=line.char_space)
            if i in self.rules_after:
                # 版头分隔线: 4 mm under the document number, as wide as the block, red.
                y = baseline + getDescent(line.font, line.size) - 4 * mm
                canvas.setStrokeColor(RED)
                canvas.setLineWidth(1.0)
                canvas.line(0, y, BLOCK_WIDTH, y)


def _blank(font: str) -> GridLine:
    return GridLine("", font, BODY_SIZE)

