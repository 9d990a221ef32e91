"""志愿服务记录证明: issuing (numbered in the issue register), checking a printed certificate,
the register list, and the details a printed certificate shows.

A certificate carries a check code: HMAC over (number, ID number, half-hours, issue date) with the
township's sync key, which every PC of the township shares, so any office PC can tell a genuine
certificate from an altered one. The register (``Certificate``) is append-only and syncs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import JOIN, fn

from civdesk.core import changes, jobs, validation
from civdesk.core import merges as merging
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.jobs import CancelCheck, Progress
from civdesk.core.meta import LocalMeta
from civdesk.core.models import new_id
from civdesk.core.validation import ValidationError
from civdesk.documents import numbering
from civdesk.office import offices as office_service
from civdesk.office import settings
from civdesk.reports import qr
from civdesk.reports.numbers import chinese_date
from civdesk.volunteers import hours as hours_service
from civdesk.volunteers import roster as volunteer_service
from civdesk.volunteers.models import Activity, Certificate, ServiceRecord, Volunteer

QR_PREFIX = "CIVDESK-CERT"
NUMBER_INFIX = "ZM"
MAX_PURPOSE = 60
_BLOCK = 500  # ids per IN (...) query

CANCELLED = "已取消出具证明，没有登记任何证明。"


class IssuedBatch(list):
    """The certificates issued by :func:`issue_batch`; ``skipped`` lists (volunteer id, name,
    reason) of those left out."""

    def __init__(self, issued: Iterable[Certificate] = (), skipped: list[tuple[str, str, str]] | None = None):
        super().__init__(issued)
        self.skipped = skipped or []


# --- codes and numbers -----------------------------------------------------------------------


def _secret() -> bytes:
    key = LocalMeta.get_value("sync_key")
    if not key:
        raise CivDeskError("本机没有同步密钥（尚未完成初始设置），无法生成或核对证明的校验码。")
    return bytes.fromhex(key)


def code_for(number: str, id_number: str, half_hours: int, issued_date: dt.date) -> str:
    """The check code printed on a certificate (8 characters, without the hyphen)."""
    return qr.check_code(_secret(), number, id_number or "", str(int(half_hours)), issued_date.isoformat())


def qr_text(number: str, check_code: str) -> str:
    return f"{QR_PREFIX}|{number}|{qr.format_check_code(check_code)}"


def parse_qr_text(text: str) -> tuple[str, str]:
    """"CIVDESK-CERT|number|code" (what a scanner reads) -> (number, code)."""
    parts = [part.strip() for part in str(text or "").strip().split("|")]
    if len(parts) != 3 or parts[0].upper() != QR_PREFIX or not parts[1] or not parts[2]:
        raise ValidationError({"qr": "这不是 CivDesk 志愿服务记录证明的二维码内容"})
    return parts[1], parts[2]


def number_base(year: int, prefix: str | None = None) -> str:
    """QXZ-ZM-2026-A (then 0001…): this PC's code keeps PCs of one office apart; without one,
    the old QXZ-ZM-2026-0001."""
    return f"{prefix or volunteer_service.number_prefix()}-{NUMBER_INFIX}-{year}-{office_service.pc_code()}"


def highest_sequence(base: str) -> int:
    """The highest sequence issued under *base* (numbers are never reused, tombstones included)."""
    tail = fn.SUBSTR(Certificate.number, len(base) + 1)
    value = (Certificate.select(fn.MAX(tail.cast("INTEGER")))
             .where(Certificate.number.startswith(base)).scalar())
    return int(value or 0)


def number_series(year: int) -> numbering.Series:
    """This PC's certificate numbers of *year* from the one number service (the 发文字号 register);
    certificates printed before the register are passed over (*floor*)."""
    base = number_base(year)
    return numbering.Series(f"certificate:{base}", year, lambda serial: f"{base}{serial:04d}", kind="certificate",
                            floor=highest_sequence(base))


def issuer_contact() -> str:
    contact = str(settings.get("volunteer.certificate_contact") or "").strip()
    if contact:
        return contact
    own = office_service.own_office_or_none()
    return (own.phone or "").strip() if own else ""


# --- issuing ---------------------------------------------------------------------------------


def _date_or_none(value, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    checked = validation.date_value(value, label)
    if not checked.ok:
        raise ValidationError({"period": checked.error})
    return checked.value


def _period(period_from, period_to) -> tuple[dt.date | None, dt.date | None]:
    start, end = _date_or_none(period_from, "起始日期"), _date_or_none(period_to, "截止日期")
    if start and end and start > end:
        raise ValidationError({"period": f"起始日期 {start.isoformat()} 晚于截止日期 {end.isoformat()}"})
    return start, end


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{chinese_date(start)}至{chinese_date(end)}"
    if start:
        return f"{chinese_date(start)}以来"
    if end:
        return f"截至{chinese_date(end)}"
    return ""


def _clean_purpose(purpose: str) -> str:
    text = validation.normalize_text(purpose or "")
    if len(text) > MAX_PURPOSE:
        raise ValidationError({"purpose": f"用途不能超过 {MAX_PURPOSE} 个字"})
    return text


def _approved(query):
    # The first decision on a record stands (two PCs may both have decided it before they met).
    return query.where(hours_service.decided("approved"))


def _in_period(query, start, end):
    if start:
        query = query.where(ServiceRecord.service_date >= start)
    if end:
        query = query.where(ServiceRecord.service_date <= end)
    return query


def period_totals(volunteer_ids: list[str], start: dt.date | None = None, end: dt.date | None = None) -> dict[str, int]:
    """Approved half-hours (corrections included) per volunteer within the period; the records of
    people merged into a volunteer count for them."""
    found = merging.merges(Volunteer)
    wanted = found.family(volunteer_ids) if found.survivor_of else volunteer_ids
    totals: dict[str, int] = {}
    for i in range(0, len(wanted), _BLOCK):
        block = wanted[i:i + _BLOCK]
        query = _approved(ServiceRecord.select(ServiceRecord.volunteer_id, fn.SUM(ServiceRecord.half_hours))
                          .where(ServiceRecord.volunteer_id << block))
        totals.update(_in_period(query, start, end).group_by(ServiceRecord.volunteer_id).tuples())
    if not found.survivor_of:
        return totals
    folded = found.fold(totals)
    return {vid: folded[vid] for vid in volunteer_ids if vid in folded}


def _no_hours(volunteer: Volunteer, start, end) -> str:
    when = period_text(start, end)
    return (f"志愿者「{volunteer.name}」（编号 {volunteer.number}）{('在' + when) if when else ''}没有已审核的服务时长，"
            "不能出具志愿服务记录证明。请先录入服务记录并由审核人审核。")


def _create(actor: Actor, volunteer: Volunteer, half_hours: int, number: str, issued: dt.date,
            start, end, purpose: str, contact: str, certificate_id: str | None = None) -> Certificate:
    code = code_for(number, volunteer.id_number, half_hours, issued)
    return changes.create(Certificate, actor, {
        "number": number, "volunteer_id": volunteer.id, "issued_date": issued, "half_hours": half_hours,
        "period_from": start, "period_to": end, "purpose": purpose, "issuer_contact": contact,
        "check_code": code}, id=certificate_id, scope=volunteer.scope, record_label=f"{number} {volunteer.name}",
        note=f"出具志愿服务记录证明，累计 {half_hours / 2:g} 小时")


def issue(actor: Actor, volunteer_id: str, *, purpose: str = "", period_from=None, period_to=None,
          today: dt.date | None = None) -> Certificate:
    """Register a certificate for one volunteer (approved hours, within the period if given)."""
    require(actor, "issue_certificates")
    volunteer = volunteer_service.get(volunteer_id)
    if not volunteer.id_number:
        raise CivDeskError(f"志愿者「{volunteer.name}」的证件号码待补：请先在志愿者信息中补上证件号码，再出具证明。")
    start, end = _period(period_from, period_to)
    purpose = _clean_purpose(purpose)
    issued = today or dt.date.today()
    half = period_totals([volunteer.id], start, end).get(volunteer.id, 0)
    if half <= 0:
        raise CivDeskError(_no_hours(volunteer, start, end))
    with database.atomic():
        certificate_id = new_id()
        number = number_series(issued.year).next(actor, certificate_id, scope=volunteer.scope).number
        return _create(actor, volunteer, half, number, issued, start, end, purpose, issuer_contact(), certificate_id)


def issue_batch(actor: Actor, volunteer_ids: Iterable[str], *, purpose: str = "", period_from=None,
                period_to=None, today: dt.date | None = None, progress: Progress | None = None,
                cancelled: CancelCheck | None = None) -> IssuedBatch:
    """Register certificates for many volunteers in one transaction, numbered consecutively;
    volunteers without approved hours (or unknown ones) are skipped and listed in ``skipped``.
    Cancelling rolls everything back."""
    require(actor, "issue_certificates")
    ids = list(dict.fromkeys(volunteer_ids))
    start, end = _period(period_from, period_to)
    purpose = _clean_purpose(purpose)
    issued = today or dt.date.today()
    people: dict[str, Volunteer] = {}
    for i in range(0, len(ids), _BLOCK):
        people.update((v.id, v) for v in Volunteer.select().where(
            (Volunteer.id << ids[i:i + _BLOCK]) & (Volunteer.deleted == False)))  # noqa: E712
    totals = period_totals(ids, start, end)
    contact = issuer_contact()
    result = IssuedBatch()
    with database.atomic():
        series = number_series(issued.year)
        for done, volunteer_id in enumerate(ids):
            jobs.check(cancelled, CANCELLED)
            volunteer = people.get(volunteer_id)
            if volunteer is None:
                result.skipped.append((volunteer_id, "", "找不到这名志愿者（可能已被删除）"))
                continue
            half = totals.get(volunteer_id, 0)
            if half <= 0:
                result.skipped.append((volunteer_id, volunteer.name, "没有已审核的服务时长"))
                continue
            certificate_id = new_id()
            number = series.next(actor, certificate_id, scope=volunteer.scope).number
            result.append(_create(actor, volunteer, half, number, issued, start, end, purpose, contact, certificate_id))
            if progress is not None and done % 50 == 0:
                progress(done, len(ids), f"正在登记证明：{volunteer.name}")
    if progress is not None:
        progress(len(ids), len(ids), f"已登记 {len(result)} 份证明")
    return result


def active_with_hours(start: dt.date | None = None, end: dt.date | None = None) -> list[str]:
    """Ids of active volunteers with approved hours (within the period), in volunteer-number order."""
    found = merging.merges(Volunteer)
    query = _in_period(_approved(ServiceRecord.select(ServiceRecord.volunteer_id)), start, end)
    with_hours = query.group_by(ServiceRecord.volunteer_id).having(fn.SUM(ServiceRecord.half_hours) > 0)
    if found.survivor_of:  # a merged person's hours count for the person kept
        totals = _in_period(_approved(ServiceRecord.select(ServiceRecord.volunteer_id, fn.SUM(ServiceRecord.half_hours))),
                            start, end).group_by(ServiceRecord.volunteer_id).tuples()
        with_hours = [vid for vid, half in found.fold(dict(totals)).items() if half > 0]
    return [vid for (vid,) in Volunteer.select(Volunteer.id).where(
        merging.live(Volunteer, found) & (Volunteer.status == "active")
        & (Volunteer.id.in_(with_hours))).order_by(Volunteer.number).tuples()]


# --- checking a printed certificate ----------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    found: bool
    code_matches: bool
    register_intact: bool = True   # the register row still yields its own code (not altered since)
    number: str = ""
    volunteer_name: str = ""
    volunteer_number: str = ""
    id_masked: str = ""
    hours: float = 0.0
    issued_date: dt.date | None = None
    period: str = ""
    issued_by: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.found and self.code_matches


def verify(number: str, code: str) -> VerifyResult:
    """Check a printed certificate's number and check code against the register."""
    number = validation.normalize_text(number).upper()
    typed = qr.normalize_check_code(code)
    if not number:
        return VerifyResult(False, False, number=number, message="请填写证明编号。")
    rows = list(Certificate.select().where((Certificate.number == number) & (Certificate.deleted == False)))  # noqa: E712
    if not rows:
        return VerifyResult(False, False, number=number,
                            message=f"登记簿中没有编号为 {number} 的证明。如果证明由其他电脑出具，请先导入对方的同步数据包后再核验。")
    # Two PCs of one office may (rarely) have used the same number before they synced: any match counts.
    row = next((r for r in rows if qr.normalize_check_code(r.check_code) == typed), rows[0])
    matches = qr.normalize_check_code(row.check_code) == typed
    issued_to = Volunteer.get_or_none(Volunteer.id == row.volunteer_id)
    # A certificate of a person merged since names the person kept; it was coded with the number
    # of the record it was issued to.
    volunteer = Volunteer.get_or_none(Volunteer.id == merging.merges(Volunteer).survivor(row.volunteer_id))
    intact = any(person is not None and code_for(row.number, person.id_number, row.half_hours,
                                                 row.issued_date) == row.check_code
                 for person in (issued_to, volunteer))
    details = dict(number=row.number, volunteer_name=volunteer.name if volunteer else "",
                   volunteer_number=volunteer.number if volunteer else "",
                   id_masked=validation.mask_id_number(volunteer.id_number) if volunteer else "",
                   hours=row.half_hours / 2, issued_date=row.issued_date,
                   period=period_text(row.period_from, row.period_to), issued_by=row.created_by)
    if not matches:
        message = (f"校验码不符：证明 {row.number} 登记的校验码与所填的不一致，证明可能被涂改或伪造，"
                   "请核对纸面上的校验码是否抄写正确。")
    elif not intact:
        message = (f"校验码与登记簿一致，但登记簿中的数据已与出具时不同（志愿者证件号码可能已更正），"
                   f"请人工核对：{details['volunteer_name']}，{row.half_hours / 2:g} 小时。")
    else:
        message = (f"核验通过：证明 {row.number} 为本乡镇出具，志愿者 {details['volunteer_name']}"
                   f"（{details['id_masked']}），累计 {row.half_hours / 2:g} 小时，"
                   f"出具日期 {row.issued_date.isoformat()}。")
    return VerifyResult(True, matches, intact, message=message, **details)


