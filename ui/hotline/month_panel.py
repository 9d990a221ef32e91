"""The monthly 通报: pick a month, read the figures (按时签收率, 按期办结率, 回访满意率, counts by
type, category and village, the overdue list) and write the PDF or the sheet in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.core import jobs
from civdesk.hotline import report, stats
from ui.field_errors import message_label, show_message
from ui.hotline.common import month_combo
from ui.list_model import Column, RowsSource, rows_view
from ui.session import Session
from ui.tasks import run_task
from ui.widgets.charts import figures_table, fill_table
from ui.widgets.pdf_save import save_pdf

KPI_TITLES = (("sign", "按时签收率"), ("handle", "按期办结率"), ("satisfaction", "回访满意率"))


def kpi_card(title: str, tooltip: str) -> tuple[QFrame, QLabel, QLabel]:
    card = QFrame()
    card.setFrameShape(QFrame.Shape.StyledPanel)
    card.setToolTip(tooltip)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(10, 6, 10, 6)
    caption = QLabel(title)
    caption.setProperty("role", "hint")
    value = QLabel("—")
    font = value.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    value.setFont(font)
    value.setWordWrap(True)
    layout.addWidget(caption)
    layout.addWidget(value)
    return card, caption, value


def _xlsx_work(ctx, actor, path: str, month: str) -> int:
    with jobs.own_connection():
        return report.month_xlsx(actor, path, month, progress=ctx.progress, cancelled=lambda: ctx.cancelled)


def _figures_work(_ctx, month: str):
    return stats.figures(month)


ASSIGNEE_HEADERS = ["承办单位", "承办件数", "按期办结率", "逾期未办结"]


class MonthPanel(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.task = None  # the month's figures being counted in the background
        self._again = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("月份"))
        self.month_combo = month_combo()
        top.addWidget(self.month_combo)
        self.as_of_label = QLabel()
        self.as_of_label.setProperty("role", "hint")
        top.addWidget(self.as_of_label, 1)
        can_export = session.actor.can("export_data") and not session.read_only  # both write an audit entry
        self.pdf_button = QPushButton("通报 PDF…")
        self.pdf_button.setProperty("primary", True)
        self.xlsx_button = QPushButton("工单明细 Excel…")
        self.xlsx_button.setToolTip("本月全部工单，来电人姓名和电话隐去部分")
        for button in (self.pdf_button, self.xlsx_button):
            button.setEnabled(can_export)
            top.addWidget(button)
        layout.addLayout(top)
        self.empty_label = QLabel("这个月还没有受理工单。工单在「工单看板」点「受理登记…」登记，"
                                  "每月的受理件数、按时签收率、按期办结率和回访满意率会在这里算出，可打印通报。")
        self.empty_label.setProperty("role", "notice")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._build_cards())
        layout.addLayout(self._build_tables(), 1)
        self.message = message_label()
        layout.addWidget(self.message)
        self.month_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.pdf_button.clicked.connect(lambda: self.write_pdf())
        self.xlsx_button.clicked.connect(lambda: self.write_xlsx())

    def _build_cards(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key, title in (("received", "受理件数"), *KPI_TITLES, ("overdue", "逾期未办结")):
            card, caption, value = kpi_card(title, stats.DEFINITIONS.get(key, ""))
            self.values[key] = value
            self.captions[key] = caption
            row.addWidget(card, 2 if key in stats.DEFINITIONS else 1)
        return row

    def _build_tables(self) -> QGridLayout:
        grid = QGridLayout()
        self.kind_table = figures_table(["类型", "件数"])
        self.category_table = figures_table(["类别", "件数"])
        self.village_table = figures_table(["村（社区）", "件数"])
        self.overdue = RowsSource([Column("number", "工单编号", 128), Column("village", "村/社区", 70),
                                   Column("problem", "问题", 96), Column("due", "期限", 86),
                                   Column("late", "逾期", 50, "right"), Column("mark", "处理", 44)])
        self.overdue_view, self.overdue_model = rows_view(self.overdue)
        self.overdue_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.overdue_title = QLabel("逾期未办结")
        for col, (title, table) in enumerate((("按类型", self.kind_table), ("按类别", self.category_table),
                                              ("按村（社区）", self.village_table))):
            grid.addWidget(QLabel(title), 0, col)
            grid.addWidget(table, 1, col)
        self.assignee_table = figures_table(ASSIGNEE_HEADERS)
        grid.addWidget(QLabel("按承办单位（本月受理的工单）"), 2, 0, 1, 3)
        grid.addWidget(self.assignee_table, 3, 0, 1, 3)
        grid.addWidget(self.overdue_title, 0, 3)
        grid.addWidget(self.overdue_view, 1, 3, 3, 1)
        for col, stretch in enumerate((2, 2, 2, 6)):
            grid.setColumnStretch(col, stretch)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        return grid

    @property
    def month(self) -> str:
        return self.month_combo.currentData()

    def refresh(self) -> None:
        """Count the month's figures in the background (every ticket of the month with its
        deadlines on the working-day calendar); the panel says so until they arrive."""
        if self.task is not None:  # one count at a time; the latest request runs next
            self._again = True
            return
        self.as_of_label.setText("正在统计…")
        self.task = run_task(self, "热线月度统计", _figures_work, self.month, on_done=self._show,
                             on_error=self._failed, show_progress=False, cancellable=False)

    def wait(self, timeout_ms: int = 60000) -> None:
        """Until the figures asked for are shown (tests, an export that needs them)."""
        while self.task is not None and self.task.wait(timeout_ms):
            pass

    def _finished(self) -> None:
        self.task = None
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, message: str) -> None:
        self.as_of_label.setText(f"统计没有完成：{message}")
        self._finished()

    def _show(self, found) -> None:
        self.figures = found
        self.as_of_label.setText(f"统计截至 {found.as_of}；把鼠标停在数字上可看计算方法")
        self.empty_label.setVisible(not found.received and not found.overdue)
        self.values["received"].setText(f"{found.received} 件")
        self.captions["received"].setText("受理件数" + (f"（另合并重复 {found.merged} 件）" if found.merged else ""))
        for key, _title in KPI_TITLES:
            self.values[key].setText(getattr(found, key).text)
        self.values["overdue"].setText(f"{len(found.overdue)} 件")
        fill_table(self.kind_table, ["类型", "件数"], found.by_kind)
        fill_table(self.category_table, ["类别", "件数"], found.by_category or [("（无）", 0)])
        fill_table(self.village_table, ["村（社区）", "件数"], found.by_village or [("（无）", 0)])
        fill_table(self.assignee_table, ASSIGNEE_HEADERS,
                   [(f.name, f.received, "—" if f.handle.value is None else f.handle.text, f.overdue)
                    for f in found.by_assignee] or [("（未派单）", 0, "—", 0)])
        for table in (self.kind_table, self.category_table, self.village_table, self.assignee_table):
            for row in range(table.rowCount()):
                item = table.item(row, 0)
                item.setToolTip(item.text())
        self.overdue.set_rows([(r.id, {"number": r.number, "village": r.village or "镇级",
                                       "problem": f"{r.category}·{r.kind}", "due": str(r.due),
                                       "late": f"{r.overdue_workdays} 天", "mark": r.escalation_label})
                               for r in found.overdue])
        self.overdue_model.refresh()
        self.overdue_title.setText(f"逾期未办结（{len(found.overdue)} 件）" if found.overdue else "逾期未办结：没有")
        self._finished()

    def _words(self) -> str:
        year, number = self.month.split("-")
        return f"{year}年{int(number)}月"

    def write_pdf(self, path: str | None = None):
        actor, month = self.session.actor, self.month
        return save_pdf(self, "热线工单月度通报", f"{self._words()}热线工单办理情况通报.pdf",
                        lambda target, ctx: report.month_pdf(target, month, actor=actor, progress=ctx.progress,
                                                             cancelled=lambda: ctx.cancelled),
                        path=path, open_when_done=path is None,
                        on_saved=lambda saved: show_message(self.message, f"已生成通报：{saved}"))

    def write_xlsx(self, path: str | None = None):
        if path is None:
            folder = QSettings().value("pdf/last_folder") or QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation)
            path, _ = QFileDialog.getSaveFileName(self, "导出工单明细", str(Path(folder) / f"{self._words()}热线工单.xlsx"),
                                                  "Excel 文件 (*.xlsx)")
            if not path:
                return None
        return run_task(self, "正在导出热线工单", _xlsx_work, self.session.actor, path, self.month,
                        on_done=lambda count: show_message(self.message, f"已导出 {count} 件工单到 {path}"))
