"""No N+1 queries: the SQL statements one visit of each page runs do not grow with the rows.

Every page of ``ui.navigation.PAGES`` is visited on the demo township and on a copy holding three
times its records (``tests.support.bulk.multiply``): built, refreshed again as when switched back
to, every tab shown, the visible rows drawn, background work finished. A page that reads per row
(a setting per volunteer, a query per entered record …) runs more statements on the larger copy;
a page that reads per visible row runs more in a taller window. Both are counted here.
"""

from __future__ import annotations

import peewee
import pytest
from PySide6.QtCore import QSettings

from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.office import accounts
from civdesk.supervision import sanitation
from tests.support.bulk import multiply
from tests.support.databases import copy_db, open_db
from ui.navigation import PAGES

# A few statements more may come from what differs by size (one more block of a long list read
# as it scrolls into view, an empty state that skips a query); a read per row adds dozens.
SLACK = 6
NORMAL, TALL = (1366, 728), (1366, 1400)


class Counter:
    def __init__(self):
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, original):
        def execute_sql(database, sql, params=None, *args, **kwargs):
            self.count += 1
            self.statements.append(sql.split(" WHERE ")[0][:120])
            return original(database, sql, params, *args, **kwargs)
        return execute_sql


@pytest.fixture(scope="module")
def larger_demo(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("larger-demo") / "demo.sqlite3"
    copy_db(demo_template, path)
    counts = multiply(path, 3)
    assert counts["volunteer"] >= 900 and counts["service_record"] >= 3 * 1000
    # The copies of overdue sanitation 整改 notices have not raised their 一票否决 on the copied
    # applications yet: the 督查 board's sweep would write them (once, as for any notice that
    # arrives overdue) during the first visit counted here. Raise them now, as the township's PC
    # already did for the originals: the counts compare reads, not one-off writes.
    open_db(path)
    try:
        admin = next(u for u in accounts.list_users() if u.role == "admin")
        assert sanitation.sweep(Actor(admin.username, admin.display_name, admin.role)) > 0
    finally:
        db.close_database()
    return path


def visit_counts(path, sizes, monkeypatch) -> list[dict[str, dict]]:
    """Per size, per page: statements of the first visit (built, filled, every tab shown and
    drawn) and of one refresh after it (``on_shown`` as when the user comes back, every tab drawn
    again). One window for all *sizes*, resized between them: at the first size every page is
    visited and refreshed, at the later ones (a taller window) refreshed only."""
    from ui.gallery import open_window, settle

    counter = Counter()
    monkeypatch.setattr(peewee.SqliteDatabase, "execute_sql", counter(peewee.SqliteDatabase.execute_sql))
    window = open_window(path, sizes[0])
    found = []
    try:
        for number, size in enumerate(sizes):
            if number:
                window.resize(*size)
                settle()
            visits = ("refresh",) if number else ("first", "refresh")
            found.append({spec.key: _visit(window, spec.key, visits, counter) for spec in window.specs})
    finally:
        window.close()
        window.deleteLater()
        settle()
        db.close_database()
    return found


def _visit(window, key, visits, counter) -> dict:
    from ui.gallery import settle, tab_steps

    if "first" in visits:
        window.show_page("home" if key != "home" else "settings")
    else:
        window.show_page(key)  # built at the first size: the refresh below is what is counted
    settle()
    counts = {"built before": key in window.pages}  # 工作台: the window opened on it, before counting
    for visit in visits:
        counter.count, counter.statements = 0, []
        page = window.pages.get(key)
        if visit == "first":
            window.show_page(key)
            settle()
            page = window.pages[key]
        elif hasattr(page, "reload"):
            page.reload()  # a page that keeps what it showed while nothing was written
        elif hasattr(page, "on_shown"):
            page.on_shown()
        for _step in tab_steps(page):
            page.grab()  # the visible rows are read as they are drawn
        settle()
        counts[visit] = (counter.count, list(counter.statements))
    return counts


def _growth(small, large, visits=("first", "refresh")) -> list[str]:
    grown = []
    for key in large:
        for visit in visits:
            (base, before), (count, statements) = small[key][visit], large[key][visit]
            if count > base + max(SLACK, base // 10):
                extra = sorted({s for s in statements if statements.count(s) > before.count(s) + 2})
                grown.append(f"{key} ({visit}): {base} → {count} statements; repeated: {extra[:4]}")
    return grown


def test_no_page_reads_per_row(qtbot, demo_template, larger_demo, tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    small_copy, large_copy = tmp_path / "small.sqlite3", tmp_path / "large.sqlite3"
    copy_db(demo_template, small_copy)
    copy_db(larger_demo, large_copy)
    (small,) = visit_counts(small_copy, [NORMAL], monkeypatch)
    large, tall = visit_counts(large_copy, [NORMAL, TALL], monkeypatch)
    assert set(small) == {spec.key for spec in PAGES}
    # A page built before its "first" visit (the window opens on 工作台) may rightly read nothing when
    # shown again with nothing written (and its first gathering already done): only new pages must read.
    silent = [key for key, counts in small.items() if counts["first"][0] == 0 and not counts["built before"]]
    assert not silent, f"every page reads something; these read nothing: {silent}"
    problems = _growth(small, large) + [f"taller window: {p}" for p in _growth(large, tall, ("refresh",))]
    assert not problems, "\n".join(problems)
