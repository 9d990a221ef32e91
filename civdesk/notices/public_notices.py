"""Public notices (公示) and objections, for every module that names or honours someone.

The rule the modules rely on is ``clearance(item_id)``: a candidate may be named only after it
stood on a notice that has ended (the day after ``end_date``) and every objection raised against
it during the notice was looked into and found not to hold. A notice is township-wide (every
village sees it); an objection belongs to the candidate's village, since it may name people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.registry import registry
from civdesk.core.validation import ValidationError
from civdesk.notices.models import OUTCOMES, SUBJECTS, NoticeCandidate, Objection, PublicNotice
from civdesk.office import settings


@dataclass(frozen=True)
class Candidate:
    """A name to publish: the application or nomination it stands for and how it reads."""

    item_id: str
    label: str
    detail: str = ""
    scope: str | None = None  # the candidate's village: objections against it belong there


@dataclass(frozen=True)
class Clearance:
    ok: bool
    reason: str
    notice: PublicNotice | None = None


@dataclass(frozen=True)
class NoticeStatus:
    state: str  # "未开始" | "公示中" | "已期满" | "已撤回"
    days_left: int
    pending: int
    upheld: int

    @property
    def text(self) -> str:
        parts = [self.state if self.state != "公示中" else f"公示中（还剩 {self.days_left} 天）"]
        if self.pending:
            parts.append(f"{self.pending} 条异议待核实")
        if self.upheld:
            parts.append(f"{self.upheld} 条异议成立")
        return "，".join(parts)


# The row type callers get back (other domains never import the notice tables).
Notice = PublicNotice


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()




def notice_days() -> int:
    return int(settings.get("notice.days"))


def default_contact() -> str:
    text = (settings.get("notice.contact") or "").strip()
    if text:
        return text
    from civdesk.office import offices as office

    own = office.own_office_or_none()
    return f"联系电话：{own.phone}" if own is not None and own.phone else ""


def get(notice_id: str) -> PublicNotice:
    notice = PublicNotice.get_or_none((PublicNotice.id == notice_id) & (PublicNotice.deleted == False))  # noqa: E712
    if notice is None:
        raise NotFound("找不到这份公示，它可能已被删除。")
    return notice


def candidates(notice_id: str) -> list[NoticeCandidate]:
    return list(NoticeCandidate.select().where((NoticeCandidate.notice_id == notice_id)
                                               & (NoticeCandidate.deleted == False))  # noqa: E712
                .order_by(NoticeCandidate.position, NoticeCandidate.name))


def objections(notice_id: str, item_id: str | None = None) -> list[Objection]:
    query = (Objection.notice_id == notice_id) & (Objection.deleted == False)  # noqa: E712
    if item_id is not None:
        query &= Objection.item_id == item_id
    return list(Objection.select().where(query).order_by(Objection.received_date, Objection.created_at))


def get_objection(objection_id: str) -> Objection | None:
    """One objection (None if there is no such live objection)."""
    return Objection.get_or_none((Objection.id == objection_id) & (Objection.deleted == False))  # noqa: E712


def for_subject(subject: str, subject_ref: str | None = None) -> list[PublicNotice]:
    """Notices of a module (and a year or session), newest first; withdrawn ones included."""
    query = (PublicNotice.subject == subject) & (PublicNotice.deleted == False)  # noqa: E712
    if subject_ref is not None:
        query &= PublicNotice.subject_ref == subject_ref
    return list(PublicNotice.select().where(query).order_by(PublicNotice.start_date.desc(),
                                                            PublicNotice.created_at.desc()))


def notices_of(item_id: str) -> list[PublicNotice]:
    """Notices (not withdrawn) an item stood on, newest first."""
    return list(PublicNotice.select().join(NoticeCandidate, on=(NoticeCandidate.notice_id == PublicNotice.id))
                .where((NoticeCandidate.item_id == item_id) & (NoticeCandidate.deleted == False)  # noqa: E712
                       & (PublicNotice.deleted == False) & (PublicNotice.withdrawn == False))  # noqa: E712
                .order_by(PublicNotice.start_date.desc(), PublicNotice.created_at.desc()))


def status(notice: PublicNotice, today: dt.date | None = None) -> NoticeStatus:
    return _status(notice, objections(notice.id), _today(today))


def statuses(notices: list[PublicNotice], today: dt.date | None = None) -> dict[str, NoticeStatus]:
    """``status`` of many notices: their objections read once for all (notice id -> status)."""
    raised: dict[str, list[Objection]] = {n.id: [] for n in notices}
    for objection in _objections_of([n.id for n in notices]):
        raised[objection.notice_id].append(objection)
    return {n.id: _status(n, raised[n.id], _today(today)) for n in notices}


def _objections_of(notice_ids: list[str]) -> list[Objection]:
    if not notice_ids:
        return []
    return list(Objection.select().where((Objection.notice_id << notice_ids) & (Objection.deleted == False))  # noqa: E712
                .order_by(Objection.received_date, Objection.created_at))


def _status(notice: PublicNotice, found: list[Objection], today: dt.date) -> NoticeStatus:
    pending = sum(o.outcome == "pending" for o in found)
    upheld = sum(o.outcome == "upheld" for o in found)
    if notice.withdrawn:
        return NoticeStatus("已撤回", 0, pending, upheld)
    if today < notice.start_date:
        return NoticeStatus("未开始", (notice.end_date - notice.start_date).days + 1, pending, upheld)
    if today <= notice.end_date:
        return NoticeStatus("公示中", (notice.end_date - today).days + 1, pending, upheld)
    return NoticeStatus("已期满", 0, pending, upheld)


def notices_of_many(item_ids) -> dict[str, list[PublicNotice]]:
    """``notices_of`` of many items in one read: item id -> its notices, newest first."""
    ids = list({i for i in item_ids if i})
    found: dict[str, list[PublicNotice]] = {i: [] for i in ids}
    if not ids:
        return found
    query = (PublicNotice.select(PublicNotice, NoticeCandidate.item_id)
             .join(NoticeCandidate, on=(NoticeCandidate.notice_id == PublicNotice.id), attr="candidate")
             .where((NoticeCandidate.item_id << ids) & (NoticeCandidate.deleted == False)  # noqa: E712
                    & (PublicNotice.deleted == False) & (PublicNotice.withdrawn == False))  # noqa: E712
             .order_by(PublicNotice.start_date.desc(), PublicNotice.created_at.desc()))
    for notice in query:
        found[notice.candidate.item_id].append(notice)
    return found


def clearance(item_id: str, today: dt.date | None = None) -> Clearance:
    """May this candidate be named or honoured now? The reason says why not, in words."""
    today = _today(today)
    found = notices_of(item_id)
    if not found or today <= found[0].end_date:
        return _clearance(found, [], today)
    return _clearance(found, objections(found[0].id, item_id), today)


def clearance_many(item_ids, today: dt.date | None = None) -> dict[str, Clearance]:
    """``clearance`` of many candidates: their notices and objections read once for all."""
    today = _today(today)
    found = notices_of_many(item_ids)
    raised: dict[tuple[str, str], list[Objection]] = {}
    for objection in _objections_of(list({n[0].id for n in found.values() if n})):
        raised.setdefault((objection.notice_id, objection.item_id), []).append(objection)
    return {item_id: _clearance(notices, raised.get((notices[0].id, item_id), []) if notices else [], today)
            for item_id, notices in found.items()}


def _clearance(found: list[PublicNotice], raised: list[Objection], today: dt.date) -> Clearance:
    """The decision of ``clearance`` from the item's notices (newest first) and the objections
    against it on the newest one."""
    if not found:
        return Clearance(False, "尚未公示：须先公示，公示期满且无异议后才能命名或表彰。")
    notice = found[0]
    if today < notice.start_date:
        return Clearance(False, f"公示将于 {notice.start_date} 开始，{notice.end_date} 结束；期满后才能命名或表彰。",
                         notice)
    if today <= notice.end_date:
        left = (notice.end_date - today).days + 1
        return Clearance(False, f"仍在公示期内（至 {notice.end_date}，还剩 {left} 天）；期满后才能命名或表彰。", notice)
    pending = [o for o in raised if o.outcome == "pending"]
    if pending:
        return Clearance(False, f"公示期间收到 {len(pending)} 条异议，尚未核实完毕。", notice)
    upheld = [o for o in raised if o.outcome == "upheld"]
    if upheld:
        return Clearance(False, f"公示期间的异议经核实成立：{upheld[0].outcome_note}", notice)
    if raised:
        return Clearance(True, f"公示期满（{notice.end_date}），异议经核实不成立。", notice)
    return Clearance(True, f"公示期满（{notice.end_date}），无异议。", notice)


def publish(actor: Actor, subject: str, subject_ref: str, title: str, candidates_: list[Candidate], start_date,
            *, days: int | None = None, body: str = "", contact: str | None = None) -> PublicNotice:
    require(actor, "publish_notices")
    errors = {}
    if subject not in SUBJECTS:
        raise ValueError(f"unknown notice subject {subject!r}")
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写公示标题"
    if not candidates_:
        errors["candidates"] = "公示名单不能为空，请至少选择一个对象"
    checked = validation.date_value(start_date, "公示开始日期")
    if not checked.ok:
        errors["start_date"] = checked.error
    days = notice_days() if days is None else days
    if not isinstance(days, int) or not 1 <= days <= 60:
        errors["days"] = "公示天数应为 1 到 60 天"
    ids = [c.item_id for c in candidates_]
    if len(set(ids)) != len(ids):
        errors["candidates"] = "公示名单中有重复的对象"
    if errors:
        raise ValidationError(errors)
    for candidate in candidates_:
        for earlier in notices_of(candidate.item_id):
            raise CivDeskError(f"「{candidate.label}」已在「{earlier.title}」中公示（{earlier.start_date} 至 "
                               f"{earlier.end_date}）；如需重新公示，请先撤回那份公示。")
    start = checked.value
    end = start + dt.timedelta(days=days - 1)
    with database.atomic():
        notice = changes.create(PublicNotice, actor, {
            "subject": subject, "subject_ref": subject_ref or "", "title": title, "start_date": start,
            "end_date": end, "body": (body or "").strip(),
            "contact": (contact if contact is not None else default_contact()).strip()},
            note=f"公示 {len(candidates_)} 个对象，{start} 至 {end}")
        for position, candidate in enumerate(candidates_, 1):
            changes.create(NoticeCandidate, actor, {
                "notice_id": notice.id, "item_id": candidate.item_id, "name": candidate.label,
                "detail": candidate.detail, "position": position, "village_id": candidate.scope},
                id=changes.deterministic_id("notice-candidate", notice.id, candidate.item_id), audit=False)
    return notice


def withdraw(actor: Actor, notice_id: str, reason: str) -> PublicNotice:
    require(actor, "publish_notices")
    notice = get(notice_id)
    if notice.withdrawn:
        raise CivDeskError("这份公示已经撤回过了。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明撤回公示的原因"})
    check = registry.decided_check(notice.subject)
    decided = [c.name for c in candidates(notice.id) if check is not None and check(c.item_id)]
    if decided:
        raise CivDeskError(f"名单中的「{'、'.join(decided[:3])}」已经据此公示作出了决定，不能再撤回这份公示。")
    changes.update(notice, actor, {"withdrawn": True, "withdrawn_reason": reason.strip()}, action="update",
                   note=f"撤回公示：{reason.strip()}")
    return notice


def _candidate(notice: PublicNotice, item_id: str) -> NoticeCandidate:
    found = NoticeCandidate.get_or_none((NoticeCandidate.notice_id == notice.id) & (NoticeCandidate.item_id == item_id)
                                        & (NoticeCandidate.deleted == False))  # noqa: E712
    if found is None:
        raise NotFound("这个对象不在这份公示的名单中。")
    return found


def record_objection(actor: Actor, notice_id: str, item_id: str, received_date, source: str, content: str,
                     contact: str = "", *, scope: str | None = None, today: dt.date | None = None) -> Objection:
    """Log an objection received during the notice (by phone, letter or in person)."""
    require(actor, "record_objections")
    notice = get(notice_id)
    candidate = _candidate(notice, item_id)
    errors = {}
    checked = validation.date_value(received_date, "收到日期")
    if not checked.ok:
        errors["received_date"] = checked.error
    elif checked.value > _today(today):
        errors["received_date"] = "收到日期不能晚于今天"
    elif not notice.start_date <= checked.value <= notice.end_date:
        errors["received_date"] = (f"收到日期应在公示期内（{notice.start_date} 至 {notice.end_date}）；"
                                   "公示期外收到的意见请另行处理")
    content = (content or "").strip()
    if len(content) < 5:
        errors["content"] = "请写明异议的具体内容（至少 5 个字）"
    phone = validation.phone(contact, required=False)
    if not phone.ok:
        errors["contact"] = phone.error
    if notice.withdrawn:
        errors["notice"] = "这份公示已经撤回，不能再登记异议"
    if errors:
        raise ValidationError(errors)
    scope = scope if scope is not None else candidate.village_id
    return changes.create(Objection, actor, {
        "notice_id": notice.id, "item_id": item_id, "received_date": checked.value,
        "source": (source or "").strip() or "匿名", "contact": phone.value or "", "content": content},
        scope=scope, record_label=f"{candidate.name}（{notice.title}）")


def decide_objection(actor: Actor, objection_id: str, outcome: str, note: str) -> Objection:
    """Record what looking into the objection found: 异议成立 blocks the candidate."""
    require(actor, "decide_objections")
    row = Objection.get_or_none((Objection.id == objection_id) & (Objection.deleted == False))  # noqa: E712
    if row is None:
        raise NotFound("找不到这条异议。")
    errors = {}
    if outcome not in ("upheld", "dismissed"):
        errors["outcome"] = "核实结果只能是「异议成立」或「异议不成立」"
    if len((note or "").strip()) < 5:
        errors["outcome_note"] = "请写明核实的情况（至少 5 个字）"
    if errors:
        raise ValidationError(errors)
    changes.update(row, actor, {"outcome": outcome, "outcome_note": note.strip(), "decided_at": changes.now_text(),
                                "decided_by": actor.display_name},
                   note=f"核实结果：{OUTCOMES[outcome]}")
    return row
