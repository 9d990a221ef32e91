"""Good-people and moral-model nominations (身边好人 / 道德模范 推荐评议).

A session (评选活动) runs through phases 推荐 → 初审 → 评议 → 公示 → 表彰. Nominees are people
identified by their ID number, so one person's honours and upward submissions follow them across
sessions. Everything a committee does is only ever added — recusals, scores and votes, tie
decisions, status events — so two PCs entering scores never conflict; a later score of the same
member for the same item replaces the earlier one (highest clock wins, the same on every PC).
Photos and documents are stored in the database (base64 text) so they travel on the USB stick.
"""

from __future__ import annotations

import json
from fractions import Fraction

from peewee import CharField, DateField, FloatField, IntegerField, TextField

from civdesk.core import pinyin
from civdesk.core.models import SyncModel, record_name
from civdesk.nominations.terms import (  # noqa: F401 - the vocabulary is still read from here too
    FILE_KINDS,
    METHODS,
    PHASE_ORDER,
    PHASES,
    RECOMMENDER_KINDS,
    SESSION_KINDS,
    SEXES,
    STATUSES,
    UPWARD_LISTS,
    UPWARD_OUTCOMES,
    VOTE_ITEM,
    VOTES,
)


def _name_of(model, record_id) -> str:
    row = model.get_or_none(model.id == record_id) if record_id else None
    return getattr(row, "name", "") if row is not None else (record_id or "")


def _village_name(office_id) -> str:
    return record_name("office", office_id)


def json_list(text: str | None) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


class NominationSession(SyncModel):
    name = CharField()
    kind = CharField()
    period = CharField(default="")  # 2026年11月 / 2026年第4季度 / 第5届
    method = CharField(default="score")
    categories = TextField(default="[]")  # JSON list of category names
    quotas = TextField(default="{}")  # JSON {category: places}
    rubric = TextField(default="[]")  # JSON [[item, weight], ...], weights sum to 100
    recommend_start = DateField(null=True)
    recommend_end = DateField(null=True)
    check_end = DateField(null=True)
    review_end = DateField(null=True)
    notice_start = DateField(null=True)
    award_date = DateField(null=True)
    phase = CharField(default="recommend")
    scores_locked_at = CharField(null=True)  # clock of the event that closed 评议
    note = TextField(default="")
    # vote mode: a nominee passes with 赞成 from more than this fraction of the members entitled
    # to vote on them (recused members excluded; 弃权 and no vote count as not 赞成)
    pass_fraction = CharField(default="1/2")

    label = "评选活动"
    field_labels = {"name": "活动名称", "kind": "类型", "period": "期次", "method": "评议方式",
                    "categories": "推荐类别", "quotas": "名额", "rubric": "评分细则",
                    "recommend_start": "推荐开始", "recommend_end": "推荐截止", "check_end": "初审截止",
                    "review_end": "评议截止", "notice_start": "公示开始", "award_date": "表彰日期",
                    "phase": "当前阶段", "scores_locked_at": "评分锁定", "note": "备注",
                    "pass_fraction": "通过线"}

    class Meta:
        table_name = "nomination_session"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "kind":
            return SESSION_KINDS.get(value, value or "")
        if field == "phase":
            return PHASES.get(value, value or "")
        if field == "method":
            return METHODS.get(value, value or "")
        return super().display_value(field, value)

    @property
    def category_list(self) -> list[str]:
        return [str(c) for c in json_list(self.categories)]

    @property
    def quota_map(self) -> dict[str, int]:
        try:
            value = json.loads(self.quotas or "{}")
        except ValueError:
            return {}
        return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {}

    @property
    def rubric_items(self) -> list[tuple[str, int]]:
        return [(str(item), int(weight)) for item, weight in json_list(self.rubric)]

    @property
    def pass_line(self) -> Fraction:
        """The vote pass fraction (more than this share of the entitled members must say 赞成)."""
        try:
            value = Fraction(self.pass_fraction or "1/2")
        except (ValueError, ZeroDivisionError):
            return Fraction(1, 2)
        return value if 0 <= value < 1 else Fraction(1, 2)


