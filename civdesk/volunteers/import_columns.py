"""The column-mapping step of an import: every column of the clerk's sheet with its header, a few
of its values and the field it goes to, guessed from the header (the synonyms of the importer's
:class:`ColumnSpec`) or, when the header is unknown, from the values (dates, phones, ID numbers,
small numbers).  A column carrying dates or numbers is never dropped without the clerk saying so
(「不导入」); the choices are remembered for the same set of headers on this PC.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from civdesk.core import db
from civdesk.core.meta import LocalMeta
from civdesk.xlsx import guess
from civdesk.xlsx.columns import ColumnSpec, HeaderMatcher, normalize_header
from civdesk.xlsx.peek import Peek, peek

__all__ = ["SKIP", "ColumnChoice", "choices", "remember", "remembered", "remembered_for"]

SKIP = "不导入"
SAMPLES = 3
# Headers whose column is never data for us: a row counter, and what our own export adds.
NOISE = {normalize_header(h) for h in ("序号", "行号", "序", "no", "no.", "原行号", "错误原因",
                                       "累计时长（小时）", "星级", "年龄", "状态")}
# Which field a column of unknown header is guessed to be, by what its values look like.
BY_VALUES = {
    "volunteers": {guess.ID_NUMBER: "id_number", guess.PHONE: "phone"},
    "hours": {guess.ID_NUMBER: "id_number", guess.PHONE: "phone", guess.DATE: "service_date",
              guess.NUMBER: "hours"},
}
HOW_HEADER, HOW_VALUES, HOW_CHOSEN, HOW_NOISE, HOW_ASK, HOW_TEXT, HOW_OWN = (
    "按表头识别", "按内容推测", "已选择", "无需导入", "请选择", "未识别（文字）", "本系统导出的编号，无需导入")
# A sheet with both is CivDesk's own export read back: its 志愿者编号 is our number, 原编号 the sheet's.
OWN_NUMBER, ORIGINAL_NUMBER = normalize_header("志愿者编号"), normalize_header("原编号")


@dataclass
class ColumnChoice:
    index: int  # 0-based position in the sheet
    header: str  # as written (on one line)
    samples: list[str]
    field: str | None  # the field key it goes to; None: not imported
    how: str  # why: one of the HOW_* texts
    kind: str | None  # what its values look like (guess.DATE …), None for text

    @property
    def asks(self) -> bool:
        """A column with dates or numbers that would be dropped without the clerk saying so."""
        return self.how == HOW_ASK


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "hour") and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return str(value)


def _guess(kind: str, choice: ColumnChoice, taken: set[str], first: Peek) -> str | None:
    values_kind, index = choice.kind, choice.index
    field = BY_VALUES[kind].get(values_kind or "")
    if field == "hours" and any(unit in choice.header.lower() for unit in ("分钟", "min")):
        field = "minutes"  # never minutes read as hours
    if kind == "volunteers" and values_kind == guess.DATE:
        years = [v.year for _n, row in first.rows if index < len(row) and hasattr(v := row[index], "year")]
        field = "birth_date" if years and sorted(years)[len(years) // 2] < 2005 else "join_date"
    return field if field is not None and field not in taken else None


def choices(path: str | Path, specs: list[ColumnSpec], kind: str,
            mapping: dict[str, str | None] | None = None, *, first: Peek | None = None) -> list[ColumnChoice]:
    """Every column of the sheet (from its first rows, read at once) with the field it goes to.
    ``mapping`` (header → key or None) is the clerk's, or the remembered, choice."""
    first = first or peek(path, specs, rows=20)
    chosen = {normalize_header(h): k for h, k in (mapping or {}).items()}
    matcher = HeaderMatcher(specs)
    out: list[ColumnChoice] = []
    own_export = kind == "volunteers" and ORIGINAL_NUMBER in {normalize_header(h) for h in first.header}
    taken: set[str] = set()
    pending: list[ColumnChoice] = []
    for index, header in enumerate(first.header):
        if not header:
            continue
        column = [row[index] for _n, row in first.rows if index < len(row)]
        samples = [s for s in (_shown(v) for v in column) if s][:SAMPLES]
        values_kind = guess.value_kind(column)
        norm = normalize_header(header)
        if norm in chosen:
            field, how = chosen[norm], HOW_CHOSEN
        elif own_export and norm == OWN_NUMBER:
            field, how = None, HOW_OWN
        elif (spec := matcher.match(header)) is not None:
            field, how = spec.key, HOW_HEADER
            if spec.key in ("hours", "minutes") and values_kind == guess.DATE:
                field, how = None, HOW_ASK  # 「服务时间」 holding dates is the service date: guessed below
        else:
            field, how = None, (HOW_NOISE if norm in NOISE else HOW_TEXT if values_kind is None else HOW_ASK)
        choice = ColumnChoice(index, header, samples, field, how, values_kind)
        if field is not None:
            if field in taken:  # the same field twice: the second is for the clerk to decide
                choice.field, choice.how = None, HOW_ASK
            taken.add(field)
        elif how == HOW_ASK:
            pending.append(choice)
        out.append(choice)
    for choice in pending:  # guessed from values only for fields no header claims
        field = _guess(kind, choice, taken, first)
        if field is not None:
            choice.field, choice.how = field, HOW_VALUES
            taken.add(field)
    return out


def _key(kind: str, headers: list[str]) -> str:
    norm = "\x1f".join(normalize_header(h) for h in headers if h)
    return f"import-mapping:{kind}:" + hashlib.sha256(norm.encode()).hexdigest()[:32]


def remembered(kind: str, headers: list[str]) -> dict[str, str | None] | None:
    """The mapping chosen last time for a sheet with these headers, if any."""
    text = LocalMeta.get_value(_key(kind, headers))
    return json.loads(text) if text else None


def remembered_for(path: str | Path, specs: list[ColumnSpec], kind: str) -> dict[str, str | None] | None:
    """:func:`remembered` for the sheet in *path* (None when the file cannot be read)."""
    try:
        first = peek(path, specs, rows=0)
    except Exception:  # noqa: BLE001 - the preview says what is wrong with the file
        return None
    return remembered(kind, [h for h in first.header if h])


def remember(kind: str, headers: list[str], mapping: dict[str, str | None]) -> None:
    """Keep the clerk's choices for the next sheet with the same headers (this PC only)."""
    if db.state.read_only:
        return
    LocalMeta.set_value(_key(kind, headers), json.dumps(mapping, ensure_ascii=False))
