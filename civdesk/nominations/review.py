"""评议: the committee, recusals, scores or votes, locking, and the tally with ranks and quotas.

Committee members are people, not accounts: a clerk or reviewer enters each member's scores on
their behalf and the change log records who entered them. A recused member cannot score that
nominee, and scores are refused once 评议 has closed — both enforced here, not by the screens.
Scores are append-only: the latest entry of a member for an item counts, and after closing only
entries stamped before the close count, whatever arrives later by USB. Ties at the quota line are
shown as ties until the office records an explicit decision; nothing here breaks them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.nominations import nominees as core
from civdesk.nominations.models import (
    VOTE_ITEM,
    VOTES,
    CommitteeMember,
    Nomination,
    NominationScore,
    NominationSession,
    Nominee,
    Recusal,
    TieDecision,
)

_LIVE = False
RESULTS = {"in": "入选", "out": "未入选", "tie": "并列待定", "decided_in": "入选（并列决定）",
           "decided_out": "未入选（并列决定）", "unscored": "无人评分", "below": "未过通过线"}


class ScoresLocked(CivDeskError):
    pass


class Recused(CivDeskError):
    pass


# --- committee -------------------------------------------------------------------------------


def members(session_id: str) -> list[CommitteeMember]:
    return list(CommitteeMember.select().where((CommitteeMember.session_id == session_id)
                                               & (CommitteeMember.deleted == _LIVE))
                .order_by(CommitteeMember.created_at, CommitteeMember.clock))


def add_member(actor: Actor, session_id: str, name: str, unit: str = "", duty: str = "委员") -> CommitteeMember:
    require(actor, "manage_nomination_sessions")
    session = core.get_session(session_id)
    if session.phase not in ("recommend", "check"):
        raise CivDeskError("评议已经开始，不能再增加评议委员。")
    checked = validation.required(name, "委员姓名")
    if not checked.ok:
        raise ValidationError({"name": checked.error})
    if any(m.name == checked.value for m in members(session_id)):
        raise ValidationError({"name": f"「{checked.value}」已在评议委员名单中"})
    return changes.create(CommitteeMember, actor, {"session_id": session_id, "name": checked.value,
                                                   "unit": validation.normalize_text(unit),
                                                   "duty": validation.normalize_text(duty) or "委员"})


def remove_member(actor: Actor, member_id: str) -> None:
    require(actor, "manage_nomination_sessions")
    member = _member(member_id)
    if core.get_session(member.session_id).phase not in ("recommend", "check"):
        raise CivDeskError("评议已经开始，不能再移除评议委员。")
    changes.delete(member, actor, note="移出评议委员名单")


def _member(member_id: str) -> CommitteeMember:
    row = CommitteeMember.get_or_none((CommitteeMember.id == member_id) & (CommitteeMember.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这名评议委员。")
    return row


# --- recusal and scores ----------------------------------------------------------------------


def _open_review(nomination: Nomination) -> NominationSession:
    session = core.get_session(nomination.session_id)
    if session.scores_locked_at or session.phase != "review":
        raise ScoresLocked(f"「{session.name}」的评议已经结束，打分已锁定，不能再录入或修改。")
    if nomination.status != "review":
        raise CivDeskError(f"{core.nominee_name(nomination)}不在评议名单中。")
    return session


def recusals(session_id: str) -> dict[tuple[str, str], str]:
    """(member id, nomination id) → reason."""
    return {(r.member_id, r.nomination_id): r.reason for r in
            Recusal.select().where((Recusal.session_id == session_id) & (Recusal.deleted == _LIVE))}


def declare_recusal(actor: Actor, nomination_id: str, member_id: str, reason: str) -> Recusal:
    """A member related to the nominee or the recommender steps aside for that nominee; any score
    they had entered for it no longer counts."""
    require(actor, "enter_nomination_scores")
    nomination = core.get(nomination_id)
    session = _open_review(nomination)
    member = _member(member_id)
    if member.session_id != session.id:
        raise CivDeskError(f"{member.name}不是本次评选的评议委员。")
    if (member.id, nomination.id) in recusals(session.id):
        raise CivDeskError(f"{member.name}已声明回避{core.nominee_name(nomination)}。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明回避原因（例如：与被推荐人是亲属、与推荐人同一单位）"})
    return changes.create(Recusal, actor, {"session_id": session.id, "nomination_id": nomination.id,
                                           "member_id": member.id, "reason": reason.strip()}, scope=nomination.scope)


def parse_value(session: NominationSession, item: str, raw) -> float:
    if session.method == "vote":
        if item != VOTE_ITEM:
            raise ValidationError({item: "投票方式的评选只录入“赞成、反对、弃权”"})
        words = {"赞成": 1.0, "同意": 1.0, "1": 1.0, "反对": 0.0, "不同意": 0.0, "0": 0.0, "弃权": -1.0, "-1": -1.0}
        value = words.get(validation.normalize_text(raw), raw if raw in VOTES else None)
        if value is None:
            raise ValidationError({item: f"投票只能是赞成、反对或弃权，当前为「{raw}」"})
        return float(value)
    if item not in dict(session.rubric_items):
        raise ValidationError({item: f"「{item}」不是本次评选的评分项"})
    return float(validation.parse_number(raw, f"「{item}」的分数", field=item, minimum=0, maximum=100, step="0.1",
                                         example="85 或 92.5", suffixes=("分",)))


def record_scores(actor: Actor, nomination_id: str, member_id: str, values: dict) -> list[NominationScore]:
    """Enter one member's scores (or vote) for one nominee; only changed values are written."""
    require(actor, "enter_nomination_scores")
    nomination = core.get(nomination_id)
    session = _open_review(nomination)
    member = _member(member_id)
    if member.session_id != session.id:
        raise CivDeskError(f"{member.name}不是本次评选的评议委员。")
    if (member.id, nomination.id) in recusals(session.id):
        raise Recused(f"{member.name}已声明回避{core.nominee_name(nomination)}，不能为其打分或投票。")
    errors, parsed = {}, {}
    for item, raw in values.items():
        if raw in (None, ""):
            continue
        try:
            parsed[item] = parse_value(session, item, raw)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    current = current_scores(session)
    written = []
    with database.atomic():
        for item, value in parsed.items():
            if current.get((nomination.id, member.id, item)) == value:
                continue
            written.append(changes.create(NominationScore, actor, {
                "session_id": session.id, "nomination_id": nomination.id, "member_id": member.id, "item": item,
                "value": value}, scope=nomination.scope, note=f"代{member.name}录入"))
    return written


