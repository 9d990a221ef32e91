"""The monthly 热线工单通报 (an official document: 版头, 发文字号 from the register, body, attachments
with the tables and charts, 版记) and the month's tickets as a sheet (callers masked)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress, Ticker
from civdesk.documents import issue
from civdesk.hotline import board, hot, stats
from civdesk.hotline.models import Ticket
from civdesk.hotline.terms import STATES
from civdesk.office import settings
from civdesk.reports.charts import bar_chart, pie_chart
from civdesk.reports.document import chinese_date
from civdesk.reports.fonts import FontSet
from civdesk.reports.official import OfficialDocument
from civdesk.reports.output import audit_export
from civdesk.xlsx.write import write_table

__all__ = ["month_pdf", "month_xlsx"]


def hotline_title() -> str:
    return f"{settings.get('hotline.number')}{settings.get('hotline.name')}"


def _month_words(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def _summary(found: stats.MonthFigures) -> str:
    merged = f"（另有重复来电 {found.merged} 件已合并）" if found.merged else ""
    top = "、".join(f"{name} {n} 件" for name, n in found.by_category[:3]) or "无"
    return (f"{_month_words(found.month)}，共受理{hotline_title()}转办及来电、来访、网络、信件诉求 {found.received} 件{merged}，"
            f"按类别居前的是：{top}。按时签收率 {found.sign.text}，按期办结率 {found.handle.text}，"
            f"回访满意率 {found.satisfaction.text}。截至{chinese_date(found.as_of)}，逾期未办结 {len(found.overdue)} 件，"
            f"热点问题 {len(found.hot_issues)} 个。")


def _counts_text(pairs: list[tuple[str, int]]) -> str:
    return "、".join(f"{name} {n} 件" for name, n in pairs if n) or "无"


def _assignee_text(found: stats.MonthFigures) -> str:
    if not found.by_assignee:
        return "本月受理的工单尚未派单。"
    parts = []
    for f in found.by_assignee:
        late = f"，逾期未办结 {f.overdue} 件" if f.overdue else ""
        parts.append(f"{f.name}承办 {f.received} 件，按期办结率 {f.handle.text}{late}")
    return "；".join(parts) + "。"


def _overdue_text(found: stats.MonthFigures) -> str:
    if not found.overdue:
        return f"截至{chinese_date(found.as_of)}，没有逾期未办结的工单。"
    names = "、".join(sorted({r.assignee for r in found.overdue if r.assignee})) or "承办单位"
    escalated = sum(1 for r in found.overdue if r.escalation == "supervise")
    return (f"截至{chinese_date(found.as_of)}，逾期未办结 {len(found.overdue)} 件（清单见附件2），其中列入督办 {escalated} 件，"
            f"涉及{names}。请以上单位抓紧办理，办结后及时答复来电人。")


def _hot_text(found: stats.MonthFigures) -> str:
    threshold = settings.get("hotline.hot_threshold")
    if not found.hot_issues:
        return f"本月没有同一村（社区）同一类别达到 {threshold} 件的热点问题。"
    parts = [f"{h.village}「{h.category}」{h.count} 件（" + (f"已于{chinese_date(h.meeting_date)}召开现场办公会"
             if h.closed else "尚未召开现场办公会") + "）" for h in found.hot_issues]
    open_ones = sum(1 for h in found.hot_issues if not h.closed)
    ask = f"尚未召开现场办公会的 {open_ones} 个热点问题，请所在村（社区）会同镇文明办尽快召开。" if open_ones else ""
    return f"同一村（社区）同一类别一个月内达到 {threshold} 件的热点问题 {len(found.hot_issues)} 个：" + "；".join(parts) + "。" + ask


def _paragraphs(found: stats.MonthFigures) -> list[str]:
    return [
        "各村（社区）、镇属各单位：",
        f"现将{_month_words(found.month)}{hotline_title()}工单办理情况通报如下。",
        "一、总体情况",
        _summary(found),
        "计算口径：" + "".join(stats.DEFINITIONS.values()),
        "二、受理情况",
        f"按类型：{_counts_text(found.by_kind)}。按类别：{_counts_text(found.by_category)}。"
        f"按村（社区）：{_counts_text(found.by_village)}。统计表见附件1。",
        "三、承办单位办理情况",
        _assignee_text(found),
        "四、逾期未办结工单",
        _overdue_text(found),
        "五、热点问题",
        _hot_text(found),
    ]


def _count_rows(pairs: list[tuple[str, int]], total: int) -> list[list]:
    rows = [[name, n, f"{n / total:.1%}" if total else "—"] for name, n in pairs]
    return [*rows, ["合计", total, "100%" if total else "—"]]


def _figures_attachment(doc: OfficialDocument, found: stats.MonthFigures) -> list:
    fonts, total = doc.fonts, found.received
    story = [doc.key_value_table([("受理件数", f"{found.received} 件"), ("合并重复", f"{found.merged} 件"),
                                  ("按时签收率", found.sign.text), ("按期办结率", found.handle.text),
                                  ("回访满意率", found.satisfaction.text), ("逾期未办结", f"{len(found.overdue)} 件")],
                                 columns=2, col_widths=[0.16, 0.34, 0.16, 0.34]),
             Spacer(1, 3 * mm)]
    for label, pairs in (("类型", found.by_kind), ("类别", found.by_category), ("村（社区）", found.by_village)):
        story += [*doc.table([label, "件数", "占比"], _count_rows(pairs, total), [0.5, 0.25, 0.25]), Spacer(1, 3 * mm)]
    if found.by_assignee:
        rows = [[f.name, "部门" if f.kind == "department" else "村（社区）", f.received, f.handle.text, f.overdue]
                for f in found.by_assignee]
        story += [*doc.table(["承办单位", "类别", "承办件数", "按期办结率", "逾期未办结"], rows,
                             [0.26, 0.14, 0.14, 0.3, 0.16]), Spacer(1, 3 * mm)]
    story += [bar_chart("各类别受理件数", [n for n, _ in found.by_category], [c for _, c in found.by_category], "件",
                        fonts=fonts, width_mm=150, height_mm=62),
              pie_chart("回访结果", [n for n, _ in found.visits], [c for _, c in found.visits], fonts=fonts,
                        width_mm=150, height_mm=52)]
    return story


def _overdue_rows(found: stats.MonthFigures) -> list[list]:
    return [[r.number, r.received_at[:10], r.village or "镇级", f"{r.category}{r.kind}", r.assignee,
             f"{r.due_label[:2]}{r.due}", r.overdue_workdays, r.escalation_label] for r in found.overdue]


def _hot_rows(found: stats.MonthFigures) -> list[list]:
    return [[h.village, h.category, h.count, "、".join(h.numbers),
             f"已于 {h.meeting_date} 召开现场办公会" if h.closed else "未召开现场办公会"] for h in found.hot_issues]


def _attachments(doc: OfficialDocument, found: stats.MonthFigures) -> list:
    found_list = [("热线工单办理情况统计表", _figures_attachment(doc, found))]
    if found.overdue:
        found_list.append(("逾期未办结工单清单", doc.table(
            ["工单编号", "受理日期", "村（社区）", "问题", "承办单位", "期限", "逾期工作日", "处理"], _overdue_rows(found),
            [0.26, 0.11, 0.1, 0.1, 0.11, 0.14, 0.09, 0.09])))
    if found.hot_issues:
        found_list.append(("热点问题及现场办公会情况", doc.table(
            ["村（社区）", "类别", "件数", "工单编号", "闭环情况"], _hot_rows(found), [0.15, 0.12, 0.08, 0.4, 0.25])))
    return found_list


def month_title(month: str) -> str:
    return f"关于{_month_words(month)}热线工单办理情况的通报"


def month_pdf(path: str | Path, month, *, actor: Actor | None = None, fonts: FontSet | None = None,
              as_of: dt.date | None = None, date: dt.date | None = None, progress: Progress | None = None,
              cancelled: CancelCheck | None = None) -> int:
    """热线工单月度通报, an official document of the body that issues it (设置 → 发文机关) under its
    registered 发文字号 (the same number when the month is printed again); returns the page count."""
    if actor is not None:
        require(actor, "export_data")
    month = hot.month_text(month)
    tick = Ticker(progress, 2, "正在生成热线工单月度通报", cancelled, cancel_message="已取消，没有生成 PDF 文件。")
    found = stats.figures(month, as_of)
    tick(1)
    day = date or dt.date.today()
    title = month_title(month)
    number = issue.number_for(actor, "hotline_bulletin", month, day.year, title)

    def write(target: str) -> int:
        doc = issue.official_document(Path(target), "hotline_bulletin", title, number=number, date=day, fonts=fonts,
                                      cc="区文明办", note="本通报不列出来电人姓名和电话")
        pages = doc.build(_paragraphs(found), attachments=_attachments(doc, found), sign_date=day)
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
