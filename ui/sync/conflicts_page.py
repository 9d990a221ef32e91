"""冲突处理: the open sync conflicts, each competing value with who made it, and choosing one.

A conflict is one field that two PCs changed before they met (or a record one PC deleted while
another edited it). Both values are kept; the provisional winner (暂定) is what every PC shows
until a reviewer or administrator keeps one of the values or types the right one. The choice is
a change like any other: it travels with the next package and closes the conflict everywhere.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.office import offices as office
from civdesk.sync import conflicts
from civdesk.sync.conflicts import ConflictView
from ui.field_errors import error_label, hint_label, message_label, set_error, show_message
from ui.list_model import Column, RowsSource, attach_filter, rows_view
from ui.navigation import PageHost, notice_label
from ui.session import Session
from ui.volunteers.records import user_names
from ui.widgets.empty import empty_hint

WINNER_COLOR = "#d68910"


def heading_of(view: ConflictView) -> str:
    record = f"{view.table_label}「{view.record_label}」"
    if view.is_deletion:
        return f"{record}：一台电脑删除了它，另一台电脑修改了它"
    return f"{record}的「{view.field_label}」"


class ChoiceCard(QFrame):
    """One competing value: what it is, which PC and user made it and when; a button to keep it."""

    def __init__(self, text: str, made_by: str, winner: bool, button_text: str, parent=None):
        super().__init__(parent)
        self.setObjectName("choiceCard")
        border = WINNER_COLOR if winner else "#c9ced6"
        self.setStyleSheet(f"QFrame#choiceCard {{ background: white; border: 1px solid #d5dbe3;"
                           f" border-left: 6px solid {border}; border-radius: 4px; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 12, 10)
        left = QVBoxLayout()
        left.setSpacing(4)
        top = QHBoxLayout()
        self.value_label = QLabel(text if text != "" else "（空）")
        self.value_label.setWordWrap(True)
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.value_label.setFont(font)
        top.addWidget(self.value_label, 1)
        self.winner_label = QLabel("暂定（现在各电脑显示这个值）")
        self.winner_label.setStyleSheet(f"color: white; background: {WINNER_COLOR}; border-radius: 3px;"
                                        " padding: 2px 8px;")
        self.winner_label.setVisible(winner)
        top.addWidget(self.winner_label, 0, Qt.AlignmentFlag.AlignTop)
        left.addLayout(top)
        self.made_by_label = QLabel(made_by)
        self.made_by_label.setWordWrap(True)
        self.made_by_label.setStyleSheet("color: #555;")
        left.addWidget(self.made_by_label)
        layout.addLayout(left, 1)
        self.keep_button = QPushButton(button_text)
        self.keep_button.setMinimumHeight(34)
        layout.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignVCenter)


class ConflictsPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        actor = session.actor
        self.can_resolve = actor.can("resolve_conflicts") and not session.read_only
        self.view_data: ConflictView | None = None
        self.cards: list[ChoiceCard] = []
        self.names = user_names()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(hint_label(
            "两台电脑在互相同步之前改了同一项内容，就会出现冲突。两个值都保留着，暂时显示标有「暂定」的那个。"
            "请逐条决定保留哪个值（或填写正确的值）；处理结果会随下一个数据包发给其他电脑。"))
        if not actor.can("resolve_conflicts"):
            layout.addWidget(notice_label("只有审核人或系统管理员可以处理冲突。您可以查看冲突，请告知他们处理。"))
        elif session.read_only:
            layout.addWidget(notice_label("数据库以只读方式打开，不能处理冲突。"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([430, 620])
        layout.addWidget(splitter, 1)
        self.refresh()

    def _build_list(self) -> QWidget:
        """The open conflicts, filtered as you type."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("按姓名、名称或内容筛选…")
        self.search_edit.setClearButtonEnabled(True)
        left_layout.addWidget(self.search_edit)
        self.source = RowsSource([Column("record", "记录", 170), Column("field", "冲突的内容", 110),
                                  Column("detected", "发现时间", 150)])
        self.list_view, self.model = rows_view(self.source, self)
        left_layout.addWidget(self.list_view, 1)
        self.empty = empty_hint(self.list_view, "没有待处理的冲突。两台电脑在同步之前改了同一项内容时，"
                                                "导入数据包后会在这里列出，由审核人或系统管理员决定保留哪个值。")
        self.count_label = QLabel()
        left_layout.addWidget(self.count_label)
        attach_filter(self.search_edit, self.model)
        self.list_view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())
        self.model.modelReset.connect(self._after_reset)
        return left

    def _build_detail(self) -> QScrollArea:
        """The chosen conflict: what it is, each competing value on a card, a box for a new one."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail = QWidget()
        scroll.setWidget(detail)
        self.detail_layout = QVBoxLayout(detail)
        self.detail_layout.setContentsMargins(12, 4, 4, 0)
        self.detail_layout.setSpacing(10)
        self.heading_label = QLabel()
        self.heading_label.setWordWrap(True)
        font = self.heading_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading_label.setFont(font)
        self.detail_layout.addWidget(self.heading_label)
        self.explain_label = hint_label("")
        self.detail_layout.addWidget(self.explain_label)
        reveal_row = QHBoxLayout()
        self.reveal_button = QPushButton("显示完整号码")
        self.reveal_button.setCheckable(True)
        self.reveal_button.setEnabled(self.session.actor.can("resolve_conflicts"))
        self.reveal_button.toggled.connect(lambda _on: self._show_current())
        reveal_row.addWidget(self.reveal_button)
        reveal_row.addStretch(1)
        self.detail_layout.addLayout(reveal_row)
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(8)
        self.detail_layout.addLayout(self.cards_box)
        self.detail_layout.addWidget(self._new_value_box())
        self.message = message_label()
        self.detail_layout.addWidget(self.message)
        self.detail_layout.addStretch(1)
        return scroll

    def _new_value_box(self) -> QGroupBox:
        self.new_box = QGroupBox("都不对？填写正确的值")
        box_layout = QVBoxLayout(self.new_box)
        row = QHBoxLayout()
        self.new_edit = QLineEdit()
        self.new_edit.setMaxLength(500)
        self.new_edit.textEdited.connect(lambda _t: set_error(self.new_error, None))
        self.new_button = QPushButton("使用这个值")
        self.new_button.clicked.connect(lambda: self.use_new_value())
        row.addWidget(self.new_edit, 1)
        row.addWidget(self.new_button)
        box_layout.addLayout(row)
        self.new_hint = hint_label("")
        box_layout.addWidget(self.new_hint)
        self.new_error = error_label()
        box_layout.addWidget(self.new_error)
        return self.new_box

    # -- list -----------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        current = select or self.model.id_at(self.list_view.currentIndex().row())
        self.names = user_names()
        rows = [(v.id, {"record": f"{v.table_label}「{v.record_label}」", "field": v.field_label,
                        "detected": v.detected_at}) for v in conflicts.open_conflicts()]
        self.source.set_rows(rows)
        self.model.refresh()
        row = self.model.row_of(current) if current else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.list_view.selectRow(row)
        self._update_count()
        self._show_current()

    def _after_reset(self) -> None:
        self._update_count()

    def _update_count(self) -> None:
        total = len(self.source.rows)
        text = f"共 {total} 处冲突等待处理" if total else "没有待处理的冲突。"
        if total and self.model.rowCount() != total:
            text += f"，符合筛选的 {self.model.rowCount()} 处"
        self.count_label.setText(text)

    def current_id(self) -> str | None:
        return self.model.id_at(self.list_view.currentIndex().row())

    # -- detail ---------------------------------------------------------------------------------

    def _clear_cards(self) -> None:
        for card in self.cards:
            self.cards_box.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []

    def _show_current(self) -> None:
        self._clear_cards()
        conflict_id = self.current_id()
        view = None
        if conflict_id is not None:
            try:
                reveal = self.reveal_button.isChecked() and self.reveal_button.isEnabled()
                view = conflicts.reveal(self.session.actor, conflict_id) if reveal else \
                    conflicts.describe(conflicts.get(conflict_id))
            except CivDeskError as exc:
                show_message(self.message, str(exc), ok=False)
        self.view_data = view
        if view is None:
            self.heading_label.setText("没有待处理的冲突" if not self.source.rows else "请在左边选择一处冲突")
            self.explain_label.setText("")
            self.reveal_button.hide()
            self.new_box.hide()
            return
        self.heading_label.setText(heading_of(view))
        if view.is_deletion:
            explain = (f"发现于 {view.detected_at}。一台电脑删除了这条记录，另一台电脑在同步前修改了它。"
                       "请决定删除还是保留。")
        else:
            explain = (f"发现于 {view.detected_at}。下面是各台电脑填写的值，请保留正确的那个。"
                       + (f"两个值{view.differs}。" if view.differs else ""))
        self.explain_label.setText(explain)
        self.reveal_button.setVisible(view.personal and self.reveal_button.isEnabled())
        self.reveal_button.setText("隐藏号码" if self.reveal_button.isChecked() else "显示完整号码")
        button_text = "选这个" if view.is_deletion else "保留这个值"
        here = f"本机「{office.node_name()}」"
        for choice in view.choices:
            # Accounts belong to each PC: every editor is named by account, the same way on both
            # sides; the person's name is added where this PC knows it.
            known = self.names.get(choice.username) if choice.node_name == here else None
            who = f"账号 {choice.username}" + (f"（{known}）" if known and known != choice.username else "")
            made_by = f"{choice.node_name}　{who}　{choice.at}"
            card = ChoiceCard(choice.text, f"修改者：{made_by}", choice.winner, button_text)
            card.keep_button.setVisible(self.can_resolve)
            card.keep_button.clicked.connect(lambda _c=False, c=choice: self.keep(c.value_id))
            self.cards_box.addWidget(card)
            self.cards.append(card)
        kind = conflicts.typed_value_kind(view) if self.can_resolve else None
        self.new_box.setVisible(kind is not None)
        if kind is not None:
            winner = next((c for c in view.choices if c.winner), None)
            masked = view.personal and not self.reveal_button.isChecked()
            self.new_edit.setText("" if masked or winner is None else winner.text)
            hint = "格式如 2024-05-01。" if kind == "date" else ""
            self.new_hint.setText(hint + "填写后点「使用这个值」，会替换上面所有的值。")
            set_error(self.new_error, None)

    # -- resolving ------------------------------------------------------------------------------

    def _confirm(self, value_text: str) -> bool:
        view = self.view_data
        if view.is_deletion:
            question = f"{view.table_label}「{view.record_label}」：{value_text}？"
        else:
            question = f"把{heading_of(view)}定为：\n\n{value_text or '（空）'}"
        answer = QMessageBox.question(self, "处理冲突", question + "\n\n处理结果会随下一个数据包同步到其他电脑。确定吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def keep(self, value_id: str) -> bool:
        view = self.view_data
        choice = next((c for c in view.choices if c.value_id == value_id), None) if view else None
        if choice is None or not self._confirm(choice.text):
            return False
        return self._resolve(lambda: conflicts.resolve(self.session.actor, view.id, keep=value_id), choice.text)

    def use_new_value(self) -> bool:
        view = self.view_data
        if view is None or conflicts.typed_value_kind(view) is None:
            return False
        checked = conflicts.check_typed_value(view, self.new_edit.text())
        if not checked.ok:
            set_error(self.new_error, checked.error)
            return False
        value = checked.value if checked.value is not None else ""
        shown = str(value)
        if not self._confirm(shown):
            return False
        return self._resolve(lambda: conflicts.resolve(self.session.actor, view.id, value=value), shown)

    def _resolve(self, call, shown: str) -> bool:
        view = self.view_data
        try:
            call()
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        row = self.list_view.currentIndex().row()
        self.refresh()
        if self.model.rowCount():
            self.list_view.selectRow(min(row, self.model.rowCount() - 1))
        if view.is_deletion:
            done = f"已处理：{view.table_label}「{view.record_label}」——{shown}。"
        else:
            done = f"已处理：{heading_of(view)}定为「{shown or '（空）'}」。"
        show_message(self.message, done)
        return True