def current_scores(session: NominationSession) -> dict[tuple[str, str, str], float]:
    """(nomination, member, item) → the value that counts: the member's latest entry, and after
    closing only entries made before the close."""
    query = NominationScore.select(NominationScore.nomination_id, NominationScore.member_id, NominationScore.item,
                                   NominationScore.value).where(
        (NominationScore.session_id == session.id) & (NominationScore.deleted == _LIVE))
    if session.scores_locked_at:
        query = query.where(NominationScore.clock <= session.scores_locked_at)
    found = {}
    for nomination_id, member_id, item, value in query.order_by(NominationScore.clock).tuples():
        found[(nomination_id, member_id, item)] = value
    return found


def missing_scores(session: NominationSession) -> list[tuple[str, str]]:
    """(member name, nominee name) pairs not yet fully scored, recusals excepted."""
    scores, recused = current_scores(session), recusals(session.id)
    items = [VOTE_ITEM] if session.method == "vote" else [name for name, _ in session.rubric_items]
    missing = []
    nominations = core.nominations(session.id, ("review",))
    committee = members(session.id)  # read once, not per nomination
    names = core.nominee_names(nominations)
    for nomination in nominations:
        for member in committee:
            if (member.id, nomination.id) in recused:
                continue
            if any((nomination.id, member.id, item) not in scores for item in items):
                missing.append((member.name, names.get(nomination.nominee_id, "")))
    return missing


def close_review(actor: Actor, session_id: str, *, allow_incomplete: bool = False) -> None:
    """End 评议: scores are locked from this moment, and the tally is final."""
    require(actor, "manage_nomination_sessions")
    session = core.get_session(session_id)
    if session.phase != "review":
        raise CivDeskError(f"「{session.name}」不在评议阶段。")
    missing = missing_scores(session)
    if missing and not allow_incomplete:
        shown = "、".join(f"{m}→{n}" for m, n in missing[:6])
        raise CivDeskError(f"还有 {len(missing)} 项没有打分（{shown}{'等' if len(missing) > 6 else ''}）。"
                           "确认这些委员不再打分后，可以仍然结束评议。")
    stamp = changes.clock().now()  # every score stamped after this is ignored by the tally
    core.set_phase(actor, session, "notice", "评议结束，打分锁定" + (f"（{len(missing)} 项未打分）" if missing else ""),
                   scores_locked_at=stamp)


