"""What the domains tell the core and one another, registered in one place at start-up.

The core and the shared services look things up here instead of importing the domains (which
would point the arrows up): which tables are synced, what the start page lists as due, how a
公示 knows that one of its candidates has already been decided. ``civdesk.domains.register_all``
fills it, once, before anything else runs; nothing registers itself as a side effect of being
imported.

Registering is cheap (issue 17: importing every domain took half of the start-up): a domain
names its tables, providers and checks by import path — ``"civdesk.units.models:Application"``,
``"civdesk.units.due:PROVIDERS"`` — and the module is imported when the entry is first used (the
start page's 待办 gathers in the background; sync asks for every synced model and gets them all).
Entries may also be the objects themselves (the core's own tables, tests).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


class NotRegistered(RuntimeError):
    """The domains were not registered; start-up code must call ``civdesk.domains.register_all()``."""


def resolve(ref: Any) -> Any:
    """The object a ``"package.module:attribute"`` reference names (anything else as it is)."""
    if not isinstance(ref, str):
        return ref
    module, _, attribute = ref.partition(":")
    if not attribute:
        raise ValueError(f"a registry reference is 'module:attribute', not {ref!r}")
    return getattr(importlib.import_module(module), attribute)


class _Tables:
    """Table name -> model class, or its "module:Class" path until first asked for."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] = {}

    def add_models(self, models) -> None:
        for model in models:
            self.entries[model._meta.table_name] = model

    def add_paths(self, module: str, tables: dict[str, str]) -> None:
        for table, class_name in tables.items():
            self.entries[table] = f"{module}:{class_name}"

    def get(self, table: str) -> type:
        entry = self.entries[table]  # KeyError for a table nobody registered, as before
        if isinstance(entry, str):
            # No lock of our own: two threads resolving at once get the same class from Python's
            # import (which has its locks), and a lock held across an import could deadlock with it.
            model = resolve(entry)
            if model._meta.table_name != table:
                raise NotRegistered(f"{entry} is the table {model._meta.table_name!r}, registered as {table!r}")
            self.entries[table] = entry = model
        return entry

    def all(self) -> list[type]:
        return [self.get(name) for name in sorted(self.entries)]


class Registry:
    def __init__(self) -> None:
        self.ready = False
        self._synced = _Tables()
        self._local = _Tables()
        self._due: list[Any] = []  # providers, or "module:LIST" references to a module's list of them
        self._calendar: list[Any] = []
        self._decided: dict[str, Any] = {}
        self._setting_reader: Any = None

    # Tables -----------------------------------------------------------------------------
    def add_synced(self, *models: type) -> None:
        self._synced.add_models(models)

    def add_synced_tables(self, module: str, tables: dict[str, str]) -> None:
        """The synced tables of *module*, ``{table name: class name}``, imported when first used."""
        self._synced.add_paths(module, tables)

    def add_local(self, *models: type) -> None:
        self._local.add_models(models)

    def add_local_tables(self, module: str, tables: dict[str, str]) -> None:
        self._local.add_paths(module, tables)

    def synced_tables(self) -> list[str]:
        """The synced tables' names, sorted, without importing a model."""
        self._require()
        return sorted(self._synced.entries)

    def synced_models(self) -> list[type]:
        """Every synced model, in a stable order (by table name); imports those not yet imported."""
        self._require()
        return self._synced.all()

    def local_models(self) -> list[type]:
        self._require()
        return self._local.all()

    def model_for_table(self, table: str) -> type:
        self._require()
        return self._synced.get(table)

    # The start page's 待办 ---------------------------------------------------------------
    def add_due_provider(self, provider: Callable | str) -> None:
        """One provider, or ``"module:LIST"`` naming a module's list of them."""
        if provider not in self._due:
            self._due.append(provider)

    def due_providers(self) -> list[Callable]:
        self._require()
        found: list[Callable] = []
        for entry in self._due:
            value = resolve(entry)
            for provider in (value if isinstance(value, (list, tuple)) else [value]):
                if provider not in found:
                    found.append(provider)
        return found

    # The month calendar's dated items of other domains (core.calendar_items) ----------------
    def add_calendar_provider(self, provider: Callable | str) -> None:
        if provider not in self._calendar:
            self._calendar.append(provider)

    def calendar_providers(self) -> list[Callable]:
        self._require()
        return [resolve(entry) for entry in self._calendar]

    # 公示: "was this candidate already named or honoured?" ------------------------------
    def add_decided_check(self, subject: str, check: Callable[[str], bool] | str) -> None:
        self._decided[subject] = check

    def decided_check(self, subject: str) -> Callable[[str], bool] | None:
        self._require()
        return resolve(self._decided.get(subject))

    # Office settings, for shared machinery below the office domain (fonts of the PDFs) --------
    def set_setting_reader(self, reader: Callable[[str], Any] | str) -> None:
        self._setting_reader = reader

    def setting(self, key: str, default: Any = None) -> Any:
        """An office setting, or *default* when none can be read (no database open)."""
        if self._setting_reader is None:
            return default
        try:
            value = resolve(self._setting_reader)(key)
        except Exception:  # no database open (command line before login, tests)
            return default
        return default if value is None else value

    def _require(self) -> None:
        if not self.ready:
            raise NotRegistered("civdesk.domains.register_all() was not called at start-up")


registry = Registry()


def describe() -> dict[str, Any]:
    """A summary for diagnostics (the about box, tests); imports nothing."""
    return {"synced": sorted(registry._synced.entries), "local": sorted(registry._local.entries),
            "due_providers": len(registry._due), "calendar_providers": len(registry._calendar),
            "decided_checks": sorted(registry._decided)}
