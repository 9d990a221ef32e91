"""督查与整改: the tables of plans (areas and routes, the 督查组, recurring rounds, checklist
templates), inspections with their append-only findings and photos, 限期整改通知书 with their
append-only events, and the 门前三包 registry.

Scope: a record about a village (an inspection there, a notice to one of its organisations, a
门前三包 holder of it) carries the village office id, so the village PC receives it and sends back
its rectification report; township-wide plans carry None. Photos are stored as base64 chunks
(like the units' attachments) so they travel with sync.
"""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, IntegerField, TextField

from civdesk.core import pinyin
from civdesk.core.models import SyncModel, record_name
from civdesk.supervision.terms import (  # noqa: F401 - the words are the models' too
    EVENT_KINDS,
    FREQUENCIES,
    HOLDER_KINDS,
    INSPECTION_KINDS,
    ITEM_KINDS,
    NOTICE_STATES,
    PHOTO_STAGES,
    TARGET_KINDS,
)


class Area(SyncModel):
    """A 督查片区 of a village (or of the township's streets) and its route (巡查路线)."""

    name = CharField()
    village_id = CharField(null=True, index=True)
    route = TextField(default="")
    note = TextField(default="")

    label = "督查片区"
    field_labels = {"name": "片区名称", "village_id": "所属村/社区", "route": "巡查路线", "note": "备注"}

    class Meta:
        table_name = "supervision_area"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "village_id":
            return record_name("office", value) if value else "（镇区）"
        return super().display_value(field, value)


class Member(SyncModel):
    """A member of the 督查组 (a person, not an account)."""

    name = CharField()
    role = CharField(default="成员")
    unit = CharField(default="")
    phone = CharField(default="")
    active = BooleanField(default=True)

    label = "督查组成员"
    field_labels = {"name": "姓名", "role": "职务", "unit": "工作单位", "phone": "联系电话", "active": "在组"}
    personal_fields = {"phone": "phone"}

    class Meta:
        table_name = "supervision_member"


class Round(SyncModel):
    """A recurring round (月度/季度督查, per village or the whole township): due each period on
    ``due_day`` of the period's last month; held when an inspection of the round falls in it."""

    name = CharField()
    frequency = CharField()
    village_id = CharField(null=True, index=True)
    area_id = CharField(null=True, index=True)
    mechanism = CharField(default="")
    due_day = IntegerField(default=25)
    start_date = DateField()
    active = BooleanField(default=True)

    label = "督查计划"
    field_labels = {"name": "计划名称", "frequency": "频次", "village_id": "村/社区", "area_id": "片区",
                    "mechanism": "长效机制", "due_day": "每期截止日", "start_date": "开始日期", "active": "启用"}

    class Meta:
        table_name = "supervision_round"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "frequency":
            return FREQUENCIES.get(value, value or "")
        if field == "village_id":
            return record_name("office", value) if value else "（全镇）"
        return super().display_value(field, value)


class TemplateItem(SyncModel):
    """One line of a mechanism's checklist template: pass/fail, or scored out of ``max_points``."""

    mechanism = CharField(index=True)
    position = IntegerField(default=0)
    name = CharField()
    kind = CharField(default="pass")
    max_points = IntegerField(default=0)

    label = "检查项目"
    field_labels = {"mechanism": "长效机制", "position": "顺序", "name": "检查内容", "kind": "评价方式",
                    "max_points": "满分"}

    class Meta:
        table_name = "supervision_template_item"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "kind":
            return ITEM_KINDS.get(value, value or "")
        return super().display_value(field, value)


class Inspection(SyncModel):
    """One inspection (督查 by the township, 自查 by a village). ``checklist`` is the filled
    template as JSON: [{"name", "kind", "max", "result": "pass"|"fail"|None, "points"}]."""

    kind = CharField(default="督查")
    day = DateField()
    village_id = CharField(null=True, index=True)
    area_id = CharField(null=True, index=True)
    round_id = CharField(null=True, index=True)
    mechanism = CharField()
    inspectors = TextField(default="")
    checklist = TextField(default="[]")
    location = CharField(default="")
    target_kind = CharField()
    org_id = CharField(null=True, index=True)
    holder_id = CharField(null=True, index=True)
    place = CharField(default="")
    note = TextField(default="")

    label = "督查记录"
    field_labels = {"kind": "类别", "day": "督查日期", "village_id": "村/社区", "mechanism": "长效机制",
                    "inspectors": "督查人员", "checklist": "检查表", "location": "位置", "target_kind": "对象类别",
                    "place": "地点", "note": "备注"}
    audit_hidden_fields = ("area_id", "round_id", "org_id", "holder_id", "checklist")

    class Meta:
        table_name = "supervision_inspection"

    def record_label(self) -> str:
        return f"{self.day} {self.mechanism}{self.kind}"


class Finding(SyncModel):
    """A problem found on an inspection; only ever added."""

    inspection_id = CharField(index=True)
    item = CharField(default="")
    description = TextField()
    placement_id = CharField(null=True, index=True)  # the 公益广告 it is about (活动与阵地), if any
    placement_state = CharField(default="")  # 破损 / 褪色 / 缺失 when it names a placement

    label = "督查发现的问题"
    append_only = True
    field_labels = {"item": "检查项目", "description": "问题描述", "placement_state": "公益广告状况"}
    audit_hidden_fields = ("inspection_id", "placement_id")

    class Meta:
        table_name = "supervision_finding"

    def record_label(self) -> str:
        return (self.description or "")[:30]


