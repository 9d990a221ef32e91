"""文明创建: this year's applications by status (a count per status, the list under the chosen
one), the notices with their objections, and the indicator sets.

Publishing a notice and naming are explicit actions on the applications selected here, each
with a dialog that says what will happen; the rules (score lines, vetoes, the notice rule) are
in the services, and a refusal says which application and why.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.notices import public_notices as notices
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import workflow as unit_workflow
from civdesk.units.terms import STATUS_ORDER, STATUSES, TITLES, points_text
from ui.field_errors import message_label, show_message
from ui.list_model import Column, RowsSource, attach_filter, rows_view
from ui.navigation import PageHost
from ui.notices.notice_panel import NoticePanel
from ui.session import Session
from ui.tasks import run_task
from ui.units.application import open_application
from ui.units.dialogs import NameDialog, NewApplicationDialog, UnitNoticeDialog
from ui.units.indicator_set_dialog import IndicatorSetDialog
from ui.volunteers.records import selected_ids
from ui.widgets.empty import empty_hint
from ui.widgets.pdf_save import save_pdf

HELP = {
    "": "双击一份申报打开它：填写或查看自评分、测评分和材料。",
    "draft": "草稿：由村（社区）或单位填写自评分和总结，自评达到分数线后提交。",
    "submitted": "已提交：审核人打开申报，点「受理初审」。",
    "prelim": "初审：审核材料，齐全的「进入测评」，不齐全的「退回修改」。",
    "assessing": "测评：逐项录入测评分。达到通过分数且没有否决的，选中后点「发布公示…」（可多选）。",
    "notice": "公示：公示期满且异议核实完毕后，选中后点「命名…」。",
    "named": "已命名：称号见「创建单位」页；可打印命名决定。",
    "failed": "未通过。",
}
# What a clerk reads instead where the next step is the township's.
HELP_CLERK = {
    "submitted": "已提交：等待镇文明办受理初审。",
    "prelim": "初审：镇文明办正在审核材料；需要补充的会退回到草稿，并写明要改什么。",
    "assessing": "测评：镇文明办正在实地测评和打分。",
    "notice": "公示：公示期满、异议核实完毕后，由镇文明办作出命名决定。",
}


class UnitsBoardPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.status = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._board(), "申报看板")
        self.notice_tab = self._notices()
        self.tabs.addTab(self.notice_tab, "公示与异议")
        self.tabs.addTab(self._sets(), "测评体系")
        self.tabs.currentChanged.connect(lambda _i: self.on_shown())

    # -- the board ----------------------------------------------------------------------------

    def _board(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addLayout(self._build_board_toolbar())
        layout.addLayout(self._build_status_strip())
        self.help_label = QLabel(HELP[""])
        self.help_label.setWordWrap(True)
        self.help_label.setProperty("role", "notice")
        layout.addWidget(self.help_label)
        layout.addWidget(self._build_application_list(), 1)
        self.message = message_label()
        layout.addWidget(self.message)

        attach_filter(self.search_edit, self.model)
        self.year_spin.valueChanged.connect(lambda _v: self.refresh())
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.new_button.clicked.connect(lambda: self.new_application())
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.publish_button.clicked.connect(lambda: self.publish())
        self.name_button.clicked.connect(lambda: self.name())
        self.decision_button.clicked.connect(lambda: self.print_decision())
        return box

    def _build_board_toolbar(self) -> QHBoxLayout:
        """The year, the filter and the buttons above the list."""
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.year_spin.setSuffix(" 年")
        top.addWidget(self.year_spin)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("按单位名称、称号筛选")
        self.search_edit.setClearButtonEnabled(True)
        top.addWidget(self.search_edit, 1)
        actor, ro = self.session.actor, self.session.read_only
        self.new_button = QPushButton("新建申报…")
        self.new_button.setProperty("primary", True)
        self.new_button.setEnabled(actor.can("edit_unit_applications") and not ro)
        self.open_button = QPushButton("打开")
        self.publish_button = QPushButton("发布公示…")
        self.name_button = QPushButton("命名…")
        self.decision_button = QPushButton("命名决定 PDF")
        for button in (self.new_button, self.open_button, self.publish_button, self.name_button,
                       self.decision_button):
            top.addWidget(button)
        self.publish_button.setVisible(actor.can("review_units") and actor.can("publish_notices"))
        self.name_button.setVisible(actor.can("name_units"))
        for button in (self.publish_button, self.name_button):
            button.setEnabled(not ro)
        return top

    def _build_status_strip(self) -> QHBoxLayout:
        """One button per status with its count; the list shows the checked one."""
        strip = QHBoxLayout()
        self.status_group = QButtonGroup(self)
        self.status_buttons: dict[str, QPushButton] = {}
        for key in ("", *STATUS_ORDER):
            button = QPushButton(STATUSES.get(key, "全部"))
            button.setCheckable(True)
            button.setMinimumWidth(92)
            self.status_group.addButton(button)
            self.status_buttons[key] = button
            strip.addWidget(button)
            button.clicked.connect(lambda _c=False, k=key: self.show_status(k))
        self.status_buttons[""].setChecked(True)
        strip.addStretch(1)
        return strip

    def _build_application_list(self) -> QWidget:
        self.rows = RowsSource([Column("org", "申报单位", 180), Column("kind", "类型", 104),
                                Column("village", "村/社区", 84), Column("title", "申报称号", 130),
                                Column("status", "状态", 70), Column("self", "自评分", 70, "right"),
                                Column("assessed", "测评分", 70, "right"), Column("state", "情况", 240)])
        self.view, self.model = rows_view(self.rows)
        self.empty = empty_hint(self.view, "这一栏还没有申报。创建单位在「新建申报」后自评打分、上传材料，提交后依次经过"
                                           "初审、测评、公示和命名。", "新建申报…", lambda: self.new_application())
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setMinimumSectionSize(60)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # 情况 elides; hover shows all
        return self.view

    @property
    def year(self) -> int:
        return self.year_spin.value()

    def on_shown(self) -> None:
        self.refresh()

    def show_section(self, section: str) -> None:
        """Start-page links: "units/submitted" opens the board at that status."""
        if section in STATUSES:
            self.tabs.setCurrentIndex(0)
            self.show_status(section)

    def refresh(self) -> None:
        village_names = {o.id: o.name for o in units.office_service.villages()}
        apps = unit_scoring.applications_in_year(self.year)
        counts = {key: 0 for key in STATUS_ORDER}
        for app in apps:
            counts[app.status] = counts.get(app.status, 0) + 1
        for key, button in self.status_buttons.items():
            button.setText(f"{STATUSES.get(key, '全部')}（{counts[key] if key else len(apps)}）")
        shown = [a for a in apps if not self.status or a.status == self.status]
        shown.sort(key=lambda a: STATUS_ORDER.index(a.status))
        states = unit_workflow.situations([a.id for a in shown])
        self.rows.set_rows([(a.id, {
            "org": a.org_name, "kind": a.org_kind, "village": village_names.get(a.village_id, "镇级"),
            "title": a.title_text, "status": STATUSES[a.status],
            "self": points_text(a.self_tenths), "assessed": points_text(a.assessed_tenths),
            "_sort_self": a.self_tenths, "_sort_assessed": a.assessed_tenths or 0,
            "state": states[a.id]})
            for a in shown])
        self.model.refresh()
        self.counts = counts
        self.refresh_notices()

    def show_status(self, key: str) -> None:
        self.status = key
        self.status_buttons[key].setChecked(True)
        clerk = not self.session.actor.can("review_units")
        self.help_label.setText(HELP_CLERK.get(key, HELP[key]) if clerk else HELP[key])
        self.refresh()

    def selected(self) -> list[str]:
        return selected_ids(self.view, self.model)

    def select_ids(self, ids: list[str]) -> None:
        self.view.clearSelection()
        flags = self.view.selectionModel().SelectionFlag
        for app_id in ids:
            row = self.model.row_of(app_id)
            if row >= 0:
                self.view.selectionModel().select(self.model.index(row, 0), flags.Select | flags.Rows)

    # -- actions ------------------------------------------------------------------------------

    def new_application(self) -> NewApplicationDialog:
        dialog = NewApplicationDialog(self.session, self.year, parent=self)
        dialog.accepted.connect(lambda: self._created(dialog.result_value))
        dialog.open()
        return dialog

    def _created(self, app) -> None:
        self.show_status("draft")
        show_message(self.message, "已新建申报草稿，请填写自评分和创建工作总结。")
        self.editor = open_application(self.session, app.id, self, on_closed=self.refresh)

    def open_selected(self):
        ids = self.selected()
        if not ids:
            show_message(self.message, "请先在列表中选中一份申报。", ok=False)
            return None
        self.editor = open_application(self.session, ids[0], self, on_closed=self.refresh)
        return self.editor

    def publish(self) -> UnitNoticeDialog | None:
        ids = self.selected()
        if not ids:
            show_message(self.message, "请先选中要公示的申报（测评中、已达通过分数、没有否决的；可按住 Ctrl 多选）。",
                         ok=False)
            return None
        blockers = unit_workflow.notice_blockers([unit_scoring.get(i) for i in ids])
        refused = [f"「{self.rows.row(i)['org']}」{blockers[i]}" for i in ids if blockers[i]]
        if refused:
            show_message(self.message, "不能公示：" + "；".join(refused), ok=False)
            return None
        dialog = UnitNoticeDialog(self.session, ids, self.year, self)
        dialog.accepted.connect(lambda: self._published(dialog.notice))
        dialog.open()
        return dialog

    def _published(self, notice) -> None:
        self.refresh()
        show_message(self.message, f"已发布公示「{notice.title}」，{notice.end_date} 期满。"
                                   "在「公示与异议」中可登记异议、打印公示名单。")

    def name(self) -> NameDialog | None:
        ids = self.selected()
        if not ids:
            show_message(self.message, "请先选中公示期满的申报（可多选）。", ok=False)
            return None
        blockers = unit_workflow.naming_blockers([unit_scoring.get(i) for i in ids])
        refused = [f"「{self.rows.row(i)['org']}」{blockers[i]}" for i in ids if blockers[i]]
        if refused:
            show_message(self.message, "不能命名：" + "；".join(refused), ok=False)
            return None
        labels = [(i, f"{self.rows.row(i)['org']}　{self.rows.row(i)['title']}") for i in ids]
        dialog = NameDialog(self.session, labels, self.year, self)
        dialog.accepted.connect(lambda: (self.show_status("named"), show_message(
            self.message, f"已命名 {len(ids)} 个单位。请点「命名决定 PDF」打印命名决定。")))
        dialog.open()
        return dialog

    def print_decision(self, path: str | None = None):
        from civdesk.units import reports as unit_reports

        actor, year = self.session.actor, self.year
        return save_pdf(self, "命名决定", f"{year}年度文明单位命名决定.pdf",
                        lambda target, ctx: unit_reports.decision_pdf(target, year, actor=actor), path=path)

    # -- notices ------------------------------------------------------------------------------

    def _notices(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel("公示"))
        self.notice_combo = QComboBox()
        self.notice_combo.setMinimumContentsLength(30)
        row.addWidget(self.notice_combo, 1)
        layout.addLayout(row)
        self.notice_panel = NoticePanel(self.session, self, columns=("单位名称", "拟命名称号"))
        layout.addWidget(self.notice_panel, 1)
        self.notice_combo.currentIndexChanged.connect(lambda _i: self.notice_panel.show_notice(
            self.notice_combo.currentData()))
        self.notice_panel.changed.connect(self.refresh)
        return box

    def refresh_notices(self) -> None:
        current = self.notice_combo.currentData()
        self.notice_combo.blockSignals(True)
        self.notice_combo.clear()
        found = notices.for_subject("unit", str(self.year))
        states = notices.statuses(found)
        for notice in found:
            state = states[notice.id].text
            self.notice_combo.addItem(f"{notice.title}（{notice.start_date} 至 {notice.end_date}，{state}）", notice.id)
        if self.notice_combo.count() == 0:
            self.notice_combo.addItem("（这一年度还没有公示：在「申报看板」选中测评达标的申报，点「发布公示…」）", None)
        index = self.notice_combo.findData(current)
        self.notice_combo.setCurrentIndex(max(index, 0))
        self.notice_combo.blockSignals(False)
        self.notice_panel.show_notice(self.notice_combo.currentData())

    # -- indicator sets -----------------------------------------------------------------------

    def _sets(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel("测评体系按年度和称号管理；导入区里的测评细则会成为当年的新版本，已开始的申报仍按原版本评分。"))
        self.set_rows = RowsSource([Column("year", "年度", 60), Column("kind", "适用称号", 90),
                                    Column("name", "名称", 300), Column("version", "版本", 50),
                                    Column("items", "指标数", 60, "right"), Column("total", "总分", 60, "right"),
                                    Column("lines", "分数线（申报/通过）", 180)])
        self.set_view, self.set_model = rows_view(self.set_rows)
        layout.addWidget(self.set_view, 1)
        empty_hint(self.set_view, "这一年还没有测评体系。测评体系是申报和测评打分用的指标和分值；"
                                  "可以从默认的测评体系开始，再按本镇要求修改。")
        row = QHBoxLayout()
        self.edit_set_button = QPushButton("编辑所选（存为新版本）…")
        self.export_set_button = QPushButton("导出所选到 Excel…")
        self.import_kind = QComboBox()
        self.import_kind.addItems(TITLES)
        self.import_set_button = QPushButton("从 Excel 导入…")
        editable = self.session.actor.can("edit_indicator_sets") and not self.session.read_only
        self.import_set_button.setEnabled(editable)
        self.import_kind.setEnabled(editable)
        self.edit_set_button.setEnabled(editable)
        row.addWidget(self.edit_set_button)
        row.addWidget(self.export_set_button)
        row.addStretch(1)
        row.addWidget(QLabel("导入为"))
        row.addWidget(self.import_kind)
        row.addWidget(QLabel("（年度取看板上选的年度）"))
        row.addWidget(self.import_set_button)
        layout.addLayout(row)
        self.set_message = message_label()
        layout.addWidget(self.set_message)
        self.export_set_button.clicked.connect(lambda: self.export_set())
        self.edit_set_button.clicked.connect(lambda: self.edit_set())
        self.import_set_button.clicked.connect(lambda: self.import_set())
        self.tabs.currentChanged.connect(lambda _i: self.refresh_sets())
        return box

    def refresh_sets(self) -> None:
        rows = []
        every = units.sets()
        items, lines = units.items_of_sets(s.id for s in every), units.thresholds_of(every)
        for s in every:
            found, line = items[s.id], lines[s.id]
            rows.append((s.id, {"year": s.year, "kind": s.kind, "name": s.name, "version": s.version,
                                "items": len(found), "total": points_text(sum(i.max_tenths for i in found)),
                                "lines": f"{line.self_text} / {line.pass_text} 分"}))
        self.set_rows.set_rows(rows)
        self.set_model.refresh()

    def edit_set(self) -> IndicatorSetDialog:
        ids = selected_ids(self.set_view, self.set_model)
        dialog = IndicatorSetDialog(self.session, ids[0] if ids else None, self.year, self)
        dialog.accepted.connect(lambda: (self.refresh_sets(), show_message(
            self.set_message, f"已保存「{dialog.saved.name}」（第 {dialog.saved.version} 版），新建的申报按它评分。")))
        dialog.open()
        return dialog

    def export_set(self, path: str | None = None) -> bool:
        from civdesk.units import indicator_sheets as indicator_xlsx

        ids = selected_ids(self.set_view, self.set_model)
        if not ids:
            show_message(self.set_message, "请先选中一个测评体系。", ok=False)
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出测评体系", f"{self.set_rows.row(ids[0])['name']}.xlsx",
                                                  "Excel 文件 (*.xlsx)")
        if not path:
            return False
        try:
            indicator_xlsx.export_set(self.session.actor, ids[0], path)
        except CivDeskError as exc:
            show_message(self.set_message, str(exc), ok=False)
            return False
        show_message(self.set_message, f"已导出到 {path}")
        return True

    def import_set(self, path: str | None = None):
        """Read the sheet in the background (run_task); the result or the list of wrong cells
        shows under the table."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择测评体系 Excel", "", "Excel 文件 (*.xlsx)")
        if not path:
            return None

        def done(made: tuple[str, int]) -> None:
            self.refresh_sets()
            show_message(self.set_message, f"已导入「{made[0]}」（第 {made[1]} 版），新建的申报按它评分。")

        return run_task(self, "导入测评体系", _import_set_work, self.session.actor, path,
                        self.import_kind.currentText(), self.year, on_done=done,
                        on_error=lambda message: show_message(self.set_message, message, ok=False))


def _import_set_work(ctx, actor, path: str, kind: str, year: int) -> tuple[str, int]:
    from civdesk.units import indicator_sheets as indicator_xlsx

    made = indicator_xlsx.import_set(actor, path, kind, year, progress=ctx.progress,
                                     cancelled=lambda: ctx.cancelled)
    return made.name, made.version
