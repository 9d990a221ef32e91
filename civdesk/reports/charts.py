"""Simple charts for reports, as flowables (ReportLab Drawings) with Chinese labels."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from civdesk.reports.fonts import FontSet, resolve_fonts
from civdesk.reports.numbers import number

PALETTE = [colors.HexColor(c) for c in ("#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2",
                                        "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC")]


TITLE_ROOM = 6 * mm


def _number(value: float) -> str:
    return number(round(value, 1) if isinstance(value, float) else value)


def _frame(title: str, width: float, height: float, fonts: FontSet) -> Drawing:
    # ROOM above the title, so it does not sit against the table before the chart; the rest of the chart
    # is laid out in the lower *height* points as before. initialFontName: else Helvetica is referenced.
    drawing = Drawing(width, height + TITLE_ROOM, initialFontName=fonts.body)
    drawing.add(String(width / 2, height - 14, title, fontName=fonts.bold, fontSize=12, textAnchor="middle"))
    drawing.hAlign = "CENTER"
    return drawing


def _empty(drawing: Drawing, width: float, height: float, fonts: FontSet) -> Drawing:
    drawing.add(String(width / 2, height / 2, "暂无数据", fontName=fonts.body, fontSize=10,
                       textAnchor="middle", fillColor=colors.grey))
    return drawing


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], unit: str = "", *,
              fonts: FontSet | None = None, width_mm: float = 160, height_mm: float = 80) -> Drawing:
    """Vertical bars with the value over each bar; *unit* (e.g. "小时") labels the value axis."""
    fonts = fonts or resolve_fonts()
    width, height = width_mm * mm, height_mm * mm
    drawing = _frame(title, width, height, fonts)
    values = [v or 0 for v in values]
    if not values:
        return _empty(drawing, width, height, fonts)
    many = len(labels) > 8
    chart = VerticalBarChart()
    chart.x, chart.y = 42, 42 if many else 28
    chart.width, chart.height = width - chart.x - 12, height - chart.y - 34
    chart.data = [list(values)]
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barSpacing = 2
    chart.groupSpacing = 8 if len(values) < 12 else 3
    top = max(max(values), 0)
    chart.valueAxis.valueMin = min(0, min(values))
    chart.valueAxis.valueMax = top * 1.15 if top > 0 else 1
    chart.valueAxis.labels.fontName = fonts.body
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = _number
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.categoryAxis.categoryNames = [str(label) for label in labels]
    chart.categoryAxis.labels.fontName = fonts.body
    chart.categoryAxis.labels.fontSize = 8
    if many:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx, chart.categoryAxis.labels.dy = 4, -2
    chart.barLabelFormat = _number
    chart.barLabels.fontName = fonts.body
    chart.barLabels.fontSize = 7.5
    chart.barLabels.nudge = 6
    drawing.add(chart)
    if unit:
        drawing.add(String(chart.x - 4, chart.y + chart.height + 8, f"单位：{unit}", fontName=fonts.body,
                           fontSize=8, textAnchor="start"))
    return drawing


def pie_chart(title: str, labels: Sequence[str], values: Sequence[float], *,
              fonts: FontSet | None = None, width_mm: float = 160, height_mm: float = 80) -> Drawing:
    """A pie with a legend of "label  value（percent）" beside it (labels on slices collide)."""
    fonts = fonts or resolve_fonts()
    width, height = width_mm * mm, height_mm * mm
    drawing = _frame(title, width, height, fonts)
    pairs = [(str(label), value or 0) for label, value in zip(labels, values, strict=True) if (value or 0) > 0]
    total = sum(value for _, value in pairs)
    if not pairs or total <= 0:
        return _empty(drawing, width, height, fonts)
    side = min(height - 40, width / 2 - 20)
    pie = Pie()
    pie.x, pie.y = 24, (height - 20 - side) / 2
    pie.width = pie.height = side
    pie.data = [value for _, value in pairs]
    pie.labels = None
    pie.sideLabels = False
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for i in range(len(pairs)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    drawing.add(pie)
    legend = Legend()
    legend.x, legend.y = pie.x + side + 30, pie.y + side
    legend.alignment = "right"
    legend.fontName = fonts.body
    legend.fontSize = 9
    legend.columnMaximum = 12
    legend.deltay = 14
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], f"{label}  {_number(value)}（{value / total:.1%}）")
                             for i, (label, value) in enumerate(pairs)]
    drawing.add(legend)
    return drawing
