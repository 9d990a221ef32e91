"""``dump --json``: every live synced record in a stable order, to compare two databases."""

from __future__ import annotations

import json

from civdesk.core.changes import encode
from civdesk.core.models import synced_models


def dump_records() -> dict[str, list[dict]]:
    result = {}
    for model in synced_models():
        names = model._meta.sorted_field_names
        query = (model.select().where(model.deleted == False)  # noqa: E712
                 .order_by(model.id).tuples().iterator())
        result[model._meta.table_name] = [dict(zip(names, map(encode, row), strict=True)) for row in query]
    return result


def dump_json() -> str:
    return json.dumps(dump_records(), ensure_ascii=False, sort_keys=True, indent=1)
