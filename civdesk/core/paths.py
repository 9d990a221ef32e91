"""Where CivDesk keeps its files: the user's data folder, or ``data/`` beside main.py (portable)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
DB_FILENAME = "civdesk.sqlite3"


def portable_data_dir() -> Path | None:
    """A ``data`` folder beside main.py turns on portable mode (everything on the USB stick)."""
    candidate = ROOT / "data"
    return candidate if candidate.is_dir() else None


def data_dir() -> Path:
    return portable_data_dir() or platformdirs.user_data_path("CivDesk", appauthor=False)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME
