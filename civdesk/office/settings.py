"""Office settings: defaults from civdesk/resources/default_settings.json, values in the database.

Settings travel with sync. A village's own value overrides the township-wide one; the
township's values are township-wide (scope None).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.errors import NotFound
from civdesk.core.paths import resource_text
from civdesk.core.validation import ValidationError, parse_number
from civdesk.office import offices as office_service
from civdesk.office.models import Setting


@dataclass(frozen=True)
class SettingSpec:
    key: str
    group: str
    label: str
    type: str
    default: object
    min: float | None = None
    max: float | None = None
    unit: str = ""
    help: str = ""


@lru_cache(maxsize=1)
def specs() -> dict[str, SettingSpec]:
    raw = json.loads(resource_text("default_settings.json"))
    return {item["key"]: SettingSpec(**item) for item in raw}


def _spec(key: str) -> SettingSpec:
    try:
        return specs()[key]
    except KeyError:
        raise NotFound(f"没有名为「{key}」的设置项。") from None


def _record(key: str, scope: str | None, *, include_deleted: bool = False) -> Setting | None:
    query = (Setting.key == key) & (Setting.scope == scope if scope else Setting.scope.is_null())
    if not include_deleted:
        query &= Setting.deleted == False  # noqa: E712
    return Setting.get_or_none(query)


def get(key: str):
    spec = _spec(key)
    office = office_service.own_office_or_none()
    scopes = [office.scope] if office is not None and office.scope else []
    for scope in [*scopes, None]:
        row = _record(key, scope)
        if row is not None:
            return json.loads(row.value)
    return spec.default


def coerce(key: str, value):
    """Parse a value typed by a user into the setting's type, or raise ValidationError."""
    spec = _spec(key)
    label = f"「{spec.label}」"
    if spec.type == "int":
        parsed = int(parse_number(value, label, field=key, step=1))
    elif spec.type == "float":
        parsed = float(parse_number(value, label, field=key))
    elif spec.type == "int_list":
        items = value if isinstance(value, list) else str(value).replace("，", ",").replace("、", ",").split(",")
        parsed = [int(parse_number(item, label, field=key, step=1)) for item in items if str(item).strip()]
        if not parsed or parsed != sorted(set(parsed)) or parsed[0] <= 0:
            raise ValidationError({key: f"「{spec.label}」应为从小到大、互不相同的正整数，用逗号分隔，"
                                        f"当前为「{value}」"})
    elif spec.type == "bool":
        parsed = value if isinstance(value, bool) else str(value).strip() in ("1", "true", "是", "yes")
    else:
        parsed = str(value).strip()
    if spec.type == "int_list":
        return parsed
    too_low = spec.min is not None and parsed < spec.min
    too_high = spec.max is not None and parsed > spec.max
    if spec.type in ("int", "float") and (too_low or too_high):
        raise ValidationError({key: f"「{spec.label}」应在 {spec.min:g} 到 {spec.max:g}{spec.unit} 之间，"
                                    f"当前为 {parsed}"})
    return parsed


def set_value(actor: Actor, key: str, value) -> None:
    require(actor, "edit_settings")
    spec = _spec(key)
    parsed = coerce(key, value)
    office = office_service.own_office_or_none()
    scope = office.scope if office is not None else None
    row = _record(key, scope, include_deleted=True)
    encoded = changes.dumps(parsed)
    if row is None:
        changes.create(Setting, actor, {"key": key, "value": encoded}, scope=scope, record_label=spec.label,
                       id=changes.deterministic_id("setting", scope or "", key))
    else:
        changes.update(row, actor, {"value": encoded, "deleted": False}, record_label=spec.label)


def all_values() -> list[tuple[SettingSpec, object]]:
    return [(spec, get(key)) for key, spec in specs().items()]
