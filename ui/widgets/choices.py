"""Combo boxes for the choices forms share: villages, service categories, free-text lists."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from civdesk.office import offices as office

SERVICE_CATEGORIES = ("社区服务", "扶贫济困", "敬老助残", "环境保护", "文明交通", "文化教育", "医疗卫生", "应急救援", "其他")


def choice_combo(choices, *, editable: bool, blank: str | None = "") -> QComboBox:
    """Editable combos offer the common answers but accept any text."""
    combo = QComboBox()
    combo.setEditable(editable)
    if blank is not None:
        combo.addItem(blank)
    combo.addItems(list(choices))
    if editable:
        combo.lineEdit().setPlaceholderText("可选择，也可直接填写")
        combo.setCurrentIndex(-1)
        combo.setEditText("")
    combo.setMinimumContentsLength(8)
    return combo


def set_combo_text(combo: QComboBox, text: str) -> None:
    index = combo.findText(text or "")
    if index >= 0:
        combo.setCurrentIndex(index)
    elif combo.isEditable():
        combo.setEditText(text or "")


def own_village():
    """This PC's village office, or None on a township PC."""
    return office.get(office.own_village_id())


def village_combo(blank: str = "（不属于某个村/社区）") -> QComboBox:
    """Village ids as item data; on a village PC only its own village, fixed."""
    combo = QComboBox()
    combo.setMinimumContentsLength(8)
    own = own_village()
    if own is not None:
        combo.addItem(own.name, own.id)
        combo.setEnabled(False)
        return combo
    combo.addItem(blank, "")
    for village in office.villages():
        combo.addItem(village.name, village.id)
    return combo


def select_data(combo: QComboBox, value, missing_text: str = "") -> None:
    """Select the item whose data is *value*; add it (as *missing_text*) if the list lacks it."""
    index = combo.findData(value or "")
    if index < 0 and value and missing_text:
        combo.addItem(missing_text, value)
        index = combo.count() - 1
    if index >= 0:
        combo.setCurrentIndex(index)
