"""文明创建 over USB sync: a village files an application with scores and a photo on its PC,
the township reviews it on its own; the default indicator sets made on both PCs are one set,
the photo arrives whole, the status comes back to the village."""

from __future__ import annotations

from civdesk.office import offices as office
from civdesk.units import organisations as units
from civdesk.units import scoring as unit_scoring
from civdesk.units import workflow as unit_workflow
from civdesk.units.models import Application, IndicatorSet
from tests.support.sync import ADMIN_ACTOR, comparable, copy_pcs
from tests.support.units import CLERK, REVIEWER, YEAR, fill_self

PHOTO = bytes(range(256)) * 1500  # ~384 KB: two chunks


def test_an_application_travels_both_ways_with_its_photo(sync_templates, tmp_path):
    township, village = copy_pcs(sync_templates, ["T1", "A1"], tmp_path / "pcs")
    township.open()
    units.ensure_default_sets(ADMIN_ACTOR, YEAR)
    village.open()
    org = units.create_org(CLERK, {"name": "桂花村", "kind": "村"})
    app = unit_scoring.create(CLERK, org.id, YEAR, "文明村", work_summary="修订村规民约")  # seeds the defaults here
    fill_self(app)
    attachment = unit_scoring.add_attachment(CLERK, app.id, name="村规民约公示栏.jpg", data=PHOTO)
    unit_workflow.submit(CLERK, app.id)
    assert app.scope == office.own_office().id

    township.import_(village.export(tmp_path / "up.zip"))
    assert IndicatorSet.select().where(IndicatorSet.kind == "文明村").count() == 1, "one default set, not two"
    assert Application.get_by_id(app.id).status == "submitted"
    assert Application.get_by_id(app.id).self_tenths == 1000
    assert unit_scoring.attachment_bytes(attachment.id) == PHOTO
    unit_workflow.accept(REVIEWER, app.id)

    village.import_(township.export(tmp_path / "down.zip", village))
    assert Application.get_by_id(app.id).status == "prelim"
    assert [e.to_status for e in unit_workflow.history(app.id)] == ["submitted", "prelim"]
    assert comparable(township.dump(), township, village) == comparable(village.dump(), township, village)
