"""创建单位: the organisations that take part in 文明创建, each with its title history (named,
reviewed, revoked, expired), the annual review and 摘牌, recommendation to the district, its
applications, and the yearly roster PDF."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from civdesk.core import validation
from civdesk.core.errors import CivDeskError
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import titles as unit_titles
from civdesk.units.terms import RECOMMEND_OUTCOMES, STATUSES, title_text
from ui.field_errors import message_label, show_message
from ui.list_model import Column, RowsSource, attach_filter, rows_view
from ui.navigation import PageHost
from ui.session import Session
from ui.units.application import open_application
from ui.units.dialogs import (
    NewApplicationDialog,
    OrgFormDialog,
    OutcomeDialog,
    RecommendDialog,
    ReviewDialog,
)
from ui.volunteers import hours_forms
from ui.volunteers.records import selected_ids
from ui.widgets.empty import empty_hint
from ui.widgets.pdf_save import save_pdf


class OrganisationsPage(QWidget):
    def __init__(self, session: Session, host: PageHost, parent=None):
        super().__init__(parent)
        self.session, self.host = session, host
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(self._build_toolbar())
        splitter = QSplitter()
        self.org_rows = RowsSource([Column("name", "单位名称", 160), Column("kind", "类型", 100),
                                    Column("village", "村/社区", 76), Column("titles", "现有称号", 150)])
        self.org_view, self.org_model = rows_view(self.org_rows)
        self.org_empty = empty_hint(self.org_view, "还没有创建单位。登记参加文明创建的村、社区、企业和机关事业单位，"
                                                   "再为它们申报文明称号。", "登记单位…", lambda: self.add_org())
        splitter.addWidget(self.org_view)
        splitter.addWidget(self._build_org_details())
        splitter.setSizes([500, 900])
        layout.addWidget(splitter, 1)
        self.message = message_label()
        layout.addWidget(self.message)

        attach_filter(self.search_edit, self.org_model)
        self.org_view.selectionModel().selectionChanged.connect(lambda *_: self.show_org())
        self.add_button.clicked.connect(lambda: self.add_org())
        self.edit_button.clicked.connect(lambda: self.edit_org())
        self.delete_button.clicked.connect(lambda: self.delete_org())
        self.apply_button.clicked.connect(lambda: self.new_application())
        self.review_button.clicked.connect(lambda: self.review())
        self.revoke_button.clicked.connect(lambda: self.revoke())
        self.recommend_button.clicked.connect(lambda: self.recommend())
        self.outcome_button.clicked.connect(lambda: self.record_outcome())
        self.roster_button.clicked.connect(lambda: self.print_roster())
        self.app_view.doubleClicked.connect(lambda _i: self.open_application())

    def _build_toolbar(self) -> QHBoxLayout:
        """Search, the organisation buttons and the roster's year above the list."""
        actor, ro = self.session.actor, self.session.read_only
        top = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索单位名称或拼音首字母（如 hxc）")
        self.search_edit.setClearButtonEnabled(True)
        top.addWidget(self.search_edit, 1)
        self.due_check = QCheckBox("只看今年待复查或将到期的")
        self.due_check.toggled.connect(lambda _on: self.refresh())
        top.addWidget(self.due_check)
        self.add_button = QPushButton("登记单位…")
        self.add_button.setProperty("primary", True)
        self.edit_button = QPushButton("修改…")
        self.apply_button = QPushButton("为它新建申报…")
        self.delete_button = QPushButton("删除…")
        self.delete_button.setToolTip("只能删除登记错了、还没有申报和称号记录的单位")
        for button in (self.add_button, self.edit_button, self.apply_button, self.delete_button):
            button.setEnabled(actor.can("edit_unit_applications") and not ro)
            top.addWidget(button)
        top.addWidget(QLabel("名录年度"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year)
        top.addWidget(self.year_spin)
        self.roster_button = QPushButton("文明单位名录 PDF")
        top.addWidget(self.roster_button)
        return top

    def _build_org_details(self) -> QWidget:
        """The right side: the chosen organisation's titles, recommendations and applications."""
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(8, 0, 0, 0)
        self.info = QLabel("在左边选中一个单位。")
        self.info.setWordWrap(True)
        side.addWidget(self.info)
        self._build_titles(side)
        self._build_recommendations(side)
        side.addWidget(QLabel("历年申报（双击打开）"))
        self.app_rows = RowsSource([Column("year", "年度", 60), Column("title", "申报称号", 150),
                                    Column("status", "状态", 70), Column("self", "自评分", 70, "right"),
                                    Column("assessed", "测评分", 70, "right")])
        self.app_view, self.app_model = rows_view(self.app_rows)
        empty_hint(self.app_view, "还没有申报。")
        side.addWidget(self.app_view, 1)
        return right

    def _build_titles(self, side: QVBoxLayout) -> None:
        actor, ro = self.session.actor, self.session.read_only
        side.addWidget(QLabel("称号记录"))
        self.title_rows = RowsSource([Column("title", "称号", 110), Column("year", "命名年度", 68),
                                      Column("number", "命名文号", 168), Column("until", "有效期至", 90),
                                      Column("status", "状态", 56), Column("reviews", "复查", 140),
                                      Column("reason", "摘牌原因", 160)])
        self.title_view, self.title_model = rows_view(self.title_rows)
        empty_hint(self.title_view, "还没有称号。申报经测评、公示并命名后，称号记在这里。")
        side.addWidget(self.title_view, 2)
        buttons = QHBoxLayout()
        self.review_button = QPushButton("复查…")
        self.revoke_button = QPushButton("摘牌…")
        self.recommend_button = QPushButton("向区推荐…")
        for button in (self.review_button, self.revoke_button, self.recommend_button):
            button.setVisible(actor.can("manage_titles"))
            button.setEnabled(not ro)
            buttons.addWidget(button)
        buttons.addStretch(1)
        side.addLayout(buttons)

    def _build_recommendations(self, side: QVBoxLayout) -> None:
        side.addWidget(QLabel("向区推荐"))
        self.rec_rows = RowsSource([Column("date", "推荐日期", 96), Column("target", "推荐称号", 150),
                                    Column("outcome", "区里评定结果", 120), Column("outcome_date", "评定日期", 96),
                                    Column("note", "备注", 260)])
        self.rec_view, self.rec_model = rows_view(self.rec_rows)
        empty_hint(self.rec_view, "还没有向区推荐过。选中一个称号，点「向区推荐…」。")
        side.addWidget(self.rec_view, 1)
        rec_buttons = QHBoxLayout()
        self.outcome_button = QPushButton("记录区里结果…")
        self.outcome_button.setVisible(self.session.actor.can("manage_titles"))
        self.outcome_button.setEnabled(not self.session.read_only)
        rec_buttons.addWidget(self.outcome_button)
        rec_buttons.addStretch(1)
        side.addLayout(rec_buttons)

    # -- lists --------------------------------------------------------------------------------

    def on_shown(self) -> None:
        self.refresh()

    def show_section(self, section: str) -> None:
        """The start page's reminders of reviews and expiring titles open the list of those."""
        if section == "due":
            self.due_check.setChecked(True)

    def refresh(self) -> None:
        current = self.current_org()
        villages = {v.id: v.name for v in office_service.villages()}
        rows = []
        due = None
        if self.due_check.isChecked():
            today = dt.date.today()
            found = unit_titles.reviews_due(today.year, today) + unit_titles.expiring(
                int(settings.get("unit.expiry_warning_days")), today)
            due = {d.title.org_id for d in found}
        every_title = unit_titles.histories()
        for org in units.orgs():
            if due is not None and org.id not in due:
                continue
            held = [t for t in every_title.get(org.id, []) if unit_titles.effective_status(t) == "active"]
            rows.append((org.id, {"name": org.name, "kind": org.kind, "village": villages.get(org.village_id, "镇级"),
                                  "titles": "、".join(title_text(t.title, t.level, t.model_grade) for t in held)}))
        self.org_rows.set_rows(rows)
        self.org_model.refresh()
        if current:
            self.select_org(current)
        elif self.org_model.rowCount():
            self.org_view.selectRow(0)  # never three empty tables beside a full list
        self.show_org()

    def current_org(self) -> str | None:
        ids = selected_ids(self.org_view, self.org_model)
        return ids[0] if ids else None

    def select_org(self, org_id: str) -> None:
        row = self.org_model.row_of(org_id)
        if row >= 0:
            self.org_view.selectRow(row)

    def current_title(self) -> str | None:
        ids = selected_ids(self.title_view, self.title_model)
        return ids[0] if ids else None

    def show_org(self) -> None:
        org_id = self.current_org()
        for button in (self.edit_button, self.apply_button, self.delete_button, self.review_button, self.revoke_button,
                       self.recommend_button, self.outcome_button):
            button.setEnabled(bool(org_id) and not self.session.read_only)
        if not org_id:
            self.info.setText("在左边选中一个单位，这里显示它的称号记录：复查、摘牌和向区推荐都在这里办理。")
            for rows, model in ((self.title_rows, self.title_model), (self.rec_rows, self.rec_model),
                                (self.app_rows, self.app_model)):
                rows.set_rows([])
                model.refresh()
            return
        org = units.get_org(org_id)
        village = dict((v.id, v.name) for v in office_service.villages()).get(org.village_id, "镇级单位")
        size = "" if org.size_count is None else f"　{'户数' if org.kind in ('村', '社区') else '职工'} {org.size_count}"
        self.info.setText(f"<b style='font-size:15px'>{org.name}</b>　{org.kind}　{village}<br>"
                          f"地址：{org.address or '—'}　联系人：{org.contact_person or '—'}　"
                          f"电话：{validation.mask_phone(org.phone) or '—'}{size}")
        titles = unit_titles.history(org_id)
        self.title_rows.set_rows([(t.id, {
            "title": title_text(t.title, t.level, t.model_grade), "year": t.year, "number": t.decision_number,
            "until": t.valid_until.isoformat(), "status": unit_titles.status_text(t),
            "reviews": "、".join(f"{r.year}年{'保留' if r.outcome == 'keep' else '摘牌'}" for r in unit_titles.reviews(t.id)),
            "reason": t.revoked_reason}) for t in titles])
        self.title_model.refresh()
        if titles:
            self.title_view.selectRow(0)
        self.rec_rows.set_rows([(r.id, {"date": r.recommended_date.isoformat(), "target": r.target_title,
                                        "outcome": RECOMMEND_OUTCOMES[r.outcome],
                                        "outcome_date": r.outcome_date.isoformat() if r.outcome_date else "",
                                        "note": r.note}) for r in unit_titles.recommendations(org_id=org_id)])
        self.rec_model.refresh()
        self.app_rows.set_rows([(a.id, {"year": a.year, "title": a.title_text,
                                        "status": STATUSES[a.status], "self": f"{a.self_tenths / 10:g}",
                                        "assessed": "" if a.assessed_tenths is None else f"{a.assessed_tenths / 10:g}"})
                                for a in unit_scoring.applications_of_org(org_id)])
        self.app_model.refresh()

    # -- actions ------------------------------------------------------------------------------

    def _after(self, text: str) -> None:
        self.refresh()
        show_message(self.message, text)

    def add_org(self) -> OrgFormDialog:
        dialog = OrgFormDialog(self.session, parent=self)
        dialog.accepted.connect(lambda: (self.refresh(), self.select_org(dialog.result_value.id),
                                         show_message(self.message, f"已登记「{dialog.result_value.name}」。")))
        dialog.open()
        return dialog

    def edit_org(self) -> OrgFormDialog | None:
        org_id = self.current_org()
        if not org_id:
            return None
        dialog = OrgFormDialog(self.session, org_id, self)
        dialog.accepted.connect(lambda: self._after("已保存。"))
        dialog.open()
        return dialog

    def delete_org(self) -> bool:
        org_id = self.current_org()
        if not org_id:
            return False
        name = self.org_rows.row(org_id)["name"]
        reason = hours_forms.ask_reason(self, "删除创建单位", f"删除「{name}」（例如登记重复或登记错了），请写明原因：")
        if not reason:
            return False
        try:
            units.delete_org(self.session.actor, org_id, reason)
        except CivDeskError as exc:
            show_message(self.message, str(exc), ok=False)
            return False
        self._after(f"已删除「{name}」。")
        return True

    def new_application(self) -> NewApplicationDialog | None:
        org_id = self.current_org()
        if not org_id:
            return None
        dialog = NewApplicationDialog(self.session, dt.date.today().year, org_id, self)
        dialog.accepted.connect(lambda: (self.refresh(), open_application(self.session, dialog.result_value.id, self,
                                                                          on_closed=self.refresh)))
        dialog.open()
        return dialog

    def _title_needed(self) -> str | None:
        title_id = self.current_title()
        if not title_id:
            show_message(self.message, "请先在称号记录中选中一个称号。", ok=False)
        return title_id

    def review(self) -> ReviewDialog | None:
        title_id = self._title_needed()
        if not title_id:
            return None
        row = self.title_rows.row(title_id)
        dialog = ReviewDialog(self.session, title_id, f"{self.org_rows.row(self.current_org())['name']}　{row['title']}"
                                                      f"（{row['year']}年命名，有效期至 {row['until']}）", self)
        dialog.accepted.connect(lambda: self._after("已保存复查结论。"))
        dialog.open()
        return dialog

    def revoke(self) -> bool:
        title_id = self._title_needed()
        if not title_id:
            return False
        label = f"{self.org_rows.row(self.current_org())['name']}「{self.title_rows.row(title_id)['title']}」"
        reason = hours_forms.ask_reason(self, "摘牌", f"对{label}摘牌（撤销称号），请写明原因：")
        if not reason:
            return False
        if QMessageBox.question(self, "确认摘牌", f"确定对{label}摘牌吗？摘牌后称号失效，记录保留。") \
                != QMessageBox.StandardButton.Yes:
            return False
        try:
            unit_titles.revoke(self.session.actor, title_id, reason)
        except Exception as exc:  # CivDeskError and ValidationError both read as a message
            show_message(self.message, str(exc), ok=False)
            return False
        self._after(f"已对{label}摘牌。")
        return True

    def recommend(self) -> RecommendDialog | None:
        title_id = self._title_needed()
        if not title_id:
            return None
        title = unit_titles.get(title_id)
        dialog = RecommendDialog(self.session, title_id, self.org_rows.row(self.current_org())["name"],
                                 f"区级{title.title}", self)
        dialog.accepted.connect(lambda: self._after("已记录推荐；区里评定后请记录结果。"))
        dialog.open()
        return dialog

    def record_outcome(self) -> OutcomeDialog | None:
        ids = selected_ids(self.rec_view, self.rec_model)
        if not ids:
            show_message(self.message, "请先在「向区推荐」中选中一条推荐。", ok=False)
            return None
        row = self.rec_rows.row(ids[0])
        dialog = OutcomeDialog(self.session, ids[0], f"{row['date']} 推荐参评{row['target']}", self)
        dialog.accepted.connect(lambda: self._after("已记录区里的评定结果。"))
        dialog.open()
        return dialog

    def open_application(self):
        ids = selected_ids(self.app_view, self.app_model)
        if ids:
            return open_application(self.session, ids[0], self, on_closed=self.refresh)
        return None

    def print_roster(self, path: str | None = None):
        from civdesk.units import reports as unit_reports

        actor, year = self.session.actor, self.year_spin.value()
        return save_pdf(self, "文明单位名录", f"{year}年度文明单位名录.pdf",
                        lambda target, ctx: unit_reports.roster_pdf(target, year, actor=actor, progress=ctx.progress,
                                                                    cancelled=lambda: ctx.cancelled), path=path)
