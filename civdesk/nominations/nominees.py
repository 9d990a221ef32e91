"""Good-people nominations: nominations with their photos, and 初审. Sessions and their phase
events (``sessions``), the persons nominated (``people``) and the lists (``lists``) live in their
own modules and are re-exported here for callers.

The rules live here: one nomination per person (ID number) per session; a summary of at most 140
and a story of 800 to 2,000 characters; 初审 checks completeness and eligibility and can return a
nomination with reasons; phases move forward one at a time (评议, 公示 and 表彰 are in
``nomination_review`` and ``nomination_award``). Every status change is an append-only event.
"""

from __future__ import annotations

import base64
import datetime as dt

from civdesk.core import changes, images, models, validation
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.validation import ValidationError
from civdesk.nominations.lists import (  # noqa: F401 - callers use them as nominations.X
    NominationRow,
    count_chars,
    nominations,
    nominee_name,
    nominee_names,
    rows,
)
from civdesk.nominations.models import (
    PHASES,
    RECOMMENDER_KINDS,
    STATUSES,
    Nomination,
    NominationFile,
    NominationSession,
    Nominee,
)
from civdesk.nominations.people import (  # noqa: F401 - callers use them as nominations.X
    clean_person,
    find_nominee,
    get_nominee,
    honour_text,
    honours,
    nominee_for,
    same_person,
)
from civdesk.nominations.sessions import (  # noqa: F401 - callers use them as nominations.X
    _DATE_FIELDS,
    _event,
    clean_session,
    create_session,
    defaults,
    events,
    get_session,
    parse_categories,
    parse_rubric,
    rubric_text,
    session_ids_named,
    session_ids_starting_with,
    sessions,
    set_phase,
    set_status,
    update_session,
)
from civdesk.office import settings

SUMMARY_MAX = 140
STORY_MIN, STORY_MAX = 800, 2000
EDITABLE_STATUSES = ("recommended", "returned")
PERSON_FIELDS = ("name", "sex", "id_number", "village_id", "occupation", "political_status", "phone", "address")
NOMINATION_FIELDS = ("category", "summary", "story", "recommender_kind", "recommender_name",
                     "recommender_relation", "recommender_contact")
_LIVE = False


class DuplicateNomination(CivDeskError):
    def __init__(self, message: str, existing_id: str):
        super().__init__(message)
        self.existing_id = existing_id


# --- nominees and nominations ----------------------------------------------------------------


def clean_nomination(values: dict, session: NominationSession) -> dict:
    errors: dict[str, str] = {}
    out: dict = {}
    category = validation.normalize_text(values.get("category") or "")
    if category not in session.category_list:
        errors["category"] = f"请选择推荐类别：{'、'.join(session.category_list)}"
    out["category"] = category
    summary = validation.normalize_text(values.get("summary") or "").replace("\n", "")
    if count_chars(summary) > SUMMARY_MAX:
        errors["summary"] = f"一句话事迹最多 {SUMMARY_MAX} 字，当前 {count_chars(summary)} 字"
    out["summary"] = summary
    story = str(values.get("story") or "").strip().replace("\r\n", "\n")
    if count_chars(story) > STORY_MAX:
        errors["story"] = f"主要事迹最多 {STORY_MAX} 字，当前 {count_chars(story)} 字，请精简"
    out["story"] = story
    kind = values.get("recommender_kind") or "person"
    if kind not in RECOMMENDER_KINDS:
        errors["recommender_kind"] = "推荐人类型只能是个人或组织"
    out["recommender_kind"] = kind
    out["recommender_name"] = validation.normalize_text(values.get("recommender_name") or "")
    out["recommender_relation"] = validation.normalize_text(values.get("recommender_relation") or "")
    contact = validation.phone(values.get("recommender_contact"), required=False)
    if contact.ok:
        out["recommender_contact"] = contact.value or ""
    else:
        errors["recommender_contact"] = contact.error.replace("联系电话", "推荐人联系电话")
    if errors:
        raise ValidationError(errors)
    return out


