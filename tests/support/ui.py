"""Small readers of what GUI tests look at: the navigation list and a list model's column."""

from __future__ import annotations


def nav_titles(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def column(model, key: str) -> list:
    col = [c.key for c in model.columns].index(key)
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]
