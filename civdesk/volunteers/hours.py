"""Service hours: entry, review, correction, totals and star levels.

A clerk enters records; a reviewer approves them; nobody approves what they entered. Approved
records are locked (the table is append-only); a correction is a new record holding the signed
adjustment, and it is reviewed like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, SQL, NodeList, fn

from civdesk.core import changes, models, validation
from civdesk.core import merges as merging
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.office import settings
from civdesk.volunteers.models import Activity, ActivityParticipant, ServiceApproval, ServiceRecord, Volunteer

MAX_HALF_HOURS_PER_DAY = 48  # 24 hours: a day has no more, whatever the activities


def parse_hours(value, label: str = "服务时长") -> int:
    """Hours in steps of 0.5, at most a day's 24 → half-hours; raises ValidationError with a clear message."""
    hours = validation.parse_number(value, label, field="hours", above=0, maximum=24, step="0.5", unit="小时",
                                    example="2 或 1.5", suffixes=("小时", "h", "H"))
    return int(hours * 2)


# The one rule for minutes (an hours sheet of another system counts in minutes).
MINUTES_RULE = ("分钟换算成小时后按 0.5 小时四舍五入：15–44 分钟计 0.5 小时，45–74 分钟计 1 小时，依此类推；"
                "不足 15 分钟的记录不能导入")
_MINUTE_SUFFIXES = ("分钟", "min", "mins", "MIN", "分")
_DAY_WORDS = ("半天", "一天", "全天", "半日", "一日", "整天", "上午", "下午", "晚上")


def in_minutes(value) -> bool:
    """Whether an hours cell says it is minutes ("90分钟", "45 min")."""
    return value.__class__ is str and value.strip().endswith(_MINUTE_SUFFIXES)


