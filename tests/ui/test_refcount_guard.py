"""None, True and False are kept alive under PySide6 6.12's reference-count bug (ui/refcount_guard.py)."""

from __future__ import annotations

import sys

from ui import refcount_guard


def test_the_counts_are_out_of_reach_once_per_process():
    if sys.version_info >= (3, 12):  # immortal there: nothing to do
        assert not refcount_guard.protect_singletons()
        return
    for singleton in (None, True, False):
        assert sys.getrefcount(singleton) > refcount_guard.RAISE_BY // 2
    before = sys.getrefcount(None)
    assert not refcount_guard.protect_singletons(), "raised twice"
    assert abs(sys.getrefcount(None) - before) < 1000


def test_create_application_guards_the_app(monkeypatch):
    calls = []
    monkeypatch.setattr(refcount_guard, "protect_singletons", lambda: calls.append(1) or False)
    from ui.app import create_application

    create_application()
    assert calls == [1]
