"""Keep None, True and False alive under PySide6 6.12's reference-count bug.

PySide6 6.12 releases what a Python slot returns once too often: every call of a slot from a Qt
signal takes one off None's reference count (measured: 2,000 header resizes, exactly 2,000
fewer), and an event filter's answer off True's or False's. In a long session the count reaches
zero and the program aborts ("Fatal Python error: none_dealloc" / "bool_dealloc"), or memory is
corrupted first and a later garbage collection crashes. CPython 3.12 makes these objects immortal;
on 3.11 (what we ship) their counts are raised far out of reach once, at start-up.
"""

from __future__ import annotations

import ctypes
import sys

RAISE_BY = 1 << 40  # a trillion slot calls: beyond any session's reach, far from overflowing

_done = False


def protect_singletons() -> bool:
    """Raise the counts once per process (CPython before 3.12 only); True when it did."""
    global _done
    if _done or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += RAISE_BY
    _done = True
    return True
