"""Table columns sized by their content, and numbers told apart from text.

One rule for every table in a PDF (ordinary reports and official documents alike), the automatic
layout a browser gives an HTML table:

- each column has a *natural* width (its widest cell on one line) and a *minimum* (a cell of up to
  ``KEEP_WHOLE`` characters — a name, a date, a village — never wraps; longer text may wrap down to
  that width but never inside a Latin word or a number with its unit; numbers never wrap; a header
  may wrap only at its separators: 「已评/」「应评」, 「事迹真实性」「（30%）」);
- when the natural widths fit, every column gets its natural width and the rest of the line is
  shared out in proportion; when they do not, every column gets its minimum and the room left goes
  to the columns in proportion to how much they want beyond it (the long text column, mostly).

A 发文字号 (文号) is never broken inside its number: a cell holding one (「清溪镇整改〔2026〕B2号」)
stays on one line like a date, and when a wide table must squeeze, breaks before 〔 (the column
keeps at least its widest 「〔2026〕B2号」; a long issuer's name wraps like Chinese text); inside
longer text 「〔2026〕3号」 is one piece too.
:func:`cell_text` breaks such cells itself (ReportLab's CJK wrapping would break anywhere).

A column whose cells are all numbers (「12」, 「90.62」, 「5/5」, 「33.3%」, 「12.5小时」, 「—」) is a
number column: :func:`numeric_columns` finds them and tables right-align them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from reportlab.pdfbase.pdfmetrics import stringWidth

from civdesk.reports.numbers import number
from civdesk.reports.text import keep_whole, units, wrap_text

KEEP_WHOLE = 10      # characters (em) of text that never wrap inside a cell (「清溪镇便民服务中心」)
SQUEEZE = 3          # characters (em) Chinese text may wrap down to when a wide table cannot fit otherwise
SAMPLE_ROWS = 1500   # longer tables are measured on an even sample of their rows
PADDING = 6.0        # left + right cell padding of the shared table style, points
SLACK = 1.5          # points: rounding never wraps a cell that was measured to fit

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%|‰)?"
                     r"(?: ?(?:小时|个工作日|工作日|分|件|人|人次|次|个|名|条|天|项|岁|元|万元|%))?")
_FRACTION = re.compile(r"\d+/\d+|[A-E]（\d+(?:\.\d+)?）")  # 已评/应评 5/5; a grade with its points A（6）
DASHES = {"—", "-", "－", "/", "回避", "未评", "无"}  # placeholders a number column may hold
_HEADER_BREAK = re.compile(r"(?<=[/／、])|(?=[（(])")
_MARKUP = re.compile(r"<[^>]+>")
# 发文字号: 〔year〕 and the serial number (a PC's letter before it: 「B2号」), and a cell that is one
# whole 文号, its issuer's abbreviation and kind before the bracket (「清文明」「清溪镇整改」).
_YEAR_NUMBER = re.compile(r"〔(?:19|20)\d\d〕[A-Z]?\d+号")
_DOCUMENT_NUMBER = re.compile(r"[^\s，。；：、,;:()（）《》「」]{1,20}" + _YEAR_NUMBER.pattern)


def is_number(value) -> bool:
    """A number, or text that is one (with a thousands separator, a percent, a unit or a ratio)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and bool(_NUMBER.fullmatch(text) or _FRACTION.fullmatch(text))


def numeric_columns(rows: Sequence[Sequence], columns: int) -> list[bool]:
    """Columns whose non-empty cells are all numbers (dashes allowed, at least one real number);
    a 合计 row's label in a number column does not count against it."""
    seen = [False] * columns
    other = [False] * columns
    for row in rows:
        for c, value in enumerate(row[:columns]):
            if value is None or (isinstance(value, str) and (not value.strip() or value.strip() in DASHES)):
                continue
            if is_number(value):
                seen[c] = True
            elif not (isinstance(value, str) and value.strip() in ("合计", "总计", "小计")):
                other[c] = True
    return [seen[c] and not other[c] for c in range(columns)]


