"""Choose one volunteer by typing: name, pinyin initials ("zs"), last digits of ID or phone, or
the volunteer number. The search is the registry's own (``volunteers.matching_ids``), so the
picker finds exactly what the volunteer list finds."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QWidget

from civdesk.core.errors import CivDeskError
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.roster import VolunteerFilter, VolunteerRow

IdRole = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER = "姓名、拼音首字母或号码后几位"


def describe(row: VolunteerRow) -> str:
    """One line that tells two people of the same name apart."""
    parts = [row.name, row.number]
    if row.village:
        parts.append(row.village)
    if row.id_masked:
        parts.append(f"证件尾号 {row.id_masked[-4:]}")
    if row.status != "在册":
        parts.append(row.status)
    return "　".join(parts)


class VolunteerPicker(QWidget):
    """A line edit with a drop-down of matches; ``chosen`` carries the id ("" when cleared)."""

    chosen = Signal(str)

    def __init__(self, parent=None, *, include_left: bool = False, limit: int = 30, placeholder: str = PLACEHOLDER):
        super().__init__(parent)
        self.include_left, self.limit = include_left, limit
        self._id = ""
        self._chosen_text = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setToolTip("输入姓名、拼音首字母（如 zs）、证件号或手机号后几位，从列表中选择")
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)
        self.results = QStandardItemModel(self)
        # The completer is driven by hand (setWidget, not setCompleter): the registry decides
        # what matches, so Qt must not filter the list again by its own prefix rule.
        self.completer = QCompleter(self.results, self)
        self.completer.setWidget(self.edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(10)
        self.completer.activated[QModelIndex].connect(self._activated)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.search_now)
        self.edit.textEdited.connect(self._edited)
        self.edit.returnPressed.connect(self._return_pressed)
        self.setFocusProxy(self.edit)

    # -- public ----------------------------------------------------------------------

    def volunteer_id(self) -> str:
        return self._id

    def set_volunteer(self, volunteer_id: str | None) -> None:
        """Show a known volunteer (e.g. opened from the volunteer's own record)."""
        if not volunteer_id:
            self.clear()
            return
        row = volunteers.rows([volunteer_id]).get(volunteer_id)
        if row is None:
            self.clear()
            return
        self._set_chosen(volunteer_id, f"{row.name}（{row.number}）")

    def clear(self) -> None:
        changed = bool(self._id)
        self._id, self._chosen_text = "", ""
        self.edit.clear()
        self.results.clear()
        if changed:
            self.chosen.emit("")

    def search_now(self) -> int:
        """Run the search for the current text at once; returns the number of matches shown."""
        self.timer.stop()
        text = self.edit.text().strip()
        self.results.clear()
        if not text:
            self.completer.popup().hide()
            return 0
        try:
            flt = VolunteerFilter(text=text, status="" if self.include_left else "active")
            ids = volunteers.matching_ids(flt)[:self.limit]
            rows = volunteers.rows(ids)
        except CivDeskError:
            return 0
        for vid in ids:
            row = rows.get(vid)
            if row is None:
                continue
            item = QStandardItem(describe(row))
            item.setData(vid, IdRole)
            item.setData(f"{row.name}（{row.number}）", Qt.ItemDataRole.UserRole + 2)
            self.results.appendRow(item)
        if not self.results.rowCount():
            item = QStandardItem(f"没有找到「{text}」")
            item.setEnabled(False)
            self.results.appendRow(item)
            count = 0
        else:
            count = self.results.rowCount()
        if self.edit.hasFocus() or self.isVisible():
            self.completer.complete()
        return count

    def choose_row(self, row: int) -> bool:
        """Take the *row*-th match of the last search (for keyboard users and tests)."""
        index = self.results.index(row, 0)
        if not index.isValid() or not index.data(IdRole):
            return False
        self._activated(index)
        return True

    # -- internals -------------------------------------------------------------------

    def _edited(self, text: str) -> None:
        if self._id and text != self._chosen_text:
            self._id, self._chosen_text = "", ""
            self.chosen.emit("")
        self.timer.start()

    def _return_pressed(self) -> None:
        if self._id:
            return
        if self.search_now() == 1:
            self.choose_row(0)

    def _activated(self, index: QModelIndex) -> None:
        volunteer_id = index.data(IdRole)
        if not volunteer_id:
            return
        self._set_chosen(volunteer_id, index.data(Qt.ItemDataRole.UserRole + 2))
        self.completer.popup().hide()

    def _set_chosen(self, volunteer_id: str, text: str) -> None:
        self._id, self._chosen_text = volunteer_id, text
        self.edit.setText(text)
        self.chosen.emit(volunteer_id)
