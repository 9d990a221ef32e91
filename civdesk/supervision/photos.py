"""Photos of findings (整改前) and of rectification reports and 复查 (整改后), stored in the
database in base64 chunks so that they travel with the USB package, as the units' attachments do.

A file is accepted when its first bytes say it is a JPEG, PNG, GIF, BMP or WebP picture (its
name alone proves nothing) and it is under the size limit (a setting).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from civdesk.core import changes, images
from civdesk.core.actor import Actor
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.office import settings
from civdesk.supervision.models import PHOTO_STAGES, Photo, PhotoChunk, PhotoPair

CHUNK_BYTES = 256 * 1024


def image_kind(data: bytes) -> str:
    """"JPEG", "PNG", … from the file's header, or "" when it is not a picture we know."""
    found = images.sniff(data, images.PICTURES)
    return found.name if found is not None else ""


def max_bytes() -> int:
    return int(settings.get("supervision.photo_max_kb")) * 1024


@dataclass(frozen=True)
class PhotoFile:
    """A photo read and checked, not yet stored."""

    name: str
    data: bytes
    kind: str


def _too_big(name: str, size: int) -> str:
    return (f"照片「{name}」有 {size / 1024 / 1024:.1f} MB，超过了每张 {max_bytes() // 1024} KB 的上限。"
            "请把照片压缩或缩小后再添加（照片要随同步数据包拷到 U 盘）")


def read(path: str | Path, field: str = "photos") -> PhotoFile:
    """Read and check one photo file; refused with a Chinese message naming the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes():
            raise ValidationError({field: _too_big(path.name, size)})
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError({field: f"找不到照片文件「{path.name}」（可能已被移走、改名，或 U 盘已拔出）"}) from exc
    except IsADirectoryError as exc:
        raise ValidationError({field: f"「{path.name}」是一个文件夹，不是照片"}) from exc
    except PermissionError as exc:
        raise ValidationError({field: f"无法读取「{path.name}」：没有读取权限，或文件正被其他程序占用"}) from exc
    return check(path.name, data, field)


def check(name: str, data: bytes, field: str = "photos") -> PhotoFile:
    if not data:
        raise ValidationError({field: f"「{name}」是空文件，不是照片"})
    if len(data) > max_bytes():
        raise ValidationError({field: _too_big(name, len(data))})
    kind = image_kind(data)
    if not kind:
        raise ValidationError({field: f"「{name}」不是照片：只能添加 JPG、PNG、GIF、BMP 或 WebP 格式的图片文件"})
    return PhotoFile(name, data, kind)


def store(actor: Actor, photo: PhotoFile, owner_kind: str, owner_id: str, scope: str | None, *,
          stage: str = "before", pair_id: str | None = None, note: str = "") -> Photo:
    """Write a checked photo and its chunks (the caller holds the transaction)."""
    if stage not in PHOTO_STAGES:
        raise CivDeskError("照片类别只能是整改前或整改后。")
    if pair_id and not Photo.select().where((Photo.id == pair_id) & (Photo.stage == "before")).exists():
        raise ValidationError({"pair": "配对的整改前照片不存在"})
    pieces = [photo.data[i:i + CHUNK_BYTES] for i in range(0, len(photo.data), CHUNK_BYTES)]
    row = changes.create(Photo, actor, {
        "owner_kind": owner_kind, "owner_id": owner_id, "stage": stage, "pair_id": pair_id, "file_name": photo.name,
        "size": len(photo.data), "sha256": hashlib.sha256(photo.data).hexdigest(), "chunks": len(pieces),
        "note": (note or "").strip()}, scope=scope)
    for seq, piece in enumerate(pieces):
        changes.create(PhotoChunk, actor, {"photo_id": row.id, "seq": seq,
                                           "data": base64.b64encode(piece).decode("ascii")}, scope=scope, audit=False)
    return row


def of(owner_ids: list[str]) -> list[Photo]:
    if not owner_ids:
        return []
    return list(Photo.select().where(Photo.owner_id.in_(owner_ids) & (Photo.deleted == False))  # noqa: E712
                .order_by(Photo.created_at))


@dataclass(frozen=True)
class PhotoRow:
    """A photo as a screen lists it (the bytes come from :func:`data` when it is shown)."""

    id: str
    owner_id: str
    stage: str
    stage_label: str
    file_name: str
    size: int
    pair_id: str | None


def rows(owner_ids: list[str]) -> list[PhotoRow]:
    """The photos of *owner_ids*; an after-photo's ``pair_id`` is the pairing in force (:func:`pairing`)."""
    found = of(owner_ids)
    paired = pairing([p for p in found if p.stage == "after"])
    return [PhotoRow(p.id, p.owner_id, p.stage, PHOTO_STAGES.get(p.stage, p.stage), p.file_name, p.size,
                     paired.get(p.id, p.pair_id)) for p in found]


def pairing(after: list[Photo]) -> dict[str, str | None]:
    """{after-photo id: the 整改前 photo it answers, or None}: the newest PhotoPair by clock (a clerk's
    explicit pairing, from any PC), else the pair the photo was stored with."""
    found = {p.id: p.pair_id for p in after}
    if not found:
        return found
    for after_id, before_id in (PhotoPair.select(PhotoPair.after_id, PhotoPair.before_id)
                                .where(PhotoPair.after_id.in_(list(found)) & (PhotoPair.deleted == False))  # noqa: E712
                                .order_by(PhotoPair.clock, PhotoPair.id).tuples()):
        found[after_id] = before_id
    return found


def pair(actor: Actor, after: Photo, before_id: str | None, note: str = "") -> PhotoPair:
    """Record that *after* answers *before_id* (None: no 整改前 photo); the caller has checked both and
    holds the transaction."""
    return changes.create(PhotoPair, actor, {"after_id": after.id, "before_id": before_id, "note": note},
                          scope=after.scope)


def data(photo_id: str) -> bytes:
    """The photo's bytes, checked against its SHA-256 (a chunk still on its way by sync shows)."""
    row = Photo.get_or_none(Photo.id == photo_id)
    if row is None:
        raise NotFound("找不到这张照片。")
    chunks = list(PhotoChunk.select(PhotoChunk.seq, PhotoChunk.data).where(PhotoChunk.photo_id == row.id)
                  .order_by(PhotoChunk.seq).tuples())
    content = b"".join(base64.b64decode(text) for _, text in chunks)
    if len(chunks) != row.chunks or hashlib.sha256(content).hexdigest() != row.sha256:
        raise CivDeskError(f"照片「{row.file_name}」不完整（可能还有部分内容在下一个同步数据包里），请同步后再打开。")
    return content
