"""One person registered twice: a merge keeps one record and leaves the other as a tombstone
(``deleted``) whose ``merged_into`` points at the record kept. The domains (volunteers,
好人评选 nominees) say what belongs to a person; this module owns the rule every PC follows.

Records are not rewritten: service hours, certificates and votes are only ever added, and a PC
that has not seen the merge keeps adding records that name the merged person. Reads follow the
pointers instead, so such records count for the survivor wherever and whenever they arrive.

Two PCs may merge before they meet: the same pair the same way (the same values: nothing to
settle), opposite ways (A→B here, B→A there: a loop) or in a chain (A→B, B→C). Who survives is a
pure function of the pointers, the same on every PC whatever order the packages came in: follow
them; a loop resolves to its smallest id.
"""

from __future__ import annotations

from dataclasses import dataclass

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.models import SyncModel
from civdesk.core.validation import ValidationError

KEEP, OTHER = "keep", "other"


def resolve(pointers: dict[str, str]) -> dict[str, str]:
    """{id: survivor} for every id that has a pointer. The survivor of a loop maps to itself."""
    result: dict[str, str] = {}
    for start in pointers:
        if start in result:
            continue
        path: list[str] = []
        seen: dict[str, int] = {}
        node = start
        while node in pointers and node not in result and node not in seen:
            seen[node] = len(path)
            path.append(node)
            node = pointers[node]
        if node in result:
            end = result[node]
        elif node in seen:
            end = min(path[seen[node]:])
        else:
            end = node
        for item in path:
            result[item] = end
    return result


@dataclass(frozen=True)
class Merges:
    """The merges of one table as they stand in this database."""

    survivor_of: dict[str, str]  # every id with a pointer -> its survivor
    undeleted: frozenset[str] = frozenset()  # pointing records not deleted (a conflict restored one)

    def survivor(self, record_id: str) -> str:
        return self.survivor_of.get(record_id, record_id)

    @property
    def loop_survivors(self) -> list[str]:
        """Survivors that are themselves tombstones pointing on (both sides of a loop merged)."""
        return sorted({s for i, s in self.survivor_of.items() if i == s})

    @property
    def merged_live(self) -> list[str]:
        """Records merged into another that are not deleted (a sync conflict restored them): still
        not a person of their own."""
        return sorted(i for i in self.undeleted if self.survivor_of.get(i, i) != i)

    def family(self, ids) -> list[str]:
        """The given people and every record merged into them, however indirectly."""
        wanted = {self.survivor(i) for i in ids}
        return sorted(wanted | {i for i, s in self.survivor_of.items() if s in wanted} | set(ids))

    def fold(self, totals: dict[str, int]) -> dict[str, int]:
        """Per-record sums as sums per survivor."""
        folded: dict[str, int] = {}
        for record_id, value in totals.items():
            key = self.survivor(record_id)
            folded[key] = folded.get(key, 0) + (value or 0)
        return folded


def merges(model: type[SyncModel]) -> Merges:
    """The pointers of *model* (an indexed look-up; few people are ever merged)."""
    table = model._meta.table_name
    # "> ''" rather than IS NOT NULL: SQLite answers it from the merged_into index (IS NOT NULL
    # scanned the whole table: 4.6 ms on 20,000 volunteers, several times per search).
    rows = database.execute_sql(f'SELECT id, merged_into, deleted FROM "{table}" WHERE merged_into > \'\'').fetchall()
    return Merges(resolve({i: into for i, into, _ in rows}), frozenset(i for i, _, deleted in rows if not deleted))


def live(model: type[SyncModel], found: Merges | None = None):
    """Who is a person of their own: not deleted and not merged, or the survivor of a loop. A
    merged record is deleted too, so this stays a condition the ``deleted`` indexes answer."""
    found = found or merges(model)
    condition = model.deleted == False  # noqa: E712
    if found.merged_live:
        condition = condition & model.id.not_in(found.merged_live)
    if found.loop_survivors:
        condition = condition | model.id.in_(found.loop_survivors)
    return condition


@dataclass(frozen=True)
class FieldChoice:
    """One field the two records disagree on, as the reviewer chooses it."""

    field: str
    label: str
    keep_text: str
    other_text: str
    personal: bool
    differs: bool  # the two records disagree: the reviewer chooses
    note: str = ""  # said when masking hides the difference


def _text(model: type[SyncModel], name: str, value, reveal: bool) -> str:
    kind = model.personal_fields.get(name)
    if kind and not reveal:
        return str(changes.mask_personal(kind, changes.encode(value)) or "")
    return model.display_value(name, changes.encode(value))


