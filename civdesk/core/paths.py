"""Where CivDesk keeps its files: the user's data folder, or ``data/`` beside the program (portable).

Resources (style sheet, fonts list, default settings, icons) are package data of ``civdesk``
(civdesk/resources/), read through importlib.resources so that a source checkout, an installed
package and the PyInstaller bundle all find them.
"""

from __future__ import annotations

import ntpath
import os
import sys
import tempfile
import time
from importlib import resources as _resources
from pathlib import Path

import platformdirs

ROOT = Path(__file__).resolve().parents[2]   # the source tree (or the bundle's _internal folder)
RESOURCES = Path(str(_resources.files("civdesk").joinpath("resources")))
DB_FILENAME = "civdesk.sqlite3"
APP_NAME = "CivDesk"


def resource_text(name: str) -> str:
    """A text resource (UTF-8), e.g. ``resource_text("fonts.json")``."""
    return _resources.files("civdesk").joinpath("resources", *name.split("/")).read_text(encoding="utf-8")


def frozen() -> bool:
    """True in the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def program_dir() -> Path:
    """The folder the user sees the program in: beside the .exe in the bundle, main.py's otherwise."""
    return Path(sys.executable).resolve().parent if frozen() else ROOT


def program_name() -> str:
    """How a user types the command line: ``civdesk`` in the bundle, ``python -m civdesk`` otherwise."""
    return "civdesk" if frozen() else "python -m civdesk"


def writable(folder: Path) -> bool:
    """Can a file be created (and removed) in *folder*? Asked by trying, as ACLs, read-only
    media and Program Files' virtualisation make permission bits unreliable."""
    try:
        fd, name = tempfile.mkstemp(prefix=".civdesk-write-test-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    try:
        os.remove(name)
    except OSError:
        pass
    return True


def portable_candidate() -> Path | None:
    """A ``data`` folder beside the program (main.py, or CivDesk.exe in the bundle), if there is one."""
    candidate = program_dir() / "data"
    return candidate if candidate.is_dir() else None


def portable_data_dir() -> Path | None:
    """The ``data`` folder beside the program turns on portable mode, if it can be written."""
    candidate = portable_candidate()
    return candidate if candidate is not None and writable(candidate) else None


def portable_problem() -> str:
    """Why a ``data`` folder beside the program is not used (empty when there is none or it is used)."""
    candidate = portable_candidate()
    if candidate is None or writable(candidate):
        return ""
    return (f"便携模式的数据文件夹「{candidate}」无法写入（只读的 U 盘或程序文件夹？），"
            f"数据改存到本机数据文件夹「{user_data_dir()}」。")


def user_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    return portable_data_dir() or user_data_dir()


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def sqlite_uri(path: str | os.PathLike, *, mode: str = "ro", windows: bool | None = None) -> str:
    """A ``file:`` URI for SQLite with every character of *path* quoted (``#``, ``?``, ``%``, spaces,
    Chinese), a drive letter kept and a UNC path (``\\\\server\\share\\…``) given an empty authority.

    *windows* reads *path* as a Windows path on any system (tests); default: this system's kind.
    """
    here_nt = os.name == "nt"
    windows = here_nt if windows is None else windows
    raw = os.fspath(path)
    if windows == here_nt:
        import urllib.request  # here, not at the top: it pulls in http and ssl (~40 ms of every start)

        to_url = urllib.request.pathname2url
    else:  # a Windows path read on Linux (tests): the function urllib.request uses on Windows
        import nturl2path
        to_url = nturl2path.pathname2url
    body = to_url(raw).lstrip("/")
    unc = windows and ntpath.splitdrive(raw)[0][:2] in ("\\\\", "//")
    return f"file:{'////' if unc else '///'}{body}?mode={mode}"


def replace(source: str | os.PathLike, target: str | os.PathLike, *, attempts: int = 5,
            delay: float = 0.1) -> None:
    """``os.replace`` that waits briefly when the file is held: on Windows a virus scanner or the
    indexer opens a file just written and the rename fails with a sharing violation for a moment."""
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(delay * (attempt + 1))
