"""整改前/整改后 pairs on screen: a chooser where each 整改后 photo names the 整改前 photo it answers
(or none — never guessed from the order), the side-by-side pairs with what is unpaired shown as
such, and the dialog that changes the pairs of photos already stored."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from civdesk.supervision import pairs
from ui.field_errors import error_label, hint_label
from ui.session import Session
from ui.supervision.widgets import THUMB, Errors, PhotoStrip, pair_widget, stored_photo, thumbnail
from ui.widgets import fit
from ui.widgets.forms import form_buttons

NONE_TEXT = "（不对应某张整改前照片）"


class PairChooser(QWidget):
    """One row per 整改后 photo: its picture → the 整改前 photo chosen for it (a list of the notice's
    problems' photos) and that photo's picture, so the clerk sees the two side by side."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.choices: list[pairs.BeforeChoice] = []
        self.keys: list[str] = []
        self.combos: list[QComboBox] = []
        self.previews: list[QHBoxLayout] = []
        self._bytes: dict[str, bytes | None] = {}
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)

    def set_choices(self, choices: list[pairs.BeforeChoice]) -> None:
        self.choices = list(choices)

    def _before(self, photo_id: str) -> bytes | None:
        if photo_id not in self._bytes:
            self._bytes[photo_id] = stored_photo(photo_id)
        return self._bytes[photo_id]

    def set_items(self, items: list[tuple[str, bytes | None, str, str | None]]) -> None:
        """(key, the after-photo's bytes, its caption, the before-photo chosen now or None)."""
        while self.rows.count():
            widget = self.rows.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.keys, self.combos, self.previews = [], [], []
        for key, data, caption, current in items:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(thumbnail(data, caption))
            arrow = QLabel("对应 →")
            arrow.setStyleSheet("color: #555;")
            line.addWidget(arrow)
            combo = QComboBox()
            combo.setMinimumContentsLength(14)
            combo.addItem(NONE_TEXT, "")
            for choice in self.choices:
                combo.addItem(choice.label, choice.id)
                combo.setItemData(combo.count() - 1, f"{choice.description}（{choice.file_name}）",
                                 Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(current or "")))
            line.addWidget(combo)
            preview = QHBoxLayout()
            line.addLayout(preview)
            line.addStretch(1)
            self.keys.append(key)
            self.combos.append(combo)
            self.previews.append(preview)
            combo.currentIndexChanged.connect(lambda _i, n=len(self.combos) - 1: self._preview(n))
            self._preview(len(self.combos) - 1, emit=False)
            self.rows.addWidget(row)

    def _preview(self, index: int, emit: bool = True) -> None:
        layout = self.previews[index]
        while layout.count():
            widget = layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        before = self.combos[index].currentData()
        if before:
            layout.addWidget(thumbnail(self._before(before), "整改前", self.combos[index].currentText()))
        else:
            empty = QLabel("（不配对）")
            empty.setFixedSize(*THUMB)
            empty.setStyleSheet("color: #777; border: 1px dashed #c4c9d0;")
            layout.addWidget(empty)
        if emit:
            self.changed.emit()

    def choose(self, index: int, before_id: str | None) -> None:
        self.combos[index].setCurrentIndex(max(0, self.combos[index].findData(before_id or "")))

    def chosen(self) -> list[str | None]:
        """The before-photo of each row in order (None: not paired)."""
        return [combo.currentData() or None for combo in self.combos]

    def chosen_by_key(self) -> dict[str, str | None]:
        return dict(zip(self.keys, self.chosen(), strict=True))


class PairsView(QWidget):
    """The pairs side by side (scrolling sideways inside itself), then the 整改前 photos nothing
    answers yet and the 整改后 photos that answer none, each said in words."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setFixedHeight(THUMB[1] + 44)
        layout.addWidget(self.area)
        inner = QWidget()
        self.pair_layout = QHBoxLayout(inner)
        self.pair_layout.setContentsMargins(0, 0, 0, 0)
        self.area.setWidget(inner)
        self.before_label = QLabel("未配对的整改前照片（还没有对应的整改后照片）：")
        self.before_strip = PhotoStrip()
        self.after_label = QLabel("未配对的整改后照片（没有对应某张整改前照片）：")
        self.after_strip = PhotoStrip()
        for widget in (self.before_label, self.before_strip, self.after_label, self.after_strip):
            layout.addWidget(widget)
        self.hint = QLabel("报送整改情况时附上整改后照片并选择它对应的整改前照片，这里把整改前后的照片并排显示。")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

    def show_view(self, view: pairs.PairView) -> None:
        while self.pair_layout.count():
            widget = self.pair_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for before, after in view.pairs:
            self.pair_layout.addWidget(pair_widget(stored_photo(before.id), stored_photo(after.id), after.file_name))
        self.pair_layout.addStretch(1)
        self.area.setVisible(bool(view.pairs))
        self.before_strip.set_stored([b.id for b in view.unpaired_before], [b.file_name for b in view.unpaired_before])
        self.after_strip.set_stored([a.id for a in view.unpaired_after], [a.file_name for a in view.unpaired_after])
        any_after = bool(view.pairs or view.unpaired_after)
        for widget in (self.before_label, self.before_strip):
            widget.setVisible(any_after and bool(view.unpaired_before))
        for widget in (self.after_label, self.after_strip):
            widget.setVisible(bool(view.unpaired_after))
        self.hint.setVisible(not any_after)


class PairDialog(QDialog):
    """调整照片配对: every 整改后 photo of the notice with the 整改前 photo it answers; saved all at
    once (pairs.set_pairs), nothing written on a refusal."""

    def __init__(self, session: Session, notice_id: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("调整整改前后照片的配对")
        self.session, self.notice_id = session, notice_id
        self.errors = Errors()
        self.saved = None
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("为每张整改后照片选择它对应的整改前照片；拍的是全景或不对应具体问题的，选「不对应」。"))
        view = pairs.view(notice_id)
        self.chooser = PairChooser()
        self.chooser.set_choices(view.choices)
        afters = [a for _b, a in view.pairs] + view.unpaired_after
        self.chooser.set_items([(a.id, stored_photo(a.id), a.file_name, a.pair_id) for a in afters])
        layout.addWidget(self.errors.block("pairs", self.chooser))
        self.empty = QLabel("这份通知书还没有整改后照片。")
        self.empty.setVisible(not afters)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.general = error_label()
        layout.addWidget(self.general)
        layout.addWidget(form_buttons(self, "保存配对", self.save))
        fit.scroll_body(self, keep=2)
        fit.fit_to_screen(self, QSize(760, 420))

    def save(self) -> bool:
        actor, chosen = self.session.actor, self.chooser.chosen_by_key()
        ok, written = self.errors.submit(lambda: pairs.set_pairs(actor, self.notice_id, chosen), self.general)
        if ok:
            self.saved = written
            self.accept()
        return ok
