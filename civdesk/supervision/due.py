"""Start-page reminders of 督查与整改: rounds due or missed, notices turning yellow (the deadline
is near), red (overdue) and 督办 (overdue for ``supervision.escalate_workdays`` working days)."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem


def _today() -> dt.date:
    return dt.date.today()


def rounds_due(actor: Actor) -> list[DueItem]:
    from civdesk.supervision import common, plans

    own = common.own_village_id()
    items = []
    today = _today()
    for occ in plans.due_soon(today):
        if own is not None and occ.village_id != own:
            continue  # a village PC is reminded of its own village's rounds only
        late = occ.due < today
        items.append(DueItem(
            "supervision_round", f"{occ.round_name}（{occ.period}）{'未按期督查' if late else '待督查'}",
            f"{occ.village_name}：本期应在 {occ.due} 前完成督查，还没有登记督查记录。", occ.due,
            "overdue" if late else "due", "supervision/rounds"))
    return items


def notices_due(actor: Actor) -> list[DueItem]:
    from civdesk.supervision import rectification

    items = []
    for row in rectification.notices(_today(), open_only=True):
        if row.colour == "ok":
            continue
        if row.escalated:
            title = f"督办：{row.number} {row.target_name} 逾期 {row.overdue_workdays} 个工作日"
        elif row.colour == "red":
            title = f"整改逾期：{row.number} {row.target_name}"
        else:
            title = f"整改即将到期：{row.number} {row.target_name}"
        detail = f"{row.mechanism}；整改期限 {row.deadline}；责任人 {row.responsible}。" + (
            f"还剩 {row.workdays_left} 个工作日。" if row.colour == "yellow" else "请跟踪督办并复查。")
        items.append(DueItem("supervision_notice", title, detail + (f"（{row.warning}）" if row.warning else ""),
                             row.deadline, "overdue" if row.colour == "red" else "due", "supervision/notices"))
    return items


PROVIDERS = [rounds_due, notices_due]
