"""督查通报 figures and the 工作台 providers."""

from __future__ import annotations

import datetime as dt

from civdesk.office import settings
from civdesk.supervision import due, plans, rectification, summary
from tests.supervision.helpers import CLERK, REVIEWER, notice


def test_on_time_late_overdue_and_the_ranking(admin, tmp_path):
    on_time = notice(admin, tmp_path, name="红星村")
    rectification.report(CLERK, on_time.id, "2026-03-10", "已清运完毕")
    rectification.review(REVIEWER, on_time.id, "2026-03-11", True, "已整改到位")
    late = notice(admin, tmp_path, name="新民村")
    rectification.report(CLERK, late.id, "2026-03-20", "已清运完毕")  # after the 16 March deadline
    rectification.review(REVIEWER, late.id, "2026-03-23", True, "已整改到位")
    notice(admin, tmp_path, name="白鹤村")  # never rectified
    plans.add_round(REVIEWER, "白鹤村月度督查", "monthly", "2026-03-01", village="白鹤村")
    data = summary.month("2026-03")
    assert (data.on_time, data.late, data.overdue, data.problems, data.inspections) == (1, 1, 1, 3, 3)
    assert data.by_village["红星村"] == {"镇容环境卫生": 1}
    scores = {line.name: line.score for line in data.ranking}
    # 100 - 1 problem × 2, - late 3, - overdue 8 - a missed round 5 (the inspection was not of the round)
    assert scores == {"红星村": 98, "新民村": 95, "白鹤村": 85}
    assert [line.name for line in data.ranking] == ["红星村", "新民村", "白鹤村"]
    settings.set_value(admin, "supervision.score_overdue", 20)
    assert {line.name: line.score for line in summary.month("2026-03").ranking}["白鹤村"] == 73
    # April: nothing was closed; the overdue one still counts, the closed ones do not.
    april = summary.month("2026-04")
    assert (april.on_time, april.late, april.overdue) == (0, 0, 1)


def test_the_start_page_shows_yellow_red_and_escalated_notices_and_rounds(admin, tmp_path, monkeypatch):
    made = notice(admin, tmp_path)  # deadline 2026-03-16
    plans.add_round(REVIEWER, "全镇月度督查", "monthly", "2026-01-01", due_day=20)
    monkeypatch.setattr(due, "_today", lambda: dt.date(2026, 3, 13))
    items = due.notices_due(admin)
    assert [(i.title, i.severity) for i in items] == [(f"整改即将到期：{made.number} 红星村", "due")]
    monkeypatch.setattr(due, "_today", lambda: dt.date(2026, 3, 20))
    (item,) = due.notices_due(admin)
    assert item.title.startswith("督办：") and "逾期 4 个工作日" in item.title and item.severity == "overdue"
    rounds = due.rounds_due(admin)
    assert [(i.title, i.severity) for i in rounds] == [
        ("全镇月度督查（2026-01）未按期督查", "overdue"), ("全镇月度督查（2026-02）未按期督查", "overdue"),
        ("全镇月度督查（2026-03）待督查", "due")]
