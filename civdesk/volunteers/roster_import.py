"""Import volunteers from a clerk's Excel roster: the sheet's side of it.

This module knows the columns a roster may have and how clerks head them; it reads the sheet
and hands the rows to the volunteers service (:mod:`civdesk.volunteers.roster_batch`), which
checks them by the rules of the registration form and, when asked, writes them: permission,
backup, one transaction, volunteer numbers and the change log are the service's.  ``preview``
reads and checks without writing; ``apply`` writes what a preview found; ``run`` does both.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from civdesk.core import jobs, validation
from civdesk.core.actor import Actor
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.volunteers import batch, roster_batch
from civdesk.volunteers.import_sheet import (
    ImportFileError,
    ImportPreview,
    ImportReport,
    finish_report,
    read_checked,
    rows_in,
    start_report,
    still_current,
    take_plan,
    write_error_list,
)
from civdesk.volunteers.models import ID_TYPES
from civdesk.volunteers.roster_rules import RESIDENT_ID
from civdesk.xlsx.peek import Peek, peek
from civdesk.xlsx.read import ColumnSpec, gc_paused

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportPreview",
    "ImportReport",
    "apply",
    "preview",
    "run",
    "write_error_list",
]


def _example_id() -> str:
    body = "51011419900305002"
    return body + validation.id_check_digit(body)


COLUMNS: list[ColumnSpec] = [
    ColumnSpec("name", "姓名", ("名字", "志愿者姓名", "学生姓名", "成员姓名", "队员姓名"), required=True,
               example="张三", help="志愿者本人姓名，不超过 30 个字"),
    ColumnSpec("id_number", "证件号码", ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号"),
               example=_example_id(), text=True,
               help="18 位居民身份证号码，最后一位可以是 X；请把该列设为文本，避免 Excel 变成科学计数法。"
                    "暂时没有证件号码的，登记为「证件待补」，补上后才能出具证明"),
    ColumnSpec("id_type", "证件类型", (), example=RESIDENT_ID,
               help=f"不填即为居民身份证；可填：{'、'.join(ID_TYPES)}"),
    ColumnSpec("sex", "性别", (), example="女", help="男或女；居民身份证可不填，按号码自动判断"),
    ColumnSpec("birth_date", "出生日期", ("出生年月日", "生日"), example="1990-03-05",
               help="居民身份证可不填，按号码自动判断；其他证件请填写，如 1990-03-05"),
    ColumnSpec("phone", "手机号码", ("联系电话", "手机号", "电话", "手机", "联系方式", "电话号码",
                                            "志愿者手机", "联系手机", "移动电话"),
               example="13812345678", text=True, help="11 位手机号码；也可以填带区号的座机号码，如 028-83951234"),
    ColumnSpec("landline", "座机", ("座机电话", "固定电话", "家庭电话", "办公电话", "座机号码"), example="", text=True,
               help="带区号的座机号码，如 028-83951234"),
    ColumnSpec("ethnicity", "民族", (), example="汉族"),
    ColumnSpec("political_status", "政治面貌", (), example="群众"),
    ColumnSpec("education", "学历", ("文化程度", "最高学历"), example="高中"),
    ColumnSpec("employer", "工作单位", ("单位", "工作单位及职务"), example=""),
    ColumnSpec("village_id", "所属村（社区）", ("所属村/社区", "村社区", "村/社区", "村", "社区", "所属村", "所属社区",
                                                            "所在村（社区）", "所在村", "所在社区"),
               example="", help="村（社区）名称，须是 设置 → 本单位 中已有的村（社区）；村（社区）电脑上可不填"),
    ColumnSpec("address", "居住地址", ("现住址", "地址", "家庭住址", "住址"), example="清溪镇桂花村 3 组 12 号"),
    ColumnSpec("skills", "技能特长", ("特长", "技能", "专长", "特长爱好", "兴趣爱好"), example="急救"),
    ColumnSpec("service_category", "服务类别", ("服务意向", "服务类型", "服务领域"), example="敬老助残"),
    ColumnSpec("join_date", "注册日期", ("加入日期", "入队日期", "登记日期", "注册时间", "加入时间", "入队时间",
                                        "创建日期", "登记时间"),
               example="2024-03-05", help="不填即为导入当天"),
    ColumnSpec("occupation", "职业", ("职业类别", "从事职业"), example=""),
    ColumnSpec("original_number", "原编号", ("志愿者编号", "编号", "志愿者证号", "注册编号", "原志愿者编号", "志愿者号"),
               example="", text=True, help="原表格或其他系统中的志愿者编号，导入后保留，可以按它查找；CivDesk 另行编号"),
    ColumnSpec("note", "备注", (), example=""),
]


def first_rows(path: str | Path, rows: int = 20) -> Peek:
    """The sheet's header and first rows at once (streamed; ~0.1 s on a 100,000-row file), shown
    while :func:`preview` checks every row."""
    return peek(path, COLUMNS, rows=rows)


def preview(path: str | Path, actor: Actor, progress: Progress | None = None,
            cancelled: CancelCheck | None = None, *, update_existing: bool = False,
            today: dt.date | None = None, mapping: dict[str, str | None] | None = None) -> ImportPreview:
    """Read and check every row; nothing is written.  Raises ExcelFileError for a file that
    cannot be read and jobs.Cancelled when ``cancelled()`` turns true."""
    roster_batch.require_import(actor)
    with gc_paused():  # 100,000 rows held at once: each full collection would walk them all again
        sheet, result = read_checked(path, COLUMNS, "volunteers", progress=progress, cancelled=cancelled,
                                     mapping=mapping)
        result.update_existing, result.today = update_existing, today
        if result.file_errors:
            return result
        plan = roster_batch.check_import(actor, rows_in(sheet), update_existing=update_existing, today=today,
                                         cancelled=cancelled)
        return take_plan(result, sheet, plan, COLUMNS)


def apply(result: ImportPreview, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
          progress: Progress | None = None, cancelled: CancelCheck | None = None) -> ImportReport:
    """Write what a preview found (all or nothing unless ``skip_invalid``).  A preview the file
    or the database has moved on from is made again first, so nothing stale is written."""
    roster_batch.require_import(actor)
    if not still_current(result):
        result = preview(result.path, actor, progress, cancelled, update_existing=result.update_existing,
                         today=result.today, mapping=result.mapping)
    report = start_report(result, dry_run)
    with gc_paused():
        outcome = roster_batch.import_rows(actor, result.plan, source=Path(result.path).name,
                                           skip_invalid=skip_invalid, dry_run=dry_run, progress=progress,
                                           cancelled=cancelled)
    return finish_report(report, outcome)


def run(path: str | Path, actor: Actor, *, skip_invalid: bool = False, dry_run: bool = False,
        update_existing: bool = False, progress: Progress | None = None,
        cancelled: CancelCheck | None = None, today: dt.date | None = None) -> ImportReport:
    """Preview and import a volunteer roster.  Any rejected row means nothing is written,
    unless ``skip_invalid``; ``dry_run`` writes nothing in any case."""
    roster_batch.require_import(actor, update_existing=update_existing)
    jobs.check(cancelled, batch.CANCELLED)
    result = preview(path, actor, progress, cancelled, update_existing=update_existing, today=today)
    return apply(result, actor, skip_invalid=skip_invalid, dry_run=dry_run, progress=progress, cancelled=cancelled)
