"""Volunteer PDFs: certificates (see certificate_pdf), hours over a period, the roster, statistics.

Lists show ID numbers and phones masked; only the certificate prints the full ID number. Each
function writes through a temporary file renamed at the end; given an *actor* it checks the
export permission and writes the export to the audit log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peewee import fn
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from civdesk.core import merges as merging
from civdesk.core import validation
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress, Ticker
from civdesk.office import offices as office_service
from civdesk.reports.charts import bar_chart, pie_chart
from civdesk.reports.document import ReportDocument, chinese_date
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.numbers import number
from civdesk.reports.output import CANCELLED, audit_export
from civdesk.volunteers import hours as hours_service
from civdesk.volunteers import roster as volunteer_service
from civdesk.volunteers import stats as volunteer_stats
from civdesk.volunteers.models import Activity, ServiceRecord, Team, TeamMember, Volunteer
from civdesk.volunteers.roster import VolunteerFilter

_BLOCK = 500

__all__ = ["hours_report", "hours_rows", "roster_pdf", "stats_pdf"]


# --- hours, roster, statistics ---------------------------------------------------------------------


def _hours(value: float) -> str:
    return number(round(value, 1))


def _period(date_from: dt.date, date_to: dt.date) -> str:
    return f"{chinese_date(date_from)}至{chinese_date(date_to)}"


def _check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise validation.ValidationError({"date_to": f"截止日期 {date_to.isoformat()} 早于起始日期 {date_from.isoformat()}"})


def _villages() -> dict[str, str]:
    return office_service.names("village")


def team_and_subteams(team_id: str) -> list[str]:
    """The team and every team under it (a 总队 counts its 分队)."""
    children: dict[str | None, list[str]] = {}
    for tid, parent in Team.select(Team.id, Team.parent_id).where(Team.deleted == False).tuples():  # noqa: E712
        children.setdefault(parent, []).append(tid)
    found, stack = [], [team_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _approved_in(date_from: dt.date, date_to: dt.date, team_id: str | None, activity_id: str | None, *columns):
    query = ServiceRecord.select(*columns).where(
        hours_service.decided("approved") & (ServiceRecord.service_date >= date_from)
        & (ServiceRecord.service_date <= date_to))
    if activity_id:
        query = query.where(ServiceRecord.activity_id == activity_id)
    if team_id:
        members = TeamMember.select(TeamMember.volunteer_id).where(
            (TeamMember.team_id << team_and_subteams(team_id)) & (TeamMember.deleted == False))  # noqa: E712
        query = query.where(ServiceRecord.volunteer_id.in_(members))
    return query


def hours_rows(date_from: dt.date, date_to: dt.date, *, team_id: str | None = None,
               activity_id: str | None = None) -> tuple[list[dict], list[tuple[str, float]]]:
    """Per-volunteer approved hours in the period (most hours first) and hours by month."""
    records = fn.SUM(ServiceRecord.corrects_id.is_null().cast("INTEGER"))
    merged = merging.merges(Volunteer)
    summed: dict[str, list[int]] = {}
    for vid, half, count in (_approved_in(date_from, date_to, team_id, activity_id, ServiceRecord.volunteer_id,
                                          fn.SUM(ServiceRecord.half_hours), records)
                             .group_by(ServiceRecord.volunteer_id).tuples()):
        into = summed.setdefault(merged.survivor(vid), [0, 0])  # a merged person's hours: the person kept
        into[0] += half or 0
        into[1] += count or 0
    totals = [(vid, half, count) for vid, (half, count) in summed.items()]
    villages = _villages()
    people: dict[str, Volunteer] = {}
    ids = [vid for vid, _, _ in totals]
    for i in range(0, len(ids), _BLOCK):
        people.update((v.id, v) for v in Volunteer.select(
            Volunteer.id, Volunteer.name, Volunteer.number, Volunteer.id_number, Volunteer.village_id,
            Volunteer.name_pinyin).where(Volunteer.id << ids[i:i + _BLOCK]))
    rows = []
    for vid, half, count in totals:
        v = people.get(vid)
        if v is None or not half:
            continue
        rows.append({"volunteer_id": vid, "number": v.number, "name": v.name,
                     "id_masked": validation.mask_id_number(v.id_number), "village": villages.get(v.village_id, ""),
                     "records": int(count or 0), "hours": half / 2, "_key": v.name_pinyin})
    rows.sort(key=lambda row: (-row["hours"], row["_key"], row["number"]))
    month = fn.SUBSTR(ServiceRecord.service_date, 1, 7)
    found = dict(_approved_in(date_from, date_to, team_id, activity_id, month, fn.SUM(ServiceRecord.half_hours))
                 .group_by(month).tuples())
    months, cursor = [], date_from.replace(day=1)
    while cursor <= date_to:
        key = cursor.strftime("%Y-%m")
        months.append((key, (found.get(key) or 0) / 2))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return rows, months


def _month_labels(months: list[tuple[str, float]]) -> list[str]:
    years = {key[:4] for key, _ in months}
    return [f"{int(key[5:])}月" if len(years) == 1 else f"{key[2:4]}年{int(key[5:])}月" for key, _ in months]


def hours_report(path: str | Path, date_from: dt.date, date_to: dt.date, *, team_id: str | None = None,
                 activity_id: str | None = None, actor: Actor | None = None, fonts: FontSet | None = None,
                 date: dt.date | None = None, progress: Progress | None = None,
                 cancelled: CancelCheck | None = None) -> int:
    """志愿服务时长统计表 of a team, an activity or everyone over a period; returns the page count."""
    if actor is not None:
        require(actor, "export_data")
    _check_period(date_from, date_to)
    scope, title = "全部志愿者", "志愿服务时长统计表"
    if team_id:
        team = Team.get_or_none(Team.id == team_id)
        if team is None:
            raise CivDeskError("找不到这支志愿队伍。")
        scope = f"志愿队伍：{team.name}（含下级队伍，按现有成员统计）"
    if activity_id:
        activity = Activity.get_or_none(Activity.id == activity_id)
        if activity is None:
            raise CivDeskError("找不到这个活动。")
        scope = (scope + "；" if team_id else "") + f"活动：{activity.name}"
    tick = Ticker(progress, 3, "正在生成时长统计表", cancelled, cancel_message=CANCELLED)
    rows, months = hours_rows(date_from, date_to, team_id=team_id, activity_id=activity_id)
    tick(1)
    fonts = fonts or office_fonts()
    total = sum(row["hours"] for row in rows)
    records = sum(row["records"] for row in rows)

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, date=date)
        summary = doc.key_value_table([
            ("统计范围", scope), ("统计期间", _period(date_from, date_to)),
            ("参与志愿者", f"{len(rows)}人"), ("服务记录", f"{records}条"),
            ("累计服务时长", f"{_hours(total)}小时"),
            ("人均服务时长", f"{_hours(total / len(rows))}小时" if rows else "—")], columns=2,
            col_widths=[0.14, 0.36, 0.14, 0.36])
        chart = bar_chart("按月服务时长", _month_labels(months), [h for _, h in months], "小时", fonts=fonts,
                          width_mm=170, height_mm=70)
        note = doc.paragraph("只统计已审核的服务记录（含已审核的更正记录）；证件号码已隐去中间位。", "small")
        table = doc.chunked_table(["序号", "志愿者编号", "姓名", "证件号码", "村/社区", "记录数", "时长（小时）"],
                                  [[i + 1, row["number"], row["name"], row["id_masked"], row["village"],
                                    row["records"], float(row["hours"])] for i, row in enumerate(rows)])
        tick(2)
        empty = [] if rows else [doc.paragraph("统计期间内没有已审核的服务记录。")]
        pages = doc.build([summary, chart, note, *table, *empty], subtitle=_period(date_from, date_to))
        tick(3)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{scope}，{_period(date_from, date_to)}，{len(rows)} 人（证件号码已隐去）",
                     tbl="service_record")
    return pages


def _filter_text(flt: VolunteerFilter) -> str:
    parts = []
    if flt.status:
        parts.append({"active": "在册", "left": "已退出"}.get(flt.status, flt.status))
    else:
        parts.append("全部（含已退出）")
    if flt.village_id:
        parts.append(f"村/社区：{_villages().get(flt.village_id, flt.village_id)}")
    if flt.team_id:
        team = Team.get_or_none(Team.id == flt.team_id)
        parts.append(f"队伍：{team.name if team else flt.team_id}")
    if flt.text:
        parts.append(f"筛选：{flt.text}")
    return "，".join(parts)


def roster_pdf(path: str | Path, flt: VolunteerFilter | None = None, *, actor: Actor | None = None,
               fonts: FontSet | None = None, date: dt.date | None = None, progress: Progress | None = None,
               cancelled: CancelCheck | None = None) -> int:
    """志愿者花名册 (landscape), ID numbers and phones masked; returns the page count."""
    if actor is not None:
        require(actor, "export_data")
    flt = flt or VolunteerFilter()
    title = "志愿者花名册"
    ids = volunteer_service.matching_ids(flt, sort="number")
    tick = Ticker(progress, len(ids) + 1, "正在生成花名册", cancelled, cancel_message=CANCELLED)
    from civdesk.volunteers.stats import STAR_NAMES

    rows = []
    for start in range(0, len(ids), _BLOCK):
        block = ids[start:start + _BLOCK]
        found = volunteer_service.rows(block, today=date)
        for vid in block:
            r = found.get(vid)
            if r is None:
                continue
            rows.append([len(rows) + 1, r.number, r.name, r.sex, r.age if r.age is not None else "", r.id_masked,
                         r.phone_masked, r.village, r.join_date, float(r.hours),
                         STAR_NAMES[r.stars] if r.stars < len(STAR_NAMES) else f"{r.stars}星", r.status])
        tick(start + len(block))
    fonts = fonts or office_fonts()
    description = _filter_text(flt)

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, landscape=True, date=date)
        table = doc.chunked_table(
            ["序号", "志愿者编号", "姓名", "性别", "年龄", "证件号码", "联系电话", "村/社区", "注册日期",
             "时长（小时）", "星级", "状态"], rows)
        empty = [] if rows else [doc.paragraph("没有符合条件的志愿者。")]
        pages = doc.build([*table, *empty], subtitle=f"{description}　共{len(rows)}人　（证件号码、联系电话已隐去中间位）")
        tick(len(ids) + 1)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{description}，{len(rows)} 人（证件号码、电话已隐去中间位）", tbl="volunteer")
    return pages


def stats_pdf(path: str | Path, date_from: dt.date, date_to: dt.date, *, actor: Actor | None = None,
              fonts: FontSet | None = None, date: dt.date | None = None, progress: Progress | None = None,
              cancelled: CancelCheck | None = None) -> int:
    """志愿服务统计: figures and charts of volunteer_stats.compute; returns the page count."""
    if actor is not None:
        require(actor, "export_data")
    _check_period(date_from, date_to)
    title = "志愿服务统计"
    tick = Ticker(progress, 2, "正在生成统计报表", cancelled, cancel_message=CANCELLED)
    stats = volunteer_stats.compute(date_from, date_to)
    tick(1)
    fonts = fonts or office_fonts()

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, date=date)
        heading_style = ParagraphStyle("heading_next", parent=doc.styles.heading, keepWithNext=1)

        def heading(text: str) -> Paragraph:
            return Paragraph(text, heading_style)  # stays on the page of the table it heads

        served = stats.served_volunteers
        figures = doc.key_value_table([
            ("在册志愿者", f"{stats.volunteers_active}人"), ("已退出", f"{stats.volunteers_left}人"),
            ("期间新注册", f"{stats.volunteers_new}人"), ("参加服务", f"{served}人"),
            ("累计服务时长", f"{_hours(stats.total_hours)}小时"),
            ("人均服务时长", f"{_hours(stats.total_hours / served)}小时" if served else "—")],
            columns=2, col_widths=[0.16, 0.34, 0.16, 0.34])
        month_chart = bar_chart("按月服务时长", _month_labels(stats.by_month), [h for _, h in stats.by_month], "小时",
                                fonts=fonts, width_mm=170, height_mm=68)
        villages = stats.by_village[:15]
        village_chart = bar_chart("各村（社区）服务时长", [name for name, _ in villages], [h for _, h in villages],
                                  "小时", fonts=fonts, width_mm=170, height_mm=72)
        star_chart = pie_chart("志愿者星级分布（在册，按累计时长）", [name for name, _ in stats.stars],
                               [n for _, n in stats.stars], fonts=fonts, width_mm=170, height_mm=62)
        story = [figures, month_chart, village_chart, star_chart]
        if stats.by_team:
            story += [heading("各志愿队伍服务时长"),
                      *doc.chunked_table(["序号", "志愿队伍", "服务时长（小时）"],
                                         [[i + 1, name, float(h)] for i, (name, h) in enumerate(stats.by_team)])]
        if stats.by_village:
            story += [heading("各村（社区）服务时长"),
                      *doc.chunked_table(["序号", "村/社区", "服务时长（小时）"],
                                         [[i + 1, name, float(h)] for i, (name, h) in enumerate(stats.by_village)])]
        story += [Spacer(1, 3 * mm), doc.paragraph("时长只统计已审核的服务记录；星级按截至今日的累计已审核时长认定。", "small")]
        pages = doc.build(story, subtitle=_period(date_from, date_to))
        tick(2)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, _period(date_from, date_to))
    return pages
