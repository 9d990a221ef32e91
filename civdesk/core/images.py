"""What kind of file a picked file really is, from its first bytes (its name proves nothing).

One check for every domain that takes photos or scans: ``sniff(data, allowed)`` gives the
:class:`FileKind` (its MIME type and the name Pillow gives the format) or None.
"""

from __future__ import annotations

from dataclasses import dataclass

PHOTOS = ("JPEG", "PNG")
PHOTOS_OR_PDF = ("JPEG", "PNG", "PDF")
PICTURES = ("JPEG", "PNG", "GIF", "BMP", "WebP")


@dataclass(frozen=True)
class FileKind:
    name: str  # "JPEG", "PNG", … (what Pillow calls the format; "WebP" is Pillow's "WEBP")
    mime: str


_KINDS = {
    "JPEG": FileKind("JPEG", "image/jpeg"),
    "PNG": FileKind("PNG", "image/png"),
    "GIF": FileKind("GIF", "image/gif"),
    "BMP": FileKind("BMP", "image/bmp"),
    "WebP": FileKind("WebP", "image/webp"),
    "PDF": FileKind("PDF", "application/pdf"),
}


def _kind_name(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data.startswith(b"BM") and len(data) > 26:
        return "BMP"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data.startswith(b"%PDF"):
        return "PDF"
    return ""


def sniff(data: bytes, allowed: tuple[str, ...] = PICTURES) -> FileKind | None:
    """The kind among *allowed* that *data*'s header says it is, or None."""
    name = _kind_name(data or b"")
    if name not in allowed:
        return None
    return _KINDS[name]


def mime(data: bytes, allowed: tuple[str, ...] = PICTURES) -> str:
    """The MIME type among *allowed*, or ""."""
    found = sniff(data, allowed)
    return found.mime if found is not None else ""
