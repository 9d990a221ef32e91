"""What is due or overdue: the start page's "待办" list.

Each domain module registers a provider — ``provider(actor) -> list[DueItem]`` — and the start
page shows whatever :func:`collect` returns. Providers decide themselves what the actor may see
and must stay cheap (indexed queries): they run every time the start page is shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from peewee import fn

from civdesk import backup, db
from civdesk.actor import Actor
from civdesk.errors import CivDeskError
from civdesk.models.accounts import User
from civdesk.models.audit import AuditEntry
from civdesk.models.meta import LocalMeta

log = logging.getLogger(__name__)

SEVERITIES = ("overdue", "due", "info")
SEVERITY_LABELS = {"overdue": "已逾期", "due": "待办", "info": "提示"}
BACKUP_EVERY_DAYS = 7


@dataclass(frozen=True)
class DueItem:
    kind: str
    title: str
    detail: str
    due_date: dt.date | None
    severity: str  # "overdue" | "due" | "info"
    target_page: str  # a page key, optionally "key/section" ("settings/accounts")

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")


Provider = Callable[[Actor], list[DueItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (usable as a decorator); registering the same one twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_providers)


def _sort_key(item: DueItem):
    # Within a severity the most urgent date first; undated items after dated ones.
    return (SEVERITIES.index(item.severity), item.due_date is None, item.due_date or dt.date.min, item.title)


def collect(actor: Actor) -> list[DueItem]:
    """Every provider's items, most urgent first. A failing provider is logged and skipped, so
    one broken module never empties the whole start page."""
    items: list[DueItem] = []
    for provider in _providers:
        try:
            items.extend(provider(actor))
        except CivDeskError as exc:
            log.warning("待办提醒 %s 无法读取：%s", getattr(provider, "__name__", provider), exc)
        except Exception:
            log.exception("待办提醒 %s 出错", getattr(provider, "__name__", provider))
    return sorted(items, key=_sort_key)


def _now() -> dt.datetime:
    return dt.datetime.now()


# --- foundation providers ------------------------------------------------------------------


@register
def locked_accounts(actor: Actor) -> list[DueItem]:
    if not actor.can("manage_users"):
        return []
    now = _now().replace(microsecond=0).isoformat(sep=" ")
    items = []
    query = User.select().where(User.locked_until.is_null(False) & (User.locked_until > now)
                                & (User.active == True)).order_by(User.locked_until)  # noqa: E712
    for user in query:
        until = dt.datetime.fromisoformat(user.locked_until)
        items.append(DueItem(
            "account_locked", f"账号「{user.display_name}」已被锁定",
            f"用户名 {user.username}，连续输错密码，锁定到 {until:%H:%M}。"
            "可以等它自动解锁，也可以在“设置 → 账号”中立即解锁。",
            None, "due", "settings/accounts"))
    return items


def last_backup_time() -> dt.datetime | None:
    """The newest backup of this database: a file in the backup folder, or a manual backup
    saved elsewhere (a USB stick) that this PC recorded in the audit log."""
    times = [info.created for info in backup.list_backups()] if db.state.path else []
    node = LocalMeta.get_value("node_id")
    if node:
        at = (AuditEntry.select(fn.MAX(AuditEntry.at))
              .where((AuditEntry.action == "backup") & (AuditEntry.node_id == node)).scalar())
        if at:
            times.append(dt.datetime.fromisoformat(at))
    return max(times) if times else None


@register
def backup_due(actor: Actor) -> list[DueItem]:
    if not actor.can("backup"):
        return []
    now = _now()
    advice = f"建议至少每 {BACKUP_EVERY_DAYS} 天备份一次，并把备份文件拷到 U 盘另外保存。点这里立即备份。"
    last = last_backup_time()
    if last is None:
        created = LocalMeta.get_value("created_at")
        since = dt.datetime.fromisoformat(created) if created else now
        due = (since + dt.timedelta(days=BACKUP_EVERY_DAYS)).date()
        severity = "overdue" if due < now.date() else "due"
        return [DueItem("backup", "这个数据库还没有备份过", advice, due, severity, "home/backup")]
    age = (now.date() - last.date()).days
    if age <= BACKUP_EVERY_DAYS:
        return []
    due = (last + dt.timedelta(days=BACKUP_EVERY_DAYS)).date()
    return [DueItem("backup", f"已经 {age} 天没有备份了",
                    f"上次备份是 {last:%Y-%m-%d %H:%M}。{advice}", due, "overdue", "home/backup")]


@register
def read_only_notice(actor: Actor) -> list[DueItem]:
    if not db.state.read_only:
        return []
    reason = db.state.read_only_reason or "数据库以只读方式打开。"
    return [DueItem("read_only", "只读模式：现在只能查看，不能修改任何内容", reason, None, "info", "home")]


# --- volunteer service ---------------------------------------------------------------------


def _add_working_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@register
def activities_without_hours(actor: Actor) -> list[DueItem]:
    """Activities that ended more than the set working days ago and still have no hours."""
    if not actor.can("enter_hours"):
        return []
    from civdesk.services import hours, settings

    late = hours.activities_without_hours()
    if not late:
        return []
    workdays = settings.get("volunteer.record_within_workdays")
    deadline = lambda activity: _add_working_days(activity.end_date, workdays)  # noqa: E731
    if len(late) <= 3:
        return [DueItem("activity_hours", f"活动「{a.name}」还没有录入服务时长",
                        f"活动于 {a.end_date:%Y-%m-%d} 结束，应在 {workdays} 个工作日内记录时长。"
                        "点这里查看活动并录入。", deadline(a), "overdue", "teams/activities")
                for a in late]
    names = "、".join(f"「{a.name}」" for a in late[:3])
    return [DueItem("activity_hours", f"{len(late)} 项活动还没有录入服务时长",
                    f"{names}等活动结束已超过 {workdays} 个工作日。点这里查看活动并录入。",
                    deadline(late[0]), "overdue", "teams/activities")]


@register
def pending_service_records(actor: Actor) -> list[DueItem]:
    """Service records waiting for review, for those who may approve them."""
    if not actor.can("approve_hours"):
        return []
    from civdesk.models.volunteers import ServiceApproval, ServiceRecord

    decided = ServiceApproval.select(ServiceApproval.id).where(ServiceApproval.record_id == ServiceRecord.id)
    pending = ServiceRecord.select(fn.COUNT(ServiceRecord.id), fn.MIN(ServiceRecord.service_date),
                                   fn.SUM(ServiceRecord.created_by == actor.username)).where(
        (ServiceRecord.deleted == False) & ~fn.EXISTS(decided))  # noqa: E712
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


# --- other modules' providers register themselves when imported ----------------------------

from civdesk.services import nomination_due, notice_due, sync_due, unit_due  # noqa: E402,F401
