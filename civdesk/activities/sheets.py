"""Activity records to Excel (civdesk/xlsx). Minors' care leaves only as counts: no sheet here
holds a child's name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from civdesk.activities import minors, placements, records
from civdesk.activities.terms import LOCATION_TYPES, TARGET_GROUPS
from civdesk.core import changes, db
from civdesk.core.actor import Actor, require
from civdesk.xlsx.write import write_table

Progress = Callable[[int, int, str], None]
RECORD_COLUMNS = [("日期", 12), ("类型", 10), ("节日", 10), ("活动名称", 30), ("状态", 8), ("村/社区", 12),
                  ("地点", 20), ("组织单位", 20), ("参与人数", 10), ("志愿者人数", 10), ("志愿服务时长（小时）", 12),
                  ("照片数", 8), ("活动内容", 50)]


def _audited(actor: Actor, what: str, path, note: str, tbl: str) -> None:
    changes.write_audit(actor, "export", tbl=tbl, record_label=what, note=f"导出「{what}」到 {Path(path).name}：{note}")


def export_records(actor: Actor, path: str | Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
                   *, kind: str = "", village_id: str | None = None, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> int:
    require(actor, "export_data")
    db.ensure_writable()  # every export is audited
    found = records.rows(date_from, date_to, kind=kind, village_id=village_id)
    rows = [[dt.date.fromisoformat(r.day), r.kind_label, r.festival, r.title, r.status_label, r.village or "全镇",
             r.place, r.organiser, r.participants, r.volunteers, r.volunteer_hours, r.photo_count, r.content]
            for r in found]
    span = "全部" if not (date_from or date_to) else f"{date_from or ''}至{date_to or ''}"
    count = write_table(path, "活动记录", RECORD_COLUMNS, rows, title=f"活动记录（{span}）",
                        note=f"导出时间：{dt.datetime.now():%Y-%m-%d %H:%M}；共 {len(rows)} 条",
                        progress=progress, cancelled=cancelled)
    _audited(actor, "活动记录", path, f"{count} 条", "act_record")
    return count


def export_placements(actor: Actor, path: str | Path) -> int:
    """公益广告 counts by village and location type."""
    require(actor, "export_data")
    db.ensure_writable()
    rows = [[c.village, *(c.by_type[t] for t in LOCATION_TYPES), c.total] for c in placements.counts()]
    count = write_table(path, "公益广告统计", [("村/社区", 20), *((t, 10) for t in LOCATION_TYPES), ("合计", 10)], rows,
                        title="公益广告设置情况（按村/社区和位置类型）",
                        note=f"导出时间：{dt.datetime.now():%Y-%m-%d %H:%M}；已撤除的不计")
    _audited(actor, "公益广告统计", path, f"{count} 行", "act_placement")
    return count


def export_minors_counts(actor: Actor, path: str | Path, year: int) -> int:
    """Minors' care as counts only — the only way it leaves in a sheet."""
    require(actor, "export_data")
    db.ensure_writable()
    rows = [[c.village, c.projects, *(c.children[g] for g in TARGET_GROUPS), c.services, c.attendees]
            for c in minors.counts(year)]
    columns = [("村/社区", 16), ("关爱项目", 10), *((g, 12) for g in TARGET_GROUPS), ("心理服务次数", 12),
               ("服务人次", 10)]
    count = write_table(path, "未成年人关爱统计", columns, rows, title=f"{year}年未成年人关爱工作统计",
                        note="只含人数统计，不含未成年人个人信息")
    _audited(actor, "未成年人关爱统计", path, f"{count} 行（只含人数）", "act_minor_project")
    return count
