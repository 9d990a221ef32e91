"""Applications (申报): filing a draft, self-scores and assessed scores, attachments.

Scores are append-only entries; the latest entry (highest clock) of each item and kind counts.
So the village's self-scores and the township's assessed scores never conflict on sync, and the
history of each figure stays readable. The sums are cached on the application
(``self_tenths`` / ``assessed_tenths``) for the board and the lists.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from civdesk.core import changes, models, validation
from civdesk.core.actor import SYSTEM, Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.jobs import Progress
from civdesk.core.validation import ValidationError
from civdesk.office import settings
from civdesk.units import organisations as units
from civdesk.units.models import (
    LEVELS,
    STATUSES,
    TITLES,
    Application,
    Attachment,
    AttachmentChunk,
    IndicatorItem,
    Organisation,
    Score,
    points_text,  # noqa: F401 - callers read it as unit_scoring.points_text
    title_text,
)

_LIVE = False
CHUNK_BYTES = 256 * 1024
ATTACHMENT_TYPES = {".jpg": "照片", ".jpeg": "照片", ".png": "照片", ".gif": "照片", ".bmp": "照片", ".pdf": "PDF"}
EDITABLE = ("work_summary", "highlights", "level", "model_grade")


def get(application_id: str) -> Application:
    row = Application.get_or_none((Application.id == application_id) & (Application.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这份申报（可能已被删除）。")
    return row


@dataclass(frozen=True)
class ApplicationRow:
    """One application as the lists show it, with its organisation's name, kind and village."""

    id: str
    org_id: str
    org_name: str
    org_kind: str
    village_id: str | None
    year: int
    title: str
    level: str
    model_grade: bool
    status: str
    self_tenths: int
    assessed_tenths: int | None
    decision_number: str = ""

    @property
    def title_text(self) -> str:
        return title_text(self.title, self.level, self.model_grade)


def _application_rows(where, *order) -> list[ApplicationRow]:
    query = (Application.select(Application, Organisation)
             .join(Organisation, on=(Organisation.id == Application.org_id))
             .where(where & (Application.deleted == _LIVE)).order_by(*order))
    return [ApplicationRow(a.id, a.org_id, a.organisation.name, a.organisation.kind, a.organisation.village_id,
                           a.year, a.title, a.level, a.model_grade, a.status, a.self_tenths, a.assessed_tenths,
                           a.decision_number)
            for a in query]


def applications_in_year(year: int) -> list[ApplicationRow]:
    """The year's live applications in the pinyin order of their organisations."""
    return _application_rows(Application.year == year, Organisation.name_pinyin)


def applications_of_org(org_id: str) -> list[ApplicationRow]:
    """One organisation's live applications, the latest year first."""
    return _application_rows(Application.org_id == org_id, Application.year.desc())


def ids_starting_with(prefix: str) -> list[str]:
    """The live applications whose id begins with *prefix* (a short id typed on the command line)."""
    return models.ids_starting_with(Application, prefix)


def _check_title(title: str, level: str) -> dict:
    errors = {}
    if title not in TITLES:
        errors["title"] = f"申报称号只能是：{'、'.join(TITLES)}"
    if level not in LEVELS:
        errors["level"] = f"级别只能是：{'、'.join(LEVELS)}"
    return errors


def create(actor: Actor, org_id: str, year: int, title: str, level: str = "镇级", *, model_grade: bool = False,
           work_summary: str = "", highlights: str = "") -> Application:
    """A draft application; its indicator set is the current one of the title and year."""
    require(actor, "edit_unit_applications")
    org = units.get_org(org_id)
    errors = _check_title(title, level)
    if errors:
        raise ValidationError(errors)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": f"年度 {year} 不对"})
    own = units.office_service.own_office_or_none()
    if own is not None and own.kind == "village" and org.village_id != own.id:
        raise CivDeskError(f"本机属于「{own.name}」，只能为本村（社区）的单位申报。")
    clash = Application.select().where((Application.org_id == org.id) & (Application.year == year)
                                       & (Application.title == title) & (Application.deleted == _LIVE)
                                       & (Application.status != "failed"))
    if clash.exists():
        raise ValidationError({"title": f"「{org.name}」{year}年已有{title}的申报，不能重复申报"})
    indicator_set = units.current_set(title, year)
    if indicator_set is None:
        units.ensure_default_sets(SYSTEM, year)  # the shipped defaults, until an admin edits them
        indicator_set = units.current_set(title, year)
    return changes.create(Application, actor, {
        "org_id": org.id, "year": int(year), "title": title, "level": level, "model_grade": bool(model_grade),
        "set_id": indicator_set.id, "work_summary": work_summary.strip(), "highlights": highlights.strip(),
        "status": "draft", "self_tenths": 0, "assessed_tenths": None}, scope=org.scope)


