"""督查 on the month calendar of 活动: the rounds due in the month (a period not held yet, or held)
and the 整改 deadlines of open notices; a village PC sees its own village's only."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.calendar_items import CalendarItem
from civdesk.supervision import common, plans, rectification

ROUND_STATES = {"held": "已督查", "open": "待督查", "missed": "未按期督查"}


def items(actor: Actor, first: dt.date, last: dt.date, today: dt.date | None = None) -> list[CalendarItem]:
    today = today or dt.date.today()
    own = common.own_village_id()
    found = []
    for occ in plans.occurrences(first, last, today):
        if not first <= occ.due <= last or (own is not None and occ.village_id != own):
            continue
        found.append(CalendarItem(occ.due, "supervision", occ.round_name,
                                  f"督查：{occ.round_name}（{occ.village_name or '全镇'}，{occ.period}）{ROUND_STATES[occ.state]}",
                                  f"supervision/round/{occ.round_id}", late=occ.state == "missed"))
    for row in rectification.notices(today, open_only=True):
        if not first <= row.deadline <= last or (own is not None and row.village_id != own):
            continue
        found.append(CalendarItem(row.deadline, "supervision", f"整改 {row.target_name}",
                                  f"整改期限：{row.number} {row.target_name}（{row.state_label}）",
                                  f"supervision/notice/{row.id}", late=row.colour == "red"))
    return found
