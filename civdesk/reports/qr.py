"""QR codes and check codes that make printed certificates verifiable against the register.

A certificate prints its number, the holder and the hours together with a short check code:
HMAC-SHA256 over those values with the office's secret, shown as 8 characters of Crockford
base32 (no I, L, O or U, so it survives being read aloud or typed from paper). Anyone with the
register can recompute it; a changed number or hours no longer matches.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

from civdesk.reports.fonts import FontSet, resolve_fonts

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_LENGTH = 8                                 # 40 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def qr_flowable(text: str, size_mm: float = 25.0, level: str = "M", fonts: FontSet | None = None) -> Drawing:
    """A square QR code *size_mm* wide (quiet zone included) as a flowable Drawing."""
    fonts = fonts or resolve_fonts()
    widget = QrCodeWidget(text, barLevel=level)
    x0, y0, x1, y1 = widget.getBounds()
    side = size_mm * mm
    # initialFontName: the renderer otherwise selects Helvetica, which the PDF would list unembedded.
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0],
                      initialFontName=fonts.body)
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing


def _message(parts: tuple[str, ...]) -> bytes:
    # JSON keeps ("ab", "c") and ("a", "bc") apart, which plain joining would not.
    return json.dumps([str(part) for part in parts], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def check_code(secret: bytes, *parts: str) -> str:
    """8 characters (Crockford base32) of HMAC-SHA256(secret, parts)."""
    if not secret:
        raise ValueError("check codes need a non-empty secret")
    digest = hmac.new(secret, _message(parts), hashlib.sha256).digest()
    number = int.from_bytes(digest[:5], "big")
    return "".join(ALPHABET[(number >> (5 * (CODE_LENGTH - 1 - i))) & 31] for i in range(CODE_LENGTH))


def normalize_check_code(text: str) -> str:
    """What a person typed -> the canonical code: case, spaces and hyphens ignored, O→0, I/L→1."""
    return "".join(ch for ch in str(text).upper() if ch not in " -_\t").translate(_READ_AS)


def format_check_code(code: str) -> str:
    """ABCD-EFGH: easier to read off paper."""
    code = normalize_check_code(code)
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def verify_check_code(secret: bytes, code: str, *parts: str) -> bool:
    """True when *code* (as typed or printed) is the check code of *parts*."""
    return hmac.compare_digest(normalize_check_code(code).encode("ascii", "replace"),
                               check_code(secret, *parts).encode("ascii"))
