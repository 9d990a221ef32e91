"""Switching back to a page reloads it only when something was written since (or the day turned)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from civdesk.core import db
from civdesk.office import offices
from ui.main_window import MainWindow
from ui.session import Session


def test_a_page_reloads_only_after_a_write(qtbot, admin, tmp_path):
    window = MainWindow(Session(admin, db.state.path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.show_page("volunteers")
    page = window.pages["volunteers"]
    shown = []
    page.on_shown = lambda: shown.append(1)
    window.show_page("home")
    window.show_page("volunteers")
    assert shown == [], "nothing was written: the list stays as it is"
    offices.add_village(admin, "新村")
    window.show_page("home")
    window.show_page("volunteers")
    assert shown == [1]
    window.refresh_current_page()  # an explicit refresh always reloads
    window.show_page("volunteers")  # as does asking for the page it is on
    assert shown == [1, 1, 1]
    window.show_page("sync")  # shows more than the database (the stick's packages): every visit
    sync_page, visits = window.pages["sync"], []
    sync_page.on_shown = lambda: visits.append(1)
    window.show_page("home")
    window.show_page("sync")
    assert visits == [1]
