"""限期整改通知书: issuing (numbered per office and year), the village's rectification report,
the 复查 that closes it (销号) or sets a new deadline, and the state of each notice on a given day.

Recorded states: 待整改 (pending) → 已整改待复查 (reported) → 复查通过 (passed, closed) or 复查未通过
(failed: a new deadline, back to rectifying). 逾期 is computed: past the deadline in force and
not passed. Colours for a board: "yellow" from ``supervision.warn_workdays`` working days before
the deadline, "red" when overdue; 督办 after ``supervision.escalate_workdays`` overdue working
days. Every deadline is counted with the shared working-day calendar.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from peewee import fn

from civdesk.calendar import holidays
from civdesk.core import changes, models
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.models import new_id
from civdesk.documents import numbering
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.supervision import common, photos, sanitation, targets
from civdesk.supervision import pairs as photo_pairs
from civdesk.supervision.inspections import finding_rows
from civdesk.supervision.models import EVENT_KINDS, NOTICE_STATES, Notice, NoticeEvent

_LIVE = False
OPEN = ("pending", "reported", "failed")


# --- numbers and deadlines ----------------------------------------------------------------------


def number_prefix() -> str:
    prefix = str(settings.get("supervision.number_prefix") or "").strip()
    return prefix or f"{office_service.own_office().name}整改"


def _printed_highest(office_id: str, year: int) -> int:
    """The highest sequence of this office and year on a notice (tombstones count)."""
    return int(Notice.select(fn.MAX(Notice.seq)).where((Notice.office_id == office_id) & (Notice.year == year))
               .scalar() or 0)


def _format(year: int):
    prefix, code = number_prefix(), office_service.pc_code()
    return lambda seq: f"{prefix}〔{year}〕{code}{seq}号"  # 〔2026〕A3号: this PC's code


def next_number(office_id: str, year: int) -> tuple[int, str]:
    """The sequence and number the next notice of this office and year would get (allocates nothing)."""
    seq = numbering.peek(f"rectification:{office_id}", year, floor=_printed_highest(office_id, year))
    return seq, _format(year)(seq)


def allocate_number(actor: Actor, office_id: str, year: int, notice_id: str, scope: str | None) -> tuple[int, str]:
    """The notice's sequence and number from the one number service (the 发文字号 register), registered
    as the 限期整改通知书's 发文字号; call it inside the issuing transaction."""
    found = numbering.allocate(actor, f"rectification:{office_id}", year, _format(year), kind="rectification",
                               ref=notice_id, floor=_printed_highest(office_id, year), scope=scope)
    return found.serial, found.number


def _deadline(served: dt.date | None, days, deadline, errors: dict) -> tuple[dt.date | None, int | None, str]:
    """(deadline, days or None, warning) from ``--days N`` or a date; a date before the served date
    is refused."""
    if served is None:
        return None, None, ""
    if days not in (None, "") and deadline not in (None, ""):
        errors["deadline"] = "整改期限只能填一种：工作日天数，或截止日期"
        return None, None, ""
    if deadline not in (None, ""):
        day = common.day(deadline, "整改期限", errors, "deadline")
        if day is not None and day < served:
            errors["deadline"] = f"整改期限 {day} 早于送达日期 {served}，请重新填写"
        return day, None, ""
    if days in (None, ""):
        days = int(settings.get("supervision.default_workdays"))
    try:
        days = int(str(days).strip())
        if not 1 <= days <= 250:
            raise ValueError
    except ValueError:
        errors["deadline_days"] = f"整改期限应为 1 到 250 个工作日，当前为「{days}」"
        return None, None, ""
    result = holidays.add_workdays(served, days)
    return result.day, days, holidays.warning_for(result)


# --- issuing ------------------------------------------------------------------------------------


def _findings(ids, target: targets.Target | None, errors: dict) -> list:
    ids = [i for i in (ids or []) if i]
    if not ids:
        return []
    found = finding_rows(ids)
    if len(found) != len(set(ids)):
        errors["findings"] = "有的问题找不到（可能已被删除，或还在下一个同步数据包里）"
    if target is not None and any(f.village_id != target.village_id for f in found):
        errors["findings"] = "所选问题不属于整改对象所在的村（社区）"
    return found