# --- tally -----------------------------------------------------------------------------------


@dataclass
class TallyRow:
    nomination_id: str
    name: str
    village: str
    category: str
    summary: str
    item_averages: dict[str, float | None]
    raw_total: float  # sum of the complete members' weighted scores
    average: float | None  # weighted average over the members who scored every item
    scorers: int
    expected: int
    recused: int
    agree: int = 0
    against: int = 0
    abstain: int = 0
    rank: int | None = None
    result: str = "out"
    key: Fraction = Fraction(0)
    sort_name: str = ""  # pinyin: tied nominees are listed alphabetically, which decides nothing
    needed: int = 0  # vote mode: the 赞成 count that passes (more than the fraction of `expected`)
    # each member's raw result for this nominee, by member id: the weighted score or the vote
    # (赞成/反对/弃权), "回避" for a recusal, "未评完" when items are missing, None when nothing entered
    by_member: dict[str, object] = field(default_factory=dict)

    @property
    def result_label(self) -> str:
        return RESULTS[self.result]

    @property
    def selected(self) -> bool:
        return self.result in ("in", "decided_in")


@dataclass
class CategoryTally:
    category: str
    quota: int
    rows: list[TallyRow]
    tied: list[str] = field(default_factory=list)  # nomination ids tied across the quota line
    slots: int = 0  # places left for the tied group
    decision: TieDecision | None = None
    pass_line: str = ""  # vote mode: the rule in words, e.g. 赞成票超过应投票委员的 1/2

    @property
    def undecided(self) -> bool:
        return bool(self.tied) and self.decision is None


@dataclass
class Tally:
    session: NominationSession
    members: int
    locked: bool
    categories: list[CategoryTally]

    @property
    def undecided(self) -> list[str]:
        return [c.category for c in self.categories if c.undecided]

    def rows(self) -> list[TallyRow]:
        return [row for c in self.categories for row in c.rows]

    def selected(self) -> list[TallyRow]:
        return [row for row in self.rows() if row.selected]


def _decision(session_id: str, category: str, tied: list[str]) -> TieDecision | None:
    chosen = None
    for row in (TieDecision.select().where((TieDecision.session_id == session_id) & (TieDecision.category == category)
                                           & (TieDecision.deleted == _LIVE)).order_by(TieDecision.clock)):
        if sorted(json.loads(row.tied)) == sorted(tied):
            chosen = row  # the latest decision about exactly this tie
    return chosen


def tally(session_id: str) -> Tally:
    session = core.get_session(session_id)
    from civdesk.office import offices

    villages = offices.names()
    scores, recused = current_scores(session), recusals(session.id)
    committee = members(session.id)
    rubric = session.rubric_items
    by_category: dict[str, list[TallyRow]] = {c: [] for c in session.category_list}
    statuses = ("review", "notice", "honoured", "not_selected")
    chosen = core.nominations(session.id, statuses)
    people = {p.id: p for p in Nominee.select().where(Nominee.id << [n.nominee_id for n in chosen])}
    for nomination in chosen:
        person = people[nomination.nominee_id]
        voters = [m for m in committee if (m.id, nomination.id) not in recused]
        row = TallyRow(nomination.id, person.name, villages.get(person.village_id, ""), nomination.category,
                       nomination.summary, {}, 0.0, None, 0, len(voters), len(committee) - len(voters),
                       sort_name=person.name_pinyin)
        for m in committee:
            if (m.id, nomination.id) in recused:
                row.by_member[m.id] = "回避"
        if session.method == "vote":
            for m in voters:
                vote = scores.get((nomination.id, m.id, VOTE_ITEM))
                row.by_member[m.id] = VOTES.get(vote) if vote is not None else None
                if vote is not None:
                    row.scorers += 1
                    row.agree += vote == 1.0
                    row.against += vote == 0.0
                    row.abstain += vote == -1.0
            row.key = Fraction(row.agree)
            row.needed = needed_votes(session, row.expected)
        else:
            totals = []
            for item, _weight in rubric:
                values = [scores[(nomination.id, m.id, item)] for m in voters if (nomination.id, m.id, item) in scores]
                row.item_averages[item] = sum(values) / len(values) if values else None
            for m in voters:
                values = [scores.get((nomination.id, m.id, item)) for item, _ in rubric]
                if all(v is not None for v in values):
                    totals.append(sum(Fraction(str(v)) * w for v, (_, w) in zip(values, rubric, strict=True)) / 100)
                    row.by_member[m.id] = float(totals[-1])
                else:
                    row.by_member[m.id] = "未评完" if any(v is not None for v in values) else None
            row.scorers = len(totals)
            if totals:
                raw = sum(totals, Fraction(0))
                row.raw_total, row.key = float(raw), raw / len(totals)
                row.average = float(row.key)
        by_category.setdefault(nomination.category, []).append(row)
    categories = [_rank(session, category, rows) for category, rows in by_category.items()]
    return Tally(session, len(committee), bool(session.scores_locked_at), categories)


