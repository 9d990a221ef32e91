"""文明创建 PDFs: 申报表 (with self-scores), 测评评分表 (self and assessed per indicator), the
公示名单 (through the shared notice_pdf), the 命名决定 as an official document (GB/T 9704-2012)
and the yearly roster of titled organisations.

Phones are masked (the township holds them in the database); every function writes through a
temporary file and, given an *actor*, checks the permission and writes the export to the audit log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from civdesk.core import validation
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError
from civdesk.core.files import save_atomically
from civdesk.core.jobs import CancelCheck, Progress, Ticker
from civdesk.documents import issue
from civdesk.office import offices as office_service
from civdesk.reports.document import ReportDocument, chinese_date, sign_line
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.output import CANCELLED, audit_export
from civdesk.units import (
    organisations as units,
)
from civdesk.units import (
    scoring as unit_scoring,
)
from civdesk.units import (
    titles as unit_titles,
)
from civdesk.units import (
    workflow as unit_workflow,
)
from civdesk.units.models import Application, Organisation, TitleHeld, points_text, title_text

__all__ = ["application_pdf", "decision_pdf", "notice_pdf", "roster_pdf", "scores_pdf"]


def _village(village_id) -> str:
    row = office_service.get(village_id)
    return row.name if row else "镇级单位"


def _org_pairs(org: Organisation, app: Application) -> list[tuple[str, object]]:
    return [("申报单位", org.name), ("单位类型", org.kind), ("所属村/社区", _village(org.village_id)),
            ("申报称号", f"{app.year}年度{title_text(app.title, app.level, app.model_grade)}"),
            ("地址", org.address or "—"), ("职工数/户数", org.size_count if org.size_count is not None else "—"),
            ("联系人", org.contact_person or "—"), ("联系电话", validation.mask_phone(org.phone) or "—")]


def _score_rows(app: Application, with_assessed: bool) -> tuple[list[list], int, int, int]:
    own = unit_scoring.latest_scores(app.id, "self")
    assessed = unit_scoring.latest_scores(app.id, "assessed")
    rows, max_total = [], 0
    for number, item in enumerate(units.items(app.set_id), 1):
        max_total += item.max_tenths
        mine, theirs = own.get(item.id), assessed.get(item.id)

        def shown(score):
            if score is None:
                return ""
            return f"{score.grade}（{points_text(score.tenths)}）" if score.grade else points_text(score.tenths)

        name = item.name + (f"\n（等次：{item.grades.replace(',', '，')}）" if item.grades else "")
        row = [number, item.group_name, name, points_text(item.max_tenths), shown(mine)]
        if with_assessed:
            row += [shown(theirs), theirs.note if theirs else ""]
        else:
            row += [mine.note if mine else ""]
        rows.append(row)
    return rows, max_total, sum(s.tenths for s in own.values()), sum(s.tenths for s in assessed.values())


def _veto_text(veto) -> str:
    """「一票否决（有效）：情形。理由」 — the state where a reader looks first, not tacked on at the end."""
    state = f"已解除：{veto.lifted_reason}" if veto.lifted else "有效"
    reason = veto.reason.rstrip("。") + "。" if veto.reason else ""
    return f"一票否决（{state}）：{veto.condition}。{reason}"


def _sign_box(doc: ReportDocument, signer: str) -> Paragraph:
    """Room to write an opinion, then (盖章), a signature and the date at the right."""
    gap = "&nbsp;" * 10
    style = ParagraphStyle("sign", parent=doc.styles.cell, alignment=TA_RIGHT)
    return Paragraph(f"<br/><br/><br/>（盖章）{gap}{signer}{gap if signer else ''}年{'&nbsp;' * 6}月{'&nbsp;' * 6}日", style)


def _check(actor: Actor | None, permission: str = "export_data") -> None:
    if actor is not None:
        require(actor, permission)


def application_pdf(path: str | Path, application_id: str, *, actor: Actor | None = None,
                    fonts: FontSet | None = None, date: dt.date | None = None) -> int:
    """申报表: the organisation, the work summary and highlights, self-scores per indicator."""
    _check(actor)
    app = unit_scoring.get(application_id)
    org = units.get_org(app.org_id)
    indicator_set = units.get_set(app.set_id)
    line = units.thresholds(indicator_set)
    rows, max_total, self_total, _ = _score_rows(app, with_assessed=False)
    title = f"{app.year}年度{title_text(app.title, app.level, app.model_grade)}申报表"
    fonts = fonts or office_fonts()

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, date=date)
        story = [doc.key_value_table(_org_pairs(org, app), columns=2, col_widths=[0.13, 0.37, 0.13, 0.37]),
                 Spacer(1, 3 * mm), doc.paragraph("创建工作总结", "heading"),
                 doc.paragraph(app.work_summary or "（未填写）"),
                 doc.paragraph("特色亮点", "heading"), doc.paragraph(app.highlights or "（未填写）"),
                 doc.paragraph(f"自评情况（{indicator_set.name}）", "heading")]
        opinions = [Spacer(1, 3 * mm), doc.paragraph(
            f"自评总分{points_text(self_total)}分（申报需达到{line.self_text}分）。", "small"),
            Spacer(1, 8 * mm),
            doc.key_value_table([(label, _sign_box(doc, sign)) for label, sign in (
                ("申报单位意见", "负责人签字："), ("村（社区）或主管部门意见", ""), ("镇文明办初审意见", ""))],
                col_widths=[0.22, 0.78])]
        # The opinions and signatures never stand alone on a page: the table's last rows go with them.
        story += doc.chunked_table(["序号", "测评项目", "指标内容", "分值", "自评分", "佐证材料说明"],
                                   [*rows, ["", "合计", "", points_text(max_total), points_text(self_total), ""]],
                                   keep_with=opinions)
        return doc.build(story, subtitle=f"申报单位：{org.name}　　状态：{unit_scoring.STATUSES[app.status]}")

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, org.name, tbl="unit_application")
    return pages


def scores_pdf(path: str | Path, application_id: str, *, actor: Actor | None = None, fonts: FontSet | None = None,
               date: dt.date | None = None) -> int:
    """测评评分表: self and assessed score per indicator with totals, thresholds and any veto."""
    _check(actor)
    app = unit_scoring.get(application_id)
    org = units.get_org(app.org_id)
    line = units.thresholds(units.get_set(app.set_id))
    rows, max_total, self_total, assessed_total = _score_rows(app, with_assessed=True)
    title = f"{app.year}年度{title_text(app.title, app.level, app.model_grade)}测评评分表"
    vetoes = unit_workflow.vetoes(app.id)
    fonts = fonts or office_fonts()

    def write(target: str) -> int:
        doc = ReportDocument(target, title, office_service.own_name(), fonts=fonts, date=date)
        story = [doc.key_value_table([("被测评单位", org.name), ("所属村/社区", _village(org.village_id)),
                                      ("自评总分", f"{points_text(self_total)}分"),
                                      ("测评总分", f"{points_text(assessed_total)}分"),
                                      ("通过分数", f"{line.pass_text}分"),
                                      ("一票否决", "、".join(v.condition for v in vetoes if not v.lifted) or "无")],
                                     columns=2, col_widths=[0.13, 0.37, 0.13, 0.37]), Spacer(1, 3 * mm)]
        notes = [doc.paragraph(_veto_text(veto), "small") for veto in vetoes]
        signature = [Spacer(1, 10 * mm), sign_line(doc, ["测评人（签字）：", "复核人（签字）：",
                                                          "日期：　　　　年　　月　　日"])]
        # The veto notes and the signature stay on the page of the table's last rows.
        story += doc.chunked_table(["序号", "测评项目", "指标内容", "分值", "自评", "测评", "评分说明"],
                                   [*rows, ["", "合计", "", points_text(max_total), points_text(self_total),
                                            points_text(assessed_total), ""]], keep_with=[*notes, *signature])
        return doc.build(story, subtitle=f"状态：{unit_scoring.STATUSES[app.status]}")

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, org.name, tbl="unit_application")
    return pages


def notice_pdf(path: str | Path, notice_id: str, *, actor: Actor | None = None) -> int:
    """公示名单 of a unit notice, through the shared official notice layout."""
    from civdesk.notices import pdf as shared
    from civdesk.notices import public_notices as notices

    _check(actor)
    notice = notices.get(notice_id)
    pages = shared.write_notice_list(path, notice, columns=("单位名称", "拟命名称号"))
    if actor is not None:
        audit_export(actor, notice.title, path, tbl="public_notice")
    return pages


def named_in(year: int, decision_number: str | None = None) -> list[tuple[Application, Organisation]]:
    query = (Application.select(Application, Organisation)
             .join(Organisation, on=(Organisation.id == Application.org_id))
             .where((Application.year == year) & (Application.status == "named") & (Application.deleted == False)))  # noqa: E712
    if decision_number:
        query = query.where(Application.decision_number == decision_number)
    return [(app, app.organisation) for app in query.order_by(Application.title, Organisation.name_pinyin)]


def decision_pdf(path: str | Path, year: int, *, decision_number: str | None = None, actor: Actor | None = None,
                 fonts: FontSet | None = None) -> int:
    """命名决定 of the year (or of one decision number) in GB/T 9704-2012 geometry."""
    _check(actor)
    if decision_number is None:  # the year's latest decision, only what it named
        latest = max(((app.decision_date, app.decision_number) for app, _ in named_in(year) if app.decision_date),
                     default=None)
        decision_number = latest[1] if latest else None
    named = named_in(year, decision_number)
    if not named:
        raise CivDeskError(f"{year} 年度还没有已命名的申报" + (f"（文号 {decision_number}）" if decision_number else "")
                           + "，没有可以生成的命名决定。")
    number = decision_number or named[0][0].decision_number
    day = max(app.decision_date for app, _ in named if app.decision_date)
    groups: dict[str, list[str]] = {}
    for app, org in named:
        groups.setdefault(title_text(app.title, app.level, app.model_grade), []).append(org.name)
    numerals = "一二三四五六七八九十"
    paragraphs = ["各村（社区）、镇属各单位：",
                  f"{year}年，全镇各村（社区）和各单位深入开展精神文明创建活动，创建工作取得明显成效。"
                  f"经申报、初审、实地测评和公示，公示期间无异议（或异议经核实不成立），"
                  f"决定命名{len(named)}个单位（村、社区）为{year}年度文明单位（村、社区）。名单如下："]
    for index, (name, members) in enumerate(groups.items()):
        paragraphs += [f"{numerals[index] if index < 10 else index + 1}、{name}（{len(members)}个）", "、".join(members)]
    term = named[0][0] and TitleHeld.get_or_none(TitleHeld.application_id == named[0][0].id)
    years = term.term_years if term else 3
    paragraphs += [f"称号有效期{years}年，实行动态管理，每年复查一次，复查不合格的予以摘牌。",
                   "希望受到命名的单位（村、社区）珍惜荣誉，再接再厉，巩固和深化创建成果，充分发挥示范带动作用。"
                   "各村（社区）、各单位要以先进为榜样，积极投身精神文明创建，为建设文明和谐美丽乡镇作出新的贡献。"]
    title = f"关于命名{year}年度文明单位（村、社区）的决定"
    fonts = fonts or office_fonts()

    def write(target: str) -> int:
        doc = issue.official_document(Path(target), "unit_decision", title, number=number, date=day, fonts=fonts,
                                      cc="区文明办")
        return doc.build(paragraphs, sign_date=day)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, title, path, f"{number}，{len(named)} 个单位", tbl="unit_title")
    return pages


def roster_pdf(path: str | Path, year: int, *, actor: Actor | None = None, fonts: FontSet | None = None,
               date: dt.date | None = None, progress: Progress | None = None,
               cancelled: CancelCheck | None = None) -> int:
    """文明单位（村、社区）名录 of a year: titles held during it, with their status at year end."""
    _check(actor)
    tick = Ticker(progress, 2, "正在生成名录", cancelled, cancel_message=CANCELLED)
    found = unit_titles.roster(year)
    end = min(dt.date(year, 12, 31), date or dt.date.today())
    rows = []
    for number, (title, org) in enumerate(found, 1):
        reviewed = "、".join(f"{r.year}年{'保留' if r.outcome == 'keep' else '摘牌'}"
                             for r in unit_titles.reviews(title.id))
        rows.append([number, org.name, org.kind, _village(org.village_id),
                     title_text(title.title, title.level, title.model_grade), str(title.year),
                     title.decision_number or "—", title.valid_until.isoformat(),
                     unit_titles.status_text(title, end) + (f"\n{title.revoked_reason}" if title.status == "revoked" else ""),
                     reviewed or "—"])
    tick(1)
    report_title = f"{year}年度文明单位（村、社区）名录"
    fonts = fonts or office_fonts()
    active = sum(1 for t, _ in found if unit_titles.effective_status(t, end) == "active")

    def write(target: str) -> int:
        doc = ReportDocument(target, report_title, office_service.own_name(), fonts=fonts, landscape=True, date=date)
        table = doc.chunked_table(["序号", "单位名称", "类型", "村/社区", "称号", "命名年度", "命名文号", "有效期至",
                                   "状态", "复查情况"], rows)
        empty = [] if rows else [doc.paragraph("这一年度没有持有文明称号的单位。")]
        pages = doc.build([*table, *empty], subtitle=f"截至{chinese_date(end)}　共{len(rows)}个称号，其中有效{active}个")
        tick(2)
        return pages

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, report_title, path, f"{len(rows)} 个称号", tbl="unit_title")
    return pages