class Nominee(SyncModel):
    """A person who has been nominated; one record per ID number, reused across sessions."""

    name = CharField()
    sex = CharField(default="")
    birth_date = DateField(null=True)
    id_number = CharField(index=True)
    village_id = CharField(null=True, index=True)
    occupation = CharField(default="")
    political_status = CharField(default="")
    phone = CharField(default="")
    address = CharField(default="")
    # A tombstone of a person registered twice points at the record kept (nominations/merges.py).
    merged_into = CharField(null=True, index=True)
    name_pinyin = CharField(default="", index=True)
    name_initials = CharField(default="", index=True)
    name_spell = CharField(default="", index=True)  # full pinyin typed without spaces: "zhangsan"

    label = "被推荐人"
    field_labels = {"name": "姓名", "sex": "性别", "birth_date": "出生日期", "id_number": "身份证号码",
                    "village_id": "村/社区", "occupation": "职业", "political_status": "政治面貌",
                    "phone": "联系电话", "address": "住址", "merged_into": "合并到"}
    personal_fields = {"id_number": "id_number", "phone": "phone", "address": "text", "birth_date": "text"}
    derived_fields = ("name_pinyin", "name_initials", "name_spell")

    def compute_derived(self) -> None:
        self.name_pinyin = pinyin.sort_key(self.name or "")
        self.name_initials = pinyin.initials(self.name or "")
        self.name_spell = self.name_pinyin.replace(" ", "")

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "village_id":
            return _village_name(value)
        if field == "merged_into":
            return _name_of(Nominee, value)
        return super().display_value(field, value)


class Nomination(SyncModel):
    session_id = CharField(index=True)
    nominee_id = CharField(index=True)
    category = CharField()
    summary = CharField(default="")
    story = TextField(default="")
    recommender_kind = CharField(default="person")
    recommender_name = CharField(default="")
    recommender_relation = CharField(default="")
    recommender_contact = CharField(default="")
    status = CharField(default="recommended")
    return_reason = TextField(default="")

    label = "推荐"
    field_labels = {"category": "推荐类别", "summary": "一句话事迹", "story": "主要事迹",
                    "recommender_kind": "推荐人类型", "recommender_name": "推荐人（单位）",
                    "recommender_relation": "与被推荐人关系", "recommender_contact": "推荐人联系电话",
                    "status": "状态", "return_reason": "退回原因"}
    personal_fields = {"recommender_contact": "phone"}
    audit_hidden_fields = ("session_id", "nominee_id", "story")

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "status":
            return STATUSES.get(value, value or "")
        if field == "recommender_kind":
            return RECOMMENDER_KINDS.get(value, value or "")
        return super().display_value(field, value)

    def record_label(self) -> str:
        return f"{_name_of(Nominee, self.nominee_id)}（{self.category}）"


class NominationFile(SyncModel):
    """A photo or supporting document, carried as base64 text so it syncs like any field."""

    nomination_id = CharField(index=True)
    kind = CharField(default="photo")
    file_name = CharField()
    mime = CharField(default="")
    size = IntegerField(default=0)
    data = TextField()

    label = "推荐材料"
    field_labels = {"kind": "类型", "file_name": "文件名", "size": "大小"}
    audit_hidden_fields = ("nomination_id", "data", "mime")

    class Meta:
        table_name = "nomination_file"

    def record_label(self) -> str:
        return self.file_name


class CommitteeMember(SyncModel):
    """A member of a session's review committee; scores are entered on their behalf by a clerk
    or reviewer, and the change log records who entered them."""

    session_id = CharField(index=True)
    name = CharField()
    unit = CharField(default="")
    duty = CharField(default="委员")

    label = "评议委员"
    field_labels = {"name": "姓名", "unit": "单位", "duty": "职务"}
    audit_hidden_fields = ("session_id",)

    class Meta:
        table_name = "committee_member"


