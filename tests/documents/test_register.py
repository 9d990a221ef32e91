"""Issuing bodies as settings and the 发文字号 register: numbered per body and year."""

from __future__ import annotations

import pytest

from civdesk.core.errors import CivDeskError
from civdesk.documents import service


def test_default_bodies_come_from_the_office_name(admin):
    found = {b.key: b for b in service.bodies()}
    assert found["committee"].full_name == "清溪镇精神文明建设委员会"
    assert found["government"].full_name == "清溪镇人民政府"
    assert found["office"].full_name == "清溪镇文明办"
    assert found["committee"].code == "清溪文明委"
    assert service.body_for("unit_decision").key == "committee"
    assert service.body_for("rectification").key == "office"


def test_numbers_run_per_body_and_year(admin):
    first = service.number_for(admin, "unit_decision", "a", 2026, "关于命名…的决定")
    second = service.number_for(admin, "nomination_decision", "b", 2026, "关于表彰…的决定")
    assert (first, second) == ("清溪文明委〔2026〕1号", "清溪文明委〔2026〕2号")
    assert service.number_for(admin, "unit_decision", "a", 2026) == first  # asked again: the same number
    assert service.number_for(admin, "unit_decision", "c", 2027) == "清溪文明委〔2027〕1号"
    assert service.number_for(admin, "rectification", "d", 2026) == "清溪文明办〔2026〕1号"
    assert service.next_number("committee", 2026) == "清溪文明委〔2026〕3号"


def test_a_number_given_by_hand_is_registered_and_not_reused(admin):
    assert service.register(admin, "unit_decision", "a", 2026, number="清溪镇文明委〔2026〕5号") == "清溪镇文明委〔2026〕5号"
    assert service.number_for(admin, "unit_decision", "b", 2026) == "清溪文明委〔2026〕6号"
    with pytest.raises(CivDeskError, match="已用于"):
        service.register(admin, "nomination_decision", "x", 2026, number="清溪镇文明委〔2026〕5号")


def test_a_body_is_saved_and_takes_its_documents(admin):
    service.save_body(admin, "party", full_name="中共清溪镇委员会", code="清溪委", red_head=True,
                      documents=["nomination_decision"])
    assert service.body_for("nomination_decision").full_name == "中共清溪镇委员会"
    service.save_body(admin, "committee", full_name="清溪镇精神文明建设委员会", code="清溪文明委",
                      documents=["unit_decision", "nomination_decision"])
    assert service.body_for("nomination_decision").key == "committee"
    assert "nomination_decision" not in service.body("party").documents


def test_preprinted_paper_is_a_setting_of_this_pc(admin):
    assert not service.preprinted_paper()
    service.set_preprinted_paper(True)
    assert service.preprinted_paper()
