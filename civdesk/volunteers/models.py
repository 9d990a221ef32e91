"""Volunteers (志愿者), teams (志愿队伍), activities (志愿活动), service hours and certificates.

Hours are kept as whole half-hours (``half_hours``): service is recorded in steps of 0.5 h and
sums of integers never drift. Service records, their approvals and issued certificates are
append-only: an approved record is never edited, a correction is a new record that points at
the one it corrects.
"""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, IntegerField, TextField

from civdesk.core import pinyin
from civdesk.core.models import SyncModel, record_name
from civdesk.volunteers.terms import (  # noqa: F401 - the vocabulary is still read from here too
    DECISIONS,
    ID_TYPES,
    SEXES,
    VOLUNTEER_STATUS,
)


def _name_of(model, record_id) -> str:
    """The name of a referenced record, for the audit log (ids mean nothing to a clerk)."""
    row = model.get_or_none(model.id == record_id) if record_id else None
    return getattr(row, "name", "") if row is not None else (record_id or "")


def _village_name(office_id) -> str:
    return record_name("office", office_id)


def _hours(half_hours) -> str:
    return "" if half_hours is None else f"{int(half_hours) / 2:g} 小时"


class Volunteer(SyncModel):
    number = CharField(index=True)
    name = CharField()
    sex = CharField(default="")
    birth_date = DateField(null=True)
    id_type = CharField(default="居民身份证")
    id_number = CharField(default="")
    ethnicity = CharField(default="")
    political_status = CharField(default="")
    education = CharField(default="")
    employer = CharField(default="")
    village_id = CharField(null=True, index=True)
    address = CharField(default="")
    phone = CharField(default="")
    skills = CharField(default="")
    service_category = CharField(default="")
    join_date = DateField(null=True)
    status = CharField(default="active")
    note = TextField(default="")
    # A tombstone of a person registered twice points at the record kept (volunteers/merges.py).
    merged_into = CharField(null=True, index=True)
    original_number = CharField(default="", index=True)  # the number the sheet it was imported from gave
    occupation = CharField(default="")
    landline = CharField(default="")
    # Derived, indexed search keys: pinyin for names, reversed numbers so that "the last digits
    # of the ID or phone" is an indexed prefix search.
    name_pinyin = CharField(default="")
    name_initials = CharField(default="")
    name_spell = CharField(default="")  # full pinyin typed without spaces: "zhangsan"
    id_rev = CharField(default="")
    phone_rev = CharField(default="")

    label = "志愿者"
    field_labels = {"number": "志愿者编号", "name": "姓名", "sex": "性别", "birth_date": "出生日期",
                    "id_type": "证件类型", "id_number": "证件号码", "ethnicity": "民族", "political_status": "政治面貌",
                    "education": "学历", "employer": "工作单位", "village_id": "所属村/社区", "address": "居住地址",
                    "phone": "联系电话", "skills": "技能特长", "service_category": "服务类别", "join_date": "注册日期",
                    "status": "状态", "note": "备注", "merged_into": "合并到", "original_number": "原编号",
                    "occupation": "职业", "landline": "座机"}
    personal_fields = {"id_number": "id_number", "phone": "phone", "address": "text", "birth_date": "text",
                       "landline": "phone"}
    derived_fields = ("name_pinyin", "name_initials", "name_spell", "id_rev", "phone_rev")

    class Meta:
        indexes = ((("deleted", "name_pinyin", "id"), False), (("id_number",), False),
                   (("deleted", "name_initials"), False), (("deleted", "id_rev"), False),
                   (("deleted", "phone_rev"), False), (("deleted", "name"), False),
                   (("deleted", "name_spell"), False), (("deleted", "status", "name_pinyin", "id"), False))

    def compute_derived(self) -> None:
        self.name_pinyin = pinyin.sort_key(self.name or "")
        self.name_initials = pinyin.initials(self.name or "")
        self.name_spell = self.name_pinyin.replace(" ", "")
        self.id_rev = (self.id_number or "")[::-1]
        self.phone_rev = (self.phone or "")[::-1]

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "status":
            return VOLUNTEER_STATUS.get(value, value or "")
        if field == "village_id":
            return _village_name(value)
        if field == "merged_into":
            return _name_of(Volunteer, value)
        return super().display_value(field, value)


class Team(SyncModel):
    name = CharField()
    parent_id = CharField(null=True)
    leader_id = CharField(null=True)
    village_id = CharField(null=True, index=True)
    service_category = CharField(default="")
    founded_date = DateField(null=True)
    note = TextField(default="")
    name_pinyin = CharField(default="", index=True)

    label = "志愿队伍"
    field_labels = {"name": "队伍名称", "parent_id": "上级队伍", "leader_id": "负责人", "village_id": "所属村/社区",
                    "service_category": "服务类别", "founded_date": "成立日期", "note": "备注"}
    derived_fields = ("name_pinyin",)

    def compute_derived(self) -> None:
        self.name_pinyin = pinyin.sort_key(self.name or "", person=False)

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "parent_id":
            return _name_of(Team, value)
        if field == "leader_id":
            return _name_of(Volunteer, value)
        if field == "village_id":
            return _village_name(value)
        return super().display_value(field, value)


