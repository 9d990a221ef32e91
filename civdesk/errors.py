"""Errors the core raises; each carries a Chinese message fit to show a clerk as it is."""

from __future__ import annotations


class CivDeskError(Exception):
    """Base of every error a user may see; ``str(err)`` is the Chinese message."""


class PermissionDenied(CivDeskError):
    pass


class NotFound(CivDeskError):
    pass


class ReadOnlyError(CivDeskError):
    pass


class AuthError(CivDeskError):
    pass


class DatabaseError(CivDeskError):
    pass


class DatabaseBusy(DatabaseError):
    """Another CivDesk process holds the writer lock of this database."""


class DatabaseDamaged(DatabaseError):
    """The file is not a readable CivDesk database (corrupt, truncated or foreign)."""
