"""The columns every synced table has; see core/models.py for what they mean. Frozen: the
steps that use it were shipped with exactly this text."""

from __future__ import annotations

SYNC_COLUMNS = """
    id TEXT NOT NULL PRIMARY KEY,
    scope TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    clock TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
"""
