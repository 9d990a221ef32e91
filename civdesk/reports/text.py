"""Line breaking for text we lay out ourselves (official documents, certificates).

One wrapper, :func:`wrap_text`: Chinese line-breaking rules (禁则: no "，" or "。" at the start of
a line, no "（" or "《" at its end), Latin words and numbers kept whole, a number kept with its
unit ("2024年", "9.5 小时" never break as "2024 | 年"). It runs in linear time: glyph widths
add up, so each unit is measured once instead of every line prefix.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth

# 禁则: these never start a line / never end one. ReportLab's Paragraph gets CLOSING too (document.py).
CLOSING = "，。、；：？！）》」』】〕〗〉”’…—·％‰～"
OPENING = "（《「『【〔〖〈“‘"
NO_START = set(CLOSING + ",.;:?!)]}%")
NO_END = set(OPENING + "([{")
_ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9@#&+\-_./:%,]*|\s|.", re.S)
# A number and its unit, with the brackets before and the punctuation after them that 禁则 keep there.
_NUMBER_WITH_UNIT = re.compile(f"[{re.escape(''.join(sorted(NO_END)))}]*"
                               r"[0-9]+(?:\.[0-9]+)? ?(?:小时|年|月|日|人|条|份|次|岁)"
                               f"[{re.escape(''.join(sorted(NO_START)))}]*")
KEEP = "\u2060"  # WORD JOINER: text joined with it never breaks (an item with its hours); never drawn
_SLACK = 0.01  # points: rounding never pushes a unit that fits onto the next line


def extent(text: str, font: str, size: float, space: float = 0.0) -> float:
    """Width from the first glyph's left edge to the last glyph's right edge, with *space*
    points of character spacing (PDF ``Tc``) between glyphs."""
    return stringWidth(text, font, size) + max(len(text) - 1, 0) * space if text else 0.0


def _atoms(text: str) -> list[str]:
    units: list[str] = []
    for atom in _ATOM.findall(text):
        if units and (atom[0] in NO_START or units[-1][-1] in NO_END) and not atom.isspace():
            units[-1] += atom
        else:
            units.append(atom)
    return units


def units(text: str) -> list[str]:
    """The pieces a line may break between: characters, whole Latin words, a number with its
    unit, each with the punctuation 禁则 glue to it."""
    found: list[str] = []
    start = 0
    for match in _NUMBER_WITH_UNIT.finditer(text):
        found += _atoms(text[start:match.start()])
        found.append(match.group())
        start = match.end()
    found += _atoms(text[start:])
    if KEEP not in text:
        return found
    merged: list[str] = []
    for unit in found:
        if merged and (merged[-1].endswith(KEEP) or unit.startswith(KEEP)):
            merged[-1] += unit
        else:
            merged.append(unit)
    return [unit.replace(KEEP, "") for unit in merged if unit.replace(KEEP, "")]


def keep_whole(text: str) -> str:
    """*text* as one unit for :func:`wrap_text` (moves to the next line whole)."""
    return KEEP.join(text)


def wrap_text(text: str, font: str, size: float, width: float, first_indent: float = 0.0,
              rest_indent: float = 0.0, space: float = 0.0) -> list[tuple[str, float]]:
    """Break *text* into (line, indent) pairs whose :func:`extent` (with character spacing *space*)
    is no wider than *width* minus the indent; "\\n" forces a break. A unit wider than a line
    (a long URL) is broken anywhere."""
    lines: list[tuple[str, float]] = []
    current: list[str] = []
    used, indent = 0.0, first_indent  # used: the extent of current plus one trailing *space*

    def flush() -> None:
        nonlocal current, used, indent
        lines.append(("".join(current).rstrip(), indent))
        current, used, indent = [], 0.0, rest_indent

    for unit in units(text):
        if unit == "\n":
            flush()
            continue
        unit_width = stringWidth(unit, font, size) + len(unit) * space
        if current and used + unit_width - space > width - indent + _SLACK:
            flush()
            if unit.isspace():
                continue
        if not current and unit_width - space > width - indent + _SLACK:
            for ch in unit:
                ch_width = stringWidth(ch, font, size) + space
                if current and used + ch_width - space > width - indent + _SLACK:
                    flush()
                current.append(ch)
                used += ch_width
            continue
        current.append(unit)
        used += unit_width
    if current or not lines:
        lines.append(("".join(current).rstrip(), indent))
    return lines
