"""The one place where every domain registers its tables and hooks (see core.registry).

Called once at start-up by the GUI, the command line, the tests and the benchmarks, before a
database is opened. Adding a domain means adding it to ``DOMAINS``. A domain's ``register``
names its modules by import path and imports none of them: the start-up stays as quick as a
bare window, and each domain's models and services load when first used.
"""

from __future__ import annotations

import importlib

from civdesk.core.registry import Registry, registry

DOMAINS = ("office", "calendar", "volunteers", "units", "nominations", "notices", "sync", "supervision", "hotline",
           "activities", "documents")


def register_all() -> Registry:
    if registry.ready:
        return registry
    registry.add_synced_tables("civdesk.core.audit_log", {"audit_entry": "AuditEntry"})
    registry.add_local_tables("civdesk.core.meta", {"local_meta": "LocalMeta", "change_log": "ChangeLog",
                                                    "sync_conflict": "SyncConflict"})
    for name in DOMAINS:
        importlib.import_module(f"civdesk.{name}").register(registry)
    registry.ready = True
    return registry
