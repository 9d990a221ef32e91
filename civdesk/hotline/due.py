"""工作台 reminders of 热线工单: tickets to sign, deadlines within two working days, overdue tickets
(催办), tickets for 督办, 延期 waiting for approval and hot issues without a 现场办公会."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem


def _today() -> dt.date:
    return dt.date.today()


def _numbers(rows, limit: int = 3) -> str:
    shown = "、".join(f"{r.number}（{r.category}）" for r in rows[:limit])
    return shown + (f" 等 {len(rows)} 件" if len(rows) > limit else "")


def _open_rows():
    from civdesk.hotline import board

    return board.rows(as_of=_today(), open_only=True)


def to_sign(actor: Actor) -> list[DueItem]:
    if not actor.can("handle_hotline"):
        return []
    found = [r for r in _open_rows() if r.state == "dispatched"]
    if not found:
        return []
    from civdesk.office import settings

    first = min(r.sign_due for r in found)
    severity = "overdue" if first < _today() else "due"
    days = settings.get("hotline.sign_workdays")
    return [DueItem("hotline_to_sign", f"{len(found)} 件热线工单待签收",
                    f"{_numbers(found)}。派单后 {days} 个工作日内签收，点这里查看。", first, severity,
                    "hotline/dispatched")]


def due_soon(actor: Actor) -> list[DueItem]:
    if not actor.can("handle_hotline"):
        return []
    found = [r for r in _open_rows() if r.colour == "yellow" and r.state != "dispatched"]
    if not found:
        return []
    return [DueItem("hotline_due_soon", f"{len(found)} 件热线工单两个工作日内到期",
                    f"{_numbers(found)}。请在期限内答复来电人，来不及的请在到期前申请延期。",
                    min(r.due for r in found), "due", "hotline/yellow")]


def overdue(actor: Actor) -> list[DueItem]:
    if not actor.can("handle_hotline"):
        return []
    rows = [r for r in _open_rows() if r.colour == "red"]
    items = []
    urged = [r for r in rows if r.escalation == "urge"]
    supervised = [r for r in rows if r.escalation == "supervise"]
    if urged:
        items.append(DueItem("hotline_urge", f"{len(urged)} 件热线工单已逾期，需催办",
                             f"{_numbers(urged)}。点这里查看并催办承办单位。", min(r.due for r in urged), "overdue",
                             "hotline/red"))
    if supervised:
        items.append(DueItem("hotline_supervise", f"{len(supervised)} 件热线工单逾期较久，列入督办",
                             f"{_numbers(supervised)}。逾期最久的已 {max(r.overdue_workdays for r in supervised)} 个工作日，"
                             "请镇文明办督办并在月度通报中通报。", min(r.due for r in supervised), "overdue",
                             "hotline/supervise"))
    return items


def extensions_waiting(actor: Actor) -> list[DueItem]:
    if not actor.can("review_hotline"):
        return []
    from civdesk.hotline import flow

    found = flow.pending_extensions()
    if not found:
        return []
    return [DueItem("hotline_extensions", f"{len(found)} 份工单延期申请待审批",
                    "承办单位在办理期限前申请延期，请审核理由后批准或不批准。", min(x.old_due for x in found), "due",
                    "hotline/extensions")]


def hot_issues(actor: Actor) -> list[DueItem]:
    if not actor.can("handle_hotline"):
        return []
    from civdesk.hotline import hot

    today = _today()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    items = []
    for month in (hot.month_text(last_month), hot.month_text(today)):
        for issue in hot.hot_issues(month):
            if issue.closed:
                continue
            items.append(DueItem("hotline_hot", f"热点：{issue.village}{issue.category} {month} 已有 {issue.count} 件",
                                 f"工单 {'、'.join(issue.numbers[:4])}{' 等' if issue.count > 4 else ''}。同一问题反复出现，"
                                 "建议召开现场办公会，会后登记会议决定和责任人，闭环销号。", None, "due", "hotline/hot"))
    return items


def meeting_tasks(actor: Actor) -> list[DueItem]:
    if not actor.can("handle_hotline"):
        return []
    from civdesk.hotline import hot

    today = _today()
    found = hot.open_tasks(today + dt.timedelta(days=3))
    if not found:
        return []
    late = [t for t in found if t.due < today]
    shown = "；".join(f"{t.owner}：{t.task}（{t.due}）" for t in found[:3])
    return [DueItem("hotline_meeting_tasks", f"{len(found)} 项现场办公会任务{'已逾期' if late else '即将到期'}",
                    f"{shown}{' 等' if len(found) > 3 else ''}。完成后请登记完成日期。", found[0].due,
                    "overdue" if late else "due", "hotline/meetings")]


def month_kpis(actor: Actor) -> list[DueItem]:
    if not actor.can("handle_hotline"):
        return []
    from civdesk.hotline import stats

    kpis = stats.current_kpis(_today())
    if not kpis.received and not kpis.open:
        return []
    return [DueItem("hotline_kpis", f"本月热线工单 {kpis.received} 件，未办结 {kpis.open} 件，逾期 {kpis.overdue} 件",
                    f"按时签收率 {kpis.sign_rate}；按期办结率 {kpis.handle_rate}；回访满意率 {kpis.satisfaction_rate}。",
                    None, "info", "hotline/month")]


PROVIDERS = [to_sign, due_soon, overdue, extensions_waiting, hot_issues, meeting_tasks, month_kpis]