# --- the register ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    id: str
    number: str
    volunteer_id: str
    volunteer_name: str
    volunteer_number: str
    id_masked: str
    issued_date: str
    hours: float
    period: str
    purpose: str
    issued_by: str
    check_code: str


def register(*, text: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None,
             volunteer_id: str | None = None, limit: int | None = None) -> list[RegisterRow]:
    """The issue register, newest first; *text* matches the number, name or volunteer number."""
    query = (Certificate.select(Certificate, Volunteer.name, Volunteer.number.alias("vnumber"), Volunteer.id_number)
             .join(Volunteer, JOIN.LEFT_OUTER, on=(Volunteer.id == Certificate.volunteer_id))
             .where(Certificate.deleted == False))  # noqa: E712
    text = validation.normalize_text(text)
    if text:
        query = query.where(Certificate.number.contains(text) | Volunteer.name.contains(text)
                            | Volunteer.number.startswith(text.upper()))
    if date_from:
        query = query.where(Certificate.issued_date >= date_from)
    if date_to:
        query = query.where(Certificate.issued_date <= date_to)
    if volunteer_id:
        query = query.where(Certificate.volunteer_id << merging.merges(Volunteer).family([volunteer_id]))
    query = query.order_by(Certificate.issued_date.desc(), Certificate.number.desc())
    if limit:
        query = query.limit(limit)
    return [RegisterRow(r["id"], r["number"], r["volunteer_id"], r["name"] or "", r["vnumber"] or "",
                        validation.mask_id_number(r["id_number"] or ""), r["issued_date"].isoformat(),
                        r["half_hours"] / 2, period_text(r["period_from"], r["period_to"]), r["purpose"],
                        r["created_by"], qr.format_check_code(r["check_code"]))
            for r in query.dicts()]