class Photo(SyncModel):
    """A photo of a finding (整改前) or of a rectification report or 复查 (整改后); an after-photo
    may name the before-photo it answers (``pair_id``). Bytes are in ``PhotoChunk`` rows."""

    owner_kind = CharField()  # "finding" | "event"
    owner_id = CharField(index=True)
    stage = CharField(default="before")
    pair_id = CharField(null=True, index=True)
    file_name = CharField()
    size = IntegerField()
    sha256 = CharField()
    chunks = IntegerField()
    note = TextField(default="")

    label = "督查照片"
    append_only = True
    field_labels = {"stage": "类别", "file_name": "文件名", "size": "大小", "note": "说明"}
    audit_hidden_fields = ("owner_kind", "owner_id", "pair_id", "sha256", "chunks")

    class Meta:
        table_name = "supervision_photo"

    def record_label(self) -> str:
        return self.file_name


class PhotoPair(SyncModel):
    """A clerk's pairing of an 整改后 photo (``after_id``) with the 整改前 photo it answers
    (``before_id``; None: it answers none). Only ever added; the newest by clock is in force, over
    the ``pair_id`` the photo was stored with."""

    after_id = CharField(index=True)
    before_id = CharField(null=True)
    note = TextField(default="")

    label = "整改前后照片配对"
    append_only = True
    field_labels = {"note": "说明"}
    audit_hidden_fields = ("after_id", "before_id")

    class Meta:
        table_name = "supervision_photo_pair"


class PhotoChunk(SyncModel):
    photo_id = CharField()
    seq = IntegerField()
    data = TextField()

    label = "照片内容"
    append_only = True
    audit_hidden_fields = ("photo_id", "data")

    class Meta:
        table_name = "supervision_photo_chunk"
        indexes = ((("photo_id", "seq"), False),)


class Notice(SyncModel):
    """限期整改通知书. ``status`` is what was recorded (pending, reported, passed, failed); 逾期 is
    computed from the deadline and the day asked about. ``finding_ids`` is a JSON list."""

    number = CharField()
    office_id = CharField(index=True)
    year = IntegerField()
    seq = IntegerField()
    village_id = CharField(null=True, index=True)
    mechanism = CharField()
    target_kind = CharField()
    org_id = CharField(null=True, index=True)
    holder_id = CharField(null=True, index=True)
    place = CharField(default="")
    target_name = CharField()
    responsible = CharField(default="")
    finding_ids = TextField(default="[]")
    problems = TextField(default="")
    requirements = TextField(default="")
    served_date = DateField()
    deadline_days = IntegerField(null=True)
    deadline = DateField()
    status = CharField(default="pending")

    label = "限期整改通知书"
    field_labels = {"number": "文号", "mechanism": "长效机制", "target_kind": "对象类别", "place": "地点",
                    "target_name": "整改对象", "responsible": "责任人", "problems": "存在问题",
                    "requirements": "整改要求", "served_date": "送达日期", "deadline_days": "整改期限（工作日）",
                    "deadline": "整改期限", "status": "状态"}
    audit_hidden_fields = ("office_id", "year", "seq", "village_id", "org_id", "holder_id", "finding_ids")

    class Meta:
        table_name = "supervision_notice"
        indexes = ((("office_id", "year"), False),)

    def record_label(self) -> str:
        return f"{self.number} {self.target_name}"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "status":
            return NOTICE_STATES.get(value, value or "")
        return super().display_value(field, value)


class NoticeEvent(SyncModel):
    """What happened to a notice: served, rectification reported, 复查 passed or failed (with a new
    deadline), a veto raised. Only ever added."""

    notice_id = CharField(index=True)
    kind = CharField()
    day = DateField()
    text = TextField(default="")
    new_deadline = DateField(null=True)
    person = CharField(default="")

    label = "整改记录"
    append_only = True
    field_labels = {"kind": "事项", "day": "日期", "text": "情况", "new_deadline": "新的整改期限", "person": "经办人"}
    audit_hidden_fields = ("notice_id",)

    class Meta:
        table_name = "supervision_notice_event"

    def record_label(self) -> str:
        return EVENT_KINDS.get(self.kind, self.kind)


class Holder(SyncModel):
    """A 门前三包 holder: a shop, household or unit answering for the frontage of its door."""

    name = CharField()
    kind = CharField()
    village_id = CharField(null=True, index=True)
    address = CharField(default="")
    responsible = CharField(default="")
    phone = CharField(default="")
    duties = TextField(default="")
    signed_date = DateField(null=True)
    note = TextField(default="")
    name_pinyin = CharField(default="", index=True)
    name_initials = CharField(default="", index=True)

    label = "门前三包责任户"
    field_labels = {"name": "名称", "kind": "类别", "village_id": "所属村/社区", "address": "地址",
                    "responsible": "责任人", "phone": "联系电话", "duties": "责任内容", "signed_date": "责任书签订日期",
                    "note": "备注"}
    personal_fields = {"phone": "phone", "address": "text"}
    derived_fields = ("name_pinyin", "name_initials")

    class Meta:
        table_name = "supervision_holder"

    def compute_derived(self) -> None:
        self.name_pinyin = pinyin.sort_key(self.name or "", person=False)
        self.name_initials = pinyin.initials(self.name or "", person=False)
