"""Offices (the township and its villages/communities) and office settings."""

from __future__ import annotations

from peewee import CharField, TextField

from civdesk.core import pinyin
from civdesk.core.models import SyncModel

OFFICE_KINDS = {"township": "乡镇/街道", "village": "村/社区"}


class Office(SyncModel):
    name = CharField()
    kind = CharField()
    parent_id = CharField(null=True)
    name_pinyin = CharField(default="", index=True)
    name_initials = CharField(default="", index=True)
    contact_person = CharField(default="")
    phone = CharField(default="")
    address = CharField(default="")

    label = "单位"
    field_labels = {"name": "名称", "kind": "类型", "parent_id": "所属乡镇", "contact_person": "联系人",
                    "phone": "联系电话", "address": "地址"}
    personal_fields = {"phone": "phone"}
    derived_fields = ("name_pinyin", "name_initials")

    def compute_derived(self) -> None:
        self.name_pinyin = pinyin.sort_key(self.name or "", person=False)
        self.name_initials = pinyin.initials(self.name or "", person=False)

    @property
    def kind_label(self) -> str:
        return OFFICE_KINDS.get(self.kind, self.kind)

    @classmethod
    def display_value(cls, field: str, value) -> str:
        if field == "kind":
            return OFFICE_KINDS.get(value, value or "")
        if field == "parent_id" and value:
            parent = cls.get_or_none(cls.id == value)
            return parent.name if parent else value
        return super().display_value(field, value)


class Setting(SyncModel):
    """One office setting; the value is JSON. Its id is derived from (scope, key), so the same
    setting made on two PCs is one record that merges, not two that compete."""

    key = CharField(index=True)
    value = TextField()

    label = "设置"
    field_labels = {"value": "值"}
    audit_hidden_fields = ("key",)
