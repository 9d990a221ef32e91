"""The one place that finds Chinese fonts for PDFs and registers them with ReportLab.

A PDF must carry (embed) its Chinese font, or it shows blank boxes on a PC without that font.
ReportLab can embed TrueType outlines only: .otf and CFF-based collections such as Noto CJK are
tried and skipped. The built-in STSong-Light is not embedded and is used only when nothing else
is found, with a warning the UI shows to the user.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from civdesk.core.paths import resource_text
from civdesk.core.registry import registry

ROLES = ("body", "bold", "fangsong", "title")
FALLBACK_CID_FONT = "STSong-Light"
SETTING_KEY = "reports.font_path"

# What each role is for and the typeface it asks for (设置 → 字体 shows them in this order).
ROLE_LABELS = {"fangsong": "公文正文", "title": "公文标题", "body": "表格与报表", "bold": "加粗与小标题"}
ROLE_STYLES = {"fangsong": "仿宋", "title": "小标宋", "body": "宋体", "bold": "黑体"}
SHOWN_ORDER = ("fangsong", "title", "body", "bold")

NOT_EMBEDDED_WARNING = ("未找到可嵌入的中文字体，PDF 在其他电脑上可能显示为空白或乱码。"
                        "请在「设置 → 报表 → PDF 中文字体文件」中指定一个 TrueType 字体文件（.ttf 或 .ttc），"
                        "例如 C:/Windows/Fonts/simsun.ttc。")

# A font that lacks these is not a Chinese font (DejaVu, Arial…) even if it loads.
_PROBE = "中文明镇办"

_lock = threading.Lock()
_loaded: dict[tuple[str, int], tuple[str | None, str]] = {}  # (path, face) -> (font name, why not)
_resolved: dict[tuple, FontSet] = {}


@dataclass(frozen=True)
class FontSet:
    """ReportLab font names for each role, and where they came from."""

    body: str
    bold: str
    fangsong: str
    title: str
    embedded: bool = True
    warning: str = ""
    sources: dict[str, str] = field(default_factory=dict, hash=False)  # role -> "path#face" (or the CID name)
    skipped: tuple[tuple[str, str], ...] = ()                  # (candidate, reason in Chinese)
    families: dict[str, str] = field(default_factory=dict, hash=False)  # role -> family ("AR PL UMing CN")
    notes: dict[str, str] = field(default_factory=dict, hash=False)     # role -> why it is a stand-in

    def for_role(self, role: str) -> str:
        return getattr(self, role)


def platform_key(platform: str | None = None) -> str:
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "darwin"
    return "linux"


def load_config(path: Path | None = None) -> dict:
    """The search lists: civdesk/resources/fonts.json (package data), or *path*."""
    return json.loads(path.read_text(encoding="utf-8") if path else resource_text("fonts.json"))


def family_of(name: str) -> str:
    """The family name a registered font carries ("AR PL UMing CN"), or its ReportLab name."""
    face = getattr(pdfmetrics.getFont(name), "face", None)
    family = getattr(face, "familyName", b"") or b""
    if isinstance(family, bytes):
        family = family.decode("utf-8", "replace")
    return family or name


def _expand(entry: str) -> list[tuple[str, int]]:
    """One candidate entry -> (path, face index) pairs that exist or, without a glob, the path itself."""
    match = re.fullmatch(r"(.*?)(?:#(\d+))?", entry.strip())
    assert match is not None
    path, index = match.group(1), int(match.group(2) or 0)
    fills = {"windir": os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or "C:/Windows",
             "localappdata": os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData/Local"),
             "home": str(Path.home())}
    path = re.sub(r"\{(\w+)\}", lambda m: fills.get(m.group(1), m.group(0)), path)
    if any(ch in path for ch in "*?["):
        return [(found, index) for found in sorted(glob.glob(path, recursive=True))]
    return [(path, index)]


def _font_name(path: str, index: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "", Path(path).stem)[:24] or "font"
    digest = hashlib.sha1(os.path.abspath(path).encode("utf-8")).hexdigest()[:8]
    return f"CivDesk-{stem}-{index}-{digest}"


def _why_not(error: Exception, path: str) -> str:
    text = str(error)
    if isinstance(error, TTFError):
        if "postscript outlines" in text.lower() or path.lower().endswith(".otf"):
            return "是 OpenType/CFF 字体，ReportLab 无法嵌入"
        if "subsetting" in text.lower() or "embedding" in text.lower():
            return "字体许可不允许嵌入"
    return f"无法读取（{type(error).__name__}: {text}）"


def _load(path: str, index: int) -> tuple[str | None, str]:
    """Register one TrueType face, cached; returns (font name, "") or (None, reason)."""
    key = (os.path.abspath(path), index)
    if key in _loaded:
        return _loaded[key]
    if not os.path.isfile(path):
        result: tuple[str | None, str] = (None, "文件不存在")
    else:
        name = _font_name(path, index)
        try:
            font = TTFont(name, path, subfontIndex=index)
        except Exception as error:  # TTFError (CFF outlines, no embedding licence) or a damaged file
            result = (None, _why_not(error, path))
        else:
            if not all(ord(ch) in font.face.charToGlyph for ch in _PROBE):
                result = (None, "不含中文字形")
            else:
                pdfmetrics.registerFont(font)
                result = (name, "")
    _loaded[key] = result
    return result


def _cid_fallback() -> str:
    if FALLBACK_CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FALLBACK_CID_FONT


def _first(entries: list, skipped: list[tuple[str, str]]) -> tuple[str, str, str] | None:
    """The first usable candidate: (font name, "path#face", stand-in note). An entry is a path or
    ``{"path": …, "stand_in": "why this is not the typeface the role asks for"}``."""
    for entry in entries:
        spec, note = (entry.get("path", ""), entry.get("stand_in", "")) if isinstance(entry, dict) else (entry, "")
        for path, index in _expand(spec):
            name, reason = _load(path, index)
            label = f"{path}#{index}" if index else path
            if name:
                return name, label, note
            if reason != "文件不存在" or not any(ch in spec for ch in "*?"):
                skipped.append((label, reason))
    return None


def resolve_fonts(preferred_path: str | None = None, *, config: dict | None = None,
                  platform: str | None = None) -> FontSet:
    """Find, register and return the fonts for every role.

    *preferred_path* (the admin's setting ``reports.font_path``) is tried first for the body role;
    other roles keep their own search lists and fall back to the body font. *config* replaces
    civdesk/resources/fonts.json (tests); *platform* overrides ``sys.platform``.
    """
    # Windows' "copy as path" wraps the path in quotes; people paste it as is.
    preferred = (preferred_path or "").strip().strip('"').strip()
    cfg = config if config is not None else load_config()
    plat = platform_key(platform)
    cache_key = (preferred, plat, json.dumps(cfg, sort_keys=True, ensure_ascii=False))
    with _lock:
        if cache_key in _resolved:
            return _resolved[cache_key]
        fonts = _resolve(preferred, cfg, plat)
        _register_family(fonts)
        _resolved[cache_key] = fonts
        return fonts


def _resolve(preferred: str, cfg: dict, plat: str) -> FontSet:
    skipped: list[tuple[str, str]] = []
    found: dict[str, tuple[str, str, str]] = {}
    warnings: list[str] = []
    if preferred:
        hit = _first([preferred], skipped)
        if hit:
            found["body"] = (hit[0], hit[1], "管理员在「设置 → 参数」中指定的字体文件")
        else:
            reason = skipped[-1][1] if skipped else "文件不存在"
            warnings.append(f"指定的 PDF 字体文件「{preferred}」无法使用：{reason}。已改用自动查找到的字体。")
    for role in ROLES:
        if role not in found:
            hit = _first(cfg.get("roles", {}).get(role, {}).get(plat, []), skipped)
            if hit:
                found[role] = hit
    embedded = True
    notes: dict[str, str] = {}
    if "body" not in found:
        # The body is the anchor: without it nothing embeddable exists on this PC.
        for role in ("bold", "title", "fangsong"):
            if role in found:
                found["body"] = (found[role][0], found[role][1], _fell_back_note("body", role, found[role][0]))
                break
    if "body" not in found:
        found["body"] = (_cid_fallback(), FALLBACK_CID_FONT, "")
        embedded = False
        warnings.append(NOT_EMBEDDED_WARNING)
    fallback = cfg.get("fallback", {"bold": "body", "fangsong": "body", "title": "bold"})
    for role in ROLES:
        seen = set()
        current = role
        while current not in found and current not in seen:
            seen.add(current)
            current = fallback.get(current, "body")
        if current != role:
            found[role] = (found[current][0], found[current][1], _fell_back_note(role, current, found[current][0]))
    for role in ROLES:
        if found[role][2]:
            notes[role] = found[role][2]
    if not embedded:
        notes = {role: "本机没有可嵌入的中文字体：PDF 使用阅读器自带的字体，在别的电脑上可能显示不正常" for role in ROLES}
    return FontSet(body=found["body"][0], bold=found["bold"][0], fangsong=found["fangsong"][0],
                   title=found["title"][0], embedded=embedded, warning="\n".join(warnings),
                   sources={role: found[role][1] for role in ROLES}, skipped=tuple(skipped),
                   families={role: family_of(found[role][0]) for role in ROLES}, notes=notes)


def _fell_back_note(role: str, other: str, name: str) -> str:
    return f"本机没有{ROLE_STYLES[role]}字体，改用「{ROLE_LABELS[other]}」的字体 {family_of(name)} 代替"


def _register_family(fonts: FontSet) -> None:
    """Let <b> in a Paragraph switch to the bold (Hei) face."""
    for name in {fonts.body, fonts.fangsong}:
        addMapping(name, 0, 0, name)
        addMapping(name, 0, 1, name)
        addMapping(name, 1, 0, fonts.bold)
        addMapping(name, 1, 1, fonts.bold)
    if fonts.bold not in (fonts.body, fonts.fangsong):
        for bold, italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
            addMapping(fonts.bold, bold, italic, fonts.bold)


def office_fonts() -> FontSet:
    """Fonts for the open database's office: the admin's ``reports.font_path`` setting, then the search."""
    return resolve_fonts(str(registry.setting(SETTING_KEY, "") or ""))


def clear_cache() -> None:
    """Forget resolved sets and load results (tests; after an admin changes the font setting)."""
    with _lock:
        _loaded.clear()
        _resolved.clear()


@dataclass(frozen=True)
class RoleFont:
    """One role as 设置 → 字体 shows it: what it is for, the font used, its file, any stand-in note."""

    role: str
    label: str          # 公文正文
    style: str          # 仿宋 (the typeface the role asks for)
    family: str         # AR PL UMing CN
    path: str           # the file ("" for the not-embedded CID fallback)
    face: int           # face of a .ttc
    note: str           # why this is not the typeface asked for ("" when it is)


def describe(fonts: FontSet) -> list[RoleFont]:
    """The roles in the order 设置 shows them: 公文正文, 公文标题, 表格与报表, 加粗与小标题."""
    shown = []
    for role in SHOWN_ORDER:
        source = fonts.sources.get(role, "")
        path, sep, face = source.rpartition("#")
        if not sep or not face.isdigit():
            path, face = source, ""
        if source == FALLBACK_CID_FONT:
            path, face = "", ""
        shown.append(RoleFont(role, ROLE_LABELS[role], ROLE_STYLES[role], fonts.families.get(role, source),
                              path, int(face or 0), fonts.notes.get(role, "")))
    return shown
