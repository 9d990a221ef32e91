"""This PC's office, the township it belongs to, and the villages it knows of."""

from __future__ import annotations

import re

from civdesk.core import changes, validation
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError
from civdesk.core.meta import LocalMeta
from civdesk.core.validation import ValidationError
from civdesk.office.models import OFFICE_KINDS, Office


def own_office_or_none() -> Office | None:
    office_id = LocalMeta.get_value("office_id")
    return Office.get_or_none(Office.id == office_id) if office_id else None


def own_office() -> Office:
    office = own_office_or_none()
    if office is None:
        raise CivDeskError("本机尚未完成初始设置（没有本单位信息）。")
    return office


def own_name() -> str:
    """This PC's office's name (a report's author, a certificate's 记录单位), or "" before setup."""
    own = own_office_or_none()
    return own.name if own is not None else ""


def own_village_id() -> str | None:
    """This PC's village office id on a village PC, None on the township's PC (or before setup)."""
    own = own_office_or_none()
    return own.id if own is not None and own.kind == "village" else None


def township_of(office: Office) -> Office | None:
    if office.kind == "township":
        return office
    return Office.get_or_none(Office.id == office.parent_id) if office.parent_id else None


def names(kind: str | None = None, *, include_deleted: bool = True) -> dict[str, str]:
    """Office id -> name (every office, or only "village"/"township" ones), for lists and reports."""
    query = Office.select(Office.id, Office.name)
    if kind:
        query = query.where(Office.kind == kind)
    if not include_deleted:
        query = query.where(Office.deleted == False)  # noqa: E712
    return dict(query.tuples())


def get(office_id: str | None) -> Office | None:
    return Office.get_or_none(Office.id == office_id) if office_id else None


def node_name() -> str:
    return LocalMeta.get_value("node_name", "") or ""


def villages() -> list[Office]:
    """Live village/community offices, in pinyin order."""
    return list(Office.select().where((Office.kind == "village") & (Office.deleted == False))  # noqa: E712
                .order_by(Office.name_pinyin))


def resolve_village(value) -> str | None:
    """A live village's id from its id or its name (forms give ids, imports and the command line
    names); None when empty. An unknown one is refused in one message for every domain."""
    text = validation.normalize_text(value or "")
    if not text:
        return None
    known = names("village", include_deleted=False)
    if text in known:
        return text
    found = next((vid for vid, name in known.items() if name == text), None)
    if found is None:
        raise ValidationError({"village_id": f"没有名为「{text}」的村/社区，请先在 设置 → 本单位 中添加"})
    return found


def office_id_for(name: str, township: str | None = None) -> str:
    """Offices get ids from their names so that the township's PC and a village's PC, set up
    apart, name the same office with the same id."""
    return changes.deterministic_id("office", township or "", name.strip()) if township else \
        changes.deterministic_id("office", name.strip())


def validate_office_fields(values: dict) -> dict:
    checks = {}
    if "name" in values:
        checks["name"] = validation.required(values["name"], "单位名称")
    if "phone" in values:
        checks["phone"] = validation.phone(values["phone"], required=False)
    if "kind" in values and values["kind"] not in OFFICE_KINDS:
        raise validation.ValidationError({"kind": "单位类型只能是「乡镇/街道」或「村/社区」"})
    cleaned = dict(values)
    cleaned.update(validation.collect(**checks))
    if "phone" in cleaned and cleaned["phone"] is None:
        cleaned["phone"] = ""
    for key in ("contact_person", "address"):
        if key in cleaned:
            cleaned[key] = str(cleaned[key] or "").strip()
    return cleaned


def update_own_office(actor: Actor, values: dict) -> dict:
    require(actor, "edit_office")
    allowed = {"name", "contact_person", "phone", "address"}
    unknown = set(values) - allowed
    if unknown:
        raise CivDeskError(f"不能在这里修改：{', '.join(sorted(unknown))}")
    cleaned = validate_office_fields(values)
    return changes.update(own_office(), actor, cleaned)


def add_village(actor: Actor, name: str) -> Office:
    require(actor, "edit_office")
    township = township_of(own_office())
    if township is None:
        raise CivDeskError("本机没有所属乡镇的信息，不能添加村/社区。")
    cleaned = validate_office_fields({"name": name})
    office_id = office_id_for(cleaned["name"], township.name)
    existing = Office.get_or_none(Office.id == office_id)
    if existing is not None and not existing.deleted:
        raise CivDeskError(f"「{cleaned['name']}」已经在名单中。")
    if existing is not None:
        changes.undelete(existing, actor)
        return existing
    return changes.create(Office, actor, {"name": cleaned["name"], "kind": "village",
                                          "parent_id": township.id}, id=office_id, scope=office_id, seed=True)


# --- this PC's code in numbers ------------------------------------------------------------------

_PC_CODE = re.compile(r"^[A-Z][A-Z0-9]?$")


def pc_code() -> str:
    """This PC's short code (one letter, or a letter and a letter or digit), unique within the
    office: volunteer, certificate, hotline and rectification numbers carry it, so two PCs that
    number before they sync never print the same number. "" on a PC that has none yet: its
    numbers keep the old form (and may collide with another PC's)."""
    return (LocalMeta.get_value("pc_code", "") or "").upper()


def clean_pc_code(value) -> str:
    code = validation.normalize_text(value or "").strip().upper()
    if not _PC_CODE.match(code):
        raise ValidationError({"pc_code": f"电脑代码应为 1 个字母，或 1 个字母加 1 个字母或数字（如 A、B2），当前为「{value}」"})
    return code


def set_pc_code(actor: Actor, value) -> str:
    """Assign this PC's code (at setup, or in 设置 → 本单位 on a PC set up before codes existed).
    Each PC of the office must have its own: the administrator hands them out (A, B, C …)."""
    require(actor, "edit_office")
    code = clean_pc_code(value)
    before = pc_code()
    if before and before != code:
        raise CivDeskError(f"本机的电脑代码已是「{before}」，已印出的编号带着它，不能再改。")
    if before != code:
        LocalMeta.set_value("pc_code", code)
        changes.write_audit(actor, "update", tbl="local_meta", record_id="pc_code", record_label="本机电脑代码",
                            changes={"pc_code": [before, code]}, note=f"本机电脑代码设为 {code}")
    return code
