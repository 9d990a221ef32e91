"""Files from the database opened with another program (a 文明创建 attachment, a photo): written
to one temporary folder that belongs to CivDesk, under a cleaned name, and emptied at start.

A file name in a record came from another PC through a sync package, so it is never trusted as a
path: only its last part is kept, characters Windows does not allow in names (``:`` would make an
NTFS alternate stream) and control characters are replaced, reserved device names (CON, NUL, COM1
…) are prefixed, and the length is bounded. A name already there gets a number.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import platformdirs

_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$", re.IGNORECASE)
MAX_NAME = 120


def folder() -> Path:
    """The one app-owned folder (CIVDESK_OPEN_DIR overrides it, for tests)."""
    override = os.environ.get("CIVDESK_OPEN_DIR")
    return Path(override) if override else platformdirs.user_cache_path("CivDesk", appauthor=False) / "opened"


def clean_name(name: str, default: str = "附件") -> str:
    last = re.split(r"[/\\]", str(name or ""))[-1]
    cleaned = _NOT_IN_NAMES.sub("_", last).strip().rstrip(". ").lstrip(".")
    if not cleaned.strip("_ "):
        cleaned = default
    if _RESERVED.match(cleaned):
        cleaned = "_" + cleaned
    if len(cleaned) > MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        suffix = suffix if dot and len(suffix) <= 10 else ""
        cleaned = (stem if dot else cleaned)[:MAX_NAME - len(suffix) - 1] + ("." + suffix if suffix else "")
    return cleaned


def place_for(name: str) -> Path:
    """A path in the folder for a file named *name* (cleaned); nothing is written yet."""
    home = folder()
    home.mkdir(parents=True, exist_ok=True)
    cleaned = clean_name(name)
    target = home / cleaned
    stem, suffix = Path(cleaned).stem, Path(cleaned).suffix
    number = 2
    while target.exists():
        target = home / f"{stem} ({number}){suffix}"
        number += 1
    assert target.resolve().parent == home.resolve()
    return target


def empty_folder() -> int:
    """At start: remove what earlier runs opened (a file still open in a viewer stays). Returns
    how many entries were removed."""
    home = folder()
    removed = 0
    if not home.is_dir():
        return 0
    for entry in home.iterdir():
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except OSError:
            continue
    return removed
