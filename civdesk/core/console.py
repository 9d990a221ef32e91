"""Console output in UTF-8 on every system.

On Chinese Windows, output redirected to a file or a pipe would be written in the ANSI code page
(cp936), and a name outside GBK (a rare character) would raise UnicodeEncodeError in the middle of
a listing or a --json document. The command line and the program call ``use_utf8_output()`` first.
"""

from __future__ import annotations

import sys


def use_utf8_output() -> None:
    """Write stdout and stderr as UTF-8 (an interactive Windows console shows it correctly too)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None when replaced (pythonw: None; tests: StringIO)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")
