"""Leaving the GUI process without Python's finalization.

PySide6 6.12 can abort while the interpreter finalizes, after everything of ours has closed
("Fatal Python error: none_dealloc / bool_dealloc … Garbage-collecting": a reference-count error
in its C++ side). To a clerk that is a crash report on closing the window. So the GUI process
ends here: the per-PC settings are written, the ``atexit`` handlers and logging run as at a normal
exit, the streams are flushed, and the process leaves with its exit status before finalization.
Call it only once the database, the writer lock and the temporary folders are closed.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from typing import NoReturn

from PySide6.QtCore import QSettings


def leave(code: int) -> NoReturn:
    QSettings().sync()
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # windowed builds have no console
            pass
    os._exit(code)
