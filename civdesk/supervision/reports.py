"""督查与整改 PDFs: the 限期整改通知书 as an official letter (GB/T 9704 geometry through the shared
OfficialDocument, the office as sender, the 整改前 photos as its attachment), the 督查通报 (an
official document too, built in :mod:`civdesk.supervision.bulletin`) and its sheet, and the
门前三包责任书.

Every function writes through a temporary file and, given an *actor*, writes the export to the
audit log.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer

from civdesk.core.actor import Actor
from civdesk.core.files import save_atomically
from civdesk.documents import issue
from civdesk.office import offices as office_service
from civdesk.reports.document import ReportDocument, chinese_date
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.output import audit_export
from civdesk.supervision import bulletin, inspections, photos, rectification, summary
from civdesk.xlsx.write import write_table

MAX_PHOTOS = 6


def notice_paragraphs(notice, findings, office: str, deadline) -> list[str]:
    """The letter's text: addressee, what was found, what to do by when, how to report."""
    when = "、".join(sorted({chinese_date(f.day) for f in findings})) or chinese_date(notice.served_date)
    days = f"（{notice.deadline_days}个工作日内）" if notice.deadline_days else ""
    paragraphs = [f"{notice.target_name}：",
                  f"{when}，{office}在{notice.mechanism}督查中发现{'你单位' if notice.target_kind != 'place' else '该处'}"
                  f"存在以下问题："]
    problems = [f.description for f in findings] or [p for p in notice.problems.split("；") if p.strip()]
    paragraphs += [f"{number}．{text}" for number, text in enumerate(problems, start=1)]
    paragraphs += [f"整改要求：{notice.requirements}",
                   f"请于{chinese_date(deadline)}前{days}整改到位，并将整改情况（附整改前后对比照片）书面报送"
                   f"{office}。逾期未整改或复查不合格的，将予以通报并跟踪督办；属于环境卫生长效管理的，"
                   "按规定在文明单位（村、社区）创建中实行「一票否决」。",
                   f"整改责任人：{notice.responsible}"]
    return paragraphs


def _photo_pages(findings, width: float, fonts: FontSet) -> list:
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("caption", fontName=fonts.fangsong, fontSize=12, leading=18, wordWrap="CJK")
    story: list = []
    shown = 0
    for f in findings:
        for photo_id in f.photo_ids:
            if shown >= MAX_PHOTOS:
                return story
            data = photos.data(photo_id)
            picture = Image(io.BytesIO(data))
            scale = min(width / picture.imageWidth, 90 * mm / picture.imageHeight)
            picture.drawWidth, picture.drawHeight = picture.imageWidth * scale, picture.imageHeight * scale
            story.append(KeepTogether([picture, Paragraph(f"整改前：{f.description}（{chinese_date(f.day)}）", style),
                                       Spacer(1, 4 * mm)]))
            shown += 1
    return story


def rectification_notice_pdf(path: str | Path, notice_id: str, *, actor: Actor | None = None,
                             fonts: FontSet | None = None) -> int:
    """限期整改通知书 as an official letter; the 整改前 photos go on the attachment page."""
    notice = rectification.get(notice_id)
    findings = inspections.finding_rows(json.loads(notice.finding_ids or "[]"))
    office = office_service.own_name()
    fonts = fonts or office_fonts()
    paragraphs = notice_paragraphs(notice, findings, office, rectification.served_deadline(notice))

    def write(target: str) -> int:
        doc = issue.official_document(Path(target), "rectification", "限期整改通知书", number=notice.number,
                                      date=notice.served_date, fonts=fonts)
        pictures = _photo_pages(findings, 156 * mm, fonts)
        attachments = [("督查问题照片", pictures)] if pictures else []
        return doc.build(paragraphs, attachments, sign_date=notice.served_date)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, f"限期整改通知书 {notice.number}", path, notice.target_name, tbl="supervision_notice")
    return pages


def _period(month: str | None, quarter: str | None) -> summary.Summary:
    return summary.quarter(quarter) if quarter else summary.month(month or "")


