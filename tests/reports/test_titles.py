"""Titles broken at word and phrase boundaries, shaped as a trapezoid or a diamond (GB/T 9704 §7.3.1)."""

from __future__ import annotations

import os

import pytest

from civdesk.reports.fonts import resolve_fonts
from civdesk.reports.official import BLOCK_WIDTH, TITLE_SIZE
from civdesk.reports.titles import title_lines

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@pytest.mark.skipif(not os.path.exists(WQY), reason="fonts-wqy-microhei not installed")
@pytest.mark.parametrize(("title", "expected"), [
    ("关于命名2026年度文明单位（村、社区）的决定", ["关于命名2026年度", "文明单位（村、社区）的决定"]),
    ("关于2026年度文明单位（村、社区）拟命名对象的公示", ["关于2026年度", "文明单位（村、社区）拟命名对象的公示"]),
    ("关于清溪镇2026年第四季度身边好人拟表彰对象的公示", ["关于清溪镇2026年第四季度", "身边好人拟表彰对象的公示"]),
    ("张桂英：三十年如一日照顾瘫痪的邻居，热心帮助邻里解决困难", ["张桂英：三十年如一日照顾瘫痪的邻居，", "热心帮助邻里解决困难"]),
    ("关于表彰先进", ["关于表彰先进"]),
])
def test_titles_break_by_meaning(title, expected):
    font = resolve_fonts().title
    lines = title_lines(title, font, TITLE_SIZE, BLOCK_WIDTH)
    assert lines == expected
    assert "".join(lines) == title
