"""What the GUI knows after login: who is acting, on which database, and how."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from civdesk.core.actor import Actor


@dataclass
class Session:
    actor: Actor
    db_path: Path
    read_only: bool = False
    read_only_reason: str = ""
    demo: bool = False
