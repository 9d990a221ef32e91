"""Hybrid logical clock: timestamps that sort as text across PCs.

A clock value looks like ``0001732881234567-00000-<node id>``: physical milliseconds, a counter
for events within one millisecond (or when the wall clock stepped back), and the node that made
it. Comparing two values as strings compares them in causal-then-node order, which is what the
merge needs to pick the same provisional winner on every PC.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

_MS_DIGITS = 16
_COUNTER_DIGITS = 5
_COUNTER_MAX = 10**_COUNTER_DIGITS - 1
# Stamps are compared as text, so only the canonical form is accepted (no "+1", no full-width).
_CANONICAL = re.compile(rf"[0-9]{{{_MS_DIGITS}}}-[0-9]{{{_COUNTER_DIGITS}}}-[0-9A-Za-z_]+")


@dataclass(frozen=True, order=True)
class Stamp:
    ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.ms:0{_MS_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        if not isinstance(text, str) or not _CANONICAL.fullmatch(text):
            raise ValueError(f"时钟值格式不正确：{text!r}")
        ms, counter, node = text.split("-", 2)
        return cls(int(ms), int(counter), node)


class HybridClock:
    """Thread-safe HLC for one node; ``now()`` is strictly increasing within a process."""

    def __init__(self, node_id: str, last: str | None = None, wall=None):
        if not re.fullmatch(r"[0-9A-Za-z_]+", node_id or ""):
            raise ValueError("节点编号只能由字母、数字和下划线组成")
        self.node_id = node_id
        self._wall = wall or (lambda: int(time.time() * 1000))
        self._lock = threading.Lock()
        self._ms, self._counter = 0, 0
        if last:
            self.observe(last)

    def now(self) -> str:
        with self._lock:
            wall = self._wall()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._bump()
            return str(Stamp(self._ms, self._counter, self.node_id))

    def stamps(self, count: int) -> list[str]:
        """*count* successive :meth:`now` values at once (a bulk import stamps every row)."""
        out: list[str] = []
        with self._lock:
            wall = self._wall()
            ms, counter = (wall, -1) if wall > self._ms else (self._ms, self._counter)
            node = self.node_id
            for _ in range(count):
                if counter >= _COUNTER_MAX:
                    ms, counter = ms + 1, 0
                else:
                    counter += 1
                out.append(f"{ms:0{_MS_DIGITS}d}-{counter:0{_COUNTER_DIGITS}d}-{node}")
            if out:
                self._ms, self._counter = ms, counter
        return out

    def observe(self, remote: str) -> None:
        """Move past a clock value seen elsewhere, so later local stamps sort after it."""
        stamp = Stamp.parse(remote)
        with self._lock:
            if (stamp.ms, stamp.counter) >= (self._ms, self._counter):
                self._ms, self._counter = stamp.ms, stamp.counter

    def _bump(self) -> None:
        if self._counter >= _COUNTER_MAX:
            self._ms, self._counter = self._ms + 1, 0
        else:
            self._counter += 1
