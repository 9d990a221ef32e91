"""People a roster gives without an ID number (issue 20): registered as 「证件待补」, known again
by name and mobile phone (or name and village when the row has no phone), never registered twice.

:func:`place` decides, for the rows ``roster_batch.check_import`` passed, what a row without an
ID number does — a new 证件待补 volunteer, the one already registered (skipped, or corrected), or
refused when the name and phone fit more than one — and whether a row *with* an ID number is a
证件待补 volunteer whose number is now known (completed with ``update_existing``).
"""

from __future__ import annotations

from civdesk.core.db import database
from civdesk.volunteers import batch
from civdesk.volunteers.batch import Plan, RowIn
from civdesk.volunteers.terms import PENDING_ID

_BLOCK = 500


class Known:
    """Live volunteers with the names of the file's rows, by (name, phone) and (name, village)."""

    def __init__(self, names: set[str]) -> None:
        self.by_phone: dict[tuple[str, str], list[tuple]] = {}
        self.by_village: dict[tuple[str, str | None], list[tuple]] = {}
        names_list = sorted(names)
        for start in range(0, len(names_list), _BLOCK):
            chunk = names_list[start:start + _BLOCK]
            cursor = database.execute_sql(
                "SELECT id, name, number, phone, village_id, id_number, scope FROM volunteer "
                f"WHERE deleted = 0 AND name IN ({','.join('?' * len(chunk))})", chunk)
            for row in cursor:
                if row[3]:
                    self.by_phone.setdefault((row[1], row[3]), []).append(row)
                self.by_village.setdefault((row[1], row[4]), []).append(row)

    def matches(self, out: dict, *, either: bool = False) -> tuple[list[tuple], str]:
        """The volunteers a row's name and phone (or name and village) fit, and how it was matched.
        ``either``: when the phone fits nobody, the name and village are tried too (an hours sheet)."""
        if out.get("phone"):
            found = self.by_phone.get((out["name"], out["phone"]), [])
            if found or not (either and out.get("village_id")):
                return found, "姓名和手机号码"
        return self.by_village.get((out["name"], out.get("village_id")), []), "姓名和村（社区）"


def key_of(out: dict) -> tuple:
    return (out["name"], "phone", out["phone"]) if out.get("phone") else (out["name"], "village", out.get("village_id"))


def place(plan: Plan, r: RowIn, out: dict, known: Known, seen: dict[tuple, int]) -> tuple[str, tuple | None]:
    """What a row without an ID number does: ("create", None), ("registered", volunteer row) or
    ("refused", None) after saying why."""
    key = key_of(out)
    if key in seen:
        plan.refuse(r.row, "name", f"与第 {seen[key]} 行是同一人（{_how(key)}相同），且都没有证件号码，请只保留一行")
        return "refused", None
    seen[key] = r.row
    found, how = known.matches(out)
    if len(found) > 1:
        numbers = "、".join(row[2] for row in found[:5])
        plan.refuse(r.row, "id_number", f"{how}相同的志愿者已有 {len(found)} 名（编号 {numbers}），"
                                        "无法确定是哪一位，请填写证件号码")
        return "refused", None
    if found:
        return "registered", found[0]
    plan.notices.append(batch.Problem(r.row, "id_number", f"没有证件号码，将登记为「{PENDING_ID}」，补上证件号码后才能出具证明"))
    return "create", None


def completing(plan: Plan, r: RowIn, out: dict, known: Known, update_existing: bool) -> str:
    """A row with an ID number nobody holds: "new", or "completes" when its name and phone fit one
    证件待补 volunteer (with ``update_existing``: the number is filled in), or "skipped"."""
    found, how = known.matches(out)
    pending = [row for row in found if not row[5]]
    if len(pending) != 1:
        return "new"
    vid, name, number = pending[0][:3]
    if not update_existing:
        plan.skipped += 1
        plan.notices.append(batch.Problem(
            r.row, "id_number", f"与「{PENDING_ID}」的「{name}」（编号 {number}）{how}相同，跳过；"
                                "选择「已登记的志愿者按表格更新信息」可补上证件号码"))
        return "skipped"
    plan.to_update.append((r.row, vid, {"id_type": out["id_type"], "id_number": out["id_number"]}))
    plan.notices.append(batch.Problem(r.row, "id_number", f"「{PENDING_ID}」的「{name}」（编号 {number}）"
                                                          f"按{how}确认，将补上证件号码"))
    return "completes"


def _how(key: tuple) -> str:
    return "姓名和手机号码" if key[1] == "phone" else "姓名和村（社区）"

