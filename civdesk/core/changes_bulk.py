"""The machinery behind ``changes.create_many``: how a model's rows become SQL parameters and
change-log payloads, and building a table's indexes after a large insert instead of row by row.

Nothing here writes on its own account or knows the change log's rules; :mod:`civdesk.core.changes`
decides what is written.  Everything is worked out once per model, so a bulk import of 100,000
rows spends its time on the rows, not on asking peewee how to store each value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from json.encoder import JSONEncoder, c_make_encoder, encode_basestring
from typing import Any

from peewee import BooleanField, CharField, DateField, DateTimeField, IntegerField, TextField

__all__ = ["BulkShape", "db_converter", "encode", "indexes_built_after"]


def encode(value):
    """A field's value as the change log's JSON holds it (dates as ISO text, decimals as text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _iso(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _same(value):
    return value


def _text(value):
    return value if value is None or isinstance(value, str) else str(value)


# Converters that give back a str or None unchanged: only other values need the call.
_KEEPS_TEXT = (_text, _iso, encode)


def db_converter(field) -> Callable[[Any], Any]:
    """What SQLite is given for a field's value, without going through peewee per value."""
    if isinstance(field, BooleanField):
        return lambda value: None if value is None else int(bool(value))
    if isinstance(field, (DateField, DateTimeField)):
        return _iso
    if isinstance(field, (CharField, TextField)):
        return _text
    if isinstance(field, IntegerField):
        return _same
    return lambda value: encode(field.db_value(value))


def _json_converter(field) -> Callable[[Any], Any]:
    """The same values as ``changes.record_values`` puts in a change-log payload."""
    if isinstance(field, (CharField, TextField)):
        return _text
    if isinstance(field, (IntegerField, BooleanField)):
        return _same
    return encode


# A payload's keys are the same for every row of a model: built in sorted order, the dict is
# encoded without sorting it again, which gives the text ``changes.dumps`` gives (tested).
_PLAIN = JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ORDERED_ENCODER = (c_make_encoder(None, _PLAIN.default, encode_basestring, None, ":", ",", False, False, True)
                    if c_make_encoder is not None else None)


def dumps_ordered(value: dict) -> str:
    """JSON of a dict whose keys are already in sorted order, as ``changes.dumps`` writes it."""
    return "".join(_ORDERED_ENCODER(value, 0)) if _ORDERED_ENCODER is not None else _PLAIN.encode(value)


def _json_scalar(value) -> str:
    """The JSON text of a payload value that is not text (None, a number, a boolean)."""
    return "null" if value is None else dumps_ordered(value)


def _expression(name: str, convert, names: dict[Callable, str]) -> str:
    """Python source for one converted value of ``data`` (``g`` is ``data.get``)."""
    got = f"g({name!r})"
    if convert is _same:
        return got
    if convert in _KEEPS_TEXT:  # text and None pass untouched, without a call
        return f"(v if (v := {got}) is None or v.__class__ is str else {names[convert]}(v))"
    return f"{names[convert]}({got})"


class BulkShape:
    """How a model's rows become SQL parameters and change-log payloads, worked out once.

    ``build(data, at, user)`` gives the row's SQL parameters (in the table's column order) and its
    change-log payload as JSON text (sorted keys: the text ``changes.dumps`` writes, tested).  It is
    one generated function per model: a loop over 40 columns per row, with a converter call for
    each, and a JSON encoder walking a dict per row cost more than SQLite's insert.
    """

    def __init__(self, model) -> None:
        fields = model._meta.sorted_fields
        db_convert = {f.name: db_converter(f) for f in fields}
        converters: dict[Callable, str] = {}
        for convert in [*db_convert.values(), *(_json_converter(model._meta.fields[n]) for n in model.data_fields())]:
            converters.setdefault(convert, f"c{len(converters)}")
        lines = ["def build(data, at, user):", "    g = data.get"]
        lines += [f"    r{i} = {_expression(f.name, db_convert[f.name], converters)}" for i, f in enumerate(fields)]
        position = {f.name: i for i, f in enumerate(fields)}
        payload = {"created_at": "at", "created_by": "user"}
        for name in model.data_fields():
            json_convert, mine = _json_converter(model._meta.fields[name]), db_convert[name]
            same = json_convert is mine or (json_convert is encode and mine is _iso)
            payload[name] = f"r{position[name]}" if same else _expression(name, json_convert, converters)
        # The payload's JSON text straight from the values: the keys are written once, in sorted
        # order, into a template; a text value is encoded by json's own C function.
        template = "{" + ",".join(encode_basestring(key).replace("%", "%%") + ":%s" for key in sorted(payload)) + "}"
        lines.append(f"    return ({''.join(f'r{i}, ' for i in range(len(fields)))}), TEMPLATE % ("
                     + "".join(f"(e(v) if (v := {payload[key]}).__class__ is str else j(v)), " for key in sorted(payload))
                     + ")")
        scope = {label: convert for convert, label in converters.items()}
        scope.update(TEMPLATE=template, e=encode_basestring, j=_json_scalar)
        exec("\n".join(lines), scope)  # noqa: S102 - source made above from the model's own field names
        self.build: Callable[[dict, str, str], tuple[tuple, str]] = scope["build"]
        self.static = {f.name: f.default for f in fields if f.default is not None and not callable(f.default)}
        self.row_sql = (f'INSERT INTO "{model._meta.table_name}" ({", ".join(chr(34) + f.column_name + chr(34) for f in fields)}) '
                        f'VALUES ({", ".join("?" * len(fields))})')

    @classmethod
    def of(cls, model) -> BulkShape:
        shape = model.__dict__.get("_bulk_shape")
        if shape is None:
            shape = cls(model)
            model._bulk_shape = shape
        return shape


# Below this many rows, building a table's indexes anew costs more than adding the rows to them.
DEFER_INDEXES_FROM = 5000


@contextlib.contextmanager
def indexes_built_after(database, table: str, incoming: int) -> Iterator[None]:
    """Drop *table*'s secondary indexes for the body and create them again after it, in the
    caller's transaction, when *incoming* rows are many and the table holds no more than that:
    SQLite builds an index from sorted keys much faster than it inserts random keys one by one
    (a first import of 100,000 volunteers into twelve indexes).  Unique indexes stay (they refuse
    duplicates while the rows go in), and so do all of a table a trigger names (service records);
    a body that raises leaves the rollback to restore them."""
    if not database.in_transaction():
        raise RuntimeError("indexes_built_after needs the caller's transaction")
    deferred: list[tuple[str, str]] = []
    if incoming >= DEFER_INDEXES_FROM:
        existing = database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        # A trigger that reads the table could need its indexes for every row: such tables keep them.
        triggers = database.execute_sql("SELECT sql FROM sqlite_schema WHERE type = 'trigger'").fetchall()
        if existing <= incoming and not any(re.search(rf"\b{re.escape(table)}\b", sql or "") for (sql,) in triggers):
            found = database.execute_sql("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? "
                                         "AND sql IS NOT NULL", (table,)).fetchall()
            deferred = [(name, sql) for name, sql in found if not sql.lstrip().upper().startswith("CREATE UNIQUE")]
    for name, _sql in deferred:
        database.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in deferred:
        database.execute_sql(sql)
