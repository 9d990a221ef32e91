"""One contract for long work (imports, exports, reports, sync), after Anki's ``QueryOp``.

A job is a plain function of the core that takes ``progress`` (a :data:`Progress` callback or
None) and ``cancelled`` (a callable that says whether the user pressed 取消, or None) as keyword
arguments. It reports through a :class:`Ticker`, which passes at most ten updates a second on and
raises :class:`Cancelled` once ``cancelled()`` turns true. The GUI runs it off the GUI thread
with ``ui.tasks.run_task``, which opens the job's own database connection with
:func:`own_connection`; a job never opens one itself and never touches a widget. The command
line calls the same function directly, with a printed progress or none.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from civdesk.core.errors import CivDeskError

Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]

UPDATES_PER_SECOND = 10


class Cancelled(CivDeskError):
    """The user cancelled: nothing was written (every job keeps its writes in one transaction or
    writes its file through a temporary name)."""

    def __init__(self, message: str = "已取消，没有保存任何内容。"):
        super().__init__(message)


def check(cancelled: CancelCheck | None, message: str | None = None) -> None:
    """Raise :class:`Cancelled` when the user asked to stop."""
    if cancelled is not None and cancelled():
        raise Cancelled(message) if message else Cancelled()


class Ticker:
    """Reports *done* of *total* at most ten times a second (and always the last step), and
    checks for cancellation on every call."""

    def __init__(self, progress: Progress | None, total: int, text: str = "",
                 cancelled: CancelCheck | None = None, *, cancel_message: str | None = None):
        self.progress, self.total, self.text, self.cancelled = progress, total, text, cancelled
        self.cancel_message = cancel_message
        self._last = 0.0

    def __call__(self, done: int, text: str | None = None) -> None:
        check(self.cancelled, self.cancel_message)
        if self.progress is None:
            return
        now = time.monotonic()
        if now - self._last >= 1 / UPDATES_PER_SECOND or done >= self.total:
            self._last = now
            self.progress(done, self.total, text or self.text)


@contextlib.contextmanager
def own_connection() -> Iterator[None]:
    """The job's own database connection for the thread it runs on, closed when it ends.

    Without an open database (a job that creates one, such as the demo) there is nothing to
    connect to, and the job runs as it is."""
    from civdesk.core import db

    if db.database.deferred:
        yield
        return
    with db.worker_connection():
        yield
