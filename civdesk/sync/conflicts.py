"""The conflict screen's service: open conflicts in words, and resolving them.

A conflict offers each competing head as a value (its id is the head's stamp). Resolving writes
one change whose bases are all those heads (changes.resolve), which closes the conflict on
every PC the resolution reaches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.conflict_log import chunked, history_of
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.history import DELETE_CONFLICT, DELETED, WHOLE_RECORD
from civdesk.core.meta import ChangeLog, SyncConflict
from civdesk.core.models import model_for_table
from civdesk.sync.models import SyncPeer


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
    personal: bool = False  # the field holds personal data (shown masked unless revealed)
    differs: str = ""  # when masked values would read alike: where they differ, in words

    @property
    def is_deletion(self) -> bool:
        """One PC deleted the record and another edited it (the choice is: delete or keep)."""
        return self.kind == DELETE_CONFLICT

    def as_json(self) -> dict:
        return {"id": self.id, "table": self.table, "table_label": self.table_label, "record_id": self.record_id,
                "record": self.record_label, "field": self.field, "field_label": self.field_label,
                "kind": self.kind, "detected_at": self.detected_at, "differs": self.differs,
                "values": [{"value_id": c.value_id, "value": c.text, "pc": c.node_name, "user": c.username,
                            "at": c.at, "provisional_winner": c.winner} for c in self.choices]}


def count_open() -> int:
    return SyncConflict.select().count()


def _node_names() -> dict[str, str]:
    from civdesk.core.meta import LocalMeta

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


_MISSING = object()


def describe(row: SyncConflict, *, reveal: bool = False, names: dict | None = None, entries: dict | None = None,
             record=_MISSING) -> ConflictView:
    model = model_for_table(row.tbl)
    names = names if names is not None else _node_names()
    if record is _MISSING:
        record = model.get_or_none(model.id == row.record_id)
    heads = json.loads(row.heads)
    if entries is None:
        entries = {e.hlc: e for e in ChangeLog.select().where(ChangeLog.hlc << heads)}
    choices = []
    for stamp in heads:
        entry = entries.get(stamp)
        if entry is None:
            continue
        if row.kind == DELETE_CONFLICT:
            is_delete = entry.field == DELETED and json.loads(entry.value) is True
            what = model.field_labels.get(entry.field, "新建记录" if entry.field == WHOLE_RECORD else entry.field)
            text = "删除这条记录" if is_delete else f"保留这条记录（含对「{what}」的修改）"
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
    personal = row.field in model.personal_fields
    differs = _unmask_differences(choices) if personal and not reveal and row.kind != DELETE_CONFLICT else ""
    return ConflictView(row.id, row.tbl, model.label or row.tbl, row.record_id, _record_label(record, row),
                        row.field, field_label, row.kind, row.detected_at, choices, personal=personal,
                        differs=differs)


def _unmask_differences(choices: list[Choice]) -> str:
    """Masked values that read alike (139****0001 twice) cannot be chosen between: show, in
    each, the masked characters where the values differ and nothing else (139*1**0001 and
    139*2**0001). Returns where they differ in words, or "" when the masked texts differ."""
    texts = [c.text for c in choices]
    raws = ["" if c.value is None else str(c.value) for c in choices]
    if len(set(texts)) == len(texts) or len(set(raws)) == 1:
        return ""
    if len({len(r) for r in raws}) != 1 or any(len(t) != len(r) for t, r in zip(texts, raws, strict=True)):
        return "打码后相同，但长度不同（请由可查看完整号码的人员核对）"
    differ = [i for i in range(len(raws[0])) if len({r[i] for r in raws}) > 1]
    for choice, raw in zip(choices, raws, strict=True):
        choice.text = "".join(raw[i] if i in differ else ch for i, ch in enumerate(choice.text))
    places = "、".join(f"第 {i + 1} 位" for i in differ)
    return f"打码后相同，只在{places}不同：" + " / ".join(
        "".join(raw[i] for i in differ) for raw in raws)


def reveal(actor: Actor, conflict_id: str) -> ConflictView:
    """The conflict with personal values in full, for a role allowed to settle conflicts; every
    viewing is audited."""
    require(actor, "resolve_conflicts")
    row = get(conflict_id)
    view = describe(row, reveal=True)
    if view.personal:
        changes.write_audit(actor, "view_personal", tbl=row.tbl, record_id=row.record_id,
                            record_label=view.record_label, note=f"查看同步冲突中「{view.field_label}」的完整值")
    return view


def _record_label(record, row: SyncConflict) -> str:
    if record is None:
        return row.record_id
    if row.tbl == "setting":  # named as 设置 → 参数 shows it, not by its key
        from civdesk.office.settings import specs

        spec = specs().get(record.key)
        return spec.label if spec else record.key
    return record.record_label()


def open_conflicts(*, reveal: bool = False) -> list[ConflictView]:
    """Every open conflict, read in a few batched queries (a package can bring thousands)."""
    names = _node_names()
    rows = list(SyncConflict.select().order_by(SyncConflict.detected_at.desc(), SyncConflict.tbl,
                                               SyncConflict.record_id))
    stamps = sorted({h for r in rows for h in json.loads(r.heads)})
    entries = {}
    for chunk in chunked(stamps):
        entries.update((e.hlc, e) for e in ChangeLog.select().where(ChangeLog.hlc << chunk))
    records: dict[str, dict] = {}
    for table in {r.tbl for r in rows}:
        model = model_for_table(table)
        ids = sorted({r.record_id for r in rows if r.tbl == table})
        found = records.setdefault(table, {})
        for chunk in chunked(ids):
            found.update((x.id, x) for x in model.select().where(model.id << chunk))
    return [describe(r, reveal=reveal, names=names, entries=entries, record=records[r.tbl].get(r.record_id))
            for r in rows]


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
        checked = check_typed_value(view, value if isinstance(value, str) else str(value))
        if not checked.ok:
            raise validation.ValidationError({"value": checked.error})
        new_value = "" if checked.value is None else checked.value
    else:
        raise CivDeskError("请选择要保留的值，或填写新的值。")
    field = DELETED if row.kind == DELETE_CONFLICT else row.field
    # Every head of the field, not only those of this conflict, so that nothing stays open.
    history = history_of(record)
    bases = set(heads) | {e.hlc for e in history.heads_of(history.candidates(field))}
    label = f"{view.table_label}「{view.record_label}」的{view.field_label}"
    return changes.resolve(record, actor, field, new_value, sorted(bases), note=note or f"处理同步冲突：{label}")


# Fields a person must never leave empty when typing a value of their own.
REQUIRED_FIELDS = ("name", "number", "title")


def typed_value_field(view: ConflictView):
    """The field a person may type a new value for, or None (codes, links, deletions: choose)."""
    from peewee import CharField, DateField, TextField

    if view.kind == DELETE_CONFLICT or view.field.endswith("_id"):
        return None
    model = model_for_table(view.table)
    field = model._meta.fields.get(view.field)
    if not isinstance(field, (CharField, TextField, DateField)):
        return None
    for choice in view.choices:  # a field shown as words (状态: 在册) stores a code: choose only
        raw = "" if choice.value is None else str(choice.value)
        if model.display_value(view.field, choice.value) != raw:
            return None
    return field


def typed_value_kind(view: ConflictView) -> str | None:
    """"date" or "text" when a person may type a new value (see :func:`typed_value_field`), else None."""
    from peewee import DateField

    field = typed_value_field(view)
    if field is None:
        return None
    return "date" if isinstance(field, DateField) else "text"


def check_typed_value(view: ConflictView, text: str) -> validation.Checked:
    """A typed value, checked by the rules of its kind (ID number, phone, date, required)."""
    from peewee import DateField

    field = typed_value_field(view)
    if field is None:
        return validation.Checked(None, "这个冲突只能在已有的值中选择一个。")
    model = model_for_table(view.table)
    text = (text or "").strip()
    kind = model.personal_fields.get(view.field)
    if kind == "id_number":
        record = model.get_or_none(model.id == view.record_id)
        if getattr(record, "id_type", "居民身份证") in ("", "居民身份证"):
            checked = validation.id_number(text, required=False)
            return validation.Checked(checked.value.number, None) if checked.ok and checked.value else checked
    if kind == "phone":
        return validation.phone(text, required=False)
    if isinstance(field, DateField):
        return validation.date_value(text, view.field_label, required=not field.null)
    if view.field in REQUIRED_FIELDS:
        return validation.required(text, view.field_label)
    return validation.Checked(text, None)
