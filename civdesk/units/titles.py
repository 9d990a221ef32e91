"""Titles held (动态管理): history per organisation, annual review (复查) that keeps or revokes
(摘牌), expiry after the term, the yearly roster, and recommendation to the district."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.units import organisations as units
from civdesk.units.models import (
    RECOMMEND_OUTCOMES,
    REVIEW_OUTCOMES,
    TITLE_STATUS,
    Organisation,
    Recommendation,
    Review,
    TitleHeld,
    title_text,
)

_LIVE = False


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _date(value, field: str, label: str) -> dt.date:
    return validation.collect(**{field: validation.date_value(value, label)})[field]


def get(title_id: str) -> TitleHeld:
    row = TitleHeld.get_or_none((TitleHeld.id == title_id) & (TitleHeld.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个称号记录。")
    return row


def effective_status(title: TitleHeld, today: dt.date | None = None) -> str:
    """"active" | "revoked" | "expired": an active title past its term reads as expired."""
    if title.status == "active" and title.valid_until < _today(today):
        return "expired"
    return title.status


def status_text(title: TitleHeld, today: dt.date | None = None) -> str:
    return TITLE_STATUS[effective_status(title, today)]


def history(org_id: str) -> list[TitleHeld]:
    return list(TitleHeld.select().where((TitleHeld.org_id == org_id) & (TitleHeld.deleted == _LIVE))
                .order_by(TitleHeld.year.desc(), TitleHeld.decision_date.desc()))


def histories(org_ids: list[str] | None = None) -> dict[str, list[TitleHeld]]:
    """``history`` of many organisations (all when None) in one query: org id → titles."""
    query = TitleHeld.select().where(TitleHeld.deleted == _LIVE)
    if org_ids is not None:
        query = query.where(TitleHeld.org_id << list(org_ids))
    found: dict[str, list[TitleHeld]] = {}
    for title in query.order_by(TitleHeld.year.desc(), TitleHeld.decision_date.desc()):
        found.setdefault(title.org_id, []).append(title)
    return found


def reviews(title_id: str) -> list[Review]:
    return list(Review.select().where(Review.title_id == title_id).order_by(Review.year, Review.clock))


def review(actor: Actor, title_id: str, year: int, outcome: str, reason: str = "", review_date=None,
           *, today: dt.date | None = None) -> Review:
    """复查: keep the title, or revoke it (摘牌) with the reason; once per title and year."""
    require(actor, "manage_titles")
    title = get(title_id)
    errors = {}
    if outcome not in REVIEW_OUTCOMES:
        errors["outcome"] = "复查结论只能是「保留」或「摘牌」"
    reason = (reason or "").strip()
    if outcome == "revoke" and len(reason) < 4:
        errors["reason"] = "摘牌请写明原因（至少 4 个字）"
    day = _date(review_date or _today(today), "review_date", "复查日期")
    if errors:
        raise ValidationError(errors)
    if effective_status(title, day) != "active":
        raise CivDeskError(f"这个称号{status_text(title, day)}，不需要再复查。")
    if int(year) <= title.year:
        raise CivDeskError(f"称号是 {title.year} 年命名的，从 {title.year + 1} 年起每年复查。")
    if any(r.year == int(year) for r in reviews(title.id)):
        raise CivDeskError(f"这个称号 {year} 年已经复查过了。")
    with database.atomic():
        row = changes.create(Review, actor, {"title_id": title.id, "year": int(year), "review_date": day,
                                             "outcome": outcome, "reason": reason}, scope=title.scope,
                             record_label=title.record_label())
        if outcome == "revoke":
            changes.update(title, actor, {"status": "revoked", "revoked_reason": f"{year}年复查不合格：{reason}",
                                          "revoked_date": day}, note=f"复查摘牌：{reason}")
    return row


def revoke(actor: Actor, title_id: str, reason: str, revoked_date=None, *, today: dt.date | None = None) -> TitleHeld:
    """摘牌 outside the annual review (a serious incident during the term)."""
    require(actor, "manage_titles")
    title = get(title_id)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "摘牌请写明原因（至少 4 个字）"})
    day = _date(revoked_date or _today(today), "revoked_date", "摘牌日期")
    if title.status == "revoked":
        raise CivDeskError("这个称号已经摘牌了。")
    changes.update(title, actor, {"status": "revoked", "revoked_reason": reason, "revoked_date": day},
                   note=f"摘牌：{reason}")
    return title


@dataclass(frozen=True)
class DueTitle:
    title: TitleHeld
    org_name: str

    @property
    def text(self) -> str:
        return f"{self.org_name}（{title_text(self.title.title, self.title.level, self.title.model_grade)}）"


def _with_names(rows) -> list[DueTitle]:
    rows = list(rows)
    names = dict(Organisation.select(Organisation.id, Organisation.name)
                 .where(Organisation.id.in_([r.org_id for r in rows])).tuples()) if rows else {}
    return [DueTitle(r, names.get(r.org_id, "")) for r in rows]


def expiring(within_days: int, today: dt.date | None = None) -> list[DueTitle]:
    today = _today(today)
    return _with_names(TitleHeld.select().where(
        (TitleHeld.status == "active") & (TitleHeld.deleted == _LIVE) & (TitleHeld.valid_until >= today)
        & (TitleHeld.valid_until <= today + dt.timedelta(days=within_days))).order_by(TitleHeld.valid_until))


def reviews_due(year: int, today: dt.date | None = None) -> list[DueTitle]:
    """Active titles named before *year* and valid in it, with no review for *year* yet."""
    today = _today(today)
    done = Review.select(Review.title_id).where(Review.year == year)
    rows = TitleHeld.select().where(
        (TitleHeld.status == "active") & (TitleHeld.deleted == _LIVE) & (TitleHeld.year < year)
        & (TitleHeld.valid_until >= max(today, dt.date(year, 1, 1))) & TitleHeld.id.not_in(done)
    ).order_by(TitleHeld.valid_until)
    return _with_names(rows)


def roster(year: int) -> list[tuple[TitleHeld, Organisation]]:
    """Titles held during *year* (named in or before it, valid into it), revoked ones included
    when revoked in that year; in title, level and pinyin order."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (TitleHeld.select(TitleHeld, Organisation).join(Organisation, on=(Organisation.id == TitleHeld.org_id))
            .where((TitleHeld.deleted == _LIVE) & (TitleHeld.year <= year) & (TitleHeld.valid_until >= start)
                   & ((TitleHeld.status != "revoked") | (TitleHeld.revoked_date >= start)))
            .order_by(TitleHeld.level, TitleHeld.title, Organisation.name_pinyin))  # 区级 before 镇级
    return [(row, row.organisation) for row in rows if row.decision_date is None or row.decision_date <= end]