def get(certificate_id: str) -> Certificate:
    row = Certificate.get_or_none((Certificate.id == certificate_id) & (Certificate.deleted == False))  # noqa: E712
    if row is None:
        raise NotFound("找不到这份证明。")
    return row


def by_numbers(numbers: list[str]) -> list[Certificate]:
    return list(Certificate.select().where(Certificate.number << numbers).order_by(Certificate.number))


# --- what a printed certificate shows ----------------------------------------------------------


@dataclass(frozen=True)
class ServiceLine:
    date: dt.date
    activity: str
    content: str
    half_hours: int


@dataclass(frozen=True)
class CertificateDetails:
    number: str
    check_code: str
    issued_date: dt.date
    half_hours: int
    period_from: dt.date | None
    period_to: dt.date | None
    purpose: str
    issuer_contact: str
    unit_name: str
    name: str
    sex: str
    id_type: str
    id_number: str
    volunteer_number: str
    join_date: dt.date | None
    summary: list[tuple[str, int]] = field(default_factory=list)  # (service category, half-hours), largest first
    records: list[ServiceLine] = field(default_factory=list)       # oldest first; corrections folded in

    @property
    def hours(self) -> float:
        return self.half_hours / 2

    @property
    def qr_text(self) -> str:
        return qr_text(self.number, self.check_code)