class TeamMember(SyncModel):
    """Membership; its id is derived from (team, volunteer) so two PCs adding the same member
    make one record."""

    team_id = CharField(index=True)
    volunteer_id = CharField(index=True)
    role = CharField(default="队员")
    joined_date = DateField(null=True)

    label = "队伍成员"
    field_labels = {"role": "职务", "joined_date": "加入日期"}
    set_member = True  # added/removed events, latest wins per field: never a conflict
    audit_hidden_fields = ("team_id", "volunteer_id")  # the record label names both


class Activity(SyncModel):
    name = CharField()
    start_date = DateField(index=True)
    end_date = DateField(index=True)
    place = CharField(default="")
    content = TextField(default="")
    organizer = CharField(default="")
    person_in_charge = CharField(default="")
    service_category = CharField(default="")
    team_id = CharField(null=True, index=True)
    village_id = CharField(null=True, index=True)
    name_pinyin = CharField(default="", index=True)

    label = "志愿活动"
    field_labels = {"name": "活动名称", "start_date": "开始日期", "end_date": "结束日期", "place": "地点",
                    "content": "服务内容", "organizer": "组织单位", "person_in_charge": "负责人",
                    "service_category": "服务类别", "team_id": "组织队伍", "village_id": "所属村/社区"}
    derived_fields = ("name_pinyin",)

    def compute_derived(self) -> None:
        self.name_pinyin = pinyin.sort_key(self.name or "", person=False)

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "team_id":
            return _name_of(Team, value)
        if field == "village_id":
            return _village_name(value)
        return super().display_value(field, value)


class ActivityParticipant(SyncModel):
    activity_id = CharField(index=True)
    volunteer_id = CharField(index=True)

    label = "活动参与者"
    set_member = True  # added/removed events, latest wins: never a conflict

    class Meta:
        table_name = "activity_participant"


class ServiceRecord(SyncModel):
    """One person's service on one day; ``corrects_id`` marks a correcting record, whose
    ``half_hours`` is the signed adjustment to the record it corrects."""

    volunteer_id = CharField()
    activity_id = CharField(null=True, index=True)
    service_date = DateField()
    half_hours = IntegerField()
    content = TextField(default="")
    corrects_id = CharField(null=True, index=True)
    # No decision yet: kept by the database's triggers (schema step 19) from service_approval,
    # whichever PC or package the decision came from; a partial index holds the pending ones.
    pending = BooleanField(default=True)

    label = "志愿服务记录"
    append_only = True
    derived_fields = ("pending",)
    field_labels = {"volunteer_id": "志愿者", "activity_id": "活动", "service_date": "服务日期",
                    "half_hours": "时长", "content": "服务内容", "corrects_id": "更正的记录"}
    # The record label says who and which day; a correction says what it corrects in its content.
    audit_hidden_fields = ("volunteer_id", "corrects_id")

    class Meta:
        table_name = "service_record"
        indexes = ((("volunteer_id", "service_date"), False), (("service_date",), False))

    @property
    def hours(self) -> float:
        return self.half_hours / 2

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "activity_id":
            return _name_of(Activity, value)
        if field == "half_hours":
            return _hours(value)
        return super().display_value(field, value)


class ServiceApproval(SyncModel):
    """A reviewer's decision on a service record (append-only; the first decision stands)."""

    record_id = CharField(index=True)
    decision = CharField()
    reason = TextField(default="")

    label = "服务记录审核"
    append_only = True
    field_labels = {"decision": "审核结果", "reason": "原因"}
    audit_hidden_fields = ("record_id",)  # the record label names the record

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "decision":
            return DECISIONS.get(value, value or "")
        return super().display_value(field, value)

    class Meta:
        table_name = "service_approval"


class Certificate(SyncModel):
    """The issue register of 志愿服务记录证明: numbered, archived, checkable by its code."""

    number = CharField(index=True)
    volunteer_id = CharField(index=True)
    issued_date = DateField()
    half_hours = IntegerField()
    period_from = DateField(null=True)
    period_to = DateField(null=True)
    purpose = CharField(default="")
    issuer_contact = CharField(default="")
    check_code = CharField()

    label = "志愿服务记录证明"
    append_only = True
    field_labels = {"number": "证明编号", "issued_date": "出具日期", "half_hours": "证明时长",
                    "period_from": "起始日期", "period_to": "截止日期", "purpose": "用途",
                    "issuer_contact": "出具单位电话", "check_code": "校验码"}
    audit_hidden_fields = ("volunteer_id",)

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "half_hours":
            return _hours(value)
        return super().display_value(field, value)
