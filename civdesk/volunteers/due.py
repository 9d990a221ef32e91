"""Start-page reminders of volunteer service: activities without hours, records to review."""

from __future__ import annotations

from peewee import SQL, fn

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem


def activities_without_hours(actor: Actor) -> list[DueItem]:
    """Activities that ended more than the set working days ago and still have no hours."""
    if not actor.can("enter_hours"):
        return []
    from civdesk.office import settings
    from civdesk.volunteers import hours

    late = hours.activities_without_hours()
    if not late:
        return []
    workdays = settings.get("volunteer.record_within_workdays")
    deadline = lambda activity: hours.record_deadline(activity.end_date, workdays)  # noqa: E731
    if len(late) <= 3:
        return [DueItem("activity_hours", f"活动「{a.name}」还没有录入服务时长",
                        f"活动于 {a.end_date:%Y-%m-%d} 结束，应在 {workdays} 个工作日内记录时长。"
                        "点这里查看活动并录入。", deadline(a), "overdue", "teams/activities")
                for a in late]
    names = "、".join(f"「{a.name}」" for a in late[:3])
    return [DueItem("activity_hours", f"{len(late)} 项活动还没有录入服务时长",
                    f"{names}等活动结束已超过 {workdays} 个工作日。点这里查看活动并录入。",
                    deadline(late[0]), "overdue", "teams/activities")]


def pending_service_records(actor: Actor) -> list[DueItem]:
    """Service records waiting for review, for those who may approve them."""
    if not actor.can("approve_hours"):
        return []
    from civdesk.volunteers import hours
    from civdesk.volunteers.models import ServiceRecord

    pending = ServiceRecord.select(fn.COUNT(SQL("*")), fn.MIN(ServiceRecord.service_date),
                                   fn.SUM(ServiceRecord.created_by == actor.username)).where(hours.waiting())
    count, oldest, own = pending.tuples().get()
    if not count:
        return []
    others = count - (own or 0)
    if not others:
        return []  # only the actor's own entries wait: someone else must review them
    detail = f"最早的服务日期是 {str(oldest)[:10]}。" if oldest else ""
    if own:
        detail += f"其中 {own} 条是您自己录入的，需由其他审核人审核。"
    return [DueItem("pending_hours", f"{others} 条服务时长记录等待您审核", detail + "点这里去审核。",
                    None, "due", "hours/review")]


def registered_twice(actor: Actor) -> list[DueItem]:
    """Two PCs that each registered the same person before they synced hold two records with
    one ID number; the register refuses that on one PC, so sync can only point it out, and the
    item leads to the merge."""
    if not actor.can("edit_volunteers"):
        return []
    from civdesk.volunteers import merges

    found = merges.pairs()
    if not found:
        return []
    people: dict[str, list[str]] = {}
    for pair in found:
        people.setdefault(pair.id_masked, [pair.name]).append(pair.name)
    shown = "；".join(f"{'、'.join(names)}（{masked}）" for masked, names in list(people.items())[:3])
    more = f" 等 {len(people)} 人" if len(people) > 3 else ""
    then = ("点这里并排核对两条登记，选定保留的信息后合并：服务记录、证明和队伍都归到保留的那一条。"
            if actor.can("merge_people") else "需由审核人或系统管理员核对后合并，点这里查看。")
    return [DueItem("volunteer_duplicates", f"{len(people)} 名志愿者被重复登记",
                    f"{shown}{more}：同一证件号码在两台电脑上各登记了一次。{then}", None, "due", "volunteers/merge")]


def volunteers_without_id(actor: Actor) -> list[DueItem]:
    """Volunteers registered from a roster without an ID number (证件待补), until it is given."""
    if not actor.can("edit_volunteers"):
        return []
    from civdesk.volunteers import roster

    count = roster.pending_id_count()
    if not count:
        return []
    return [DueItem("volunteers_pending_id", f"{count} 名志愿者的证件号码待补",
                    "从花名册导入时没有证件号码，已登记为「证件待补」；补上证件号码后才能出具志愿服务证明。"
                    "点这里查看这些志愿者。", None, "due", "volunteers/证件待补")]


PROVIDERS = [activities_without_hours, pending_service_records, registered_twice, volunteers_without_id]