def issue(actor: Actor, values: dict, *, today: dt.date | None = None) -> Notice:
    """Issue a notice. values: target_kind, org | holder | place, village, mechanism, responsible,
    findings (ids), problems, requirements, served_date, days (working days) or deadline (a date)."""
    require(actor, "issue_rectification")
    errors: dict = {}
    target = targets.resolve(values.get("target_kind", ""), org=values.get("org"), holder=values.get("holder"),
                             place=values.get("place", ""), village=values.get("village"), errors=errors)
    found = _findings(values.get("findings"), target, errors)
    mechanism = values.get("mechanism") or (found[0].mechanism if found else "")
    mechanism = common.check_mechanism(mechanism, errors)
    served = common.day(values.get("served_date") or (today or dt.date.today()), "送达日期", errors, "served_date")
    deadline, days, _ = _deadline(served, values.get("days"), values.get("deadline"), errors)
    problems = str(values.get("problems") or "").strip() or "；".join(f.description for f in found)
    if not problems:
        errors["problems"] = "请写明存在的问题，或选择督查发现的问题"
    responsible = str(values.get("responsible") or (target.responsible if target else "")).strip()
    if not responsible:
        errors["responsible"] = "请填写整改责任人"
    requirements = common.text(values.get("requirements"), "整改要求", errors, "requirements", minimum=4)
    common.raise_if(errors)
    office_id = common.own_office_id()
    with database.atomic():
        notice_id = new_id()
        seq, number = allocate_number(actor, office_id, served.year, notice_id, target.village_id)
        row = changes.create(Notice, actor, {
            "number": number, "office_id": office_id, "year": served.year, "seq": seq, "village_id": target.village_id,
            "mechanism": mechanism, "target_kind": target.kind, "org_id": target.org_id, "holder_id": target.holder_id,
            "place": target.place, "target_name": target.name, "responsible": responsible,
            "finding_ids": json.dumps([f.id for f in found]), "problems": problems, "requirements": requirements,
            "served_date": served, "deadline_days": days, "deadline": deadline, "status": "pending"},
            scope=target.village_id, id=notice_id)
        _event(actor, row, "issued", served, f"送达{target.name}，责任人{responsible}", new_deadline=deadline)
    return row


def _event(actor: Actor, notice: Notice, kind: str, day: dt.date, text: str, *, new_deadline=None,
           person: str = "") -> NoticeEvent:
    return changes.create(NoticeEvent, actor, {"notice_id": notice.id, "kind": kind, "day": day, "text": text,
                                               "new_deadline": new_deadline, "person": person or actor.display_name},
                          scope=notice.scope, audit=False)


def get(notice_id: str) -> Notice:
    return common.get_live(Notice, notice_id, "整改通知书")


def ids_numbered(number: str) -> list[str]:
    """The live notices with this 文号 (the command line names a notice by it or by its id)."""
    return [i for (i,) in Notice.select(Notice.id).where((Notice.number == number) & (Notice.deleted == _LIVE)).tuples()]


def ids_starting_with(prefix: str) -> list[str]:
    """The live notices whose id begins with *prefix* (a short id typed on the command line)."""
    return models.ids_starting_with(Notice, prefix)


def served_deadline(notice: Notice) -> dt.date:
    """The deadline the served letter states (a failed 复查 sets a later one on the notice)."""
    issued = next((e for e in events(notice.id) if e.kind == "issued"), None)
    return issued.new_deadline if issued is not None and issued.new_deadline else notice.deadline


def events(notice_id: str) -> list[NoticeEvent]:
    return list(NoticeEvent.select().where((NoticeEvent.notice_id == notice_id) & (NoticeEvent.deleted == _LIVE))
                .order_by(NoticeEvent.clock))


# --- rectification and 复查 ----------------------------------------------------------------------


def _own_village_may(notice: Notice, what: str) -> None:
    own = common.own_village_id()
    if own is not None and notice.village_id != own:
        raise CivDeskError(f"这份通知书不是{common.village_name(own)}的，本机不能{what}。")


def _read_photos(paths, errors: dict) -> list[photos.PhotoFile]:
    read = []
    for path in paths or []:
        try:
            read.append(path if isinstance(path, photos.PhotoFile) else photos.read(path))
        except common.ValidationError as exc:
            errors.update(exc.errors)
    return read


def _pair_ids(photo_paths, pairs) -> list[str | None]:
    """The before-photo each after-photo answers: *pairs* is a list in the photos' order (None: it
    answers none), or a dict from a photo's path (a PhotoFile's name) to the before-photo."""
    paths = list(photo_paths or [])
    if isinstance(pairs, (list, tuple)):
        return [pairs[i] if i < len(pairs) else None for i in range(len(paths))]
    by_key = {str(k): v for k, v in (pairs or {}).items()}
    return [by_key.get(p.name if isinstance(p, photos.PhotoFile) else str(p)) for p in paths]


