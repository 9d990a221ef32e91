"""Fixtures shared by every GUI test: an office on a fresh database, its administrator, and main
windows on it with their own per-PC settings file.

A test module shapes the office with a marker instead of its own ``admin`` fixture::

    pytestmark = pytest.mark.office(villages=("红星村",), users=(CLERK, REVIEWER))

``villages`` are added, ``users`` get accounts (password Temp-1234x, no forced change); any other
keyword goes to the first-run setup (``office_name=``, ``admin_display_name=`` …). Helpers that
tests share live in tests/support/ (``ui.py`` for the GUI ones), never in another test module.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QSettings

from civdesk.core import db
from civdesk.office import accounts
from civdesk.office import offices as office
from tests.support.databases import admin_actor, copy_db, initialize, open_db, setup_request
from ui.main_window import MainWindow
from ui.session import Session

USER_PASSWORD = "Temp-1234x"


@pytest.fixture
def admin(request, tmp_path):
    """The administrator of a township office set up on a fresh database (left open)."""
    marker = request.node.get_closest_marker("office")
    options = dict(marker.kwargs) if marker else {}
    villages, users = options.pop("villages", ()), options.pop("users", ())
    path = tmp_path / "t.sqlite3"
    if options:
        actor = initialize(path, setup_request(**options))
    else:  # the usual office: copy the session's template (setting up derives keys with scrypt)
        copy_db(request.getfixturevalue("township_template"), path)
        open_db(path)
        actor = admin_actor()
    for name in villages:
        office.add_village(actor, name)
    for user in users:
        accounts.add_user(actor, user.username, user.display_name, user.role, USER_PASSWORD, must_change=False)
    yield actor
    db.close_database()


@pytest.fixture
def qsettings(tmp_path):
    """Per-PC settings (window state) in a file of this test's own."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, qsettings):
    """``make(actor, **session options)``: a main window on the open database, closed after the test."""
    def make(actor, **session_kw):
        window = MainWindow(Session(actor, db.state.path, **session_kw), qsettings)
        qtbot.addWidget(window)
        return window
    return make


@pytest.fixture(scope="session")
def supervision_demo_template(township_template, tmp_path_factory):
    """The township with the demo's organisations, applications and year of supervision, built
    once per run for the 督查 page tests (test_supervision_pages/_plans/_pairs)."""
    from civdesk.demo import foundation
    from civdesk.demo import supervision as supervision_demo
    from civdesk.demo import units as unit_demo

    path = tmp_path_factory.mktemp("supervision-demo") / "demo.sqlite3"
    copy_db(township_template, path)
    open_db(path)
    rng = random.Random(7)
    for step in (foundation.fill, unit_demo.fill, supervision_demo.fill):
        step(admin_actor(), rng, lambda *_a: None)
    db.close_database()
    return path