def update(actor: Actor, application_id: str, values: dict) -> dict:
    require(actor, "edit_unit_applications")
    app = get(application_id)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise CivDeskError(f"不能修改这些信息：{'、'.join(sorted(unknown))}")
    if app.status != "draft":
        raise CivDeskError(f"申报已{STATUSES[app.status]}，只有草稿（或退回修改的申报）可以修改。")
    cleaned = {k: (str(v).strip() if k in ("work_summary", "highlights") else v) for k, v in values.items()}
    if "level" in cleaned:
        errors = _check_title(app.title, cleaned["level"])
        if errors:
            raise ValidationError(errors)
    if "model_grade" in cleaned:
        cleaned["model_grade"] = bool(cleaned["model_grade"])
    return changes.update(app, actor, cleaned)


def delete(actor: Actor, application_id: str, reason: str) -> None:
    require(actor, "edit_unit_applications")
    app = get(application_id)
    if app.status != "draft":
        raise CivDeskError("只有草稿可以删除；已提交的申报请由审核人退回或评为未通过。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明删除原因"})
    changes.delete(app, actor, note=reason.strip())


# --- scores ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemScore:
    tenths: int
    grade: str
    note: str
    by: str
    at: str


def latest_scores(application_id: str, kind: str) -> dict[str, ItemScore]:
    """item id -> the latest entry of *kind* ("self" or "assessed")."""
    found: dict[str, ItemScore] = {}
    query = (Score.select().where((Score.application_id == application_id) & (Score.kind == kind)
                                  & (Score.deleted == _LIVE)).order_by(Score.clock))
    for row in query:
        found[row.item_id] = ItemScore(row.tenths, row.grade, row.note, row.created_by, row.created_at)
    return found


def score_history(application_id: str, item_id: str) -> list[Score]:
    return list(Score.select().where((Score.application_id == application_id) & (Score.item_id == item_id))
                .order_by(Score.clock))


def parse_score(item: IndicatorItem, value) -> tuple[int, str]:
    """A typed score (points, or a grade letter for a graded item) → (tenths, grade); raises
    ValidationError keyed by the item id with what is wrong."""
    grades = item.grade_points()
    text = validation.normalize_text(value if value is not None else "").upper()
    if grades:
        if text in grades:
            return grades[text], text
        raise ValidationError({item.id: f"「{item.name[:16]}」请选择等次：{'、'.join(grades)}"})
    points = validation.parse_number(value, f"「{item.name[:16]}」得分", field=item.id, minimum=0,
                                     maximum=Decimal(item.max_tenths) / 10, step="0.1", unit="分", suffixes=("分",))
    return int(points * 10), ""