def needed_votes(session: NominationSession, entitled: int) -> int:
    """The smallest 赞成 count that is more than the session's fraction of the entitled members."""
    share = session.pass_line * entitled
    return int(share) + 1  # floor + 1: strictly more than the share, also when it is whole


def pass_line_text(session: NominationSession) -> str:
    line = session.pass_line
    words = "半数" if line == Fraction(1, 2) else f"{line.numerator}/{line.denominator}"
    return f"赞成票超过应投票委员（回避者除外）的{words}方为通过，弃权和未投视为不赞成"


def _rank(session: NominationSession, category: str, rows: list[TallyRow]) -> CategoryTally:
    quota = session.quota_map.get(category, 0)
    result = CategoryTally(category, quota, [])
    scored = sorted((r for r in rows if r.scorers), key=lambda r: (-r.key, r.sort_name))
    below: list[TallyRow] = []
    if session.method == "vote":  # only nominees over the pass line compete for the quota
        result.pass_line = pass_line_text(session)
        below = [r for r in scored if r.agree < r.needed]
        scored = [r for r in scored if r.agree >= r.needed]
        for row in below:
            row.result = "below"
    for row in scored:
        same = [r for r in scored if r.key == row.key]
        row.rank = 1 + sum(1 for r in scored if r.key > row.key)
        last = row.rank + len(same) - 1
        if last <= quota:
            row.result = "in"
        elif row.rank > quota:
            row.result = "out"
        else:
            row.result = "tie"
            result.tied = [r.nomination_id for r in same]
            result.slots = quota - row.rank + 1
    unscored = [r for r in rows if not r.scorers]
    for row in unscored:
        row.result = "unscored"
    if result.tied:
        result.decision = _decision(session.id, category, result.tied)
        if result.decision is not None:
            chosen = set(json.loads(result.decision.chosen))
            for row in scored:
                if row.nomination_id in result.tied:
                    row.result = "decided_in" if row.nomination_id in chosen else "decided_out"
    result.rows = scored + below + sorted(unscored, key=lambda r: r.sort_name)
    return result


def decide_tie(actor: Actor, session_id: str, category: str, chosen: list[str], reason: str,
               *, over_quota: bool = False) -> TieDecision:
    """The office's recorded choice among nominees tied at the quota line (after 评议 closed)."""
    require(actor, "decide_nominations")
    session = core.get_session(session_id)
    if not session.scores_locked_at:
        raise CivDeskError("评议结束、打分锁定后才能决定并列名次。")
    if session.phase != "notice" or core.nominations(session.id, ("notice", "honoured")):
        raise CivDeskError("名单已经公示，不能再改变并列名次的决定。")
    found = next((c for c in tally(session_id).categories if c.category == category), None)
    if found is None or not found.tied:
        raise CivDeskError(f"「{category}」在名额线上没有并列，无需决定。")
    chosen = list(dict.fromkeys(chosen))
    if not set(chosen) <= set(found.tied):
        raise ValidationError({"chosen": "只能在并列的被推荐人中选择"})
    if len(chosen) != found.slots and not over_quota:
        raise ValidationError({"chosen": f"并列的 {len(found.tied)} 人争 {found.slots} 个名额，请选 {found.slots} 人"
                                         f"（当前选了 {len(chosen)} 人）；如经研究决定超出名额，请注明"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明决定的依据（例如：评议委员会复议投票结果、会议纪要编号）"})
    return changes.create(TieDecision, actor, {"session_id": session.id, "category": category,
                                               "tied": changes.dumps(sorted(found.tied)),
                                               "chosen": changes.dumps(sorted(chosen)), "reason": reason.strip()})
