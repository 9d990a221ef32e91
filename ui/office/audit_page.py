"""审计日志: who changed or exported what, filterable, over any number of entries.

The model holds ``audit.listing`` (a count and windows of ids along an index); rows come in
blocks as the table paints them, so 200,000 entries cost about as much as 100.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from civdesk.office import audit
from civdesk.office.audit import AuditFilter, AuditRow
from ui.list_model import Column, LargeListModel, attach_filter, setup_table_view
from ui.navigation import PageHost
from ui.session import Session


class AuditSource:
    # 修改内容 is last: it takes the width that is left; the panel below shows every entry in full.
    columns = [Column("at", "时间", 150), Column("user", "用户", 80), Column("action", "操作", 64),
               Column("table", "对象类型", 84, sortable=False), Column("record", "对象", 200),
               Column("note", "备注", 130, sortable=False), Column("summary", "修改内容", 400, sortable=False)]
    _sort_fields = {"at": "at", "user": "username", "action": "action", "record": "record_label"}

    def __init__(self, actor):
        self.actor = actor
        self.filter = AuditFilter()

    def listing(self, query: str, sort_key: str, descending: bool):
        flt = replace(self.filter, text=query)
        return audit.listing(self.actor, flt, self._sort_fields.get(sort_key, "at"), descending)

    def fetch_rows(self, ids: list) -> dict:
        return {entry_id: {"at": row.at, "user": row.user_display or row.username, "action": row.action_label,
                           "table": row.table_label, "record": row.record_label, "summary": row.summary,
                           "note": row.note, "_row": row}
                for entry_id, row in audit.rows(self.actor, ids).items()}


class DateFilter(QWidget):
    """A date that may be left open: the check box says whether it filters at all."""

    def __init__(self, caption: str, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.check = QCheckBox(caption)
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setEnabled(False)
        self.edit.setMinimumWidth(self.edit.sizeHint().width())
        self.check.toggled.connect(self.edit.setEnabled)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.date().toString("yyyy-MM-dd") if self.check.isChecked() else ""

    def set_value(self, text: str) -> None:
        if text:
            self.edit.setDate(QDate.fromString(text, "yyyy-MM-dd"))
        self.check.setChecked(bool(text))


def _changes_html(summary: str) -> str:
    if not summary:
        return "<p style='color:#777'>（没有字段修改）</p>"
    rows = []
    for part in summary.split("；"):
        field, sep, rest = part.partition("：")
        before, arrow, after = rest.rpartition(" → ")
        if not sep or not arrow:
            rows.append(f"<tr><td colspan='3'>{escape(part)}</td></tr>")
        else:
            rows.append(f"<tr><td>{escape(field)}</td><td>{escape(before)}</td><td>{escape(after)}</td></tr>")
    return ("<table width='100%' cellspacing='0' cellpadding='4' border='1' style='border-color:#ccc'>"
            "<tr style='background:#f0f0f0'><th>项目</th><th>修改前</th><th>修改后</th></tr>"
            + "".join(rows) + "</table>")


def detail_html(row: AuditRow) -> str:
    user = escape(row.user_display or row.username)
    if row.user_display and row.user_display != row.username:
        user += f"（{escape(row.username)}）"
    obj = escape(row.table_label) + ("：" + escape(row.record_label) if row.record_label else "")
    lines = [f"<b>时间：</b>{escape(row.at)}", f"<b>用户：</b>{user}", f"<b>操作：</b>{escape(row.action_label)}",
             f"<b>对象：</b>{obj or '—'}"]
    html = "<br>".join(lines)
    html += "<p><b>修改内容：</b></p>" + _changes_html(row.summary)
    if row.note:
        html += f"<p><b>备注：</b>{escape(row.note)}</p>"
    return html


class AuditPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session = session
        self.source = AuditSource(session.actor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)

        self._build_filters(layout)

        self.model = LargeListModel(self.source, self, sort_key="at", descending=True)
        self.view = QTableView()
        setup_table_view(self.view, self.model)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.detail = QTextBrowser()
        self.detail.setPlaceholderText("选中一条记录，在这里查看完整的修改内容。")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 170])
        layout.addWidget(splitter, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)

        attach_filter(self.search_edit, self.model)
        self.action_combo.currentIndexChanged.connect(self.apply_filters)
        self.user_combo.currentIndexChanged.connect(self.apply_filters)
        for date_filter in (self.date_from, self.date_to):
            date_filter.check.toggled.connect(self.apply_filters)
            date_filter.edit.dateChanged.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        for signal in (self.model.modelReset, self.model.layoutChanged):
            signal.connect(self._update_count)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_detail(current.row()))
        self._load_users()
        self._update_count()
        self._just_built = True

    def _build_filters(self, layout: QVBoxLayout) -> None:
        """Search, action, user and dates above the list."""
        # Two rows, so that nothing is squeezed at 150 % scaling on a small screen.
        top, filters = QHBoxLayout(), QHBoxLayout()
        top.setSpacing(8)
        filters.setSpacing(8)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索用户、对象或备注…")
        self.search_edit.setClearButtonEnabled(True)
        self.clear_button = QPushButton("清除条件")
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.clear_button)
        self.action_combo = QComboBox()
        self.action_combo.addItem("全部操作", "")
        for key, label in audit.action_labels().items():
            self.action_combo.addItem(label, key)
        self.user_combo = QComboBox()
        self.user_combo.setMinimumContentsLength(10)
        self.user_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.date_from, self.date_to = DateFilter("从"), DateFilter("到")
        for caption, widget in (("操作：", self.action_combo), ("用户：", self.user_combo),
                                ("日期：", self.date_from), ("", self.date_to)):
            if caption:
                filters.addSpacing(8)
                filters.addWidget(QLabel(caption))
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(top)
        layout.addLayout(filters)

    def _load_users(self) -> None:
        current = self.user_combo.currentData() or ""
        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        self.user_combo.addItem("全部用户", "")
        for username, display in audit.users_in_log(self.session.actor):
            shown = f"{display}（{username}）" if display and display != username else username
            self.user_combo.addItem(shown, username)
        self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(current)))
        self.user_combo.blockSignals(False)

    def apply_filters(self) -> None:
        self.source.filter = AuditFilter(action=self.action_combo.currentData() or "",
                                         username=self.user_combo.currentData() or "",
                                         date_from=self.date_from.value(), date_to=self.date_to.value())
        self.model.refresh()
        self._update_count()

    def clear_filters(self) -> None:
        widgets = (self.action_combo, self.user_combo, self.date_from.check, self.date_to.check, self.search_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.action_combo.setCurrentIndex(0)
        self.user_combo.setCurrentIndex(0)
        self.date_from.set_value("")
        self.date_to.set_value("")
        self.search_edit.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self.source.filter = AuditFilter()
        # One id query, whichever of the conditions were set.
        if self.model.query:
            self.model.set_query("")
        else:
            self.model.refresh()
        self._update_count()

    def on_shown(self) -> None:
        if self._just_built:  # the model has just run its id query
            self._just_built = False
            return
        self._load_users()
        self.model.refresh()
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        filtered = any((self.model.query, self.source.filter.action, self.source.filter.username,
                        self.source.filter.date_from, self.source.filter.date_to))
        self.count_label.setText(f"{'符合条件的' if filtered else ''}共 {total:,} 条")
        if not self.view.selectionModel().hasSelection():
            self.detail.clear()

    def _show_detail(self, row: int) -> None:
        entry_id = self.model.id_at(row)
        values = self.source.fetch_rows([entry_id]).get(entry_id) if entry_id is not None else None
        if values is None:
            self.detail.clear()
        else:
            self.detail.setHtml(detail_html(values["_row"]))
