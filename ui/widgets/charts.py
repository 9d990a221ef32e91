"""Bar and pie charts (QtCharts from PySide6-Addons), with a plain table when it is missing.

``ChartBox`` always keeps a small table of the same figures underneath the chart's place, so
the numbers can be read exactly and copied, and so a PC without QtCharts still shows them.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.empty import EmptyState

try:
    from PySide6.QtCharts import (
        QBarCategoryAxis,
        QBarSeries,
        QBarSet,
        QChart,
        QChartView,
        QHorizontalBarSeries,
        QPieSeries,
        QValueAxis,
    )

    CHARTS_AVAILABLE = True
except ImportError:  # PySide6-Addons not installed
    CHARTS_AVAILABLE = False

UNAVAILABLE_TEXT = "本机缺少图表组件（PySide6-Addons 的 QtCharts），下面以表格显示统计数字。"
BAR_COLOR = "#2f6db5"
PIE_COLORS = ("#b0b7c3", "#f5c542", "#f0a030", "#e07b39", "#c0392b", "#8e2a1f", "#6c5b7b")


def number_text(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def fill_table(table: QTableWidget, headers: list[str], rows: list[tuple]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = number_text(value) if isinstance(value, (int, float)) else str(value)
            item = QTableWidgetItem(text)
            if isinstance(value, (int, float)):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def figures_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class ChartBox(QWidget):
    """A titled chart of (label, value) pairs: ``kind`` is "bar", "hbar" or "pie"."""

    def __init__(self, title: str, kind: str, headers: tuple[str, str], unit: str = "", parent=None):
        super().__init__(parent)
        self.title, self.kind, self.headers, self.unit = title, kind, headers, unit
        self.items: list[tuple[str, float]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        caption = QLabel(title)
        font = caption.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        caption.setFont(font)
        layout.addWidget(caption)
        self.view = None
        self.chart = None
        if CHARTS_AVAILABLE:
            self.view = QChartView()
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.view.setMinimumHeight(220)
            layout.addWidget(self.view, 1)
        self.table = figures_table(list(headers))
        self.table.setVisible(self.view is None)
        layout.addWidget(self.table, 1)
        # No data: a sentence (and a button) in the chart's place, never axes of zeros.
        self.empty_label = EmptyState("这段时间没有数据。")
        self.empty_label.setMinimumHeight(160)
        self.empty_label.hide()
        layout.addWidget(self.empty_label, 1)

    def set_items(self, items: list[tuple[str, float]]) -> None:
        self.items = list(items)
        fill_table(self.table, list(self.headers), self.items)
        has_data = any(value for _label, value in self.items)
        self.empty_label.setVisible(not has_data)
        if self.view is None:
            return
        self.view.setVisible(has_data)
        chart = self._pie(self.items) if self.kind == "pie" else self._bars(self.items)
        chart.setBackgroundRoundness(4)
        chart.setMargins(QMargins(4, 4, 4, 4))
        old, self.chart = self.chart, chart
        self.view.setChart(chart)
        if old is not None:
            old.deleteLater()  # the view does not delete a chart it no longer shows

    def show_table(self, shown: bool) -> None:
        self.table.setVisible(shown or self.view is None)

    def _font(self, scale: float = 1.0) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * scale)
        return font

    def _bars(self, items: list[tuple[str, float]]) -> QChart:
        chart = QChart()
        chart.legend().hide()
        horizontal = self.kind == "hbar"
        # Horizontal bars read top-down like the table, so their categories go in reverse.
        ordered = list(reversed(items)) if horizontal else list(items)
        bar_set = QBarSet(self.headers[1])
        bar_set.setColor(QColor(BAR_COLOR))
        bar_set.setLabelColor(QColor("#333333"))  # the theme's white is invisible outside the bar
        bar_set.setLabelFont(self._font(0.85))
        for _label, value in ordered:
            bar_set.append(float(value))
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bar_set)
        series.setLabelsVisible(len(items) <= 16)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([label for label, _value in ordered])
        categories.setLabelsFont(self._font(0.9))
        categories.setTruncateLabels(False)  # village names are short; "…" says nothing
        values = QValueAxis()
        values.setLabelFormat("%d")
        top = max((value for _label, value in items), default=0)
        values.setRange(0, max(1.0, top * 1.15))
        values.applyNiceNumbers()
        values.setLabelsFont(self._font(0.85))
        if self.unit:
            values.setTitleText(self.unit)
            values.setTitleFont(self._font(0.85))
        if horizontal:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        return chart

    def _pie(self, items: list[tuple[str, float]]) -> QChart:
        chart = QChart()
        series = QPieSeries()
        total = sum(value for _label, value in items) or 1
        for index, (label, value) in enumerate(items):
            if not value:
                continue
            pie_slice = series.append(f"{label} {number_text(value)}{self.unit}（{value * 100 / total:.0f}%）",
                                      float(value))
            color = QColor(PIE_COLORS[index % len(PIE_COLORS)])
            pie_slice.setColor(color)
            pie_slice.setBorderColor(color if len([v for _l, v in items if v]) == 1 else QColor("white"))
            pie_slice.setLabelFont(self._font(0.9))
        series.setPieSize(0.7)
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.legend().setFont(self._font(0.9))
        return chart
