"""Accounts of this PC. They stay local: password hashes never travel on a USB stick."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, IntegerField

from civdesk.core.models import LocalModel

ROLES = {"admin": "系统管理员", "reviewer": "审核人", "clerk": "录入员"}


class User(LocalModel):
    id = AutoField()
    username = CharField(unique=True)
    display_name = CharField()
    name_pinyin = CharField(default="", index=True)
    name_initials = CharField(default="", index=True)
    role = CharField()
    password_hash = CharField()
    failed_attempts = IntegerField(default=0)
    locked_until = CharField(null=True)
    active = BooleanField(default=True)
    must_change_password = BooleanField(default=False)
    created_at = CharField()
    last_login_at = CharField(null=True)

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)
