"""好人评选: a session board by phase (推荐 → 初审 → 评议 → 公示 → 表彰) with the one next step
always offered as the main button, and tabs for the nominations, the committee, scoring, the
tally and 公示/表彰. Every rule is the services'; this page presents and calls them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.nominations import award, reports, review
from civdesk.nominations import nominees as nominations
from civdesk.nominations.terms import PHASE_ORDER, PHASES
from ui.field_errors import message_label, show_message
from ui.navigation import PageHost
from ui.nominations.editor import NominationEditor
from ui.nominations.forms import CheckDialog, MembersTab, SessionDialog
from ui.nominations.nominee_record import PersonRecordDialog
from ui.nominations.scoring_page import ScoringTab
from ui.nominations.tally import AwardTab, TallyTab
from ui.session import Session
from ui.widgets.empty import EmptyState, empty_hint
from ui.widgets.pdf_save import save_pdf
from ui.widgets.tables import current_id, set_row, simple_table

NEXT_STEP = {"recommend": "推荐截止，开始初审", "check": "初审结束，开始评议", "review": "结束评议（锁定打分）",
             "notice": "去公示与表彰", "award": "评选已完成"}
STATUS_COLORS = {"returned": "#a93226", "passed": "#1e8449", "honoured": "#b9770e", "not_selected": "#7f8c8d"}


class NominationsTab(QWidget):
    COLUMNS = ["姓名", "村（社区）", "类别", "一句话事迹", "事迹字数", "照片", "推荐人", "状态", "曾获荣誉"]

    def __init__(self, session: Session, board, parent=None):
        super().__init__(parent)
        self.session, self.board = session, board
        self.session_id = ""
        self.rows: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.table = simple_table(self.COLUMNS)
        for col, width in enumerate((80, 90, 80, 320, 70, 50, 170, 80)):
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)
        self.empty = empty_hint(self.table, "还没有推荐。推荐阶段里，每一位被推荐人填一份推荐（身份证号码、一句话事迹和 "
                                            "800–2000 字的主要事迹、照片），再经初审进入评议。",
                                "新增推荐…", lambda: self.open_nomination(new=True))
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新增推荐…")
        self.new_button.setProperty("primary", True)
        self.open_button = QPushButton("查看/修改")
        self.pass_button = QPushButton("初审通过…")
        self.return_button = QPushButton("退回…")
        self.resubmit_button = QPushButton("重新提交初审")
        self.delete_button = QPushButton("删除…")
        self.form_button = QPushButton("打印推荐表")
        self.record_button = QPushButton("人员档案")
        for button in (self.new_button, self.open_button, self.pass_button, self.return_button,
                       self.resubmit_button, self.form_button, self.record_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = message_label()
        layout.addWidget(self.message)
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        self.table.cellDoubleClicked.connect(lambda *_a: self.open_nomination())
        self.new_button.clicked.connect(lambda: self.open_nomination(new=True))
        self.open_button.clicked.connect(lambda: self.open_nomination())
        self.pass_button.clicked.connect(lambda: self.check(returning=False))
        self.return_button.clicked.connect(lambda: self.check(returning=True))
        self.resubmit_button.clicked.connect(self.resubmit)
        self.form_button.clicked.connect(lambda: self.print_form())
        self.record_button.clicked.connect(lambda: self.open_record())
        self.delete_button.clicked.connect(lambda: self.delete())

    def show_session(self, session_id: str, select: str | None = None) -> None:
        self.session_id = session_id
        select = select or current_id(self.table)
        record = nominations.get_session(session_id)
        self.rows = nominations.rows(session_id)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            status = row.status_label
            if record.phase == "check" and row.status == "recommended":
                status = "待初审"
            set_row(self.table, r, [row.name, row.village, row.category, row.summary, str(row.story_chars),
                                    str(row.photos), row.recommender, status, "；".join(row.earlier_honours)], row.id)
            color = STATUS_COLORS.get(row.status)
            if color:
                self.table.item(r, 7).setForeground(QBrush(QColor(color)))
            if row.status == "returned":
                self.table.item(r, 7).setToolTip(f"退回原因：{row.return_reason}")
            self.table.item(r, 3).setToolTip(row.summary)
            if row.earlier_honours:
                self.table.item(r, 8).setToolTip("\n".join(row.earlier_honours))
        target = next((r for r, row in enumerate(self.rows) if row.id == select), 0 if self.rows else -1)
        self.table.setCurrentCell(target, 0)
        self._update_buttons()

    def current(self):
        row_id = current_id(self.table)
        return next((r for r in self.rows if r.id == row_id), None)

    def _update_buttons(self) -> None:
        actor, ro = self.session.actor, self.session.read_only
        record = nominations.get_session(self.session_id) if self.session_id else None
        row = self.current()
        phase = record.phase if record else ""
        self.new_button.setEnabled(not ro and actor.can("edit_nominations") and phase == "recommend")
        self.empty.button.setVisible(self.new_button.isEnabled())
        self.open_button.setEnabled(row is not None)
        checking = not ro and actor.can("check_nominations") and phase == "check" and row is not None
        self.pass_button.setEnabled(checking and row.status == "recommended")
        self.return_button.setEnabled(checking and row.status in ("recommended", "passed"))
        self.resubmit_button.setEnabled(not ro and actor.can("edit_nominations") and phase == "check"
                                        and row is not None and row.status == "returned")
        self.form_button.setEnabled(row is not None)
        self.record_button.setEnabled(row is not None)
        self.delete_button.setEnabled(not ro and actor.can("edit_nominations") and row is not None
                                      and row.status in nominations.EDITABLE_STATUSES and phase in ("recommend", "check"))

    def open_nomination(self, new: bool = False) -> NominationEditor | None:
        row = None if new else self.current()
        if not new and row is None:
            return None
        dialog = NominationEditor(self.session, self.session_id, None if new else row.id, self)
        dialog.saved.connect(lambda saved: (self.board.refresh(), self.show_session(self.session_id, saved),
                                            show_message(self.message, "已保存推荐。")))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def check(self, returning: bool) -> CheckDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = CheckDialog(self.session, row.id, returning, self)
        dialog.accepted.connect(lambda: (self.board.refresh(), show_message(
            self.message, f"{row.name}：{'已退回' if returning else '初审通过'}。")))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def resubmit(self) -> bool:
        row = self.current()
        try:
            nominations.resubmit(self.session.actor, row.id)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.board.refresh()
        show_message(self.message, f"{row.name} 的推荐已重新提交初审。")
        return True

    def delete(self, reason: str | None = None) -> bool:
        row = self.current()
        if row is None:
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(self, "删除推荐", f"删除 {row.name} 的推荐的原因（如：推荐人撤回、重复录入）：")
            if not ok:
                return False
        try:
            nominations.delete(self.session.actor, row.id, reason)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self.board.refresh()
        show_message(self.message, f"已删除 {row.name} 的推荐。")
        return True

    def print_form(self, path: str | None = None):
        row, actor = self.current(), self.session.actor
        return save_pdf(self, "推荐表", f"{row.name}推荐表.pdf",
                        lambda target, _ctx: reports.nomination_form(target, row.id, actor=actor), path=path)

    def open_record(self) -> PersonRecordDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = PersonRecordDialog(self.session, row.nominee_id, row.id, self)
        dialog.finished.connect(lambda _r: self.show_session(self.session_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog


class NominationsPage(QWidget):
    def __init__(self, session: Session, host: PageHost | None = None, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_session_row())
        self.phase_row = QWidget()  # hidden with its arrows while there is no session
        phases = QHBoxLayout(self.phase_row)
        phases.setContentsMargins(0, 0, 0, 0)
        self.phase_labels = {}
        for number, key in enumerate(PHASE_ORDER):
            if number:
                phases.addWidget(QLabel("→"))
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setMinimumWidth(110)
            self.phase_labels[key] = label
            phases.addWidget(label)
        phases.addSpacing(16)
        self.next_button = QPushButton()
        self.next_button.setProperty("primary", True)
        phases.addWidget(self.next_button)
        phases.addStretch(1)
        layout.addWidget(self.phase_row)
        self.next_hint = QLabel()
        self.next_hint.setWordWrap(True)
        layout.addWidget(self.next_hint)
        self.message = message_label()
        layout.addWidget(self.message)
        self.tabs = QTabWidget()
        self.nominations_tab = NominationsTab(session, self)
        self.members_tab = MembersTab(session)
        self.scoring_tab = ScoringTab(session)
        self.tally_tab = TallyTab(session)
        self.award_tab = AwardTab(session, on_changed=self.refresh)
        for tab, title in ((self.nominations_tab, "推荐与初审"), (self.members_tab, "评议委员"),
                           (self.scoring_tab, "评议打分"), (self.tally_tab, "评议结果"), (self.award_tab, "公示与表彰")):
            self.tabs.addTab(tab, title)
        self.sections = {"check": self.nominations_tab, "members": self.members_tab, "scoring": self.scoring_tab,
                         "tally": self.tally_tab, "award": self.award_tab}
        layout.addWidget(self.tabs, 1)
        self.empty = EmptyState("还没有评选活动。一期评选活动（身边好人按月或按季，道德模范按届）有自己的推荐类别、"
                                "名额和评分细则，从推荐、初审、评议、公示走到表彰。",
                                "新建评选活动…", lambda: self.edit_session(new=True))
        layout.addWidget(self.empty, 1)
        self.session_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_session_button.clicked.connect(lambda: self.edit_session(new=True))
        self.edit_session_button.clicked.connect(lambda: self.edit_session())
        self.next_button.clicked.connect(lambda: self.next_step())
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        self.load_sessions()

    def _build_session_row(self) -> QHBoxLayout:
        """The session chooser and the buttons to add or change a session."""
        top = QHBoxLayout()
        self.session_caption = QLabel("评选活动：")
        top.addWidget(self.session_caption)
        self.session_combo = QComboBox()
        self.session_combo.setMinimumContentsLength(26)
        top.addWidget(self.session_combo)
        self.new_session_button = QPushButton("新建评选活动…")
        self.edit_session_button = QPushButton("修改活动…")
        top.addWidget(self.new_session_button)
        top.addWidget(self.edit_session_button)
        top.addStretch(1)
        return top

    @property
    def session_id(self) -> str:
        return self.session_combo.currentData() or ""

    def load_sessions(self, select: str | None = None) -> None:
        select = select or self.session_id
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        for record in nominations.sessions():
            self.session_combo.addItem(f"{record.name}（{PHASES[record.phase]}）", record.id)
        index = self.session_combo.findData(select)
        self.session_combo.setCurrentIndex(index if index >= 0 else 0)
        self.session_combo.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        actor, ro = self.session.actor, self.session.read_only
        has = bool(self.session_id)
        self.tabs.setVisible(has)
        self.empty.setVisible(not has)
        self.new_session_button.setEnabled(actor.can("manage_nomination_sessions") and not ro)
        self.edit_session_button.setEnabled(has and actor.can("manage_nomination_sessions") and not ro)
        self.phase_row.setVisible(has)
        self.session_combo.setVisible(has)
        self.session_caption.setVisible(has)
        self.new_session_button.setVisible(has)  # the empty state has its own
        self.edit_session_button.setVisible(has)
        self.empty.button.setEnabled(self.new_session_button.isEnabled())
        if not has:
            self.next_hint.setText("")
            return
        record = nominations.get_session(self.session_id)
        index = self.session_combo.currentIndex()
        self.session_combo.setItemText(index, f"{record.name}（{PHASES[record.phase]}）")
        rows = nominations.rows(record.id)
        by_status: dict[str, int] = {}
        for row in rows:
            by_status[row.status] = by_status.get(row.status, 0) + 1
        reviewed = sum(by_status.get(k, 0) for k in ("review", "notice", "honoured", "not_selected"))
        counts = {"recommend": f"{len(rows)} 条", "check": "，".join(part for part in (
                      f"通过 {reviewed + by_status.get('passed', 0)}" if reviewed or by_status.get("passed") else "",
                      f"退回 {by_status['returned']}" if by_status.get("returned") else "") if part),
                  "review": f"{reviewed} 人" if reviewed else "",
                  "notice": f"{by_status.get('notice', 0) + by_status.get('honoured', 0)} 人"
                  if record.phase in ("notice", "award") and award.session_notice(record.id) else "",
                  "award": f"{by_status.get('honoured', 0)} 人" if record.phase == "award" else ""}
        current = PHASE_ORDER.index(record.phase)
        for number, key in enumerate(PHASE_ORDER):
            done = number < current
            style = ("background:#c0392b; color:white; font-weight:bold;" if number == current else
                     "background:#d5e8d4; color:#1e5128;" if done else "background:#eeeeee; color:#777;")
            self.phase_labels[key].setStyleSheet(style + "border-radius:6px; padding:6px 10px;")
            count = f"（{counts[key]}）" if counts.get(key) and number <= current else ""
            self.phase_labels[key].setText(f"{'✓ ' if done else ''}{PHASES[key]}{count}")
        self.next_button.setText(NEXT_STEP[record.phase])
        self.next_button.setEnabled(record.phase != "award" and not ro
                                    and actor.can("manage_nomination_sessions" if record.phase != "notice"
                                                  else "decide_nominations"))
        due = {"recommend": ("推荐截止", record.recommend_end), "check": ("初审截止", record.check_end),
               "review": ("评议截止", record.review_end), "notice": ("公示开始", record.notice_start),
               "award": ("表彰", record.award_date)}[record.phase]
        when = f"　（{due[0]}：{due[1]}）" if due[1] else ""
        self.next_hint.setText(self._hint(record, rows) + when)
        self._refresh_tab()

    def _hint(self, record, rows) -> str:
        waiting = sum(r.status == "recommended" for r in rows)
        if record.phase == "recommend":
            return f"推荐阶段：已收到 {len(rows)} 条推荐。推荐截止后点“{NEXT_STEP['recommend']}”。"
        if record.phase == "check":
            return (f"初审阶段：还有 {waiting} 条待初审（选中后点“初审通过”或“退回”）。全部初审完、并在“评议委员”中"
                    "登记了委员会成员后，开始评议。")
        if record.phase == "review":
            missing = len(review.missing_scores(record))
            return (f"评议阶段：在“评议打分”中代委员录入打分，还差 {missing} 项。结束评议后打分锁定，不能再改。"
                    if missing else "评议阶段：打分已全部录入。可以结束评议（打分将锁定）。")
        if record.phase == "notice":
            return "公示阶段：在“评议结果”中确认名单（并列须先决定），在“公示与表彰”中发布公示；期满后作出表彰决定。"
        return "评选已完成：可打印表彰决定、事迹材料；受表彰者可在“人员档案”中向上推荐。"

    def _refresh_tab(self) -> None:
        if not self.session_id:
            return
        tab = self.tabs.currentWidget()
        tab.show_session(self.session_id)

    def edit_session(self, new: bool = False) -> SessionDialog:
        dialog = SessionDialog(self.session, None if new else self.session_id, self)
        dialog.accepted.connect(lambda: self.load_sessions(dialog.saved_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def next_step(self, *, confirm: bool = True) -> bool:
        record = nominations.get_session(self.session_id)
        actor = self.session.actor
        try:
            if record.phase == "recommend":
                nominations.start_check(actor, record.id)
            elif record.phase == "check":
                nominations.start_review(actor, record.id)
            elif record.phase == "review":
                missing = review.missing_scores(record)
                if missing and confirm and QMessageBox.question(
                        self, "结束评议", f"还有 {len(missing)} 项没有打分。结束评议后打分锁定，这些委员不能再打分。仍然结束？"
                ) != QMessageBox.StandardButton.Yes:
                    return False
                review.close_review(actor, record.id, allow_incomplete=True)
                self.tabs.setCurrentWidget(self.tally_tab)
            elif record.phase == "notice":
                self.tabs.setCurrentWidget(self.award_tab if award.session_notice(record.id) or
                                           not review.tally(record.id).undecided else self.tally_tab)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        show_message(self.message, f"「{record.name}」现在是{PHASES[nominations.get_session(record.id).phase]}阶段。")
        self.load_sessions(record.id)
        return True

    def on_shown(self) -> None:
        self.load_sessions()

    def show_section(self, section: str):
        if section == "merge":  # the 工作台 item of a nominee registered twice
            from ui.nominations.merge import open_merge_dialog

            return open_merge_dialog(self.session, self)
        tab = self.sections.get(section)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
