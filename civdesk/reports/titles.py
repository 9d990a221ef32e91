"""Titles broken by meaning (GB/T 9704 §7.3.1: a multi-line title keeps words and meaning whole and is laid
out as a trapezoid or a diamond).

A title is short, so every way of breaking it into the fewest lines that fit (and one more) is scored:
each break costs by where it falls — free after 「关于」 and before 「的决定」, cheap after a 、，or a
closing bracket and after a date phrase (「2026年度」, 「第四季度」), dear between two characters of a
plain run, impossible inside a bracket, a number with its unit or one of the words kept whole — and the
lines' lengths cost by their shape: two lines a trapezoid (the upper no longer than the lower), three a
diamond (the middle the longest), lengths close to one another. The break units come from
:func:`civdesk.reports.text.units` (禁则, numbers kept with their units).
"""

from __future__ import annotations

import itertools
import re

from reportlab.pdfbase.pdfmetrics import stringWidth

from civdesk.reports.text import CLOSING, OPENING, units

# Words a title never breaks inside (the place names and document words of this office's titles).
KEEP_WHOLE = ("文明单位", "文明村", "文明社区", "文明家庭", "文明校园", "身边好人", "志愿服务", "志愿者", "精神文明",
              "限期整改", "整改通知书", "通知书", "督查", "通报", "热线", "工单", "年度", "季度", "月度", "拟命名",
              "拟表彰", "公示", "决定", "表彰", "命名", "推荐", "评议", "汇总表", "名单", "对象", "好人", "情况",
              "工作", "活动", "开展", "关于", "新时代", "文明实践", "服务", "统计", "记录", "证明", "评分表",
              "申报表", "推荐表", "测评", "人民政府", "委员会", "文明办")
FREE_AFTER = ("关于",)
FREE_BEFORE = re.compile(r"^的(决定|通知|通报|公示|批复|意见|报告|函|请示)")
DATE_PHRASE = re.compile(r"(\d+年度?|第[一二三四1-4]季度|\d+月份?|\d+年第[一二三四1-4]季度)$")
IMPOSSIBLE = 1e9


def _bracket_depth(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch in OPENING:
            depth += 1
        out.append(depth)
        if ch in CLOSING[:CLOSING.index("…")] and ch not in "，。、；：？！" and depth:
            depth -= 1
    return out


def break_cost(text: str, at: int) -> float:
    """What a break before text[at] costs."""
    before, after = text[:at], text[at:]
    depth = _bracket_depth(text)
    if depth[at - 1] > 0 and depth[at] > 0 and text[at - 1] not in OPENING and not before.endswith("）"):
        return IMPOSSIBLE  # inside 「（村、社区）」
    for word in KEEP_WHOLE:
        for match in re.finditer(re.escape(word), text):
            if match.start() < at < match.end():
                return IMPOSSIBLE
    if before.endswith(FREE_AFTER) or FREE_BEFORE.match(after):
        return 0.0
    if before[-1] in "、，；：" or before[-1] in "）》」”":
        return 1.0
    if DATE_PHRASE.search(before):
        return 1.0
    if after[0] in "（《":
        return 5.0  # a bracket qualifies the word before it
    if after[0].isdigit():
        return 2.0
    if after.startswith(("拟", "对", "在", "和", "及", "与")):
        return 1.5
    return 10.0


def _cells(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size) / size


def _shape_cost(lengths: list[float]) -> float:
    spread = max(lengths) - min(lengths)
    cost = 0.5 * spread
    if len(lengths) == 2 and lengths[0] > lengths[1] + 0.5:
        cost += 2.0  # an inverted trapezoid is allowed but the upright one reads better
    if len(lengths) == 3 and lengths[1] + 0.5 < max(lengths[0], lengths[2]):
        cost += 3.0  # a diamond has the longest line in the middle
    if len(lengths) > 1 and lengths[-1] < 3:
        cost += 5.0  # a stub
    return cost


def title_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """*text* as the fewest lines of at most *width* points that keep words whole, shaped as a trapezoid
    or a diamond; falls back to plain wrapping when no break point works."""
    text = text.strip()
    if stringWidth(text, font, size) <= width or not text:
        return [text]
    points, pos = [], 0
    for unit in units(text):
        pos += len(unit)
        if 0 < pos < len(text):
            points.append(pos)
    costs = {p: break_cost(text, p) for p in points}
    usable = [p for p in points if costs[p] < IMPOSSIBLE] or points
    minimum = int(-(-stringWidth(text, font, size) // width))
    best: tuple[float, list[str]] | None = None
    for count in range(minimum, minimum + 2):
        if count - 1 > len(usable) or count > 4:
            break
        for cut in itertools.combinations(usable, count - 1):
            bounds = [0, *cut, len(text)]
            lines = [text[a:b] for a, b in itertools.pairwise(bounds)]
            if any(stringWidth(line, font, size) > width + 0.01 for line in lines):
                continue
            score = sum(costs[p] for p in cut) + _shape_cost([_cells(line, font, size) for line in lines])
            score += 4.0 * (count - minimum)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None and count > minimum:
            break
    if best is None:
        from civdesk.reports.text import wrap_text

        return [line for line, _ in wrap_text(text, font, size, width)]
    return best[1]
