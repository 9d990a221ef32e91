"""评议结果 and 公示与表彰 of a session.

The tally lists each category with ranks, a red quota line and ties at the line in yellow; a tie
stays undecided until a reviewer records which nominees take the places and why. 公示 uses the
shared notice panel; 表彰 is allowed by the service only once the notice has ended and every
objection was looked into.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.nominations import award, reports, review
from civdesk.nominations import nominees as nominations
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.navigation import notice_label
from ui.notices.notice_panel import NoticePanel, PublishNoticeDialog
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box
from ui.widgets.pdf_save import save_pdf

TIE_FILL, IN_FILL, LINE = QColor("#fff3c4"), QColor("#eef7ee"), QColor("#c0392b")


def _member_text(value) -> str:
    if value is None:
        return "未评"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _two_lines(text: str) -> str:
    """Long headers take two lines (事迹 / 真实性) so score columns can be as narrow as their numbers."""
    if "/" in text:
        head, tail = text.split("/", 1)
        return f"{head}/\n{tail}"
    half = len(text) // 2
    return f"{text[:half]}\n{text[half:]}" if len(text) > 4 else text


class TieDialog(QDialog):
    """Choose who takes the places left for a tie at the quota line, with the reason."""

    def __init__(self, session: Session, session_id: str, category, parent=None):
        super().__init__(parent)
        self.session, self.session_id, self.category = session, session_id, category
        self.setWindowTitle(f"决定并列名次：{category.category}")
        self.setMinimumWidth(520)
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        intro = QLabel(f"以下 {len(category.tied)} 人得分相同，并列争 {category.slots} 个名额。"
                       f"请按评议委员会复议或会议研究的结果，勾选入选的 {category.slots} 人：")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.choices = QListWidget()
        for row in category.rows:
            if row.nomination_id in category.tied:
                score = f"平均 {row.average:.2f} 分" if row.average is not None else f"赞成 {row.agree} 票"
                item = QListWidgetItem(f"{row.name}（{row.village}）　{score}")
                item.setData(Qt.ItemDataRole.UserRole, row.nomination_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.choices.addItem(item)
        layout.addWidget(self.errors.block("chosen", self.choices))
        self.over_quota = QCheckBox("经研究决定超出名额（须在依据中写明）")
        layout.addWidget(self.over_quota)
        self.reason = text_box(3)
        self.reason.setPlaceholderText("如：评议委员会复议投票 4:1，会议纪要第 3 号")
        layout.addWidget(QLabel("决定依据："))
        layout.addWidget(self.errors.block("reason", self.reason))
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "记录决定", self.save))

    def chosen(self) -> list[str]:
        return [self.choices.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.choices.count())
                if self.choices.item(i).checkState() == Qt.CheckState.Checked]

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: review.decide_tie(
            self.session.actor, self.session_id, self.category.category, self.chosen(), self.reason.toPlainText(),
            over_quota=self.over_quota.isChecked()), self.general)
        if ok:
            self.accept()
        return ok


class TallyTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.session_id = ""
        self.result = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.state = notice_label("")
        layout.addWidget(self.state)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setStyleSheet("QTableView::item { padding: 0 6px; }")  # names clear of the grid line
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # Scores are never narrower than "452.67"; the columns fit the page instead of scrolling.
        header.setMinimumSectionSize(56)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.tie_button = QPushButton("决定并列名次…")
        self.tie_button.setProperty("primary", True)
        self.print_button = QPushButton("打印评议汇总表")
        buttons.addWidget(self.tie_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = message_label()
        layout.addWidget(self.message)
        self.tie_button.clicked.connect(lambda: self.decide_tie())
        self.print_button.clicked.connect(lambda: self.print_tally())

    def show_session(self, session_id: str) -> None:
        self.session_id = session_id
        result = self.result = review.tally(session_id)
        method_vote = result.session.method == "vote"
        items = [item for item, _ in result.session.rubric_items]
        headers = ["类别", "排名", "姓名", "村（社区）"]
        numbers = ["赞成", "反对", "弃权"] if method_vote else [*items, "加权平均分", "合计"]
        headers += [*numbers, "已评/应评", "回避", "结果"]
        self.table.clear()
        self.table.clearSpans()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels([_two_lines(h) if c >= 4 else h for c, h in enumerate(headers)])
        first_number, last_number = 4, 4 + len(numbers)
        members = review.members(session_id)
        rows = self._table_rows(result, items, method_vote)
        self.table.setRowCount(len(rows))
        for r, (values, row) in enumerate(rows):
            if row is None:
                line = QTableWidgetItem(values)
                line.setForeground(QBrush(LINE))
                line.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, 0, line)
                self.table.setSpan(r, 0, 1, len(headers))
                self.table.setRowHeight(r, 22)
                continue
            detail = "各委员：" + "；".join(f"{m.name} {_member_text(row.by_member.get(m.id))}" for m in members)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(detail)
                if c == 1 or (c >= first_number and c != len(headers) - 1):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if row.result in ("tie", "decided_in", "decided_out"):
                    item.setBackground(QBrush(TIE_FILL))
                elif row.selected:
                    item.setBackground(QBrush(IN_FILL))
                self.table.setItem(r, c, item)
        self._size_columns(len(headers), first_number, last_number)
        self._show_state(result, session_id)

    @staticmethod
    def _table_rows(result, items: list[str], method_vote: bool) -> list[tuple]:
        """(cell texts, tally row) per nominee by category, with (text, None) for each quota line."""
        rows: list = []
        for category in result.categories:
            above = [r for r in category.rows if r.result in ("in", "tie", "decided_in", "decided_out")]
            for number, row in enumerate(category.rows):
                values = [category.category if number == 0 else "", str(row.rank or "—"), row.name, row.village]
                if method_vote:
                    values += [str(row.agree), str(row.against), str(row.abstain)]
                else:
                    values += [f"{row.item_averages[i]:.2f}" if row.item_averages.get(i) is not None else ""
                               for i in items]
                    values += [f"{row.average:.2f}" if row.average is not None else "",
                               f"{row.raw_total:.2f}" if row.scorers else ""]
                values += [f"{row.scorers}/{row.expected}", str(row.recused or ""), row.result_label]
                rows.append((values, row))
                if above and row is above[-1]:
                    line = f"；通过线：{category.pass_line}" if category.pass_line else ""
                    rows.append((f"—— 名额线：{category.category}名额 {category.quota} 名，以上入选{line} ——", None))
        return rows

    def _size_columns(self, count: int, first_number: int, last_number: int) -> None:
        # Names, places and the result take what they need; the score columns share the rest,
        # so the whole table fits 1280 pixels (also at 150 %) without scrolling sideways.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        for c in range(count):
            if first_number <= c < last_number:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
            else:
                self.table.setColumnWidth(c, self.table.columnWidth(c) + 6)

    def _show_state(self, result, session_id: str) -> None:
        state = "评议已结束，打分已锁定。" if result.locked else "评议进行中，以下为当前结果（未锁定，随打分变化）。"
        ties = [c for c in result.categories if c.tied]
        if result.undecided:
            state += (f"「{'、'.join(result.undecided)}」在名额线上并列（黄色），系统不会自行取舍："
                      + ("请点“决定并列名次”记录入选人和依据。" if result.locked else "评议结束后由评选办公室决定。"))
        elif ties:
            state += "并列名次已决定：" + "；".join(f"{c.category}——{c.decision.reason}" for c in ties)
        self.state.setText(state + "　绿色为入选，名额线下方为未入选。")
        self.tie_button.setEnabled(bool(result.locked and result.undecided) and not self.session.read_only
                                   and self.session.actor.can("decide_nominations")
                                   and award.session_notice(session_id) is None)

    def decide_tie(self) -> TieDialog | None:
        category = next((c for c in (self.result.categories if self.result else []) if c.undecided), None)
        if category is None:
            return None
        dialog = TieDialog(self.session, self.session_id, category, self)
        dialog.accepted.connect(lambda: self.show_session(self.session_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def print_tally(self, path: str | None = None):
        actor, session_id = self.session.actor, self.session_id
        return save_pdf(self, "评议汇总表", f"{nominations.get_session(session_id).name}评议汇总表.pdf",
                        lambda target, _ctx: reports.tally_pdf(target, session_id, actor=actor), path=path)


class AwardTab(QWidget):
    """公示 and 表彰: publish the tally's selected nominees, follow the notice, then honour."""

    def __init__(self, session: Session, parent=None, on_changed=None):
        super().__init__(parent)
        self.session = session
        self.session_id = ""
        self.on_changed = on_changed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.state = notice_label("")
        layout.addWidget(self.state)
        buttons = QHBoxLayout()
        self.publish_button = QPushButton("发布公示…")
        self.award_button = QPushButton("作出表彰决定")
        self.decision_button = QPushButton("打印表彰决定")
        self.stories_button = QPushButton("打印事迹材料")
        self.award_date = DateField(dt.date.today())
        for button in (self.publish_button, self.award_button):
            button.setProperty("primary", True)
        buttons.addWidget(self.publish_button)
        self.award_date_caption = QLabel("表彰日期：")
        buttons.addWidget(self.award_date_caption)
        buttons.addWidget(self.award_date)
        for button in (self.award_button, self.decision_button, self.stories_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = message_label()
        layout.addWidget(self.message)
        self.panel = NoticePanel(session, self, columns=("姓名", "村（社区）、类别及事迹"))
        layout.addWidget(self.panel, 1)
        self.panel.changed.connect(lambda: self.show_session(self.session_id))
        self.publish_button.clicked.connect(lambda: self.publish())
        self.award_button.clicked.connect(lambda: self.award())
        self.decision_button.clicked.connect(lambda: self.print_decision())
        self.stories_button.clicked.connect(lambda: self.print_stories())

    def show_session(self, session_id: str) -> None:
        self.session_id = session_id
        record = nominations.get_session(session_id)
        notice = award.session_notice(session_id)
        self.panel.show_notice(notice.id if notice else None)
        if record.phase == "award":  # the decision is made: the notice is history now
            self.panel.withdraw_button.setEnabled(False)
            self.panel.object_button.setEnabled(False)
        can_decide = self.session.actor.can("decide_nominations") and not self.session.read_only
        self.publish_button.setEnabled(can_decide and record.phase == "notice" and notice is None)
        self.award_button.setEnabled(can_decide and record.phase == "notice" and notice is not None)
        self.award_date.setEnabled(self.award_button.isEnabled())
        if record.award_date:  # made: the date it was made, not today's
            self.award_date.set_value(record.award_date if isinstance(record.award_date, dt.date)
                                      else dt.date.fromisoformat(str(record.award_date)))
        for widget in (self.award_date, self.award_date_caption):  # only when there is one to make or made
            widget.setVisible(record.phase in ("notice", "award"))
        self.decision_button.setEnabled(record.phase == "award")
        self.stories_button.setEnabled(record.phase == "award")
        honoured = award.honoured(session_id)
        if record.phase in ("recommend", "check", "review"):
            text = "评议结束后，在这里把入选名单公示；公示期满、异议核实完毕后作出表彰决定。"
        elif notice is None:
            text = "评议已结束。确认“评议结果”中没有待决定的并列后，点“发布公示”。"
        elif record.phase == "notice":
            text = ("公示中：收到的异议在下方登记并核实。公示期满后（异议都已核实），点“作出表彰决定”。"
                    "公示期未满时系统不会表彰任何人。")
        else:
            names = "、".join(nominations.nominee_name(n) for n in honoured)
            text = f"已于 {record.award_date} 作出表彰决定，表彰 {len(honoured)} 人：{escape(names)}。可打印表彰决定和事迹材料；" \
                   "受表彰者可在“人员档案”中向上推荐（新都好人、成都好人榜等）。"
        self.state.setText(text)

    def publish(self) -> PublishNoticeDialog | None:
        record = nominations.get_session(self.session_id)
        try:
            candidates = award.notice_candidates(self.session_id)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return None
        dialog = PublishNoticeDialog(self.session, "nomination", record.id, award.notice_title(record), candidates,
                                     self, columns=("姓名", "村（社区）、类别及事迹"))

        def published() -> None:
            try:
                award.mark_published(self.session.actor, record, {c.item_id for c in candidates})
            except CivDeskError as exc:
                show_message(self.message, str(exc), ok=False)
            self.show_session(self.session_id)
            self._changed()
        dialog.accepted.connect(published)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def award(self) -> bool:
        try:
            result = award.award(self.session.actor, self.session_id, award_date=self.award_date.value())
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        text = f"已作出表彰决定：{'、'.join(result.honoured)}。"
        if result.dropped:
            text += "未予表彰：" + "；".join(f"{name}（{why}）" for name, why in result.dropped)
        show_message(self.message, text)
        self.show_session(self.session_id)
        self._changed()
        return True

    def _changed(self) -> None:
        if self.on_changed is not None:
            self.on_changed()

    def print_decision(self, path: str | None = None):
        actor, session_id = self.session.actor, self.session_id
        return save_pdf(self, "表彰决定", f"{nominations.get_session(session_id).name}表彰决定.pdf",
                        lambda target, _ctx: reports.decision_pdf(target, session_id, actor=actor), path=path)

    def print_stories(self, path: str | None = None):
        actor, session_id = self.session.actor, self.session_id
        name = nominations.get_session(session_id).name
        ids = [n.id for n in award.honoured(session_id)]
        return save_pdf(self, "事迹材料", f"{name}事迹材料.pdf",
                        lambda target, _ctx: reports.stories_pdf(target, ids, actor=actor, title=f"{name}事迹材料"), path=path)