OTHER = "其他志愿服务"


def _lines_for(volunteer_ids: list[str], start: dt.date | None, end: dt.date | None) -> dict[str, list[tuple]]:
    """Approved records as (id, corrects_id, date, half, activity, category, content) per volunteer."""
    found: dict[str, list[tuple]] = defaultdict(list)
    merged = merging.merges(Volunteer)
    wanted = merged.family(volunteer_ids) if merged.survivor_of else volunteer_ids
    for i in range(0, len(wanted), _BLOCK):
        block = wanted[i:i + _BLOCK]
        query = _approved(ServiceRecord.select(
            ServiceRecord.volunteer_id, ServiceRecord.id, ServiceRecord.corrects_id, ServiceRecord.service_date,
            ServiceRecord.half_hours, Activity.name, Activity.service_category, ServiceRecord.content)
            .join_from(ServiceRecord, Activity, JOIN.LEFT_OUTER, on=(Activity.id == ServiceRecord.activity_id))
            .where(ServiceRecord.volunteer_id << block))
        query = _in_period(query, start, end).order_by(ServiceRecord.service_date, ServiceRecord.clock)
        for row in query.tuples():
            found[merged.survivor(row[0])].append(row[1:])
    return found


def _fold(rows: list[tuple], fallback_category: str) -> tuple[list[ServiceLine], list[tuple[str, int]]]:
    effective: dict[str, list] = {}
    orphans: list[list] = []
    for record_id, corrects_id, day, half, activity, category, content in rows:
        if corrects_id is None:
            effective[record_id] = [day, activity or "", content or "", half, category or ""]
        elif corrects_id in effective:
            effective[corrects_id][3] += half
        else:  # the corrected record lies outside the period (it cannot: same date) or was not approved
            orphans.append([day, activity or "", content or "", half, category or ""])
    lines, by_category = [], defaultdict(int)
    for day, activity, content, half, category in [*effective.values(), *orphans]:
        if half <= 0:
            continue
        lines.append(ServiceLine(day, activity, content, half))
        by_category[category or fallback_category or activity or OTHER] += half
    lines.sort(key=lambda line: line.date)
    summary = sorted(by_category.items(), key=lambda item: (-item[1], item[0]))
    return lines, summary