def _store_after(actor: Actor, notice: Notice, event, read: list, pair_ids: list[str | None]) -> None:
    for photo, pair_id in zip(read, pair_ids, strict=True):
        photos.store(actor, photo, "event", event.id, notice.scope, stage="after", pair_id=pair_id or None)


def report(actor: Actor, notice_id: str, day, text: str, photo_paths=(), *, pairs=None) -> Notice:
    """The village reports its rectification (with 整改后 photos, paths or checked PhotoFiles) →
    已整改待复查. *pairs* names the 整改前 photo each one answers (see :func:`_pair_ids`); a photo
    with none stays unpaired (pairs are never guessed from the order)."""
    require(actor, "report_rectification")
    notice = get(notice_id)
    _own_village_may(notice, "报送整改情况")
    if notice.status not in ("pending", "failed"):
        raise CivDeskError(f"通知书现在是「{NOTICE_STATES[notice.status]}」，不能再报送整改情况。")
    errors: dict = {}
    when = common.day(day, "整改完成日期", errors, "day")
    if when is not None and when < notice.served_date:
        errors["day"] = f"整改完成日期 {when} 早于通知书送达日期 {notice.served_date}"
    text = common.text(text, "整改情况", errors, "text", minimum=4)
    read = _read_photos(photo_paths, errors)
    pair_ids = _pair_ids(photo_paths, pairs)
    photo_pairs.check_choices(notice, pair_ids, errors)
    common.raise_if(errors)
    with database.atomic():
        event = _event(actor, notice, "reported", when, text)
        _store_after(actor, notice, event, read, pair_ids)
        changes.update(notice, actor, {"status": "reported"}, note=f"报送整改情况：{text[:40]}")
    return notice


def review(actor: Actor, notice_id: str, day, passed: bool, text: str, *, days=None, deadline=None,
           photo_paths=(), pairs=None) -> Notice:
    """复查: passed closes the notice (销号); failed needs a new deadline (``days`` working days from
    the 复查 day, or a date) and, under a sanitation mechanism, raises the 一票否决."""
    require(actor, "review_rectification")
    notice = get(notice_id)
    if notice.status == "passed":
        raise CivDeskError(f"通知书 {notice.number} 已复查通过并销号，不能再复查。")
    own = common.own_village_id()
    if own is not None and notice.office_id != own:
        raise CivDeskError("这份通知书由镇文明办下发，复查由镇文明办进行。")
    errors: dict = {}
    when = common.day(day, "复查日期", errors, "day")
    if when is not None and when < notice.served_date:
        errors["day"] = f"复查日期 {when} 早于通知书送达日期 {notice.served_date}"
    text = common.text(text, "复查情况", errors, "text", minimum=2)
    new_deadline = None
    if not passed:
        if days in (None, "") and deadline in (None, ""):
            errors["deadline"] = "复查未通过时请重新规定整改期限（工作日天数或截止日期）"
        else:
            new_deadline, _, _ = _deadline(when, days, deadline, errors)
    read = _read_photos(photo_paths, errors)
    pair_ids = _pair_ids(photo_paths, pairs)
    photo_pairs.check_choices(notice, pair_ids, errors)
    common.raise_if(errors)
    with database.atomic():
        event = _event(actor, notice, "passed" if passed else "failed", when, text, new_deadline=new_deadline)
        _store_after(actor, notice, event, read, pair_ids)
        if passed:
            changes.update(notice, actor, {"status": "passed"}, note=f"复查通过，销号：{text[:40]}")
        else:
            changes.update(notice, actor, {"status": "failed", "deadline": new_deadline},
                           note=f"复查未通过，重新限期至 {new_deadline}：{text[:40]}")
            sanitation.veto_for(actor, notice, f"{when} 复查未通过：{text}", when)
    return notice


# --- state on a day -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    """What a board shows of a notice on a given day."""

    id: str
    short_id: str
    number: str
    mechanism: str
    target_kind: str
    target_name: str
    org_id: str | None
    village_id: str | None
    village_name: str
    responsible: str
    served_date: dt.date
    deadline: dt.date
    deadline_days: int | None  # as served (a failed 复查's new deadline is a date)
    state: str  # pending | reported | passed | failed | overdue
    state_label: str
    colour: str  # "ok" | "yellow" | "red"
    workdays_left: int
    overdue_workdays: int
    escalated: bool  # 督办
    problems: str
    finding_count: int
    sanitation: bool
    warning: str


