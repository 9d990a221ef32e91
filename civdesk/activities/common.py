"""What the activities services share: which village a record belongs to, the date rule,
counts, and the colour classes the screens use."""

from __future__ import annotations

import datetime as dt

from civdesk.core import validation
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service

MIN_DAY = dt.date(1950, 1, 1)
AHEAD_DAYS = 365
_LIVE = False


def villages() -> dict[str, str]:
    """Village id -> name, live villages only."""
    return {v.id: v.name for v in office_service.villages()}


own_village = office_service.own_village_id  # this PC's village when it is a village PC, else None


def resolve_village(value, *, required: bool = False, what: str = "记录") -> str | None:
    """A village id from an id or a name; on a village PC always that village."""
    text = validation.normalize_text(value or "")
    own = own_village()
    if own is not None:
        if text and text != own and text != villages().get(own):
            name = villages().get(own, "本村")
            raise ValidationError({"village_id": f"本机属于「{name}」，只能登记本村（社区）的{what}"})
        return own
    if not text:
        if required:
            raise ValidationError({"village_id": f"请选择{what}所属的村/社区"})
        return None
    return office_service.resolve_village(text)


def check_day(value, label: str = "日期", *, today: dt.date | None = None, field: str = "day",
              errors: dict | None = None) -> dt.date | None:
    """A date in 1950 … a year from today; the message goes to *errors* (or is raised)."""
    today = today or dt.date.today()
    checked = validation.date_value(value, label)
    message = checked.error
    if checked.ok and checked.value < MIN_DAY:
        message = f"{label} {checked.value.isoformat()} 早于 1950 年，请检查是否写错"
    elif checked.ok and checked.value > today + dt.timedelta(days=AHEAD_DAYS):
        message = f"{label} {checked.value.isoformat()} 在一年以后，只能登记一年以内的计划"
    if message is None:
        return checked.value
    if errors is None:
        raise ValidationError({field: message})
    errors[field] = message
    return None


def count(value, label: str, field: str, errors: dict, *, required: bool = False) -> int | None:
    """A whole number ≥ 0 (人数): "12", 12, "12人"; None when left empty and not required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = f"请填写{label}"
        return None if not required else 0
    text = validation.normalize_text(value).rstrip("人名个").strip()
    try:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(text)
        number = int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else int(text)
    except ValueError:
        errors[field] = f"{label}应为整数，当前为「{value}」"
        return None
    if number < 0:
        errors[field] = f"{label}不能小于 0，当前为 {number}"
        return None
    return number


def text(values: dict, key: str) -> str:
    return validation.normalize_text(values.get(key) or "")


mask_name = validation.mask_name  # a child's name for whoever may not see it: 张**


def colour(days_left: int | None) -> str:
    """The board's colour class: red when overdue, yellow within a week, ok otherwise."""
    if days_left is None:
        return "ok"
    if days_left < 0:
        return "red"
    return "yellow" if days_left <= 7 else "ok"
