"""Start-page reminders: a festival within the warning days (30 by default) that has no activity
planned yet, and planned activities whose day has passed without being recorded."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem


def _today() -> dt.date:
    return dt.date.today()


def festivals_without_plan(actor: Actor) -> list[DueItem]:
    from civdesk.activities import common, festival_plans

    today = _today()
    items = []
    for name, day in festival_plans.unplanned(today, common.own_village()):
        left = (day - today).days
        when = "今天" if left == 0 else f"还有 {left} 天"
        items.append(DueItem(
            "festival_unplanned", f"{name}（{day.month}月{day.day}日）还没有活动计划",
            f"{when}就是{name}。点这里按模板制定「我们的节日」活动计划（标题和内容可以修改）。", day,
            "overdue" if left <= 7 else "due", f"activities/calendar/{day.isoformat()}"))
    return items


def plans_not_recorded(actor: Actor) -> list[DueItem]:
    from civdesk.activities import common, records

    today = _today()
    late = records.rows(today - dt.timedelta(days=90), today - dt.timedelta(days=1), status="planned",
                        village_id=common.own_village(), today=today)
    return [DueItem("activity_unrecorded", f"「{row.title}」还没有登记开展情况",
                    f"计划于 {row.day} 开展。请登记参与人数、照片和服务的志愿者，或改为「已取消」。",
                    dt.date.fromisoformat(row.day), "overdue", f"activities/record/{row.id}") for row in late]


PROVIDERS = [festivals_without_plan, plans_not_recorded]
