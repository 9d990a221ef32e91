"""Garbage is collected on the GUI thread only (ui/main_thread_gc.py)."""

from __future__ import annotations

import gc
import threading

from ui import main_thread_gc


class _Cycle:
    def __init__(self):
        self.me = self


def test_the_app_switches_automatic_collection_off_and_collects_on_the_gui_thread(qapp):
    collector = main_thread_gc.install(qapp)
    assert not gc.isenabled()
    assert main_thread_gc.installed() is collector
    gc.collect()
    for _ in range(collector.thresholds[0] + 50):
        _Cycle()
    assert gc.get_count()[0] > collector.thresholds[0]
    assert collector.collect_if_due() > 0
    assert gc.get_count()[0] < collector.thresholds[0]


def test_a_background_thread_never_collects(qapp):
    main_thread_gc.install(qapp)
    gc.collect()
    for _ in range(2000):
        _Cycle()
    before = gc.get_count()[0]
    freed: list[int] = []
    worker = threading.Thread(target=lambda: freed.append(main_thread_gc.collect_if_due()))
    worker.start()
    worker.join()
    assert freed == [0]
    assert gc.get_count()[0] >= before
    main_thread_gc.collect_if_due()


def test_create_application_installs_the_collector():
    from ui.app import create_application

    app = create_application()
    assert main_thread_gc.installed() is not None
    assert main_thread_gc.installed().parent() is app
