"""Pinyin sort keys and initials for Chinese names.

Stored in indexed columns so lists sort like a Chinese dictionary and typing "zs" finds 张三.
"""

from __future__ import annotations

import re
from functools import lru_cache

from civdesk.core.validation import normalize_text


def _lazy_pinyin(text: str) -> list[str]:
    # pypinyin loads its dictionaries on import (~0.4 s); start-up should not pay for that
    # before anyone types a name.
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors="default")

__all__ = ["SURNAME_READINGS", "initials", "sort_key"]

# Characters whose everyday reading differs from their reading as a surname.  pypinyin reads
# the character on its own (单 dan, 曾 ceng), so a clerk looking for 单雄信 under "s" would not
# find him.  Compound surnames come first so 尉迟 is not read as 尉 + 迟.  单于 is left out on
# purpose: today a 单 with a given name starting 于 is far more common than the old 单于.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "单": ("shan",),
    "曾": ("zeng",),
    "仇": ("qiu",),
    "解": ("xie",),
    "查": ("zha",),
    "朴": ("piao",),
    "区": ("ou",),
    "乐": ("yue",),
    "盖": ("ge",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "种": ("chong",),
    "召": ("shao",),
    "员": ("yun",),
    "秘": ("bi",),
    "繁": ("po",),
    "黑": ("he",),
    "薄": ("bo",),
    "隗": ("wei",),
    "句": ("gou",),
    "阚": ("kan",),
    "郇": ("xun",),
    "乜": ("nie",),
    "祭": ("zhai",),
    "藏": ("zang",),
}
_MAX_SURNAME = max(len(k) for k in SURNAME_READINGS)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _other_tokens(chunk: str) -> list[tuple[str, bool]]:
    # Runs of Latin letters, digits and punctuation stay whole ("Tom", "3组") so they sort as
    # words; whitespace only separates.
    return [(tok, False) for tok in chunk.lower().split()]


@lru_cache(maxsize=65536)
def _tokens(name: str, person: bool) -> tuple[tuple[str, bool], ...]:
    """(token, is_chinese) pairs: one per Chinese character, one per word of anything else."""
    text = normalize_text(name)
    out: list[tuple[str, bool]] = []
    if person:
        for length in range(min(_MAX_SURNAME, len(text)), 0, -1):
            reading = SURNAME_READINGS.get(text[:length])
            if reading:
                out.extend((s, True) for s in reading)
                text = text[length:]
                break
    # Non-Chinese runs are converted separately so pypinyin never has to guess about them,
    # and a Chinese run keeps its phrase context (重庆 chong qing, not zhong qing).
    for run in re.split(f"({_HAN.pattern}+)", text):
        if not run:
            continue
        if _HAN.fullmatch(run[0]):
            # A rare character pypinyin cannot read comes back unchanged; keep it in the sort
            # key but out of the initials.
            out.extend(
                (s.lower(), s.isascii()) for s in _lazy_pinyin(run)
            )
        else:
            out.extend(_other_tokens(run))
    return tuple(out)


def sort_key(name: str, *, person: bool = True) -> str:
    """Toneless pinyin, one syllable per Chinese character, joined by spaces: 张三 → "zhang san".

    The space sorts before every letter, so names compare syllable by syllable (李四 before
    林) the way a Chinese dictionary orders them.  Pass ``person=False`` for organisations,
    places and titles so 区文明办 is not read with the surname reading "ou".
    """
    if not name:
        return ""
    return " ".join(tok for tok, _ in _tokens(name, person))


def initials(name: str, *, person: bool = True) -> str:
    """First letter of each Chinese syllable, Latin letters and digits kept: 张三丰 → "zsf"."""
    if not name:
        return ""
    parts = []
    for tok, is_han in _tokens(name, person):
        if is_han:
            parts.append(tok[:1])
        else:
            parts.append("".join(ch for ch in tok if ch.isascii() and ch.isalnum()))
    return "".join(parts)
