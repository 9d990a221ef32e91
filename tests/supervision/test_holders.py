"""门前三包 registry: registering, masking, inspection history and score, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.core.validation import ValidationError
from civdesk.supervision import holders, inspections
from civdesk.supervision.models import Holder
from tests.supervision.helpers import CLERK, REVIEWER
from tests.support.units import village


def shop(admin, **overrides):
    village(admin)
    values = {"name": "老王面馆", "kind": "商铺", "village": "红星村", "address": "红星村正街 12 号",
              "responsible": "王大明", "phone": "13912345678", "signed_date": "2026-01-15", **overrides}
    return holders.add(CLERK, values)


def test_a_holder_is_listed_with_its_phone_masked_and_its_duties(admin):
    made = shop(admin)
    assert Holder.personal_fields["phone"] == "phone" and made.scope == made.village_id
    (row,) = holders.rows("lw")
    assert row.phone_masked == "139****5678" and row.signed_date == dt.date(2026, 1, 15)
    assert "包卫生" in made.duties and row.score is None and row.inspections == 0


def test_the_score_is_the_share_of_clean_inspections(admin):
    made = shop(admin)
    base = {"mechanism": "门前三包", "inspectors": "李秀英", "target_kind": "holder", "holder": made.id}
    inspections.record(REVIEWER, {**base, "day": "2026-03-02"})
    inspections.record(REVIEWER, {**base, "day": "2026-04-02"},
                       [inspections.FindingInput("门前占道经营", "包秩序：无占道经营、车辆停放有序")])
    inspections.record(REVIEWER, {**base, "day": "2026-05-02"})
    (row,) = holders.rows(as_of=dt.date(2026, 6, 1))
    assert (row.inspections, row.problems, row.score, row.last_inspected) == (3, 1, 67, dt.date(2026, 5, 2))
    assert [i.day for i in inspections.inspections(holder_id=made.id)][0] == dt.date(2026, 5, 2)


def test_bad_input_is_named_and_a_duplicate_refused(admin):
    shop(admin)
    with pytest.raises(ValidationError) as caught:
        shop(admin)
    assert "已经登记过了" in caught.value.errors["name"]
    with pytest.raises(ValidationError) as caught:
        shop(admin, name="新店", kind="工厂", phone="12345", signed_date="2026-13-01")
    assert set(caught.value.errors) == {"kind", "phone", "signed_date"}


def test_update_keeps_the_village(admin):
    made = shop(admin)
    holders.update(CLERK, made.id, {"responsible": "王小明"})
    assert holders.get(made.id).responsible == "王小明"
    village(admin, "新民村")
    with pytest.raises(ValidationError):
        holders.update(CLERK, made.id, {"village": "新民村"})
