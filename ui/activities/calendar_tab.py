"""我们的节日: the month calendar (festivals, planned and held activities in their colours, the
chosen day's list beside it) and the year's festival plan with its PDF. Planning a festival's
activity from its template is one click on the festival's day or row."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.activities import common, festival_plans, records, reports, sheets
from civdesk.core import calendar_items
from civdesk.core.errors import CivDeskError
from ui.activities.record_form import ActivityFormDialog
from ui.activities.widgets import STATUS_COLOURS, EmptyOr, EmptyState, current_id, fill, select_id, table
from ui.field_errors import message_label, show_message
from ui.session import Session
from ui.tasks import TaskHandle, run_task
from ui.widgets.pdf_save import save_pdf

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
FESTIVAL_COLOUR = "#c0392b"
LATE_COLOUR = "#a93226"
# Other domains' items (civdesk.core.calendar_items): a mark and a colour of their own.
SOURCE_COLOURS = {"supervision": "#1f618d", "hotline": "#117864"}
ITEM_PREFIX = "item:"  # ids of the day list's rows that are another domain's item (then its target)


def _legend() -> str:
    parts = [f"<span style='color:{FESTIVAL_COLOUR};'>■</span> 节日",
             f"<span style='color:{STATUS_COLOURS['planned']};'>●</span> 计划",
             f"<span style='color:{STATUS_COLOURS['held']};'>●</span> 已开展",
             f"<span style='color:{LATE_COLOUR};'>●</span> 过期未登记",
             f"<span style='color:{STATUS_COLOURS['cancelled']};'>●</span> 已取消"]
    parts += [f"<span style='color:{SOURCE_COLOURS[key]};'>{mark}</span> {label}"
              + ("（督查日期、整改期限）" if key == "supervision" else "（签收、办理期限）")
              for key, (label, mark) in calendar_items.SOURCES.items()]
    return "　".join(parts) + f"　<span style='color:{LATE_COLOUR};'>红字</span> 已过期限"


def _short(text: str, limit: int = 9) -> str:
    """A title for a day cell: without the year and the 我们的节日 prefix every such title has."""
    text = re.sub(r"^\d{4}年", "", text).replace("“我们的节日·", "“")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def plan_from_template(session: Session, name: str, day: dt.date) -> records.ActivityRow:
    """The festival's activity planned from its template in one step (this PC's village, if any)."""
    made = festival_plans.plan_festival(session.actor, day.year, name, village_id=common.own_village())
    return next(r for r in records.rows(made.day, made.day) if r.id == made.id)


def _xlsx_work(ctx, actor, path: str, first: dt.date, last: dt.date, village_id: str | None) -> int:
    return sheets.export_records(actor, path, first, last, village_id=village_id, progress=ctx.progress,
                                 cancelled=lambda: ctx.cancelled)


class DayCell(QLabel):
    """One day of the month: its number, festivals in red, activities with their status colour.
    The grid keeps its 42 cells and shows each month in them."""

    def __init__(self):
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(4, 2, 4, 2)

    def show_day(self, day: festival_plans.CalendarDay, today: str) -> None:
        self.day = day
        number = int(day.day[-2:])
        grey = "" if day.in_month else "color:#b0b4ba;"
        self.head = f"<b style='{grey}'>{number}</b>"
        if day.day == today:
            self.head = f"<span style='background:#2f6db5;color:white;'>&nbsp;{number}&nbsp;</span>"
        self.head += "".join(f" <span style='color:{FESTIVAL_COLOUR};'>{html.escape(f)}</span>"
                             for f in day.festivals)
        tips = list(day.festivals) + [f"{r.status_label}：{r.title}" for r in day.activities]
        tips += [f"{i.mark} {i.detail}" + ("（已过期限）" if i.late else "") for i in day.items]
        self.setToolTip("\n".join([day.day, *tips]))
        self._render()

    def _render(self) -> None:
        """Titles elided to the cell's width, so nothing is cut mid-character at any size."""
        day = getattr(self, "day", None)
        if day is None:
            return
        metrics, room = self.fontMetrics(), max(20, self.width() - 8 - self.fontMetrics().horizontalAdvance("● "))
        lines = [self.head]
        for row in day.activities[:3]:
            colour = LATE_COLOUR if row.colour == "red" else STATUS_COLOURS.get(row.status, "#222")
            title = metrics.elidedText(_short(row.title, 40), Qt.TextElideMode.ElideRight, room)
            lines.append(f"<span style='color:{colour};'>● {html.escape(title)}</span>")
        for item in day.items[:max(0, 4 - len(lines))]:
            title = metrics.elidedText(item.title, Qt.TextElideMode.ElideRight, room)
            text_colour = LATE_COLOUR if item.late else SOURCE_COLOURS[item.source]
            lines.append(f"<span style='color:{SOURCE_COLOURS[item.source]};'>{item.mark}</span> "
                         f"<span style='color:{text_colour};'>{html.escape(title)}</span>")
        hidden = len(day.activities) + len(day.items) - (len(lines) - 1)
        if hidden > 0:
            lines.append(f"<span style='color:#555;'>还有 {hidden} 项…</span>")
        self.setText("<br>".join(lines))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._render()


