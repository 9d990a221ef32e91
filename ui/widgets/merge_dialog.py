"""合并重复登记: one person registered twice, the two records side by side.

The reviewer picks the pair (the 工作台 points them out), which record is kept, and per field
which value it keeps; the dialog shows what moves to the record kept (service records,
certificates … or nominations, honours …) before 合并. Personal data is masked until
「显示完整信息」 (the service audits the viewing). Shared by 志愿者 and 好人评选: each domain
describes itself in a :class:`MergeKind`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from ui.session import Session
from ui.widgets.fit import fit_to_screen, scroll_body


@dataclass(frozen=True)
class MergeKind:
    what: str  # 志愿者 / 被推荐人
    candidates: Callable  # (actor) -> [candidate with keep_id, other_id]
    preview: Callable  # (actor, keep_id, other_id, reveal=) -> preview
    merge: Callable  # (actor, keep_id, other_id, choices) -> anything
    pair_text: Callable  # candidate -> str for the pair list
    side_text: Callable  # preview side -> str for a column head
    after: str  # what the merge does, in a sentence


class MergeDialog(QDialog):
    merged = Signal(str)  # the id of the record kept

    def __init__(self, session: Session, kind: MergeKind, parent=None, pair: tuple[str, str] | None = None):
        super().__init__(parent)
        self.session, self.kind = session, kind
        self.setWindowTitle(f"合并重复登记的{kind.what}")
        self.revealed = False
        self.preview = None
        self.choices: dict[str, QButtonGroup] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("重复登记："))
        self.pairs = QComboBox()
        top.addWidget(self.pairs, 1)
        self.swap_button = QPushButton("对调保留哪一条")
        self.swap_button.setToolTip("保留右边那一条，合并掉左边的")
        self.swap_button.clicked.connect(self.swap)
        top.addWidget(self.swap_button)
        self.reveal_button = QPushButton("显示完整信息")
        self.reveal_button.setToolTip("显示完整的证件号码、电话和地址（会记入审计日志）")
        self.reveal_button.clicked.connect(self.reveal)
        top.addWidget(self.reveal_button)
        layout.addLayout(top)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(16)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        layout.addWidget(self.grid_host)
        layout.addStretch(1)
        # What moves and why not stay in sight beside 合并, below the part that scrolls.
        self.moves = QLabel()
        self.moves.setWordWrap(True)
        self.moves.setObjectName("mergeMoves")
        self.moves.setStyleSheet("background: #fff8e1; padding: 6px; border-radius: 4px;")
        layout.addWidget(self.moves)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.merge_button = QPushButton("合并")
        self.merge_button.setProperty("primary", True)
        self.merge_button.clicked.connect(self.do_merge)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        scroll_body(self, keep=3)
        self._load_pairs(pair)
        self.pairs.currentIndexChanged.connect(lambda _i: self.show_pair())
        self.show_pair()
        fit_to_screen(self, QSize(980, 700) if self.preview is not None else QSize(760, 240))

    # -- the pair ------------------------------------------------------------------------

    def _load_pairs(self, pair: tuple[str, str] | None) -> None:
        try:
            found = self.kind.candidates(self.session.actor)
        except CivDeskError as exc:
            found, self._refusal = [], str(exc)
        else:
            self._refusal = ""
        for candidate in found:
            self.pairs.addItem(self.kind.pair_text(candidate), (candidate.keep_id, candidate.other_id))
        if pair is not None:
            index = self.pairs.findData(pair)
            if index < 0:
                self.pairs.addItem(f"所选的两条{self.kind.what}记录", pair)
                index = self.pairs.count() - 1
            self.pairs.setCurrentIndex(index)

    def current_pair(self) -> tuple[str, str] | None:
        return self.pairs.currentData()

    def swap(self) -> None:
        pair = self.current_pair()
        if pair:
            self.pairs.setItemData(self.pairs.currentIndex(), (pair[1], pair[0]))
            self.show_pair()

    def reveal(self) -> None:
        self.revealed = True
        self.show_pair()

    def show_pair(self) -> None:
        self._clear_grid()
        self.preview, self.choices = None, {}
        pair = self.current_pair()
        self._say("")
        if pair is None:
            self.intro.setText(self._refusal or f"没有发现重复登记的{self.kind.what}。同一个人在两台电脑同步前各登记了一次"
                               "（或证件号码录错后又登记了一次）时，工作台会提示，在这里就能把两条合并成一条。")
            self.moves.setText("")
            self._enable(False)
            return
        try:
            self.preview = self.kind.preview(self.session.actor, pair[0], pair[1], reveal=self.revealed)
        except CivDeskError as exc:
            self.intro.setText("")
            self.moves.setText("")
            self._say(str(exc))
            self._enable(False)
            return
        self.intro.setText(f"左边是保留的记录，右边的记录合并后不再单独出现。两条不同的信息，请逐项选定保留哪一个值"
                           f"（默认用保留记录的）。{'' if self.revealed else '个人信息已隐去中间部分。'}")
        self._fill_grid()
        self.moves.setText(f"合并后移到保留记录：{self.preview.moves_text()}。{self.kind.after}")
        self._enable(True)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _enable(self, ready: bool) -> None:
        can = self.session.actor.can("merge_people") and not self.session.read_only
        self.merge_button.setEnabled(ready and can)
        self.swap_button.setEnabled(ready)
        self.reveal_button.setEnabled(ready and not self.revealed)
        if ready and not can:
            self._say("只有审核人或系统管理员可以合并。" if not self.session.read_only else "数据库只读，不能合并。")

    # -- the side-by-side grid -------------------------------------------------------------

    def _clear_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _fill_grid(self) -> None:
        preview = self.preview
        heads = ("", f"保留：{self.kind.side_text(preview.keep)}", f"合并掉：{self.kind.side_text(preview.other)}")
        for column, text in enumerate(heads):
            label = QLabel(text)
            label.setStyleSheet("font-weight: bold;")
            label.setWordWrap(True)
            self.grid.addWidget(label, 0, column)
        ordered = [c for c in preview.fields if c.differs] + [c for c in preview.fields if not c.differs]
        for row, choice in enumerate(ordered, start=1):
            self.grid.addWidget(QLabel(choice.label + "："), row, 0, Qt.AlignmentFlag.AlignTop)
            if choice.differs:
                group = QButtonGroup(self)
                for column, (side, text) in enumerate((("keep", choice.keep_text), ("other", choice.other_text)), 1):
                    button = QRadioButton(text or "（空）")
                    button.setProperty("side", side)
                    button.setChecked(side == "keep")
                    if choice.note:
                        button.setToolTip(choice.note)
                    group.addButton(button)
                    self.grid.addWidget(button, row, column)
                self.choices[choice.field] = group
            else:
                for column, text in ((1, choice.keep_text), (2, choice.other_text)):
                    label = QLabel(text or "（空）")
                    label.setStyleSheet("color: #757575;")
                    label.setWordWrap(True)
                    self.grid.addWidget(label, row, column)

    def chosen(self) -> dict[str, str]:
        return {name: group.checkedButton().property("side") for name, group in self.choices.items()
                if group.checkedButton() is not None}

    def choose(self, field: str, side: str) -> None:
        for button in self.choices[field].buttons():
            button.setChecked(button.property("side") == side)

    # -- merging -----------------------------------------------------------------------------

    def do_merge(self) -> bool:
        pair = self.current_pair()
        if pair is None or self.preview is None:
            return False
        try:
            self.kind.merge(self.session.actor, pair[0], pair[1], self.chosen())
        except CivDeskError as exc:
            self._say(str(exc))
            return False
        self.merged.emit(pair[0])
        self.accept()
        return True
