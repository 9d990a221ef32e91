"""Start-page reminders of the good-people nominations: nominations waiting for 初审, committee
scores still missing in 评议, ties at the quota line waiting for a decision, and notices that
have ended so the 表彰 decision can be made."""

from __future__ import annotations

import datetime as dt

from civdesk.core.actor import Actor
from civdesk.core.due import DueItem

PAGE = "nominations"


def nominations_due(actor: Actor) -> list[DueItem]:
    from civdesk.nominations import award as nomination_award
    from civdesk.nominations import review as nomination_review
    from civdesk.nominations.models import Nomination, NominationSession
    from civdesk.notices import public_notices as notices

    items: list[DueItem] = []
    if actor.can("check_nominations"):
        items += _twice_in_a_session()
    live = NominationSession.select().where((NominationSession.deleted == False)  # noqa: E712
                                            & (NominationSession.phase << ["check", "review", "notice"]))
    for session in live:
        if session.phase == "check" and actor.can("check_nominations"):
            waiting = Nomination.select().where((Nomination.session_id == session.id) & (Nomination.deleted == False)  # noqa: E712
                                                & (Nomination.status == "recommended")).count()
            if waiting:
                items.append(DueItem("nomination_check", f"{waiting} 条好人推荐等待初审",
                                     f"「{session.name}」：核对材料是否齐全、是否符合条件，通过或退回。点这里去初审。",
                                     session.check_end, _severity(session.check_end), f"{PAGE}/check"))
        elif session.phase == "review" and actor.can("enter_nomination_scores"):
            missing = nomination_review.missing_scores(session)
            if missing:
                members = len({member for member, _ in missing})
                items.append(DueItem("nomination_scores", f"评议打分还差 {len(missing)} 项",
                                     f"「{session.name}」：{members} 位评议委员还没有评完。点这里录入打分。",
                                     session.review_end, _severity(session.review_end), f"{PAGE}/scoring"))
        elif session.phase == "notice" and actor.can("decide_nominations"):
            notice = nomination_award.session_notice(session.id)
            if notice is None:
                undecided = nomination_review.tally(session.id).undecided
                what = (f"「{'、'.join(undecided)}」在名额线上并列，请先决定并写明依据，再发布公示。" if undecided
                        else "评议已结束，可以发布公示了。")
                items.append(DueItem("nomination_notice", f"「{session.name}」待公示", what + "点这里查看评议结果。",
                                     session.notice_start, _severity(session.notice_start), f"{PAGE}/tally"))
            elif notices.status(notice).state == "已期满":
                items.append(DueItem("nomination_award", f"「{session.name}」公示已期满，可以作出表彰决定",
                                     "异议核实完毕后，点这里作出表彰决定并打印。", session.award_date,
                                     _severity(session.award_date), f"{PAGE}/award"))
    return items


def _severity(due: dt.date | None) -> str:
    return "overdue" if due is not None and due < dt.date.today() else "due"


def _twice_in_a_session() -> list[DueItem]:
    """One person nominated in one session on two PCs before they synced: the rule holds on each
    PC, sync can only point it out. One person: one ID number, or records merged into one."""
    from civdesk.core import merges as merging
    from civdesk.core.db import database
    from civdesk.nominations.models import Nominee

    found = merging.merges(Nominee)
    numbers = dict(database.execute_sql("SELECT id, id_number FROM nominee").fetchall()) if found.survivor_of else {}
    rows = database.execute_sql(
        "SELECT s.name, p.name, p.id_number, p.id FROM nomination n "
        "JOIN nominee p ON p.id = n.nominee_id JOIN nomination_session s ON s.id = n.session_id "
        "WHERE n.deleted = 0 AND s.deleted = 0 ORDER BY s.name, n.created_at").fetchall()
    groups: dict[tuple[str, str], list[str]] = {}
    for session, name, number, nominee_id in rows:
        person = numbers.get(found.survivor(nominee_id), number) if found.survivor_of else number
        groups.setdefault((session, person), []).append(name)
    return [DueItem("nomination_twice", f"{names[0]} 在「{session}」中被推荐了 {len(names)} 次",
                    "两台电脑在同步前各录入了一次。请核对后删除多余的一条（推荐阶段可删除；已进入初审的可退回并注明重复）。",
                    None, "due", f"{PAGE}/check") for (session, _), names in groups.items() if len(names) > 1][:20]


def nominees_registered_twice(actor: Actor) -> list[DueItem]:
    """One person registered as two nominees (on two PCs, or with a mistyped ID number): the
    item leads to the merge."""
    if not actor.can("merge_people"):
        return []
    from civdesk.nominations import merges

    found = merges.candidates(actor)
    if not found:
        return []
    shown = "、".join(dict.fromkeys(c.name for c in found[:3]))
    return [DueItem("nominee_duplicates", f"{len(found)} 对被推荐人疑似重复登记",
                    f"{shown}：{found[0].reason}。点这里并排核对两条登记，选定保留的信息后合并，"
                    "推荐、荣誉和向上推荐都归到保留的那一条。", None, "due", f"{PAGE}/merge")]


PROVIDERS = [nominations_due, nominees_registered_twice]
