"""Long lists read a window at a time: the ids of rows ``offset … offset + limit`` in a list's order,
how many rows it has and where one id stands in it, each answered by an index.

A list page's model (``ui/list_model.py``) holds one :class:`Listing` per filter and sort and asks it
for the windows the view paints, so reloading a list of 100,000 volunteers or 200,000 audit entries
costs a count and one window, not every id. A service returns a :class:`QueryListing` when an index
gives its order (the count and each window walk that index) and an :class:`IdList` otherwise (a
text search through several lookups, an order no index gives: the ids are read once, in order).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Protocol, runtime_checkable

from peewee import SQL, Field, fn

from civdesk.core.db import database

__all__ = ["IdList", "Listing", "QueryListing"]


@runtime_checkable
class Listing(Protocol):
    def count(self) -> int:
        """How many rows the list has."""
        ...

    def window(self, offset: int, limit: int) -> list:
        """The ids of rows ``offset`` … ``offset + limit - 1``, in order."""
        ...

    def position(self, row_id: Hashable) -> int:
        """The row of ``row_id`` in the list, or -1."""
        ...

    def all(self) -> list:
        """Every id, in order (an export of the whole list)."""
        ...


class IdList:
    """A listing of ids already read (in order)."""

    def __init__(self, ids: Sequence[Hashable]):
        self.ids = list(ids)
        self._rows: dict | None = None

    def count(self) -> int:
        return len(self.ids)

    def window(self, offset: int, limit: int) -> list:
        return self.ids[max(0, offset):max(0, offset + limit)]

    def position(self, row_id: Hashable) -> int:
        if self._rows is None:
            self._rows = {rid: row for row, rid in enumerate(self.ids)}
        return self._rows.get(row_id, -1)

    def all(self) -> list:
        return list(self.ids)


class QueryListing:
    """The ids a query selects, in the order of *order* ((field, descending) pairs; the model's id
    is added as the last key, so the order is total), read through ``LIMIT``/``OFFSET`` windows.
    The query should be one an index answers in that order (no sort of every row per window);
    a window near the end is read backwards, so the far end of a list costs no more than its middle.
    """

    def __init__(self, model, query, order: list[tuple[Field, bool]]):
        self.model = model
        self.query = query.order_by()
        keys = list(order)
        if not any(field is model.id for field, _desc in keys):
            keys.append((model.id, keys[-1][1] if keys else False))
        self.keys = keys
        self._count: int | None = None

    def _run(self, query) -> list:
        sql, params = query.sql()
        return database.execute_sql(sql, params).fetchall()  # a plain cursor: no peewee row wrapping

    def _ordered(self, reverse: bool = False):
        return self.query.order_by(*[f.desc() if desc != reverse else f.asc() for f, desc in self.keys])

    def count(self) -> int:
        if self._count is None:
            self._count = self._run(self.query.select(fn.COUNT(SQL("*"))))[0][0]
        return self._count

    def window(self, offset: int, limit: int) -> list:
        total = self.count()
        offset, end = max(0, offset), min(total, offset + limit)
        if end <= offset:
            return []
        if offset > total - end:  # nearer the end: walk the index from there
            rows = self._run(self._ordered(reverse=True).select(self.model.id).limit(end - offset).offset(total - end))
            return [r[0] for r in reversed(rows)]
        return [r[0] for r in self._run(self._ordered().select(self.model.id).limit(end - offset).offset(offset))]

    def all(self) -> list:
        return [r[0] for r in self._run(self._ordered().select(self.model.id))]

    def position(self, row_id: Hashable) -> int:
        fields = [f for f, _desc in self.keys]
        found = self._run(self.query.select(*fields).where(self.model.id == row_id).limit(1))
        if not found:
            return -1
        values = [field.python_value(value) for field, value in zip(fields, found[0], strict=True)]
        return self._run(self.query.select(fn.COUNT(SQL("*"))).where(self._before(0, values)))[0][0]

    def _before(self, i: int, values: list):
        """Rows that come before a row with these key values (NULLs first ascending, last descending)."""
        field, desc = self.keys[i]
        value = values[i]
        if value is None:
            strictly = field.is_null(False) if desc else None
            equal = field.is_null()
        else:
            strictly = (field > value) if desc else (field < value)
            if field.null and not desc:
                strictly = strictly | field.is_null()
            equal = field == value
        if i + 1 < len(self.keys):
            tail = equal & self._before(i + 1, values)
            return tail if strictly is None else (strictly | tail)
        return strictly if strictly is not None else SQL("0")
