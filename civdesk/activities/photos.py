"""Photos of activities and placements, stored in the database in chunks (as the units'
attachments are) so they travel with sync. Only real JPG or PNG photos are taken: the file's
header must say so and Pillow must be able to read it, and it must be within the size limit."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from civdesk.activities.models import Photo, PhotoChunk
from civdesk.activities.terms import PHOTO_OWNERS
from civdesk.core import changes, images, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.office import settings

CHUNK_BYTES = 256 * 1024
_LIVE = False


@dataclass(frozen=True)
class PhotoRow:
    id: str
    file_name: str
    caption: str
    size: int
    mime: str


def max_bytes() -> int:
    return int(settings.get("activities.photo_max_kb")) * 1024


def check_photo(name: str, data: bytes) -> str:
    """The photo's MIME type, or ValidationError in words a clerk understands."""
    name = validation.normalize_text(name) or "未命名"
    if not data:
        raise ValidationError({"photo": f"「{name}」是空文件"})
    if len(data) > max_bytes():
        raise ValidationError({"photo": _too_big(name, len(data))})
    kind = images.sniff(data, images.PHOTOS)
    found = (kind.mime, kind.name) if kind is not None else None
    if found is None:
        raise ValidationError({"photo": f"「{name}」不是 JPG 或 PNG 照片，请选择照片文件"})
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != found[1]:
                raise ValueError(image.format)
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError({"photo": f"「{name}」的像素尺寸大得不正常，请用看图软件缩小后再添加"}) from None
    except (UnidentifiedImageError, ValueError, OSError, SyntaxError):
        raise ValidationError({"photo": f"「{name}」已损坏或不完整，无法作为照片打开"}) from None
    return found[0]


def _too_big(name: str, size: int) -> str:
    limit = max_bytes() / 1024 / 1024
    return (f"「{name}」有 {size / 1024 / 1024:.1f} MB，超过了每张照片 {limit:g} MB 的上限"
            "（设置 → 参数 → 活动与阵地）。请先压缩后再添加")


def read_file(path: str | Path) -> tuple[str, bytes]:
    """(file name, bytes) of a photo chosen on disk, refusing a too-big file before reading it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes():
            raise ValidationError({"photo": _too_big(path.name, size)})
        return path.name, path.read_bytes()
    except FileNotFoundError as exc:
        raise CivDeskError(f"无法读取「{path.name}」：文件不存在（可能已被移走、改名，或 U 盘已拔出）。") from exc
    except IsADirectoryError as exc:
        raise CivDeskError(f"无法读取「{path.name}」：这是一个文件夹，不是照片。") from exc
    except OSError as exc:
        raise CivDeskError(f"无法读取「{path.name}」：{exc.strerror or exc}") from exc


def store(actor: Actor, owner_kind: str, owner_id: str, scope: str | None, name: str, data: bytes,
          caption: str = "") -> Photo:
    """Check and store one photo (inside the caller's transaction when there is one)."""
    if owner_kind not in PHOTO_OWNERS:
        raise ValueError(owner_kind)
    mime = check_photo(name, data)
    name = validation.normalize_text(name) or "照片"
    pieces = [data[i:i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)]
    with database.atomic():
        row = changes.create(Photo, actor, {
            "owner_kind": owner_kind, "owner_id": owner_id, "file_name": name, "mime": mime, "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "chunks": len(pieces),
            "caption": validation.normalize_text(caption)}, scope=scope)
        for seq, piece in enumerate(pieces):
            changes.create(PhotoChunk, actor, {"photo_id": row.id, "seq": seq,
                                               "data": base64.b64encode(piece).decode("ascii")},
                           scope=scope, audit=False)
    return row


def photos(owner_id: str) -> list[PhotoRow]:
    query = (Photo.select().where((Photo.owner_id == owner_id) & (Photo.deleted == _LIVE))
             .order_by(Photo.created_at, Photo.clock))
    return [PhotoRow(p.id, p.file_name, p.caption, p.size, p.mime) for p in query]


def counts(owner_ids: list[str]) -> dict[str, int]:
    from peewee import fn

    found: dict[str, int] = {}
    for i in range(0, len(owner_ids), 500):
        block = owner_ids[i:i + 500]
        found.update(Photo.select(Photo.owner_id, fn.COUNT(Photo.id))
                     .where((Photo.owner_id << block) & (Photo.deleted == _LIVE))
                     .group_by(Photo.owner_id).tuples())
    return found


def photo_bytes(photo_id: str) -> bytes:
    """The photo's bytes, checked against its SHA-256 (a chunk still on its way by sync shows)."""
    row = Photo.get_or_none((Photo.id == photo_id) & (Photo.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这张照片。")
    chunks = list(PhotoChunk.select(PhotoChunk.seq, PhotoChunk.data).where(PhotoChunk.photo_id == row.id)
                  .order_by(PhotoChunk.seq).tuples())
    data = b"".join(base64.b64decode(text) for _, text in chunks)
    if len(chunks) != row.chunks or hashlib.sha256(data).hexdigest() != row.sha256:
        raise CivDeskError(f"照片「{row.file_name}」不完整（可能还有部分内容在下一个同步数据包里），请同步后再打开。")
    return data


def remove(actor: Actor, photo_id: str) -> None:
    require(actor, "edit_activities")
    row = Photo.get_or_none((Photo.id == photo_id) & (Photo.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这张照片。")
    changes.delete(row, actor, note="删除照片")
