"""卫生长效管理「一票否决」: a notice to a 创建单位 under a sanitation mechanism that runs overdue,
or whose 复查 fails, raises 「环境卫生长效管理不达标」 on the organisation's open 文明创建
applications through the units domain's public function, with the notice as evidence.

Idempotent on both sides: a notice raises at most once (a "veto" event records it, so a veto an
administrator lifted is not raised again by the same notice), and the units domain adds no second
inspection veto of the same condition to an application. Only notices whose deadline falls in the
assessment year count; an organisation with no open application yet is looked at again by the
next sweep. Lifting a veto
stays an administrator's act in 文明创建.
"""

from __future__ import annotations

import datetime as dt

from civdesk.core import changes
from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.supervision import common
from civdesk.supervision.models import Notice, NoticeEvent
from civdesk.units import workflow as unit_workflow

_LIVE = False


def applies(notice: Notice) -> bool:
    return notice.target_kind == "org" and bool(notice.org_id) and notice.mechanism in common.sanitation_mechanisms()


def already_raised(notice: Notice) -> bool:
    return NoticeEvent.select().where((NoticeEvent.notice_id == notice.id) & (NoticeEvent.kind == "veto")
                                      & (NoticeEvent.deleted == _LIVE)).exists()


def veto_for(actor: Actor, notice: Notice, why: str, day: dt.date) -> int:
    """Raise the veto for *notice* if it applies and was not raised yet; returns the vetoes made.
    Skipped (0) when the actor may not veto (a village clerk): the township's sweep will."""
    if not applies(notice) or already_raised(notice) or not actor.can("review_units"):
        return 0
    return _raise(actor, notice, why, day)


def _raise(actor: Actor, notice: Notice, why: str, day: dt.date) -> int:
    reason = (f"限期整改通知书 {notice.number}（{notice.mechanism}）{why}，"
              "环境卫生长效管理不达标")
    evidence = f"整改通知书 {notice.number}，送达 {notice.served_date}，整改期限 {notice.deadline}"
    with database.atomic():
        made = unit_workflow.raise_veto_from_inspection(actor, notice.org_id, unit_workflow.SANITATION, reason,
                                                        evidence)
        if not made:
            return 0  # no open application yet: a later one of the year is vetoed by the next sweep
        changes.create(NoticeEvent, actor, {"notice_id": notice.id, "kind": "veto", "day": day,
                                            "text": f"提请一票否决：{len(made)} 份创建申报", "person": actor.display_name},
                       scope=notice.scope, audit=False)
    return len(made)


def sweep(actor: Actor, as_of: dt.date | None = None) -> int:
    """Raise the veto for every sanitation notice of *as_of*'s year overdue on that day; returns
    the vetoes made. Screens call it when the 督查 board opens; the command line on each write.
    What it checks is read once for all notices, so that a sweep with nothing to raise costs a
    few reads however many notices there are."""
    as_of = as_of or dt.date.today()
    if not actor.can("review_units"):
        return 0
    mechanisms = common.sanitation_mechanisms()
    overdue = [n for n in Notice.select().where(
        (Notice.deleted == _LIVE) & Notice.status.in_(("pending", "failed")) & (Notice.deadline < as_of)
        & (Notice.target_kind == "org") & (Notice.deadline >= dt.date(as_of.year, 1, 1))
        & Notice.org_id.is_null(False) & (Notice.org_id != "") & Notice.mechanism.in_(mechanisms))]
    raised = {i for (i,) in NoticeEvent.select(NoticeEvent.notice_id).where(
        (NoticeEvent.notice_id << [n.id for n in overdue]) & (NoticeEvent.kind == "veto")
        & (NoticeEvent.deleted == _LIVE)).tuples()} if overdue else set()
    waiting = [n for n in overdue if n.id not in raised]
    open_orgs = unit_workflow.orgs_to_veto({n.org_id for n in waiting}, unit_workflow.SANITATION)
    made = 0
    for notice in waiting:
        if notice.org_id in open_orgs:
            made += _raise(actor, notice, f"规定 {notice.deadline} 前完成整改，逾期未整改", as_of)
    return made
