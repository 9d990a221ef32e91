"""The one monospace font (fingerprints, sync codes): Latin digits from a monospace face that
exists on the system, Chinese from the interface's Chinese faces (Consolas and DejaVu Sans Mono
have no Chinese glyphs: without a Chinese family in the list Qt picks an arbitrary fallback)."""

from __future__ import annotations

from PySide6.QtGui import QFont

MONO_FAMILIES = [
    "Consolas", "Cascadia Mono",                        # Windows 10/11
    "DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono",  # Linux (UOS, Kylin, Debian)
    "Menlo",                                            # macOS
    "Microsoft YaHei UI", "Microsoft YaHei",             # the Chinese glyphs on Windows
    "WenQuanYi Micro Hei Mono", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC",
    "Courier New",
]


def monospace(font: QFont) -> QFont:
    """*font* with the monospace families (size and weight kept)."""
    mono = QFont(font)
    mono.setFamilies(MONO_FAMILIES)
    mono.setStyleHint(QFont.StyleHint.Monospace)
    return mono
