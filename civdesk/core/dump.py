"""``dump --json``: every live synced record in a stable order, to compare two databases.

Personal data (each model's ``personal_fields``: ID numbers, phones, addresses, hotline callers,
minors' names) is masked unless *full* is asked for; the command line allows that only to a role
that may see full numbers, and audits it. Tests comparing two PCs call ``dump_records(full=True)``.
"""

from __future__ import annotations

import json

from civdesk.core.changes import encode, mask_personal
from civdesk.core.models import synced_models


def _row(names, row, personal: dict[str, str], full: bool) -> dict:
    record = dict(zip(names, map(encode, row), strict=True))
    if not full:
        for name, kind in personal.items():
            if name in record:
                record[name] = mask_personal(kind, record[name])
    return record


def dump_records(*, full: bool = False) -> dict[str, list[dict]]:
    result = {}
    for model in synced_models():
        names = model._meta.sorted_field_names
        query = (model.select().where(model.deleted == False)  # noqa: E712
                 .order_by(model.id).tuples().iterator())
        result[model._meta.table_name] = [_row(names, row, model.personal_fields, full) for row in query]
    return result


def dump_json(*, full: bool = False) -> str:
    return json.dumps(dump_records(full=full), ensure_ascii=False, sort_keys=True, indent=1)
