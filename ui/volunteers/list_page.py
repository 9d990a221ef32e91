"""志愿者: the register, filtered as you type, over any number of volunteers.

The model holds a ``volunteers.listing`` (a count and windows of ids along an index) and reads
rows in blocks through ``volunteers.rows``, which gives ID and phone numbers already masked.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from civdesk.office import offices as office
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.roster import VolunteerFilter
from civdesk.volunteers.terms import PENDING_ID, VOLUNTEER_STATUS
from ui.list_model import Column, LargeListModel, attach_filter, setup_table_view
from ui.navigation import PageHost
from ui.session import Session
from ui.volunteers import import_dialog
from ui.volunteers.detail import open_volunteer_detail, star_text
from ui.volunteers.form import VolunteerFormDialog
from ui.widgets.empty import empty_hint

SEARCH_HINT = "搜索：姓名、拼音首字母（如 zs）、证件号或手机号后几位、志愿者编号"


class VolunteerSource:
    columns = [Column("number", "编号", 110), Column("name", "姓名", 80), Column("sex", "性别", 50, "center", False),
               Column("age", "年龄", 50, "right", False), Column("id", "证件号码", 175, sortable=False),
               Column("phone", "联系电话", 115, sortable=False), Column("village", "村/社区", 100),
               Column("join_date", "注册日期", 100), Column("hours", "累计时长（小时）", 125, "right", False),
               Column("stars", "星级", 80, sortable=False), Column("status", "状态", 60, "center", False)]

    def __init__(self):
        self.filter = VolunteerFilter()

    def listing(self, query: str, sort_key: str, descending: bool):
        return volunteers.listing(replace(self.filter, text=query), sort_key, descending)

    def fetch_rows(self, ids: list) -> dict:
        return {vid: {"number": row.number, "name": row.name, "sex": row.sex,
                      "age": "" if row.age is None else row.age, "id": row.id_masked, "phone": row.phone_masked,
                      "village": row.village, "join_date": row.join_date, "hours": f"{row.hours:g}",
                      "stars": star_text(row.stars) if row.stars else "", "status": row.status}
                for vid, row in volunteers.rows(ids).items()}


class VolunteersPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.source = VolunteerSource()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)

        layout.addLayout(self._build_toolbar())

        layout.addLayout(self._build_filters())

        self.model = LargeListModel(self.source, self, sort_key="name")
        self.view = QTableView()
        setup_table_view(self.view, self.model)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.setToolTip("双击查看志愿者详情")
        layout.addWidget(self.view, 1)
        self.empty = empty_hint(self.view, "")
        self.empty_register = self.empty.add_button("登记志愿者", self.register_volunteer)
        self.empty_import = self.empty.add_button("从 Excel 花名册导入…", self.import_volunteers)
        self.empty_clear = self.empty.add_button("清除条件", self.clear_filters)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        bottom.addWidget(self.count_label, 1)
        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: #2e7d32;")
        bottom.addWidget(self.status_label)
        self.open_button = QPushButton("查看详情")
        self.open_button.clicked.connect(lambda: self.open_selected())
        bottom.addWidget(self.open_button)
        layout.addLayout(bottom)

        attach_filter(self.search_edit, self.model)
        self.village_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.status_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.view.selectionModel().currentRowChanged.connect(
            lambda *_a: self.open_button.setEnabled(self.selected_id() is not None))
        self.view.doubleClicked.connect(lambda index: self.open_detail(self.model.id_at(index.row())))
        for signal in (self.model.modelReset, self.model.layoutChanged):
            signal.connect(self._update_count)
        self._update_count()
        self._just_built = True

    def _build_toolbar(self) -> QHBoxLayout:
        """Search, and the buttons to register, import and export volunteers."""
        actor, session = self.session.actor, self.session
        top = QHBoxLayout()
        top.setSpacing(8)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(SEARCH_HINT)
        self.search_edit.setClearButtonEnabled(True)
        top.addWidget(self.search_edit, 1)
        self.register_button = QPushButton("登记志愿者")
        self.register_button.setProperty("primary", True)
        self.register_button.setEnabled(actor.can("edit_volunteers") and not session.read_only)
        self.register_button.clicked.connect(lambda: self.register_volunteer())
        top.addWidget(self.register_button)
        self.import_button = QPushButton("导入…")
        self.import_button.setToolTip("从 Excel 表格批量导入志愿者")
        self.import_button.setEnabled(actor.can("import_data") and not session.read_only)
        self.import_button.clicked.connect(lambda: self.import_volunteers())
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("把当前列表导出为 Excel 表格")
        self.export_button.setEnabled(actor.can("export_data") and not session.read_only)
        self.export_button.clicked.connect(lambda: self.export_list())
        self.template_button = QPushButton("下载导入模板")
        self.template_button.clicked.connect(lambda: import_dialog.save_template(self, "volunteers"))
        for button in (self.import_button, self.export_button, self.template_button):
            top.addWidget(button)
        return top

    def _build_filters(self) -> QHBoxLayout:
        """Village (on a township PC) and status."""
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.village_combo = QComboBox()
        self.village_combo.addItem("全部村/社区", "")
        for village in office.villages():
            self.village_combo.addItem(village.name, village.id)
        self.status_combo = QComboBox()
        for key, label in (("active", "在册"), ("left", "已退出"), ("", "全部状态")):
            self.status_combo.addItem(label, key)
        own = office.own_office_or_none()
        village_pc = own is not None and own.kind == "village"
        self.village_label = QLabel("村/社区：")
        if not village_pc:  # a village PC holds its own villagers only
            filters.addWidget(self.village_label)
            filters.addWidget(self.village_combo)
            filters.addSpacing(8)
        else:
            self.village_combo.hide()
            self.village_label.hide()
        filters.addWidget(QLabel("状态："))
        filters.addWidget(self.status_combo)
        self.clear_button = QPushButton("清除条件")
        self.clear_button.clicked.connect(self.clear_filters)
        filters.addWidget(self.clear_button)
        filters.addStretch(1)
        return filters

    # -- filters -------------------------------------------------------------------

    def apply_filters(self) -> None:
        self.source.filter = VolunteerFilter(village_id=self.village_combo.currentData() or "",
                                             status=self.status_combo.currentData() or "")
        self.model.refresh()
        self._update_count()

    def clear_filters(self) -> None:
        for widget in (self.village_combo, self.status_combo, self.search_edit):
            widget.blockSignals(True)
        self.village_combo.setCurrentIndex(0)
        self.status_combo.setCurrentIndex(0)
        self.search_edit.clear()
        for widget in (self.village_combo, self.status_combo, self.search_edit):
            widget.blockSignals(False)
        self.source.filter = VolunteerFilter()
        if self.model.query:
            self.model.set_query("")
        else:
            self.model.refresh()
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        flt = self.source.filter
        status = VOLUNTEER_STATUS.get(flt.status, "")
        filtered = bool(self.model.query or flt.village_id)
        self.count_label.setText(f"{'符合条件的' if filtered else ''}{status}志愿者共 {total:,} 名")
        self._update_empty(total)
        self.open_button.setEnabled(self.selected_id() is not None)

    def _update_empty(self, total: int) -> None:
        """No rows: either nobody is registered yet (register or import) or the filter finds nobody."""
        if total:
            return
        anyone = volunteers.anyone()
        can_add = self.register_button.isEnabled()
        self.empty.set_text("没有符合条件的志愿者。" if anyone else
                            "还没有志愿者。在这里登记本单位的志愿者（编号自动生成，证件号码按国家标准校验），"
                            "或者从 Excel 花名册一次导入。")
        self.empty_register.setVisible(not anyone and can_add)
        self.empty_import.setVisible(not anyone and self.import_button.isEnabled())
        self.empty_clear.setVisible(anyone)

    def on_shown(self) -> None:
        if self._just_built:
            self._just_built = False
            return
        self.model.refresh()
        self._update_count()

    def show_section(self, section: str):
        """工作台's items: ``volunteers/merge`` (people registered twice) opens the merge,
        ``volunteers/证件待补`` the list searched for those registered without an ID number."""
        if section == PENDING_ID:
            self.search_edit.setText(PENDING_ID)
            return None
        return self.merge_duplicates() if section == "merge" else None

    # -- actions -------------------------------------------------------------------

    def merge_duplicates(self):
        from ui.volunteers.merge import open_merge_dialog

        dialog = open_merge_dialog(self.session, self)
        dialog.merged.connect(self._merged)
        return dialog

    def _merged(self, kept_id: str) -> None:
        self.model.refresh()
        self._update_count()
        found = volunteers.rows([kept_id]).get(kept_id)
        if found is not None:
            self.status_label.setText(f"已合并重复登记：保留 {found.name}（编号 {found.number}），累计 {found.hours:g} 小时")

    def selected_id(self) -> str | None:
        return self.model.id_at(self.view.currentIndex().row())

    def open_selected(self):
        volunteer_id = self.selected_id()
        return self.open_detail(volunteer_id) if volunteer_id else None

    def open_detail(self, volunteer_id: str | None):
        if not volunteer_id:
            return None
        dialog = open_volunteer_detail(self.session, volunteer_id, self)
        if not dialog.property("listConnected"):  # an already open detail is only raised
            dialog.changed.connect(self._volunteer_changed)
            dialog.setProperty("listConnected", True)
        return dialog

    def _volunteer_changed(self, volunteer_id: str) -> None:
        # Status changes (leaving) may move the row out of the current filter.
        self.model.refresh()
        self.model.refresh_rows([volunteer_id])
        self._update_count()

    def register_volunteer(self) -> VolunteerFormDialog:
        dialog = VolunteerFormDialog(self.session, parent=self, open_detail=open_volunteer_detail)
        dialog.saved.connect(self._registered)
        dialog.finished.connect(dialog.deleteLater)  # one per use, not one per click kept forever
        dialog.open()
        return dialog

    def _registered(self, volunteer_id: str) -> None:
        self.model.refresh()
        self._update_count()
        row = self.model.row_of(volunteer_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        found = volunteers.rows([volunteer_id]).get(volunteer_id)
        if found is not None:
            self.status_label.setText(f"已登记：{found.name}，志愿者编号 {found.number}")

    # -- Excel ---------------------------------------------------------------------------

    def import_volunteers(self) -> import_dialog.ImportDialog:
        dialog = import_dialog.open_import_dialog(self.session, "volunteers", self)
        dialog.imported.connect(lambda _report: (self.model.refresh(), self._update_count()))
        return dialog

    def export_list(self, out=None, full_numbers: bool | None = None):
        return import_dialog.export_volunteer_list(
            self, self.session, self.model.ids(), out, full_numbers,
            on_done=lambda count, path: self.status_label.setText(f"已导出 {count:,} 名志愿者到 {path}"))
