"""This PC's own state (node identity, keys) and the change log that sync exports."""

from __future__ import annotations

from peewee import AutoField, CharField, TextField

from civdesk.core.models import LocalModel


class LocalMeta(LocalModel):
    key = CharField(primary_key=True)
    value = TextField()

    @classmethod
    def get_value(cls, key: str, default: str | None = None) -> str | None:
        row = cls.get_or_none(cls.key == key)
        return row.value if row else default

    @classmethod
    def set_value(cls, key: str, value: str) -> None:
        cls.insert(key=key, value=value).on_conflict_replace().execute()


class ChangeLog(LocalModel):
    """One entry per field change (or one ``*`` entry holding a whole new record).

    ``hlc`` identifies the entry everywhere; ``base`` is the stamp of the value the writer saw,
    so that the merge can tell a fast-forward from a concurrent edit. The value of a field is
    always the value of its entry with the highest stamp, which makes every PC holding the same
    entries hold the same rows.
    """

    seq = AutoField()
    hlc = CharField(unique=True)
    tbl = CharField()
    record_id = CharField()
    field = CharField()
    value = TextField()
    base = CharField(null=True)
    node_id = CharField()
    scope = CharField(null=True)
    username = CharField()
    at = CharField()

    class Meta:
        table_name = "change_log"
        indexes = ((("tbl", "record_id", "field", "hlc"), False),)


class SyncConflict(LocalModel):
    """An open sync conflict (recomputed from the change log alike on every PC): competing heads of one field (or a delete that met an edit)."""

    id = CharField(primary_key=True)
    tbl = CharField()
    record_id = CharField()
    field = CharField()
    kind = CharField()
    heads = TextField()  # JSON list of stamps
    winner = CharField()
    detected_at = CharField()

    class Meta:
        table_name = "sync_conflict"
        indexes = ((("tbl", "record_id"), False),)
