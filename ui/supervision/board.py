"""督查整改: the board (rounds due or missed; notices by state in their colours with the working
days left or overdue; filters by state and village; the 督查通报 of a month or a quarter as PDF or
xlsx), the record of inspections and the plans (rounds, areas, the 督查组, checklists). Opening
the board starts the sanitation sweep off the GUI thread, so a notice that ran overdue raises its 一票否决 without anyone pressing a button."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.core import jobs
from civdesk.supervision import inspections, plans, rectification, reports, sanitation
from civdesk.supervision.terms import INSPECTION_KINDS, NOTICE_STATES
from ui.field_errors import message_label, show_message
from ui.navigation import PageHost
from ui.session import Session
from ui.supervision.inspection_form import InspectionDialog
from ui.supervision.notice_editor import NoticeEditor
from ui.supervision.notice_page import NoticePage
from ui.supervision.plans_tab import PlansTab
from ui.supervision.widgets import (
    COLOUR_BACKGROUNDS,
    COLOUR_TEXT,
    ESCALATED_BACKGROUND,
    EmptyState,
    fill,
    plain_table,
    select_id,
    selected_id,
)
from ui.tasks import run_task
from ui.widgets.choices import village_combo
from ui.widgets.pdf_save import save_pdf

STATE_FILTERS = [("open", "未销号"), ("pending", NOTICE_STATES["pending"]), ("reported", NOTICE_STATES["reported"]),
                 ("failed", "复查未通过"), ("overdue", NOTICE_STATES["overdue"]), ("escalated", "督办"),
                 ("passed", "已销号"), ("", "全部")]
ROUND_STATES = {"open": "待督查", "missed": "未按期督查"}


def days_text(row) -> str:
    if row.state == "overdue":
        # the day after a Friday deadline is past it, yet no working day has gone by: not 「逾期 0 个工作日」
        text = f"逾期 {row.overdue_workdays} 个工作日" if row.overdue_workdays else "已过期限"
    elif row.state in ("pending", "failed"):
        text = f"剩 {row.workdays_left} 个工作日"
    else:
        text = "—"
    return text + (" ⚠" if row.warning else "")


def periods(today: dt.date) -> tuple[list[str], list[str]]:
    """The last twelve months and the last four quarters, newest first."""
    months, year, month = [], today.year, today.month
    for _ in range(12):
        months.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    quarter, year = (today.month - 1) // 3 + 1, today.year
    quarters = []
    for _ in range(4):
        quarters.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return months, quarters


class SupervisionPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.swept_on: dt.date | None = None
        self.dialog = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._board(), "督查看板")
        self.tabs.addTab(self._records(), "督查记录")
        self.plans_tab = PlansTab(session)
        self.tabs.addTab(self.plans_tab, "督查计划")
        self.tabs.currentChanged.connect(lambda _i: self.refresh())

    # -- building -----------------------------------------------------------------------------

    def _board(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addLayout(self._filters())
        self.rounds_label = QLabel()
        self.rounds_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.rounds_label)
        self.rounds = plain_table(["督查计划", "村/社区", "本期", "应督查日期", "情况"], [260, 100, 90, 110, 120], 0)
        layout.addWidget(self.rounds)
        self.notices = plain_table(["文号", "整改对象", "村/社区", "长效机制", "责任人", "整改期限", "剩余/逾期", "状态"],
                                   [190, 150, 80, 120, 70, 96, 130, 110], 1)
        self.empty = EmptyState("还没有限期整改通知书。督查发现问题后，在这里下发限期整改通知书，跟踪整改、复查到销号。",
                                "下发第一份整改通知书…", self.new_notice)
        layout.addWidget(self.notices, 1)
        layout.addWidget(self.empty)
        self.filler = QWidget()  # takes the table's room while the empty state shows
        self.filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.filler, 1)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #9a6b00;")
        layout.addWidget(self.warning)
        layout.addLayout(self._report_row())
        self.message = message_label()
        layout.addWidget(self.message)
        self.notices.doubleClicked.connect(lambda _i: self.open_notice())
        self.notices.itemSelectionChanged.connect(self._show_warning)
        self.rounds.doubleClicked.connect(lambda _i: self.inspect_round())
        return box

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("状态"))
        self.state_combo = QComboBox()
        for key, label in STATE_FILTERS:
            self.state_combo.addItem(label, key)
        row.addWidget(self.state_combo)
        row.addWidget(QLabel("村/社区"))
        self.village_combo = village_combo("全部")
        row.addWidget(self.village_combo)
        row.addStretch(1)
        actor, ro = self.session.actor, self.session.read_only
        self.inspect_button = QPushButton("登记督查…")
        self.inspect_button.setEnabled(actor.can("record_inspections") and not ro)
        self.notice_button = QPushButton("下发通知书…")
        self.notice_button.setProperty("primary", True)
        self.notice_button.setVisible(actor.can("issue_rectification"))
        self.notice_button.setEnabled(not ro)
        self.open_button = QPushButton("打开通知书")
        for button in (self.inspect_button, self.notice_button, self.open_button):
            row.addWidget(button)
        self.state_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.village_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.inspect_button.clicked.connect(lambda: self.new_inspection())
        self.notice_button.clicked.connect(lambda: self.new_notice())
        self.open_button.clicked.connect(lambda: self.open_notice())
        return row

    def _report_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("督查通报"))
        self.period_kind = QComboBox()
        self.period_kind.addItems(["月度", "季度"])
        self.period_combo = QComboBox()
        row.addWidget(self.period_kind)
        row.addWidget(self.period_combo)
        self.summary_pdf_button = QPushButton("通报 PDF")
        self.summary_xlsx_button = QPushButton("通报 Excel")
        row.addWidget(self.summary_pdf_button)
        row.addWidget(self.summary_xlsx_button)
        row.addStretch(1)
        self.period_kind.currentIndexChanged.connect(lambda _i: self._fill_periods())
        self._fill_periods()
        self.summary_pdf_button.clicked.connect(lambda: self.summary_pdf())
        self.summary_xlsx_button.clicked.connect(lambda: self.summary_xlsx())
        return row

    def _fill_periods(self) -> None:
        months, quarters = periods(dt.date.today())
        self.period_combo.clear()
        self.period_combo.addItems(months if self.period_kind.currentIndex() == 0 else quarters)

    def _records(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel("近一年的督查和自查记录；选中一条有问题的记录，可据此下发整改通知书。"))
        row.addStretch(1)
        self.record_inspect_button = QPushButton("登记督查…")
        self.record_inspect_button.setEnabled(self.inspect_button.isEnabled())
        self.record_notice_button = QPushButton("据此下发通知书…")
        self.record_notice_button.setVisible(self.session.actor.can("issue_rectification"))
        self.record_notice_button.setEnabled(self.notice_button.isEnabled())
        row.addWidget(self.record_inspect_button)
        row.addWidget(self.record_notice_button)
        layout.addLayout(row)
        self.records = plain_table(["督查日期", "类别", "村/社区", "督查对象", "长效机制", "督查人员", "问题"],
                                   [96, 110, 80, 180, 140, 150, 56], 3)
        self.records_empty = EmptyState("还没有督查记录。每次督查（村、社区自查）登记一条：检查表逐项评价，发现的问题附上照片。",
                                        "登记第一次督查…", self.new_inspection)
        layout.addWidget(self.records, 1)
        layout.addWidget(self.records_empty)
        layout.addStretch(0)
        self.record_message = message_label()
        layout.addWidget(self.record_message)
        self.record_inspect_button.clicked.connect(lambda: self.new_inspection())
        self.record_notice_button.clicked.connect(lambda: self.notice_from_inspection())
        return box

    # -- showing ------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.sweep()
        self.refresh()

    def show_section(self, section: str) -> None:
        """工作台 links: "rounds" shows the rounds due, "notices" the open notices."""
        self.tabs.setCurrentIndex(0)
        if section == "notices":
            self.state_combo.setCurrentIndex(0)
            self.notices.setFocus()
        elif section == "rounds":
            self.rounds.setFocus()
            if self.rounds.rowCount():
                self.rounds.selectRow(0)
        elif section == "records":
            self.tabs.setCurrentIndex(1)
        elif section == "plans":
            self.tabs.setCurrentIndex(2)
        elif section.startswith("notice/"):  # the 活动 calendar's 整改 deadline
            self.open_notice(section.removeprefix("notice/"))
        elif section.startswith("round/"):  # the 活动 calendar's round: its line in the rounds due, if there
            self.rounds.setFocus()
            wanted = section.removeprefix("round/")
            for row in range(self.rounds.rowCount()):
                key = self.rounds.item(row, 0).data(Qt.ItemDataRole.UserRole) if self.rounds.item(row, 0) else None
                if isinstance(key, (tuple, list)) and key and key[0] == wanted:
                    self.rounds.selectRow(row)
                    break

    def sweep(self):
        """Once a day per session: overdue sanitation notices raise their 一票否决. The sweep runs
        off the GUI thread (run_task, its own connection); when it made a veto the board refreshes
        and says so. Returns the task's handle, or None when there was nothing to do."""
        today = dt.date.today()
        if self.swept_on == today or self.session.read_only or not self.session.actor.can("review_units"):
            return None
        self.swept_on = today
        self.sweep_task = run_task(self, "正在检查逾期的卫生类整改", _sweep_work, self.session.actor, today,
                                   on_done=self._swept, on_error=lambda text: show_message(self.message, text, ok=False),
                                   show_progress=False, cancellable=False)
        return self.sweep_task

    def _swept(self, made: int) -> None:
        self.sweep_made = made
        if made:
            self.refresh()
            show_message(self.message, f"有通知书逾期未整改：已对 {made} 份创建申报提请一票否决"
                                       "（环境卫生长效管理不达标），见「文明创建」。")

    def refresh(self) -> None:
        if self.tabs.currentIndex() == 2:
            self.plans_tab.refresh()
            return
        if self.tabs.currentIndex() == 1:
            self.refresh_records()
            return
        self.refresh_rounds()
        self.refresh_notices()

    def refresh_rounds(self) -> None:
        village = self.village_combo.currentData() or None
        due = [o for o in plans.due_soon() if not village or o.village_id == village]
        fill(self.rounds, [((o.round_id, o.period), [o.round_name, o.village_name, o.period, o.due,
                                                      ROUND_STATES.get(o.state, o.state)]) for o in due],
             {(o.round_id, o.period): (COLOUR_BACKGROUNDS["red"] if o.state == "missed" else COLOUR_BACKGROUNDS["yellow"],
                                       None) for o in due})
        self.rounds.setVisible(bool(due))
        shown = min(len(due), 4)  # the notices keep the room; more rounds scroll inside
        self.rounds.setFixedHeight(self.rounds.horizontalHeader().height() + 4
                                   + sum(self.rounds.rowHeight(r) for r in range(shown)))
        self.rounds_label.setText(f"待督查的计划（{len(due)}）：双击一行按计划登记督查" if due else
                                  "督查计划：本期和近期的督查都已按计划完成。")

    def refresh_notices(self) -> None:
        key = self.state_combo.currentData()
        village = self.village_combo.currentData() or None
        if key == "open":
            rows = rectification.notices(open_only=True, village_id=village)
        else:
            rows = rectification.notices(state=key or None, village_id=village)
        styles = {}
        for r in rows:
            background = ESCALATED_BACKGROUND if r.escalated else COLOUR_BACKGROUNDS[r.colour]
            styles[r.id] = (background, COLOUR_TEXT[r.colour] if r.colour != "ok" else None)
        fill(self.notices, [(r.id, [r.number, r.target_name, r.village_name, r.mechanism, r.responsible, r.deadline,
                                    days_text(r), r.state_label]) for r in rows], styles)
        for index, r in enumerate(rows):
            if r.warning:
                self.notices.item(index, 6).setToolTip(r.warning)
        self.rows = {r.id: r for r in rows}
        anything = bool(rows) or bool(rectification.notices())
        self.notices.setVisible(anything)
        self.empty.setVisible(not anything)
        self.filler.setVisible(not anything)
        self.empty.button.setVisible(self.session.actor.can("issue_rectification") and not self.session.read_only)
        self._show_warning()

    def _show_warning(self) -> None:
        row = self.rows.get(selected_id(self.notices)) if hasattr(self, "rows") else None
        warning = row.warning if row is not None else next((r.warning for r in self.rows.values() if r.warning), "")
        self.warning.setText(f"⚠ {warning}" if warning else "")
        self.warning.setVisible(bool(warning))

    def refresh_records(self) -> None:
        since = dt.date.today() - dt.timedelta(days=366)
        found = inspections.inspection_rows(start=since)
        fill(self.records, [(i.id, [i.day, INSPECTION_KINDS.get(i.kind, i.kind), i.village_name, i.target_name,
                                    i.mechanism, i.inspectors, i.problems or ""]) for i in found])
        self.inspection_rows = {i.id: i for i in found}
        self.records.setVisible(bool(found))
        self.records_empty.setVisible(not found)
        self.records_empty.button.setVisible(self.inspect_button.isEnabled())

    # -- actions ------------------------------------------------------------------------------

    def new_inspection(self, **preset) -> InspectionDialog:
        dialog = InspectionDialog(self.session, self, **preset)
        dialog.accepted.connect(lambda: self._recorded(dialog.saved))
        self.dialog = dialog
        dialog.open()
        return dialog

    def inspect_round(self) -> InspectionDialog | None:
        key = selected_id(self.rounds)
        return self.new_inspection(round_id=key[0]) if key else None

    def _recorded(self, row) -> None:
        self.refresh()
        count = len(inspections.findings_of([row.id]))
        text = f"已登记 {row.day} 的督查" + (f"，发现 {count} 个问题：可在「督查记录」中选中它下发整改通知书。"
                                           if count else "，没有发现问题。")
        show_message(self.message, text)
        show_message(self.record_message, text)

    def new_notice(self, **preset) -> NoticeEditor:
        dialog = NoticeEditor(self.session, self, **preset)
        dialog.accepted.connect(lambda: self._issued(dialog.saved))
        self.dialog = dialog
        dialog.open()
        return dialog

    def notice_from_inspection(self) -> NoticeEditor | None:
        row = self.inspection_rows.get(selected_id(self.records)) if hasattr(self, "inspection_rows") else None
        if row is None:
            show_message(self.record_message, "请先选中一条督查记录。", ok=False)
            return None
        found = inspections.findings_of([row.id])
        if not found:
            show_message(self.record_message, "这次督查没有发现问题，不用下发整改通知书。", ok=False)
            return None
        target = inspections.get(row.id)
        value = {"org": target.org_id, "holder": target.holder_id}.get(row.target_kind) or target.place
        return self.new_notice(target=(row.target_kind, value, row.village_id), mechanism=row.mechanism,
                               finding_ids=[f.id for f in found])

    def _issued(self, notice) -> None:
        self.tabs.setCurrentIndex(0)
        self.state_combo.setCurrentIndex(0)
        self.refresh()
        select_id(self.notices, notice.id)
        row = self.rows.get(notice.id)
        show_message(self.message, f"已下发 {notice.number}，整改期限 {notice.deadline}"
                                   + (f"（{row.warning}）" if row is not None and row.warning else "")
                                   + "。请打印通知书送达。")

    def open_notice(self, notice_id: str | None = None) -> NoticePage | None:
        notice_id = notice_id or selected_id(self.notices)
        if not notice_id:
            show_message(self.message, "请先在列表中选中一份通知书。", ok=False)
            return None
        dialog = NoticePage(self.session, notice_id, self)
        dialog.finished.connect(lambda _r: self.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- 督查通报 -------------------------------------------------------------------------------

    def _period(self) -> tuple[str | None, str | None, str]:
        text = self.period_combo.currentText()
        return (None, text, text) if "Q" in text else (text, None, text)

    def summary_pdf(self, path: str | None = None):
        month, quarter, label = self._period()
        actor = self.session.actor
        return save_pdf(self, "督查通报", f"督查通报 {label}.pdf",
                        lambda target, ctx: reports.summary_pdf(target, month, quarter=quarter, actor=actor), path=path)

    def summary_xlsx(self, path: str | None = None):
        month, quarter, label = self._period()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "保存督查通报", f"督查通报 {label}.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return None
        return run_task(self, "正在生成督查通报", _xlsx_work, path, month, quarter, self.session.actor,
                        on_done=lambda saved: show_message(self.message, f"督查通报已保存到 {saved}"),
                        on_error=lambda text: show_message(self.message, text, ok=False))


def _sweep_work(ctx, actor, today: dt.date) -> int:
    return sanitation.sweep(actor, today)


def _xlsx_work(ctx, path: str, month, quarter, actor) -> str:
    with jobs.own_connection():
        reports.summary_xlsx(path, month, quarter=quarter, actor=actor)
    return path
