"""Start-page reminders of USB sync: open conflicts wait for a person to choose a value."""

from __future__ import annotations

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem


def open_sync_conflicts(actor: Actor) -> list[DueItem]:
    if not actor.can("sync_data"):
        return []
    from civdesk.sync import conflicts

    count = conflicts.count_open()
    if not count:
        return []
    what = "两台电脑在同步之前改了同一项内容，两个值都保留着，暂时显示其中一个。"
    if actor.can("resolve_conflicts"):
        return [DueItem("sync_conflicts", f"{count} 处同步冲突等待处理", what + "点这里逐条决定保留哪个值。",
                        None, "due", "conflicts")]
    return [DueItem("sync_conflicts", f"{count} 处同步冲突等待处理",
                    what + "需由审核人或系统管理员处理，点这里查看。", None, "info", "conflicts")]


PROVIDERS = [open_sync_conflicts]