def _check_duplicate(session_id: str, nominee: Nominee, exclude: str | None = None) -> None:
    query = Nomination.select().where((Nomination.session_id == session_id)
                                      & (Nomination.nominee_id << same_person(nominee.id))
                                      & (Nomination.deleted == _LIVE))
    if exclude:
        query = query.where(Nomination.id != exclude)
    other = query.first()
    if other is not None:
        raise DuplicateNomination(
            f"{nominee.name}（{validation.mask_id_number(nominee.id_number)}）在本次评选中已被推荐"
            f"（{other.category}，{STATUSES.get(other.status, other.status)}），同一人在一次评选中只能推荐一次。",
            other.id)


def _split(values: dict) -> tuple[dict, dict]:
    unknown = set(values) - set(PERSON_FIELDS) - set(NOMINATION_FIELDS)
    if unknown:
        raise CivDeskError(f"不能填写这些信息：{'、'.join(sorted(unknown))}")
    return ({k: values.get(k) for k in PERSON_FIELDS}, {k: values.get(k) for k in NOMINATION_FIELDS})


def _own_village(values: dict) -> dict:
    """On a village PC every nominee belongs to that village (its records travel with it)."""
    from civdesk.office import offices as office_service

    own = office_service.own_office_or_none()
    if own is None or own.kind != "village":
        return values
    if values.get("village_id") not in (None, "", own.id, own.name):
        raise ValidationError({"village_id": f"本机属于「{own.name}」，只能推荐本村（社区）的居民"})
    return {**values, "village_id": own.id}


def submit(actor: Actor, session_id: str, values: dict, today: dt.date | None = None) -> Nomination:
    """A new nomination (推荐), during the 推荐 phase."""
    require(actor, "edit_nominations")
    session = get_session(session_id)
    if session.phase != "recommend":
        raise CivDeskError(f"「{session.name}」已进入{PHASES[session.phase]}阶段，不再接受新的推荐。")
    person_values, nomination_values = _split(_own_village(values))
    errors: dict[str, str] = {}
    person = nomination = {}
    try:
        person = clean_person(person_values, today)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        nomination = clean_nomination(nomination_values, session)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        nominee = nominee_for(actor, person)
        _check_duplicate(session.id, nominee)
        row = changes.create(Nomination, actor, {**nomination, "session_id": session.id, "nominee_id": nominee.id,
                                                 "status": "recommended"}, scope=nominee.scope)
        _event(actor, session.id, row.id, "", "recommended", "推荐", row.scope)
    return row


def ids_starting_with(prefix: str) -> list[str]:
    """The live nominations whose id begins with *prefix* (a short id typed on the command line)."""
    return models.ids_starting_with(Nomination, prefix)


