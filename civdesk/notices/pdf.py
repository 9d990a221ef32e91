"""公示名单: a public notice as an official document (GB/T 9704-2012), the list in the body."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Spacer

from civdesk.core.files import save_atomically
from civdesk.documents import issue
from civdesk.notices import public_notices as notices
from civdesk.notices.models import PublicNotice
from civdesk.reports.document import chinese_date


def default_body(notice: PublicNotice, count: int) -> str:
    return f"经推荐、审核，现将以下{count}个对象予以公示。"


def paragraphs_for(notice: PublicNotice, count: int) -> list[str]:
    lines = [notice.body or default_body(notice, count),
             f"公示时间：{chinese_date(notice.start_date)}至{chinese_date(notice.end_date)}。"]
    if notice.contact:
        lines.append(f"公示期间，对公示对象如有异议，请以真实姓名通过以下方式反映：{notice.contact}。"
                     "反映情况应实事求是，我们将对反映人的信息严格保密。")
    else:
        lines.append("公示期间，对公示对象如有异议，请以真实姓名向本单位反映。反映情况应实事求是，"
                     "我们将对反映人的信息严格保密。")
    return lines


def write_notice_list(path, notice: PublicNotice, *, columns: tuple[str, str] = ("名称", "说明"),
                      office_name: str | None = None) -> int:
    """Write the notice with its list; returns the page count."""
    rows = notices.candidates(notice.id)
    signature = office_name
    header = ["序号", *columns]
    table_rows = [[str(n), row.name, row.detail] for n, row in enumerate(rows, 1)]

    def write(target: str) -> int:
        doc = issue.official_document(Path(target), "public_notice", notice.title, date=notice.start_date)
        table = doc.table(header, table_rows)  # widths from the content: a name column as wide as the names
        body = paragraphs_for(notice, len(rows))
        gap = Spacer(0, 10)  # the table is not on the line grid: keep it off the text around it
        return doc.build([body[0], gap, *table, gap, *body[1:]], signature=signature or doc.office_name,
                         sign_date=notice.start_date)

    return save_atomically(path, write)
