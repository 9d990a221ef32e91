"""What the domains tell the core and one another, registered in one place at start-up.

The core and the shared services look things up here instead of importing the domains (which
would point the arrows up): which tables are synced, what the start page lists as due, how a
公示 knows that one of its candidates has already been decided. ``civdesk.domains.register_all``
fills it, once, before anything else runs; nothing registers itself as a side effect of being
imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class NotRegistered(RuntimeError):
    """The domains were not registered; start-up code must call ``civdesk.domains.register_all()``."""


class Registry:
    def __init__(self) -> None:
        self.ready = False
        self._synced: dict[str, type] = {}
        self._local: dict[str, type] = {}
        self._due: list[Callable] = []
        self._calendar: list[Callable] = []
        self._decided: dict[str, Callable[[str], bool]] = {}
        self._setting_reader: Callable[[str], Any] | None = None

    # Tables -----------------------------------------------------------------------------
    def add_synced(self, *models: type) -> None:
        for model in models:
            self._synced[model._meta.table_name] = model

    def add_local(self, *models: type) -> None:
        for model in models:
            self._local[model._meta.table_name] = model

    def synced_models(self) -> list[type]:
        """Every synced model, in a stable order (by table name)."""
        self._require()
        return [self._synced[name] for name in sorted(self._synced)]

    def local_models(self) -> list[type]:
        self._require()
        return [self._local[name] for name in sorted(self._local)]

    def model_for_table(self, table: str) -> type:
        self._require()
        return self._synced[table]

    # The start page's 待办 ---------------------------------------------------------------
    def add_due_provider(self, provider: Callable) -> None:
        if provider not in self._due:
            self._due.append(provider)

    def due_providers(self) -> list[Callable]:
        self._require()
        return list(self._due)

    # The month calendar's dated items of other domains (core.calendar_items) ----------------
    def add_calendar_provider(self, provider: Callable) -> None:
        if provider not in self._calendar:
            self._calendar.append(provider)

    def calendar_providers(self) -> list[Callable]:
        self._require()
        return list(self._calendar)

    # 公示: "was this candidate already named or honoured?" ------------------------------
    def add_decided_check(self, subject: str, check: Callable[[str], bool]) -> None:
        self._decided[subject] = check

    def decided_check(self, subject: str) -> Callable[[str], bool] | None:
        self._require()
        return self._decided.get(subject)

    # Office settings, for shared machinery below the office domain (fonts of the PDFs) --------
    def set_setting_reader(self, reader: Callable[[str], Any]) -> None:
        self._setting_reader = reader

    def setting(self, key: str, default: Any = None) -> Any:
        """An office setting, or *default* when none can be read (no database open)."""
        if self._setting_reader is None:
            return default
        try:
            value = self._setting_reader(key)
        except Exception:  # no database open (command line before login, tests)
            return default
        return default if value is None else value

    def _require(self) -> None:
        if not self.ready:
            raise NotRegistered("civdesk.domains.register_all() was not called at start-up")


registry = Registry()


def describe() -> dict[str, Any]:
    """A summary for diagnostics (the about box, tests)."""
    return {"synced": sorted(registry._synced), "local": sorted(registry._local),
            "due_providers": len(registry._due), "calendar_providers": len(registry._calendar),
            "decided_checks": sorted(registry._decided)}
