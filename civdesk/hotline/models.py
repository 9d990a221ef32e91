"""热线工单: tickets, their append-only events, 延期 requests and 现场办公会 records.

A ticket's scope is the village it is about, so that village's PC receives it and no other
village does; a ticket about no village is scoped to the township office itself, which keeps the
caller's name and phone on township PCs only (a village receives its own and township-wide
records). Children (events, extensions) inherit the ticket's scope.
"""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, IntegerField, TextField

from civdesk.core.models import SyncModel, record_name
from civdesk.hotline.terms import EVENT_LABELS, EXTENSION_STATES, STATES


class Ticket(SyncModel):
    number = CharField(index=True)
    received_at = CharField(index=True)  # "YYYY-MM-DD HH:MM"
    channel = CharField()
    caller_name = CharField(default="")
    caller_phone = CharField(default="", index=True)
    address = CharField(default="")
    village_id = CharField(null=True, index=True)
    kind = CharField()  # 咨询 / 求助 / 投诉 / 建议 / 表扬
    category = CharField()
    content = TextField()
    urgent = BooleanField(default=False)
    state = CharField(default="received", index=True)
    assignee_kind = CharField(default="")  # "village" | "department"
    assignee = CharField(default="")  # a village office id, or a department's name
    dispatched_at = CharField(null=True)
    sign_due = DateField(null=True)
    signed_at = CharField(null=True)
    handle_due = DateField(null=True)
    replied_at = CharField(null=True)
    reply = TextField(default="")
    visit_result = CharField(default="")
    visit_note = TextField(default="")
    visited_at = CharField(null=True)
    closed_at = CharField(null=True)
    redo_count = IntegerField(default=0)
    merged_into = CharField(null=True, index=True)
    address_key = CharField(default="", index=True)

    label = "热线工单"
    field_labels = {"number": "工单编号", "received_at": "受理时间", "channel": "来源渠道", "caller_name": "来电人",
                    "caller_phone": "联系电话", "address": "地址", "village_id": "所属村/社区", "kind": "类型",
                    "category": "类别", "content": "诉求内容", "urgent": "紧急",
                    "state": "状态", "assignee_kind": "承办类型", "assignee": "承办单位",
                    "dispatched_at": "派单时间", "sign_due": "签收期限", "signed_at": "签收时间",
                    "handle_due": "办理期限", "replied_at": "答复时间", "reply": "答复内容",
                    "visit_result": "回访结果", "visit_note": "回访情况", "visited_at": "回访时间",
                    "closed_at": "办结时间", "redo_count": "重办次数", "merged_into": "合并到"}
    personal_fields = {"caller_name": "text", "caller_phone": "phone"}
    derived_fields = ("address_key",)

    class Meta:
        table_name = "hotline_ticket"
        indexes = ((("address_key", "category"), False),)

    def compute_derived(self) -> None:
        self.address_key = "".join((self.address or "").split())

    def record_label(self) -> str:
        return f"{self.number} {self.category}{self.kind}"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "state":
            return STATES.get(value, value or "")
        if field == "village_id":
            return record_name("office", value) if value else "（镇级）"
        return super().display_value(field, value)


class TicketEvent(SyncModel):
    """One step of a ticket's life: who did what, when (``at``), with a note."""

    ticket_id = CharField(index=True)
    action = CharField()
    at = CharField()
    note = TextField(default="")

    label = "工单流转记录"
    append_only = True
    field_labels = {"action": "环节", "at": "时间", "note": "说明"}
    audit_hidden_fields = ("ticket_id",)

    class Meta:
        table_name = "hotline_event"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "action":
            return EVENT_LABELS.get(value, value or "")
        return super().display_value(field, value)

    def record_label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


class TicketFile(SyncModel):
    """An attachment (a letter, a photo of the spot, a photo of the result), carried as base64
    text so it syncs like any field; ``event_id`` names the 办理 note it was added with."""

    ticket_id = CharField(index=True)
    event_id = CharField(null=True)
    file_name = CharField()
    mime = CharField(default="")
    size = IntegerField(default=0)
    data = TextField()

    label = "工单附件"
    append_only = True
    field_labels = {"file_name": "文件名", "size": "大小"}
    audit_hidden_fields = ("ticket_id", "event_id", "data", "mime")

    class Meta:
        table_name = "hotline_file"

    def record_label(self) -> str:
        return self.file_name


class Extension(SyncModel):
    """延期 requested by the handler before the deadline, decided by a reviewer."""

    ticket_id = CharField(index=True)
    requested_at = CharField()
    days = IntegerField()
    reason = TextField()
    old_due = DateField()
    new_due = DateField()
    state = CharField(default="pending")
    decided_by = CharField(default="")
    decided_at = CharField(null=True)
    decision_note = TextField(default="")

    label = "延期申请"
    field_labels = {"requested_at": "申请时间", "days": "延长工作日", "reason": "延期理由", "old_due": "原期限",
                    "new_due": "新期限", "state": "审批状态", "decided_by": "审批人", "decided_at": "审批时间",
                    "decision_note": "审批意见"}
    audit_hidden_fields = ("ticket_id",)

    class Meta:
        table_name = "hotline_extension"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "state":
            return EXTENSION_STATES.get(value, value or "")
        return super().display_value(field, value)


class Meeting(SyncModel):
    """现场办公会 on a hot issue (a village, a category, a month), linked to its tickets."""

    held_on = DateField()
    place = CharField()
    attendees = TextField()
    village_id = CharField(null=True, index=True)
    category = CharField()
    month = CharField(index=True)  # "YYYY-MM" of the hot issue
    ticket_ids = TextField(default="[]")
    summary = TextField(default="")

    label = "现场办公会"
    field_labels = {"held_on": "日期", "place": "地点", "attendees": "参加人员", "village_id": "村/社区",
                    "category": "问题类别", "month": "热点月份", "ticket_ids": "关联工单", "summary": "会议纪要"}
    audit_hidden_fields = ("ticket_ids",)

    class Meta:
        table_name = "hotline_meeting"

    def record_label(self) -> str:
        return f"{self.held_on} {record_name('office', self.village_id)}{self.category}现场办公会"


class MeetingTask(SyncModel):
    """A decision of a 现场办公会 as a task with an owner and a deadline."""

    meeting_id = CharField(index=True)
    task = TextField()
    owner = CharField()
    due = DateField()
    done_on = DateField(null=True)

    label = "办公会任务"
    field_labels = {"task": "任务", "owner": "责任人", "due": "完成期限", "done_on": "完成日期"}
    audit_hidden_fields = ("meeting_id",)

    class Meta:
        table_name = "hotline_meeting_task"

    def record_label(self) -> str:
        return f"{self.owner}：{self.task[:20]}"
