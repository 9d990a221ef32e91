"""Render civdesk/resources/icons/civdesk.svg into the PNG sizes and a multi-size .ico.

    python packaging/make_icons.py

Writes, beside the SVG in civdesk/resources/icons/:
  civdesk-16.png … civdesk-256.png   every size (the .deb puts them under /usr/share/icons/hicolor)
  civdesk.png                        256 px, loaded by the window (ui/app.py app_icon)
  civdesk.ico                        16–256 px for the Windows executables and the installer

Only PySide6 (QtSvg, QtGui) is needed; the .ico is written here by hand: BMP (DIB) entries for
16–128 px, which every Windows tool reads, and a PNG entry for 256 px, as Windows does itself.
The generated files are committed; run this again after changing the SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "civdesk" / "resources" / "icons"
SVG = ICONS / "civdesk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buffer.close()
    return bytes(data)


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA DIB as an .ico entry: header with doubled height, bottom-up rows, AND mask."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory on little-endian
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = [bytes(image.constScanLine(y))[: size * 4] for y in range(size - 1, -1, -1)]
    mask_stride = ((size + 31) // 32) * 4
    mask_rows = []
    for y in range(size - 1, -1, -1):
        bits = bytearray(mask_stride)
        for x in range(size):
            if image.pixelColor(x, y).alpha() == 0:  # 1 = transparent in the AND mask
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    return header + b"".join(rows) + b"".join(mask_rows)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    entries = []
    for size in sorted(images):
        payload = png_bytes(images[size]) if size >= 256 else dib_bytes(images[size])
        entries.append((size, payload))
    header = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    directory = b""
    for size, payload in entries:
        dim = 0 if size >= 256 else size  # 0 means 256
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(payload), offset)
        offset += len(payload)
    return header + directory + b"".join(payload for _, payload in entries)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs it
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    for size in PNG_SIZES:
        (ICONS / f"civdesk-{size}.png").write_bytes(png_bytes(images[size]))
    (ICONS / "civdesk.png").write_bytes(png_bytes(images[256]))
    (ICONS / "civdesk.ico").write_bytes(ico_bytes({size: images[size] for size in ICO_SIZES}))
    written = sorted(p.name for p in ICONS.iterdir() if p.suffix in (".png", ".ico"))
    print(f"wrote {len(written)} files in {ICONS}: {', '.join(written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
