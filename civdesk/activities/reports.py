"""活动与阵地 PDFs: the year's 我们的节日 plan, a month's activity report with photos, a 道德讲堂's
yearly register. Children's names appear in none of them (see minors_report for the one that
has them). Each writes through a temporary file and, given an *actor*, checks the export
permission and writes the export to the audit log."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path, PurePath

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from civdesk.activities import festival_plans, halls, photos, records
from civdesk.activities.terms import KINDS
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress, Ticker
from civdesk.office import offices as office_service
from civdesk.reports.document import ReportDocument, chinese_date
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.numbers import quantity
from civdesk.reports.output import CANCELLED, audit_export

__all__ = ["festival_plan_pdf", "hall_register_pdf", "month_report_pdf"]

WEEKDAYS = "一二三四五六日"
PHOTOS_PER_ACTIVITY = 4
_THUMB_PX = 900


def check(actor: Actor | None) -> None:
    if actor is not None:
        require(actor, "export_data")


def photo_flowable(data: bytes, width: float, height: float) -> Flowable:
    """A photo scaled to fit, re-encoded small (a phone photo would make a huge PDF)."""
    from PIL import Image as PilImage

    with PilImage.open(io.BytesIO(data)) as picture:
        picture = picture.convert("RGB")
        picture.thumbnail((_THUMB_PX, _THUMB_PX))
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=80)
    image = Image(io.BytesIO(buffer.getvalue()))
    scale = min(width / image.imageWidth, height / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _weekday(day: str) -> str:
    return "星期" + WEEKDAYS[dt.date.fromisoformat(day).weekday()]


# --- 我们的节日 plan --------------------------------------------------------------------------


def _plan_rows(year: int, village_id: str | None) -> list[list]:
    rows = []
    for festival in festival_plans.year_plan(year, village_id):
        day = dt.date.fromisoformat(festival.day)
        when = f"{day.month}月{day.day}日{_weekday(festival.day)}"  # one line: the column is measured for it
        if not festival.plans:
            rows.append([festival.name, when, "（尚未制定计划）", "", "", "", ""])
        for plan in festival.plans:
            rows.append([festival.name, when, plan.title, plan.village or "全镇", plan.place or "—",
                         plan.organiser or "—", plan.content or "—"])
    return rows


def festival_plan_pdf(path: str | Path, year: int, *, village_id: str | None = None, actor: Actor | None = None,
                      fonts: FontSet | None = None, date: dt.date | None = None, progress: Progress | None = None,
                      cancelled: CancelCheck | None = None) -> int:
    """The year's 我们的节日 plan: every festival's date and the activities planned or held for it."""
    check(actor)
    tick = Ticker(progress, 2, "正在生成我们的节日活动计划", cancelled, cancel_message=CANCELLED)
    try:
        rows = _plan_rows(year, village_id)
    except ValueError as exc:
        raise CivDeskError(str(exc)) from None
    tick(1)
    title = f"{year}年“我们的节日”主题活动计划"
    planned = sum(1 for r in rows if r[3])
    village = office_service.get(village_id).name if village_id else ""
    fonts = fonts or office_fonts()

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, landscape=True, date=date)
        table = doc.chunked_table(["节日", "日期", "活动名称", "村/社区", "地点", "组织单位", "活动内容"], rows)
        note = doc.paragraph("节日日期按农历和节气计算（除夕为春节前一天）；烈士纪念日为9月30日，国家公祭日为12月13日。",
                             "small")
        pages = doc.build([*table, Spacer(1, 3 * mm), note],
                          subtitle=(f"{village}　" if village else "") + f"共{len(festival_plans.TEMPLATES)}个节日、"
                                   f"{planned}项活动")
        tick(2)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{planned} 项活动", tbl="act_record")
    return pages


# --- a month's activities with photos ---------------------------------------------------------


def _summary(doc: ReportDocument, found: list[records.ActivityRow]) -> list[Flowable]:
    rows = []
    for code, label in KINDS.items():
        mine = [r for r in found if r.kind == code]
        if mine:
            rows.append([label, len(mine), sum(r.participants for r in mine), sum(r.volunteers for r in mine),
                         sum(r.volunteer_hours for r in mine)])
    rows.append(["合计", len(found), sum(r.participants for r in found), sum(r.volunteers for r in found),
                 sum(r.volunteer_hours for r in found)])
    return doc.chunked_table(["类型", "活动次数", "参与人次", "志愿者人次", "志愿服务时长（小时）"], rows)


def photo_caption(row, number: int) -> str:
    """Under a photo: its caption, else the name the clerk gave the file (「河道」), else 「现场照片N」 —
    never a camera's 「IMG_20261105_093012.jpg」 or an extension."""
    if row.caption:
        return row.caption
    stem = PurePath(row.file_name).stem
    return stem if any("\u4e00" <= ch <= "\u9fff" for ch in stem) else f"现场照片{number}"


