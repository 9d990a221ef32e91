"""督查与整改 PDFs: the 限期整改通知书 as an official letter (GB/T 9704 geometry through the shared
OfficialDocument, the office as sender, the 整改前 photos as its attachment) and the monthly
督查通报 (figures, a chart, the ranking of villages and the overdue list).

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
from civdesk.office import offices as office_service
from civdesk.reports.charts import bar_chart
from civdesk.reports.document import ReportDocument, chinese_date
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.official import OfficialDocument
from civdesk.reports.output import audit_export
from civdesk.supervision import inspections, photos, rectification, summary
from civdesk.supervision.models import NOTICE_STATES
from civdesk.xlsx.write import write_table

MAX_PHOTOS = 6


def _office_name() -> str:
    own = office_service.own_office_or_none()
    return own.name if own else ""


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
            story.append(KeepTogether([picture, Paragraph(f"整改前：{f.description}（{f.day}）", style),
                                       Spacer(1, 4 * mm)]))
            shown += 1
    return story


def rectification_notice_pdf(path: str | Path, notice_id: str, *, actor: Actor | None = None,
                             fonts: FontSet | None = None) -> int:
    """限期整改通知书 as an official letter; the 整改前 photos go on the attachment page."""
    notice = rectification.get(notice_id)
    findings = inspections.finding_rows(json.loads(notice.finding_ids or "[]"))
    office = _office_name()
    fonts = fonts or office_fonts()
    paragraphs = notice_paragraphs(notice, findings, office, rectification.served_deadline(notice))

    def write(target: str) -> int:
        doc = OfficialDocument(Path(target), "限期整改通知书", office, doc_number=notice.number,
                               date=notice.served_date, fonts=fonts)
        pictures = _photo_pages(findings, 156 * mm, fonts)
        attachments = [("督查问题照片", pictures)] if pictures else []
        return doc.build(paragraphs, attachments, signature=office, sign_date=notice.served_date)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, f"限期整改通知书 {notice.number}", path, notice.target_name, tbl="supervision_notice")
    return pages


def _tables(doc: ReportDocument, data: summary.Summary) -> list:
    story = [doc.paragraph("一、总体情况", "heading"),
             doc.key_value_table([("督查次数", f"{data.inspections} 次（其中村、社区自查 {data.self_inspections} 次）"),
                                  ("计划督查", f"应督查 {data.rounds_due} 次，已督查 {data.rounds_held} 次"),
                                  ("发现问题", f"{data.problems} 个"),
                                  ("整改情况", f"按期整改 {data.on_time} 件，超期整改 {data.late} 件，"
                                              f"逾期未整改 {data.overdue} 件（其中督办 {data.escalated} 件），"
                                              f"整改期限内 {data.open} 件")], columns=1),
             doc.paragraph("二、问题分布（按村、社区和长效机制）", "heading")]
    short = [m.replace("与公共场所卫生", "") for m in data.mechanisms]
    rows = [[name, *[counts.get(m, 0) for m in data.mechanisms], sum(counts.values())]
            for name, counts in sorted(data.by_village.items())]
    story += doc.chunked_table(["村/社区", *short, "合计"], rows or [["（本期没有发现问题）", *[""] * (len(short) + 1)]])
    labels = [line.name for line in data.ranking]
    story += [Spacer(1, 4 * mm), bar_chart("各村（社区）发现问题数", labels, [line.problems for line in data.ranking], "个",
                                           fonts=doc.fonts, width_mm=240, height_mm=70)]
    w = data.weights
    ranking = [doc.paragraph("三、村（社区）排名", "heading"),
               doc.paragraph(f"得分 = 100 - 问题数 × {w['problem']} - 超期整改 × {w['late']} - 逾期未整改 × {w['overdue']}"
                             f" - 未按计划督查 × {w['missed']}（最低 0 分；扣分标准在“设置 → 参数 → 督查整改”中调整）。")]
    ranking += doc.chunked_table(["名次", "村/社区", "问题数", "按期整改", "超期整改", "逾期未整改", "应督查", "已督查", "得分"],
                               [[n, v.name, v.problems, v.on_time, v.late, v.overdue, v.rounds_due, v.rounds_held,
                                 v.score] for n, v in enumerate(data.ranking, start=1)])
    story.append(KeepTogether(ranking))
    story.append(doc.paragraph("四、逾期未整改的通知书", "heading"))
    overdue = [[r.number, r.village_name, r.target_name, r.mechanism, r.deadline.isoformat(),
                f"{r.overdue_workdays} 个工作日", "督办" if r.escalated else NOTICE_STATES["overdue"]]
               for r in data.overdue_rows]
    story += doc.chunked_table(["文号", "村/社区", "整改对象", "长效机制", "整改期限", "逾期", "状态"],
                               overdue) if overdue else [doc.paragraph("本期没有逾期未整改的通知书。")]
    return story


def _period(month: str | None, quarter: str | None) -> summary.Summary:
    return summary.quarter(quarter) if quarter else summary.month(month or "")


def summary_pdf(path: str | Path, month: str | None = None, *, quarter: str | None = None,
                actor: Actor | None = None, fonts: FontSet | None = None) -> int:
    """督查通报 of a month ("2026-03") or a quarter ("2026-Q1")."""
    data = _period(month, quarter)
    fonts = fonts or office_fonts()
    title = f"{data.label}督查通报"

    def write(target: str) -> int:
        doc = ReportDocument(target, title, _office_name(), fonts=fonts, landscape=True, date=data.end)
        return doc.build(_tables(doc, data), subtitle=f"{data.start} 至 {data.end}")

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{data.problems} 个问题", tbl="supervision_notice")
    return pages




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
    office = _office_name()
    fonts = fonts or office_fonts()
    title = "门前三包责任书"
    duties = [d.strip() for d in holder.duties.replace(";", "；").split("；") if d.strip()]

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office, fonts=fonts, date=holder.signed_date)
        story = [doc.key_value_table([("责任户", holder.name), ("类别", holder.kind), ("地址", holder.address),
                                      ("责任人", holder.responsible), ("联系电话", holder.phone or "")], columns=1),
                 doc.paragraph("一、责任范围和内容", "heading"),
                 doc.paragraph(f"责任范围为{holder.name}门前至道路边缘（人行道）的区域，责任户负责以下“三包”：")]
        story += [doc.paragraph(f"{number}．{duty}") for number, duty in enumerate(duties, start=1)]
        story += [doc.paragraph("二、双方责任", "heading"),
                  doc.paragraph(f"责任户按上述要求做好门前责任区的日常管理，接受{office}及村（社区）的检查和督促；"
                                "对检查发现的问题，按整改通知书的要求限期整改。"),
                  doc.paragraph(f"{office}定时巡查，督查结果记入门前三包档案，并作为评选文明商户、文明家庭的依据。"),
                  doc.paragraph("三、本责任书一式两份，双方各执一份，自签订之日起生效。", "heading"),
                  Spacer(1, 14 * mm),
                  doc.key_value_table([("责任单位（盖章）", office), ("责任人（签字）", ""),
                                       ("签订日期", chinese_date(holder.signed_date) if holder.signed_date else
                                        "　　年　　月　　日")], columns=1)]
        return doc.build(story)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, f"{title}（{holder.name}）", path, tbl="supervision_holder")
    return pages
