"""The words of 公示: objection outcomes and what a notice is about. Plain data the screens and
the services share; the tables are in models.py."""

from __future__ import annotations

OUTCOMES = {"pending": "待核实", "upheld": "异议成立", "dismissed": "异议不成立"}
SUBJECTS = {"unit": "文明单位创建", "nomination": "身边好人/道德模范评选"}
