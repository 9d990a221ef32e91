"""Pinyin sort keys and initials for Chinese names.

Stored in indexed columns so lists sort like a Chinese dictionary and typing "zs" finds 张三.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from civdesk.core.validation import normalize_text


def _lazy_pinyin(text: str) -> list[str]:
    # pypinyin loads its dictionaries on import (~0.4 s); start-up should not pay for that
    # before anyone types a name.
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors="default")


@cache
def _char_reading(ch: str) -> str:
    """One character's reading as pypinyin gives it outside any phrase (cached per character)."""
    return _lazy_pinyin(ch)[0]


@cache
def _phrases() -> dict:
    from pypinyin.constants import PHRASES_DICT

    return PHRASES_DICT


def _run_pinyin(run: str) -> list[str]:
    """A run of Chinese characters as pypinyin reads it: pypinyin reads each character on its own
    unless the run holds a word of its phrase dictionary (重庆, 银行), so a run without one is read
    from the per-character cache and only runs with phrases go through pypinyin."""
    phrases = _phrases()
    for length in range(2, len(run) + 1):
        for start in range(len(run) - length + 1):
            if run[start:start + length] in phrases:
                return _lazy_pinyin(run)
    return [_char_reading(ch) for ch in run]


__all__ = ["SURNAME_READINGS", "initials", "initials_prefixes", "matches", "sort_key", "spell"]

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
                (s.lower(), s.isascii()) for s in _run_pinyin(run)
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


def spell(name: str, *, person: bool = True) -> str:
    """Full pinyin without spaces, the way people type it: 张三 → "zhangsan"."""
    return sort_key(name, person=person).replace(" ", "")


# --- typed pinyin: full, initials, or a mix ("zhangsan", "zs", "zhangs", "zsan") ------------------

_INITIALS = ("", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "zh", "ch", "sh", "r",
             "z", "c", "s", "y", "w")
_FINALS = ("a", "o", "e", "i", "u", "v", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "ve", "ue", "er", "an", "en",
           "in", "un", "vn", "ang", "eng", "ing", "ong", "ia", "iao", "ian", "iang", "iong", "ua", "uo", "uai", "uan",
           "uang", "ueng", "n", "ng", "m")
# A generous superset of the syllables (a few that do not exist do no harm: the typed text is
# always checked against the person's real syllables in the end).
_SYLLABLES = frozenset(i + f for i in _INITIALS for f in _FINALS) - {""}
_SYLLABLE_PREFIXES = frozenset(s[:n] for s in _SYLLABLES for n in range(1, len(s) + 1))


def _pieces(text: str, start: int = 0) -> list[list[str]]:
    """Every way to cut *text* into an initial (one letter) or a whole syllable each, the last
    piece also any beginning of a syllable."""
    if start == len(text):
        return [[]]
    found = []
    for end in range(start + 1, min(len(text), start + 6) + 1):
        piece = text[start:end]
        if end - start == 1 or piece in _SYLLABLES or (end == len(text) and piece in _SYLLABLE_PREFIXES):
            found += [[piece, *rest] for rest in _pieces(text, end)]
    return found


@lru_cache(maxsize=1024)
def initials_prefixes(typed: str) -> tuple[str, ...]:
    """The initials a name must start with to match *typed* as a mix of full syllables and
    initials, for cuts with at least one syllable typed in full and more than one piece
    (all-initials and all-full-pinyin are the plain initials and spell prefixes). Shortest
    first, none the prefix of another: each is one indexed range lookup."""
    text = typed.lower().replace(" ", "")
    if not text.isascii() or not text.isalpha() or len(text) > 24:
        return ()
    heads = {"".join(p[0] for p in cut) for cut in _pieces(text)
             if len(cut) > 1 and any(len(p) > 1 for p in cut)}
    kept: list[str] = []
    for head in sorted(heads, key=lambda h: (len(h), h)):
        if not any(head.startswith(k) for k in kept):
            kept.append(head)
    return tuple(kept)


def matches(typed: str, key: str) -> bool:
    """Whether *typed* ("zhangsan", "zs", "zhangs", "zsan") matches the start of a name whose
    sort key is *key* ("zhang san"): cut into pieces, each the initial or the whole syllable
    of the next syllable, the last one also any beginning of it."""
    text = typed.lower().replace(" ", "")
    syllables = key.split()

    def walk(at: int, n: int) -> bool:
        if at == len(text):
            return True
        if n == len(syllables):
            return False
        syllable = syllables[n]
        rest = text[at:]
        if syllable.startswith(rest):
            return True
        if rest.startswith(syllable) and walk(at + len(syllable), n + 1):
            return True
        return rest[0] == syllable[:1] and walk(at + 1, n + 1)

    return bool(text) and walk(0, 0)
