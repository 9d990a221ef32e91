"""「讲文明树新风」公益广告: where each one is put up, by village and location type, in the colour
of its state at the last inspection; 检查 records what an inspection found; the counts grid by
village and type ends in a 合计 row."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.activities import common, photos, placements
from civdesk.activities.terms import LOCATION_TYPES, PLACEMENT_STATES
from civdesk.core.errors import CivDeskError
from civdesk.core.validation import ValidationError
from civdesk.supervision import placement_findings
from ui.activities.widgets import STATE_COLOURS, EmptyOr, EmptyState, current_id, fill, scrolling_body, table
from ui.field_errors import FieldErrors, error_label, message_label, set_error, show_message
from ui.session import Session
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box


def village_choices(blank: str) -> QComboBox:
    """Villages as item data; on a village PC only its own, fixed."""
    combo = QComboBox()
    own, villages = common.own_village(), common.villages()
    if own:
        combo.addItem(villages.get(own, "本村"), own)
        combo.setEnabled(False)
        return combo
    combo.addItem(blank, "")
    for vid, name in villages.items():
        combo.addItem(name, vid)
    return combo


def _findings_text(found: list[placement_findings.PlacementFinding]) -> str:
    return f"{len(found)} 个未整改" if found else "—"


def _findings_detail(found: list[placement_findings.PlacementFinding]) -> str:
    """The open 督查 findings about a placement, one a line."""
    return "\n".join(f"{f.day} 督查发现{f.state}：{f.description}" + (f"（{f.notice_number}）" if f.notice_number else "")
                     for f in found)


class PlacementDialog(QDialog):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session, self.saved_id, self.photo = session, "", None
        self.setWindowTitle("登记公益广告")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.village_combo = village_choices("（镇里的，不属于某个村）")
        self.type_combo = QComboBox()
        self.type_combo.addItems(list(LOCATION_TYPES))
        self.place_edit, self.theme_edit, self.size_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.theme_edit.setText("讲文明树新风")
        self.size_edit.setPlaceholderText("如 3m×1.2m")
        self.put_up_edit = DateField(dt.date.today())
        self.state_combo = QComboBox()
        self.state_combo.addItems(list(PLACEMENT_STATES))
        self.note_edit = text_box(2)
        self.photo_button = QPushButton("选择照片…")
        self.photo_button.clicked.connect(lambda: self.choose_photo())
        for label, key, editor in (("村/社区：", "village_id", self.village_combo),
                                   ("位置类型：", "location_type", self.type_combo),
                                   ("设置位置：", "place", self.place_edit), ("主题：", "theme", self.theme_edit),
                                   ("尺寸：", "size", self.size_edit), ("设置日期：", "put_up", self.put_up_edit),
                                   ("状况：", "state", self.state_combo), ("照片：", "photo", self.photo_button),
                                   ("备注：", "note", self.note_edit)):
            form.addRow(label, self.errors.block(key, editor))
        self.general_error = error_label()
        scrolling_body(self, body, [self.general_error, form_buttons(self, "登记", self.save)], 560)

    def choose_photo(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "选择照片", "", "照片 (*.jpg *.jpeg *.png);;所有文件 (*)")
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str) -> bool:
        try:
            name, data = photos.read_file(path)
            photos.check_photo(name, data)
        except ValidationError as exc:
            set_error(self.errors.labels["photo"], exc.errors.get("photo", str(exc)))
            return False
        except CivDeskError as exc:
            set_error(self.errors.labels["photo"], str(exc))
            return False
        self.photo = (name, data)
        self.photo_button.setText(name)
        set_error(self.errors.labels["photo"], None)
        return True

    def save(self) -> bool:
        values = {"village_id": self.village_combo.currentData() or None, "location_type": self.type_combo.currentText(),
                  "place": self.place_edit.text(), "theme": self.theme_edit.text(), "size": self.size_edit.text(),
                  "put_up": self.put_up_edit.value(), "state": self.state_combo.currentText(),
                  "note": self.note_edit.toPlainText()}
        files = [self.photo] if self.photo else []
        ok, self.saved_id = self.errors.submit(
            lambda: placements.create(self.session.actor, values, photo_files=files).id, self.general_error)
        if ok:
            self.accept()
        return ok


class InspectDialog(QDialog):
    def __init__(self, session: Session, row: placements.PlacementRow, parent=None, *,
                 findings: list[placement_findings.PlacementFinding] = ()):
        super().__init__(parent)
        self.session, self.row = session, row
        self.setWindowTitle("检查公益广告")
        self.errors = FieldErrors()
        body = QWidget()
        form = QFormLayout(body)
        form.addRow("位置：", QLabel(f"{row.village or '镇'}　{row.place}（{row.location_type}）"))
        form.addRow("上次状况：", QLabel(f"{row.state}　{row.inspected_on or '从未检查'}"))
        if findings:  # what 督查 found and is not rectified yet
            found = QLabel(_findings_detail(list(findings)))
            found.setWordWrap(True)
            found.setStyleSheet("color: #a93226;")
            form.addRow("督查问题：", found)
        self.state_combo = QComboBox()
        self.state_combo.addItems(list(PLACEMENT_STATES))
        self.state_combo.setCurrentText(row.state)
        self.day_edit = DateField(dt.date.today())
        self.note_edit = text_box(2)
        form.addRow("这次状况：", self.errors.block("state", self.state_combo))
        form.addRow("检查日期：", self.errors.block("inspected_on", self.day_edit))
        form.addRow("说明：", self.errors.block("note", self.note_edit))
        self.general_error = error_label()
        scrolling_body(self, body, [self.general_error, form_buttons(self, "记录检查结果", self.save)], 480)

    def save(self) -> bool:
        ok, _ = self.errors.submit(lambda: placements.inspect(
            self.session.actor, self.row.id, self.state_combo.currentText(), self.day_edit.value(),
            self.note_edit.toPlainText()), self.general_error)
        if ok:
            self.accept()
        return ok


class PlacementsTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.can_edit = session.actor.can("edit_activities") and not session.read_only
        self.rows: list[placements.PlacementRow] = []
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        self.inner = QTabWidget()
        self.table = table(["村/社区", "位置类型", "设置位置", "主题", "尺寸", "设置日期", "状况", "上次检查", "督查问题"],
                           [80, 72, 190, 130, 76, 90, 56, 90, 76], stretch=2)
        self.findings: dict[str, list[placement_findings.PlacementFinding]] = {}
        self.table.doubleClicked.connect(lambda _i: self.inspect())
        self.table.currentCellChanged.connect(lambda *_a: self.inspect_button.setEnabled(
            self.can_edit and bool(current_id(self.table))))
        self.empty = EmptyState("还没有登记公益广告。把街巷、公共场所、窗口单位和居民院落里的「讲文明树新风」"
                                "公益广告逐处登记，检查时记下状况。", "登记公益广告…", lambda: self.add(), self.can_edit)
        self.list_stack = EmptyOr(self.table, self.empty)
        self.inner.addTab(self.list_stack, "明细")
        self.counts = table(["村/社区", *LOCATION_TYPES, "合计"], [140, 90, 90, 90, 90, 80], stretch=0)
        self.inner.addTab(self.counts, "按村统计")
        layout.addWidget(self.inner, 1)
        legend = QLabel("<span style='color:#d98880;'>■</span> 破损或缺失，或有未整改的督查问题　"
                        "<span style='color:#f0d264;'>■</span> 褪色或半年没有检查　双击一处广告记录检查结果")
        layout.addWidget(legend)
        self.message = message_label()
        layout.addWidget(self.message)

    def _top_bar(self) -> QHBoxLayout:
        top = QHBoxLayout()
        self.village_filter = village_choices("全部村/社区")
        self.type_filter = QComboBox()
        self.type_filter.addItem("全部位置类型", "")
        for kind in LOCATION_TYPES:
            self.type_filter.addItem(kind, kind)
        self.village_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.type_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.village_filter)
        top.addWidget(self.type_filter)
        top.addStretch(1)
        self.add_button = QPushButton("登记公益广告…")
        self.add_button.setProperty("primary", True)
        self.inspect_button = QPushButton("检查…")
        self.add_button.setEnabled(self.can_edit)
        self.inspect_button.setEnabled(False)
        self.add_button.clicked.connect(lambda: self.add())
        self.inspect_button.clicked.connect(lambda: self.inspect())
        top.addWidget(self.add_button)
        top.addWidget(self.inspect_button)
        return top

    def refresh(self) -> None:
        self.rows = placements.placements(self.village_filter.currentData() or None, self.type_filter.currentData())
        self.findings = placement_findings.of_placements([p.id for p in self.rows], open_only=True)
        fill(self.table, [(p.id, [p.village or "镇", p.location_type, p.place, p.theme, p.size, p.put_up, p.state,
                                  p.inspected_on or "未检查", _findings_text(self.findings.get(p.id, []))],
                           "red" if self.findings.get(p.id) else p.colour) for p in self.rows])
        for r, p in enumerate(self.rows):
            colour = STATE_COLOURS.get(p.state, "ok")
            self.table.item(r, 6).setToolTip(f"{p.state}（{'需要处理' if colour == 'red' else '正常'}）")
            self.table.item(r, 8).setToolTip(_findings_detail(self.findings.get(p.id, [])) or "没有未整改的督查问题")
        self.list_stack.show_empty(not self.rows)
        counts = placements.counts()
        fill(self.counts, [(c.village, [c.village, *(c.by_type[k] for k in LOCATION_TYPES), c.total], "ok")
                           for c in counts], bold_last=True)
        self.inspect_button.setEnabled(self.can_edit and bool(current_id(self.table)))

    def current(self) -> placements.PlacementRow | None:
        row_id = current_id(self.table)
        return next((p for p in self.rows if p.id == row_id), None)

    def add(self) -> PlacementDialog:
        dialog = PlacementDialog(self.session, self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def inspect(self) -> InspectDialog | None:
        row = self.current()
        if row is None or not self.can_edit:
            return None
        dialog = InspectDialog(self.session, row, self, findings=self.findings.get(row.id, []))
        dialog.finished.connect(lambda result: result and (self.refresh(),
                                                           show_message(self.message, f"已记录「{row.place}」的检查结果。")))
        dialog.open()
        return dialog
