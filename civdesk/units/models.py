"""Civilized-unit creation (文明单位 / 文明村 / 文明社区 / 文明企业 创建).

Points are kept as whole tenths (``*_tenths``): indicator items are scored in steps of 0.1 or
0.5 and sums of integers never drift. Scores, status events, reviews and attachment chunks are
append-only: a score entered again is a new entry and the latest by clock counts, so the
village's self-scores and the township's assessed scores never conflict on sync and the history
of every figure stays readable. Records of one application inherit its organisation's scope
(the village, or None for township-level units).
"""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, IntegerField, TextField

from civdesk.core import pinyin
from civdesk.core.models import SyncModel, record_name
from civdesk.units.terms import (  # noqa: F401 - the vocabulary is still read from here too
    LEVELS,
    ORG_KINDS,
    RECOMMEND_OUTCOMES,
    REVIEW_OUTCOMES,
    SCORE_KINDS,
    SET_FOR_TITLE,
    STATUS_ORDER,
    STATUSES,
    TITLE_FOR_KIND,
    TITLE_STATUS,
    TITLES,
    VETO_SOURCES,
    points_text,
    title_text,
)


def _name_of(model, record_id) -> str:
    row = model.get_or_none(model.id == record_id) if record_id else None
    return getattr(row, "name", "") if row is not None else (record_id or "")


class Organisation(SyncModel):
    name = CharField()
    kind = CharField()
    village_id = CharField(null=True, index=True)
    address = CharField(default="")
    contact_person = CharField(default="")
    phone = CharField(default="")
    size_count = IntegerField(null=True)  # staff (单位) or households (村/社区)
    note = TextField(default="")
    name_pinyin = CharField(default="", index=True)
    name_initials = CharField(default="", index=True)

    label = "创建单位"
    field_labels = {"name": "单位名称", "kind": "单位类型", "village_id": "所属村/社区", "address": "地址",
                    "contact_person": "联系人", "phone": "联系电话", "size_count": "职工数/户数", "note": "备注"}
    personal_fields = {"phone": "phone"}
    derived_fields = ("name_pinyin", "name_initials")

    class Meta:
        table_name = "unit_org"

    def compute_derived(self) -> None:
        self.name_pinyin = pinyin.sort_key(self.name or "", person=False)
        self.name_initials = pinyin.initials(self.name or "", person=False)

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "village_id":
            return record_name("office", value) if value else "（镇级单位）"
        return super().display_value(field, value)


class IndicatorSet(SyncModel):
    """测评体系 of one title for one year; ``version`` counts revisions within the year.
    Thresholds left empty follow the settings (unit.self_threshold / unit.pass_threshold)."""

    kind = CharField()
    year = IntegerField()
    version = IntegerField(default=1)
    name = CharField()
    self_threshold = IntegerField(null=True)
    pass_threshold = IntegerField(null=True)
    note = TextField(default="")

    label = "测评体系"
    field_labels = {"kind": "适用称号", "year": "年度", "version": "版本", "name": "名称",
                    "self_threshold": "申报自评分数线", "pass_threshold": "测评通过分数线", "note": "说明"}

    class Meta:
        table_name = "indicator_set"
        indexes = ((("kind", "year"), False),)


class IndicatorItem(SyncModel):
    """One indicator; ``grades`` "A=10,B=8,C=5,D=0" makes it graded (max = the best grade)."""

    set_id = CharField(index=True)
    group_name = CharField()
    position = IntegerField(default=0)
    name = CharField()
    max_tenths = IntegerField()
    grades = CharField(default="")
    guidance = TextField(default="")
    evidence = TextField(default="")

    label = "测评指标"
    field_labels = {"group_name": "测评项目", "position": "顺序", "name": "指标内容", "max_tenths": "分值",
                    "grades": "等次分值", "guidance": "评分标准", "evidence": "佐证材料"}
    audit_hidden_fields = ("set_id",)

    class Meta:
        table_name = "indicator_item"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "max_tenths":
            return points_text(value) + " 分"
        return super().display_value(field, value)

    def grade_points(self) -> dict[str, int]:
        """{"A": tenths, …} of a graded item; empty for one scored by points."""
        out = {}
        for part in (self.grades or "").replace("，", ",").split(","):
            if "=" in part:
                grade, points = part.split("=", 1)
                out[grade.strip().upper()] = round(float(points) * 10)
        return out