def details(certificates: list[Certificate]) -> list[CertificateDetails]:
    """Everything the PDF prints for each certificate, loaded with a few queries for the batch."""
    if not certificates:
        return []
    merged = merging.merges(Volunteer)
    ids = list(dict.fromkeys(merged.survivor(c.volunteer_id) for c in certificates))
    people: dict[str, Volunteer] = {}
    for i in range(0, len(ids), _BLOCK):
        people.update((v.id, v) for v in Volunteer.select().where(Volunteer.id << ids[i:i + _BLOCK]))
    # One read per distinct period (a batch shares one): the records of every volunteer in it.
    periods = defaultdict(list)
    for cert in certificates:
        periods[(cert.period_from, cert.period_to)].append(cert.volunteer_id)
    records = {key: _lines_for(list(dict.fromkeys(vids)), *key) for key, vids in periods.items()}
    unit = office_service.own_name()
    out = []
    for cert in certificates:
        volunteer = people.get(merged.survivor(cert.volunteer_id))
        if volunteer is None:
            raise NotFound(f"证明 {cert.number} 的志愿者已不在数据库中。")
        lines, summary = _fold(records[(cert.period_from, cert.period_to)].get(volunteer.id, []),
                               volunteer.service_category)
        out.append(CertificateDetails(
            number=cert.number, check_code=cert.check_code, issued_date=cert.issued_date,
            half_hours=cert.half_hours, period_from=cert.period_from, period_to=cert.period_to,
            purpose=cert.purpose, issuer_contact=cert.issuer_contact, unit_name=unit, name=volunteer.name,
            sex=volunteer.sex, id_type=volunteer.id_type, id_number=volunteer.id_number,
            volunteer_number=volunteer.number, join_date=volunteer.join_date, summary=summary, records=lines))
    return out