class CalendarTab(QWidget):
    changed = Signal()
    open_target = Signal(str)  # another domain's record: "hotline/ticket/<id>", for the page host

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.can_edit = session.actor.can("edit_activities") and not session.read_only
        today = dt.date.today()
        self.year, self.month = today.year, today.month
        self.selected = today
        self.weeks: list[list[festival_plans.CalendarDay]] = []
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        body = QHBoxLayout()
        self.grid = self._grid()
        body.addWidget(self.grid, 1)
        body.addWidget(self._day_panel())
        layout.addLayout(body, 1)
        self.legend = QLabel(_legend())
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.message = message_label()
        layout.addWidget(self.message)

    def _top_bar(self) -> QHBoxLayout:
        top = QHBoxLayout()
        self.prev_button, self.next_button = QPushButton("‹ 上个月"), QPushButton("下个月 ›")
        self.today_button = QPushButton("本月")
        self.month_label = QLabel()
        self.month_label.setStyleSheet("font-size: 13pt; font-weight: bold; padding: 0 12px;")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.go_to(dt.date.today()))
        for widget in (self.prev_button, self.month_label, self.next_button, self.today_button):
            top.addWidget(widget)
        self.report_button = QPushButton("本月活动报告 PDF")
        self.report_button.setToolTip("这个月开展的活动：按类型汇总，每项活动附照片")
        self.report_button.setVisible(self.session.actor.can("export_data"))
        self.report_button.clicked.connect(lambda: self.save_month_report())
        top.addWidget(self.report_button)
        self.xlsx_button = QPushButton("本月活动 Excel")
        self.xlsx_button.setToolTip("把这个月的活动记录导出为 Excel 表格（导出会记入审计日志）")
        self.xlsx_button.setVisible(self.session.actor.can("export_data") and not self.session.read_only)
        self.xlsx_button.clicked.connect(lambda: self.save_month_xlsx())
        top.addWidget(self.xlsx_button)
        top.addStretch(1)
        return top

    def _grid(self) -> QTableWidget:
        grid = QTableWidget(6, 7)
        grid.setHorizontalHeaderLabels([f"星期{w}" for w in WEEKDAYS])
        grid.verticalHeader().setVisible(False)
        grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        grid.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        grid.horizontalHeader().setMinimumSectionSize(60)
        grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        grid.verticalHeader().setMinimumSectionSize(40)
        grid.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        grid.currentCellChanged.connect(lambda r, c, _r, _c: self._cell_chosen(r, c))
        grid.setStyleSheet("QTableWidget::item:selected { background: #dce8f7; }")
        grid.cellDoubleClicked.connect(lambda _r, _c: self.open_or_add())
        return grid

    def _day_panel(self) -> QWidget:
        panel = QWidget()
        panel.setFixedWidth(300)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        self.day_label = QLabel()
        self.day_label.setStyleSheet("font-weight: bold;")
        self.day_label.setWordWrap(True)
        layout.addWidget(self.day_label)
        self.festival_row = QWidget()
        row = QHBoxLayout(self.festival_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.festival_label = QLabel()
        self.festival_label.setWordWrap(True)
        self.festival_label.setStyleSheet(f"color: {FESTIVAL_COLOUR};")
        self.template_button = QPushButton("按模板制定计划")
        self.template_button.setProperty("primary", True)
        self.template_button.setEnabled(self.can_edit)
        self.template_button.setToolTip("按这个节日的模板登记一项「计划」活动，标题和内容以后可以修改")
        self.template_button.clicked.connect(lambda: self.plan_selected_festival())
        row.addWidget(self.festival_label, 1)
        row.addWidget(self.template_button)
        layout.addWidget(self.festival_row)
        self.day_table = table(["活动和期限", "状态"], [200, 64], stretch=0)
        self.day_table.doubleClicked.connect(lambda _i: self.open_selected())
        self.day_empty = EmptyState("这一天还没有活动。", "登记活动…", lambda: self.add_activity(), self.can_edit)
        self.day_stack = EmptyOr(self.day_table, self.day_empty)
        layout.addWidget(self.day_stack, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("登记活动…")
        self.add_button.setEnabled(self.can_edit)
        self.open_button = QPushButton("打开")
        self.add_button.clicked.connect(lambda: self.add_activity())
        self.open_button.clicked.connect(lambda: self.open_selected())
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)
        return panel

    # -- showing ------------------------------------------------------------------------------

    def step(self, months: int) -> None:
        index = self.year * 12 + self.month - 1 + months
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self.selected = dt.date(self.year, self.month, 1)
        self.refresh()

    def go_to(self, day: dt.date) -> None:
        self.year, self.month, self.selected = day.year, day.month, day
        self.refresh()

    def refresh(self) -> None:
        self.month_label.setText(f"{self.year}年{self.month}月")
        self.weeks = festival_plans.month_calendar(self.year, self.month, common.own_village(),
                                                   actor=self.session.actor)
        self.grid.setRowCount(len(self.weeks))
        today = dt.date.today().isoformat()
        for r, week in enumerate(self.weeks):
            for c, day in enumerate(week):
                if not isinstance(self.grid.cellWidget(r, c), DayCell):
                    self.grid.setCellWidget(r, c, DayCell())
                self.grid.cellWidget(r, c).show_day(day, today)
                if day.day == self.selected.isoformat():
                    self.grid.setCurrentCell(r, c)
        self._show_day()

    def day(self, iso: str) -> festival_plans.CalendarDay | None:
        return next((d for week in self.weeks for d in week if d.day == iso), None)

    def _cell_chosen(self, row: int, col: int) -> None:
        if 0 <= row < len(self.weeks) and 0 <= col < 7:
            self.selected = dt.date.fromisoformat(self.weeks[row][col].day)
            self._show_day()

    def _show_day(self) -> None:
        day = self.day(self.selected.isoformat())
        weekday = WEEKDAYS[self.selected.weekday()]
        self.day_label.setText(f"{self.selected.year}年{self.selected.month}月{self.selected.day}日　星期{weekday}")
        festivals = day.festivals if day else []
        self.festival_row.setVisible(bool(festivals))
        self.festival_label.setText("、".join(festivals))
        planned = day is not None and any(a.kind == "festival" and a.status != "cancelled" for a in day.activities)
        self.template_button.setVisible(bool(festivals) and not planned)
        activities = day.activities if day else []
        others = day.items if day else []
        fill(self.day_table, [(a.id, [a.title, a.status_label], a.colour if a.status == "planned" else "ok")
                              for a in activities]
             + [(ITEM_PREFIX + i.target, [f"{i.mark} {i.detail}", i.source_label], "red" if i.late else "ok")
                for i in others])
        self.day_stack.show_empty(not activities and not others)
        self.open_button.setEnabled(bool(activities or others))
        self.add_button.setVisible(bool(activities or others))  # the empty state has its own button

    # -- actions --------------------------------------------------------------------------------

    def plan_selected_festival(self) -> str:
        day = self.day(self.selected.isoformat())
        if day is None or not day.festivals:
            return ""
        if any(a.kind == "festival" and a.status != "cancelled" for a in day.activities):
            show_message(self.message, f"{day.festivals[0]}已经有活动计划；双击右边的活动可以修改。", ok=False)
            return ""
        try:
            made = plan_from_template(self.session, day.festivals[0], self.selected)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return ""
        show_message(self.message, f"已按模板制定「{made.title}」计划；双击可修改标题、内容和地点。")
        self.refresh()
        select_id(self.day_table, made.id)
        self.changed.emit()
        return made.id

    def add_activity(self) -> ActivityFormDialog:
        day = self.day(self.selected.isoformat())
        kind = "festival" if day is not None and day.festivals else ""
        dialog = ActivityFormDialog(self.session, day=self.selected, kind=kind, parent=self)
        if day is not None and day.festivals:
            dialog.festival_combo.setCurrentIndex(max(0, dialog.festival_combo.findData(day.festivals[0])))
        dialog.finished.connect(lambda result: self._after_dialog(result))
        dialog.open()
        return dialog

    def open_record(self, record_id: str) -> ActivityFormDialog | None:
        try:
            dialog = ActivityFormDialog(self.session, record_id, parent=self)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return None
        dialog.finished.connect(lambda result: self._after_dialog(result))
        dialog.open()
        return dialog

    def open_selected(self) -> ActivityFormDialog | None:
        record_id = current_id(self.day_table)
        if record_id.startswith(ITEM_PREFIX):  # 督查 or 热线: its own page opens it
            self.open_target.emit(record_id.removeprefix(ITEM_PREFIX))
            return None
        return self.open_record(record_id) if record_id else None

    def open_or_add(self) -> None:
        day = self.day(self.selected.isoformat())
        if day is not None and len(day.activities) == 1:
            self.open_record(day.activities[0].id)
        elif day is not None and not day.activities and len(day.items) == 1:
            self.open_target.emit(day.items[0].target)
        elif day is not None and not day.activities and not day.items and self.can_edit:
            self.add_activity()

    def save_month_report(self):
        year, month, village, actor = self.year, self.month, common.own_village(), self.session.actor
        return save_pdf(self, "活动开展情况报告", f"{year}年{month}月活动开展情况.pdf",
                        lambda path, ctx: reports.month_report_pdf(path, year, month, village_id=village, actor=actor,
                                                                   progress=ctx.progress,
                                                                   cancelled=lambda: ctx.cancelled))

    def save_month_xlsx(self, path: str | None = None) -> TaskHandle | None:
        """The shown month's activity records as a sheet, written in the background."""
        year, month = self.year, self.month
        if path is None:
            folder = QSettings().value("pdf/last_folder") or QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation)
            path, _ = QFileDialog.getSaveFileName(self, "导出活动记录", str(Path(folder) / f"{year}年{month}月活动记录.xlsx"),
                                                  "Excel 文件 (*.xlsx)")
            if not path:
                return None
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return run_task(self, "正在导出活动记录", _xlsx_work, self.session.actor, path, first, last,
                        common.own_village(),
                        on_done=lambda count: show_message(self.message, f"已导出 {count} 条活动记录到 {path}"),
                        on_error=lambda text: show_message(self.message, text, ok=False))

    def _after_dialog(self, result: int) -> None:
        if result:
            self.refresh()
            self.changed.emit()


