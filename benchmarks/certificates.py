"""1,000 志愿服务记录证明 in one PDF: issuing (register, numbers, check codes, audit) plus
rendering, beside ReportLab drawing the same 1,000 pages of plain text on a canvas with the same
fonts, measured in the same run (median of N runs each). Goal: under 15 s.

    python benchmarks/certificates.py [--volunteers 1000] [--records 12] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from common import median, report

GOAL_SECONDS = 15.0


def build_database(path: Path, volunteers: int, records: int) -> tuple:
    from civdesk.core import changes, db
    from civdesk.core.actor import Actor
    from civdesk.demo.volunteers import ACTIVITY_KINDS, id_number
    from civdesk.office import accounts, setup
    from civdesk.volunteers import roster as volunteer_service
    from civdesk.volunteers import teams
    from civdesk.volunteers.models import ServiceApproval, ServiceRecord, Volunteer

    db.open_database(path)
    admin = setup.initialize(setup.SetupRequest(
        office_name="清溪镇", kind="township", node_name="文明办电脑", admin_username="admin",
        admin_password="Bench#2024x", sync_passphrase="bench-passphrase-88", admin_display_name="王主任"))
    accounts.add_user(admin, "zhangli", "张丽", "clerk", "Clerk#2024x")
    accounts.add_user(admin, "lixiuying", "李秀英", "reviewer", "Review#2024x")
    clerk, reviewer = Actor("zhangli", "张丽", "clerk"), Actor("lixiuying", "李秀英", "reviewer")
    rng = random.Random(7)
    start = dt.date(2025, 1, 1)
    activities = [teams.create_activity(clerk, {
        "name": name, "start_date": start, "end_date": dt.date(2025, 12, 31), "content": content,
        "service_category": category}) for name, category, content in ACTIVITY_KINDS]
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高", "建国秀英明华志强丽娟海燕文杰晓东春梅玉兰国平"
    prefix = volunteer_service.number_prefix()
    people = []
    for n in range(volunteers):
        sex = rng.choice(("男", "女"))
        birth = dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        people.append({"number": f"{prefix}{n + 1:06d}", "name": rng.choice(surnames) + rng.choice(given[::2]) +
                       rng.choice(given[1::2]), "sex": sex, "birth_date": birth,
                       "id_number": id_number(rng, birth, sex), "join_date": start - dt.timedelta(days=rng.randint(1, 700)),
                       "phone": f"13{rng.randint(0, 999999999):09d}"})
    ids = changes.create_many(Volunteer, clerk, people)
    rows = []
    for vid in ids:
        for k in range(records):
            activity = rng.choice(activities)
            rows.append({"volunteer_id": vid, "activity_id": activity.id,
                         "service_date": start + dt.timedelta(days=k * 25 + rng.randint(0, 20)),
                         "half_hours": rng.choice((2, 3, 4, 5, 6, 8)), "content": activity.content})
    record_ids = changes.create_many(ServiceRecord, clerk, rows)
    changes.create_many(ServiceApproval, reviewer, [{"record_id": rid, "decision": "approved"} for rid in record_ids])
    return clerk, ids


def baseline(path: Path, details, fonts) -> float:
    """The same pages as plain lines of text drawn on a canvas: no layout, no tables, no QR."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from civdesk.volunteers.certificate_pdf import statement

    started = time.perf_counter()
    canvas = Canvas(str(path), pagesize=A4, initialFontName=fonts.body)
    for cert in details:
        y = 780
        canvas.setFont(fonts.title, 26)
        canvas.drawCentredString(A4[0] / 2, y, "志愿服务记录证明")
        canvas.setFont(fonts.body, 10.5)
        lines = [f"证明编号：{cert.number}", f"姓名 {cert.name} 性别 {cert.sex}",
                 f"证件类型 {cert.id_type} 证件号码 {cert.id_number}", f"志愿者编号 {cert.volunteer_number}",
                 *statement(cert)]
        lines += [f"{r.date.isoformat()} {r.activity} {r.content} {r.half_hours / 2:g}" for r in cert.records[-8:]]
        lines += [f"记录单位：{cert.unit_name}", f"校验码：{cert.check_code}", "第 1 页 共 1 页"]
        for line in lines:
            y -= 20
            canvas.drawString(50, y, line[:60])
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--volunteers", type=int, default=1000)
    parser.add_argument("--records", type=int, default=12, help="approved service records per volunteer")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from civdesk.core import db
    from civdesk.reports.fonts import office_fonts
    from civdesk.volunteers import certificates
    from civdesk.volunteers.certificate_pdf import certificate_pdf

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        clerk, ids = build_database(folder / "bench.sqlite3", args.volunteers, args.records)
        print(f"setup: {args.volunteers} volunteers, {args.volunteers * args.records} approved records "
              f"in {time.perf_counter() - started:.1f} s")
        fonts = office_fonts()  # resolved once, as the application does; not part of either timing
        ours, issuing, pages = [], [], 0
        last = []
        for run in range(args.runs):
            started = time.perf_counter()
            issued = certificates.issue_batch(clerk, ids)
            middle = time.perf_counter()
            pages = certificate_pdf(folder / f"certificates-{run}.pdf", issued, actor=clerk, fonts=fonts)
            ours.append(time.perf_counter() - started)
            issuing.append(middle - started)
            last = issued
        assert pages == args.volunteers, pages
        details = certificates.details(last)
        base = [baseline(folder / f"baseline-{run}.pdf", details, fonts) for run in range(args.runs)]
        size = (folder / "certificates-0.pdf").stat().st_size
        db.close_database()
    print(f"{pages} pages, {size / 1e6:.1f} MB; issuing alone {median(issuing):.2f} s (median)")
    report([(f"issue + render {args.volunteers} certificates", median(ours), " s", median(base),
             f"canvas drawing {args.volunteers} pages of plain text")])
    verdict = "met" if median(ours) < GOAL_SECONDS else "MISSED"
    print(f"goal: under {GOAL_SECONDS:g} s for 1,000 certificates — {verdict}")


if __name__ == "__main__":
    main()
