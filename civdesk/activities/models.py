"""活动与阵地: activity records of every kind, their photos, 道德讲堂 halls and sessions, 公益广告
placements, 三美示范村 and minors' care (projects, the children helped, the psychological station's
service records).

Photos are stored in the database in chunks (base64 text) like the units' attachments, so they
travel on the USB stick. Children's names and details are personal data (masked in the audit
log); their records always carry a village's scope, so sync moves them only between that village
and its township.
"""

from __future__ import annotations

from peewee import CharField, DateField, IntegerField, TextField

from civdesk.activities.terms import KINDS, STATUSES
from civdesk.core import pinyin
from civdesk.core.models import SyncModel, record_name


def village_name(office_id) -> str:
    return record_name("office", office_id) if office_id else ""


def _named(model, record_id) -> str:
    row = model.get_or_none(model.id == record_id) if record_id else None
    if row is None:
        return record_id or ""
    return row.record_label()


class ActivityRecord(SyncModel):
    """One activity held (or planned) on one day; a 道德讲堂 session is one too."""

    kind = CharField()
    status = CharField(default="held")
    title = CharField()
    day = DateField(index=True)
    festival = CharField(default="")
    village_id = CharField(null=True, index=True)
    place = CharField(default="")
    organiser = CharField(default="")
    participants = IntegerField(default=0)
    content = TextField(default="")
    project_id = CharField(null=True, index=True)
    volunteer_activity_id = CharField(null=True, index=True)
    title_pinyin = CharField(default="", index=True)

    label = "活动记录"
    field_labels = {"kind": "类型", "status": "状态", "title": "活动名称", "day": "日期", "festival": "节日",
                    "village_id": "村/社区", "place": "地点", "organiser": "组织单位", "participants": "参与人数",
                    "content": "活动内容", "project_id": "关爱项目", "volunteer_activity_id": "志愿活动"}
    derived_fields = ("title_pinyin",)
    audit_hidden_fields = ("volunteer_activity_id", "project_id")

    class Meta:
        table_name = "act_record"

    def compute_derived(self) -> None:
        self.title_pinyin = pinyin.sort_key(self.title or "", person=False)

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "kind":
            return KINDS.get(value, value or "")
        if field == "status":
            return STATUSES.get(value, value or "")
        if field == "village_id":
            return village_name(value)
        return super().display_value(field, value)


class Photo(SyncModel):
    """A photo of an activity record or a placement; its bytes are in ``PhotoChunk`` rows."""

    owner_kind = CharField()
    owner_id = CharField(index=True)
    file_name = CharField()
    mime = CharField()
    size = IntegerField()
    sha256 = CharField()
    chunks = IntegerField()
    caption = CharField(default="")

    label = "活动照片"
    field_labels = {"file_name": "文件名", "size": "大小", "caption": "说明"}
    audit_hidden_fields = ("owner_kind", "owner_id", "sha256", "chunks", "mime")

    class Meta:
        table_name = "act_photo"

    def record_label(self) -> str:
        return self.file_name


class PhotoChunk(SyncModel):
    photo_id = CharField()
    seq = IntegerField()
    data = TextField()

    label = "照片内容"
    append_only = True
    audit_hidden_fields = ("photo_id", "data")

    class Meta:
        table_name = "act_photo_chunk"
        indexes = ((("photo_id", "seq"), False),)


class Hall(SyncModel):
    """A 道德讲堂: the township's 总堂 or a village's 分堂."""

    name = CharField()
    kind = CharField()
    village_id = CharField(null=True, index=True)
    address = CharField(default="")
    note = TextField(default="")

    label = "道德讲堂"
    field_labels = {"name": "名称", "kind": "类型", "village_id": "村/社区", "address": "地址", "note": "备注"}

    class Meta:
        table_name = "act_hall"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "village_id":
            return village_name(value)
        return super().display_value(field, value)


class HallSession(SyncModel):
    """What a 道德讲堂 session did: its parts (JSON list of {"part", "content"}) and the story told;
    date, place, attendance and photos are on its activity record."""

    hall_id = CharField(index=True)
    record_id = CharField(index=True)
    parts = TextField(default="[]")
    story_kind = CharField(default="")
    story_title = CharField(default="")
    storyteller = CharField(default="")
    nominee_id = CharField(null=True, index=True)

    label = "道德讲堂活动"
    field_labels = {"hall_id": "讲堂", "parts": "环节", "story_kind": "故事类别", "story_title": "故事",
                    "storyteller": "讲述人", "nominee_id": "好人"}
    audit_hidden_fields = ("record_id", "nominee_id")

    class Meta:
        table_name = "act_hall_session"

    def record_label(self) -> str:
        return self.story_title or "道德讲堂活动"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "hall_id":
            return _named(Hall, value)
        return super().display_value(field, value)


