"""承办单位: the departments a ticket can be dispatched to, one managed list (the setting
``hotline.departments``, edited by an administrator in 设置 → 参数 → 热线工单).

Tickets dispatched before the list existed keep the name that was typed then. Such a name that
is not on the list is offered for mapping: to a department on the list (its tickets then name
that department) or onto the list as it is. Names are compared without spaces, so 「镇城管中队 」
and 「镇 城管中队」 are one department in the statistics.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.validation import ValidationError
from civdesk.hotline.models import Ticket
from civdesk.office import settings

KEY = "hotline.departments"
_SEPARATORS = (";", "\n", "、", ",", "，")


def key(name: object) -> str:
    """A department's name as compared: without any spaces."""
    return "".join(validation.normalize_text(name).split())


def names() -> list[str]:
    """The departments on the list, in its order."""
    text = str(settings.get(KEY) or "")
    for separator in _SEPARATORS:
        text = text.replace(separator, "；")
    found: list[str] = []
    for part in text.split("；"):
        name = key(part)
        if name and name not in found:
            found.append(name)
    return found


def check(name: object) -> str:
    """The listed department *name* means; ValidationError in Chinese when it is not on the list."""
    wanted = key(name)
    listed = names()
    if not wanted:
        raise ValidationError({"department": "请选择承办部门"})
    if wanted not in listed:
        shown = "、".join(listed) or "（名单是空的）"
        raise ValidationError({"department": f"「{wanted}」不在承办单位名单中（名单：{shown}）；"
                                             "系统管理员可在 设置 → 参数 → 热线工单 中添加"})
    return wanted


@dataclass(frozen=True)
class FreeText:
    """A department name typed on tickets before the list, not on the list now."""

    value: str  # as stored on the tickets
    tickets: int


def free_text_values() -> list[FreeText]:
    listed = set(names())
    counts = Counter(value for (value,) in Ticket.select(Ticket.assignee).where(
        (Ticket.assignee_kind == "department") & (Ticket.deleted == False)).tuples())  # noqa: E712
    return sorted((FreeText(value, n) for value, n in counts.items() if key(value) not in listed),
                  key=lambda f: (-f.tickets, f.value))


def map_value(actor: Actor, value: str, department: str) -> int:
    """The tickets naming the free-text *value* name the listed *department* instead (each change
    logged and audited, one transaction); returns how many tickets changed."""
    require(actor, "edit_settings")
    target = check(department)
    rows = list(Ticket.select().where((Ticket.assignee_kind == "department") & (Ticket.assignee == value)
                                      & (Ticket.deleted == False)))  # noqa: E712
    if not rows:
        raise ValidationError({"value": f"没有承办单位写作「{value}」的工单"})
    with database.atomic():
        for row in rows:
            changes.update(row, actor, {"assignee": target}, note=f"承办单位「{value}」对应到名单中的「{target}」")
    return len(rows)


def add_to_list(actor: Actor, value: str) -> list[str]:
    """Put a free-text *value* on the list as it is (without spaces); returns the new list."""
    require(actor, "edit_settings")
    name = key(value)
    if not name:
        raise ValidationError({"value": "承办单位名称不能为空"})
    listed = names()
    if name not in listed:
        listed.append(name)
        settings.set_value(actor, KEY, "；".join(listed))
    return listed


def display(assignee: str) -> str:
    """A department assignee as the statistics group it: its name without spaces."""
    return key(assignee)
