"""Model bases: local tables, and the sync-ready base every shared record stands on.

A synced record has a UUID, a scope (the village office it belongs to, or None for
township-wide records), a tombstone flag instead of hard deletes, and ``clock``: the highest
hybrid-logical-clock stamp among the changes applied to it. Its fields change only through
``civdesk.core.changes``, which writes the row and the change log in one transaction.
"""

from __future__ import annotations

import os
import uuid
from typing import ClassVar

from peewee import BooleanField, CharField, Model

from civdesk.core.db import database
from civdesk.core.registry import registry

META_FIELDS = ("id", "scope", "deleted", "clock", "created_at", "created_by", "updated_at", "updated_by")


def new_id() -> str:
    return str(uuid.uuid4())


_VARIANT = "89ab"


def new_ids(count: int) -> list[str]:
    """*count* random (version 4) ids as :func:`new_id` writes them, from one read of the OS's
    random source (a bulk import makes 100,000 at once)."""
    raw = os.urandom(16 * count).hex()
    out = []
    for i in range(0, 32 * count, 32):
        h = raw[i:i + 32]
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}")
    return out


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class LocalModel(BaseModel):
    """Tables that belong to this PC only and never travel on a USB stick."""


class SyncModel(BaseModel):
    id = CharField(primary_key=True, max_length=36, default=new_id)
    scope = CharField(null=True, index=True)
    deleted = BooleanField(default=False)
    clock = CharField(null=True)
    created_at = CharField()
    created_by = CharField()
    updated_at = CharField()
    updated_by = CharField()

    # What kind of record this is, in the words of the UI (audit log, conflict screen).
    label: ClassVar[str] = ""
    field_labels: ClassVar[dict[str, str]] = {}
    # Records that are only ever added (hours, votes, audit entries) never conflict on sync.
    append_only: ClassVar[bool] = False
    # Members of a set (team members, activity participants; deterministic ids from the pair):
    # adding and removing are events, and the latest wins per field on every PC without a
    # conflict for a clerk: two PCs adding the same person with different details is one member.
    set_member: ClassVar[bool] = False

    @classmethod
    def merges_without_conflict(cls) -> bool:
        return cls.append_only or cls.set_member
    # field name -> kind ("id_number", "phone", "text"): masked in the audit log and lists.
    personal_fields: ClassVar[dict[str, str]] = {}
    # Columns computed from other fields on every PC (pinyin keys): stored and indexed, but not
    # tracked, so that they can never conflict on their own.
    derived_fields: ClassVar[tuple[str, ...]] = ()

    # Fields left out of audit summaries because the record label already says them.
    audit_hidden_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def display_value(cls, field: str, value) -> str:
        """How a stored value reads to a clerk (codes become words, ids become names)."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        return str(value)

    def compute_derived(self) -> None:
        """Fill ``derived_fields`` from the tracked fields; models with derived columns override."""

    @classmethod
    def data_fields(cls) -> list[str]:
        """Fields a user edits and the change log tracks (everything but the metadata)."""
        return [name for name in cls._meta.sorted_field_names
                if name not in META_FIELDS and name not in cls.derived_fields]

    def record_label(self) -> str:
        """A short human name for this record in the audit log."""
        for name in ("name", "title", "key"):
            if name in self._meta.fields:
                return str(getattr(self, name) or "")
        return self.id


def synced_models() -> list[type[SyncModel]]:
    """Every synced model the domains registered, in a stable order (by table name)."""
    return registry.synced_models()


def model_for_table(table: str) -> type[SyncModel]:
    return registry.model_for_table(table)


def ids_starting_with(model: type[SyncModel], prefix: str, *, live: bool = True) -> list[str]:
    """The ids of *model*'s records that begin with *prefix* (a short id typed on the command line;
    the rule and its messages are ``civdesk.cli.common.pick_id``); *live*: tombstones left out."""
    query = model.select(model.id).where(model.id.startswith(prefix.lower()))
    if live:
        query = query.where(model.deleted == False)  # noqa: E712 - SQL, not Python
    return [i for (i,) in query.order_by(model.id).tuples()]


def record_name(table: str, record_id: str | None) -> str:
    """The name of a record of another table by id, for the audit log and lists (ids mean
    nothing to a clerk); looked up through the registry, so a domain needs no other's model."""
    if not record_id:
        return ""
    model = registry.model_for_table(table)
    row = model.get_or_none(model.id == record_id)
    return getattr(row, "name", "") if row is not None else record_id
