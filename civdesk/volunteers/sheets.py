"""Volunteer and hours lists to Excel, and the import templates.

ID and phone numbers are masked unless the user may edit volunteers and asks for full numbers;
every export is written to the audit log, saying which.  Headers are the import's own, so a
full-number export can be corrected and imported again with "update existing".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

from civdesk.core import changes, db, validation
from civdesk.core.actor import Actor, require
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.office import offices as office
from civdesk.volunteers import hours, hours_import
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers import roster_import as volunteer_import
from civdesk.volunteers.hours import STATUS_LABELS, RecordRow
from civdesk.volunteers.models import VOLUNTEER_STATUS, Volunteer
from civdesk.volunteers.roster import VolunteerFilter
from civdesk.xlsx.write import write_table, write_template

__all__ = ["export_hours", "export_volunteers", "hours_template", "volunteer_template"]

BLOCK = 500

VOLUNTEER_COLUMNS = [
    ("志愿者编号", 13, "text"), ("姓名", 10), ("性别", 6), ("出生日期", 12), ("证件类型", 12), ("证件号码", 21, "text"),
    ("手机号码", 14, "text"), ("民族", 8), ("政治面貌", 10), ("学历", 8), ("工作单位", 20), ("所属村（社区）", 14),
    ("居住地址", 28), ("技能特长", 12), ("服务类别", 12), ("注册日期", 12), ("状态", 8), ("累计时长（小时）", 10),
    ("星级", 6), ("备注", 24),
]
HOURS_COLUMNS = [
    ("志愿者编号", 13, "text"), ("姓名", 10), ("证件号码", 21, "text"), ("服务日期", 12), ("服务时长（小时）", 10),
    ("活动名称", 24), ("服务内容", 32), ("状态", 8), ("录入人", 10), ("备注", 24),
]
MASKED_NOTE = "证件号码和手机号码已隐去中间位"
FULL_NOTE = "含完整证件号码和手机号码，请妥善保管"


def _check_numbers(actor: Actor, full_numbers: bool) -> None:
    require(actor, "export_data")
    if full_numbers:
        require(actor, "edit_volunteers")
    # Every export is audited: refuse before writing a file that could not be recorded.
    db.ensure_writable()


def _note(count_text: str, full_numbers: bool) -> str:
    return f"导出时间：{dt.datetime.now():%Y-%m-%d %H:%M}；{count_text}；{FULL_NOTE if full_numbers else MASKED_NOTE}"


def export_volunteers(actor: Actor, path: str | Path, *, flt: VolunteerFilter | None = None,
                      ids: Sequence[str] | None = None, full_numbers: bool = False,
                      progress: Progress | None = None, cancelled: CancelCheck | None = None) -> int:
    """Write the volunteers of ``ids`` (in that order) or of ``flt`` (by number) to .xlsx."""
    _check_numbers(actor, full_numbers)
    if ids is None:
        ids = volunteers.matching_ids(flt or VolunteerFilter(status=""), sort="number")
    ids = list(ids)
    villages = {o.id: o.name for o in office.villages()}
    thresholds = hours.star_thresholds()
    id_text = validation.mask_id_number if not full_numbers else (lambda s: s or "")
    phone_text = validation.mask_phone if not full_numbers else (lambda s: s or "")

    def rows() -> Iterator[list]:
        for start in range(0, len(ids), BLOCK):
            block = ids[start:start + BLOCK]
            found = {v.id: v for v in Volunteer.select().where(Volunteer.id << block)}
            totals = hours.totals_for(block)
            for vid in block:
                v = found.get(vid)
                if v is None:
                    continue
                half = totals.get(vid, 0)
                stars = hours.star_level(half, thresholds)
                yield [v.number, v.name, v.sex, v.birth_date, v.id_type, id_text(v.id_number), phone_text(v.phone),
                       v.ethnicity, v.political_status, v.education, v.employer, villages.get(v.village_id, ""),
                       v.address, v.skills, v.service_category, v.join_date,
                       VOLUNTEER_STATUS.get(v.status, v.status), half / 2, "★" * stars, v.note]

    path = Path(path)
    count = write_table(path, "志愿者名单", VOLUNTEER_COLUMNS, rows(), title="志愿者名单",
                        note=_note(f"共{len(ids)}名", full_numbers), total=len(ids),
                        progress=progress, cancelled=cancelled)
    changes.write_audit(actor, "export", tbl="volunteer", record_label="志愿者名单",
                        note=f"导出 {count} 名志愿者到「{path.name}」（{FULL_NOTE if full_numbers else MASKED_NOTE}）")
    return count


def export_hours(actor: Actor, path: str | Path, *, records: Sequence[RecordRow] | None = None,
                 volunteer_id: str | None = None, status: str = "", date_from: dt.date | None = None,
                 date_to: dt.date | None = None, activity_id: str | None = None, full_numbers: bool = False,
                 progress: Progress | None = None, cancelled: CancelCheck | None = None) -> int:
    """Write service records (the given rows, or those matching the filters) to .xlsx."""
    _check_numbers(actor, full_numbers)
    if records is None:
        records = hours.records(volunteer_id, status=status, date_from=date_from, date_to=date_to,
                                activity_id=activity_id)
    records = list(records)
    vids = sorted({r.volunteer_id for r in records})
    id_numbers: dict[str, str] = {}
    for start in range(0, len(vids), BLOCK):
        id_numbers.update(Volunteer.select(Volunteer.id, Volunteer.id_number)
                          .where(Volunteer.id << vids[start:start + BLOCK]).tuples())
    id_text = validation.mask_id_number if not full_numbers else (lambda s: s or "")

    def rows() -> Iterator[list]:
        for r in records:
            note = f"退回原因：{r.reason}" if r.status == "rejected" and r.reason else ""
            if r.corrects_id:
                note = ("更正记录；" + note).rstrip("；")
            yield [r.volunteer_number, r.volunteer_name, id_text(id_numbers.get(r.volunteer_id, "")),
                   dt.date.fromisoformat(r.service_date), r.hours, r.activity, r.content,
                   STATUS_LABELS.get(r.status, r.status), r.entered_by, note]

    path = Path(path)
    total_hours = sum(r.hours for r in records)
    count = write_table(path, "服务记录", HOURS_COLUMNS, rows(), title="志愿服务记录",
                        note=_note(f"共{len(records)}条，合计{total_hours:g}小时", full_numbers),
                        total=len(records), progress=progress, cancelled=cancelled)
    changes.write_audit(actor, "export", tbl="service_record", record_label="志愿服务记录",
                        note=f"导出 {count} 条服务记录到「{path.name}」（{FULL_NOTE if full_numbers else MASKED_NOTE}）")
    return count


def volunteer_template(path: str | Path, village_names: Sequence[str] | None = None) -> None:
    """The volunteer import template (no data, so neither audited nor restricted)."""
    instructions = [
        "每行填写一名志愿者；第 1 行是表头，请不要修改表头文字（写成「身份证号」「联系电话」等常见叫法也能识别）。",
        "红色表头是必填列：姓名、证件号码。其余列可以不填或删除。",
        "证件号码和手机号码列已设为文本格式；从别的表格粘贴时请选择「只粘贴值」，以免 Excel 把身份证号码变成科学计数法。",
        "日期可以写成 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日。",
        "导入前会先检查全部行，列出每一处问题（行号、列名和原因）；默认有任何问题都不导入，也可以选择只导入没有问题的行。",
        "证件号码已登记过的志愿者会跳过，不会重复登记。",
    ]
    if village_names:
        instructions.append(f"「所属村（社区）」可填：{'、'.join(village_names)}。")
    write_template(path, volunteer_import.COLUMNS, "志愿者", instructions)


def hours_template(path: str | Path) -> None:
    instructions = [
        "每行填写一名志愿者一天的一次服务；第 1 行是表头，请不要修改表头文字。",
        "用证件号码或志愿者编号确认志愿者（至少填一项），姓名必须与登记的一致。",
        "服务时长按 0.5 小时计（如 2、1.5），同一人同一天合计不超过 24 小时（包括已经录入的记录）。",
        "活动名称可以不填；填写时须与「队伍与活动」中已有活动的名称一致，服务日期须在活动日期内。",
        "导入的记录为「待审核」，由审核人审核后计入累计时长。",
    ]
    write_template(path, hours_import.COLUMNS, "服务时长", instructions)