def parse_minutes(value, label: str = "服务时长") -> tuple[int, str]:
    """Minutes → (half-hours by :data:`MINUTES_RULE`, the conversion as the preview shows it:
    "20 分钟 → 0.33 小时，计 0.5 小时"); raises ValidationError with a clear message."""
    minutes = validation.parse_number(value, label, field="hours", above=0, maximum=24 * 60, unit="分钟",
                                      example="90", suffixes=_MINUTE_SUFFIXES)
    half = int((minutes + 15) // 30)
    exact = f"{float(minutes) / 60:.2f}".rstrip("0").rstrip(".")
    shown = f"{minutes.normalize():f} 分钟 → {exact} 小时"
    if half == 0:
        raise ValidationError({"hours": f"{label} {shown}，不足 15 分钟，按规则不计时长，不能导入"})
    if half > MAX_HALF_HOURS_PER_DAY:
        raise ValidationError({"hours": f"{label} {shown}，超过一天 24 小时"})
    return half, f"{shown}，计 {half / 2:g} 小时"


def refuse_day_words(value, label: str = "服务时长") -> None:
    """「半天」「一天」 are no hours: say how to write them instead of guessing 4 or 8."""
    text = value.strip() if value.__class__ is str else ""
    if text and any(word in text for word in _DAY_WORDS):
        raise ValidationError({"hours": f"{label}「{text}」不能换算成小时：请填写实际服务的小时数，如 4 或 3.5"
                                        "（半天、一天也请按实际小时数填写）"})


def status_of(record_id: str) -> str:
    decision = (ServiceApproval.select(ServiceApproval.decision)
                .where(ServiceApproval.record_id == record_id).order_by(ServiceApproval.clock).first())
    return decision.decision if decision else "pending"


def waiting():
    """A condition on ServiceRecord: no decision yet, not deleted. Written with literal values so
    that SQLite answers it from the partial index ``service_record_pending`` (schema step 19)
    instead of reading every record."""
    return (ServiceRecord.pending == SQL("1")) & (ServiceRecord.deleted == SQL("0"))


def decided(decision: str):
    """A condition on ServiceRecord: its FIRST decision (lowest clock) is *decision*.

    Two reviewers on two PCs may both decide the same record before their PCs meet; the
    earliest decision stands everywhere, so a record is never counted twice or both ways.
    Correlated EXISTS on the indexed record_id keeps one volunteer's total a few index probes.
    """
    first, earlier = ServiceApproval.alias("first_decision"), ServiceApproval.alias("earlier_decision")
    before = earlier.select(SQL("1")).where((earlier.record_id == first.record_id) & (earlier.clock < first.clock))
    return fn.EXISTS(first.select(SQL("1")).where((first.record_id == ServiceRecord.id)
                                                   & (first.decision == decision) & ~fn.EXISTS(before)))


def counts_toward_day_limit():
    """Which records fill a day's 24 hours: pending and approved ones, not rejected ones, and a
    correction downwards only once it is approved (until then it may still be rejected)."""
    return ~decided("rejected") & ((ServiceRecord.half_hours > 0) | decided("approved"))


def _day_total(volunteer_id: str, day: dt.date) -> int:
    return (ServiceRecord.select(fn.COALESCE(fn.SUM(ServiceRecord.half_hours), 0))
            .where((ServiceRecord.volunteer_id << merging.merges(Volunteer).family([volunteer_id]))
                   & (ServiceRecord.service_date == day)
                   & counts_toward_day_limit())
            .scalar())


def check_day_limit(volunteer: Volunteer, day: dt.date, half_hours: int, pending_in_batch: int = 0) -> None:
    already = _day_total(volunteer.id, day) + pending_in_batch
    if already + half_hours > MAX_HALF_HOURS_PER_DAY:
        raise ValidationError({"hours": f"{volunteer.name} 在 {day.isoformat()} 已记录 {already / 2:g} 小时，"
                                        f"再记录 {half_hours / 2:g} 小时将超过一天 24 小时"})


def future_problem(day: dt.date, today: dt.date) -> str | None:
    """Hours are recorded for service done, never ahead of it."""
    return f"服务日期 {day.isoformat()} 还没到，不能提前记录" if day > today else None


def outside_problem(day: dt.date, name: str, activities: list[Activity]) -> str | None:
    """A record of an activity falls within the activity's dates (of one of them, for a name
    several activities share)."""
    if any(a.start_date <= day <= a.end_date for a in activities):
        return None
    spans = "、".join(f"{a.start_date.isoformat()} 至 {a.end_date.isoformat()}" for a in activities[:3])
    return f"服务日期 {day.isoformat()} 不在活动「{name}」的日期内（{spans}）"


def clean_record(volunteer_id: str, service_date, hours, activity_id: str | None = None,
                 today: dt.date | None = None) -> dict:
    errors = {}
    volunteer = Volunteer.get_or_none((Volunteer.id == volunteer_id) & (Volunteer.deleted == False))  # noqa: E712
    if volunteer is None:
        errors["volunteer_id"] = "请选择志愿者"
    day = validation.date_value(service_date, "服务日期")
    if not day.ok:
        errors["service_date"] = day.error
    elif problem := future_problem(day.value, today or dt.date.today()):
        errors["service_date"] = problem
    try:
        half = parse_hours(hours)
    except ValidationError as exc:
        errors.update(exc.errors)
        half = 0
    activity = None
    if activity_id:
        activity = Activity.get_or_none((Activity.id == activity_id) & (Activity.deleted == False))  # noqa: E712
        if activity is None:
            errors["activity_id"] = "找不到这个活动"
        elif day.ok and (problem := outside_problem(day.value, activity.name, [activity])):
            errors["service_date"] = problem
    if errors:
        raise ValidationError(errors)
    return {"volunteer": volunteer, "service_date": day.value, "half_hours": half, "activity": activity}


def enter(actor: Actor, volunteer_id: str, service_date, hours, *, activity_id: str | None = None,
          content: str = "") -> ServiceRecord:
    require(actor, "enter_hours")
    values = clean_record(volunteer_id, service_date, hours, activity_id)
    volunteer, activity = values["volunteer"], values["activity"]
    check_day_limit(volunteer, values["service_date"], values["half_hours"])
    with database.atomic():
        record = changes.create(ServiceRecord, actor, {
            "volunteer_id": volunteer.id, "activity_id": activity.id if activity else None,
            "service_date": values["service_date"], "half_hours": values["half_hours"],
            "content": (content or (activity.content if activity else "")).strip()},
            scope=volunteer.scope, record_label=f"{volunteer.name} {values['service_date'].isoformat()}")
        if activity is not None:
            add_participant(actor, activity, volunteer)
    return record


def add_participant(actor: Actor, activity: Activity, volunteer: Volunteer) -> None:
    pid = changes.deterministic_id("participant", activity.id, volunteer.id)
    existing = ActivityParticipant.get_or_none(ActivityParticipant.id == pid)
    if existing is None:
        changes.create(ActivityParticipant, actor, {"activity_id": activity.id, "volunteer_id": volunteer.id},
                       id=pid, scope=volunteer.scope, audit=False)
    elif existing.deleted:
        changes.undelete(existing, actor)


def enter_many(actor: Actor, records: list[dict], *, note: str) -> list[str]:
    """The bulk path of :func:`enter`, for records ``hours_batch.check_import`` passed: the same
    rows and change-log entries, one audit entry (*note*) for the batch, and the activities'
    participants added as :func:`enter` adds them.  The caller holds the transaction."""
    require(actor, "enter_hours")
    ids = changes.create_many(ServiceRecord, actor, records, note=note)
    _add_participants(actor, {(r["activity_id"], r["volunteer_id"]) for r in records if r["activity_id"]})
    return ids


def _add_participants(actor: Actor, pairs: set[tuple[str, str]]) -> None:
    """add_participant for many pairs, with a query per 500 rather than per pair."""
    if not pairs:
        return
    wanted = {changes.deterministic_id("participant", a, v): (a, v) for a, v in pairs}
    present = set()
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        present.update(p.id for p in ActivityParticipant.select(ActivityParticipant.id)
                       .where((ActivityParticipant.id << ids[start:start + 500])
                              & (ActivityParticipant.deleted == False)))  # noqa: E712
    missing = [pair for pid, pair in wanted.items() if pid not in present]
    if not missing:
        return
    activities = {a.id: a for a in Activity.select().where(Activity.id << sorted({a for a, _ in missing}))}
    people = {}
    vids = sorted({v for _, v in missing})
    for start in range(0, len(vids), 500):
        people.update({p.id: p for p in Volunteer.select().where(Volunteer.id << vids[start:start + 500])})
    for activity_id, volunteer_id in missing:
        add_participant(actor, activities[activity_id], people[volunteer_id])


def _record(record_id: str) -> ServiceRecord:
    record = ServiceRecord.get_or_none(ServiceRecord.id == record_id)
    if record is None:
        raise NotFound("找不到这条服务记录。")
    return record


def ids_starting_with(prefix: str) -> list[str]:
    """The live service records whose id begins with *prefix* (a short id typed on the command line)."""
    return models.ids_starting_with(ServiceRecord, prefix)


def _decide(actor: Actor, record_id: str, decision: str, reason: str = "") -> None:
    require(actor, "approve_hours")
    record = _record(record_id)
    volunteer = Volunteer.get_by_id(record.volunteer_id)
    label = f"{volunteer.name} {record.service_date.isoformat()} {record.half_hours / 2:g} 小时"
    if record.created_by == actor.username:
        raise CivDeskError(f"不能审核自己录入的记录（{label}），请由其他审核人审核。")
    current = status_of(record.id)
    if current != "pending":
        raise CivDeskError(f"这条记录（{label}）已经审核过（{'已审核' if current == 'approved' else '已退回'}），"
                           "不能再次审核。")
    changes.create(ServiceApproval, actor, {"record_id": record.id, "decision": decision, "reason": reason},
                   scope=record.scope, record_label=label, note="审核通过" if decision == "approved" else reason)


def approve(actor: Actor, record_ids: list[str]) -> int:
    """Approve several records at once; all or nothing."""
    with database.atomic():
        for record_id in record_ids:
            _decide(actor, record_id, "approved")
    return len(record_ids)


def reject(actor: Actor, record_id: str, reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": "退回时请写明原因，方便录入员更正"})
    with database.atomic():
        _decide(actor, record_id, "rejected", reason.strip())


def effective_half_hours(record_id: str) -> int:
    """An approved record's hours after its approved corrections."""
    record = _record(record_id)
    corrections = (ServiceRecord.select(fn.COALESCE(fn.SUM(ServiceRecord.half_hours), 0))
                   .where((ServiceRecord.corrects_id == record_id) & decided("approved")).scalar())
    return record.half_hours + corrections


def correct(actor: Actor, record_id: str, new_hours, reason: str) -> ServiceRecord:
    """Correct an approved record by a new record with the difference; reviewed like any record."""
    require(actor, "enter_hours")
    record = _record(record_id)
    if record.corrects_id:
        raise CivDeskError("这是一条更正记录；请更正原始记录。")
    if status_of(record.id) != "approved":
        raise CivDeskError("只有已审核的记录需要更正；未审核的记录请退回后重新录入。")
    if any(status_of(c.id) == "pending" for c in ServiceRecord.select(ServiceRecord.id)
           .where(ServiceRecord.corrects_id == record.id)):
        raise CivDeskError("这条记录已有一条更正在等待审核；请先审核或退回那条更正，再作新的更正。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明更正原因"})
    new_half = parse_hours(new_hours, "更正后的时长")
    delta = new_half - effective_half_hours(record.id)
    if delta == 0:
        raise ValidationError({"hours": "更正后的时长与现在相同，无需更正"})
    volunteer = Volunteer.get_by_id(record.volunteer_id)
    if delta > 0:
        check_day_limit(volunteer, record.service_date, delta)
    return changes.create(ServiceRecord, actor, {
        "volunteer_id": record.volunteer_id, "activity_id": record.activity_id,
        "service_date": record.service_date, "half_hours": delta,
        "content": f"更正：{reason.strip()}", "corrects_id": record.id},
        scope=record.scope, record_label=f"{volunteer.name} {record.service_date.isoformat()}（更正）")


# --- totals and stars ----------------------------------------------------------------------


def _approved_sum(query):
    return query.where(decided("approved"))


def total_half_hours(volunteer_id: str, date_from: dt.date | None = None, date_to: dt.date | None = None) -> int:
    """Approved hours of a person, with those of every record merged into them."""
    family = merging.merges(Volunteer).family([volunteer_id])
    query = _approved_sum(ServiceRecord.select(fn.COALESCE(fn.SUM(ServiceRecord.half_hours), 0))
                          .where(ServiceRecord.volunteer_id << family))
    if date_from:
        query = query.where(ServiceRecord.service_date >= date_from)
    if date_to:
        query = query.where(ServiceRecord.service_date <= date_to)
    return query.scalar() or 0


def totals_for(volunteer_ids: list[str]) -> dict[str, int]:
    """Approved half-hours per person; records of people merged into them count for them."""
    if not volunteer_ids:
        return {}
    found = merging.merges(Volunteer)
    wanted = found.family(volunteer_ids) if found.survivor_of else volunteer_ids
    query = _approved_sum(ServiceRecord.select(ServiceRecord.volunteer_id, fn.SUM(ServiceRecord.half_hours))
                          .where(ServiceRecord.volunteer_id << wanted)).group_by(ServiceRecord.volunteer_id)
    totals = found.fold(dict(query.tuples()))
    return {vid: totals[vid] for vid in volunteer_ids if vid in totals}


def star_thresholds() -> list[int]:
    return list(settings.get("volunteer.star_hours"))


def star_level(half_hours: int, thresholds: list[int] | None = None) -> int:
    thresholds = thresholds if thresholds is not None else star_thresholds()
    return sum(1 for hours in thresholds if half_hours >= hours * 2)


@dataclass(frozen=True)
class RecordRow:
    id: str
    volunteer_id: str
    volunteer_name: str
    volunteer_number: str
    service_date: str
    hours: float
    activity: str
    content: str
    status: str  # pending / approved / rejected
    entered_by: str
    corrects_id: str | None
    reason: str
    activity_id: str | None = None


STATUS_LABELS = {"pending": "待审核", "approved": "已审核", "rejected": "已退回"}


def records(volunteer_id: str | None = None, *, status: str = "", date_from=None, date_to=None,
            activity_id: str | None = None, limit: int | None = None,
            ids: list[str] | None = None, activity_ids: list[str] | None = None) -> list[RecordRow]:
    """Service records with their status, newest first (for detail views and the review screen);
    *ids* reads just those records, *activity_ids* those of these activities, in one query."""
    # Only the first decision of a record counts (see decided()).
    decision, earlier = ServiceApproval.alias("decision"), ServiceApproval.alias("earlier")
    query = (ServiceRecord.select(ServiceRecord, Volunteer.name, Volunteer.number, Activity.name.alias("act"),
                                  decision.decision, decision.reason)
             # "+" keeps SQLite from walking every volunteer's records for the newest few (it did,
             # for LIMIT 100, on a large office: 3 s); a volunteer filter below still uses that index.
             .join(Volunteer, on=(Volunteer.id == NodeList((SQL("+"), ServiceRecord.volunteer_id), glue="")))
             .switch(ServiceRecord).join(Activity, JOIN.LEFT_OUTER, on=(Activity.id == ServiceRecord.activity_id))
             .switch(ServiceRecord).join(decision, JOIN.LEFT_OUTER, on=(
                 (decision.record_id == ServiceRecord.id) & ~fn.EXISTS(
                     earlier.select(SQL("1")).where((earlier.record_id == decision.record_id)
                                                    & (earlier.clock < decision.clock))))))
    found = merging.merges(Volunteer)
    if volunteer_id:
        query = query.where(ServiceRecord.volunteer_id << found.family([volunteer_id]))
    if activity_id:
        query = query.where(ServiceRecord.activity_id == activity_id)
    if ids is not None:
        query = query.where(ServiceRecord.id.in_(list(ids)))
    if activity_ids is not None:
        query = query.where(ServiceRecord.activity_id.in_(list(activity_ids)))
    if date_from:
        query = query.where(ServiceRecord.service_date >= date_from)
    if date_to:
        query = query.where(ServiceRecord.service_date <= date_to)
    if status == "pending":
        query = query.where(waiting() & decision.decision.is_null())
    elif status:
        query = query.where(decision.decision == status)
    query = query.order_by(ServiceRecord.service_date.desc(), ServiceRecord.clock.desc())
    if limit:
        query = query.limit(limit)
    result = []
    rows = list(query.dicts())
    _to_survivors(rows, found)
    for row in rows:
        result.append(RecordRow(row["id"], row["volunteer_id"], row["name"], row["number"],
                                row["service_date"].isoformat(), row["half_hours"] / 2, row["act"] or "",
                                row["content"], row["decision"] or "pending", row["created_by"],
                                row["corrects_id"], row["reason"] or "", row["activity_id"]))
    return result


def _to_survivors(rows: list[dict], found) -> None:
    """Records that name a merged person are shown under the person kept."""
    merged = {row["volunteer_id"] for row in rows if found.survivor(row["volunteer_id"]) != row["volunteer_id"]}
    if not merged:
        return
    kept = {v.id: v for v in Volunteer.select().where(Volunteer.id << [found.survivor(m) for m in merged])}
    for row in rows:
        survivor = kept.get(found.survivor(row["volunteer_id"]))
        if survivor is not None:
            row.update(volunteer_id=survivor.id, name=survivor.name, number=survivor.number)


def activities_without_hours(today: dt.date | None = None) -> list[Activity]:
    """Activities that ended more than N working days ago (a setting) with no hours recorded."""
    today = today or dt.date.today()
    cutoff = record_cutoff(today, settings.get("volunteer.record_within_workdays"))
    recorded = ServiceRecord.select(ServiceRecord.activity_id).where(ServiceRecord.activity_id.is_null(False))
    return list(Activity.select().where((Activity.deleted == False) & (Activity.end_date < cutoff)  # noqa: E712
                                        & Activity.id.not_in(recorded)).order_by(Activity.end_date))


def record_deadline(ended: dt.date, workdays: int) -> dt.date:
    """The last day to record an activity's hours: N working days after it ended (the office's
    working-day calendar, holidays and 调休 included)."""
    from civdesk.calendar import holidays

    return holidays.add_workdays(ended, workdays).day


def record_cutoff(today: dt.date, workdays: int) -> dt.date:
    """The earliest end date whose deadline has not passed by *today*: activities that ended
    before it are late."""
    cutoff = today
    while record_deadline(cutoff - dt.timedelta(days=1), workdays) >= today:
        cutoff -= dt.timedelta(days=1)
    return cutoff
