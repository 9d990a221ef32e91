"""Fixtures shared by the GUI tests."""

import pytest


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    """Modal message boxes would hang an offscreen run; record them instead."""
    from PySide6.QtWidgets import QMessageBox

    shown = []
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, _n=name: shown.append((_n, a))))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: shown.append(("question", a)) or QMessageBox.StandardButton.Yes))
    return shown