def enter_scores(actor: Actor, application_id: str, kind: str, entries: dict[str, tuple[object, str]]) -> int:
    """Record scores {item_id: (value, note)} of *kind*; returns the new total in tenths.

    Self-scores by anyone filing the application while it is a draft; assessed scores only by a
    reviewer during 测评. Every entry is checked before anything is written."""
    app = get(application_id)
    if kind == "self":
        require(actor, "edit_unit_applications")
        if app.status != "draft":
            raise CivDeskError(f"申报已{STATUSES[app.status]}，自评分只能在草稿状态填写。")
    elif kind == "assessed":
        require(actor, "review_units")
        if app.status != "assessing":
            raise CivDeskError(f"申报现在是「{STATUSES[app.status]}」，只有进入测评后才能录入测评分。")
    else:
        raise ValueError(kind)
    by_id = {item.id: item for item in units.items(app.set_id)}
    latest = latest_scores(app.id, kind)
    rows, errors = [], {}
    for item_id, (value, note) in entries.items():
        item = by_id.get(item_id)
        if item is None:
            raise CivDeskError("该指标不属于这份申报的测评体系。")
        if value in (None, "") and item_id not in latest:
            continue
        if value in (None, ""):
            errors[item_id] = f"「{item.name[:16]}」已填过分数，不能清空；请填写 0 或正确的分数"
            continue
        try:
            tenths, grade = parse_score(item, value)
        except ValidationError as exc:
            errors.update(exc.errors)
            continue
        note = str(note or "").strip()
        old = latest.get(item_id)
        if old is not None and (old.tenths, old.grade, old.note) == (tenths, grade, note):
            continue
        rows.append({"application_id": app.id, "item_id": item_id, "kind": kind, "tenths": tenths,
                     "grade": grade, "note": note})
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        for values in rows:
            changes.create(Score, actor, values, scope=app.scope, audit=False)
        if rows:
            changes.write_audit(actor, "update", row=app, note=f"录入{'自评' if kind == 'self' else '测评'}分 {len(rows)} 项")
        return refresh_total(actor, app, kind)


def refresh_total(actor: Actor, app: Application, kind: str) -> int:
    total = sum(score.tenths for score in latest_scores(app.id, kind).values())
    field = "self_tenths" if kind == "self" else "assessed_tenths"
    if getattr(app, field) != total:
        changes.update(app, actor, {field: total}, audit=False)
    return total


def unscored_items(app: Application, kind: str) -> list[IndicatorItem]:
    latest = latest_scores(app.id, kind)
    return [item for item in units.items(app.set_id) if item.id not in latest]


def unscored_items_of(apps: list[Application], kind: str) -> dict[str, list[IndicatorItem]]:
    """``unscored_items`` of many applications: their scores and their sets' items read once."""
    scored: dict[str, set[str]] = {a.id: set() for a in apps}
    if apps:
        for application_id, item_id in Score.select(Score.application_id, Score.item_id).where(
                (Score.application_id << list(scored)) & (Score.kind == kind) & (Score.deleted == _LIVE)).tuples():
            scored[application_id].add(item_id)
    items = units.items_of_sets(a.set_id for a in apps)
    return {a.id: [item for item in items.get(a.set_id, []) if item.id not in scored[a.id]] for a in apps}


# --- attachments -------------------------------------------------------------------------------


def max_attachment_bytes() -> int:
    return int(settings.get("unit.max_attachment_mb")) * 1024 * 1024


def add_attachment(actor: Actor, application_id: str, path: str | Path | None = None, *, name: str = "",
                   data: bytes | None = None, item_id: str | None = None, note: str = "",
                   progress: Progress | None = None) -> Attachment:
    """Store a photo or PDF in the database (in chunks) so it travels with sync.

    ``progress(done, total, text)`` is told about the bytes read and the chunks stored."""
    require(actor, "edit_unit_applications")
    app = get(application_id)
    if app.status not in ("draft", "submitted", "prelim", "assessing"):
        raise CivDeskError(f"申报已{STATUSES[app.status]}，不能再添加附件。")
    if data is None:
        path = Path(path)
        name = name or path.name
        data = _read_file(path, progress)
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError({"file": f"「{name}」不是照片或 PDF：只能添加 .jpg、.png、.gif、.bmp 照片或 .pdf 文件"})
    if len(data) > max_attachment_bytes():
        raise ValidationError({"file": _too_big(name, len(data))})
    if not data:
        raise ValidationError({"file": f"「{name}」是空文件"})
    if item_id and not IndicatorItem.select().where((IndicatorItem.id == item_id)
                                                    & (IndicatorItem.set_id == app.set_id)).exists():
        raise CivDeskError("该指标不属于这份申报的测评体系。")
    pieces = [data[i:i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)]
    with database.atomic():
        row = changes.create(Attachment, actor, {
            "application_id": app.id, "item_id": item_id, "file_name": name, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "chunks": len(pieces), "note": note.strip()},
            scope=app.scope)
        for seq, piece in enumerate(pieces):
            changes.create(AttachmentChunk, actor, {"attachment_id": row.id, "seq": seq,
                                                    "data": base64.b64encode(piece).decode("ascii")},
                           scope=app.scope, audit=False)
            if progress is not None:
                progress(seq + 1, len(pieces), f"正在保存「{name}」…")
    return row


