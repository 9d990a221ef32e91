"""Public notices (公示): a list of candidates shown to the public for a period before a
decision, and the objections received with their outcome. Shared by every module that names or
honours someone (civilized units, good-people nominations)."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, IntegerField, TextField

from civdesk.core.models import SyncModel
from civdesk.notices.terms import (  # noqa: F401 - the vocabulary is still read from here too
    OUTCOMES,
    SUBJECTS,
)


class PublicNotice(SyncModel):
    subject = CharField()  # which module's candidates ("unit", "nomination")
    subject_ref = CharField(default="")  # e.g. the year or the session id
    title = CharField()
    start_date = DateField()
    end_date = DateField(index=True)  # last day of the notice; it has ended the day after
    body = TextField(default="")
    contact = CharField(default="")  # where the public sends objections (office phone, address)
    withdrawn = BooleanField(default=False)
    withdrawn_reason = TextField(default="")

    label = "公示"
    field_labels = {"title": "标题", "start_date": "开始日期", "end_date": "结束日期", "body": "公示说明",
                    "contact": "受理异议的联系方式", "withdrawn": "已撤回", "withdrawn_reason": "撤回原因"}

    class Meta:
        table_name = "public_notice"
        indexes = ((("subject", "subject_ref"), False),)


class NoticeCandidate(SyncModel):
    """One name on a notice; ``item_id`` is the application or nomination it stands for."""

    notice_id = CharField(index=True)
    item_id = CharField(index=True)
    name = CharField()
    detail = TextField(default="")
    position = IntegerField(default=0)
    # The candidate's village: the name is public (scope None), objections naming people are
    # kept to that village.
    village_id = CharField(null=True)

    label = "公示对象"
    field_labels = {"name": "名称", "detail": "说明"}

    class Meta:
        table_name = "notice_candidate"


class Objection(SyncModel):
    notice_id = CharField(index=True)
    item_id = CharField(index=True)
    received_date = DateField()
    source = CharField(default="")  # who objected (may be 匿名)
    contact = CharField(default="")
    content = TextField()
    outcome = CharField(default="pending")
    outcome_note = TextField(default="")
    decided_at = CharField(null=True)
    decided_by = CharField(default="")

    label = "公示异议"
    field_labels = {"received_date": "收到日期", "source": "反映人", "contact": "联系方式", "content": "异议内容",
                    "outcome": "核实结果", "outcome_note": "核实情况", "decided_at": "核实时间", "decided_by": "核实人"}
    personal_fields = {"contact": "phone"}

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "outcome":
            return OUTCOMES.get(value, value or "")
        return super().display_value(field, value)

    def record_label(self) -> str:
        return f"{self.received_date} {self.source or '匿名'}"
