"""Start-page reminders of civilized-unit creation: titles expiring, annual reviews due this
year, applications waiting for the township, and notices ended so that naming can follow."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem


def _names(found, limit: int = 3) -> str:
    shown = "、".join(d.text for d in found[:limit])
    return shown + (f" 等 {len(found)} 个" if len(found) > limit else "")


def titles_expiring(actor: Actor) -> list[DueItem]:
    if not actor.can("edit_unit_applications"):
        return []
    from civdesk.office import settings
    from civdesk.units import titles as unit_titles

    days = int(settings.get("unit.expiry_warning_days"))
    found = unit_titles.expiring(days)
    if not found:
        return []
    first = found[0].title.valid_until
    return [DueItem("unit_titles_expiring", f"{len(found)} 个文明称号将在 {days} 天内到期",
                    f"{_names(found)}。最早的 {first} 到期，到期后需重新申报。点这里查看。", first, "due",
                    "organisations/due")]


def reviews_due(actor: Actor) -> list[DueItem]:
    if not actor.can("manage_titles"):
        return []
    from civdesk.units import titles as unit_titles

    today = dt.date.today()
    found = unit_titles.reviews_due(today.year, today)
    if not found:
        return []
    year_end = dt.date(today.year, 12, 31)
    return [DueItem("unit_reviews_due", f"{len(found)} 个文明称号今年还没有复查",
                    f"{_names(found)}。有效期内每年复查一次，结论为保留或摘牌。点这里逐个复查。", year_end,
                    "due" if today.month >= 10 else "info", "organisations/due")]


def applications_waiting(actor: Actor) -> list[DueItem]:
    if not actor.can("review_units"):
        return []
    from civdesk.units import workflow as unit_workflow
    from civdesk.units.models import Application

    live = Application.select().where(Application.deleted == False)  # noqa: E712
    items = []
    submitted = live.where(Application.status == "submitted").count()
    if submitted:
        items.append(DueItem("unit_applications_submitted", f"{submitted} 份文明创建申报等待受理",
                             "村（社区）和单位已提交申报，点这里受理初审。", None, "due", "units/submitted"))
    on_notice = list(live.where(Application.status == "notice"))
    blockers = unit_workflow.naming_blockers(on_notice)
    ready = [a for a in on_notice if not blockers[a.id]]
    if ready:
        items.append(DueItem("unit_ready_to_name", f"{len(ready)} 份申报公示期满，可以命名",
                             "公示期满且无异议（或异议不成立）。点这里选择后作出命名决定。", None, "due", "units/notice"))
    return items


PROVIDERS = [titles_expiring, reviews_due, applications_waiting]
