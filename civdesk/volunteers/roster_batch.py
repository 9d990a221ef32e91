"""Registering and correcting many volunteers at once (a clerk's roster): the service half of an
import.

:func:`check_import` holds every row to :func:`roster_rules.check`, the rules of the form, and
adds what only a file has: the same person twice in it, people registered already (skipped, or
corrected with ``update_existing``).  Registered ID numbers are found in one query for the whole
file.  :func:`import_rows` writes the result after a backup in one transaction: new volunteers
through :func:`roster.register_many` (register's bulk path: the same rows and change log, numbered
on), registered ones through :func:`roster.update`, exactly as a correction by hand.
"""

from __future__ import annotations

import datetime as dt

from civdesk.core import jobs, validation
from civdesk.core import merges as merging
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.volunteers import batch, roster_pending, roster_rules
from civdesk.volunteers import roster as volunteers
from civdesk.volunteers.batch import Outcome, Plan, RowIn, text_of
from civdesk.volunteers.models import Volunteer
from civdesk.volunteers.roster_rules import RESIDENT_ID, STANDARD_WORDS, TEXT_FIELDS

# What a changed cell may update on a volunteer already registered (never the ID or the name,
# which identify them).
UPDATABLE = ("sex", "birth_date", "phone", "landline", "village_id", "join_date", *TEXT_FIELDS)
CANCEL_EVERY = 5000  # rows between two looks at the cancel flag while checking


def require_import(actor: Actor, *, update_existing: bool = False) -> None:
    require(actor, "import_data")
    if update_existing:
        require(actor, "edit_volunteers")


def check_import(actor: Actor, rows: list[RowIn], *, update_existing: bool = False, today: dt.date | None = None,
                 cancelled: CancelCheck | None = None) -> Plan:
    """What importing *rows* would do; nothing is written."""
    require(actor, "import_data")
    plan = batch.new_plan()
    today = today or dt.date.today()
    villages = roster_rules.Villages()
    # One checker for the whole file (two when rows come both ways): answers for repeated values are kept.
    checkers = {read: roster_rules.Checker(villages=villages, today=today, importing=True, read=read)
                for read in (True, False)}
    checked: list[tuple[RowIn, dict, dict[str, str]]] = []
    first_row: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    for r in rows:
        out, errors = checkers[r.read](r.values, unread=r.unread)
        number = out["id_number"]
        if number:
            if number in first_row:
                repeats.setdefault(number, [first_row[number]]).append(r.row)
            else:
                first_row[number] = r.row
        checked.append((r, out, errors))
        if len(checked) % CANCEL_EVERY == 0:
            jobs.check(cancelled, batch.CANCELLED)
    repeated = _refuse_repeats(plan, repeats)
    existing = _registered(first_row)
    current = _stored([found[0] for found in existing.values()]) if update_existing else {}
    known = roster_pending.Known({out["name"] for _r, out, errors in checked if not errors and out["name"]
                                  and out["id_number"] not in existing})
    seen: dict[tuple, int] = {}
    for r, out, errors in checked:
        for key, message in errors.items():
            plan.refuse(r.row, key, message)
        if errors or r.unread or r.row in repeated:
            plan.rejected.add(r.row)
            continue
        _note_rewrites(plan, r, out)
        found = existing.get(out["id_number"]) if out["id_number"] else None
        if found is not None:
            _registered_row(plan, r, out, found, current if update_existing else None)
        elif out["id_number"]:
            if roster_pending.completing(plan, r, out, known, update_existing) == "new":
                plan.to_create.append(out)
        else:
            _pending_row(plan, r, out, known, seen, update_existing)
    plan.problems.sort(key=lambda p: p.row)  # the importer orders a row's problems by its columns
    return plan


def _pending_row(plan: Plan, r: RowIn, out: dict, known: roster_pending.Known, seen: dict[tuple, int],
                 update_existing: bool) -> None:
    """A row without an ID number: a new 证件待补 volunteer, or the one its name and phone fit."""
    what, found = roster_pending.place(plan, r, out, known, seen)
    if what == "create":
        plan.to_create.append(out)
    elif what == "registered":
        vid = found[0]
        _registered_row(plan, r, out, found[:3], _stored([vid]) if update_existing else None)


def _note_rewrites(plan: Plan, r: RowIn, out: dict) -> None:
    """政治面貌 「团员」 stored as 共青团员 …: the original is kept for the audit entry."""
    for key in STANDARD_WORDS:
        raw = r.values.get(key)
        if raw is None or raw is out.get(key):  # nothing given, or stored as given (the same text)
            continue
        given = roster_rules.as_read(raw) if r.read else text_of(raw)
        if given and out.get(key) and given != out[key]:
            plan.rewritten.setdefault((key, given, out[key]), []).append(r.row)


