"""Hybrid logical clock: timestamps that sort as text across PCs.

A clock value looks like ``0001732881234567-00000-<node id>``: physical milliseconds, a counter
for events within one millisecond (or when the wall clock stepped back), and the node that made
it. Comparing two values as strings compares them in causal-then-node order, which is what the
merge needs to pick the same provisional winner on every PC.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

_MS_DIGITS = 16
_COUNTER_DIGITS = 5
_COUNTER_MAX = 10**_COUNTER_DIGITS - 1


@dataclass(frozen=True, order=True)
class Stamp:
    ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.ms:0{_MS_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        try:
            ms, counter, node = text.split("-", 2)
            if len(ms) != _MS_DIGITS or len(counter) != _COUNTER_DIGITS or not node:
                raise ValueError
            return cls(int(ms), int(counter), node)
        except ValueError:
            raise ValueError(f"时钟值格式不正确：{text!r}") from None


class HybridClock:
    """Thread-safe HLC for one node; ``now()`` is strictly increasing within a process."""

    def __init__(self, node_id: str, last: str | None = None, wall=None):
        if not node_id or "-" in node_id:
            raise ValueError("节点编号不能为空，也不能含有连字符")
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
