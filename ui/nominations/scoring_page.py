"""评议打分: one committee member at a time, one nominee per row, one column per rubric item.

Built for typing from the paper score sheets: type a score, Enter or Tab goes to the next cell
(Shift+Tab back), each value is saved as it is committed, the weighted total of the row updates
at once. Cells of a nominee the member stepped aside from (回避) are disabled and marked. The
service refuses recused and locked scores whatever the grid shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.nominations import nominees as nominations
from civdesk.nominations import review
from civdesk.nominations.terms import VOTE_ITEM, VOTES
from ui.field_errors import FieldErrors, error_label, message_label, show_message
from ui.navigation import notice_label
from ui.session import Session
from ui.widgets.forms import form_buttons, text_box

IdRole = Qt.ItemDataRole.UserRole + 1
RECUSED_FILL = QColor("#e6e6e6")
ERROR_FILL = QColor("#fdecea")
SAVED_FILL = QColor("#eef7ee")


class ScoreGrid(QTableWidget):
    """A table whose Enter and Tab move to the next editable cell (row by row)."""

    hold = False

    def _editable(self, row: int, col: int) -> bool:
        item = self.item(row, col)
        return item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsEditable)

    def step(self, forward: bool = True) -> None:
        cells = [(r, c) for r in range(self.rowCount()) for c in range(self.columnCount()) if self._editable(r, c)]
        if not cells:
            return
        here = (self.currentRow(), self.currentColumn())
        later = [cell for cell in cells if (cell > here if forward else cell < here)]
        target = (later[0] if forward else later[-1]) if later else (cells[0] if forward else cells[-1])
        self.setCurrentCell(*target)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt's name
        moves = {QAbstractItemDelegate.EndEditHint.EditNextItem: True,
                 QAbstractItemDelegate.EndEditHint.SubmitModelCache: True,
                 QAbstractItemDelegate.EndEditHint.EditPreviousItem: False}
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if hint in moves:
            if self.hold:  # the value was refused: stay on the cell so it can be typed again
                self.hold = False
            else:
                self.step(moves[hint])

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if self.state() == QAbstractItemView.State.EditingState and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # the cell's editor commits and moves on (closeEditor); moving here too would skip a cell
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            self.step(True)
            return
        if key == Qt.Key.Key_Backtab:
            self.step(False)
            return
        super().keyPressEvent(event)


class RecusalDialog(QDialog):
    def __init__(self, session: Session, session_id: str, member_id: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("登记回避")
        self.setMinimumWidth(480)
        self.errors = FieldErrors()
        form = QFormLayout()
        self.member_combo = QComboBox()
        for member in review.members(session_id):
            self.member_combo.addItem(member.name, member.id)
        self.member_combo.setCurrentIndex(max(0, self.member_combo.findData(member_id)))
        self.nominee_combo = QComboBox()
        for row in nominations.nominations(session_id, ("review",)):
            self.nominee_combo.addItem(f"{nominations.nominee_name(row)}（{row.category}）", row.id)
        self.reason_edit = text_box(3)
        self.reason_edit.setPlaceholderText("如：与被推荐人是亲属；与推荐人同一单位")
        form.addRow("评议委员：", self.member_combo)
        form.addRow("回避对象：", self.nominee_combo)
        form.addRow("回避原因：", self.errors.block("reason", self.reason_edit))
        self.general = error_label()
        layout = QVBoxLayout(self)
        rule = QLabel("委员与被推荐人或推荐人有亲属、利害关系的，应当回避：不参加对该人的打分或投票。")
        rule.setWordWrap(True)
        layout.addWidget(rule)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "登记回避", self.save))

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: review.declare_recusal(
            self.session.actor, self.nominee_combo.currentData(), self.member_combo.currentData(),
            self.reason_edit.toPlainText()), self.general)
        if ok:
            self.accept()
        return ok


class ScoringTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.session_id = ""
        self.items: list[tuple[str, int]] = []
        self.method = "score"
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.state = notice_label("")
        layout.addWidget(self.state)
        top = QHBoxLayout()
        top.addWidget(QLabel("正在录入哪位委员的评分表："))
        self.member_combo = QComboBox()
        self.member_combo.setMinimumContentsLength(14)
        top.addWidget(self.member_combo)
        self.recusal_button = QPushButton("登记回避…")
        top.addWidget(self.recusal_button)
        top.addStretch(1)
        self.progress_label = QLabel()
        top.addWidget(self.progress_label)
        layout.addLayout(top)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.grid = ScoreGrid(0, 0)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.verticalHeader().setDefaultSectionSize(34)
        layout.addWidget(self.grid, 1)
        self.message = message_label()
        layout.addWidget(self.message)
        self.member_combo.currentIndexChanged.connect(lambda _i: self.fill())
        self.grid.itemChanged.connect(self._committed)
        self.recusal_button.clicked.connect(self.declare_recusal)

    @property
    def can_enter(self) -> bool:
        return self.session.actor.can("enter_nomination_scores") and not self.session.read_only

    def show_session(self, session_id: str) -> None:
        self.session_id = session_id
        record = nominations.get_session(session_id)
        self.method = record.method
        self.items = [(VOTE_ITEM, 0)] if record.method == "vote" else record.rubric_items
        current = self.member_combo.currentData()
        self.member_combo.blockSignals(True)
        self.member_combo.clear()
        for member in review.members(session_id):
            self.member_combo.addItem(f"{member.name}（{member.duty}，{member.unit}）" if member.unit else member.name,
                                      member.id)
        index = self.member_combo.findData(current)
        self.member_combo.setCurrentIndex(index if index >= 0 else 0)
        self.member_combo.blockSignals(False)
        self.fill()

    def _open(self) -> bool:
        record = nominations.get_session(self.session_id) if self.session_id else None
        return bool(record and record.phase == "review" and not record.scores_locked_at and self.can_enter)

    def fill(self) -> None:
        record = nominations.get_session(self.session_id) if self.session_id else None
        member_id = self.member_combo.currentData()
        open_ = self._open()
        self._show_state(record, open_)
        self.recusal_button.setEnabled(open_)
        rows = nominations.nominations(self.session_id, ("review", "notice", "honoured", "not_selected")) \
            if record is not None and record.phase not in ("recommend", "check") else []
        scores = review.current_scores(record) if record is not None else {}
        recused = review.recusals(self.session_id) if record is not None else {}
        self._filling = True
        self.grid.clear()
        headers = [f"{item}\n（{weight}%）" if self.method == "score" else "投票" for item, weight in self.items]
        self.grid.setColumnCount(len(self.items) + 1)
        self.grid.setHorizontalHeaderLabels([*headers, "加权分" if self.method == "score" else "结果"])
        self.grid.setRowCount(len(rows))
        names = nominations.nominee_names(rows)
        self.grid.setVerticalHeaderLabels([f"{names.get(r.nominee_id, '')}（{r.category}）" for r in rows])
        for r, nomination in enumerate(rows):
            self.grid.verticalHeaderItem(r).setToolTip(nomination.summary)
        done = sum(self._fill_row(r, nomination, member_id, scores, recused, open_)
                   for r, nomination in enumerate(rows))
        for c in range(self.grid.columnCount()):
            self.grid.setColumnWidth(c, 110)
        self._filling = False
        self._show_progress(record, rows, done, bool(recused))
        if open_ and rows:
            self.grid.setCurrentCell(0, 0)
            if not self.grid._editable(0, 0):
                self.grid.step(True)

    def _show_state(self, record, open_: bool) -> None:
        """What the clerk may do here now, and how to type the scores."""
        if record is None or record.phase in ("recommend", "check"):
            self.state.setText("初审结束、进入评议阶段后，在这里代评议委员录入打分。")
        elif not open_ and record.scores_locked_at:
            self.state.setText("评议已结束，打分已锁定，只能查看。")
        elif not self.can_enter:
            self.state.setText("您的账号没有录入打分的权限，只能查看。")
        else:
            weights = "，".join(f"{item} {weight}%" for item, weight in self.items)
            self.state.setText("照委员交来的评分表录入：输入分数后按 Enter 或 Tab 到下一格，输完即保存。"
                               + ("每项按百分制打分，权重：" + weights + "。" if self.method == "score"
                                  else "投票：输入 1（赞成）、0（反对）或 -1（弃权），也可直接输入汉字。"))

    def _fill_row(self, r: int, nomination, member_id, scores: dict, recused: dict, open_: bool) -> bool:
        """One nominee's cells for the chosen member; True when the member is done with them."""
        is_recused = (member_id, nomination.id) in recused
        for c, (item, _weight) in enumerate(self.items):
            value = scores.get((nomination.id, member_id, item))
            cell = QTableWidgetItem("回避" if is_recused else self._shown(value))
            cell.setData(IdRole, nomination.id)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if is_recused:
                cell.setFlags(Qt.ItemFlag.NoItemFlags)
                cell.setBackground(QBrush(RECUSED_FILL))
                cell.setToolTip(f"回避原因：{recused[(member_id, nomination.id)]}")
            elif not open_:
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.grid.setItem(r, c, cell)
        total = QTableWidgetItem()
        total.setFlags(Qt.ItemFlag.ItemIsEnabled)
        total.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(total.font())
        font.setBold(True)
        total.setFont(font)
        self.grid.setItem(r, len(self.items), total)
        self._update_total(r)
        return is_recused or all((nomination.id, member_id, item) in scores for item, _ in self.items)

    def _show_progress(self, record, rows: list, done: int, any_recused: bool) -> None:
        self.progress_label.setText(f"本委员已评 {done}/{len(rows)} 人" if rows else "")
        progress = ""
        if record is not None and record.phase == "review":
            missing = review.missing_scores(record)
            progress = "各委员进度：" + "；".join(
                f"{m.name} {'已评完' if not any(name == m.name for name, _ in missing) else '未评完'}"
                for m in review.members(self.session_id))
        self.hint.setText("　".join(t for t in (progress, "灰色“回避”格不能打分。" if any_recused else "") if t))

    def _shown(self, value) -> str:
        if value is None:
            return ""
        if self.method == "vote":
            return VOTES.get(float(value), str(value))
        return f"{value:g}"

    def _update_total(self, row: int) -> None:
        values = [self.grid.item(row, c).text() for c in range(len(self.items))]
        total = self.grid.item(row, len(self.items))
        if self.method == "vote":
            total.setText(values[0] if values[0] != "回避" else "—")
            return
        try:
            numbers = [float(v) for v in values]
        except ValueError:
            total.setText("回避" if "回避" in values else "未评完" if any(values) else "")
            return
        total.setText(f"{sum(v * w for v, (_, w) in zip(numbers, self.items, strict=True)) / 100:.2f}")

    def _committed(self, cell: QTableWidgetItem) -> None:
        if self._filling or cell.column() >= len(self.items):
            return
        item = self.items[cell.column()][0]
        nomination_id, member_id = cell.data(IdRole), self.member_combo.currentData()
        text = cell.text().strip()
        self._filling = True
        try:
            if text:
                review.record_scores(self.session.actor, nomination_id, member_id, {item: text})
                value = review.current_scores(nominations.get_session(self.session_id)).get(
                    (nomination_id, member_id, item))
                cell.setText(self._shown(value))
                cell.setBackground(QBrush(SAVED_FILL))
                show_message(self.message, f"已保存：{self.grid.verticalHeaderItem(cell.row()).text()} {item} {cell.text()}")
        except CivDeskError as exc:
            cell.setBackground(QBrush(ERROR_FILL))
            message = "；".join(exc.errors.values()) if hasattr(exc, "errors") else str(exc)
            show_message(self.message, f"没有保存：{message}", ok=False)
            self.grid.hold = True
        finally:
            self._filling = False
        self._update_total(cell.row())

    def declare_recusal(self) -> RecusalDialog:
        dialog = RecusalDialog(self.session, self.session_id, self.member_combo.currentData(), self)
        dialog.accepted.connect(self.fill)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
