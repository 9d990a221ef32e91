"""The one helper for long work off the GUI thread.

Usage::

    def work(ctx, path):
        for i, row in enumerate(rows):  # on its own database connection (see below)
            ctx.check_cancelled()
            ...
            ctx.progress(i + 1, len(rows), "正在导入…")
        return summary

    run_task(self, "导入志愿者", work, path, on_done=self.show_summary)

Rules for the work function ``fn(ctx, *args, **kwargs)``:

* It runs on a ``QThreadPool`` thread, inside ``civdesk.core.jobs.own_connection()``: the
  job gets a database connection of its own, closed when it ends (SQLite connections must
  not be shared across threads, and the GUI keeps using its own). It never opens one itself.
* It must never touch widgets. Everything it reports travels by queued Qt signals and is
  handled on the GUI thread: ``on_done(result)``, ``on_error(message)`` and the signals
  of :class:`TaskSignals` (re-emitted on the GUI thread, safe to connect to anything).
* ``ctx.progress(done, total, text)`` may be called as often as convenient; at most about
  ten updates a second reach the GUI, and the final ``done >= total`` one always does.
* Cancelling only sets a flag; the function must poll ``ctx.cancelled`` or call
  ``ctx.check_cancelled()`` (raises :class:`civdesk.core.jobs.Cancelled`) at safe points, typically
  between transactions. If it returns normally despite a cancel request, the work did
  complete, so it is reported as finished, not cancelled.
* Any exception is caught and turned into a Chinese message for ``on_error`` (default: a
  warning box); the traceback goes to the log. The application never crashes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from civdesk.core.jobs import Cancelled, own_connection

__all__ = ["TaskContext", "TaskHandle", "TaskSignals", "run_task", "running_tasks"]

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1
MIN_DURATION_MS = 500
# Qt signal ints are 32-bit; byte counts of big exports would overflow them.
_INT_MAX = 2**31 - 1

# Handles stay here until their result has been delivered, so neither the Python
# wrappers nor their QObjects are collected while a worker still emits through them.
_running: set[TaskHandle] = set()


class TaskSignals(QObject):
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    progress = Signal(int, int, str)


class TaskContext:
    """What the work function gets: throttled progress and the cancel flag."""

    def __init__(self, signals: TaskSignals, cancel_event: threading.Event,
                 interval_s: float = PROGRESS_INTERVAL_S):
        self._signals = signals
        self._cancel = cancel_event
        self._interval = interval_s
        self._last_time = float("-inf")
        self._last_sent: tuple[int, int, str] | None = None
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int, text: str = "") -> None:
        done, total = int(done), int(total)
        if total > _INT_MAX:
            scale = total / _INT_MAX
            done, total = int(done / scale), _INT_MAX
        done = max(0, min(done, _INT_MAX))
        final = total > 0 and done >= total
        update = (done, total, text or "")
        now = time.monotonic()
        with self._lock:
            if update == self._last_sent:
                return
            if not final and now - self._last_time < self._interval:
                return
            self._last_time = now
            self._last_sent = update
        self._signals.progress.emit(*update)


class _Worker(QRunnable):
    def __init__(self, fn: Callable, args: tuple, kwargs: dict, ctx: TaskContext,
                 signals: TaskSignals, title: str, done_event: threading.Event):
        super().__init__()
        # The pool must not delete us: the handle owns this object's lifetime.
        self.setAutoDelete(False)
        self._call = (fn, args, kwargs)
        self._ctx = ctx
        self._signals = signals
        self._title = title
        self._done_event = done_event

    def run(self) -> None:
        fn, args, kwargs = self._call
        ctx, signals = self._ctx, self._signals
        # Drop our references so the QObject is always destroyed on the GUI thread,
        # which owns it, and never here.
        self._call = self._ctx = self._signals = None
        try:
            with own_connection():
                result = fn(ctx, *args, **kwargs)
        except Cancelled:  # the job's own (core) check or ctx.check_cancelled()
            signals.cancelled.emit()
        except BaseException as exc:  # a worker must never take the app down
            log.exception("后台任务“%s”出错", self._title)
            signals.failed.emit(_error_message(self._title, exc))
        else:
            signals.finished.emit(result)
        finally:
            del fn, args, kwargs, ctx, signals
            self._done_event.set()


def _error_message(title: str, exc: BaseException) -> str:
    detail = str(exc).strip() or type(exc).__name__
    return f"{title}失败：{detail}"


class _ProgressDialog(QProgressDialog):
    """A progress dialog that can be told not to close on Esc or the title-bar button."""

    def __init__(self, title: str, cancellable: bool, parent: QWidget | None):
        super().__init__(f"{title}，请稍候…", "取消" if cancellable else "", 0, 0, parent)
        if not cancellable:
            self.setCancelButton(None)
        self._cancellable = cancellable
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(MIN_DURATION_MS)
        # We close it ourselves when the worker reports; Qt must not do so at 100 %.
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(380)

    def reject(self) -> None:
        if self._cancellable:
            super().reject()

    def closeEvent(self, event) -> None:
        if self._cancellable:
            super().closeEvent(event)
        else:
            event.ignore()


class TaskHandle(QObject):
    """A running task. ``signals`` re-emits the worker's results on the GUI thread."""

    def __init__(self, parent_widget: QWidget | None, title: str,
                 on_done: Callable[[Any], None] | None,
                 on_error: Callable[[str], None] | None,
                 show_progress: bool, cancellable: bool):
        super().__init__()
        self.title = title
        self.signals = TaskSignals()
        self._parent_widget = parent_widget
        self._on_done = on_done
        self._on_error = on_error
        self._cancel_event = threading.Event()
        self._worker_done = threading.Event()
        self._delivered = False
        self._worker_signals = TaskSignals()
        self.context = TaskContext(self._worker_signals, self._cancel_event)
        self._dialog: _ProgressDialog | None = None
        self._cancel_connected = False
        if show_progress:
            self._dialog = _ProgressDialog(title, cancellable, parent_widget)
            if cancellable:
                self._dialog.canceled.connect(self.cancel)
                self._cancel_connected = True
            # QProgressDialog only shows itself from setValue(); tasks that report no
            # progress still need the dialog, so we show it ourselves after the delay.
            QTimer.singleShot(MIN_DURATION_MS, self, self._show_dialog)
        queued = Qt.ConnectionType.QueuedConnection
        self._worker_signals.progress.connect(self._handle_progress, queued)
        self._worker_signals.finished.connect(self._handle_finished, queued)
        self._worker_signals.failed.connect(self._handle_failed, queued)
        self._worker_signals.cancelled.connect(self._handle_cancelled, queued)
        self._runnable: _Worker | None = None

    # -- public -------------------------------------------------------------------

    @property
    def is_cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        """The dialog while the task runs (None without one or once it has closed)."""
        return self._dialog if self._dialog_alive() else None

    @property
    def is_done(self) -> bool:
        """True once the outcome has been delivered on the GUI thread."""
        return self._delivered

    def cancel(self) -> None:
        if self._delivered or self._cancel_event.is_set():
            return
        self._cancel_event.set()
        if self._dialog_alive():
            self._dialog.setLabelText("正在取消，请稍候…")

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the outcome is delivered (mainly for tests and shutdown).

        On the GUI thread this keeps processing events, because delivery itself needs
        the event loop; on any other thread it can only wait for the worker to end.
        Returns False on timeout.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        app = QCoreApplication.instance()
        on_gui_thread = app is not None and QThread.currentThread() == app.thread()
        while not self._delivered:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if on_gui_thread:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                if not self._delivered:
                    self._worker_done.wait(min(remaining, 0.005))
            else:
                return self._worker_done.wait(remaining)
        return True

    # -- GUI-thread slots ------------------------------------------------------------

    def _start(self, fn: Callable, args: tuple, kwargs: dict) -> None:
        self._runnable = _Worker(fn, args, kwargs, self.context, self._worker_signals,
                                 self.title, self._worker_done)
        _running.add(self)
        QThreadPool.globalInstance().start(self._runnable)

    def _dialog_alive(self) -> bool:
        return self._dialog is not None and shiboken6.isValid(self._dialog)

    @Slot(int, int, str)
    def _handle_progress(self, done: int, total: int, text: str) -> None:
        if self._delivered:
            return
        self.signals.progress.emit(done, total, text)
        dialog = self._dialog
        if self._delivered or not self._dialog_alive() or self._cancel_event.is_set():
            return
        if text:
            dialog.setLabelText(text)
        if total > 0:
            if dialog.maximum() != total:
                dialog.setRange(0, total)
            # Last: on a visible modal dialog setValue() processes events, so the
            # outcome may be delivered (and the dialog closed) inside this call.
            dialog.setValue(min(done, total))

    @Slot()
    def _show_dialog(self) -> None:
        if not self._delivered and self._dialog_alive():
            self._dialog.show()

    def _parent_gone(self) -> bool:
        """The widget that asked for the work was deleted meanwhile (a page or window closed while
        its job ran): its callbacks must not run on a dead object."""
        return self._parent_widget is not None and not shiboken6.isValid(self._parent_widget)

    @Slot(object)
    def _handle_finished(self, result: object) -> None:
        self._finish()
        if self._on_done is not None and not self._parent_gone():
            self._on_done(result)
        self.signals.finished.emit(result)

    @Slot(str)
    def _handle_failed(self, message: str) -> None:
        self._finish()
        if self._on_error is not None:
            if not self._parent_gone():
                self._on_error(message)
        else:
            parent = self._parent_widget
            if parent is not None and not shiboken6.isValid(parent):
                parent = None
            QMessageBox.warning(parent, self.title, message)
        self.signals.failed.emit(message)

    @Slot()
    def _handle_cancelled(self) -> None:
        self._finish()
        self.signals.cancelled.emit()

    def _finish(self) -> None:
        self._delivered = True
        if self._dialog_alive():
            if self._cancel_connected:
                self._dialog.canceled.disconnect(self.cancel)
            self._dialog.hide()
            self._dialog.deleteLater()
        self._dialog = None
        # The worker sets this right after its last emit; waiting keeps the final
        # release of its objects on this thread.
        self._worker_done.wait(5)
        self._runnable = None
        _running.discard(self)


def run_task(parent: QWidget | None, title: str, fn: Callable[..., Any], *args: Any,
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None,
             show_progress: bool = True, cancellable: bool = True,
             **kwargs: Any) -> TaskHandle:
    """Run ``fn(ctx, *args, **kwargs)`` on the thread pool; see the module docstring."""
    handle = TaskHandle(parent, title, on_done, on_error, show_progress, cancellable)
    handle._start(fn, args, kwargs)
    return handle


def running_tasks() -> list[TaskHandle]:
    """Tasks whose outcome has not been delivered yet (e.g. to ask before quitting)."""
    return list(_running)
