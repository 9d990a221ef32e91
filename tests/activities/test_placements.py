"""公益广告 placements: location types, inspection states, counts by village and type."""

from __future__ import annotations

import datetime as dt

import pytest

from civdesk.activities import photos, placements
from civdesk.activities.models import Photo, Placement
from civdesk.core.validation import ValidationError
from tests.activities.helpers import CLERK, png, villages

TODAY = dt.date.today()


def _add(village: str | None, kind: str, place: str, photo_files=(), **extra):
    return placements.create(CLERK, {"village_id": village, "location_type": kind, "place": place,
                                     "theme": "讲文明树新风", "size": "2m×1m", "put_up": TODAY - dt.timedelta(days=30),
                                     **extra}, photo_files=photo_files)


def test_placements_in_every_location_type_and_their_counts(admin):
    villages(admin, "桂花村", "石桥村")
    first = _add("桂花村", "街巷", "正街口")
    _add("桂花村", "街巷", "新街口")
    _add("桂花村", "居民院落", "幸福院")
    _add("石桥村", "窗口单位", "便民服务中心")
    _add(None, "公共场所", "镇文化广场")
    gone = _add("石桥村", "公共场所", "老车站")
    placements.inspect(CLERK, gone.id, "已撤除", TODAY)
    assert first.scope is not None and Placement.get_by_id(first.id).state == "完好"
    rows = {r.village: (r.by_type, r.total) for r in placements.counts()}
    assert rows["桂花村"] == ({"街巷": 2, "公共场所": 0, "窗口单位": 0, "居民院落": 1}, 3)
    assert rows["石桥村"] == ({"街巷": 0, "公共场所": 0, "窗口单位": 1, "居民院落": 0}, 1)
    assert rows["镇（不属于村/社区）"][1] == 1
    assert rows["合计"] == ({"街巷": 2, "公共场所": 1, "窗口单位": 1, "居民院落": 1}, 5)
    assert [r.village for r in placements.counts()][0] == "镇（不属于村/社区）"
    assert len(placements.placements()) == 5 and len(placements.placements(include_removed=True)) == 6


def test_inspection_state_and_colours(admin):
    ok = _add(None, "街巷", "正街口", photo_files=[("广告.png", png())])
    faded = _add(None, "街巷", "新街口")
    broken = _add(None, "公共场所", "广场")
    old = _add(None, "居民院落", "老院子", put_up=TODAY - dt.timedelta(days=300))
    placements.inspect(CLERK, faded.id, "褪色", TODAY - dt.timedelta(days=1), "雨淋褪色，需更换")
    placements.inspect(CLERK, broken.id, "破损")
    colours = {r.place: (r.colour, r.state, r.inspected_on) for r in placements.placements()}
    assert colours == {"正街口": ("ok", "完好", ""),
                       "新街口": ("yellow", "褪色", (TODAY - dt.timedelta(days=1)).isoformat()),
                       "广场": ("red", "破损", TODAY.isoformat()), "老院子": ("yellow", "完好", "")}
    assert photos.photos(ok.id)[0].file_name == "广告.png"
    with pytest.raises(ValidationError, match="应在设置日期"):
        placements.inspect(CLERK, old.id, "完好", TODAY - dt.timedelta(days=400))
    with pytest.raises(ValidationError, match="状况只能是"):
        placements.inspect(CLERK, old.id, "还行")


def test_bad_placements_are_refused_with_nothing_written(admin):
    with pytest.raises(ValidationError) as caught:
        placements.create(CLERK, {"location_type": "天上", "place": "", "theme": "", "put_up": "1949-01-01"},
                          photo_files=[("广告.png", png())])
    assert set(caught.value.errors) == {"location_type", "place", "theme", "put_up"}
    assert "早于 1950 年" in caught.value.errors["put_up"]
    with pytest.raises(ValidationError, match="不是 JPG 或 PNG"):
        _add(None, "街巷", "正街口", photo_files=[("广告.pdf", b"%PDF-1.4")])
    assert Placement.select().count() == 0 and Photo.select().count() == 0
