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


class SyncRefused(CivDeskError):
    """A sync package that is not applied; ``code`` says why (for tests and the JSON output)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class UntrustedSigner(SyncRefused):
    """Signed by a PC no person has trusted yet: show its name and fingerprint and ask."""

    def __init__(self, message: str, *, node_id: str, node_name: str, office_name: str, fingerprint: str):
        super().__init__(message, "untrusted")
        self.node_id, self.node_name = node_id, node_name
        self.office_name, self.fingerprint = office_name, fingerprint


class AlreadyApplied(SyncRefused):
    def __init__(self, message: str):
        super().__init__(message, "already_applied")
