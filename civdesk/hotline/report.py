"""The monthly 热线工单通报 (PDF) and the month's tickets as a sheet (callers masked)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress, Ticker
from civdesk.hotline import board, hot, stats
from civdesk.hotline.models import Ticket
from civdesk.hotline.terms import STATES
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.reports.charts import bar_chart, pie_chart
from civdesk.reports.document import ReportDocument, chinese_date
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.output import audit_export
from civdesk.xlsx.write import write_table

__all__ = ["month_pdf", "month_xlsx"]


def _office_name() -> str:
    own = office_service.own_office_or_none()
    return own.name if own else ""


def hotline_title() -> str:
    return f"{settings.get('hotline.number')}{settings.get('hotline.name')}"


def _month_words(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def _summary(found: stats.MonthFigures) -> str:
    merged = f"（另有重复来电 {found.merged} 件已合并）" if found.merged else ""
    top = "、".join(f"{name} {n} 件" for name, n in found.by_category[:3]) or "无"
    return (f"{_month_words(found.month)}共受理{hotline_title()}及来电、来访、网络、信件诉求 {found.received} 件{merged}，"
            f"按类别居前的是：{top}。按时签收率 {found.sign.text}，按期办结率 {found.handle.text}，"
            f"回访满意率 {found.satisfaction.text}。截至 {chinese_date(found.as_of)}，逾期未办结 {len(found.overdue)} 件，"
            f"热点问题 {len(found.hot_issues)} 个。")


def _count_table(doc: ReportDocument, label: str, pairs: list[tuple[str, int]], total: int) -> list:
    rows = [[name, n, f"{n / total:.1%}" if total else "—"] for name, n in pairs]
    return doc.chunked_table([label, "件数", "占比"], [*rows, ["合计", total, "100%" if total else "—"]],
                             [0.5, 0.25, 0.25])


def _overdue_rows(found: stats.MonthFigures) -> list[list]:
    return [[r.number, r.received_at[:10], r.village or "镇级", f"{r.category}{r.kind}", r.assignee,
             f"{r.due_label[:2]}{r.due}", r.overdue_workdays, r.escalation_label] for r in found.overdue]


def _hot_rows(found: stats.MonthFigures) -> list[list]:
    return [[h.village, h.category, h.count, "、".join(h.numbers),
             f"已于 {h.meeting_date} 召开现场办公会" if h.closed else "未召开现场办公会"] for h in found.hot_issues]


def _story(doc: ReportDocument, found: stats.MonthFigures, fonts: FontSet) -> list:
    heading_style = ParagraphStyle("heading_next", parent=doc.styles.heading, keepWithNext=1)

    def heading(text: str) -> Paragraph:
        return Paragraph(text, heading_style)

    story = [heading("一、总体情况"), doc.paragraph(_summary(found)),
             doc.key_value_table([("受理件数", f"{found.received} 件"), ("合并重复", f"{found.merged} 件"),
                                  ("按时签收率", found.sign.text), ("按期办结率", found.handle.text),
                                  ("回访满意率", found.satisfaction.text), ("逾期未办结", f"{len(found.overdue)} 件")],
                                 columns=2, col_widths=[0.16, 0.34, 0.16, 0.34]),
             Spacer(1, 2 * mm), *[doc.paragraph(text, "small") for text in stats.DEFINITIONS.values()],
             bar_chart("各类别受理件数", [n for n, _ in found.by_category], [c for _, c in found.by_category], "件",
                       fonts=fonts, width_mm=170, height_mm=66),
             heading("二、按类型"), *_count_table(doc, "类型", found.by_kind, found.received),
             heading("三、按类别"), *_count_table(doc, "类别", found.by_category, found.received),
             heading("四、按村（社区）"), *_count_table(doc, "村（社区）", found.by_village, found.received),
             pie_chart("回访结果", [n for n, _ in found.visits], [c for _, c in found.visits], fonts=fonts,
                       width_mm=170, height_mm=52),
             heading("五、逾期未办结工单")]
    if found.overdue:
        story += doc.chunked_table(["工单编号", "受理日期", "村（社区）", "问题", "承办单位", "期限", "逾期工作日", "处理"],
                                   _overdue_rows(found), [0.17, 0.105, 0.1, 0.13, 0.12, 0.165, 0.11, 0.08])
    else:
        story.append(doc.paragraph("本月没有逾期未办结的工单。"))
    story.append(heading("六、热点问题"))
    if found.hot_issues:
        story += doc.chunked_table(["村（社区）", "类别", "件数", "工单编号", "闭环情况"], _hot_rows(found),
                                   [0.13, 0.12, 0.08, 0.42, 0.25])
    else:
        story.append(doc.paragraph(f"本月没有同一村（社区）同一类别达到 {settings.get('hotline.hot_threshold')} 件的热点问题。"))
    story += [Spacer(1, 3 * mm), doc.paragraph("来电人姓名和电话属于个人信息，本通报不列出。", "small")]
    return story


def month_pdf(path: str | Path, month, *, actor: Actor | None = None, fonts: FontSet | None = None,
              as_of: dt.date | None = None, date: dt.date | None = None, progress: Progress | None = None,
              cancelled: CancelCheck | None = None) -> int:
    """热线工单月度通报; returns the page count."""
    if actor is not None:
        require(actor, "export_data")
    month = hot.month_text(month)
    tick = Ticker(progress, 2, "正在生成热线工单月度通报", cancelled, cancel_message="已取消，没有生成 PDF 文件。")
    found = stats.figures(month, as_of)
    tick(1)
    fonts = fonts or office_fonts()
    title = f"{_month_words(month)}热线工单办理情况通报"

    def write(target: str) -> int:
        doc = ReportDocument(target, title, _office_name(), fonts=fonts, date=date)
        pages = doc.build(_story(doc, found, fonts), subtitle=f"{hotline_title()}　统计截至 {chinese_date(found.as_of)}")
        tick(2)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{found.received} 件", tbl="hotline_ticket")
    return pages


COLUMNS = [("工单编号", 18, "text"), ("受理时间", 17, "text"), ("来源渠道", 9), ("来电人", 8), ("联系电话", 14, "text"),
           ("地址", 20), ("村（社区）", 10), ("类型", 6), ("类别", 10), ("诉求内容", 40), ("紧急", 5), ("状态", 8),
           ("承办单位", 12), ("签收期限", 11), ("办理期限", 11), ("答复时间", 17, "text"), ("回访结果", 9),
           ("重办次数", 8), ("合并到", 18, "text")]


def month_xlsx(actor: Actor, path: str | Path, month, *, as_of: dt.date | None = None,
               progress: Progress | None = None, cancelled: CancelCheck | None = None) -> int:
    """The month's tickets as a sheet, the caller's name and phone masked; returns the row count."""
    require(actor, "export_data")
    month = hot.month_text(month)
    found = sorted(board.rows(month=month, as_of=as_of), key=lambda r: r.number)
    full = dict(Ticket.select(Ticket.id, Ticket.content).where(Ticket.id << [r.id for r in found]).tuples())
    replied = dict(Ticket.select(Ticket.id, Ticket.replied_at).where(Ticket.id << [r.id for r in found]).tuples())

    def rows():
        for r in found:
            yield [r.number, r.received_at, r.channel, r.caller_name, r.caller_phone, r.address, r.village, r.kind,
                   r.category, full.get(r.id, r.summary), r.urgent, STATES[r.state], r.assignee, r.sign_due,
                   r.handle_due, replied.get(r.id) or "", r.visit_result, r.redo_count, r.merged_into]

    path = Path(path)
    count = write_table(path, "热线工单", COLUMNS, list(rows()), title=f"{_month_words(month)}热线工单",
                        note=f"{hotline_title()}；来电人姓名和电话已隐去部分内容", progress=progress,
                        cancelled=cancelled)
    changes.write_audit(actor, "export", tbl="hotline_ticket", record_label="热线工单",
                        note=f"导出 {_month_words(month)} {count} 件工单到「{path.name}」（来电人已隐去）")
    return count