class Recusal(SyncModel):
    session_id = CharField(index=True)
    nomination_id = CharField(index=True)
    member_id = CharField(index=True)
    reason = TextField(default="")

    label = "回避声明"
    append_only = True
    field_labels = {"reason": "回避原因"}
    audit_hidden_fields = ("session_id", "nomination_id", "member_id")

    def record_label(self) -> str:
        member = _name_of(CommitteeMember, self.member_id)
        nomination = Nomination.get_or_none(Nomination.id == self.nomination_id)
        return f"{member} 回避 {nomination.record_label() if nomination else ''}"


class NominationScore(SyncModel):
    """One member's score for one rubric item of one nomination, or a vote (item 投票)."""

    session_id = CharField(index=True)
    nomination_id = CharField(index=True)
    member_id = CharField(index=True)
    item = CharField()
    value = FloatField()

    label = "评议打分"
    append_only = True
    field_labels = {"item": "评分项", "value": "分值"}
    audit_hidden_fields = ("session_id", "nomination_id", "member_id")

    class Meta:
        table_name = "nomination_score"

    def record_label(self) -> str:
        member = _name_of(CommitteeMember, self.member_id)
        nomination = Nomination.get_or_none(Nomination.id == self.nomination_id)
        return f"{member} 评 {nomination.record_label() if nomination else ''}"


class TieDecision(SyncModel):
    """The office's explicit choice among nominees tied at the quota line of a category."""

    session_id = CharField(index=True)
    category = CharField()
    tied = TextField()  # JSON list of nomination ids
    chosen = TextField()  # JSON list of nomination ids
    reason = TextField()

    label = "并列名次决定"
    append_only = True
    field_labels = {"category": "类别", "reason": "决定理由"}
    audit_hidden_fields = ("session_id", "tied", "chosen")

    class Meta:
        table_name = "tie_decision"

    def record_label(self) -> str:
        return f"{self.category}并列名次"


class NominationEvent(SyncModel):
    """A status change of a nomination or a phase change of a session: who, when, from, to, why."""

    session_id = CharField(index=True)
    record_id = CharField(index=True)
    from_status = CharField(default="")
    to_status = CharField()
    reason = TextField(default="")

    label = "评选进程"
    append_only = True
    field_labels = {"from_status": "原状态", "to_status": "新状态", "reason": "说明"}
    audit_hidden_fields = ("session_id", "record_id")

    class Meta:
        table_name = "nomination_event"


class NomineeHonour(SyncModel):
    """An honour the person holds (given by a session here, or entered from earlier records)."""

    nominee_id = CharField(index=True)
    title = CharField()
    level = CharField(default="镇级")
    awarded_by = CharField(default="")
    awarded_date = DateField(null=True)
    session_id = CharField(null=True, index=True)

    label = "荣誉"
    field_labels = {"title": "荣誉名称", "level": "级别", "awarded_by": "授予单位", "awarded_date": "授予日期"}
    audit_hidden_fields = ("nominee_id", "session_id")

    class Meta:
        table_name = "nominee_honour"

    def record_label(self) -> str:
        return self.title


class UpwardSubmission(SyncModel):
    """A recommendation of the person to a higher list (新都好人, 成都好人榜 …) and its outcome."""

    nominee_id = CharField(index=True)
    nomination_id = CharField(null=True)
    list_name = CharField()
    period = CharField(default="")  # the month or quarter of that list, e.g. 2026年11月
    submitted_date = DateField()
    outcome = CharField(default="pending")
    outcome_date = DateField(null=True)
    note = TextField(default="")

    label = "向上推荐"
    field_labels = {"list_name": "推荐到", "period": "月份/季度", "submitted_date": "报送日期",
                    "outcome": "结果", "outcome_date": "结果日期", "note": "备注"}
    audit_hidden_fields = ("nominee_id", "nomination_id")

    class Meta:
        table_name = "upward_submission"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "outcome":
            return UPWARD_OUTCOMES.get(value, value or "")
        return super().display_value(field, value)

    def record_label(self) -> str:
        return f"{_name_of(Nominee, self.nominee_id)} → {self.list_name}"
