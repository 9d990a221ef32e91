"""Shared helpers for the benchmark scripts: timing, medians, a printed table of ratios."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from civdesk.domains import register_all  # noqa: E402

register_all()


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(rows: list[tuple[str, float, str, float, str]]) -> None:
    """rows: (what, ours, unit, baseline, baseline description) — printed with the ratio."""
    print(f"{'measure':40} {'ours':>12} {'baseline':>12} {'ratio':>8}  baseline is")
    for what, ours, unit, base, base_what in rows:
        ratio = ours / base if base else float("nan")
        print(f"{what:40} {ours:>10.3f}{unit:>2} {base:>10.3f}{unit:>2} {ratio:>7.2f}x  {base_what}")
