"""The checks of a login (a password, a recovery key) in the background.

They are slow on purpose (scrypt: ~0.4 s to unlock an encrypted database's key, a new password's
slot as long; a plain database's first login also backs it up and encrypts it), so they run
through ``run_task`` while the dialog says it is checking. The check may open, reopen or convert
the database on its worker thread: the GUI thread's connection is closed before it starts, the
worker's when it ends, and the GUI thread connects again at its next query."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from civdesk.core.errors import CivDeskError, DatabaseDamaged
from civdesk.office import maintenance
from ui.tasks import TaskHandle, run_task

Outcome = tuple[str, object]  # ("ok", result) or ("refused" | "damaged", the message as the core says it)


def _check_job(ctx, check: Callable, args: tuple) -> Outcome:
    try:
        return "ok", check(*args)
    except DatabaseDamaged as exc:
        return "damaged", str(exc)
    except CivDeskError as exc:
        return "refused", str(exc)
    finally:
        maintenance.release_connection()


def start(parent: QWidget, check: Callable, *args, on_outcome: Callable[[Outcome], None]) -> TaskHandle:
    """Run ``check(*args)`` on a worker thread; *on_outcome* gets its Outcome on the GUI thread
    (an unexpected error arrives as "refused" with run_task's message)."""
    maintenance.release_connection()
    return run_task(parent, "登录", _check_job, check, args, show_progress=False, cancellable=False,
                    on_done=on_outcome, on_error=lambda message: on_outcome(("refused", message)))
