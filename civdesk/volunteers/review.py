"""The records waiting for review, for the review tab's list: read a window at a time.

A large office holds thousands of pending records (6,688 among a million on the benchmark's);
the list shows a screenful. By date, the count and each window are walked along the partial index
``service_record_pending`` (schema step 19); a search or another order reads the matching ids
once, in order, with the volunteer and activity joined in SQL (no rows built for them).
"""

from __future__ import annotations

from peewee import JOIN, fn

from civdesk.core.listing import IdList, Listing, QueryListing
from civdesk.volunteers.hours import waiting
from civdesk.volunteers.models import Activity, ServiceRecord, Volunteer

_SORTS = {"volunteer": Volunteer.name_pinyin, "hours": ServiceRecord.half_hours, "activity": Activity.name,
          "entered_by": ServiceRecord.created_by}


def pending_listing(text: str = "", sort: str = "service_date", descending: bool = True) -> Listing:
    """Pending records matching *text* (volunteer name or number, activity, content, date)."""
    query = ServiceRecord.select(ServiceRecord.id).where(waiting())
    text = text.strip()
    column = _SORTS.get(sort)
    if column is None and not text:
        return QueryListing(ServiceRecord, query, [(ServiceRecord.service_date, descending)])
    query = (query.join(Volunteer, on=(Volunteer.id == ServiceRecord.volunteer_id))
             .switch(ServiceRecord).join(Activity, JOIN.LEFT_OUTER, on=(Activity.id == ServiceRecord.activity_id)))
    if text:
        query = query.where(Volunteer.name.contains(text) | Volunteer.number.contains(text)
                            | Activity.name.contains(text) | ServiceRecord.content.contains(text)
                            | ServiceRecord.service_date.contains(text))
    keys = [(column, descending)] if column is not None else []
    keys += [(ServiceRecord.service_date, descending), (ServiceRecord.id, descending)]
    return IdList(QueryListing(ServiceRecord, query, keys).all())


def pending_counts(username: str) -> tuple[int, int]:
    """(records waiting, of them entered by *username*), from the index alone."""
    total, mine = (ServiceRecord.select(fn.COUNT(ServiceRecord.id),
                                        fn.COALESCE(fn.SUM(ServiceRecord.created_by == username), 0))
                   .where(waiting()).tuples().get())
    return total, mine


def entered_by(record_ids: list[str]) -> dict[str, str]:
    """Who entered each of these records."""
    found: dict[str, str] = {}
    for start in range(0, len(record_ids), 500):
        part = record_ids[start:start + 500]
        found.update(ServiceRecord.select(ServiceRecord.id, ServiceRecord.created_by)
                     .where(ServiceRecord.id << part).tuples())
    return found
