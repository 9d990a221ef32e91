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


def volunteers_registered_twice(actor: Actor) -> list[DueItem]:
    """Two PCs that each registered the same person before they synced hold two records with
    one ID number; the register refuses that on one PC, sync can only point it out."""
    if not actor.can("edit_volunteers"):
        return []
    from civdesk.core import validation
    from civdesk.core.db import database

    rows = database.execute_sql(
        "SELECT id_number, GROUP_CONCAT(name, '、'), COUNT(*) FROM volunteer WHERE deleted = 0 AND id_number != '' "
        "GROUP BY id_number HAVING COUNT(*) > 1 ORDER BY MIN(name) LIMIT 50").fetchall()
    if not rows:
        return []
    shown = "；".join(f"{names}（{validation.mask_id_number(number)}）" for number, names, _ in rows[:3])
    more = f" 等 {len(rows)} 人" if len(rows) > 3 else ""
    return [DueItem("volunteer_duplicates", f"{len(rows)} 名志愿者被重复登记", (
        f"{shown}{more}：同一证件号码在两台电脑上各登记了一次。请核对后在「志愿者」页删除多余的一条"
        "（按证件号码搜索即可找到），服务时长请先更正到保留的那一条。"), None, "due", "volunteers")]


PROVIDERS = [open_sync_conflicts, volunteers_registered_twice]