def state_of(notice: Notice, as_of: dt.date) -> str:
    if notice.status in ("pending", "failed") and as_of > notice.deadline:
        return "overdue"
    return notice.status


@dataclass(frozen=True)
class RowContext:
    """What every row of a list shares, read once per list rather than once per row."""

    warn: int
    escalate: int
    sanitation: frozenset[str]
    villages: dict
    calendar: holidays.Calendar  # loaded once: every row's working days counted on the same calendar

    @classmethod
    def now(cls) -> RowContext:
        return cls(int(settings.get("supervision.warn_workdays")), int(settings.get("supervision.escalate_workdays")),
                   frozenset(common.sanitation_mechanisms()), office_service.names("village"), holidays.current())


def row(notice: Notice, as_of: dt.date | None = None, context: RowContext | None = None) -> NoticeRow:
    as_of = as_of or dt.date.today()
    context = context or RowContext.now()
    state = state_of(notice, as_of)
    left = overdue = 0
    warning = ""
    if state in ("pending", "failed"):
        count = context.calendar.workdays_between(as_of, notice.deadline)
        left, warning = max(0, count.days), holidays.warning_for(count)
    elif state == "overdue":
        count = context.calendar.workdays_between(notice.deadline, as_of)
        overdue, warning = max(0, count.days), holidays.warning_for(count)
    colour = "red" if state == "overdue" else (
        "yellow" if state in ("pending", "failed") and left <= context.warn else "ok")
    escalated = state == "overdue" and overdue >= context.escalate
    village = context.villages.get(notice.village_id, "") if notice.village_id else "镇区"
    return NoticeRow(notice.id, notice.id[:8], notice.number, notice.mechanism, notice.target_kind, notice.target_name,
                     notice.org_id, notice.village_id, village, notice.responsible,
                     notice.served_date, notice.deadline, notice.deadline_days, state,
                     "督办" if escalated else NOTICE_STATES[state], colour, left, overdue, escalated, notice.problems,
                     len(json.loads(notice.finding_ids or "[]")), notice.mechanism in context.sanitation, warning)


def notices(as_of: dt.date | None = None, *, state: str | None = None, village_id: str | None = None,
            year: int | None = None, open_only: bool = False) -> list[NoticeRow]:
    """Notices served up to *as_of*, most urgent first (red, yellow, then by deadline); with
    *open_only* those not yet 销号."""
    as_of = as_of or dt.date.today()
    query = Notice.select().where((Notice.deleted == _LIVE) & (Notice.served_date <= as_of))
    if open_only:
        query = query.where(Notice.status.in_(OPEN))
    if village_id:
        query = query.where(Notice.village_id == village_id)
    if year:
        query = query.where(Notice.year == year)
    context = RowContext.now()
    rows = [row(n, as_of, context) for n in query]
    if state:
        rows = [r for r in rows if r.state == state or (state == "escalated" and r.escalated)]
    rank = {"red": 0, "yellow": 1, "ok": 2}
    return sorted(rows, key=lambda r: (r.state == "passed", rank[r.colour], r.deadline, r.number))


@dataclass(frozen=True)
class EventRow:
    id: str
    kind: str
    kind_label: str
    day: dt.date
    text: str
    new_deadline: dt.date | None
    person: str
    photo_ids: tuple[str, ...]


@dataclass(frozen=True)
class NoticeDetail:
    """What the notice editor shows: the row, the letter's texts, the findings with their 整改前
    photos and the history with its 整改后 photos."""

    row: NoticeRow
    requirements: str
    served_deadline: dt.date
    findings: list
    events: list[EventRow]


def detail(notice_id: str, as_of: dt.date | None = None) -> NoticeDetail:
    notice = get(notice_id)
    found = events(notice.id)
    pictures: dict[str, list[str]] = {}
    for photo in photos.of([e.id for e in found]):
        pictures.setdefault(photo.owner_id, []).append(photo.id)
    history = [EventRow(e.id, e.kind, EVENT_KINDS.get(e.kind, e.kind), e.day, e.text, e.new_deadline, e.person,
                        tuple(pictures.get(e.id, ()))) for e in found]
    return NoticeDetail(row(notice, as_of), notice.requirements, served_deadline(notice),
                        finding_rows(json.loads(notice.finding_ids or "[]")), history)