class PlanTab(QWidget):
    """The year's 我们的节日 plan: every festival, its date, what is planned or held; PDF."""

    changed = Signal()

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.can_edit = session.actor.can("edit_activities") and not session.read_only
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1950, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.valueChanged.connect(lambda _v: self.refresh())
        top.addWidget(self.year_spin)
        top.addStretch(1)
        self.template_button = QPushButton("按模板制定计划")
        self.template_button.setProperty("primary", True)
        self.template_button.setEnabled(self.can_edit)
        self.open_button = QPushButton("打开活动")
        self.pdf_button = QPushButton("全年计划 PDF")
        self.pdf_button.setVisible(session.actor.can("export_data"))
        for button in (self.template_button, self.open_button, self.pdf_button):
            top.addWidget(button)
        layout.addLayout(top)
        self.table = table(["节日", "日期", "距今", "计划或开展的活动", "情况"], [90, 130, 80, 420, 120], stretch=3)
        layout.addWidget(self.table, 1)
        self.message = message_label()
        layout.addWidget(self.message)
        self.rows: list[festival_plans.FestivalPlanRow] = []
        self.template_button.clicked.connect(lambda: self.plan_selected())
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())

    def refresh(self) -> None:
        year = self.year_spin.value()
        self.rows = festival_plans.year_plan(year, common.own_village())
        shown = []
        for row in self.rows:
            day = dt.date.fromisoformat(row.day)
            left = "已过" if row.days_left < 0 else ("今天" if row.days_left == 0 else f"{row.days_left} 天")
            titles = "；".join(f"{p.title}（{p.status_label}）" for p in row.plans) or "—"
            state = "已安排" if row.plans else ("已过，未开展" if row.days_left < 0 else "还没有计划")
            shown.append((row.name, [row.name, f"{row.day}　周{WEEKDAYS[day.weekday()]}", left, titles, state],
                          row.colour))
        fill(self.table, shown)
        self._update_buttons()

    def current(self) -> festival_plans.FestivalPlanRow | None:
        name = current_id(self.table)
        return next((r for r in self.rows if r.name == name), None)

    def _update_buttons(self) -> None:
        row = self.current()
        self.template_button.setEnabled(self.can_edit and row is not None and not row.plans and row.days_left >= 0)
        self.open_button.setEnabled(row is not None and bool(row.plans))

    def plan_selected(self) -> str:
        row = self.current()
        if row is None:
            return ""
        try:
            made = plan_from_template(self.session, row.name, dt.date.fromisoformat(row.day))
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return ""
        show_message(self.message, f"已按模板制定「{made.title}」计划。")
        self.refresh()
        self.changed.emit()
        return made.id

    def open_selected(self) -> ActivityFormDialog | None:
        row = self.current()
        if row is None or not row.plans:
            return None
        dialog = ActivityFormDialog(self.session, row.plans[0].id, parent=self)
        dialog.finished.connect(lambda result: result and (self.refresh(), self.changed.emit()))
        dialog.open()
        return dialog

    def save_pdf(self):
        year, village = self.year_spin.value(), common.own_village()
        actor = self.session.actor
        return save_pdf(self, "我们的节日活动计划", f"{year}年我们的节日活动计划.pdf",
                        lambda path, ctx: reports.festival_plan_pdf(path, year, village_id=village, actor=actor,
                                                                    progress=ctx.progress,
                                                                    cancelled=lambda: ctx.cancelled))
