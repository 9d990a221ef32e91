"""三美示范村: a village's plan, the yearly evaluation of the three aspects, naming with a date."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.activities import sanmei
from civdesk.activities.models import SanmeiEvaluation, SanmeiVillage
from civdesk.core.errors import CivDeskError, PermissionDenied
from civdesk.core.validation import ValidationError
from tests.activities.helpers import CLERK, REVIEWER, villages

TODAY = dt.date.today()
YEAR = TODAY.year
GOOD = {"风尚新美": 92, "环境秀美": 88, "生活富美": 86}


def test_plan_evaluate_and_name_a_model_village(admin):
    ids = villages(admin, "桂花村", "石桥村")
    plan = sanmei.set_plan(CLERK, "桂花村", "修订村规民约；整治房前屋后；发展桂花产业", YEAR)
    assert plan.scope == ids["桂花村"]
    sanmei.set_plan(CLERK, "石桥村", "建设文化广场", YEAR)
    sanmei.evaluate(REVIEWER, "桂花村", YEAR, GOOD, TODAY - dt.timedelta(days=5))
    sanmei.evaluate(REVIEWER, "石桥村", YEAR, {"风尚新美": 90, "环境秀美": 70, "生活富美": 88}, TODAY)
    status = {r.village: r for r in sanmei.villages_status(YEAR)}
    assert status["桂花村"].scores == GOOD and status["桂花村"].passed and status["桂花村"].colour == "ok"
    assert not status["石桥村"].passed and status["石桥村"].colour == "red"
    named = sanmei.name_model_village(REVIEWER, "桂花村", YEAR, TODAY, "清溪镇文明委〔2026〕3号")
    assert named.named_on == TODAY and named.decision == "清溪镇文明委〔2026〕3号"
    assert sanmei.villages_status(YEAR)[0].named_on == TODAY.isoformat()
    with pytest.raises(CivDeskError, match="已于"):
        sanmei.name_model_village(REVIEWER, "桂花村", YEAR, TODAY)
    with pytest.raises(CivDeskError, match="环境秀美 70 分"):
        sanmei.name_model_village(REVIEWER, "石桥村", YEAR, TODAY)


def test_one_plan_per_village_and_one_evaluation_per_year(admin):
    villages(admin, "桂花村")
    sanmei.set_plan(CLERK, "桂花村", "第一版方案", YEAR)
    sanmei.set_plan(CLERK, "桂花村", "第二版方案", YEAR)
    sanmei.evaluate(REVIEWER, "桂花村", YEAR, {"风尚新美": 80, "环境秀美": 80, "生活富美": 80}, TODAY)
    sanmei.evaluate(REVIEWER, "桂花村", YEAR, GOOD, TODAY)
    assert SanmeiVillage.select().count() == 1 and SanmeiVillage.get().plan == "第二版方案"
    assert SanmeiEvaluation.select().count() == 1 and SanmeiEvaluation.get().fengshang == 92


def test_bad_evaluations_and_namings_are_refused(admin):
    villages(admin, "桂花村")
    with pytest.raises(CivDeskError, match="还没有三美示范村创建方案"):
        sanmei.name_model_village(REVIEWER, "桂花村", YEAR, TODAY)
    sanmei.set_plan(CLERK, "桂花村", "方案", YEAR)
    with pytest.raises(ValidationError) as caught:
        sanmei.evaluate(REVIEWER, "桂花村", YEAR, {"风尚新美": 101, "环境秀美": -1}, "1949-01-01")
    assert set(caught.value.errors) == {"fengshang", "huanjing", "shenghuo", "evaluated_on"}
    assert SanmeiEvaluation.select().count() == 0
    with pytest.raises(PermissionDenied):
        sanmei.evaluate(CLERK, "桂花村", YEAR, GOOD, TODAY)
    with pytest.raises(CivDeskError, match=f"还没有 {YEAR} 年度的三美测评"):
        sanmei.name_model_village(REVIEWER, "桂花村", YEAR, TODAY)
    sanmei.evaluate(REVIEWER, "桂花村", YEAR, GOOD, TODAY)
    with pytest.raises(ValidationError, match="命名日期应在测评日期"):
        sanmei.name_model_village(REVIEWER, "桂花村", YEAR, TODAY - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="请选择三美示范村创建所属的村/社区"):
        sanmei.set_plan(CLERK, "", "方案", YEAR)