# --- recommendation to the district ------------------------------------------------------------


def recommendations(year: int | None = None, org_id: str | None = None) -> list[Recommendation]:
    query = Recommendation.select().where(Recommendation.deleted == _LIVE)
    if year is not None:
        query = query.where(Recommendation.year == year)
    if org_id is not None:
        query = query.where(Recommendation.org_id == org_id)
    return list(query.order_by(Recommendation.recommended_date.desc()))


def recommend(actor: Actor, title_id: str, target_title: str, recommended_date=None, note: str = "",
              *, today: dt.date | None = None) -> Recommendation:
    """The township recommends an organisation holding a township title for a 区级 title."""
    require(actor, "manage_titles")
    title = get(title_id)
    day = _date(recommended_date or _today(today), "recommended_date", "推荐日期")
    target = (target_title or "").strip()
    if not target:
        raise ValidationError({"target_title": "请填写推荐的称号，例如「区级文明村」"})
    if effective_status(title, day) != "active":
        raise CivDeskError(f"「{title.record_label()}」{status_text(title, day)}，只能推荐持有有效称号的单位。")
    if any(r.outcome == "pending" and r.target_title == target for r in recommendations(org_id=title.org_id)):
        raise CivDeskError(f"已推荐这个单位参评{target}，正在等区里的结果。")
    return changes.create(Recommendation, actor, {
        "org_id": title.org_id, "title_id": title.id, "year": day.year, "target_title": target,
        "recommended_date": day, "outcome": "pending", "note": (note or "").strip()}, scope=title.scope)


def record_district_outcome(actor: Actor, recommendation_id: str, outcome: str, outcome_date=None,
                            decision_number: str = "", note: str = "", *, today: dt.date | None = None,
                            term_years: int | None = None) -> Recommendation:
    """The district's answer; a 区级 title it grants is added to the organisation's history."""
    require(actor, "manage_titles")
    row = Recommendation.get_or_none((Recommendation.id == recommendation_id) & (Recommendation.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这条推荐记录。")
    if outcome not in ("approved", "rejected"):
        raise ValidationError({"outcome": "区里评定结果只能是「已命名」或「未命名」"})
    if row.outcome != "pending":
        raise CivDeskError(f"这条推荐已记录结果：{RECOMMEND_OUTCOMES[row.outcome]}。")
    day = _date(outcome_date or _today(today), "outcome_date", "评定日期")
    if day < row.recommended_date:
        raise ValidationError({"outcome_date": "评定日期不能早于推荐日期"})
    from civdesk.office import settings

    with database.atomic():
        changes.update(row, actor, {"outcome": outcome, "outcome_date": day,
                                    "note": "；".join(p for p in (row.note, (note or "").strip()) if p)})
        if outcome == "approved":
            source = TitleHeld.get_or_none(TitleHeld.id == row.title_id)
            title = row.target_title.replace("区级", "").replace("标兵", "") or (source.title if source else "文明单位")
            term = term_years or int(settings.get("unit.term_years"))
            try:
                until = day.replace(year=day.year + term) - dt.timedelta(days=1)
            except ValueError:
                until = dt.date(day.year + term, 2, 28)
            changes.create(TitleHeld, actor, {
                "org_id": row.org_id, "application_id": None, "title": title, "level": "区级",
                "model_grade": "标兵" in row.target_title, "year": day.year, "term_years": term,
                "valid_until": until, "decision_number": (decision_number or "").strip(), "decision_date": day,
                "status": "active"}, scope=row.scope)
    return row


def org_name(org_id: str) -> str:
    return units.get_org(org_id).name
