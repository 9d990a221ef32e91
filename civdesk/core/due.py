"""The start page's 待办 items: what each domain's provider returns (see office.dashboard)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from civdesk.core.actor import Actor

SEVERITIES = ("overdue", "due", "info")
SEVERITY_LABELS = {"overdue": "已逾期", "due": "待办", "info": "提示"}


@dataclass(frozen=True)
class DueItem:
    kind: str
    title: str
    detail: str
    due_date: dt.date | None
    severity: str  # "overdue" | "due" | "info"
    target_page: str  # a page key, optionally "key/section" ("settings/accounts")

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")


Provider = Callable[[Actor], list[DueItem]]