def plain(value) -> str:
    """The text a cell shows, without markup (``<br/>`` becomes a line break)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return number(value)
    text = str(value)
    if "<" in text:
        text = _MARKUP.sub("", text.replace("<br/>", "\n")).replace("&nbsp;", " ").replace("&amp;", "&")
    return text


def glued(text: str, *, squeezed: bool = False) -> str:
    """*text* with its 文号 glued for :func:`~civdesk.reports.text.units`: a text that is one 文号
    whole, unless *squeezed*; else each 「〔2026〕3号」 whole, so a line breaks before 〔 (or in the
    issuer's name, as in any Chinese text), never inside the number."""
    if "〔" not in text:
        return text
    if not squeezed and _DOCUMENT_NUMBER.fullmatch(text.strip()):
        return keep_whole(text)
    return _YEAR_NUMBER.sub(lambda m: keep_whole(m.group()), text)


def _widest_unit(text: str, font: str, size: float, *, squeezed: bool = False) -> float:
    return max((stringWidth(unit, font, size) for line in text.split("\n")
                for unit in units(glued(line, squeezed=squeezed))), default=0.0)


def _natural(text: str, font: str, size: float) -> float:
    return max((stringWidth(line, font, size) for line in text.split("\n")), default=0.0)


def _least(text: str, font: str, size: float, number: bool) -> float:
    """How narrow the cell may get: whole when short or a number, else KEEP_WHOLE characters, never
    less than its widest unbreakable unit."""
    full = _natural(text, font, size)
    if number or full <= KEEP_WHOLE * size + SLACK:
        return full
    return max(_widest_unit(text, font, size), KEEP_WHOLE * size)


def _hardest(text: str, font: str, size: float, number: bool) -> float:
    """How narrow the cell may get when the table cannot fit otherwise: numbers, dates, codes
    (「QXZ-RX-2026-0005」) and a 文号's 「〔2026〕3号」 stay whole; Chinese text may wrap down to
    SQUEEZE characters."""
    full = _natural(text, font, size)
    if number:
        return full
    return max(_widest_unit(text, font, size, squeezed=True), min(full, SQUEEZE * size))


def header_pieces(text: str) -> list[str]:
    """Where a header may break: after 「/」 and 「、」, before 「（」, at an explicit ``<br/>``."""
    return [piece for part in text.split("<br/>") for piece in _HEADER_BREAK.split(part) if piece]


def _header_least(text: str, font: str, size: float) -> float:
    pieces = header_pieces(text)
    widest = max((stringWidth(_MARKUP.sub("", p), font, size) for p in pieces), default=0.0)
    if widest > KEEP_WHOLE * size and len(pieces) == 1:
        return KEEP_WHOLE * size  # one long header without a separator wraps like text
    return widest


def header_markup(text: str, font: str, size: float, inner: float) -> str:
    """The header's pieces joined into lines no wider than *inner* points (``<br/>`` between lines),
    so a header wraps at its separators instead of inside a word."""
    pieces = header_pieces(text)
    lines: list[str] = []
    for piece in pieces:
        joined = (lines[-1] + piece) if lines else piece
        if lines and stringWidth(_MARKUP.sub("", joined), font, size) <= inner + SLACK:
            lines[-1] = joined
        else:
            lines.append(piece)
    return "<br/>".join(lines)


def _sample(rows: Sequence[Sequence]) -> Sequence[Sequence]:
    if len(rows) <= SAMPLE_ROWS:
        return rows
    step = len(rows) / SAMPLE_ROWS
    return [rows[int(i * step)] for i in range(SAMPLE_ROWS)] + [rows[-1]]


def measured_widths(header: Sequence | None, rows: Sequence[Sequence], width: float, *, font: str,
                    header_font: str, size: float, columns: int | None = None,
                    padding: float = PADDING) -> list[float]:
    """Column widths in points that add up to *width*, from the cells' text (see the module doc).
    Cells that are flowables (photos, drawn boxes) do not constrain their column."""
    columns = columns or (len(header) if header else (len(rows[0]) if rows else 1))
    numbers = numeric_columns(rows, columns)
    least = [0.0] * columns
    natural = [0.0] * columns
    hard = [0.0] * columns
    if header:
        for c, value in enumerate(header[:columns]):
            text = value if isinstance(value, str) else plain(value)
            least[c] = _header_least(text, header_font, size)
            natural[c] = _natural(plain(text), header_font, size)
            hard[c] = min(least[c], 2 * size)  # a squeezed header wraps two characters a line at the least
    for row in _sample(rows):
        for c, value in enumerate(row[:columns]):
            if value is None or not isinstance(value, (str, int, float, Decimal, bool)):
                continue
            text = plain(value)
            natural[c] = max(natural[c], _natural(text, font, size))
            least[c] = max(least[c], _least(text, font, size, numbers[c]))
            hard[c] = max(hard[c], _hardest(text, font, size, numbers[c]))
    pad = padding + SLACK
    least = [w + pad for w in least]
    hard = [min(h + pad, m) for h, m in zip(hard, least, strict=True)]
    natural = [max(n + pad, m) for n, m in zip(natural, least, strict=True)]
    return share_out(least, natural, width, hard)


def share_out(least: Sequence[float], natural: Sequence[float], width: float,
              hard: Sequence[float] | None = None) -> list[float]:
    """Widths between each column's *least* and *natural* width that fill *width*; when even the
    least widths do not fit, the columns give way towards their *hard* minimum (numbers and codes
    none, long Chinese text most) before everything shrinks alike."""
    low, high = sum(least), sum(natural)
    if hard is not None and low > width and sum(hard) <= width:
        floor = sum(hard)
        give = low - floor
        return [h + (width - floor) * (m - h) / give for h, m in zip(hard, least, strict=True)] if give else list(least)
    if high <= width:
        spare = width - high
        return [n + spare * n / high for n in natural] if high else [width / len(natural)] * len(natural)
    if low <= width:
        room = width - low
        want = high - low
        return [m + room * (n - m) / want for m, n in zip(least, natural, strict=True)]
    return [m * width / low for m in least]


ORPHAN = 2  # characters: a wrapped cell never ends with a line this short (「扣/分」)


def without_orphan(text: str, font: str, size: float, inner: float) -> str | None:
    """*text* broken into lines (``\n``) no wider than *inner* whose last line holds more than
    ORPHAN characters, by narrowing the lines a character at a time; None when the text fits on
    one line, already ends well, or cannot be mended without an extra line."""
    if len(text) * size <= inner or "\n" in text:  # no glyph is wider than 1 em: it fits, unmeasured
        return None
    if stringWidth(text, font, size) <= inner:
        return None
    lines = wrap_text(text, font, size, inner - SLACK)
    if len(lines) < 2 or len(lines[-1][0]) > ORPHAN:
        return None
    width = inner - SLACK
    while width > inner / 2:
        width -= size
        trial = wrap_text(text, font, size, width)
        if len(trial) > len(lines):
            return None
        if len(trial[-1][0]) > ORPHAN:
            return "\n".join(line for line, _ in trial)
    return None


def cell_text(text: str, font: str, size: float, inner: float) -> str:
    """The text of a table cell *inner* points wide, broken into lines (``\n``) where we break it
    ourselves: a cell with a 文号 that does not fit on one line keeps 「〔2026〕3号」 whole (a cell
    that is one 文号 breaks before 〔, :func:`glued`); other text gets its orphan mended
    (:func:`without_orphan`) and ReportLab's wrapping."""
    if "〔" not in text or not _YEAR_NUMBER.search(text) or stringWidth(text, font, size) <= inner:
        return without_orphan(text, font, size, inner) or text
    return "\n".join(line for line, _ in wrap_text(glued(text, squeezed=True), font, size, inner - SLACK))