def get(nomination_id: str) -> Nomination:
    row = Nomination.get_or_none((Nomination.id == nomination_id) & (Nomination.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这条推荐（可能已被删除）。")
    return row


def _editable(nomination: Nomination) -> NominationSession:
    session = get_session(nomination.session_id)
    if nomination.status not in EDITABLE_STATUSES or session.phase not in ("recommend", "check"):
        raise CivDeskError(f"这条推荐已{STATUSES.get(nomination.status, '')}，不能再修改。"
                           "（只有推荐阶段或被退回的推荐可以修改。）")
    return session


def update(actor: Actor, nomination_id: str, values: dict, today: dt.date | None = None) -> None:
    require(actor, "edit_nominations")
    row = get(nomination_id)
    session = _editable(row)
    nominee = get_nominee(row.nominee_id)
    person_values, nomination_values = _split(values)
    current_person = {k: getattr(nominee, k) for k in PERSON_FIELDS}
    current = {k: getattr(row, k) for k in NOMINATION_FIELDS}
    errors: dict[str, str] = {}
    person = cleaned = {}
    try:
        person = clean_person({**current_person, **{k: v for k, v in person_values.items() if k in values}}, today)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        cleaned = clean_nomination({**current, **{k: v for k, v in nomination_values.items() if k in values}},
                                   session)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        if person["id_number"] != nominee.id_number:
            nominee = nominee_for(actor, person)  # a corrected ID number is another person
            _check_duplicate(session.id, nominee, exclude=row.id)
            cleaned["nominee_id"] = nominee.id
        else:
            changes.update(nominee, actor, person)
        changes.update(row, actor, cleaned)


def delete(actor: Actor, nomination_id: str, reason: str) -> None:
    require(actor, "edit_nominations")
    row = get(nomination_id)
    _editable(row)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明删除原因（例如：推荐人撤回、重复录入）"})
    changes.delete(row, actor, note=reason.strip())


# --- photos and documents --------------------------------------------------------------------

def file_type(data: bytes) -> str:
    return images.mime(data, images.PHOTOS_OR_PDF)


def add_file(actor: Actor, nomination_id: str, kind: str, file_name: str, data: bytes) -> NominationFile:
    require(actor, "edit_nominations")
    row = get(nomination_id)
    _editable(row)
    mime = file_type(data)
    name = validation.normalize_text(file_name) or "未命名"
    if kind == "photo" and mime not in ("image/jpeg", "image/png"):
        raise ValidationError({"photo": f"「{name}」不是 JPG 或 PNG 照片，请选择照片文件"})
    if kind == "document" and not mime:
        raise ValidationError({"document": f"「{name}」不是 PDF、JPG 或 PNG 文件；Word 文档请先另存为 PDF"})
    limit = int(settings.get("nomination.photo_max_kb"))
    if len(data) > limit * 1024:
        raise ValidationError({kind: f"「{name}」有 {len(data) / 1024 / 1024:.1f} MB，超过了每个文件 "
                                     f"{limit / 1024:g} MB 的上限（设置 → 参数 → 好人评选）。请先压缩后再添加"})
    if not data:
        raise ValidationError({kind: f"「{name}」是空文件"})
    return changes.create(NominationFile, actor, {
        "nomination_id": row.id, "kind": kind, "file_name": name, "mime": mime, "size": len(data),
        "data": base64.b64encode(data).decode("ascii")}, scope=row.scope)


def remove_file(actor: Actor, file_id: str) -> None:
    require(actor, "edit_nominations")
    row = NominationFile.get_or_none((NominationFile.id == file_id) & (NominationFile.deleted == _LIVE))
    if row is None:
        raise NotFound("找不到这个文件。")
    _editable(get(row.nomination_id))
    changes.delete(row, actor, note=f"删除{row.file_name}")


def save(actor: Actor, session_id: str, nomination_id: str | None, values: dict,
         new_files: list[tuple[str, str, bytes]] = (), removed_file_ids: list[str] = ()) -> str:
    """The editor's save: the nomination (new or changed) and its photos and documents, all or
    nothing. *new_files* are (kind, file name, bytes). Returns the nomination's id."""
    with database.atomic():
        if nomination_id:
            update(actor, nomination_id, values)
        else:
            nomination_id = submit(actor, session_id, values).id
        for file_id in removed_file_ids:
            remove_file(actor, file_id)
        for kind, name, data in new_files:
            add_file(actor, nomination_id, kind, name, data)
    return nomination_id


def files(nomination_id: str, kind: str | None = None) -> list[NominationFile]:
    query = NominationFile.select().where((NominationFile.nomination_id == nomination_id)
                                          & (NominationFile.deleted == _LIVE))
    if kind:
        query = query.where(NominationFile.kind == kind)
    return list(query.order_by(NominationFile.created_at, NominationFile.id))


def file_bytes(row: NominationFile) -> bytes:
    return base64.b64decode(row.data)


def first_photo(nomination_id: str) -> bytes | None:
    photos = files(nomination_id, "photo")
    return file_bytes(photos[0]) if photos else None


# --- 初审 ------------------------------------------------------------------------------------


def completeness(nomination: Nomination, today: dt.date | None = None) -> list[str]:
    """What 初审 finds missing or wrong; an empty list means complete."""
    problems = []
    nominee = Nominee.get_or_none(Nominee.id == nomination.nominee_id)
    if nominee is None or not validation.id_number(nominee.id_number, today=today).ok:
        problems.append("被推荐人身份证号码无效")
    summary, story = count_chars(nomination.summary), count_chars(nomination.story)
    if not summary:
        problems.append("缺少一句话事迹")
    elif summary > SUMMARY_MAX:
        problems.append(f"一句话事迹超过 {SUMMARY_MAX} 字（{summary} 字）")
    if story < STORY_MIN:
        problems.append(f"主要事迹不足 {STORY_MIN} 字（现有 {story} 字）")
    elif story > STORY_MAX:
        problems.append(f"主要事迹超过 {STORY_MAX} 字（现有 {story} 字）")
    if not files(nomination.id, "photo"):
        problems.append("缺少被推荐人照片")
    if not nomination.recommender_name:
        problems.append("缺少推荐人（单位）")
    elif nomination.recommender_kind == "person" and not nomination.recommender_relation:
        problems.append("缺少推荐人与被推荐人的关系")
    return problems


def _in_check(nomination: Nomination) -> NominationSession:
    session = get_session(nomination.session_id)
    if session.phase != "check":
        raise CivDeskError(f"「{session.name}」现在是{PHASES[session.phase]}阶段，初审要在初审阶段进行。")
    return session


def pass_check(actor: Actor, nomination_id: str, *, eligible: bool, note: str = "") -> None:
    """初审通过: the nomination must be complete, and the reviewer confirms eligibility (no
    criminal or credit record, the deeds true) by ticking *eligible*."""
    require(actor, "check_nominations")
    row = get(nomination_id)
    _in_check(row)
    if row.status != "recommended":
        raise CivDeskError(f"这条推荐的状态是「{STATUSES[row.status]}」，只有待初审的推荐可以通过。")
    problems = completeness(row)
    if problems:
        raise ValidationError({"check": "材料不完整，不能通过初审：" + "；".join(problems) + "。可以退回并写明原因"})
    if not eligible:
        raise ValidationError({"eligible": "请先核实并勾选“符合推荐条件”（无违法犯罪和失信记录，事迹真实）"})
    set_status(actor, row, "passed", note.strip() or "初审通过：材料齐全，符合推荐条件")


def return_nomination(actor: Actor, nomination_id: str, reasons: str) -> None:
    require(actor, "check_nominations")
    row = get(nomination_id)
    _in_check(row)
    if row.status not in ("recommended", "passed"):
        raise CivDeskError(f"这条推荐的状态是「{STATUSES[row.status]}」，不能退回。")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": "退回时请写明原因，推荐人要据此修改"})
    set_status(actor, row, "returned", reasons, return_reason=reasons)


def resubmit(actor: Actor, nomination_id: str) -> None:
    """A returned nomination, corrected, goes back to 初审."""
    require(actor, "edit_nominations")
    row = get(nomination_id)
    _in_check(row)
    if row.status != "returned":
        raise CivDeskError("只有被退回的推荐可以重新提交。")
    set_status(actor, row, "recommended", "修改后重新提交")


def start_check(actor: Actor, session_id: str) -> None:
    require(actor, "manage_nomination_sessions")
    session = get_session(session_id)
    if session.phase != "recommend":
        raise CivDeskError(f"「{session.name}」不在推荐阶段。")
    if not nominations(session.id):
        raise CivDeskError("还没有任何推荐，不能进入初审。")
    set_phase(actor, session, "check", "推荐截止，进入初审")


def start_review(actor: Actor, session_id: str) -> None:
    """初审 ends when every nomination is passed or returned; passed ones go to 评议."""
    require(actor, "manage_nomination_sessions")
    session = get_session(session_id)
    if session.phase != "check":
        raise CivDeskError(f"「{session.name}」不在初审阶段。")
    found = nominations(session.id)
    waiting = [r for r in found if r.status == "recommended"]
    if waiting:
        names = "、".join(nominee_name(r) for r in waiting[:5])
        raise CivDeskError(f"还有 {len(waiting)} 条推荐没有初审（{names}），请先通过或退回。")
    passed = [r for r in found if r.status == "passed"]
    if not passed:
        raise CivDeskError("没有初审通过的推荐，不能进入评议。")
    from civdesk.nominations.models import CommitteeMember

    if not CommitteeMember.select().where((CommitteeMember.session_id == session.id)
                                          & (CommitteeMember.deleted == _LIVE)).exists():
        raise CivDeskError("请先在“评议委员”中登记评议委员会成员。")
    with database.atomic():
        for row in passed:
            set_status(actor, row, "review", "进入评议")
        set_phase(actor, session, "review", f"初审结束：{len(passed)} 人进入评议")
