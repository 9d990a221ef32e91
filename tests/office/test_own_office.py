"""This PC's office as every domain asks for it: its name (a report's author, a certificate's
记录单位) and, on a village PC, its village — one function each, which the domains share."""

from __future__ import annotations

from civdesk.activities import common as activities_common
from civdesk.core import db
from civdesk.hotline import tickets
from civdesk.office import offices
from civdesk.supervision import common as supervision_common


def test_a_township_pc_has_a_name_and_no_village(admin):
    assert offices.own_name() == offices.own_office().name == "清溪镇"
    assert offices.own_village_id() is None


def test_a_village_pc_names_its_village(village_admin):
    own = offices.own_office()
    assert own.kind == "village" and offices.own_village_id() == own.id and offices.own_name() == own.name


def test_the_domains_ask_the_one_function(admin):
    assert tickets.own_village is supervision_common.own_village_id is activities_common.own_village \
        is offices.own_village_id


def test_before_setup_there_is_no_office(tmp_path):
    db.open_database(tmp_path / "empty.sqlite3")
    try:
        assert offices.own_name() == "" and offices.own_village_id() is None
    finally:
        db.close_database()


def test_a_village_is_named_by_its_id_or_its_name_in_every_domain(admin):
    import pytest

    from civdesk.core import changes
    from civdesk.core.validation import ValidationError
    from civdesk.volunteers import roster

    red = offices.add_village(admin, "红星村")
    gone = offices.add_village(admin, "旧村")
    changes.delete(gone, admin)
    assert offices.resolve_village(red.id) == offices.resolve_village(" 红星村 ") == red.id
    assert offices.resolve_village("") is None and offices.resolve_village(None) is None
    for unknown in ("月亮村", "旧村", gone.id):
        with pytest.raises(ValidationError) as caught:
            offices.resolve_village(unknown)
        assert caught.value.errors == {"village_id": f"没有名为「{unknown}」的村/社区，请先在 设置 → 本单位 中添加"}
    assert roster.resolve_village is tickets._village is offices.resolve_village
    assert activities_common.resolve_village("红星村") == red.id  # after its village-PC rule
