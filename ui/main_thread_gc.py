"""Python's cyclic garbage collector run on the GUI thread only.

Left to itself, Python collects garbage in whichever thread happens to allocate when a
generation's threshold is crossed — often a background job (ui/tasks.py). A collection there
can free a Qt object that lives on the GUI thread, and Qt then crashes the whole process
(seen as "Fatal Python error: Segmentation fault … Garbage-collecting" inside a job). So the
automatic collector is switched off and the GUI thread collects, generation by generation
with Python's own thresholds, on a timer and whenever someone calls ``collect_if_due``.
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500

_installed: GarbageCollector | None = None


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start(interval_ms)

    def collect_if_due(self) -> int:
        return collect_if_due(self.thresholds)


def collect_if_due(thresholds: tuple[int, ...] | None = None) -> int:
    """Collect the generations whose counts passed their thresholds (on the GUI thread only);
    return the number of objects freed."""
    if threading.current_thread() is not threading.main_thread():
        return 0
    thresholds = thresholds or gc.get_threshold()
    counts = gc.get_count()
    freed = 0
    for generation in range(3):
        if counts[generation] <= thresholds[generation]:
            break
        freed += gc.collect(generation)
    return freed


def install(app: QObject) -> GarbageCollector:
    """Collect on the GUI thread from now on (once per process; the collector lives with ``app``)."""
    global _installed
    if _installed is None:
        _installed = GarbageCollector(app)
    return _installed


def installed() -> GarbageCollector | None:
    return _installed
