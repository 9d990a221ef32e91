"""Attachments of a ticket: a scanned letter or a photo when it is received, photos of the
spot and of the result with the 办理 notes. JPG, PNG or PDF, up to ``hotline.file_max_kb``."""

from __future__ import annotations

import base64
from pathlib import Path

from civdesk.core import changes, images, validation
from civdesk.core.actor import Actor
from civdesk.core.validation import ValidationError
from civdesk.hotline.models import Ticket, TicketFile
from civdesk.office import settings


def read(path: str | Path) -> tuple[str, bytes]:
    """(file name, bytes) of a file a clerk picked; Chinese message when it cannot be read."""
    path = Path(path)
    try:
        return path.name, path.read_bytes()
    except FileNotFoundError:
        raise ValidationError({"attachments": f"找不到附件「{path}」"}) from None
    except OSError as exc:
        raise ValidationError({"attachments": f"无法读取附件「{path.name}」：{exc.strerror or exc}"}) from None


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def checked(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """(name, mime, data) of every file, or ValidationError naming each bad one."""
    limit = int(settings.get("hotline.file_max_kb"))
    good, errors = [], []
    for file_name, data in files:
        name = validation.normalize_text(file_name) or "未命名"
        mime = images.mime(data, images.PHOTOS_OR_PDF)
        if not data:
            errors.append(f"「{name}」是空文件")
        elif not mime:
            errors.append(f"「{name}」不是 JPG、PNG 照片或 PDF 文件；Word 文档请先另存为 PDF")
        elif len(data) > limit * 1024:
            errors.append(f"「{name}」有 {size_text(len(data))}，超过每个附件 {size_text(limit * 1024)} 的上限，请先压缩")
        else:
            good.append((name, mime, data))
    if errors:
        raise ValidationError({"attachments": "；".join(errors)})
    return good


def store(actor: Actor, ticket: Ticket, files: list[tuple[str, str, bytes]], event_id: str | None = None) -> None:
    """Write checked files; call inside the transaction of the step they belong to."""
    for name, mime, data in files:
        changes.create(TicketFile, actor, {"ticket_id": ticket.id, "event_id": event_id, "file_name": name,
                                           "mime": mime, "size": len(data),
                                           "data": base64.b64encode(data).decode("ascii")},
                       scope=ticket.scope, record_label=f"{ticket.number} 附件 {name}")
