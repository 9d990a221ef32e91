"""公示, 表彰 and the upward track of good-people nominations.

The notice goes through the shared ``notices`` module; a nominee is honoured only when
``notices.clearance`` says the notice has ended with no pending or upheld objection. Honours and
submissions to higher lists (新都好人, 成都好人榜, 四川好人榜, 中国好人榜) stay on the person's
record, so the next nomination of the same person shows them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.nominations import nominees as core
from civdesk.nominations import review
from civdesk.nominations.models import (
    STATUSES,
    UPWARD_LISTS,
    UPWARD_OUTCOMES,
    Nomination,
    NominationSession,
    Nominee,
    NomineeHonour,
    UpwardSubmission,
)
from civdesk.notices import public_notices as notices
from civdesk.office import offices as office_service

_LIVE = False
LIST_LEVELS = {"新都好人": "区级", "成都好人榜": "市级", "四川好人榜": "省级", "中国好人榜": "国家级"}


def honour_name(session_name: str) -> str:
    """清溪镇2026年第四季度身边好人评选 → 清溪镇2026年第四季度身边好人 (the title conferred)."""
    return re.sub(r"(评选活动|评选|评议)$", "", session_name)


def notice_title(session: NominationSession) -> str:
    return f"关于{honour_name(session.name)}拟表彰对象的公示"


def honour_title(session: NominationSession, category: str) -> str:
    return f"{honour_name(session.name)}（{category}）"


def notice_candidates(session_id: str) -> list[notices.Candidate]:
    """The selected nominees in tally order; refused while a tie at the quota line is undecided."""
    result = review.tally(session_id)
    if not result.locked:
        raise CivDeskError("评议结束、打分锁定后才能公示。")
    if result.undecided:
        raise CivDeskError(f"「{'、'.join(result.undecided)}」在名额线上有并列，请先在“评议结果”中作出决定并写明依据。")
    found = []
    for row in result.selected():
        nomination = core.get(row.nomination_id)
        detail = f"{row.village}　{row.category}：{row.summary}" if row.village else f"{row.category}：{row.summary}"
        found.append(notices.Candidate(row.nomination_id, row.name, detail, nomination.scope))
    if not found:
        raise CivDeskError("评议结果中没有入选的被推荐人，无法公示。")
    return found


def session_notice(session_id: str) -> notices.Notice | None:
    live = [n for n in notices.for_subject("nomination", session_id) if not n.withdrawn]
    return live[0] if live else None


def publish_notice(actor: Actor, session_id: str, start_date, *, days: int | None = None, title: str | None = None,
                   body: str = "", contact: str | None = None) -> notices.Notice:
    require(actor, "decide_nominations")
    session = core.get_session(session_id)
    if session.phase != "notice":
        raise CivDeskError(f"「{session.name}」现在是{core.PHASES[session.phase]}阶段，评议结束后才能公示。")
    if session_notice(session_id) is not None:
        raise CivDeskError("本次评选已经发布了公示；如需重新公示，请先撤回原公示。")
    candidates = notice_candidates(session_id)
    return publish_candidates(actor, session, candidates, start_date, days=days, title=title, body=body,
                              contact=contact)


def publish_candidates(actor: Actor, session: NominationSession, candidates: list[notices.Candidate], start_date,
                       **options) -> notices.Notice:
    """Publish exactly *candidates* (from :func:`notice_candidates`) and mark every nominee in 评议
    as 公示 or 未入选; the GUI calls this from the shared publish dialog."""
    chosen = {c.item_id for c in candidates}
    title = options.pop("title", None) or notice_title(session)
    with database.atomic():
        notice = notices.publish(actor, "nomination", session.id, title, candidates, start_date, **options)
        mark_published(actor, session, chosen)
    return notice


def mark_published(actor: Actor, session: NominationSession, chosen: set[str]) -> None:
    require(actor, "decide_nominations")
    with database.atomic():
        for nomination in core.nominations(session.id, ("review", "not_selected")):
            if nomination.id in chosen:
                core.set_status(actor, nomination, "notice", "列入公示名单")
            elif nomination.status == "review":
                core.set_status(actor, nomination, "not_selected", "评议未入选")


@dataclass(frozen=True)
class AwardResult:
    honoured: list[str]
    dropped: list[tuple[str, str]]  # (name, why)


def award(actor: Actor, session_id: str, award_date: dt.date | None = None, today: dt.date | None = None) -> AwardResult:
    """表彰决定: every nominee on the notice is cleared (the notice ended, objections looked into);
    one whose objection was upheld is not honoured. Refused while anyone is still waiting."""
    require(actor, "decide_nominations")
    session = core.get_session(session_id)
    if session.phase != "notice":
        raise CivDeskError(f"「{session.name}」现在是{core.PHASES[session.phase]}阶段，公示之后才能作出表彰决定。")
    listed = core.nominations(session.id, ("notice",))
    if not listed:
        raise CivDeskError("还没有公示名单；请先发布公示，公示期满后再作出表彰决定。")
    checks = {n.id: notices.clearance(n.id, today) for n in listed}
    upheld = {n.id for n in listed if not checks[n.id].ok and checks[n.id].notice is not None
              and any(o.outcome == "upheld" for o in notices.objections(checks[n.id].notice.id, n.id))}
    waiting = [(core.nominee_name(n), checks[n.id].reason) for n in listed if not checks[n.id].ok and n.id not in upheld]
    if waiting:
        name, reason = waiting[0]
        raise CivDeskError(f"还不能作出表彰决定：{name}——{reason}")
    award_date = award_date or today or dt.date.today()
    ended = max(c.notice.end_date for c in checks.values() if c.notice is not None)
    if award_date <= ended:
        raise ValidationError({"award_date": f"表彰日期 {award_date} 应在公示期满（{ended}）之后"})
    own = office_service.own_office_or_none()
    honoured, dropped = [], []
    with database.atomic():
        for nomination in listed:
            name = core.nominee_name(nomination)
            if nomination.id in upheld:
                core.set_status(actor, nomination, "not_selected", checks[nomination.id].reason)
                dropped.append((name, checks[nomination.id].reason))
                continue
            core.set_status(actor, nomination, "honoured", checks[nomination.id].reason)
            changes.create(NomineeHonour, actor, {
                "nominee_id": nomination.nominee_id, "title": honour_title(session, nomination.category),
                "level": "镇级", "awarded_by": own.name if own else "", "awarded_date": award_date,
                "session_id": session.id}, scope=nomination.scope)
            honoured.append(name)
        core.set_phase(actor, session, "award", f"表彰 {len(honoured)} 人", award_date=award_date)
    return AwardResult(honoured, dropped)


def honoured(session_id: str) -> list[Nomination]:
    return core.nominations(session_id, ("honoured",))


# --- honours and the upward track ------------------------------------------------------------


def add_honour(actor: Actor, nominee_id: str, title: str, level: str = "", awarded_by: str = "",
               awarded_date=None) -> NomineeHonour:
    """An earlier honour entered from paper records, so a new nomination shows it."""
    require(actor, "edit_nominations")
    person = core.get_nominee(nominee_id)
    errors = {}
    checked_title = validation.required(title, "荣誉名称")
    if not checked_title.ok:
        errors["title"] = checked_title.error
    day = validation.date_value(awarded_date, "授予日期", required=False)
    if not day.ok:
        errors["awarded_date"] = day.error
    if errors:
        raise ValidationError(errors)
    return changes.create(NomineeHonour, actor, {
        "nominee_id": person.id, "title": checked_title.value, "level": validation.normalize_text(level),
        "awarded_by": validation.normalize_text(awarded_by), "awarded_date": day.value}, scope=person.scope)


def submit_upward(actor: Actor, nominee_id: str, list_name: str, submitted_date, *, period: str = "",
                  nomination_id: str | None = None, note: str = "") -> UpwardSubmission:
    """Recommend a person honoured here to a higher list."""
    require(actor, "edit_nominations")
    person = core.get_nominee(nominee_id)
    errors = {}
    list_name = validation.normalize_text(list_name)
    if not list_name:
        errors["list_name"] = f"请选择推荐到哪一级：{'、'.join(UPWARD_LISTS)}"
    day = validation.date_value(submitted_date, "报送日期")
    if not day.ok:
        errors["submitted_date"] = day.error
    if errors:
        raise ValidationError(errors)
    if not core.honours(person.id):
        raise CivDeskError(f"{person.name}还没有获得过表彰；向上推荐的应是本级已表彰的身边好人或道德模范。")
    period = validation.normalize_text(period)
    clash = UpwardSubmission.select().where(
        (UpwardSubmission.nominee_id << core.same_person(person.id)) & (UpwardSubmission.list_name == list_name)
        & (UpwardSubmission.period == period) & (UpwardSubmission.deleted == _LIVE)).first()
    if clash is not None:
        raise CivDeskError(f"{person.name}已于 {clash.submitted_date} 推荐到{list_name}{period}，"
                           f"结果：{UPWARD_OUTCOMES[clash.outcome]}。")
    return changes.create(UpwardSubmission, actor, {
        "nominee_id": person.id, "nomination_id": nomination_id, "list_name": list_name, "period": period,
        "submitted_date": day.value, "outcome": "pending", "note": (note or "").strip()}, scope=person.scope)


def record_outcome(actor: Actor, submission_id: str, outcome: str, outcome_date=None, note: str = "") -> None:
    """The higher list's result; a listing is also added to the person's honours."""
    require(actor, "edit_nominations")
    row = UpwardSubmission.get_or_none((UpwardSubmission.id == submission_id) & (UpwardSubmission.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这条向上推荐记录。")
    if outcome not in UPWARD_OUTCOMES or outcome == "pending":
        raise ValidationError({"outcome": "结果只能是「已入选」或「未入选」"})
    day = validation.date_value(outcome_date, "结果日期")
    if not day.ok:
        raise ValidationError({"outcome_date": day.error})
    if day.value < row.submitted_date:
        raise ValidationError({"outcome_date": f"结果日期早于报送日期 {row.submitted_date}"})
    if row.outcome != "pending":
        raise CivDeskError(f"这条推荐已有结果：{UPWARD_OUTCOMES[row.outcome]}。")
    with database.atomic():
        changes.update(row, actor, {"outcome": outcome, "outcome_date": day.value,
                                    "note": (note or row.note or "").strip()})
        if outcome == "listed":
            changes.create(NomineeHonour, actor, {
                "nominee_id": row.nominee_id, "title": f"{row.period}{row.list_name}",
                "level": LIST_LEVELS.get(row.list_name, ""), "awarded_by": row.list_name,
                "awarded_date": day.value}, scope=row.scope)


def submissions(nominee_id: str) -> list[UpwardSubmission]:
    return list(UpwardSubmission.select().where((UpwardSubmission.nominee_id << core.same_person(nominee_id))
                                                & (UpwardSubmission.deleted == _LIVE))
                .order_by(UpwardSubmission.submitted_date, UpwardSubmission.id))


@dataclass(frozen=True)
class PersonRecord:
    nominee: Nominee
    nominations: list[tuple[str, str, str]]  # (session name, category, status label)
    honours: list[NomineeHonour]
    submissions: list[UpwardSubmission]


def person_record(nominee_id: str) -> PersonRecord:
    person = core.get_nominee(nominee_id)
    history = []
    for n in (Nomination.select().where((Nomination.nominee_id << core.same_person(person.id))
                                        & (Nomination.deleted == _LIVE))
              .order_by(Nomination.created_at)):
        session = NominationSession.get_or_none(NominationSession.id == n.session_id)
        history.append((session.name if session else "", n.category, STATUSES.get(n.status, n.status)))
    return PersonRecord(person, history, core.honours(person.id), submissions(person.id))


def is_honoured(nomination_id: str) -> bool:
    nomination = Nomination.get_or_none(Nomination.id == nomination_id)
    return nomination is not None and nomination.status == "honoured"