def _refuse_repeats(plan: Plan, repeats: dict[str, list[int]]) -> set[int]:
    for number, where in repeats.items():
        message = (f"证件号码 {validation.mask_id_number(number)} 在文件中出现了 {len(where)} 次"
                   f"（第 {'、'.join(map(str, where))} 行），请只保留一行")
        for row in where:
            plan.refuse(row, "id_number", message)
    return {row for where in repeats.values() for row in where}


def _registered_row(plan: Plan, r: RowIn, out: dict, found: tuple[str, str, str],
                    current: dict[str, dict] | None) -> None:
    """A row whose ID number is registered: the same person is skipped (or corrected), another
    name is refused."""
    vid, name, vnumber = found
    if name != out["name"]:
        plan.refuse(r.row, "id_number", f"证件号码 {validation.mask_id_number(out['id_number'])} 已登记为志愿者"
                                        f"「{name}」（编号 {vnumber}），与本行姓名「{out['name']}」不符，不能重复登记")
        return
    who = f"已登记为「{name}」（编号 {vnumber}）"
    diff = _changes(current.get(vid), out, r.values) if current is not None else {}
    if diff:
        plan.to_update.append((r.row, vid, diff))
        plan.notices.append(batch.Problem(r.row, "id_number", f"{who}，将更新：{_labels(diff)}"))
        return
    plan.skipped += 1
    same = "，信息相同，跳过" if current is not None else "，跳过"
    plan.notices.append(batch.Problem(r.row, "id_number", who + same))


def _registered(numbers: dict[str, int]) -> dict[str, tuple[str, str, str]]:
    """ID number -> (volunteer id, name, volunteer number) of live volunteers, in one query
    (the whole register is one indexed scan; chunked IN lists would take longer for big files)."""
    if not numbers:
        return {}
    loops = merging.merges(Volunteer).loop_survivors  # both records merged into each other: one stays
    cursor = database.execute_sql(
        "SELECT id_number, id, name, number FROM volunteer WHERE ((deleted = 0 AND merged_into IS NULL) "
        f"OR id IN ({','.join('?' * len(loops))})) AND id_number != ''", loops)
    return {row[0]: (row[1], row[2], row[3]) for row in cursor if row[0] in numbers}


def _stored(ids: list[str]) -> dict[str, dict]:
    found = {}
    for start in range(0, len(ids), 500):
        for row in Volunteer.select().where(Volunteer.id << ids[start:start + 500]):
            found[row.id] = {f: getattr(row, f) for f in (*roster_rules.EDITABLE, "number")}
    return found


def _changes(current: dict | None, new: dict, given: dict) -> dict:
    """Fields whose cell was filled in and differs; an empty cell never erases what is known."""
    if current is None:
        return {}
    diff = {}
    for key in UPDATABLE:
        value = new.get(key)
        if value in (None, ""):
            continue
        if key in ("sex", "birth_date"):
            if new.get("id_type") == RESIDENT_ID and current.get(key):
                continue  # derived from the same ID number
        elif key not in given:
            continue  # a default (today's join date, this PC's village), not what the file says
        elif key == "original_number" and value == current.get("number"):
            continue  # our own export read back: its 志愿者编号 is CivDesk's number
        if value != current.get(key):
            diff[key] = value
    return diff


def rewrites_note(plan: Plan) -> str:
    """What the sheet said before its values were written the standard way (for the audit)."""
    if not plan.rewritten:
        return ""
    parts = [f"{Volunteer.field_labels.get(key, key)}「{given}」→「{standard}」（{len(rows)} 行）"
             for (key, given, standard), rows in sorted(plan.rewritten.items())]
    return "；按标准写法改写：" + "，".join(parts)


def _labels(diff: dict) -> str:
    return "、".join(Volunteer.field_labels.get(k, k) for k in diff)


def import_rows(actor: Actor, plan: Plan, *, source: str, skip_invalid: bool = False, dry_run: bool = False,
                progress: Progress | None = None, cancelled: CancelCheck | None = None) -> Outcome:
    """Write a plan: all or nothing unless ``skip_invalid``; ``dry_run`` only counts.  *source*
    (the file's name) goes into the audit entry."""
    require(actor, "import_data")
    if plan.to_update:
        require(actor, "edit_volunteers")
    outcome = Outcome()
    if plan.rejected and not skip_invalid:
        return outcome
    outcome.imported, outcome.updated = len(plan.to_create), len(plan.to_update)
    if dry_run or not (plan.to_create or plan.to_update):
        return outcome
    total = outcome.imported + outcome.updated

    def write() -> None:
        if plan.to_create:
            volunteers.register_many(actor, plan.to_create,
                                     note=f"从「{source}」导入 {outcome.imported} 名志愿者" + rewrites_note(plan))
        for done, (_row, vid, diff) in enumerate(plan.to_update, start=1):
            volunteers.update(actor, vid, diff)
            if progress is not None and done % 200 == 0:
                progress(outcome.imported + done, total, f"正在更新第 {done} 名已登记的志愿者…")

    outcome.backup_path = batch.write(plan, total, "条记录", write, progress=progress, cancelled=cancelled)
    outcome.written = True
    return outcome