class Application(SyncModel):
    org_id = CharField(index=True)
    year = IntegerField()
    title = CharField()
    level = CharField()
    model_grade = BooleanField(default=False)
    set_id = CharField()
    work_summary = TextField(default="")
    highlights = TextField(default="")
    status = CharField(default="draft")
    self_tenths = IntegerField(default=0)  # cached sums of the latest scores
    assessed_tenths = IntegerField(null=True)
    decision_number = CharField(default="")
    decision_date = DateField(null=True)

    label = "创建申报"
    field_labels = {"org_id": "申报单位", "year": "年度", "title": "申报称号", "level": "级别",
                    "model_grade": "标兵", "work_summary": "创建工作总结", "highlights": "特色亮点",
                    "status": "状态", "self_tenths": "自评总分", "assessed_tenths": "测评总分",
                    "decision_number": "命名文号", "decision_date": "命名日期"}
    audit_hidden_fields = ("set_id",)

    class Meta:
        table_name = "unit_application"
        indexes = ((("year", "status"), False),)

    def record_label(self) -> str:
        org = _name_of(Organisation, self.org_id)
        return f"{org} {self.year}年{title_text(self.title, self.level, self.model_grade)}申报"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "status":
            return STATUSES.get(value, value or "")
        if field in ("self_tenths", "assessed_tenths"):
            return points_text(value)
        if field == "org_id":
            return _name_of(Organisation, value)
        return super().display_value(field, value)


class Score(SyncModel):
    application_id = CharField()
    item_id = CharField()
    kind = CharField()  # "self" | "assessed"
    tenths = IntegerField()
    grade = CharField(default="")
    note = TextField(default="")  # evidence note (self) or the assessor's comment

    label = "创建评分"
    append_only = True
    field_labels = {"kind": "评分类别", "tenths": "得分", "grade": "等次", "note": "说明"}
    audit_hidden_fields = ("application_id", "item_id")

    class Meta:
        table_name = "unit_score"
        indexes = ((("application_id", "kind"), False),)

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "kind":
            return SCORE_KINDS.get(value, value or "")
        if field == "tenths":
            return points_text(value) + " 分"
        return super().display_value(field, value)

    def record_label(self) -> str:
        item = IndicatorItem.get_or_none(IndicatorItem.id == self.item_id)
        return f"{SCORE_KINDS.get(self.kind, self.kind)}：{item.name if item else self.item_id}"


class StatusEvent(SyncModel):
    application_id = CharField(index=True)
    from_status = CharField(default="")
    to_status = CharField()
    reason = TextField(default="")

    label = "申报状态变更"
    append_only = True
    field_labels = {"from_status": "原状态", "to_status": "新状态", "reason": "原因"}
    audit_hidden_fields = ("application_id",)

    class Meta:
        table_name = "unit_event"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field in ("from_status", "to_status"):
            return STATUSES.get(value, value or "")
        return super().display_value(field, value)


class Attachment(SyncModel):
    """A photo or PDF of an application; its bytes are in ``AttachmentChunk`` rows (base64) so
    that they travel in the USB package like any other record."""

    application_id = CharField(index=True)
    item_id = CharField(null=True)
    file_name = CharField()
    size = IntegerField()
    sha256 = CharField()
    chunks = IntegerField()
    note = TextField(default="")

    label = "申报附件"
    field_labels = {"file_name": "文件名", "size": "大小", "note": "说明"}
    audit_hidden_fields = ("application_id", "item_id", "sha256", "chunks")

    class Meta:
        table_name = "unit_attachment"

    def record_label(self) -> str:
        return self.file_name


