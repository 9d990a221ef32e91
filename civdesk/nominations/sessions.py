"""Good-people nomination sessions (评选活动): categories, quotas, the weighted rubric, phase dates,
and the status events every phase change and nomination status change leaves behind."""

from __future__ import annotations

import re
from fractions import Fraction

from civdesk.core import changes, models, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.nominations.models import (
    PHASES,
    SESSION_KINDS,
    STATUSES,
    Nomination,
    NominationEvent,
    NominationSession,
)
from civdesk.office import settings

_SPLIT = re.compile(r"[；;，,、\n]+")
_LIVE = False


def parse_categories(value) -> list[str]:
    items = value if isinstance(value, list) else _SPLIT.split(str(value or ""))
    seen: list[str] = []
    for item in items:
        text = validation.normalize_text(item)
        if text and text not in seen:
            seen.append(text)
    return seen


def parse_rubric(value) -> list[tuple[str, int]]:
    """"事迹真实性:30；感人程度:25 …" (or pairs) → [(item, weight)]; weights must sum to 100."""
    if isinstance(value, list):
        pairs = [(validation.normalize_text(i), w) for i, w in value]
    else:
        pairs = []
        for part in re.split(r"[；;\n]+", str(value or "")):
            part = validation.normalize_text(part)
            if not part:
                continue
            match = re.fullmatch(r"(.+?)\s*[:：]\s*(.*)", part)
            if not match:
                raise ValidationError({"rubric": f"评分项「{part}」应写成「名称:权重」，如「感人程度:25」"})
            pairs.append((match.group(1).strip(), match.group(2)))
    if not pairs:
        raise ValidationError({"rubric": "至少要有一个评分项"})
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names) or not all(names):
        raise ValidationError({"rubric": "评分项名称不能为空，也不能重复"})
    weights = [int(validation.parse_number(w, f"评分项「{name}」的权重", field="rubric", above=0, step=1,
                                           suffixes=("分",))) for name, w in pairs]
    total = sum(weights)
    if total != 100:
        raise ValidationError({"rubric": f"各评分项权重合计应为 100，当前为 {total}"})
    return list(zip(names, weights, strict=True))


def parse_pass_fraction(value) -> str:
    """"1/2", "2/3", "50%", "0.5", "过半数", "三分之二" → "1/2", "2/3"…; the share of the entitled
    members whose 赞成 a nominee must exceed in vote mode."""
    text = validation.normalize_text(str(value if value is not None else "")).replace("／", "/").replace("％", "%")
    words = {"": "1/2", "过半数": "1/2", "半数": "1/2", "二分之一": "1/2", "三分之二": "2/3", "三分之一": "1/3",
             "四分之三": "3/4", "五分之三": "3/5"}
    text = words.get(text, text)
    try:
        fraction = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError):
        fraction = None
    if fraction is None or not 0 < fraction < 1:
        raise ValidationError({"pass_fraction": f"通过线应写成分数或百分比（如 1/2、2/3、50%），当前为「{value}」"})
    return f"{fraction.numerator}/{fraction.denominator}"


def rubric_text(items: list[tuple[str, int]]) -> str:
    return "；".join(f"{name}:{weight}" for name, weight in items)


def defaults() -> dict:
    """What a new session starts with (from 设置 → 参数 → 好人评选)."""
    categories = parse_categories(settings.get("nomination.categories"))
    quota = int(settings.get("nomination.default_quota"))
    return {"categories": categories, "quotas": {c: quota for c in categories},
            "rubric": parse_rubric(settings.get("nomination.rubric")), "method": "score"}


def _date(values: dict, key: str, label: str, errors: dict):
    raw = values.get(key)
    if raw in (None, ""):
        return None
    checked = validation.date_value(raw, label)
    if not checked.ok:
        errors[key] = checked.error
    return checked.value


_DATE_FIELDS = (("recommend_start", "推荐开始日期"), ("recommend_end", "推荐截止日期"), ("check_end", "初审截止日期"),
                ("review_end", "评议截止日期"), ("notice_start", "公示开始日期"), ("award_date", "表彰日期"))


