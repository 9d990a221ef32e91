"""督查通报 of a month or a quarter as an official document (the shared model: GB/T 9704 geometry,
the issuing body set for 「督查通报」 in 设置 with its red head, a 发文字号 from the register, the
版记 on the last page).

The body says in sentences what the figures say: 总体情况, 问题分布, 排名情况, 逾期未整改问题 and
工作要求; the tables and the chart are its attachments (附件1 问题分布 with the chart, 附件2 the
ranking with how the score is counted, 附件3 the overdue notices when there are any).

The number is registered once per period (ref 「督查通报 2026-03」): printing the same month again
gives the same number; the next period's bulletin gets the next number of the body's year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from civdesk.core.actor import Actor
from civdesk.core.files import save_atomically
from civdesk.documents import issue
from civdesk.documents import service as documents
from civdesk.reports.charts import bar_chart
from civdesk.reports.document import chinese_date
from civdesk.reports.fonts import FontSet, office_fonts
from civdesk.reports.output import audit_export
from civdesk.supervision import summary
from civdesk.supervision.models import NOTICE_STATES

KIND = "supervision_bulletin"
SHOWN_OVERDUE = 5  # overdue notices named in the body; the rest are in 附件3


def _issuer() -> str:
    """The body that issues the bulletin (设置 → 发文机关), named in its text."""
    return documents.body_for(KIND).full_name


def title_of(data: summary.Summary) -> str:
    return f"关于{data.label}督查整改情况的通报"


def ref_of(month: str | None, quarter: str | None) -> str:
    return f"督查通报 {quarter or month}"


def _joined(parts: list[str]) -> str:
    return "、".join(parts)


def _distribution(data: summary.Summary) -> list[str]:
    if not data.problems:
        return ["本期督查未发现问题。"]
    per_mechanism: dict[str, int] = {}
    for counts in data.by_village.values():
        for mechanism, count in counts.items():
            per_mechanism[mechanism] = per_mechanism.get(mechanism, 0) + count
    mechanisms = sorted(per_mechanism.items(), key=lambda item: (-item[1], item[0]))
    villages = sorted(((name, sum(c.values())) for name, c in data.by_village.items()), key=lambda i: (-i[1], i[0]))
    text = (f"从长效机制看，{_joined([f'{m}{n}个' for m, n in mechanisms])}。"
            f"从村（社区）看，问题较多的是{_joined([f'{v}（{n}个）' for v, n in villages[:3]])}。"
            "各村（社区）、各长效机制的问题数见附件1。")
    return [text]


def _ranking(data: summary.Summary) -> list[str]:
    lines = data.ranking
    if not lines:
        return ["本期没有参加排名的村（社区）。"]
    full = [v for v in lines if v.score == 100]
    if len(full) > 3:
        text = f"按照附件2所列的计分办法，本期{len(full)}个村（社区）没有扣分（100分）"
    else:
        text = f"按照附件2所列的计分办法，本期得分排在前列的是{_joined([f'{v.name}（{v.score}分）' for v in lines[:3]])}"
    bottom = [v for v in lines[3:] if v.score < lines[0].score][-2:]
    if bottom:
        text += f"；排名靠后的是{_joined([f'{v.name}（{v.score}分）' for v in bottom])}"
    return [text + "。各村（社区）得分和扣分情况见附件2。"]


def _overdue(data: summary.Summary, office: str) -> list[str]:
    rows = data.overdue_rows
    if not rows:
        return ["本期没有逾期未整改的问题。"]
    named = []
    for r in rows[:SHOWN_OVERDUE]:
        where = "" if r.target_name.startswith(r.village_name) else r.village_name
        named.append(f"{where}{r.target_name}（{r.number}，整改期限{chinese_date(r.deadline)}，"
                     f"已逾期{r.overdue_workdays}个工作日{'，已督办' if r.escalated else ''}）")
    more = f"等{len(rows)}份整改通知书，清单见附件3" if len(rows) > SHOWN_OVERDUE else ""
    return [f"截至{chinese_date(data.end)}，{_joined(named)}{more}逾期未整改。请相关村（社区）和责任单位立即整改到位，"
            f"并将整改情况书面报送{office}；属于环境卫生长效管理的，按规定在文明单位（村、社区）创建中实行“一票否决”。"]


def paragraphs(data: summary.Summary, office: str) -> list[str]:
    """The body of the bulletin: addressee, what was done, the five parts."""
    return [
        "各村（社区）、镇属各单位：",
        f"{chinese_date(data.start)}至{chinese_date(data.end)}，{office}按照镇容管理长效化工作要求，"
        f"对各村（社区）长效机制落实情况开展督查，对发现的问题以书面形式限期整改、跟踪督办。现将有关情况通报如下：",
        "一、总体情况",
        f"本期共开展督查{data.inspections}次（其中村、社区自查{data.self_inspections}次），按计划应督查"
        f"{data.rounds_due}次，已督查{data.rounds_held}次。共发现问题{data.problems}个；整改通知书按期整改{data.on_time}件，"
        f"超期整改{data.late}件，逾期未整改{data.overdue}件（其中督办{data.escalated}件），尚在整改期限内{data.open}件。",
        "二、问题分布",
        *_distribution(data),
        "三、排名情况",
        *_ranking(data),
        "四、逾期未整改问题",
        *_overdue(data, office),
        "五、工作要求",
        "各村（社区）要对照本通报指出的问题，举一反三，建立问题台账，落实整改责任人和整改时限，做到条查块改、块查条改、"
        f"自查自改，确保按期整改到位。{office}将继续开展定期督查和跟踪督办，督查结果纳入年终考核。",
    ]


def _distribution_attachment(doc, data: summary.Summary) -> list:
    short = [m.replace("与公共场所卫生", "").replace("/", "／") for m in data.mechanisms]
    rows = [[name, *[counts.get(m, 0) or "" for m in data.mechanisms], sum(counts.values())]
            for name, counts in sorted(data.by_village.items())]
    if rows:
        rows.append(["合计", *[sum(c.get(m, 0) for c in data.by_village.values()) or "" for m in data.mechanisms],
                     data.problems])
    share = 0.74 / max(1, len(short))
    widths = [0.16, *[share] * len(short), 0.10]
    story = doc.table(["村（社区）", *short, "合计"], rows or [["本期没有发现问题", *[""] * (len(short) + 1)]], widths)
    labels = [line.name for line in data.ranking]
    story += [Spacer(1, 6 * mm), bar_chart("各村（社区）发现问题数", labels, [line.problems for line in data.ranking], "个",
                                           fonts=doc.fonts, width_mm=156, height_mm=70)]
    return story


def _ranking_attachment(doc, data: summary.Summary) -> list:
    w = data.weights
    rule = (f"得分＝100－问题数×{w['problem']}－超期整改件数×{w['late']}－逾期未整改件数×{w['overdue']}"
            f"－未按计划督查次数×{w['missed']}，最低0分；得分相同的，问题少的在前。")
    rows = [[n, v.name, v.problems, v.on_time, v.late, v.overdue, f"{v.rounds_held}/{v.rounds_due}", v.score]
            for n, v in enumerate(data.ranking, start=1)]
    table = doc.table(["名次", "村（社区）", "问题数", "按期整改", "超期整改", "逾期未整改", "已督查／应督查", "得分"],
                      rows or [["", "（没有村、社区）", "", "", "", "", "", ""]],
                      [0.07, 0.17, 0.1, 0.13, 0.13, 0.16, 0.14, 0.1])
    return [rule, Spacer(1, 3 * mm), *table]


def _overdue_attachment(doc, data: summary.Summary) -> list:
    rows = [[r.number, r.village_name, r.target_name, r.mechanism, r.deadline.isoformat(),
             str(r.overdue_workdays), "督办" if r.escalated else NOTICE_STATES["overdue"]]
            for r in data.overdue_rows]
    # The unit in the header (「8个工作日」 in a narrow cell broke before its last character); widths
    # from content, so a 文号 breaks at most before 〔.
    table = doc.table(["文号", "村（社区）", "整改对象", "长效机制", "整改期限", "逾期（工作日）", "状态"], rows)
    return [f"截至{chinese_date(data.end)}，共{len(rows)}份整改通知书逾期未整改：", Spacer(1, 3 * mm), *table]


def bulletin_pdf(path: str | Path, month: str | None = None, *, quarter: str | None = None,
                 actor: Actor | None = None, fonts: FontSet | None = None, date: dt.date | None = None) -> int:
    """督查通报 of a month ("2026-03") or a quarter ("2026-Q1") as an official document; returns
    its pages. *date* (the 成文日期, default today, never before the period's end) decides the
    year of its 发文字号."""
    data = summary.quarter(quarter) if quarter else summary.month(month or "")
    office = _issuer()
    fonts = fonts or office_fonts()
    title = title_of(data)
    day = max(date or dt.date.today(), data.end)
    number = issue.number_for(actor, KIND, ref_of(month, quarter), day.year, title)
    body = paragraphs(data, office)

    def write(target: str) -> int:
        doc = issue.official_document(Path(target), KIND, title, number=number, date=day, fonts=fonts,
                                      cc="镇党委、政府领导")
        attachments = [(f"{data.label}各村（社区）问题分布", _distribution_attachment(doc, data)),
                       (f"{data.label}各村（社区）得分排名", _ranking_attachment(doc, data))]
        if data.overdue_rows:
            attachments.append(("逾期未整改的整改通知书清单", _overdue_attachment(doc, data)))
        return doc.build(body, attachments, sign_date=day)

    pages = save_atomically(path, write)
    if actor is not None:
        audit_export(actor, f"{title}（{number}）", path, f"{data.problems} 个问题", tbl="supervision_notice")
    return pages
