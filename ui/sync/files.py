"""The package files on a USB stick as the sync page lists them: which are there, who made them
for whom and when (read from the name the core gave them), and how big they are."""

from __future__ import annotations

from pathlib import Path

from civdesk.sync import exchange, package


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def package_files(folder: Path) -> list[Path]:
    """The sync packages directly in *folder*, newest first."""
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() == package.SUFFIX and p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def describe_file_name(name: str, modified: str) -> dict[str, str]:
    """Sender, receiver and time of a package as its name says; a renamed file still lists, by
    its name and *modified* time."""
    parsed = exchange.parse_file_name(name)
    if parsed is None:
        return {"source": "", "receiver": "", "made": modified}
    return {"source": parsed.source, "receiver": parsed.receiver or "任何电脑（完整）",
            "made": parsed.made.strftime("%Y-%m-%d %H:%M")}
