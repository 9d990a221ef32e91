"""The conflict screen's service: open conflicts in words, and resolving them.

A conflict offers each competing head as a value (its id is the head's stamp). Resolving writes
one change whose bases are all those heads (changes.resolve), which closes the conflict on
every PC the resolution reaches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from civdesk import changes, validation
from civdesk.actor import Actor, require
from civdesk.errors import CivDeskError, NotFound
from civdesk.models.base import model_for_table
from civdesk.models.meta import ChangeLog
from civdesk.models.sync import SyncConflict, SyncPeer
from civdesk.sync.history import DELETE_CONFLICT, DELETED, WHOLE_RECORD
from civdesk.sync.records import history_of


@dataclass
class Choice:
    value_id: str  # the head's stamp
    value: object
    text: str  # how the value reads (masked if personal)
    node_name: str
    username: str
    at: str
    winner: bool


@dataclass
class ConflictView:
    id: str
    table: str
    table_label: str
    record_id: str
    record_label: str
    field: str
    field_label: str
    kind: str
    detected_at: str
    choices: list[Choice]

    def as_json(self) -> dict:
        return {"id": self.id, "table": self.table, "table_label": self.table_label, "record_id": self.record_id,
                "record": self.record_label, "field": self.field, "field_label": self.field_label,
                "kind": self.kind, "detected_at": self.detected_at,
                "values": [{"value_id": c.value_id, "value": c.text, "pc": c.node_name, "user": c.username,
                            "at": c.at, "provisional_winner": c.winner} for c in self.choices]}


def count_open() -> int:
    return SyncConflict.select().count()


def _node_names() -> dict[str, str]:
    from civdesk.models.meta import LocalMeta

    names = {p.node_id: f"{p.office_name}「{p.node_name}」" for p in SyncPeer.select()}
    names[LocalMeta.get_value("node_id") or ""] = f"本机「{LocalMeta.get_value('node_name') or ''}」"
    return names


def _text(model, field: str, value, *, reveal: bool) -> str:
    kind = model.personal_fields.get(field)
    if kind and not reveal and value not in (None, ""):
        if kind == "id_number":
            return validation.mask_id_number(str(value))
        if kind == "phone":
            return validation.mask_phone(str(value))
    return model.display_value(field, value)


def describe(row: SyncConflict, *, reveal: bool = False, names: dict | None = None) -> ConflictView:
    model = model_for_table(row.tbl)
    names = names if names is not None else _node_names()
    record = model.get_or_none(model.id == row.record_id)
    heads = json.loads(row.heads)
    entries = {e.hlc: e for e in ChangeLog.select().where(ChangeLog.hlc << heads)}
    choices = []
    for stamp in heads:
        entry = entries.get(stamp)
        if entry is None:
            continue
        if row.kind == DELETE_CONFLICT:
            is_delete = entry.field == DELETED and json.loads(entry.value) is True
            what = model.field_labels.get(entry.field, "新建记录" if entry.field == WHOLE_RECORD else entry.field)
            text = "删除这条记录" if is_delete else f"保留记录（对方修改了「{what}」）"
            value = is_delete
        else:
            value = json.loads(entry.value)
            if entry.field == WHOLE_RECORD:
                value = value.get(row.field)
            text = _text(model, row.field, value, reveal=reveal) if row.field != DELETED else \
                ("删除" if value else "保留")
        choices.append(Choice(stamp, value, text, names.get(entry.node_id, entry.node_id), entry.username,
                              entry.at, stamp == row.winner))
    field_label = "删除与修改" if row.kind == DELETE_CONFLICT else model.field_labels.get(row.field, row.field)
    return ConflictView(row.id, row.tbl, model.label or row.tbl, row.record_id,
                        record.record_label() if record else row.record_id, row.field, field_label, row.kind,
                        row.detected_at, choices)


def open_conflicts(*, reveal: bool = False) -> list[ConflictView]:
    names = _node_names()
    rows = SyncConflict.select().order_by(SyncConflict.detected_at.desc(), SyncConflict.tbl, SyncConflict.record_id)
    return [describe(r, reveal=reveal, names=names) for r in rows]


def get(conflict_id: str) -> SyncConflict:
    row = SyncConflict.get_or_none(SyncConflict.id == conflict_id)
    if row is None:
        raise NotFound(f"找不到冲突 {conflict_id}：它可能已经被处理（在本机或在别的电脑上）。")
    return row


def resolve(actor: Actor, conflict_id: str, *, keep: str | None = None, value=None, note: str = "") -> str:
    """Keep one of the competing values (*keep* = its value id), or set a new *value*."""
    require(actor, "resolve_conflicts")
    row = get(conflict_id)
    view = describe(row, reveal=True)
    model = model_for_table(row.tbl)
    record = model.get_or_none(model.id == row.record_id)
    if record is None:
        raise NotFound("冲突所在的记录还没有到达本机，暂时不能处理。")
    heads = json.loads(row.heads)
    if keep is not None:
        chosen = next((c for c in view.choices if c.value_id == keep), None)
        if chosen is None:
            raise CivDeskError(f"冲突 {conflict_id} 没有编号为 {keep} 的值；可选：{'、'.join(c.value_id for c in view.choices)}")
        new_value = chosen.value
    elif value is not None:
        if row.kind == DELETE_CONFLICT:
            raise CivDeskError("删除与修改的冲突只能选择「删除」或「保留」，不能填写新值。")
        new_value = value
    else:
        raise CivDeskError("请选择要保留的值，或填写新的值。")
    field = DELETED if row.kind == DELETE_CONFLICT else row.field
    if field != DELETED:
        _check_value(model, field, new_value)
    # Every head of the field, not only those of this conflict, so that nothing stays open.
    history = history_of(record)
    bases = set(heads) | {e.hlc for e in history.heads_of(history.candidates(field))}
    label = f"{view.table_label}「{view.record_label}」的{view.field_label}"
    return changes.resolve(record, actor, field, new_value, sorted(bases), note=note or f"处理同步冲突：{label}")


def _check_value(model, field: str, value) -> None:
    peewee_field = model._meta.fields.get(field)
    if peewee_field is None:
        raise CivDeskError(f"字段 {field} 不存在。")
    if value is None and not peewee_field.null:
        raise CivDeskError(f"「{model.field_labels.get(field, field)}」不能为空。")
    try:
        peewee_field.db_value(value)
    except (TypeError, ValueError) as exc:
        raise CivDeskError(f"「{model.field_labels.get(field, field)}」的值格式不对：{value}") from exc