def _photo_grid(doc: ReportDocument, record_id: str) -> list[Flowable]:
    shown = photos.photos(record_id)[:PHOTOS_PER_ACTIVITY]
    if not shown:
        return []
    width = (doc.width - 6 * mm) / 2
    cells = []
    for number, row in enumerate(shown, start=1):
        try:
            image = photo_flowable(photos.photo_bytes(row.id), width, 60 * mm)
        except CivDeskError as exc:  # a photo still on its way by sync
            image = doc.paragraph(str(exc), "small")
        cells.append([image, doc.paragraph(photo_caption(row, number), "small")])
    grid = [[cells[i], cells[i + 1] if i + 1 < len(cells) else ""] for i in range(0, len(cells), 2)]
    table = Table(grid, colWidths=[width + 3 * mm] * 2, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def _activity_block(doc: ReportDocument, number: int, row: records.ActivityRow) -> list[Flowable]:
    day = dt.date.fromisoformat(row.day)
    heading = doc.paragraph(f"{number}. {day.month}月{day.day}日　{row.title}", "heading")
    pairs = [("类型", row.kind_label + (f"（{row.festival}）" if row.festival else "")), ("状态", row.status_label),
             ("村/社区", row.village or "全镇"), ("地点", row.place or "—"), ("组织单位", row.organiser or "—"),
             ("参与人数", f"{row.participants}人"),
             ("志愿服务", f"{row.volunteers}人，{quantity(row.volunteer_hours, '小时')}" if row.volunteers else "—"),
             ("照片", f"{row.photo_count}张")]
    details = doc.key_value_table(pairs, [0.12, 0.38, 0.12, 0.38], columns=2)
    content = doc.paragraph(f"活动内容：{row.content}" if row.content else "活动内容：—")
    return [KeepTogether([heading, details, Spacer(1, 2 * mm), content]), *_photo_grid(doc, row.id),
            Spacer(1, 4 * mm)]


def month_report_pdf(path: str | Path, year: int, month: int, *, village_id: str | None = None,
                     actor: Actor | None = None, fonts: FontSet | None = None, date: dt.date | None = None,
                     progress: Progress | None = None, cancelled: CancelCheck | None = None) -> int:
    """活动开展情况 of a month: a summary by kind, then each activity with its photos."""
    check(actor)
    if not 1 <= month <= 12:
        raise CivDeskError(f"月份应为 1 到 12，当前为 {month}")
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    found = [r for r in records.rows(first, last, village_id=village_id) if r.status != "cancelled"]
    tick = Ticker(progress, len(found) + 1, "正在生成月度活动报告", cancelled, cancel_message=CANCELLED)
    title = f"{year}年{month}月文明实践活动开展情况"
    fonts = fonts or office_fonts()

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, date=date)
        story = [*_summary(doc, found), Spacer(1, 5 * mm)]
        for number, row in enumerate(found, 1):
            story += _activity_block(doc, number, row)
            tick(number)
        if not found:
            story.append(doc.paragraph("本月没有登记活动。"))
        pages = doc.build(story, subtitle=f"{chinese_date(first)}至{chinese_date(last)}　共{len(found)}项活动")
        tick(len(found) + 1)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{len(found)} 项活动", tbl="act_record")
    return pages


# --- 道德讲堂 register ------------------------------------------------------------------------


def _parts_text(parts: list[dict]) -> str:
    return "\n".join(f"{p['part']}" + (f"：{p['content']}" if p.get("content") else "") for p in parts) or "—"


def hall_register_pdf(path: str | Path, hall_id: str, year: int, *, actor: Actor | None = None,
                      fonts: FontSet | None = None, date: dt.date | None = None, progress: Progress | None = None,
                      cancelled: CancelCheck | None = None) -> int:
    """A hall's yearly register: each session's date, story, storyteller, parts and attendance."""
    check(actor)
    hall = halls.get_hall(hall_id)
    found = halls.sessions(hall.id, year)
    tick = Ticker(progress, 2, "正在生成道德讲堂活动登记簿", cancelled, cancel_message=CANCELLED)
    rows = []
    for number, s in enumerate(found, 1):
        story = s.story_title or "—"
        if s.nominee_name:
            story += f"\n（好人：{s.nominee_name}）"
        rows.append([number, f"{s.day}\n{_weekday(s.day)}", story, s.story_kind or "—", s.storyteller or "—",
                     _parts_text(s.parts), s.attendance])
    if rows:
        rows.append(["合计", f"{len(found)}次", "", "", "", "", sum(s.attendance for s in found)])
    tick(1)
    title = f"{hall.name}{year}年度活动登记簿"
    fonts = fonts or office_fonts()

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, landscape=True, date=date)
        table = doc.chunked_table(["序号", "日期", "讲述的故事", "故事类别", "讲述人", "活动环节", "参加人数"], rows)
        empty = [] if rows else [doc.paragraph("这一年度没有登记活动。")]
        where = "　".join(x for x in (hall.kind, hall.address) if x)
        pages = doc.build([*table, *empty], subtitle=f"{where}　共{len(found)}次活动")
        tick(2)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{len(found)} 次活动", tbl="act_hall_session")
    return pages

