"""What the supervision services share: the mechanisms (a setting), which office this PC is,
dates and texts checked the house way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from civdesk.core import validation
from civdesk.core.errors import NotFound
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.office import settings

_LIVE = False


def _split(text: str) -> list[str]:
    parts = str(text or "").replace(";", "；").replace("\n", "；").split("；")
    return [p.strip() for p in parts if p.strip()]


def mechanisms() -> list[str]:
    """The long-term mechanisms (长效机制) inspections and notices are filed under."""
    return _split(settings.get("supervision.mechanisms"))


def sanitation_mechanisms() -> list[str]:
    """The mechanisms whose overdue or failed notices raise the sanitation 一票否决."""
    return _split(settings.get("supervision.sanitation_mechanisms"))


def check_mechanism(value: str, errors: dict) -> str:
    value = validation.normalize_text(value)
    if value not in mechanisms():
        errors["mechanism"] = f"长效机制只能是：{'、'.join(mechanisms())}"
    return value


own_village_id = office_service.own_village_id  # the village this PC belongs to, None on the township's PC


def own_office_id() -> str:
    return office_service.own_office().id


def village_name(village_id: str | None) -> str:
    if not village_id:
        return "镇区"
    found = office_service.get(village_id)
    return found.name if found is not None else village_id


def village_names() -> Callable[[str | None], str]:
    """``village_name`` for a whole list: every office's name read once (deleted ones too, as
    ``village_name`` finds them)."""
    known = office_service.names()
    return lambda village_id: "镇区" if not village_id else known.get(village_id, village_id)


def resolve_village(value, errors: dict, field: str = "village_id") -> str | None:
    """An office id or a village name → the village id; a village PC only knows its own."""
    text = validation.normalize_text(value or "")
    village = None
    if text:
        found = office_service.get(text)
        if found is None:
            found = next((v for v in office_service.villages() if v.name == text), None)
        if found is None or found.kind != "village":
            errors[field] = f"没有名为「{text}」的村（社区）"
            return None
        village = found.id
    own = own_village_id()
    if own is not None:
        if village not in (None, own):
            errors[field] = f"本机属于「{village_name(own)}」，只能登记本村（社区）的督查和整改"
        return own
    return village


def day(value, label: str, errors: dict, field: str, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    checked = validation.date_value(value, label, required=required)
    if not checked.ok:
        errors[field] = checked.error
        return None
    return checked.value


def text(value, label: str, errors: dict, field: str, *, minimum: int = 0, maximum: int = 2000) -> str:
    cleaned = str(value or "").strip()
    if len(cleaned) < minimum:
        errors[field] = f"请填写{label}" + (f"（至少 {minimum} 个字）" if minimum > 1 else "")
    elif len(cleaned) > maximum:
        errors[field] = f"{label}不能超过 {maximum} 个字"
    return cleaned


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def get_live(model, record_id: str, what: str):
    row = model.get_or_none((model.id == record_id) & (model.deleted == _LIVE)) if record_id else None
    if row is None:
        raise NotFound(f"找不到这份{what}（可能已被删除，或还在下一个同步数据包里）。")
    return row
