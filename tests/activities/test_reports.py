"""活动与阵地 PDFs and sheets read back: pdftotext gets the text exactly; children's names appear
only in the minors' report, which only 未成年人信息 may write."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from openpyxl import load_workbook

from civdesk.activities import (
    festival_plans,
    halls,
    minors,
    minors_report,
    placements,
    records,
    reports,
    sheets,
)
from civdesk.calendar import festivals
from civdesk.core.audit_log import AuditEntry
from civdesk.core.errors import PermissionDenied
from tests.activities.helpers import CLERK, jpeg, png, villages, volunteer
from tests.reports.test_reports_infra import page_count, pdftotext

TODAY = dt.date.today()
YEAR = TODAY.year


def flat(pdf) -> str:
    return re.sub(r"\s+", "", pdftotext(pdf, layout=False))


def images(pdf) -> int:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    return len(out.splitlines()) - 2


def test_the_festival_plan_lists_every_festival_and_its_plans(admin, tmp_path):
    ids = villages(admin, "桂花村")
    festival_plans.plan_festival(CLERK, YEAR + 1, "春节", village_id=ids["桂花村"], place="村文化广场",
                                 today=dt.date(YEAR + 1, 1, 1) - dt.timedelta(days=300))
    pdf = tmp_path / "plan.pdf"
    pages = reports.festival_plan_pdf(pdf, YEAR + 1, actor=CLERK)
    text = flat(pdf)
    assert pages == page_count(pdf) >= 1
    for name, day in festivals.festivals(YEAR + 1):
        assert re.search(rf"^{name}\s+{day.month}月{day.day}日星期{reports.WEEKDAYS[day.weekday()]}\s",
                         pdftotext(pdf), re.M), name  # on its row, the date on one line
    assert f"{YEAR + 1}年“我们的节日·春节”文明过" in text and "村文化广场" in text and "桂花村" in text
    assert text.count("（尚未制定计划）") == 9 and "第1页共1页" in text
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1


def test_the_month_report_has_each_activity_with_its_photos(admin, tmp_path):
    day = TODAY.replace(day=1)
    wang = volunteer("王秀英", 11)
    records.create(CLERK, {"kind": "志愿服务", "title": "清洁家园", "day": day, "participants": 20,
                           "content": "清理河道垃圾"}, photo_files=[("河边合影.png", png(800, 600)),
                                                                 ("IMG_20261105_0930.jpg", jpeg(600, 800))],
                   volunteers=[(wang.id, 3)])
    records.create(CLERK, {"kind": "三美", "title": "最美庭院评选", "day": day, "participants": 15})
    project = minors.create_project(CLERK, {"village_id": villages(admin, "桂花村")["桂花村"], "name": "四点半课堂",
                                            "target_group": "留守儿童", "start_date": day})
    minors.add_child(admin, project.id, {"name": "刘小明"})
    pdf = tmp_path / "month.pdf"
    reports.month_report_pdf(pdf, day.year, day.month, actor=CLERK)
    text = flat(pdf)
    assert f"{day.year}年{day.month}月文明实践活动开展情况" in text
    assert "清洁家园" in text and "最美庭院评选" in text and "清理河道垃圾" in text
    assert "志愿服务1人，3小时" in text and "合计2" in text and "刘小明" not in text
    assert images(pdf) == 2
    # captions: the name the clerk gave the file, a camera's name replaced by a plain one
    assert "河边合影" in text and "现场照片2" in text and ".png" not in text and "IMG_" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "month")],
                   check=True)
    assert (tmp_path / "month-1.png").stat().st_size > 5000


def test_the_hall_register(admin, tmp_path):
    hall = halls.create_hall(CLERK, {"name": "土城分堂", "kind": "分堂", "address": "土城社区活动室"})
    for offset, story in ((40, "孝老爱亲的好儿媳"), (10, "诚信经营的小卖部")):
        halls.add_session(CLERK, hall.id, {"day": TODAY - dt.timedelta(days=offset), "participants": 50 + offset,
                                           "story_title": story, "story_kind": "道德故事", "storyteller": "李老师"})
    pdf = tmp_path / "hall.pdf"
    reports.hall_register_pdf(pdf, hall.id, (TODAY - dt.timedelta(days=10)).year, actor=CLERK)
    text = flat(pdf)
    assert "土城分堂" in text and "诚信经营的小卖部" in text and "唱一首歌" in text and "作一番点评" in text
    assert re.search(r"合计\s+2次\s+150$", pdftotext(pdf), re.M)


def test_childrens_names_only_in_the_minors_report_for_that_role(admin, tmp_path):
    ids = villages(admin, "桂花村")
    project = minors.create_project(CLERK, {"village_id": ids["桂花村"], "name": "四点半课堂", "target_group": "留守儿童",
                                            "start_date": TODAY - dt.timedelta(days=3)})
    minors.add_child(admin, project.id, {"name": "刘小明", "school": "清溪镇中心小学"})
    pdf = tmp_path / "minors.pdf"
    with pytest.raises(PermissionDenied, match="未成年人信息"):
        minors_report.minors_report_pdf(pdf, TODAY.year, CLERK)
    assert not pdf.exists()
    minors_report.minors_report_pdf(pdf, TODAY.year, admin)
    text = flat(pdf)
    assert "刘小明" in text and "清溪镇中心小学" in text and "内部资料" in text
    assert AuditEntry.select().where((AuditEntry.action == "export")
                                     & AuditEntry.note.contains("含未成年人信息")).exists()


def test_sheets_hold_records_and_counts_never_names(admin, tmp_path):
    ids = villages(admin, "桂花村")
    records.create(CLERK, {"kind": "节日", "festival": "春节", "title": "送春联", "day": TODAY, "participants": 30})
    placements.create(CLERK, {"village_id": ids["桂花村"], "location_type": "街巷", "place": "正街", "theme": "讲文明",
                              "put_up": TODAY})
    project = minors.create_project(CLERK, {"village_id": ids["桂花村"], "name": "四点半课堂", "target_group": "留守儿童",
                                            "start_date": TODAY})
    minors.add_child(admin, project.id, {"name": "刘小明"})
    out = tmp_path / "records.xlsx"
    assert sheets.export_records(CLERK, out) == 1
    values = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row if c is not None]
    assert "送春联" in values and "春节" in values and 30 in values
    sheets.export_placements(CLERK, tmp_path / "placements.xlsx")
    rows = list(load_workbook(tmp_path / "placements.xlsx").active.iter_rows(values_only=True))
    assert ("桂花村", 1, 0, 0, 0, 1) in rows
    sheets.export_minors_counts(CLERK, tmp_path / "minors.xlsx", TODAY.year)
    cells = [c for row in load_workbook(tmp_path / "minors.xlsx").active.iter_rows(values_only=True) for c in row]
    assert ("桂花村" in cells) and 1 in cells and not any("刘" in str(c) for c in cells if c)
