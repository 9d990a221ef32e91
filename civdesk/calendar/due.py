"""Start-page reminder: next year's holidays are announced each November or December; from
1 December a missing schedule is pointed out, and a missing schedule of this year is overdue."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem

ANNOUNCE_MONTH = 12


def _today() -> dt.date:
    return dt.date.today()


def schedule_missing(actor: Actor) -> list[DueItem]:
    from civdesk.calendar import holidays

    today = _today()
    wanted = [today.year] + ([today.year + 1] if today.month >= ANNOUNCE_MONTH else [])
    items = []
    for year in holidays.missing_years(wanted):
        overdue = year == today.year
        who = "点这里录入或导入（日期、类型、名称三列的表格）。" if actor.can("edit_settings") else "请告诉管理员录入。"
        items.append(DueItem(
            "calendar_missing", f"未录入 {year} 年放假安排",
            f"国务院每年年底公布下一年的放假和调休安排。没有录入之前，{year} 年的工作日按周一至周五计算，"
            f"整改、热线等期限可能算错。{who}", dt.date(year, 1, 1),
            "overdue" if overdue else "due", "settings/calendar"))
    return items


PROVIDERS = [schedule_missing]