class Placement(SyncModel):
    """A 公益广告 put up somewhere, with its state at the last inspection."""

    village_id = CharField(null=True, index=True)
    location_type = CharField()
    place = CharField()
    theme = CharField()
    size = CharField(default="")
    put_up = DateField()
    state = CharField(default="完好")
    inspected_on = DateField(null=True)
    note = TextField(default="")

    label = "公益广告"
    field_labels = {"village_id": "村/社区", "location_type": "位置类型", "place": "位置", "theme": "主题",
                    "size": "规格", "put_up": "设置日期", "state": "状况", "inspected_on": "最近检查日期",
                    "note": "备注"}

    class Meta:
        table_name = "act_placement"

    def record_label(self) -> str:
        return f"{self.place}：{self.theme}"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "village_id":
            return village_name(value)
        return super().display_value(field, value)


class SanmeiVillage(SyncModel):
    """A village's 三美 plan and, once named, its 示范村 title; one per village (deterministic id)."""

    village_id = CharField(index=True)
    plan = TextField(default="")
    plan_year = IntegerField()
    named_on = DateField(null=True)
    decision = CharField(default="")

    label = "三美示范村创建"
    field_labels = {"village_id": "村/社区", "plan": "创建方案", "plan_year": "方案年度", "named_on": "命名日期",
                    "decision": "命名文件"}

    class Meta:
        table_name = "act_sanmei_village"

    def record_label(self) -> str:
        return village_name(self.village_id)


class SanmeiEvaluation(SyncModel):
    """The yearly evaluation of the three aspects (each 0–100); one per village and year."""

    village_id = CharField(index=True)
    year = IntegerField()
    fengshang = IntegerField()
    huanjing = IntegerField()
    shenghuo = IntegerField()
    evaluated_on = DateField()
    note = TextField(default="")

    label = "三美测评"
    field_labels = {"year": "年度", "fengshang": "风尚新美", "huanjing": "环境秀美", "shenghuo": "生活富美",
                    "evaluated_on": "测评日期", "note": "说明"}
    audit_hidden_fields = ("village_id",)

    class Meta:
        table_name = "act_sanmei_evaluation"

    def record_label(self) -> str:
        return f"{village_name(self.village_id)} {self.year} 年"


class MinorProject(SyncModel):
    """为未成年人办好事实事: a care project of a village (never township-wide: see the module doc)."""

    village_id = CharField(index=True)
    name = CharField()
    target_group = CharField()
    helpers = TextField(default="")
    done = TextField(default="")
    start_date = DateField()
    end_date = DateField(null=True)

    label = "未成年人关爱项目"
    field_labels = {"village_id": "村/社区", "name": "项目名称", "target_group": "关爱对象", "helpers": "帮扶人员",
                    "done": "实施内容", "start_date": "开始日期", "end_date": "结束日期"}

    class Meta:
        table_name = "act_minor_project"

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "village_id":
            return village_name(value)
        return super().display_value(field, value)


class MinorChild(SyncModel):
    """A child helped by a project. Everything but the project is personal data."""

    project_id = CharField(index=True)
    name = CharField()
    sex = CharField(default="")
    birth_year = IntegerField(null=True)
    school = CharField(default="")
    guardian = CharField(default="")
    help_given = TextField(default="")

    label = "受助儿童"
    field_labels = {"name": "姓名", "sex": "性别", "birth_year": "出生年份", "school": "学校",
                    "guardian": "监护人", "help_given": "帮扶情况"}
    personal_fields = {"name": "text", "sex": "text", "birth_year": "text", "school": "text",
                       "guardian": "text", "help_given": "text"}

    class Meta:
        table_name = "act_minor_child"

    def record_label(self) -> str:
        return "受助儿童（姓名已隐藏）"


class StationService(SyncModel):
    """A service record of the psychological station (心理健康服务示范站)."""

    village_id = CharField(index=True)
    day = DateField(index=True)
    service = CharField()
    counsellor = CharField(default="")
    child_name = CharField(default="")
    child_age = IntegerField(null=True)
    attendees = IntegerField(default=1)
    summary = TextField(default="")

    label = "心理健康服务记录"
    field_labels = {"day": "日期", "service": "服务类型", "counsellor": "辅导员", "child_name": "儿童姓名",
                    "child_age": "年龄", "attendees": "服务人数", "summary": "服务情况"}
    personal_fields = {"child_name": "text", "child_age": "text", "summary": "text"}
    audit_hidden_fields = ("village_id",)

    class Meta:
        table_name = "act_station_service"

    def record_label(self) -> str:
        return f"{self.day} {self.service}"
