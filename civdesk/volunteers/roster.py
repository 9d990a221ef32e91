"""Volunteer registry: register, correct, leave; numbers; search for the large list."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from peewee import fn

from civdesk.core import changes, pinyin, validation
from civdesk.core import merges as merging
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.listing import IdList, Listing, QueryListing
from civdesk.core.validation import ValidationError
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.volunteers import roster_rules
from civdesk.volunteers.models import VOLUNTEER_STATUS, Volunteer
from civdesk.volunteers.terms import PENDING_ID

TEXT_FIELDS, EDITABLE = roster_rules.TEXT_FIELDS, roster_rules.EDITABLE


class DuplicateVolunteer(CivDeskError):
    """The ID number is already registered; ``existing_id`` lets the UI show that volunteer."""

    def __init__(self, message: str, existing_id: str):
        super().__init__(message)
        self.existing_id = existing_id


def get(volunteer_id: str) -> Volunteer:
    """A volunteer by id; the id of a record merged into another gives the person kept."""
    found = merging.merges(Volunteer)
    row = Volunteer.get_or_none((Volunteer.id == found.survivor(volunteer_id)) & merging.live(Volunteer, found))
    if row is None:
        raise NotFound("找不到这名志愿者（可能已被删除）。")
    return row


def find_by_id_number(number: str, *, exclude: str | None = None) -> Volunteer | None:
    query = Volunteer.select().where((Volunteer.id_number == number) & merging.live(Volunteer))
    if exclude:
        query = query.where(Volunteer.id != exclude)
    return query.first()


def find(key: str) -> Volunteer:
    """By ID number or volunteer number (what the command line accepts); the number of a record
    merged into another finds the person kept."""
    key = validation.normalize_text(key).upper()
    found = merging.merges(Volunteer)
    row = (Volunteer.select().where(((Volunteer.id_number == key) | (Volunteer.number == key))
                                    & merging.live(Volunteer, found)).first())
    if row is None and found.survivor_of:
        merged = (Volunteer.select(Volunteer.id).where((Volunteer.number == key) & Volunteer.merged_into.is_null(False))
                  .scalar())
        row = Volunteer.get_or_none(Volunteer.id == found.survivor(merged)) if merged else None
    if row is None:
        raise NotFound(f"找不到证件号码或志愿者编号为「{key}」的志愿者。")
    return row


def number_prefix() -> str:
    prefix = (settings.get("volunteer.number_prefix") or "").strip().upper()
    if prefix:
        return prefix
    own = office_service.own_office_or_none()
    return pinyin.initials(own.name, person=False).upper() if own else "ZY"


def numbering_prefix() -> str:
    """The office prefix and this PC's code (QXZ-A): every PC numbers in its own series. Without
    a PC code, the old form (QXZ000001)."""
    code = office_service.pc_code()
    return f"{number_prefix()}-{code}" if code else number_prefix()


def next_number(prefix: str | None = None, *, taken: int = 0) -> str:
    """Prefix + six digits, one past the highest number of this prefix (plus *taken*, for bulk)."""
    prefix = prefix or numbering_prefix()
    highest = (Volunteer.select(fn.MAX(Volunteer.number))
               .where(Volunteer.number.startswith(prefix) & (fn.LENGTH(Volunteer.number) == len(prefix) + 6))
               .scalar())
    last = int(highest[len(prefix):]) if highest and highest[len(prefix):].isdigit() else 0
    return f"{prefix}{last + 1 + taken:06d}"


def _village_ids() -> dict[str, str]:
    return office_service.names("village", include_deleted=False)


resolve_village = office_service.resolve_village  # a village id from an id or a name (imports give names)


def clean(values: dict, *, existing: Volunteer | None = None, today: dt.date | None = None) -> dict:
    """Validate and normalise a volunteer's fields (:func:`roster_rules.check`, the rules an
    import follows too); raises DuplicateVolunteer or ValidationError with every problem."""
    stored = {f: getattr(existing, f) for f in EDITABLE} if existing is not None else None
    out, errors = roster_rules.check(values, villages=roster_rules.Villages(), today=today or dt.date.today(),
                                     existing=stored)
    if "id_number" not in errors and out.get("id_number"):
        other = find_by_id_number(out["id_number"], exclude=existing.id if existing else None)
        if other is not None:
            raise DuplicateVolunteer(
                f"证件号码 {validation.mask_id_number(out['id_number'])} 已登记为志愿者「{other.name}」"
                f"（编号 {other.number}），不能重复登记。", other.id)
    if errors:
        raise ValidationError(errors)
    return out


def register(actor: Actor, values: dict) -> Volunteer:
    require(actor, "edit_volunteers")
    cleaned = clean(values)
    cleaned["number"] = next_number()
    return changes.create(Volunteer, actor, cleaned, scope=cleaned.get("village_id"))


def register_many(actor: Actor, cleaned: list[dict], *, note: str) -> list[str]:
    """The bulk path of :func:`register`, for rows :func:`roster_rules.check` passed and no
    volunteer holds the ID number of: the same rows and change-log entries, numbered on in the
    order given, and one audit entry (*note*) for the batch.  The caller holds the transaction."""
    require(actor, "import_data")
    prefix = numbering_prefix()
    first = next_number(prefix)
    start = int(first[len(prefix):])
    numbers = (f"{prefix}{n:06d}" for n in itertools.count(start))
    derive = derived_fields()

    def fill(data: dict) -> None:  # next_number(taken=i) for each row, without one MAX() query per row
        data["number"], data["scope"] = next(numbers), data.get("village_id")
        derive(data)

    return changes.create_many(Volunteer, actor, cleaned, note=note, derive=fill)


def derived_fields():
    """``Volunteer.compute_derived`` for many rows: the search keys of a name are worked out once
    per name (a roster repeats names: 张伟, 王芳 …); the same values (tested)."""
    by_name: dict[str, tuple[str, str, str]] = {}
    scratch = Volunteer()

    def derive(data: dict) -> None:
        name = data.get("name") or ""
        keys = by_name.get(name)
        if keys is None:
            scratch.__data__ = {"name": name}
            scratch.compute_derived()
            keys = by_name[name] = (scratch.name_pinyin, scratch.name_initials, scratch.name_spell)
        data["name_pinyin"], data["name_initials"], data["name_spell"] = keys
        data["id_rev"] = (data.get("id_number") or "")[::-1]
        data["phone_rev"] = (data.get("phone") or "")[::-1]

    return derive


def update(actor: Actor, volunteer_id: str, values: dict) -> dict:
    require(actor, "edit_volunteers")
    row = get(volunteer_id)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise CivDeskError(f"不能修改这些信息：{'、'.join(sorted(unknown))}")
    return changes.update(row, actor, clean(values, existing=row))


def leave(actor: Actor, volunteer_id: str, reason: str = "") -> dict:
    """A volunteer who leaves stays in the register with the status 已退出 (hours are kept)."""
    require(actor, "edit_volunteers")
    return changes.update(get(volunteer_id), actor, {"status": "left"}, note=reason or "退出志愿者队伍")


def delete(actor: Actor, volunteer_id: str, reason: str) -> None:
    """Only for a registration made by mistake; the tombstone syncs like any change."""
    require(actor, "delete_volunteers")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明删除原因（例如：重复登记、登记错误）"})
    changes.delete(get(volunteer_id), actor, note=reason.strip())


# --- search for the large list -----------------------------------------------------------


@dataclass(frozen=True)
class VolunteerFilter:
    text: str = ""
    village_id: str = ""
    status: str = "active"  # "" for all
    team_id: str = ""


SORTS = {"name": Volunteer.name_pinyin, "number": Volunteer.number, "join_date": Volunteer.join_date,
         "village": Volunteer.village_id}


def _prefix(column, text: str):
    """``column`` starts with ``text`` as an index range (LIKE is case-insensitive, so SQLite
    would not use the index for it)."""
    return (column >= text) & (column < text + "\U0010ffff")


def _mixed_pinyin(typed: str) -> list[str]:
    """Ids of live volunteers whose name *typed* matches as a mix of initials and full syllables:
    indexed initials ranges give the few candidates, their pinyin decides."""
    heads = pinyin.initials_prefixes(typed)
    if not heads:
        return []
    live = merging.live(Volunteer)
    query = None
    for head in heads:  # one (deleted, name_initials) index range each
        part = Volunteer.select(Volunteer.id, Volunteer.name_pinyin).where(live & _prefix(Volunteer.name_initials, head))
        query = part if query is None else query | part
    sql, params = query.sql()
    return [vid for vid, key in database.execute_sql(sql, params).fetchall() if pinyin.matches(typed, key)]


def _text_matches(text: str):
    """Ids matching the search text, as a UNION of indexed lookups: name (prefix, or anywhere
    for Chinese text), pinyin initials or full pinyin, the last digits of the ID or phone
    (reversed columns), or the volunteer number."""
    text = validation.normalize_text(text).strip()
    if not text:
        return None
    live = merging.live(Volunteer)
    if text == PENDING_ID:
        return Volunteer.select(Volunteer.id).where(live & (Volunteer.id_number == ""))
    parts = []

    def lookup(condition, *, live_in_index: bool = True):
        # The composite indexes start with `deleted`; single-column ones must not get it, or the
        # planner may pick a worse index. The outer query drops deleted rows anyway.
        parts.append(Volunteer.select(Volunteer.id).where(live & condition if live_in_index else condition))

    if text.isdigit() or (text[:-1].isdigit() and text[-1:] in "xX"):
        tail = text.upper()[::-1]
        lookup(_prefix(Volunteer.id_rev, tail))
        lookup(_prefix(Volunteer.phone_rev, tail))
    if text.isascii() and text.replace(" ", "").isalpha():
        lowered = text.lower()
        lookup(_prefix(Volunteer.name_initials, lowered.replace(" ", "")))
        lookup(_prefix(Volunteer.name_pinyin, lowered))
        lookup(_prefix(Volunteer.name_spell, lowered.replace(" ", "")))  # "zhangsan", "zhangs"
        mixed = _mixed_pinyin(lowered)  # "zsan": initials and full syllables mixed
        if mixed:
            lookup(Volunteer.id.in_(mixed), live_in_index=False)
    if any(not ch.isascii() for ch in text):
        # Names are short; a scan of the (deleted, name) index finds the text anywhere in them.
        lookup(Volunteer.name.contains(text))
    lookup(_prefix(Volunteer.number, text.upper()), live_in_index=False)
    lookup(_prefix(Volunteer.original_number, text.upper().replace(" ", "")), live_in_index=False)
    query = parts[0]
    for part in parts[1:]:
        query = query | part
    return query


def pending_id_count() -> int:
    """Live volunteers registered without an ID number (「证件待补」)."""
    return (Volunteer.select().where((Volunteer.deleted == False) & (Volunteer.id_number == "")).count())  # noqa: E712


def _matching(flt: VolunteerFilter):
    query = Volunteer.select(Volunteer.id).where(merging.live(Volunteer))
    matches = _text_matches(flt.text)
    if matches is not None:
        query = query.where(Volunteer.id.in_(matches))
    if flt.village_id:
        query = query.where(Volunteer.village_id == flt.village_id)
    if flt.status:
        query = query.where(Volunteer.status == flt.status)
    if flt.team_id:
        from civdesk.volunteers.models import TeamMember

        members = TeamMember.select(TeamMember.volunteer_id).where(
            (TeamMember.team_id == flt.team_id) & (TeamMember.deleted == False))  # noqa: E712
        query = query.where(Volunteer.id.in_(members))
    return query


def matching_ids(flt: VolunteerFilter, sort: str = "name", descending: bool = False) -> list[str]:
    column = SORTS.get(sort, Volunteer.name_pinyin)
    direction = (lambda f: f.desc()) if descending else (lambda f: f.asc())
    sql, params = _matching(flt).order_by(direction(column), direction(Volunteer.id)).sql()
    return [row[0] for row in database.execute_sql(sql, params).fetchall()]


def listing(flt: VolunteerFilter, sort: str = "name", descending: bool = False) -> Listing:
    """The register for a list view: by name, with no text or team to match, a count and windows
    walked along an index (``volunteer_live_status_name``; ``volunteer_deleted_name_pinyin_id`` for
    every status), so a reload of 100,000 volunteers reads only what is in sight; otherwise (a
    search, a team, another order) every matching id once, in order."""
    column = SORTS.get(sort, Volunteer.name_pinyin)
    if column is Volunteer.name_pinyin and not flt.text.strip() and not flt.team_id:
        return QueryListing(Volunteer, _matching(flt), [(Volunteer.name_pinyin, descending)])
    return IdList(matching_ids(flt, sort, descending))


def anyone() -> bool:
    """Whether any volunteer is registered (of any status)."""
    return Volunteer.select(Volunteer.id).where(merging.live(Volunteer)).exists()


@dataclass(frozen=True)
class VolunteerRow:
    id: str
    number: str
    name: str
    sex: str
    age: int | None
    id_masked: str
    phone_masked: str
    village: str
    join_date: str
    status: str
    hours: float
    stars: int


def rows(ids: list[str], today: dt.date | None = None) -> dict[str, VolunteerRow]:
    from civdesk.volunteers import hours as hours_service

    today = today or dt.date.today()
    villages = _village_ids()
    totals = hours_service.totals_for(ids)
    thresholds = hours_service.star_thresholds()  # read once, not per row
    found = {}
    columns = (Volunteer.id, Volunteer.number, Volunteer.name, Volunteer.sex, Volunteer.birth_date,
               Volunteer.id_number, Volunteer.phone, Volunteer.village_id, Volunteer.join_date, Volunteer.status)
    # Plain tuples: a block of the list is read on the GUI thread as it is painted.
    for vid, number, name, sex, birth, id_number, phone, village_id, joined, status in (
            Volunteer.select(*columns).where(Volunteer.id << ids).tuples()):
        age = None
        if birth:
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        half = totals.get(vid, 0)
        id_text = validation.mask_id_number(id_number) if id_number else PENDING_ID
        found[vid] = VolunteerRow(vid, number, name, sex, age, id_text, validation.mask_phone(phone),
                                  villages.get(village_id, ""), joined.isoformat() if joined else "",
                                  VOLUNTEER_STATUS.get(status, status), half / 2,
                                  hours_service.star_level(half, thresholds))
    return found
