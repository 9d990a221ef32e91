"""Import service records (志愿服务记录) from Excel: the sheet's side of it.

This module knows the columns an hours file may have; it reads the sheet and hands the rows to
the volunteers service (:mod:`civdesk.volunteers.hours_batch`), which checks them by the rules
of entering hours by hand and, when asked, writes them (pending until a reviewer approves them).
Same ``preview`` / ``apply`` / ``run`` and report as the volunteer import.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from civdesk.core import jobs, validation
from civdesk.core.actor import Actor
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.volunteers import batch, hours, hours_batch
from civdesk.volunteers.import_sheet import (
    ImportPreview,
    ImportReport,
    finish_report,
    read_checked,
    rows_in,
    start_report,
    still_current,
    take_plan,
)
from civdesk.xlsx.peek import Peek, peek
from civdesk.xlsx.read import ColumnSpec

__all__ = ["COLUMNS", "apply", "preview", "run"]


def _example_id() -> str:
    body = "51011419900305002"
    return body + validation.id_check_digit(body)


COLUMNS: list[ColumnSpec] = [
    ColumnSpec("name", "姓名", ("名字", "志愿者姓名", "学生姓名", "成员姓名", "队员姓名", "参与人", "服务人员"),
               required=True, example="张三",
               help="志愿者姓名，须与证件号码或志愿者编号对应的志愿者一致"),
    ColumnSpec("id_number", "证件号码", ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号"),
               example=_example_id(), text=True, help="证件号码和志愿者编号至少填一项"),
    ColumnSpec("number", "志愿者编号", ("编号", "志愿者号"), example="", text=True,
               help="证件号码和志愿者编号至少填一项"),
    ColumnSpec("phone", "手机号码", ("联系电话", "手机号", "手机", "联系方式", "志愿者手机", "联系手机", "移动电话", "电话"),
               example="", text=True, help="没有证件号码和志愿者编号时，按姓名和手机号码确认志愿者"),
    ColumnSpec("village", "所属村（社区）", ("所属村/社区", "村/社区", "村社区", "所在村（社区）", "所在村", "所在社区", "所属社区",
                                                "所属村"),
               example="", help="没有证件号码、志愿者编号和手机号码时，按姓名和村（社区）确认志愿者"),
    ColumnSpec("service_date", "服务日期", ("日期", "活动日期", "服务开始时间", "开始时间", "活动时间", "签到时间"),
               required=True,
               example="2024-03-05", help="如 2024-03-05；不能晚于今天，有活动时须在活动日期内"),
    ColumnSpec("hours", "服务时长（小时）", ("服务时长", "时长", "小时数", "服务小时数", "时长(小时)", "服务时间",
                                                       "认定时数", "服务时数", "时数", "学时", "工时", "志愿时长", "服务小时",
                                                       "活动时长"),
               example="2.5", help="按 0.5 小时计，如 2 或 1.5；一人一天合计不超过 24 小时（或填「服务时长（分钟）」列）"),
    ColumnSpec("minutes", "服务时长（分钟）", ("时长（分钟）", "服务分钟数", "分钟数", "时长(min)", "服务时长(min)",
                                                      "志愿时长（分钟）", "活动时长（分钟）", "分钟"),
               example="", help="没有「服务时长（小时）」列时填写分钟数，换算成小时：" + hours.MINUTES_RULE),
    ColumnSpec("activity", "活动名称", ("活动", "志愿活动", "服务项目"), example="",
               help="可不填；填写时须与 队伍与活动 中已有的活动名称一致"),
    ColumnSpec("content", "服务内容", ("内容", "服务事项"), example="上门陪伴空巢老人"),
    ColumnSpec("project", "项目名称", ("志愿项目", "项目", "志愿服务项目"), example="",
               help="没有「服务内容」列时，项目名称和岗位合起来记作服务内容"),
    ColumnSpec("post", "岗位", ("服务岗位", "志愿岗位", "岗位名称"), example="",
               help="没有「服务内容」列时，项目名称和岗位合起来记作服务内容"),
]


def first_rows(path: str | Path, rows: int = 20) -> Peek:
    """The sheet's header and first rows at once (streamed; ~0.1 s on a 100,000-row file), shown
    while :func:`preview` checks every row."""
    return peek(path, COLUMNS, rows=rows)


def preview(path: str | Path, actor: Actor, progress: Progress | None = None,
            cancelled: CancelCheck | None = None, *, today: dt.date | None = None,
            mapping: dict[str, str | None] | None = None) -> ImportPreview:
    """Read and check every row of an hours file; nothing is written."""
    hours_batch.require_import(actor)
    sheet, result = read_checked(path, COLUMNS, "hours", progress=progress, cancelled=cancelled, mapping=mapping)
    result.today = today
    if not result.file_errors and not {"id_number", "number", "phone", "village"} & set(sheet.columns):
        result.file_errors.append("缺少「证件号码」或「志愿者编号」列：至少要有其中一列，用来确认是哪一名志愿者"
                                  "（都没有时，可以按姓名和「手机号码」或「所属村（社区）」确认）。")
    if not result.file_errors and "hours" not in sheet.columns and "minutes" not in sheet.columns:
        result.file_errors.append("缺少必需的列「服务时长（小时）」（也可以是「服务时长（分钟）」，按分钟换算）。")
    if result.file_errors:
        return result
    plan = hours_batch.check_import(actor, rows_in(sheet), today=today, cancelled=cancelled)
    return take_plan(result, sheet, plan, COLUMNS)


def apply(result: ImportPreview, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
          progress: Progress | None = None, cancelled: CancelCheck | None = None) -> ImportReport:
    """Write what a preview found (made again first if the file or the database changed)."""
    hours_batch.require_import(actor)
    if not still_current(result):
        result = preview(result.path, actor, progress, cancelled, today=result.today, mapping=result.mapping)
    report = start_report(result, dry_run)
    outcome = hours_batch.import_records(actor, result.plan, source=Path(result.path).name,
                                         skip_invalid=skip_invalid, dry_run=dry_run, progress=progress,
                                         cancelled=cancelled)
    return finish_report(report, outcome)


def run(path: str | Path, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
        progress: Progress | None = None, cancelled: CancelCheck | None = None,
        today: dt.date | None = None) -> ImportReport:
    """Preview and import an hours file (records enter as pending)."""
    hours_batch.require_import(actor)
    jobs.check(cancelled, batch.CANCELLED)
    result = preview(path, actor, progress, cancelled, today=today)
    return apply(result, actor, skip_invalid=skip_invalid, dry_run=dry_run, progress=progress, cancelled=cancelled)
