"""发文机关 settings, per-document issuing body, 套红纸打印, and the 发文字号 register.

Defaults are built from the office's name (清溪镇 → 清溪镇精神文明建设委员会, 清溪镇人民政府, 清溪镇文明办)
and are stored only when an administrator saves a body; the ids are derived from the body's key,
so the same body saved on two PCs is one record. Numbers are allocated per body and year: the next
serial after the highest registered one. Two PCs numbering offline allocate the same serial under
the same derived id, which arrives as an ordinary conflict for a person to settle instead of two
documents silently sharing a number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.meta import LocalMeta
from civdesk.core.validation import ValidationError
from civdesk.documents import numbering
from civdesk.documents.models import DocumentNumber, IssuingBody

# The documents that go out under the office's name, and which default body issues each.
DOCUMENT_KINDS = {
    "unit_decision": ("命名决定", "committee"),
    "nomination_decision": ("表彰决定", "committee"),
    "public_notice": ("公示", "office"),
    "rectification": ("限期整改通知书", "office"),
    "supervision_bulletin": ("督查通报", "office"),
    "hotline_bulletin": ("热线月度通报", "government"),
}
DEFAULT_BODIES = {  # key -> (suffix of the full name, suffix of the code)
    "committee": ("精神文明建设委员会", "文明委"),
    "government": ("人民政府", "政"),
    "office": ("文明办", "文明办"),
}
PREPRINTED_KEY = "documents.preprinted_paper"


@dataclass(frozen=True)
class Body:
    key: str
    full_name: str
    short_name: str
    code: str
    red_head: bool
    documents: tuple[str, ...]
    stored: bool = False
    head_text: str = ""   # 发文机关标志 as set; empty: the full name and 「文件」
    signer: str = ""      # 签发人 of upward documents
    cc: str = ""          # 版记 抄送机关 default
    printer: str = ""     # 版记 印发机关; empty: the 文明办

    @property
    def head(self) -> str:
        """发文机关标志: as set, else the full name and 「文件」."""
        return self.head_text or f"{self.full_name}文件"


def default_bodies(office_name: str | None = None) -> list[Body]:
    from civdesk.office import offices

    name = offices.own_name() if office_name is None else office_name
    short = re.sub(r"(镇|乡|街道|街道办事处)$", "", name) or name
    found = []
    for key, (suffix, code_suffix) in DEFAULT_BODIES.items():
        kinds = tuple(kind for kind, (_, body) in DOCUMENT_KINDS.items() if body == key)
        found.append(Body(key, f"{name}{suffix}", f"{name}{code_suffix if key != 'government' else '政府'}",
                          f"{short}{code_suffix}", True, kinds))
    return found


def bodies(office_name: str | None = None) -> list[Body]:
    """Every issuing body: the stored ones, then the defaults not yet stored."""
    stored = {}
    for row in IssuingBody.select().where(IssuingBody.deleted == False).order_by(IssuingBody.key):  # noqa: E712
        stored[row.key] = Body(row.key, row.full_name, row.short_name, row.code, bool(row.red_head),
                               tuple(k for k in row.documents.split(",") if k), True, row.head_text, row.signer,
                               row.cc, row.printer)
    defaults = [b for b in default_bodies(office_name) if b.key not in stored]
    return [*stored.values(), *defaults]


def body(key: str) -> Body:
    for found in bodies():
        if found.key == key:
            return found
    raise CivDeskError(f"没有发文机关「{key}」。")


def body_for(kind: str) -> Body:
    """The body that issues documents of *kind* (a DOCUMENT_KINDS key)."""
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    found = bodies()
    for candidate in found:
        if candidate.stored and kind in candidate.documents:
            return candidate
    default_key = DOCUMENT_KINDS[kind][1]
    return next(b for b in found if b.key == default_key)


def _body_values(key: str, full_name: str, short_name: str, code: str, red_head: bool, documents, extra: dict) -> dict:
    values = {"key": key, "full_name": full_name.strip(), "short_name": short_name.strip(), "code": code.strip(),
              "red_head": bool(red_head), "documents": ",".join(documents)}
    values.update({name: str(extra.get(name) or "").strip() for name in ("head_text", "signer", "cc", "printer")})
    errors = {}
    if not values["full_name"]:
        errors["full_name"] = "请填写发文机关全称"
    if not values["code"]:
        errors["code"] = "请填写机关代字（发文字号「机关代字〔年份〕序号」的第一段，如 清溪文明委）"
    elif re.search(r"[〔〕\[\]]|\d{4}", values["code"]):
        errors["code"] = f"机关代字「{values['code']}」不要带年份和六角括号，只写代字，如 清溪文明委"
    unknown = [k for k in documents if k not in DOCUMENT_KINDS]
    if unknown:
        errors["documents"] = f"未知的文种：{'、'.join(unknown)}"
    if errors:
        raise ValidationError(errors)
    return values


def save_body(actor: Actor, key: str, *, full_name: str, short_name: str = "", code: str = "",
              red_head: bool = True, documents: tuple[str, ...] | list[str] = (), **extra: str) -> Body:
    """Store a body (administrators); a document kind moves to this body from any other. *extra*:
    head_text (发文机关标志), signer (签发人), cc (抄送机关), printer (印发机关)."""
    require(actor, "edit_settings")
    unexpected = set(extra) - {"head_text", "signer", "cc", "printer"}
    if unexpected:
        raise TypeError(f"unknown fields {sorted(unexpected)}")
    values = _body_values(key, full_name, short_name, code, red_head, documents, extra)
    with database.atomic():
        for other in IssuingBody.select().where((IssuingBody.key != key) & (IssuingBody.deleted == False)):  # noqa: E712
            kept = [k for k in other.documents.split(",") if k and k not in documents]
            if ",".join(kept) != other.documents:
                changes.update(other, actor, {"documents": ",".join(kept)})
        row = IssuingBody.get_or_none(IssuingBody.id == changes.deterministic_id("issuing_body", key))
        if row is None:
            changes.create(IssuingBody, actor, values, id=changes.deterministic_id("issuing_body", key))
        else:
            changes.update(row, actor, {**values, "deleted": False} if row.deleted else values)
    return body(key)


def preprinted_paper() -> bool:
    """套红纸打印: this PC prints on paper with the red head already printed, so the head is left out."""
    return LocalMeta.get_value(PREPRINTED_KEY, "0") == "1"


def set_preprinted_paper(on: bool) -> None:
    LocalMeta.set_value(PREPRINTED_KEY, "1" if on else "0")


def format_number(code: str, year: int, serial: int) -> str:
    return f"{code}〔{year}〕{serial}号"


def numbers(body_key: str, year: int) -> list[DocumentNumber]:
    return list(DocumentNumber.select().where((DocumentNumber.body_key == body_key) & (DocumentNumber.year == year)
                                              & (DocumentNumber.deleted == False))  # noqa: E712
                .order_by(DocumentNumber.serial))


def next_number(body_key: str, year: int) -> str:
    """The number the next document of *body_key* in *year* would get (for a form's default)."""
    return format_number(body(body_key).code, year, numbering.peek(body_key, year))


def number_for(actor: Actor, kind: str, ref: str, year: int, title: str = "") -> str:
    """The 发文字号 of the document of *kind* about *ref*: the registered one, else the next one
    of its body and year, registered now. The second decision of a year gets the next number."""
    found = numbering.find(kind, ref)
    if found is not None:
        return found.number
    return register(actor, kind, ref, year, title=title)


def register(actor: Actor, kind: str, ref: str, year: int, *, title: str = "", number: str | None = None) -> str:
    """Register a number for a document: *number* as given (a decision numbered by hand), or the next one
    of its body and year from the one number service."""
    issuer = body_for(kind)
    with database.atomic():
        existing = numbering.find(kind, ref)
        if not number:
            if existing is not None:
                return existing.number  # a number once given stays as printed
            return numbering.allocate(actor, issuer.key, year, lambda serial: format_number(issuer.code, year, serial),
                                      kind=kind, ref=ref, title=title, audit=True).number
        number = number.strip()
        match = re.search(r"〔(\d{4})〕(\d+)号$", number)
        serial = int(match.group(2)) if match and int(match.group(1)) == year else 0
        taken = numbering.lookup(number)
        if taken is not None and (taken.kind != kind or taken.ref != ref):
            raise CivDeskError(f"文号「{number}」已用于「{taken.title or taken.kind}」，请换一个文号。")
        values = {"body_key": issuer.key, "year": year, "serial": serial, "number": number, "kind": kind,
                  "title": title, "ref": ref}
        if existing is None:
            numbering.record(actor, issuer.key, year, serial, number, kind=kind, ref=ref, title=title, audit=True)
        elif existing.number != number:
            changes.update(existing, actor, values)
    return number


def today() -> dt.date:
    return dt.date.today()
