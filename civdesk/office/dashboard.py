"""What is due or overdue: the start page's "待办" list.

Each domain lists its providers — ``provider(actor) -> list[DueItem]`` — and the start
page shows whatever :func:`collect` returns. Providers decide themselves what the actor may see
and must stay cheap (indexed queries): they run every time the start page is shown.
"""

from __future__ import annotations

import datetime as dt
import logging

from peewee import fn

from civdesk.core import backup, db
from civdesk.core.actor import Actor
from civdesk.core.audit_log import AuditEntry
from civdesk.core.due import SEVERITIES, SEVERITY_LABELS, DueItem  # noqa: F401  (the start page's vocabulary)
from civdesk.core.errors import CivDeskError
from civdesk.core.meta import LocalMeta
from civdesk.core.registry import registry
from civdesk.office.account_model import User

log = logging.getLogger(__name__)

BACKUP_EVERY_DAYS = 7


def _sort_key(item: DueItem):
    # Within a severity the most urgent date first; undated items after dated ones.
    return (SEVERITIES.index(item.severity), item.due_date is None, item.due_date or dt.date.min, item.title)


def freshness() -> tuple:
    """Changes whenever anything was written or the day turns: the start page gathers again only
    then (see maintenance.data_version)."""
    from civdesk.office import maintenance

    return maintenance.data_version()


def collect(actor: Actor) -> list[DueItem]:
    """Every provider's items, most urgent first. A failing provider is logged and skipped, so
    one broken module never empties the whole start page."""
    items: list[DueItem] = []
    for provider in registry.due_providers():
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


def read_only_notice(actor: Actor) -> list[DueItem]:
    if not db.state.read_only:
        return []
    reason = db.state.read_only_reason or "数据库以只读方式打开。"
    return [DueItem("read_only", "只读模式：现在只能查看，不能修改任何内容", reason, None, "info", "home")]


PROVIDERS = [locked_accounts, backup_due, read_only_notice]
