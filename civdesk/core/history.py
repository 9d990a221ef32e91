"""A record's state as a pure function of its change-log entries.

Every PC that holds the same entries for a record computes the same row and the same conflicts
here, whatever order the entries arrived in; that is the whole of the convergence argument.

- An entry's ``base`` lists the stamps its writer had seen (one for a plain edit, the heads of
  the whole record for a delete, the competing heads for a conflict resolution). An entry
  *descends* from everything reachable through bases.
- The value of a field is the value of its highest-stamp entry (the ``*`` entry of a create
  counts for every field). A descendant always has a higher stamp than what it saw, so the
  highest entry is always a head: the provisional winner is the same everywhere.
- A field is in **conflict** when its heads (entries no other entry of that field descends
  from) hold different values: an edit made without seeing the other.
- A delete meets an edit when the record's winning ``deleted`` value is true and some edit
  does not lie in the history of any delete: the delete was made without seeing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

WHOLE_RECORD = "*"
DELETED = "deleted"
FIELD_CONFLICT = "field"
DELETE_CONFLICT = "delete"


@dataclass
class Entry:
    hlc: str
    field: str
    value: str  # JSON text, exactly as stored in change_log.value
    base: str | None
    node_id: str
    scope: str | None
    username: str
    at: str
    _decoded: object = field(default=None, repr=False)
    _has_decoded: bool = field(default=False, repr=False)

    @property
    def bases(self) -> list[str]:
        return self.base.split(",") if self.base else []

    def decoded(self):
        if not self._has_decoded:
            self._decoded, self._has_decoded = json.loads(self.value), True
        return self._decoded

    def value_of(self, name: str, default=None):
        """This entry's value for field *name* (a create entry holds every field)."""
        if self.field == WHOLE_RECORD:
            if name == DELETED:
                return False
            return self.decoded().get(name, default)
        return self.decoded()


@dataclass
class Conflict:
    kind: str  # FIELD_CONFLICT or DELETE_CONFLICT
    field: str
    heads: list[str]  # sorted stamps of the competing entries
    winner: str  # stamp of the provisional winner

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.field}|{','.join(self.heads)}"


class History:
    """All known entries of one record."""

    def __init__(self, entries: list[Entry]):
        self.entries = sorted(entries, key=lambda e: e.hlc)
        self.by_hlc = {e.hlc: e for e in self.entries}
        self._ancestors: dict[str, frozenset[str]] = {}

    def ancestors(self, hlc: str) -> frozenset[str]:
        """Stamps this entry descends from (known entries only; iterative, no recursion limit)."""
        done = self._ancestors.get(hlc)
        if done is not None:
            return done
        stack = [hlc]
        while stack:
            top = stack[-1]
            if top in self._ancestors:
                stack.pop()
                continue
            entry = self.by_hlc.get(top)
            parents = [b for b in (entry.bases if entry else []) if b in self.by_hlc]
            missing = [b for b in parents if b not in self._ancestors]
            if missing:
                stack.extend(missing)
                continue
            found = set(parents)
            for parent in parents:
                found |= self._ancestors[parent]
            self._ancestors[top] = frozenset(found)
            stack.pop()
        return self._ancestors[hlc]

    def creates(self) -> list[Entry]:
        return [e for e in self.entries if e.field == WHOLE_RECORD]

    def candidates(self, name: str) -> list[Entry]:
        return [e for e in self.entries if e.field == name or e.field == WHOLE_RECORD]

    def heads_of(self, candidates: list[Entry]) -> list[Entry]:
        seen: set[str] = set()
        for entry in candidates:
            seen |= self.ancestors(entry.hlc)
        return [e for e in candidates if e.hlc not in seen]

    def record_heads(self, names: list[str]) -> list[str]:
        """The heads of every field: what a delete made now has seen."""
        heads: set[str] = set()
        for name in [*names, DELETED]:
            heads.update(e.hlc for e in self.heads_of(self.candidates(name)))
        return sorted(heads)

    def values(self, names: list[str]) -> dict:
        """Winning value of each field, plus the record's metadata; None until created."""
        creates = self.creates()
        if not creates:
            return None
        first = creates[-1]  # highest-stamp create: its payload's created_at/by win
        result = {"created_at": first.decoded().get("created_at"), "created_by": first.decoded().get("created_by"),
                  "scope": first.scope}
        for name in [*names, DELETED]:
            winner = max(self.candidates(name), key=lambda e: e.hlc)
            result[name] = winner.value_of(name)
        last = self.entries[-1]
        result.update(clock=last.hlc, updated_at=last.at, updated_by=last.username)
        return result

    def conflicts(self, names: list[str], append_only: bool = False) -> list[Conflict]:
        if append_only or not self.creates():
            return []
        found = []
        for name in [*names, DELETED]:
            candidates = self.candidates(name)
            heads = self.heads_of(candidates)
            if len({json.dumps(h.value_of(name), sort_keys=True) for h in heads}) > 1:
                winner = max(candidates, key=lambda e: e.hlc)
                found.append(Conflict(FIELD_CONFLICT, name, sorted(h.hlc for h in heads), winner.hlc))
        delete = self._delete_conflict()
        if delete is not None:
            found.append(delete)
        return found

    def _delete_conflict(self) -> Conflict | None:
        candidates = self.candidates(DELETED)
        winner = max(candidates, key=lambda e: e.hlc)
        if not winner.value_of(DELETED):
            return None
        deletes = [e for e in self.heads_of(candidates) if e.value_of(DELETED)]
        covered: set[str] = set()
        for entry in deletes:
            covered |= self.ancestors(entry.hlc) | {entry.hlc}
        unseen = [e for e in self.entries if e.field != DELETED and e.hlc not in covered]
        if not unseen:
            return None
        latest = self.heads_of(unseen)
        return Conflict(DELETE_CONFLICT, DELETED, sorted({e.hlc for e in deletes + latest}), winner.hlc)
