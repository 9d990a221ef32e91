"""The one place where every domain registers its tables and hooks (see core.registry).

Called once at start-up by the GUI, the command line, the tests and the benchmarks, before a
database is opened. Adding a domain means adding it to ``DOMAINS``.
"""

from __future__ import annotations

import importlib

from civdesk.core.registry import Registry, registry

DOMAINS = ("office", "calendar", "volunteers", "units", "nominations", "notices", "sync", "supervision", "hotline",
           "activities")


def register_all() -> Registry:
    if registry.ready:
        return registry
    from civdesk.core import audit_log, meta

    registry.add_synced(audit_log.AuditEntry)
    registry.add_local(meta.LocalMeta, meta.ChangeLog, meta.SyncConflict)
    for name in DOMAINS:
        importlib.import_module(f"civdesk.{name}").register(registry)
    registry.ready = True
    return registry