def summary_pdf(path: str | Path, month: str | None = None, *, quarter: str | None = None,
                actor: Actor | None = None, fonts: FontSet | None = None, date=None) -> int:
    """督查通报 of a month ("2026-03") or a quarter ("2026-Q1"): an official document with its
    发文字号 from the register (:mod:`civdesk.supervision.bulletin`)."""
    return bulletin.bulletin_pdf(path, month, quarter=quarter, actor=actor, fonts=fonts, date=date)


def summary_xlsx(path: str | Path, month: str | None = None, *, quarter: str | None = None,
                 actor: Actor | None = None) -> int:
    """The 督查通报's village table as a sheet: problems per mechanism, rectification and the score."""
    data = _period(month, quarter)
    columns = [("名次", 6), ("村/社区", 12), *[(m, 10) for m in data.mechanisms], ("问题合计", 9), ("按期整改", 9),
               ("超期整改", 9), ("逾期未整改", 10), ("应督查", 8), ("已督查", 8), ("得分", 7)]
    rows = []
    for number, line in enumerate(data.ranking, start=1):
        counts = data.by_village.get(line.name, {})
        rows.append([number, line.name, *[counts.get(m, 0) for m in data.mechanisms], line.problems, line.on_time,
                     line.late, line.overdue, line.rounds_due, line.rounds_held, line.score])
    w = data.weights
    note = (f"{data.start} 至 {data.end}。得分 = 100 - 问题数 × {w['problem']} - 超期整改 × {w['late']} - "
            f"逾期未整改 × {w['overdue']} - 未按计划督查 × {w['missed']}，最低 0 分。")
    title = f"{data.label}督查通报"
    count = write_table(path, "督查通报", columns, rows, title=title, note=note)
    if actor is not None:
        audit_export(actor, title, path, f"{count} 个村（社区）", tbl="supervision_notice")
    return count


def agreement_pdf(path: str | Path, holder_id: str, *, actor: Actor | None = None,
                  fonts: FontSet | None = None) -> int:
    """门前三包责任书 of one holder, to print, sign and stamp; the phone is shown in full (it is the
    holder's own document)."""
    from civdesk.supervision import holders

    holder = holders.get(holder_id)
    office = office_service.own_name()
    fonts = fonts or office_fonts()
    title = "门前三包责任书"
    duties = [d.strip() for d in holder.duties.replace(";", "；").split("；") if d.strip()]

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office, fonts=fonts)  # the footer's 打印日期 is today
        story = [doc.key_value_table([("责任户", holder.name), ("类别", holder.kind), ("地址", holder.address),
                                      ("责任人", holder.responsible), ("联系电话", holder.phone or "")], columns=1),
                 doc.paragraph("一、责任范围和内容", "heading"),
                 doc.paragraph(f"责任范围为{holder.name}门前至道路边缘（人行道）的区域，责任户负责以下“三包”：")]
        story += [doc.paragraph(f"{number}．{duty}") for number, duty in enumerate(duties, start=1)]
        story += [doc.paragraph("二、双方责任", "heading"),
                  doc.paragraph(f"责任户按上述要求做好门前责任区的日常管理，接受{office}及村（社区）的检查和督促；"
                                "对检查发现的问题，按整改通知书的要求限期整改。"),
                  doc.paragraph(f"{office}定时巡查，督查结果记入门前三包档案，并作为评选文明商户、文明家庭的依据。"),
                  doc.paragraph("三、其他", "heading"),
                  doc.paragraph("本责任书一式两份，双方各执一份，自签订之日起生效。"),
                  Spacer(1, 14 * mm),
                  doc.key_value_table([("责任单位（盖章）", office), ("责任人（签字）", ""),
                                       ("签订日期", chinese_date(holder.signed_date) if holder.signed_date else
                                        "　　年　　月　　日")], columns=1)]
        return doc.build(story)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, f"{title}（{holder.name}）", path, tbl="supervision_holder")
    return pages
