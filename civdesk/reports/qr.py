"""QR codes and check codes that make printed certificates verifiable against the register.

QR symbols are encoded with ReportLab's qrencoder, but the Reed–Solomon step and the choice of
mask are done here with table lookups and row bit masks, and the symbol is drawn as one 1-bit
image: ReportLab's QrCodeWidget costs ~40 ms a code (it scores masks slowly and draws every
module as a shape), which a batch of a thousand certificates cannot afford.

A certificate prints its number, the holder and the hours together with a short check code:
HMAC-SHA256 over those values with the office's secret, shown as 8 characters of Crockford
base32 (no I, L, O or U, so it survives being read aloud or typed from paper). Anyone with the
register can recompute it; a changed number or hours no longer matches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from functools import cache
from itertools import zip_longest

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_LENGTH = 8                                 # 40 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
QUIET_ZONE = 4                                  # modules of white a symbol needs around it

_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER = re.compile(r"(?=(00001011101|10111010000))")
# Per (version, level) and mask: what masking with that mask changes against mask 0, as row bits.
# Data modules flip by mask(i, j) and the format information by (level, mask); neither depends
# on the data, so one encoding plus eight XORs gives all eight candidates.
_MASK_DELTAS: dict[tuple[int, int], list[list[int]]] = {}


def _row_bits(modules: list[list[bool]]) -> list[int]:
    return [int("".join("1" if module else "0" for module in row), 2) for row in modules]


def _penalty(bits: list[int], size: int) -> int:
    """ISO/IEC 18004 mask penalty (rules N1–N4); row bits, column 0 the highest bit."""
    rows = [format(value, f"0{size}b") for value in bits]
    # Rows and columns in one string, "|" between them so that no run crosses a line.
    lines = "|".join((*rows, *map("".join, zip(*rows, strict=True))))
    runs = _RUN.findall(lines)
    score = sum(map(len, runs)) - 2 * len(runs) + 40 * len(_FINDER.findall(lines))
    full = (1 << size) - 1
    blocks = 0
    for upper, lower in zip(bits, bits[1:], strict=False):
        dark = upper & lower & (upper >> 1) & (lower >> 1)
        light = ~upper & ~lower & ~(upper >> 1) & ~(lower >> 1) & (full >> 1)
        blocks += bin(dark).count("1") + bin(light).count("1")
    dark_share = 100 * sum(row.count("1") for row in rows) // (size * size)
    return score + 3 * blocks + 10 * (abs(dark_share - 50) // 5)


@cache
def _generator_logs(degree: int) -> tuple[int, ...]:
    """log α of the coefficients (after the leading 1) of the Reed–Solomon generator polynomial."""
    poly = qrencoder.QRUtil.getErrorCorrectPolynomial(degree)
    return tuple(qrencoder.LOG_TABLE[c] if c else -1 for c in poly.num[1:])


def _remainder(data: list[int], degree: int) -> list[int]:
    logs, exp, log = _generator_logs(degree), qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
    rem = [0] * degree
    for value in data:
        factor = value ^ rem[0]
        rem = rem[1:] + [0]
        if factor:
            shift = log[factor]
            rem = [r ^ exp[(shift + g) % 255] if g >= 0 else r for r, g in zip(rem, logs, strict=True)]
    return rem


def _codewords(version: int, ec: int, data_list: list) -> list[int]:
    """What ``QRCode.createData`` computes (data and error correction, interleaved), with the
    Reed–Solomon step done by table lookups instead of ReportLab's polynomial objects."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, ec)
    buffer = qrencoder.QRBitBuffer()
    for data in data_list:
        data.write(buffer, version)
    capacity = 8 * sum(block.dataCount for block in blocks)
    if buffer.getLengthInBits() > capacity:
        raise ValueError("QR data too long")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = (qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1)
    count = 0
    while buffer.getLengthInBits() < capacity:
        buffer.put(pads[count % 2], 8)
        count += 1
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = buffer.buffer[offset:offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(chunk)
        ec_blocks.append(_remainder(chunk, block.totalCount - block.dataCount))
    return [value for group in (zip_longest(*data_blocks), zip_longest(*ec_blocks))
            for column in group for value in column if value is not None]


def qr_matrix(text: str, level: str = "M") -> tuple[int, list[int]]:
    """(size, row bits) of the QR symbol for *text*, with the best of the eight masks; row bits
    have column 0 as the highest bit."""
    ec = getattr(qrencoder.QRErrorCorrectLevel, level)
    code = qrencoder.QRCode(None, ec)
    code.addData(text)
    code.version = code.calculate_version()
    code.dataCache = _codewords(code.version, ec, code.dataList)
    code.makeImpl(False, 0)
    base = _row_bits(code.modules)
    key = (code.version, ec)
    deltas = _MASK_DELTAS.get(key)
    if deltas is None:
        deltas = [[0] * len(base)]
        for mask in range(1, 8):
            code.makeImpl(False, mask)
            deltas.append([a ^ b for a, b in zip(_row_bits(code.modules), base, strict=True)])
        _MASK_DELTAS[key] = deltas
    size = code.moduleCount
    candidates = [[row ^ flip for row, flip in zip(base, delta, strict=True)] for delta in deltas]
    return size, min(candidates, key=lambda bits: _penalty(bits, size))


def draw_qr(canvas: Canvas, text: str, x: float, y: float, side: float, level: str = "M",
            quiet_zone: int = 0) -> None:
    """The symbol of *text* in a *side*-wide square with its lower left at (x, y), its outer
    *quiet_zone* modules left white (with none, leave white around it): one image mask of one
    bit per module, crisp at any scale."""
    size, bits = qr_matrix(text, level)
    module = side / (size + 2 * quiet_zone)
    x, y, side = x + quiet_zone * module, y + quiet_zone * module, size * module
    padded = (size + 7) // 8 * 8
    data = "".join(format(row << (padded - size), f"0{padded // 4}x") for row in bits)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.addLiteral(f"{side:.3f} 0 0 {side:.3f} {x:.3f} {y:.3f} cm\n"
                      f"BI /W {size} /H {size} /IM true /BPC 1 /D [1 0] /F /AHx ID\n{data}>\nEI")
    canvas.restoreState()


class QrFlowable(Flowable):
    """A QR code as a *side*-wide square flowable, quiet zone included, centred in the frame."""

    def __init__(self, text: str, side: float, level: str = "M"):
        super().__init__()
        self.text, self.level = text, level
        self.width = self.height = side
        self.hAlign = "CENTER"

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        return self.width, self.height

    def draw(self):
        draw_qr(self.canv, self.text, 0, 0, self.width, self.level, quiet_zone=QUIET_ZONE)


def qr_flowable(text: str, size_mm: float = 25.0, level: str = "M") -> QrFlowable:
    """A square QR code *size_mm* wide (quiet zone included) as a flowable."""
    return QrFlowable(text, size_mm * mm, level)


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