def clean_session(values: dict, existing: NominationSession | None = None) -> dict:
    merged = {}
    if existing is not None:
        merged = {"name": existing.name, "kind": existing.kind, "period": existing.period, "method": existing.method,
                  "categories": existing.category_list, "quotas": existing.quota_map, "rubric": existing.rubric_items,
                  "note": existing.note, "pass_fraction": existing.pass_fraction,
                  **{key: getattr(existing, key) for key, _ in _DATE_FIELDS}}
    merged.update(values)
    errors: dict[str, str] = {}
    out: dict = {}
    name = validation.required(merged.get("name"), "活动名称")
    if name.ok:
        out["name"] = name.value
    else:
        errors["name"] = name.error
    if merged.get("kind") not in SESSION_KINDS:
        errors["kind"] = "请选择评选类型：身边好人（月度、季度）或道德模范"
    out["kind"] = merged.get("kind")
    out["period"] = validation.normalize_text(merged.get("period") or "")
    if merged.get("method", "score") not in ("score", "vote"):
        errors["method"] = "评议方式只能是评分或投票"
    out["method"] = merged.get("method") or "score"
    categories = parse_categories(merged.get("categories") or [])
    if not categories:
        errors["categories"] = "至少要有一个推荐类别"
    out["categories"] = changes.dumps(categories)
    quotas = {}
    raw_quotas = merged.get("quotas") or {}
    if isinstance(raw_quotas, str):  # "助人为乐:2；见义勇为:1" as typed in the session form
        pairs = [re.split(r"\s*[:：]\s*", p.strip(), maxsplit=1) for p in re.split(r"[；;\n]+", raw_quotas) if p.strip()]
        bad = [p[0] for p in pairs if len(p) != 2]
        if bad:
            errors["quotas"] = f"名额应写成「类别:名额」，如「助人为乐:2」，「{bad[0]}」看不懂"
        raw_quotas = {p[0]: p[1] for p in pairs if len(p) == 2}
    default_quota = int(settings.get("nomination.default_quota"))
    for category in categories:
        raw = raw_quotas.get(category, default_quota)
        checked = validation.number(raw, f"「{category}」的名额", minimum=1, step=1, suffixes=("名", "人"))
        if not checked.ok:
            errors["quotas"] = checked.error
        quotas[category] = int(checked.value) if checked.ok else 0
    out["quotas"] = changes.dumps(quotas)
    try:
        out["rubric"] = changes.dumps([list(p) for p in parse_rubric(merged.get("rubric") or [])])
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        out["pass_fraction"] = parse_pass_fraction(merged.get("pass_fraction"))
    except ValidationError as exc:
        errors.update(exc.errors)
    for key, label in _DATE_FIELDS:
        out[key] = _date(merged, key, label, errors)
    ordered = [(key, label, out[key]) for key, label in _DATE_FIELDS if out.get(key)]
    for (_k1, l1, d1), (k2, l2, d2) in zip(ordered, ordered[1:], strict=False):
        if d2 < d1 and k2 not in errors:
            errors[k2] = f"{l2} {d2.isoformat()} 早于{l1} {d1.isoformat()}"
    out["note"] = str(merged.get("note") or "").strip()
    if errors:
        raise ValidationError(errors)
    return out


def create_session(actor: Actor, values: dict) -> NominationSession:
    require(actor, "manage_nomination_sessions")
    cleaned = clean_session({**defaults(), **values})
    with database.atomic():
        row = changes.create(NominationSession, actor, {**cleaned, "phase": "recommend"})
        _event(actor, row.id, row.id, "", "recommend", "设立评选活动")
    return row


def update_session(actor: Actor, session_id: str, values: dict) -> dict:
    require(actor, "manage_nomination_sessions")
    row = get_session(session_id)
    if row.phase not in ("recommend", "check") and {"categories", "rubric", "method", "quotas", "pass_fraction"} & set(values):
        raise CivDeskError("评议已经开始，推荐类别、名额、评分细则和通过线不能再改。")
    return changes.update(row, actor, clean_session(values, row))


def get_session(session_id: str) -> NominationSession:
    row = NominationSession.get_or_none((NominationSession.id == session_id) & (NominationSession.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个评选活动（可能已被删除）。")
    return row


def sessions() -> list[NominationSession]:
    return list(NominationSession.select().where(NominationSession.deleted == _LIVE)
                .order_by(NominationSession.created_at.desc(), NominationSession.clock.desc()))


def session_ids_named(key: str) -> list[str]:
    """The live sessions whose name (or whole id) is *key* (the command line)."""
    return [i for (i,) in NominationSession.select(NominationSession.id).where(
        ((NominationSession.name == key) | (NominationSession.id == key)) & (NominationSession.deleted == _LIVE)).tuples()]


def session_ids_starting_with(prefix: str) -> list[str]:
    """The live sessions whose id begins with *prefix* (a short id typed on the command line)."""
    return models.ids_starting_with(NominationSession, prefix)


def _event(actor: Actor, session_id: str, record_id: str, before: str, after: str, reason: str = "",
           scope: str | None = None) -> None:
    """*scope*: a nomination's events belong to its village, like the nomination itself."""
    changes.create(NominationEvent, actor, {"session_id": session_id, "record_id": record_id,
                                            "from_status": before, "to_status": after, "reason": reason},
                   scope=scope, audit=False)


def set_phase(actor: Actor, session: NominationSession, phase: str, reason: str = "", **extra) -> None:
    with database.atomic():
        before = session.phase
        changes.update(session, actor, {"phase": phase, **extra}, note=reason or f"进入{PHASES[phase]}阶段")
        _event(actor, session.id, session.id, before, phase, reason)


def set_status(actor: Actor, nomination: Nomination, status: str, reason: str = "", **extra) -> None:
    with database.atomic():
        before = nomination.status
        changes.update(nomination, actor, {"status": status, **extra}, note=reason or STATUSES[status])
        _event(actor, nomination.session_id, nomination.id, before, status, reason, nomination.scope)


def events(record_id: str) -> list[NominationEvent]:
    return list(NominationEvent.select().where(NominationEvent.record_id == record_id).order_by(NominationEvent.clock))