def _read_file(path: Path, progress: Progress | None) -> bytes:
    """The file's bytes, refusing a too-big one before reading it; a file that cannot be read
    says why in words a clerk understands, not the system's English."""
    try:
        size = path.stat().st_size
        if size > max_attachment_bytes():
            raise ValidationError({"file": _too_big(path.name, size)})
        parts, done = [], 0
        with path.open("rb") as stream:
            while block := stream.read(CHUNK_BYTES):
                parts.append(block)
                done += len(block)
                if progress is not None and size:
                    progress(min(done, size), size, f"正在读取「{path.name}」…")
        return b"".join(parts)
    except FileNotFoundError as exc:
        raise CivDeskError(f"无法读取「{path.name}」：文件不存在（可能已被移走、改名，或 U 盘已拔出）。") from exc
    except PermissionError as exc:
        raise CivDeskError(f"无法读取「{path.name}」：没有读取权限，或文件正被其他程序占用。"
                           "请关闭打开它的程序后再试。") from exc
    except IsADirectoryError as exc:
        raise CivDeskError(f"无法读取「{path.name}」：这是一个文件夹，不是文件。") from exc
    except OSError as exc:
        raise CivDeskError(f"无法读取「{path.name}」：{exc.strerror or exc}") from exc


def _too_big(name: str, size: int) -> str:
    limit = settings.get("unit.max_attachment_mb")
    return (f"「{name}」有 {size / 1024 / 1024:.1f} MB，超过了每个附件 {limit} MB 的上限。"
            "请把照片压缩或缩小后再添加（附件要随同步数据包拷到 U 盘）")


def attachments(application_id: str) -> list[Attachment]:
    return list(Attachment.select().where((Attachment.application_id == application_id)
                                          & (Attachment.deleted == _LIVE)).order_by(Attachment.created_at))


def attachment_name(attachment_id: str) -> str:
    """The file name an attachment was added with."""
    row = Attachment.get_or_none(Attachment.id == attachment_id)
    if row is None:
        raise NotFound("找不到这个附件。")
    return row.file_name


def attachment_bytes(attachment_id: str) -> bytes:
    """The file's bytes, checked against its SHA-256 (a chunk still on its way by sync shows)."""
    row = Attachment.get_or_none(Attachment.id == attachment_id)
    if row is None:
        raise NotFound("找不到这个附件。")
    chunks = list(AttachmentChunk.select(AttachmentChunk.seq, AttachmentChunk.data)
                  .where(AttachmentChunk.attachment_id == row.id).order_by(AttachmentChunk.seq).tuples())
    data = b"".join(base64.b64decode(text) for _, text in chunks)
    if len(chunks) != row.chunks or hashlib.sha256(data).hexdigest() != row.sha256:
        raise CivDeskError(f"附件「{row.file_name}」不完整（可能还有部分内容在下一个同步数据包里），请同步后再打开。")
    return data


def save_attachment(attachment_id: str, target: str | Path) -> Path:
    from civdesk.core.files import save_atomically

    row = Attachment.get(Attachment.id == attachment_id)
    data = attachment_bytes(attachment_id)
    save_atomically(target, lambda tmp: Path(tmp).write_bytes(data), suffix=Path(row.file_name).suffix)
    return Path(target)


def remove_attachment(actor: Actor, attachment_id: str) -> None:
    require(actor, "edit_unit_applications")
    row = Attachment.get_or_none((Attachment.id == attachment_id) & (Attachment.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个附件。")
    if get(row.application_id).status != "draft":
        raise CivDeskError("申报提交后附件不能删除（审核时要看到提交时的材料）。")
    changes.delete(row, actor, note="删除申报附件")

