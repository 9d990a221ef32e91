"""Who an inspection or a notice is about: a 创建单位 (from units.organisations.org_refs), a
门前三包 holder, or a place in a village — as the services' values (target_kind, org, holder,
place, village)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from civdesk.supervision import common, holders
from civdesk.supervision.terms import TARGET_KINDS
from civdesk.units import organisations as unit_orgs
from ui.widgets.choices import village_combo


class TargetPicker(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        kinds = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for key, label in TARGET_KINDS.items():
            radio = QRadioButton(label)
            self.group.addButton(radio)
            self.radios[key] = radio
            kinds.addWidget(radio)
            radio.toggled.connect(lambda on, _k=key: on and self._kind_changed())
        kinds.addStretch(1)
        layout.addLayout(kinds)
        self.org_combo = QComboBox()
        self.org_combo.setMinimumContentsLength(16)
        self.holder_combo = QComboBox()
        self.holder_combo.setMinimumContentsLength(16)
        place_row = QWidget()
        row = QHBoxLayout(place_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("地点，如：桂花村农贸市场东门")
        self.village = village_combo("（镇区，不属于某个村）")
        row.addWidget(self.place_edit, 2)
        row.addWidget(self.village, 1)
        self.place_row = place_row
        for widget in (self.org_combo, self.holder_combo, place_row):
            layout.addWidget(widget)
        own = common.own_village_id()  # a village PC handles its own village's targets only
        self.orgs = {o.id: o for o in unit_orgs.org_refs(village_id=own)}
        self.holders = {h.id: h for h in holders.rows(village_id=own)}
        self.org_combo.addItem("（请选择创建单位）", "")
        for org in self.orgs.values():
            self.org_combo.addItem(f"{org.name}（{org.kind}）", org.id)
        self.holder_combo.addItem("（请选择门前三包责任户）" if self.holders else "（还没有登记门前三包责任户）", "")
        for holder in self.holders.values():
            self.holder_combo.addItem(f"{holder.name}　{holder.village_name}·{holder.address}", holder.id)
        self.org_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.holder_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.place_edit.textChanged.connect(lambda _t: self.changed.emit())
        self.village.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.radios["org"].setChecked(True)

    def kind(self) -> str:
        return next((k for k, r in self.radios.items() if r.isChecked()), "org")

    def _kind_changed(self) -> None:
        kind = self.kind()
        self.org_combo.setVisible(kind == "org")
        self.holder_combo.setVisible(kind == "holder")
        self.place_row.setVisible(kind == "place")
        self.changed.emit()

    def set_target(self, kind: str, value: str = "", village: str | None = None) -> None:
        self.radios[kind].setChecked(True)
        if kind == "org":
            self.org_combo.setCurrentIndex(max(0, self.org_combo.findData(value)))
        elif kind == "holder":
            self.holder_combo.setCurrentIndex(max(0, self.holder_combo.findData(value)))
        else:
            self.place_edit.setText(value)
            index = self.village.findData(village or "")
            if index >= 0:
                self.village.setCurrentIndex(index)

    def values(self) -> dict:
        kind = self.kind()
        return {"target_kind": kind, "org": self.org_combo.currentData() if kind == "org" else None,
                "holder": self.holder_combo.currentData() if kind == "holder" else None,
                "place": self.place_edit.text().strip() if kind == "place" else "",
                "village": self.village.currentData() or None if kind == "place" else None}

    def name(self) -> str:
        kind = self.kind()
        if kind == "org":
            org = self.orgs.get(self.org_combo.currentData())
            return org.name if org else ""
        if kind == "holder":
            holder = self.holders.get(self.holder_combo.currentData())
            return holder.name if holder else ""
        return self.place_edit.text().strip()

    def village_id(self) -> str | None:
        kind = self.kind()
        if kind == "org":
            org = self.orgs.get(self.org_combo.currentData())
            return org.village_id if org else None
        if kind == "holder":
            holder = self.holders.get(self.holder_combo.currentData())
            return holder.village_id if holder else None
        return self.village.currentData() or None

    def responsible(self) -> str:
        kind = self.kind()
        if kind == "org":
            org = self.orgs.get(self.org_combo.currentData())
            return org.contact_person if org else ""
        if kind == "holder":
            holder = self.holders.get(self.holder_combo.currentData())
            return holder.responsible if holder else ""
        return ""