def compare(keep: SyncModel, other: SyncModel, fields: list[str], *, reveal: bool) -> list[FieldChoice]:
    """Every field of the two records side by side (personal values masked unless *reveal*)."""
    model = type(keep)
    found = []
    for name in fields:
        a, b = changes.encode(getattr(keep, name)), changes.encode(getattr(other, name))
        differs = (a or "") != (b or "")
        ta, tb = _text(model, name, a, reveal), _text(model, name, b, reveal)
        note = "打码后看起来相同，实际不同：请点「显示完整信息」核对" if differs and ta == tb else ""
        found.append(FieldChoice(name, model.field_labels.get(name, name), ta, tb,
                                 name in model.personal_fields, differs, note))
    return found


def audit_view(actor: Actor, keep: SyncModel, other: SyncModel) -> None:
    changes.write_audit(actor, "view_personal", row=keep, record_label=keep.record_label(),
                        note=f"合并前核对：查看「{keep.record_label()}」与另一条登记的完整个人信息")


def pair(model: type[SyncModel], keep_id: str, other_id: str, what: str) -> tuple[SyncModel, SyncModel]:
    """The two records of a merge, or a Chinese refusal saying why they cannot be merged."""
    if not keep_id or not other_id:
        raise ValidationError({"other": f"请选择要合并的两条{what}记录"})
    if keep_id == other_id:
        raise CivDeskError(f"不能把一条{what}记录与它自己合并：请选择重复登记的另一条记录。")
    found = merges(model)
    rows = {}
    for record_id in (keep_id, other_id):
        row = model.get_or_none(model.id == record_id)
        if row is None:
            raise NotFound(f"找不到这条{what}记录（编号 {record_id[:8]}）。")
        survivor = found.survivor(record_id)
        if survivor != record_id:
            target = model.get_or_none(model.id == survivor)
            name = target.record_label() if target is not None else survivor[:8]
            raise CivDeskError(f"「{row.record_label()}」已经合并到「{name}」，是合并留下的记录，不能再合并；"
                               f"请对「{name}」操作。")
        if row.deleted and record_id not in found.loop_survivors:
            raise CivDeskError(f"「{row.record_label()}」已被删除，不能合并。")
        rows[record_id] = row
    keep, other = rows[keep_id], rows[other_id]
    if (keep.scope or "") != (other.scope or ""):
        raise CivDeskError(
            f"两条记录属于不同的单位（{_scope_name(keep.scope)}、{_scope_name(other.scope)}）：各村/社区的电脑只收到"
            "本村的记录，跨单位合并后有的电脑会找不到保留的那一条。不能合并；请保留其中一条，另一条按重复登记删除。")
    return keep, other


def _scope_name(scope: str | None) -> str:
    from civdesk.core.models import record_name

    return record_name("office", scope) or scope if scope else "镇（全镇共用）"


def checked_choices(choices: dict[str, str] | None, compared: list[FieldChoice],
                    model: type[SyncModel] | None = None) -> dict[str, str]:
    """{field: KEEP|OTHER} for every differing field (KEEP unless chosen); refuses the unknown."""
    choices = dict(choices or {})
    labels = {c.field: c.label for c in compared}
    known = {c.field: c.label for c in compared if c.differs}
    errors = {}
    for name, side in choices.items():
        if name not in labels:
            shown = (model.field_labels.get(name, name) if model is not None else name)
            errors[name] = f"「{shown}」不是可以选择的信息（保留的记录沿用自己的）"
        elif name not in known:
            errors[name] = f"「{labels[name]}」两条记录相同，不用选"
        elif side not in (KEEP, OTHER):
            errors[name] = f"「{known[name]}」只能选保留记录的值（keep）或另一条的值（other）"
    if errors:
        raise ValidationError(errors)
    return {name: choices.get(name, KEEP) for name in known}


def write(actor: Actor, keep: SyncModel, other: SyncModel, chosen: dict[str, str], moved: str) -> dict:
    """The merge itself, in one transaction: the chosen values onto the record kept, the other a
    tombstone pointing at it; both audited. Returns what changed on the record kept."""
    taken = {name: getattr(other, name) for name, side in chosen.items() if side == OTHER}
    labels = "、".join(type(keep).field_labels.get(n, n) for n in taken)
    if keep.deleted or keep.merged_into:  # the survivor of a loop (two PCs merged either way) leaves it
        taken.update(merged_into=None, deleted=False)
    with database.atomic():
        if other.deleted:  # the survivor of a loop, itself merged away now: deleted rows take no edits
            changes.update(other, actor, {"deleted": False}, audit=False)
        changes.update(other, actor, {"merged_into": keep.id, "deleted": True}, action="merge",
                       note=f"重复登记，合并到「{keep.record_label()}」" + (f"；{moved}" if moved else ""))
        changed = {}
        if taken:
            changed = changes.update(keep, actor, taken, action="merge",
                                     note=f"合并重复登记「{other.record_label()}」，选用了它的{labels}")
        if not changed:
            changes.write_audit(actor, "merge", row=keep, note=f"合并重复登记「{other.record_label()}」"
                                + (f"；{moved}" if moved else ""))
    return changed
