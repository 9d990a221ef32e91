"""「讲文明树新风」公益广告: where each one is put up (街巷, 公共场所, 窗口单位, 居民院落), its theme,
size, date, photo and its state at the last inspection; counts by village and location type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civdesk.activities import common, photos
from civdesk.activities.models import Placement
from civdesk.activities.terms import LOCATION_TYPES, PLACEMENT_STATES
from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError

FIELDS = ("village_id", "location_type", "place", "theme", "size", "put_up", "state", "note")
BAD_STATES = ("破损", "缺失")
INSPECT_EVERY_DAYS = 180
_LIVE = False


@dataclass(frozen=True)
class PlacementRow:
    id: str
    village_id: str | None
    village: str
    location_type: str
    place: str
    theme: str
    size: str
    put_up: str
    state: str
    inspected_on: str
    photo_count: int
    colour: str  # "red" damaged or missing, "yellow" faded or not inspected for half a year, "ok"


@dataclass(frozen=True)
class CountRow:
    village: str  # "镇（不属于村/社区）" for township-wide ones, "合计" on the last row
    by_type: dict[str, int]
    total: int


def get(placement_id: str) -> Placement:
    row = Placement.get_or_none((Placement.id == placement_id) & (Placement.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这处公益广告。")
    return row


def _clean(values: dict, existing: Placement | None = None, today: dt.date | None = None) -> dict:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise CivDeskError(f"公益广告没有这些项目：{'、'.join(sorted(unknown))}")
    merged = {**({k: getattr(existing, k) for k in FIELDS} if existing else {}), **values}
    errors: dict[str, str] = {}
    out = {key: common.text(merged, key) for key in ("location_type", "place", "theme", "size", "note")}
    out["state"] = common.text(merged, "state") or "完好"
    if out["location_type"] not in LOCATION_TYPES:
        errors["location_type"] = f"位置类型只能是：{'、'.join(LOCATION_TYPES)}"
    if not out["place"]:
        errors["place"] = "请填写设置位置，如「正街与新街交叉口」"
    if not out["theme"]:
        errors["theme"] = "请填写主题，如「讲文明树新风」"
    if out["state"] not in PLACEMENT_STATES:
        errors["state"] = f"状况只能是：{'、'.join(PLACEMENT_STATES)}"
    out["put_up"] = common.check_day(merged.get("put_up"), "设置日期", today=today, field="put_up", errors=errors)
    if out["put_up"] and out["put_up"] > (today or dt.date.today()):
        errors["put_up"] = f"设置日期 {out['put_up'].isoformat()} 还没到"
    try:
        out["village_id"] = common.resolve_village(merged.get("village_id"), what="公益广告")
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return out


def create(actor: Actor, values: dict, *, photo_files: list[tuple[str, bytes]] = (),
           today: dt.date | None = None) -> Placement:
    require(actor, "edit_activities")
    cleaned = _clean(values, today=today)
    with database.atomic():
        row = changes.create(Placement, actor, cleaned, scope=cleaned["village_id"])
        for name, data in photo_files:
            photos.store(actor, "placement", row.id, row.scope, name, data)
    return row


def update(actor: Actor, placement_id: str, values: dict, today: dt.date | None = None) -> dict:
    require(actor, "edit_activities")
    row = get(placement_id)
    cleaned = _clean(values, row, today)
    if cleaned["village_id"] != row.village_id:
        raise ValidationError({"village_id": "公益广告不能改到另一个村/社区（记录的归属随它同步）"})
    return changes.update(row, actor, cleaned)


def inspect(actor: Actor, placement_id: str, state: str, day=None, note: str = "",
            today: dt.date | None = None) -> dict:
    """Record what an inspection found: the state and the day."""
    require(actor, "edit_activities")
    row = get(placement_id)
    errors: dict[str, str] = {}
    if state not in PLACEMENT_STATES:
        errors["state"] = f"状况只能是：{'、'.join(PLACEMENT_STATES)}"
    when = common.check_day(day or (today or dt.date.today()), "检查日期", today=today, field="inspected_on",
                            errors=errors)
    if when and not (row.put_up <= when <= (today or dt.date.today())):
        errors["inspected_on"] = f"检查日期 {when.isoformat()} 应在设置日期 {row.put_up.isoformat()} 和今天之间"
    if errors:
        raise ValidationError(errors)
    values = {"state": state, "inspected_on": when}
    if note.strip():
        values["note"] = note.strip()
    return changes.update(row, actor, values, note=f"检查：{state}")


def add_photo(actor: Actor, placement_id: str, name: str, data: bytes, caption: str = "") -> photos.PhotoRow:
    require(actor, "edit_activities")
    row = get(placement_id)
    made = photos.store(actor, "placement", row.id, row.scope, name, data, caption)
    return photos.PhotoRow(made.id, made.file_name, made.caption, made.size, made.mime)


def delete(actor: Actor, placement_id: str, reason: str) -> None:
    require(actor, "edit_activities")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明删除原因（例如：重复录入）；已拆除的请把状况改为「已撤除」"})
    changes.delete(get(placement_id), actor, note=reason.strip())


def _colour(row: Placement, today: dt.date) -> str:
    if row.state in BAD_STATES:
        return "red"
    last = row.inspected_on or row.put_up
    if row.state == "褪色" or (row.state != "已撤除" and (today - last).days > INSPECT_EVERY_DAYS):
        return "yellow"
    return "ok"


def placements(village_id: str | None = None, location_type: str = "", *, include_removed: bool = False,
               today: dt.date | None = None) -> list[PlacementRow]:
    query = Placement.select().where(Placement.deleted == _LIVE)
    if village_id:
        query = query.where(Placement.village_id == village_id)
    if location_type:
        query = query.where(Placement.location_type == location_type)
    if not include_removed:
        query = query.where(Placement.state != "已撤除")
    found = list(query.order_by(Placement.put_up, Placement.place))
    villages, counts, today = common.villages(), photos.counts([p.id for p in found]), today or dt.date.today()
    return [PlacementRow(p.id, p.village_id, villages.get(p.village_id, ""), p.location_type, p.place, p.theme, p.size,
                         p.put_up.isoformat(), p.state, p.inspected_on.isoformat() if p.inspected_on else "",
                         counts.get(p.id, 0), _colour(p, today)) for p in found]


def counts() -> list[CountRow]:
    """Placements still up (not 已撤除) by village and location type, with a 合计 row."""
    from peewee import fn

    table: dict[str | None, dict[str, int]] = {}
    query = (Placement.select(Placement.village_id, Placement.location_type, fn.COUNT(Placement.id))
             .where((Placement.deleted == _LIVE) & (Placement.state != "已撤除"))
             .group_by(Placement.village_id, Placement.location_type).tuples())
    for village_id, kind, number in query:
        table.setdefault(village_id, dict.fromkeys(LOCATION_TYPES, 0))[kind] = number
    villages = common.villages()
    position = {vid: i for i, vid in enumerate(villages)}  # pinyin order, as the office lists them
    order = sorted(table, key=lambda v: (v is not None, position.get(v, len(position))))
    rows = [CountRow(villages.get(v, "（已删除的村/社区）") if v else "镇（不属于村/社区）", table[v],
                     sum(table[v].values())) for v in order]
    totals = {kind: sum(r.by_type[kind] for r in rows) for kind in LOCATION_TYPES}
    return rows + [CountRow("合计", totals, sum(totals.values()))]


def rows_for(placement_ids: list[str], today: dt.date | None = None) -> list[PlacementRow]:
    """The placements with these ids (removed ones too), for another domain that names them."""
    if not placement_ids:
        return []
    wanted = set(placement_ids)
    return [r for r in placements(include_removed=True, today=today) if r.id in wanted]
