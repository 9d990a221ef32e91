"""The one PDF with children's names: the year's minors' care report, for 未成年人信息 only.

Every other PDF and every sheet gives minors' care as counts. Writing this one is refused without
the permission and written to the audit log as an export of confidential data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from civdesk.activities import minors
from civdesk.activities.terms import TARGET_GROUPS
from civdesk.core.actor import Actor, require
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress, Ticker
from civdesk.office import offices as office_service
from civdesk.reports.document import ReportDocument
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.output import CANCELLED, audit_export


def _counts_table(doc: ReportDocument, year: int) -> list:
    rows = [[c.village, c.projects, *(c.children[g] for g in TARGET_GROUPS), c.services, c.attendees]
            for c in minors.counts(year)]
    return doc.chunked_table(["村/社区", "项目", *TARGET_GROUPS, "心理服务次数", "服务人次"], rows)


def minors_report_pdf(path: str | Path, year: int, actor: Actor, *, fonts: FontSet | None = None,
                      date: dt.date | None = None, progress: Progress | None = None,
                      cancelled: CancelCheck | None = None) -> int:
    """Projects of the year with the children helped (names), and the station's records."""
    require(actor, "view_minors")
    require(actor, "export_data")
    year_projects = [p for p in minors.projects() if p.start_date[:4] <= str(year)
                     and (not p.end_date or p.end_date[:4] >= str(year))]
    tick = Ticker(progress, len(year_projects) + 1, "正在生成未成年人关爱工作报告", cancelled, cancel_message=CANCELLED)
    title = f"{year}年未成年人关爱工作情况（内部资料）"
    fonts = fonts or office_fonts()
    named = 0

    def write(target: str) -> int:
        nonlocal named
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, date=date)
        story = [doc.paragraph("本报告含未成年人个人信息，仅供有「未成年人信息」权限的人员使用，不得外传。", "small"),
                 doc.paragraph("一、各村（社区）情况", "heading"), *_counts_table(doc, year),
                 doc.paragraph("二、关爱项目及帮扶对象", "heading")]
        for number, project in enumerate(year_projects, 1):
            kids = minors.children(actor, project.id)
            named += len(kids)
            story += [doc.paragraph(f"{number}. {project.village}：{project.name}（{project.target_group}）", "heading"),
                      doc.paragraph(f"帮扶人员：{project.helpers or '—'}；实施内容：{project.done or '—'}"),
                      *doc.chunked_table(["序号", "姓名", "性别", "出生年份", "学校", "帮扶情况"],
                                         [[i, k.name, k.sex, k.birth_year or "", k.school, k.help_given]
                                          for i, k in enumerate(kids, 1)])]
            tick(number)
        services = minors.services(actor, dt.date(year, 1, 1), dt.date(year, 12, 31))
        story += [Spacer(1, 3 * mm), doc.paragraph("三、心理健康服务站服务记录", "heading"),
                  *doc.chunked_table(["日期", "村/社区", "服务类型", "辅导员", "儿童", "年龄", "人数", "服务情况"],
                                     [[s.day, s.village, s.service, s.counsellor, s.child_name or "—",
                                       s.child_age or "", s.attendees, s.summary] for s in services])]
        if not services:
            story.append(doc.paragraph("本年度没有服务记录。"))
        pages = doc.build(story, subtitle=f"共{len(year_projects)}个项目、{len(services)}条服务记录")
        tick(len(year_projects) + 1)
        return pages

    pages = save_atomically(path, write)
    audit_export(actor, title, path, f"含未成年人信息：{named} 名受助儿童", tbl="act_minor_child")
    return pages