class AttachmentChunk(SyncModel):
    attachment_id = CharField()
    seq = IntegerField()
    data = TextField()

    label = "附件内容"
    append_only = True
    audit_hidden_fields = ("attachment_id", "data")

    class Meta:
        table_name = "unit_attachment_chunk"
        indexes = ((("attachment_id", "seq"), False),)


class Veto(SyncModel):
    application_id = CharField(index=True)
    condition = CharField()
    reason = TextField()
    evidence = TextField(default="")
    source = CharField(default="manual")
    lifted = BooleanField(default=False)
    lifted_reason = TextField(default="")
    lifted_by = CharField(default="")
    lifted_at = CharField(null=True)

    label = "一票否决"
    field_labels = {"condition": "否决情形", "reason": "事实和理由", "evidence": "证据", "source": "来源",
                    "lifted": "已解除", "lifted_reason": "解除理由", "lifted_by": "解除人", "lifted_at": "解除时间"}
    audit_hidden_fields = ("application_id",)

    class Meta:
        table_name = "unit_veto"

    def record_label(self) -> str:
        return self.condition

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "source":
            return VETO_SOURCES.get(value, value or "")
        return super().display_value(field, value)


class TitleHeld(SyncModel):
    """A title an organisation holds (or held): the history on the organisation's page."""

    org_id = CharField(index=True)
    application_id = CharField(null=True)
    title = CharField()
    level = CharField()
    model_grade = BooleanField(default=False)
    year = IntegerField()
    term_years = IntegerField()
    valid_until = DateField()
    decision_number = CharField(default="")
    decision_date = DateField(null=True)
    status = CharField(default="active")
    revoked_reason = TextField(default="")
    revoked_date = DateField(null=True)

    label = "创建称号"
    field_labels = {"title": "称号", "level": "级别", "model_grade": "标兵", "year": "命名年度",
                    "term_years": "有效期（年）", "valid_until": "有效期至", "decision_number": "命名文号",
                    "decision_date": "命名日期", "status": "状态", "revoked_reason": "摘牌原因",
                    "revoked_date": "摘牌日期"}
    audit_hidden_fields = ("org_id", "application_id")

    class Meta:
        table_name = "unit_title"
        indexes = ((("status", "valid_until"), False),)

    def record_label(self) -> str:
        return f"{_name_of(Organisation, self.org_id)} {title_text(self.title, self.level, self.model_grade)}"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "status":
            return TITLE_STATUS.get(value, value or "")
        return super().display_value(field, value)


class Review(SyncModel):
    """复查 of a title in a year: kept, or revoked (the title's status changes with it)."""

    title_id = CharField(index=True)
    year = IntegerField()
    review_date = DateField()
    outcome = CharField()
    reason = TextField(default="")

    label = "称号复查"
    append_only = True
    field_labels = {"year": "复查年度", "review_date": "复查日期", "outcome": "复查结论", "reason": "情况说明"}
    audit_hidden_fields = ("title_id",)

    class Meta:
        table_name = "unit_review"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "outcome":
            return REVIEW_OUTCOMES.get(value, value or "")
        return super().display_value(field, value)


class Recommendation(SyncModel):
    """The township recommends a named organisation for a 区级 title; the district's outcome."""

    org_id = CharField(index=True)
    title_id = CharField(null=True)
    year = IntegerField(index=True)
    target_title = CharField()
    recommended_date = DateField()
    outcome = CharField(default="pending")
    outcome_date = DateField(null=True)
    note = TextField(default="")

    label = "向区推荐"
    field_labels = {"year": "年度", "target_title": "推荐称号", "recommended_date": "推荐日期",
                    "outcome": "区里评定结果", "outcome_date": "评定日期", "note": "备注"}
    audit_hidden_fields = ("org_id", "title_id")

    class Meta:
        table_name = "unit_recommendation"

    def record_label(self) -> str:
        return f"{_name_of(Organisation, self.org_id)} 推荐{self.target_title}"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "outcome":
            return RECOMMEND_OUTCOMES.get(value, value or "")
        return super().display_value(field, value)
