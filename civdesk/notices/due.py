"""Start-page reminders of public notices: objections waiting to be looked into, and notices
ending soon (the decision can follow the day after)."""

from __future__ import annotations

import datetime as dt

from peewee import fn

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem

# Where each module shows its notices (the page keys of its board).
SUBJECT_PAGES = {"unit": "units", "nomination": "nominations"}


def notices_needing_attention(actor: Actor) -> list[DueItem]:
    if not actor.can("record_objections"):
        return []
    from civdesk.notices import public_notices as notices
    from civdesk.notices.models import Objection, PublicNotice

    today = dt.date.today()
    items = []
    recent = (PublicNotice.select().where((PublicNotice.deleted == False) & (PublicNotice.withdrawn == False)  # noqa: E712
                                          & (PublicNotice.end_date >= today - dt.timedelta(days=60)))
              .order_by(PublicNotice.end_date))
    recent = list(recent)
    waiting = dict(Objection.select(Objection.notice_id, fn.COUNT(Objection.id)).where(
        (Objection.notice_id << [n.id for n in recent]) & (Objection.deleted == False)  # noqa: E712
        & (Objection.outcome == "pending")).group_by(Objection.notice_id).tuples()) if recent else {}
    ending = [n for n in recent if n.start_date <= today <= n.end_date and (n.end_date - today).days <= 2]
    states = notices.statuses(ending, today)
    for notice in recent:
        page = SUBJECT_PAGES.get(notice.subject, "")
        pending = waiting.get(notice.id, 0)
        if pending and actor.can("decide_objections"):
            items.append(DueItem("notice_objections", f"公示「{notice.title}」有 {pending} 条异议待核实",
                                 "核实并登记结果后，才能对相关对象作出命名或表彰决定。", notice.end_date,
                                 "overdue" if notice.end_date < today else "due", page))
        elif notice.start_date <= today <= notice.end_date and (notice.end_date - today).days <= 2:
            state = states[notice.id]
            items.append(DueItem("notice_ending", f"公示「{notice.title}」将于 {notice.end_date} 期满",
                                 f"{state.text}。期满次日起可以作出决定。", notice.end_date, "info", page))
    return items


PROVIDERS = [notices_needing_attention]
