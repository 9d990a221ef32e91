"""Dialogs of 文明创建: an organisation, a new application, a veto, the naming decision, the
annual review, a district recommendation and its outcome, publishing the notice. Each only
collects values and calls the service; errors appear next to the field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
)

from civdesk.units import (
    organisations as units,
)
from civdesk.units import (
    scoring as unit_scoring,
)
from civdesk.units import (
    titles as unit_titles,
)
from civdesk.units import (
    workflow as unit_workflow,
)
from civdesk.units.terms import LEVELS, ORG_KINDS, REVIEW_OUTCOMES, TITLES
from ui.field_errors import FieldErrors, error_label, hint_label
from ui.notices.notice_panel import PublishNoticeDialog
from ui.session import Session
from ui.widgets.choices import own_village, select_data, village_combo
from ui.widgets.dates import DateField
from ui.widgets.forms import form_buttons, text_box


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class _FormDialog(QDialog):
    """Fields in a form, their errors, a general error line and the OK/cancel buttons."""

    def _setup(self, title: str, ok_text: str, width: int = 560) -> QFormLayout:
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.errors = FieldErrors()
        self.result_value = None
        self._layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.addLayout(form)
        self.general = error_label()
        self._layout.addWidget(self.general)
        self.buttons = form_buttons(self, ok_text, self.save)
        self._layout.addWidget(self.buttons)
        return form

    def _run(self, call) -> bool:
        ok, self.result_value = self.errors.submit(call, self.general)
        if ok:
            self.accept()
        return ok

    def save(self) -> bool:  # pragma: no cover - every dialog defines it
        raise NotImplementedError


class OrgFormDialog(_FormDialog):
    def __init__(self, session: Session, org_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session, self.org_id = session, org_id
        form = self._setup("修改创建单位" if org_id else "登记创建单位", "保存" if org_id else "登记")
        self.name_edit = QLineEdit()
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(ORG_KINDS)
        self.village = village_combo("（镇级单位，不属于某个村/社区）")
        self.address_edit = QLineEdit()
        self.contact_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.size_edit = QLineEdit()
        self.note_edit = text_box(2)
        form.addRow("单位名称：", self.errors.block("name", self.name_edit))
        form.addRow("单位类型：", self.errors.block("kind", self.kind_combo))
        form.addRow("所属村/社区：", self.errors.block(
            "village_id", self.village, "村、社区选它自己；镇属机关、学校、企业选「镇级单位」。"))
        form.addRow("地址：", self.errors.block("address", self.address_edit))
        form.addRow("联系人：", self.errors.block("contact_person", self.contact_edit))
        form.addRow("联系电话：", self.errors.block("phone", self.phone_edit))
        form.addRow("职工数/户数：", self.errors.block("size_count", self.size_edit, "单位填职工人数，村、社区填户数。"))
        form.addRow("备注：", self.note_edit)
        if org_id:
            org = units.get_org(org_id)
            self.name_edit.setText(org.name)
            self.kind_combo.setCurrentText(org.kind)
            select_data(self.village, org.village_id, "（其他村/社区）")
            self.village.setEnabled(False)
            self.address_edit.setText(org.address)
            self.contact_edit.setText(org.contact_person)
            self.phone_edit.setText(org.phone)
            self.size_edit.setText("" if org.size_count is None else str(org.size_count))
            self.note_edit.setPlainText(org.note)

    def values(self) -> dict:
        return {"name": self.name_edit.text(), "kind": self.kind_combo.currentText(),
                "village_id": self.village.currentData() or None, "address": self.address_edit.text(),
                "contact_person": self.contact_edit.text(), "phone": self.phone_edit.text(),
                "size_count": self.size_edit.text(), "note": self.note_edit.toPlainText()}

    def save(self) -> bool:
        actor = self.session.actor
        if self.org_id:
            values = self.values()
            values.pop("village_id")
            return self._run(lambda: units.update_org(actor, self.org_id, values))
        return self._run(lambda: units.create_org(actor, self.values()))


class NewApplicationDialog(_FormDialog):
    """申报: which organisation, year, title and level."""

    def __init__(self, session: Session, year: int, org_id: str | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        form = self._setup("新建创建申报", "新建申报")
        self.org_combo = QComboBox()
        self.org_combo.setEditable(False)
        own = own_village()  # a village PC files only for its own village's organisations
        for org in units.orgs(village_id=own.id if own is not None else None):
            self.org_combo.addItem(f"{org.name}（{org.kind}）", org.id)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year)
        self.title_combo = QComboBox()
        self.title_combo.addItems(TITLES)
        self.level_combo = QComboBox()
        self.level_combo.addItems(LEVELS)
        self.model_check = QCheckBox("申报标兵")
        form.addRow("申报单位：", self.errors.block("org_id", self.org_combo, "单位不在列表中时，请先在「创建单位」页登记。"))
        form.addRow("年度：", self.errors.block("year", self.year_spin))
        form.addRow("申报称号：", self.errors.block("title", self.title_combo))
        form.addRow("级别：", self.errors.block("level", self.level_combo))
        form.addRow("", self.model_check)
        self.org_combo.currentIndexChanged.connect(self._suggest_title)
        if org_id:
            select_data(self.org_combo, org_id)
        self._suggest_title()

    def _suggest_title(self) -> None:
        org_id = self.org_combo.currentData()
        if org_id:
            self.title_combo.setCurrentText(units.default_title(units.get_org(org_id)))

    def save(self) -> bool:
        if not self.org_combo.currentData():
            self.errors.show({"org_id": "请选择申报单位"})
            return False
        return self._run(lambda: unit_scoring.create(
            self.session.actor, self.org_combo.currentData(), self.year_spin.value(), self.title_combo.currentText(),
            self.level_combo.currentText(), model_grade=self.model_check.isChecked()))


class VetoDialog(_FormDialog):
    def __init__(self, session: Session, application_id: str, org_name: str, parent=None):
        super().__init__(parent)
        self.session, self.application_id = session, application_id
        form = self._setup("一票否决", "确认否决")
        warning = note(f"对「{org_name}」的申报实行一票否决：否决后不论得分多少，都不能公示和命名，"
                       "只有系统管理员能解除。")
        warning.setProperty("role", "notice")
        form.addRow(warning)
        self.condition_combo = QComboBox()
        self.condition_combo.addItems(unit_workflow.veto_conditions())
        self.reason_edit = text_box(3)
        self.reason_edit.setPlaceholderText("写明时间、地点和事实，例如：2026年3月村办砖厂发生安全事故，造成1人死亡")
        self.evidence_edit = text_box(2)
        self.evidence_edit.setPlaceholderText("如：安监站事故通报、督查照片、整改通知书编号")
        form.addRow("否决情形：", self.errors.block("condition", self.condition_combo))
        form.addRow("事实和理由：", self.errors.block("reason", self.reason_edit))
        form.addRow("证据：", self.errors.block("evidence", self.evidence_edit))

    def save(self) -> bool:
        return self._run(lambda: unit_workflow.veto(
            self.session.actor, self.application_id, self.condition_combo.currentText(),
            self.reason_edit.toPlainText(), self.evidence_edit.toPlainText()))


class NameDialog(_FormDialog):
    """命名决定: the number and date for the chosen applications."""

    def __init__(self, session: Session, applications: list[tuple[str, str]], year: int, parent=None):
        super().__init__(parent)
        self.session = session
        self.ids = [app_id for app_id, _ in applications]
        form = self._setup("作出命名决定", "命名")
        form.addRow(note("命名时会再次核对每个对象：公示已期满、异议都已核实且不成立、没有一票否决。"
                         "命名后称号即生效，请接着打印命名决定。"))
        listing = QListWidget()
        listing.addItems([label for _, label in applications])
        listing.setMaximumHeight(160)
        form.addRow(f"命名对象（{len(applications)} 个）：", self.errors.block("candidates", listing))
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText(f"如：清溪镇文明委〔{year}〕5号")
        self.date_edit = DateField(dt.date.today())
        form.addRow("命名文号：", self.errors.block("decision_number", self.number_edit))
        form.addRow("命名日期：", self.errors.block("decision_date", self.date_edit,
                                                  "称号有效期从命名日期算起；命名后请打印命名决定。"))

    def save(self) -> bool:
        return self._run(lambda: unit_workflow.name(self.session.actor, self.ids, self.number_edit.text(),
                                                    self.date_edit.value()))


class UnitNoticeDialog(PublishNoticeDialog):
    """The shared 发布公示 dialog, publishing through the unit workflow so the applications move
    to 公示 in the same transaction."""

    def __init__(self, session: Session, application_ids: list[str], year: int, parent=None):
        candidates = [unit_workflow.candidate_for(unit_scoring.get(i)) for i in application_ids]
        super().__init__(session, "unit", str(year), f"关于{year}年度文明单位（村、社区）拟命名对象的公示",
                         candidates, parent, columns=("单位名称", "拟命名称号"))
        self.application_ids = application_ids

    def publish(self):
        ok, notice = self.errors.submit(lambda: unit_workflow.publish_notice(
            self.session.actor, self.application_ids, self.start_edit.value(), days=self.days_spin.value(),
            title=self.title_edit.text(), body=self.body_edit.toPlainText(), contact=self.contact_edit.text()),
            self.general)
        if ok:
            self.notice = notice
            self.accept()
        return notice


class ReviewDialog(_FormDialog):
    def __init__(self, session: Session, title_id: str, label: str, parent=None):
        super().__init__(parent)
        self.session, self.title_id = session, title_id
        form = self._setup("称号复查", "保存复查结论")
        form.addRow(note(label))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.outcome_combo = QComboBox()
        for code, text in REVIEW_OUTCOMES.items():
            self.outcome_combo.addItem(text, code)
        self.date_edit = DateField(dt.date.today())
        self.reason_edit = text_box(3)
        self.reason_edit.setPlaceholderText("复查情况；摘牌必须写明原因")
        form.addRow("复查年度：", self.errors.block("year", self.year_spin))
        form.addRow("复查结论：", self.errors.block("outcome", self.outcome_combo))
        form.addRow("复查日期：", self.errors.block("review_date", self.date_edit))
        form.addRow("情况说明：", self.errors.block("reason", self.reason_edit))

    def save(self) -> bool:
        return self._run(lambda: unit_titles.review(
            self.session.actor, self.title_id, self.year_spin.value(), self.outcome_combo.currentData(),
            self.reason_edit.toPlainText(), self.date_edit.value()))


class RecommendDialog(_FormDialog):
    def __init__(self, session: Session, title_id: str, label: str, suggested: str, parent=None):
        super().__init__(parent)
        self.session, self.title_id = session, title_id
        form = self._setup("向区推荐", "推荐")
        form.addRow(note(f"推荐「{label}」参评区级称号。"))
        self.target_edit = QLineEdit(suggested)
        self.date_edit = DateField(dt.date.today())
        self.note_edit = text_box(2)
        form.addRow("推荐称号：", self.errors.block("target_title", self.target_edit))
        form.addRow("推荐日期：", self.errors.block("recommended_date", self.date_edit))
        form.addRow("备注：", self.note_edit)

    def save(self) -> bool:
        return self._run(lambda: unit_titles.recommend(self.session.actor, self.title_id, self.target_edit.text(),
                                                       self.date_edit.value(), self.note_edit.toPlainText()))


class OutcomeDialog(_FormDialog):
    def __init__(self, session: Session, recommendation_id: str, label: str, parent=None):
        super().__init__(parent)
        self.session, self.recommendation_id = session, recommendation_id
        form = self._setup("记录区里评定结果", "保存")
        form.addRow(note(label))
        self.outcome_combo = QComboBox()
        self.outcome_combo.addItem("区里已命名", "approved")
        self.outcome_combo.addItem("区里未命名", "rejected")
        self.date_edit = DateField(dt.date.today())
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("区里命名的文号（已命名时填写）")
        self.note_edit = text_box(2)
        form.addRow("评定结果：", self.errors.block("outcome", self.outcome_combo))
        form.addRow("评定日期：", self.errors.block("outcome_date", self.date_edit))
        form.addRow("命名文号：", self.number_edit)
        form.addRow("备注：", self.note_edit)
        self._layout.insertWidget(1, hint_label("区里已命名的，会在单位的称号记录中增加一条区级称号。"))

    def save(self) -> bool:
        return self._run(lambda: unit_titles.record_district_outcome(
            self.session.actor, self.recommendation_id, self.outcome_combo.currentData(), self.date_edit.value(),
            self.number_edit.text(), self.note_edit.toPlainText()))
