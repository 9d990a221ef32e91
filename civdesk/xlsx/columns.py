"""The columns of a clerk's sheet: what an importer understands (:class:`ColumnSpec`) and how
the headers clerks actually write are matched onto them ("  身份证号码（必填）*" is 证件号码)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from civdesk.core.validation import Checked, normalize_text

__all__ = ["ColumnSpec", "HeaderMatcher", "display_header", "is_text_column", "normalize_header"]


@dataclass(frozen=True)
class ColumnSpec:
    """A column an importer understands.

    ``parse`` receives the cell's value as the file holds it (strings already stripped and
    folded by :func:`~civdesk.core.validation.normalize_text`; numbers, dates untouched) and is only
    called for non-empty cells: an empty cell is an error in a ``required`` column and ``None``
    otherwise.  ``text`` says whether templates and exports keep the column as text (ID and
    phone numbers); ``None`` guesses it from the key and title.
    """

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[object], Checked] | None = None
    example: str = ""
    help: str = ""
    text: bool | None = None

    @property
    def is_text(self) -> bool:
        return self.text if self.text is not None else is_text_column(self.title, self.key)



_TEXT_HINTS = ("身份证", "证件号", "手机", "电话", "联系方式", "号码")
_TEXT_KEY_HINTS = ("id_number", "id_no", "phone", "mobile", "tel")


def is_text_column(title: str, key: str = "") -> bool:
    """Whether a column holds digits that must stay text (Excel would turn an 18-digit ID into
    1.10105E+17 and drop a phone's leading zero)."""
    key = key.lower()
    return any(h in title for h in _TEXT_HINTS) or any(h in key for h in _TEXT_KEY_HINTS)


_OPEN = "(（[［【〔<＜《"
_CLOSE = ")）]］】〕>＞》"
_MARKER_WORDS = (
    "必填|必填项|必须填写|必须|必需|必录|必输|选填|选填项|可选|可不填|非必填|可空|"
    "required|optional"
)
_MARKER = re.compile(rf"[{re.escape(_OPEN)}]\s*(?:{_MARKER_WORDS})\s*[{re.escape(_CLOSE)}]", re.I)
_STARS = re.compile(r"[*＊※★☆]")
_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]", "【": "[", "】": "]", "〔": "[",
                           "〕": "]", "＜": "<", "＞": ">", "《": "<", "》": ">"})
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>")
_TRAILING_PUNCT = re.compile(r"[:：]+$")


def normalize_header(text: object) -> str:
    """The form headers and aliases are compared in: "  身份证号码（必填）*" → "身份证号码".

    Strips, folds full-width letters/digits/spaces, removes every space, the "（必填）" /
    "(选填)" kind of markers, asterisks and a trailing colon, unifies full-width brackets and
    lowercases latin letters.  Other bracketed text is kept ("时长(小时)"); the header matcher
    also tries without it.
    """
    s = normalize_text(text)
    s = _MARKER.sub("", s)
    s = _STARS.sub("", s)
    s = _SPACES.sub("", s)
    s = s.translate(_BRACKETS)
    s = _TRAILING_PUNCT.sub("", s)
    return s.lower()


def _without_brackets(normalized: str) -> str:
    return _BRACKETED.sub("", normalized)


def display_header(value: object) -> str:
    # Headers often carry a line break (Alt+Enter); the message should show them on one line.
    return " ".join(str(value).split())


class HeaderMatcher:
    """Matches a header cell onto the column whose title, alias or key it names."""

    def __init__(self, specs: list[ColumnSpec]):
        self.exact: dict[str, ColumnSpec] = {}
        for spec in specs:
            for name in (spec.title, *spec.aliases, spec.key):
                norm = normalize_header(name)
                if not norm:
                    continue
                other = self.exact.get(norm)
                if other is not None and other.key != spec.key:
                    raise ValueError(f"columns {other.key!r} and {spec.key!r} both accept header {name!r}")
                self.exact[norm] = spec

    def match(self, header: object) -> ColumnSpec | None:
        if header is None:
            return None
        norm = normalize_header(header)
        if not norm:
            return None
        spec = self.exact.get(norm)
        if spec is None:
            loose = _without_brackets(norm)
            if loose != norm:
                spec = self.exact.get(loose)
        return spec

    def score(self, row: tuple) -> int:
        return len({spec.key for v in row if (spec := self.match(v)) is not None})
