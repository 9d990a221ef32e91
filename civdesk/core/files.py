"""Writing a file the user asked for: through a temporary file in the same folder, renamed at
the end, so a cancelled or failed export never takes the place of a good file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from civdesk.core.errors import CivDeskError
from civdesk.core.paths import replace

T = TypeVar("T")


def _umask() -> int:
    """The process umask, read without changing it (os.umask sets it, racing other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _give_normal_mode(tmp: str) -> None:
    """mkstemp made the file 0600; the finished PDF gets the mode any new file gets (0o666 & ~umask)."""
    try:
        os.chmod(tmp, 0o666 & ~_umask())
    except OSError:
        pass  # FAT/exFAT (USB sticks) refuse chmod: the mount options decide there anyway


def save_atomically(path: str | Path, write: Callable[[str], T], *, suffix: str = ".pdf",
                    opened_in: str = "PDF 阅读器或 WPS", error: type[CivDeskError] = CivDeskError) -> T:
    """Run ``write(temporary path)`` in the target folder, then rename: a half-written or
    cancelled file never takes the place of a good one."""
    path = Path(path)
    name = path.name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~civdesk-", suffix=suffix, dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise error(f"无法在「{path.parent}」中保存「{name}」：{exc.strerror or exc}。请换一个文件夹。") from exc
    try:
        result = write(tmp)
        _give_normal_mode(tmp)
        replace(tmp, path)
        return result
    except PermissionError as exc:
        raise error(f"无法保存「{name}」：文件可能正在 {opened_in} 中打开，请关闭后重试，或换一个文件名。") from exc
    except OSError as exc:
        raise error(f"无法保存「{name}」：{exc.strerror or exc}（U 盘是否已拔出或已满？）") from exc
    finally:
        try:
            if os.path.exists(tmp):
                os.remove(tmp)
        except OSError:  # held by a scanner: a stray temporary file must not hide the real error
            pass
