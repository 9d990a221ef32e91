"""服务时长: enter records, review them (reviewers only), search them and correct approved ones.

Nobody approves what they entered themselves: the review tab marks such records and says so
when one is selected; the service refuses them as well.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from civdesk.core.errors import CivDeskError
from civdesk.volunteers import hours
from civdesk.volunteers.hours import STATUS_LABELS
from ui.field_errors import message_label, show_message
from ui.list_model import attach_filter
from ui.navigation import PageHost
from ui.session import Session
from ui.volunteers import hours_forms, import_dialog
from ui.volunteers.hours_forms import CorrectionDialog, HoursEntryForm
from ui.volunteers.picker import VolunteerPicker
from ui.volunteers.records import PendingSource, RecordsSource, records_view, selected_ids
from ui.widgets.dates import DateField
from ui.widgets.empty import empty_hint

RECENT_LIMIT = 100
SEARCH_LIMIT = 2000


class EntryTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.entered: list[tuple[str, str, str]] = []  # (record, volunteer, date) entered here
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(16)
        box = QGroupBox("录入服务时长")
        box_layout = QVBoxLayout(box)
        self.form = HoursEntryForm(session)
        box_layout.addWidget(self.form)
        box_layout.addStretch(1)
        layout.addWidget(box, 2)

        recent = QGroupBox("最近的服务记录")
        recent_layout = QVBoxLayout(recent)
        self.source = RecordsSource(me=session.actor.username)
        self.view, self.model = records_view(self.source, self)
        recent_layout.addWidget(self.view, 1)
        empty_hint(self.view, "还没有服务记录。在左边选择志愿者、填写日期和时长，点「保存记录」。")
        self.recent_note = QLabel(f"本次录入的记录排在最前，其后是服务日期最近的 {RECENT_LIMIT} 条。")
        self.recent_note.setProperty("role", "hint")
        self.recent_note.setWordWrap(True)
        recent_layout.addWidget(self.recent_note)
        layout.addWidget(recent, 3)
        self.form.entered.connect(self._entered)
        self.refresh()

    def _entered(self, record_id: str) -> None:
        record = self.form.last_record
        self.entered.insert(0, (record_id, record.volunteer_id, record.service_date.isoformat()))
        self.refresh()

    def refresh(self) -> None:
        order = {record_id: n for n, (record_id, _volunteer, _day) in enumerate(self.entered)}
        mine = sorted(hours.records(ids=list(order)), key=lambda r: order[r.id]) if order else []
        ids = {r.id for r in mine}
        rest = [r for r in hours.records(limit=RECENT_LIMIT) if r.id not in ids]
        self.source.set_rows(mine + rest)
        # The source keeps this session's entries first; sorting by date would bury them.
        self.model.refresh()


class ReviewTab(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("按志愿者姓名、编号、活动或内容筛选…")
        self.search_edit.setClearButtonEnabled(True)
        self.refresh_button = QPushButton("刷新")
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.source = PendingSource(me=session.actor.username)
        self.source.recount()
        self.view, self.model = records_view(self.source, self, multi=True)
        layout.addWidget(self.view, 1)
        empty_hint(self.view, "没有等待审核的服务记录。录入员录入的时长会在这里等审核人审核（录入人不能审核自己录入的记录）。")
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.message = message_label()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton("审核通过")
        self.approve_button.setProperty("primary", True)
        self.reject_button = QPushButton("退回…")
        self.select_all_button = QPushButton("全选")
        for button in (self.approve_button, self.reject_button, self.select_all_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("可按住 Ctrl 或 Shift 多选。"))
        layout.addLayout(buttons)

        attach_filter(self.search_edit, self.model)
        self.refresh_button.clicked.connect(self.refresh)
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self.select_all_button.clicked.connect(self.view.selectAll)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        for signal in (self.model.modelReset, self.model.layoutChanged):
            signal.connect(self._update_count)
        writable = not session.read_only
        self.approve_button.setEnabled(writable)
        self.reject_button.setEnabled(writable)
        self.refresh()

    def refresh(self) -> None:
        self.source.recount()
        self.model.refresh()
        self._update_count()

    def _update_count(self) -> None:
        total, mine = self.source.total, self.source.mine_total
        text = f"待审核共 {total:,} 条" if total else "没有待审核的记录。"
        if self.model.rowCount() != total:
            text += f"，符合筛选的 {self.model.rowCount():,} 条"
        if mine:
            text += f"；其中 {mine} 条是您自己录入的（录入人标有“本人”），需由其他审核人审核"
        self.count_label.setText(text)

    def _selection_changed(self) -> None:
        ids = selected_ids(self.view, self.model)
        mine = self.source.mine(ids)
        own = [rid for rid in ids if rid in mine]
        if own and len(own) == len(ids):
            show_message(self.message, "所选记录是您自己录入的，不能由您审核，请由其他审核人审核。", ok=False)
        elif own:
            show_message(self.message, f"所选的 {len(ids)} 条中有 {len(own)} 条是您自己录入的，"
                                       "审核时会跳过，请由其他审核人审核。", ok=False)
        else:
            self.message.clear()

    def _split(self) -> tuple[list, list]:
        ids = selected_ids(self.view, self.model)
        mine = self.source.mine(ids)
        return [i for i in ids if i not in mine], [i for i in ids if i in mine]

    def _own_note(self, own: list) -> str:
        return (f"{len(own)} 条是您自己录入的，不能由您审核，请由其他审核人审核。" if own else "")

    def approve_selected(self) -> int:
        others, own = self._split()
        if not others and not own:
            show_message(self.message, "请先在表格中选择要审核的记录。", ok=False)
            return 0
        if not others:
            show_message(self.message, "不能审核自己录入的记录：" + self._own_note(own), ok=False)
            return 0
        try:
            count = hours.approve(self.session.actor, others)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return 0
        self.refresh()
        text = f"已审核通过 {count} 条。"
        show_message(self.message, text + ("另有 " + self._own_note(own) if own else ""), ok=not own)
        return count

    def reject_selected(self) -> int:
        others, own = self._split()
        if not others:
            show_message(self.message, ("不能退回自己录入的记录：" + self._own_note(own)) if own
                         else "请先在表格中选择要退回的记录。", ok=False)
            return 0
        reason = hours_forms.ask_reason(self, "退回服务记录",
                                        f"退回所选的 {len(others)} 条记录。请写明原因，录入员会看到：")
        if not reason:
            return 0
        done, problems = 0, []
        for record_id in others:
            try:
                hours.reject(self.session.actor, record_id, reason)
                done += 1
            except CivDeskError as exc:
                problems.append(str(exc))
        self.refresh()
        text = f"已退回 {done} 条。" + ("另有 " + self._own_note(own) if own else "") + "".join(problems)
        show_message(self.message, text, ok=not (own or problems))
        return done


class RecordsTab(QWidget):
    """Search any records (limited, newest first) and correct an approved one."""

    def __init__(self, session: Session, host: PageHost | None, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        filters = QHBoxLayout()
        self.picker = VolunteerPicker(include_left=True, placeholder="全部志愿者（可输入姓名等查找）")
        self.status_combo = QComboBox()
        self.status_combo.addItem("全部状态", "")
        for key, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, key)
        today = dt.date.today()
        self.from_edit = DateField(today.replace(month=1, day=1), optional=True)
        self.to_edit = DateField(None, optional=True)
        self.search_button = QPushButton("查询")
        self.search_button.setProperty("primary", True)
        filters.addWidget(QLabel("志愿者："))
        filters.addWidget(self.picker, 2)
        filters.addWidget(QLabel("状态："))
        filters.addWidget(self.status_combo)
        filters.addWidget(QLabel("服务日期："))
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.to_edit)
        filters.addWidget(self.search_button)
        layout.addLayout(filters)
        self.source = RecordsSource(me=session.actor.username)
        self.view, self.model = records_view(self.source, self)
        layout.addWidget(self.view, 1)
        empty_hint(self.view, "没有符合条件的服务记录。换一个日期范围或清空搜索再试。")
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.message = message_label()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.correct_button = QPushButton("更正时长…")
        self.correct_button.setToolTip("已审核的记录不能修改，只能新增一条更正记录")
        self.open_button = QPushButton("查看志愿者")
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.search_button.clicked.connect(self.search)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.search())
        self.picker.chosen.connect(lambda _id: self.search())
        self.correct_button.clicked.connect(lambda: self.correct_selected())
        self.open_button.clicked.connect(self.open_volunteer)
        self.view.doubleClicked.connect(lambda _index: self.open_volunteer())
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.search()

    def search(self) -> None:
        rows = hours.records(self.picker.volunteer_id() or None, status=self.status_combo.currentData(),
                             date_from=self.from_edit.value(), date_to=self.to_edit.value(),
                             limit=SEARCH_LIMIT + 1)
        more = len(rows) > SEARCH_LIMIT
        self.source.set_rows(rows[:SEARCH_LIMIT])
        self.model.refresh()
        total = sum(r.hours for r in rows[:SEARCH_LIMIT] if r.status == "approved")
        text = f"共 {min(len(rows), SEARCH_LIMIT):,} 条，其中已审核 {total:g} 小时"
        if more:
            text = f"只显示最近的 {SEARCH_LIMIT:,} 条，请缩小日期范围或选择志愿者"
        self.count_label.setText(text)
        self._update_buttons()

    def current(self):
        return self.source.row(self.model.id_at(self.view.currentIndex().row()))

    def _update_buttons(self) -> None:
        row = self.current()
        can = (row is not None and row.status == "approved" and not row.corrects_id
               and self.session.actor.can("enter_hours") and not self.session.read_only)
        self.correct_button.setEnabled(can)
        self.open_button.setEnabled(row is not None)

    def correct_selected(self) -> CorrectionDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = CorrectionDialog(self.session, row, self)
        dialog.accepted.connect(lambda: (show_message(self.message, dialog.summary()), self.search()))
        dialog.finished.connect(dialog.deleteLater)  # one per use, not one per click kept forever
        dialog.open()
        return dialog

    def open_volunteer(self):
        row = self.current()
        if row is None:
            return None
        from ui.volunteers.detail import open_volunteer_detail

        return open_volunteer_detail(self.session, row.volunteer_id, self)


class HoursPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.entry_tab = EntryTab(session)
        self.tabs.addTab(self.entry_tab, "录入时长")
        self.review_tab = None
        if session.actor.can("approve_hours"):
            self.review_tab = ReviewTab(session)
            self.tabs.addTab(self.review_tab, "待审核")
        self.records_tab = RecordsTab(session, host)
        self.tabs.addTab(self.records_tab, "服务记录查询")
        self.sections = {"entry": self.entry_tab, "review": self.review_tab, "records": self.records_tab}
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 8, 0)
        self.import_button = QPushButton("导入时长…")
        self.import_button.setToolTip("从 Excel 表格批量导入服务时长（导入后待审核）")
        self.import_button.setEnabled(session.actor.can("enter_hours") and not session.read_only)
        self.import_button.clicked.connect(lambda: self.import_hours())
        self.template_button = QPushButton("下载时长模板")
        self.template_button.clicked.connect(lambda: import_dialog.save_template(self, "hours"))
        corner_layout.addWidget(self.import_button)
        corner_layout.addWidget(self.template_button)
        self.tabs.setCornerWidget(corner)
        if self.review_tab is not None:
            for signal in (self.review_tab.model.modelReset, self.review_tab.model.layoutChanged):
                signal.connect(self._update_review_title)
        layout.addWidget(self.tabs)
        self._update_review_title()
        self._just_built = True

    def _update_review_title(self) -> None:
        if self.review_tab is not None:
            count = self.review_tab.source.total
            self.tabs.setTabText(self.tabs.indexOf(self.review_tab), f"待审核（{count}）" if count else "待审核")

    def _refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        if tab is self.entry_tab:
            self.entry_tab.form.reload_activities()
            self.entry_tab.refresh()
        elif tab is self.review_tab:
            self.review_tab.refresh()
        elif tab is self.records_tab:
            self.records_tab.search()
        self._update_review_title()

    def on_shown(self) -> None:
        if self._just_built:
            self._just_built = False
            return
        self._refresh_current()

    def show_section(self, section: str) -> None:
        tab = self.sections.get(section)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)

    def start_entry(self, volunteer_id: str | None = None, activity_id: str | None = None) -> None:
        self.tabs.setCurrentWidget(self.entry_tab)
        self.entry_tab.form.preset(volunteer_id, activity_id)
        self.entry_tab.form.picker.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def import_hours(self) -> import_dialog.ImportDialog:
        dialog = import_dialog.open_import_dialog(self.session, "hours", self)
        dialog.imported.connect(lambda _report: self._refresh_current())
        return dialog
