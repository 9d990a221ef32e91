"""志愿统计: the period's figures and charts (hours by month and by village, star levels),
hours by team as a table. The figures are computed off the GUI thread: on a township's full
database they read every approved record of the period."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civdesk.volunteers import stats as volunteer_stats
from civdesk.volunteers.stats import VolunteerStats
from ui.navigation import PageHost, notice_label
from ui.session import Session
from ui.tasks import TaskHandle, run_task
from ui.widgets import charts
from ui.widgets.charts import ChartBox, figures_table, fill_table, number_text
from ui.widgets.dates import DateField
from ui.widgets.empty import empty_hint


def period(choice: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if choice == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    if choice == "12_months":
        year, month = (today.year, today.month - 11) if today.month == 12 else (today.year - 1, today.month + 1)
        return dt.date(year, month, 1), today
    if choice == "quarter":
        month = (today.month - 1) // 3 * 3 + 1
        return dt.date(today.year, month, 1), today
    return dt.date(today.year, 1, 1), today  # this year


def _compute(_ctx, date_from: dt.date, date_to: dt.date) -> VolunteerStats:
    return volunteer_stats.compute(date_from, date_to)


def month_label(key: str, one_year: bool) -> str:
    year, month = key.split("-")
    return f"{int(month)}月" if one_year else f"{year[2:]}年{int(month)}月"


class FigureCard(QFrame):
    def __init__(self, caption: str, unit: str, parent=None):
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setStyleSheet("QFrame#figureCard { background: white; border: 1px solid #d5dbe3;"
                           " border-top: 4px solid #2f6db5; border-radius: 4px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.setSpacing(2)
        title = QLabel(caption)
        title.setStyleSheet("color: #555; border: none;")
        self.value_label = QLabel("—")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value_label.setFont(font)
        self.value_label.setStyleSheet("border: none;")
        self.note_label = QLabel(unit)
        self.note_label.setStyleSheet("color: #777; border: none;")
        layout.addWidget(title)
        layout.addWidget(self.value_label)
        layout.addWidget(self.note_label)
        self.unit = unit

    def set_value(self, value, note: str = "") -> None:
        self.value_label.setText(number_text(value))
        self.note_label.setText(note or self.unit)


class VolunteerStatsPage(QWidget):
    CHOICES = (("this_year", "今年"), ("quarter", "本季度"), ("12_months", "近 12 个月"), ("last_year", "去年"),
               ("custom", "自定义…"))

    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.stats: VolunteerStats | None = None
        self.task: TaskHandle | None = None
        self._pending = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(12)

        layout.addLayout(self._build_period_row())
        if not charts.CHARTS_AVAILABLE:
            layout.addWidget(notice_label(charts.UNAVAILABLE_TEXT))

        cards = QHBoxLayout()
        cards.setSpacing(12)
        self.cards = {"active": FigureCard("在册志愿者", "人"), "new": FigureCard("期间新注册", "人"),
                      "served": FigureCard("期间参加服务", "人"), "hours": FigureCard("期间服务总时长", "小时（已审核）")}
        for card in self.cards.values():
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        layout.addLayout(self._build_charts(), 1)

        self.period_combo.currentIndexChanged.connect(lambda _i: self._period_changed())
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.from_edit.dateChanged.connect(lambda _d: self._dates_edited())
        self.to_edit.dateChanged.connect(lambda _d: self._dates_edited())
        self._period_changed()

    def _build_period_row(self) -> QHBoxLayout:
        """The period to count: a choice, or two dates of one's own."""
        top = QHBoxLayout()
        self.period_combo = QComboBox()
        for key, label in self.CHOICES:
            self.period_combo.addItem(label, key)
        today = dt.date.today()
        self.from_edit = DateField(dt.date(today.year, 1, 1))
        self.to_edit = DateField(today)
        self.refresh_button = QPushButton("刷新")
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #777;")
        top.addWidget(QLabel("统计期间："))
        top.addWidget(self.period_combo)
        top.addWidget(self.from_edit)
        top.addWidget(QLabel("至"))
        top.addWidget(self.to_edit)
        top.addWidget(self.refresh_button)
        top.addWidget(self.status_label, 1)
        return top

    def _build_charts(self) -> QGridLayout:
        """Hours by month and by village, stars, and hours by team."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        self.month_chart = ChartBox("各月服务时长", "bar", ("月份", "时长（小时）"), "小时")
        self.village_chart = ChartBox("各村/社区服务时长", "hbar", ("村/社区", "时长（小时）"), "小时")
        self.star_chart = ChartBox("在册志愿者星级分布", "pie", ("星级", "人数"), "人")
        team_box = QWidget()
        team_layout = QVBoxLayout(team_box)
        team_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("各队伍服务时长")
        font = caption.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        caption.setFont(font)
        team_layout.addWidget(caption)
        self.team_table = figures_table(["队伍", "时长（小时）"])
        team_layout.addWidget(self.team_table, 1)
        self._empty_states()
        for widget in (self.month_chart, self.village_chart, self.star_chart, team_box):
            widget.setMinimumHeight(300)
        grid.addWidget(self.month_chart, 0, 0)
        grid.addWidget(self.village_chart, 0, 1)
        grid.addWidget(self.star_chart, 1, 0)
        grid.addWidget(team_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _empty_states(self) -> None:
        """What each chart shows when the period has nothing yet, and where to add it."""
        hours_text = "这段时间还没有已审核的服务时长。录入服务时长并经审核人审核后，这里显示"
        self.month_chart.empty_label.set_text(hours_text + "各月的合计。")
        self.village_chart.empty_label.set_text(hours_text + "各村/社区的合计。")
        for chart in (self.month_chart, self.village_chart):
            chart.empty_label.set_button("录入服务时长", lambda: self.host.show_page("hours"))
        self.star_chart.empty_label.set_text("还没有在册志愿者。登记或导入志愿者后，这里显示各星级的人数。")
        self.star_chart.empty_label.set_button("登记志愿者", lambda: self.host.show_page("volunteers"))
        empty_hint(self.team_table, "这段时间还没有队伍的服务时长。先在「队伍与活动」建立队伍、加入成员。",
                   "队伍与活动", lambda: self.host.show_page("teams"))

    def _period_changed(self) -> None:
        choice = self.period_combo.currentData()
        custom = choice == "custom"
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        if not custom:
            start, end = period(choice, dt.date.today())
            for edit, value in ((self.from_edit, start), (self.to_edit, end)):
                edit.blockSignals(True)
                edit.set_value(value)
                edit.blockSignals(False)
        self.refresh()

    def _dates_edited(self) -> None:
        if self.period_combo.currentData() == "custom":
            self.refresh()

    def on_shown(self) -> None:
        if self.stats is not None and self.task is None:
            self.refresh()

    def refresh(self) -> TaskHandle | None:
        start, end = self.from_edit.value(), self.to_edit.value()
        if end < start:
            self.status_label.setText("结束日期早于开始日期，请重新选择。")
            return None
        if self.task is not None:  # one computation at a time; the latest request runs next
            self._pending = True
            return self.task
        self.status_label.setText("正在统计…")
        self.refresh_button.setEnabled(False)
        self.task = run_task(self, "志愿服务统计", _compute, start, end, on_done=self._show,
                             on_error=self._failed, show_progress=False, cancellable=False)
        return self.task

    def _finished(self) -> None:
        self.task = None
        self.refresh_button.setEnabled(True)
        if self._pending:
            self._pending = False
            self.refresh()

    def _failed(self, message: str) -> None:
        self.status_label.setText(message)
        self._finished()

    def _show(self, stats: VolunteerStats) -> None:
        self.stats = stats
        self.status_label.setText(f"{stats.date_from:%Y-%m-%d} 至 {stats.date_to:%Y-%m-%d}")
        self.cards["active"].set_value(stats.volunteers_active, f"人（另有已退出 {stats.volunteers_left} 人）")
        self.cards["new"].set_value(stats.volunteers_new)
        self.cards["served"].set_value(stats.served_volunteers)
        self.cards["hours"].set_value(stats.total_hours)
        one_year = stats.date_from.year == stats.date_to.year
        self.month_chart.set_items([(month_label(key, one_year), value) for key, value in stats.by_month])
        self.village_chart.set_items(stats.by_village)
        self.star_chart.set_items(stats.stars)
        fill_table(self.team_table, ["队伍", "时长（小时）"], stats.by_team)
        self.team_table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self._finished()
