"""Service records (``hours.RecordRow``) as a list source for ``LargeListModel``.

The rows are already in memory (one volunteer's record, the pending list, a search limited
by the service), so filtering and sorting happen here without another query.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from civdesk.office import accounts
from civdesk.volunteers import hours, review
from civdesk.volunteers.hours import STATUS_LABELS, RecordRow
from ui.list_model import Column, LargeListModel, setup_table_view


def hours_text(hours: float, signed: bool = False) -> str:
    """Corrections are adjustments, so they carry their sign: +1, -0.5."""
    return f"{hours:+g}" if signed else f"{hours:g}"


def user_names() -> dict[str, str]:
    return {user.username: user.display_name for user in accounts.list_users()}


class RecordsSource:
    """``show_volunteer=False`` for the records of one volunteer (the name would repeat)."""

    def __init__(self, rows: list[RecordRow] | None = None, *, me: str = "", show_volunteer: bool = True,
                 names: dict[str, str] | None = None):
        self.me = me
        self.names = names if names is not None else user_names()
        self.columns = [Column("service_date", "服务日期", 100)]
        if show_volunteer:  # the number is searched and shown on hover, not given a column
            self.columns += [Column("volunteer", "志愿者", 80)]
        self.columns += [Column("hours", "小时", 56, "right"), Column("status", "状态", 64, "center"),
                         Column("content", "服务内容", 220, sortable=False), Column("activity", "活动", 150),
                         Column("entered_by", "录入人", 90), Column("remark", "说明", 160, sortable=False)]
        self.rows: dict[str, RecordRow] = {}
        self.order: list[str] = []
        self.set_rows(rows or [])

    def set_rows(self, rows: list[RecordRow]) -> None:
        self.rows = {row.id: row for row in rows}
        self.order = [row.id for row in rows]

    def row(self, record_id) -> RecordRow | None:
        return self.rows.get(record_id)

    def is_mine(self, record_id) -> bool:
        row = self.rows.get(record_id)
        return row is not None and bool(self.me) and row.entered_by == self.me

    def entered_by(self, row: RecordRow) -> str:
        name = self.names.get(row.entered_by, row.entered_by)
        return f"{name}（本人）" if self.me and row.entered_by == self.me else name

    def fetch_ids(self, query: str, sort_key: str, descending: bool) -> list:
        text = query.strip().lower()
        ids = [rid for rid in self.order if not text or text in self._haystack(self.rows[rid])]
        if sort_key == "service_date" and descending:
            return ids  # the service's own order: newest first
        value = {"service_date": lambda r: r.service_date, "volunteer": lambda r: r.volunteer_name,
                 "number": lambda r: r.volunteer_number, "hours": lambda r: r.hours,
                 "activity": lambda r: r.activity, "status": lambda r: r.status,
                 "entered_by": lambda r: r.entered_by}.get(sort_key, lambda r: r.service_date)
        return sorted(ids, key=lambda rid: value(self.rows[rid]), reverse=descending)

    @staticmethod
    def _haystack(row: RecordRow) -> str:
        return " ".join((row.volunteer_name, row.volunteer_number, row.activity, row.content,
                         row.service_date)).lower()

    def fetch_rows(self, ids: list) -> dict:
        out = {}
        for rid in ids:
            row = self.rows.get(rid)
            if row is None:
                continue
            remark = ""
            if row.corrects_id:
                remark = "更正记录（对原记录时长的调整）"
            if row.status == "rejected" and row.reason:
                remark = f"退回原因：{row.reason}"
            out[rid] = {"service_date": row.service_date, "volunteer": row.volunteer_name,
                        "number": row.volunteer_number, "hours": hours_text(row.hours, bool(row.corrects_id)),
                        "activity": row.activity,
                        "content": row.content, "status": STATUS_LABELS.get(row.status, row.status),
                        "entered_by": self.entered_by(row), "remark": remark}
        return out


class PendingSource(RecordsSource):
    """The records waiting for review, read a window at a time (``review.pending_listing``): the
    rows of the blocks in sight are read and kept; who entered a selection is asked in one query."""

    def __init__(self, *, me: str = ""):
        super().__init__(me=me)
        self.total = self.mine_total = 0

    def listing(self, query: str, sort_key: str, descending: bool):
        return review.pending_listing(query, sort_key, descending)

    def recount(self) -> None:
        self.total, mine = review.pending_counts(self.me)
        self.mine_total = mine if self.me else 0
        self.rows, self.order = {}, []

    def fetch_rows(self, ids: list) -> dict:
        self.rows.update((row.id, row) for row in hours.records(ids=list(ids)))
        return super().fetch_rows(ids)

    def mine(self, ids: list) -> set:
        """Those of *ids* this user entered."""
        if not self.me:
            return set()
        unknown = [i for i in ids if i not in self.rows]
        who = review.entered_by(unknown) if unknown else {}
        return {i for i in ids if (self.rows[i].entered_by if i in self.rows else who.get(i)) == self.me}


def records_view(source: RecordsSource, parent=None, *, multi: bool = False) -> tuple[QTableView, LargeListModel]:
    model = LargeListModel(source, parent, sort_key="service_date", descending=True)
    view = QTableView()
    setup_table_view(view, model)
    view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection if multi
                          else QTableView.SelectionMode.SingleSelection)
    return view, model


def selected_ids(view: QTableView, model: LargeListModel) -> list:
    rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
    if rows and len(rows) == model.rowCount():  # everything (全选): one read of the list, not a window per block
        return model.ids()
    return [model.id_at(row) for row in rows if model.id_at(row) is not None]
