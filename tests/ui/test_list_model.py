import random
import sqlite3

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLineEdit, QTableView

from ui.list_model import (
    BLOCK_SIZE,
    CACHE_BLOCKS,
    Column,
    IdRole,
    LargeListModel,
    ListSource,
    attach_filter,
    setup_table_view,
)

N_ROWS = 100_000
SURNAMES = [("张", "z"), ("王", "w"), ("李", "l"), ("赵", "z"), ("陈", "c"), ("刘", "l"), ("杨", "y"), ("黄", "h")]
GIVEN = [("三", "s"), ("伟", "w"), ("芳", "f"), ("敏", "m"), ("静", "j"), ("强", "q"), ("磊", "l"), ("洋", "y")]


def make_db(n_rows: int) -> sqlite3.Connection:
    rng = random.Random(42)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, initials TEXT, value INTEGER)")
    conn.execute("CREATE INDEX person_initials ON person (initials)")
    conn.execute("CREATE INDEX person_value ON person (value)")

    def person(i):
        (s, si), (g, gi) = rng.choice(SURNAMES), rng.choice(GIVEN)
        return (i, f"{s}{g}{i}", si + gi, rng.randint(0, 10_000))

    conn.executemany("INSERT INTO person VALUES (?, ?, ?, ?)", (person(i) for i in range(1, n_rows + 1)))
    conn.commit()
    return conn


class PersonSource:
    """Test-only source: the shape a page's source has, over plain sqlite3."""

    columns = [
        Column("id", "编号", 70, "right"),
        Column("name", "姓名", 140),
        Column("initials", "首字母", 80, "center"),
        Column("value", "数值", 90, "right"),
    ]
    _sql_order = {"id": "id", "name": "name", "initials": "initials", "value": "value"}

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.fetch_ids_calls = 0
        self.fetch_rows_calls: list[list] = []

    def fetch_ids(self, query, sort_key, descending):
        self.fetch_ids_calls += 1
        sql, params = "SELECT id FROM person", ()
        if query:
            sql, params = sql + " WHERE initials LIKE ?", (query + "%",)
        direction = "DESC" if descending else "ASC"
        sql += f" ORDER BY {self._sql_order[sort_key]} {direction}, id {direction}"
        return [r[0] for r in self.conn.execute(sql, params)]

    def fetch_rows(self, ids):
        self.fetch_rows_calls.append(list(ids))
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT id, name, initials, value FROM person WHERE id IN ({marks})", ids)
        return {r[0]: dict(zip(("id", "name", "initials", "value"), r, strict=True)) for r in rows}


@pytest.fixture(scope="module")
def big_db():
    conn = make_db(N_ROWS)
    yield conn
    conn.close()


@pytest.fixture
def source(big_db):
    return PersonSource(big_db)


@pytest.fixture
def model(source, qapp):
    return LargeListModel(source)


def cell(model, row, col, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, col), role)


def test_source_satisfies_protocol(source):
    assert isinstance(source, ListSource)


def modeltest_failures(qtlog):
    return [r.message for r in qtlog.records if "FAIL" in r.message or "modeltest" in r.message.lower()]


@pytest.mark.slow
def test_qt_model_tester_on_100k_rows(qtmodeltester, qtlog, model):
    # Each full check walks every cell (~8 s here), so changes are exercised below
    # on a smaller model rather than re-checked at this size.
    qtmodeltester.check(model)
    assert modeltest_failures(qtlog) == []


@pytest.mark.parametrize("force_py", [False, True])
def test_model_tester_follows_changes(qtmodeltester, qtlog, force_py):
    model = LargeListModel(PersonSource(make_db(2_000)))
    qtmodeltester.check(model, force_py=force_py)
    model.sort(3, Qt.SortOrder.DescendingOrder)  # layout change
    model.set_query("zs")  # reset
    model.set_query("")
    model.refresh()  # same ids: data change
    model.refresh_rows([model.id_at(0), model.id_at(1999)])
    assert modeltest_failures(qtlog) == []


def test_row_count_and_headers(model):
    assert model.rowCount() == N_ROWS
    assert model.columnCount() == 4
    assert model.headerData(1, Qt.Orientation.Horizontal) == "姓名"
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert cell(model, 0, 0, Qt.ItemDataRole.TextAlignmentRole) == right
    assert cell(model, 0, 2, Qt.ItemDataRole.TextAlignmentRole) == \
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter


def test_first_and_last_row_fetch_single_blocks(model, source, big_db):
    assert source.fetch_ids_calls == 1
    assert source.fetch_rows_calls == []

    assert cell(model, 0, 0) == "1"
    assert len(source.fetch_rows_calls) == 1
    assert len(source.fetch_rows_calls[0]) <= BLOCK_SIZE

    last_id = model.id_at(N_ROWS - 1)
    expected = big_db.execute("SELECT name FROM person WHERE id = ?", (last_id,)).fetchone()[0]
    assert cell(model, N_ROWS - 1, 1) == expected
    assert len(source.fetch_rows_calls) == 2
    assert all(len(ids) <= BLOCK_SIZE for ids in source.fetch_rows_calls)
    assert last_id in source.fetch_rows_calls[1]

    # Other cells of rows already fetched come from the cache.
    cell(model, N_ROWS - 1, 3)
    cell(model, 1, 2)
    assert len(source.fetch_rows_calls) == 2
    assert cell(model, 5, 0, IdRole) == model.id_at(5)


def test_filter_reduces_rows(model, big_db):
    model.set_query("zs")
    expected = big_db.execute("SELECT COUNT(*) FROM person WHERE initials = 'zs'").fetchone()[0]
    assert 0 < model.rowCount() == expected < N_ROWS
    assert all(cell(model, r, 2) == "zs" for r in range(0, model.rowCount(), 97))
    model.set_query("nothing-matches")
    assert model.rowCount() == 0
    model.set_query("")
    assert model.rowCount() == N_ROWS


def test_sort_changes_order(model, source):
    calls = source.fetch_ids_calls
    model.sort(3, Qt.SortOrder.AscendingOrder)
    ascending = [int(cell(model, r, 3)) for r in range(50)]
    assert ascending == sorted(ascending)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    descending = [int(cell(model, r, 3)) for r in range(50)]
    assert descending == sorted(descending, reverse=True)
    assert descending[0] > ascending[0]
    assert source.fetch_ids_calls == calls + 2
    model.sort(3, Qt.SortOrder.DescendingOrder)  # unchanged: no new query
    assert source.fetch_ids_calls == calls + 2
    rid = model.id_at(12345)
    assert model.row_of(rid) == 12345
    assert model.row_of(-1) == -1
    assert model.id_at(N_ROWS) is None


def test_cache_stays_bounded(model, source):
    for row in range(0, N_ROWS, BLOCK_SIZE // 2):
        cell(model, row, 1)
    assert len(source.fetch_rows_calls) == N_ROWS // BLOCK_SIZE
    assert model.cached_block_count() <= CACHE_BLOCKS
    calls = len(source.fetch_rows_calls)
    cell(model, N_ROWS - 1, 1)
    assert len(source.fetch_rows_calls) == calls  # recent block: cached
    cell(model, 0, 1)
    assert len(source.fetch_rows_calls) == calls + 1  # long evicted


def test_deleted_row_renders_empty():
    conn = make_db(1_000)
    model = LargeListModel(PersonSource(conn))
    gone = model.id_at(10)
    conn.execute("DELETE FROM person WHERE id = ?", (gone,))
    assert model.rowCount() == 1_000
    assert [cell(model, 10, c) for c in range(4)] == ["", "", "", ""]
    assert cell(model, 10, 1, Qt.ItemDataRole.ToolTipRole) is None
    assert cell(model, 11, 1) != ""
    model.refresh()
    assert model.rowCount() == 999
    assert model.row_of(gone) == -1


def test_refresh_rows_reloads_edited_values():
    conn = make_db(1_000)
    model = LargeListModel(PersonSource(conn))
    rid = model.id_at(3)
    assert cell(model, 3, 1) != "改名"
    conn.execute("UPDATE person SET name = '改名' WHERE id = ?", (rid,))
    model.refresh_rows([rid])
    assert cell(model, 3, 1) == "改名"


def test_sort_keeps_selection_on_same_record(qtbot, model):
    view = QTableView()
    qtbot.addWidget(view)
    setup_table_view(view, model)
    rid = model.id_at(7)
    view.selectionModel().setCurrentIndex(
        model.index(7, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    current = view.selectionModel().currentIndex()
    assert current.isValid() and model.id_at(current.row()) == rid
    assert current.row() == model.row_of(rid) != 7


def test_table_view_shows_and_scrolls(qtbot, model, source):
    view = QTableView()
    qtbot.addWidget(view)
    setup_table_view(view, model)
    assert source.fetch_ids_calls == 1  # enabling header sorting did not re-query
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    qtbot.wait(20)
    view.grab()
    assert view.horizontalHeader().sortIndicatorSection() == 0
    assert view.columnWidth(1) == 140
    assert 0 < len(source.fetch_rows_calls) <= 4
    assert all(len(ids) <= BLOCK_SIZE for ids in source.fetch_rows_calls)
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert model.sort_key == "name"
    names = [cell(model, r, 1) for r in range(20)]
    assert names == sorted(names)


def test_attach_filter_debounces_typing(qtbot, model, source):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    attach_filter(edit, model, delay_ms=50)
    calls = source.fetch_ids_calls
    qtbot.keyClicks(edit, "zs")
    assert model.query == ""  # not yet: still waiting for the pause
    qtbot.waitUntil(lambda: model.query == "zs", timeout=2000)
    assert source.fetch_ids_calls == calls + 1
    assert model.rowCount() < N_ROWS
    edit.setText("")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert model.query == ""
    assert model.rowCount() == N_ROWS


def test_fitted_columns_settle_when_idle(qtbot, model):
    """A stretched last column re-stretched by the header is no reason to fit again: the
    fitter used to re-arm its 0 ms timer for ever, re-laying out every list on each idle round."""
    from ui.widgets.fit import ColumnFitter

    view = QTableView()
    qtbot.addWidget(view)
    setup_table_view(view, model)
    view.resize(500, 300)  # narrower than the columns want: they shrink
    view.show()
    qtbot.waitExposed(view)
    fitter = view.findChild(ColumnFitter)
    calls = []
    original = fitter.fit
    fitter.fit = lambda: (calls.append(1), original())
    fitter._timer.timeout.disconnect()
    fitter._timer.timeout.connect(fitter.fit)
    view.resize(520, 300)
    qtbot.waitUntil(lambda: not fitter._timer.isActive(), timeout=2000)
    qtbot.wait(50)
    assert 1 <= len(calls) <= 3
    assert not fitter._timer.isActive()
    assert sum(view.columnWidth(c) for c in range(model.columnCount())) <= view.viewport().width() + 1


class PersonListing:
    """Test-only windowed listing over plain sqlite3 (the shape of civdesk.core.listing.QueryListing)."""

    def __init__(self, conn, where, params, order, calls):
        self.conn, self.where, self.params, self.order, self.calls = conn, where, params, order, calls

    def count(self):
        self.calls.append("count")
        return self.conn.execute(f"SELECT COUNT(*) FROM person {self.where}", self.params).fetchone()[0]

    def window(self, offset, limit):
        self.calls.append(("window", offset, limit))
        sql = f"SELECT id FROM person {self.where} ORDER BY {self.order} LIMIT ? OFFSET ?"
        return [r[0] for r in self.conn.execute(sql, (*self.params, limit, offset))]

    def all(self):
        self.calls.append("all")
        return [r[0] for r in self.conn.execute(f"SELECT id FROM person {self.where} ORDER BY {self.order}", self.params)]

    def position(self, row_id):
        self.calls.append(("position", row_id))
        ids = [r[0] for r in self.conn.execute(f"SELECT id FROM person {self.where} ORDER BY {self.order}", self.params)]
        return ids.index(row_id) if row_id in ids else -1


class WindowedSource(PersonSource):
    def __init__(self, conn):
        super().__init__(conn)
        self.calls = []

    def listing(self, query, sort_key, descending):
        where, params = ("WHERE initials LIKE ?", (query + "%",)) if query else ("", ())
        direction = "DESC" if descending else "ASC"
        order = f"{self._sql_order[sort_key]} {direction}, id {direction}"
        return PersonListing(self.conn, where, params, order, self.calls)


def test_a_windowed_listing_reads_only_what_is_shown(qtbot, big_db):
    source = WindowedSource(big_db)
    model = LargeListModel(source, sort_key="value", descending=True, query="z")
    expected = [r[0] for r in big_db.execute(
        "SELECT id FROM person WHERE initials LIKE 'z%' ORDER BY value DESC, id DESC")]
    assert model.rowCount() == len(expected) > BLOCK_SIZE * 3
    assert source.calls == ["count"], "a new listing costs its count, no id yet"
    view = QTableView()
    qtbot.addWidget(view)
    setup_table_view(view, model)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    view.grab()
    windows = [c for c in source.calls if c[0] == "window"]
    assert windows and all(limit == BLOCK_SIZE for _w, _o, limit in windows) and "all" not in source.calls
    last = len(expected) - 1
    assert model.id_at(last) == expected[last] and cell(model, last, 0) == str(expected[last])
    assert [model.id_at(r) for r in range(0, len(expected), 37)] == expected[::37]
    assert model.row_of(expected[5]) == 5 and model.row_of(expected[last - 3]) == last - 3
    model.sort(3, Qt.SortOrder.AscendingOrder)
    values = [int(cell(model, r, 3)) for r in range(40)]
    assert values == sorted(values)
    model.set_query("zs")
    assert model.rowCount() == big_db.execute("SELECT COUNT(*) FROM person WHERE initials LIKE 'zs%'").fetchone()[0]
    assert all(cell(model, r, 2) == "zs" for r in range(0, model.rowCount(), 53))
    assert model.ids() == [r[0] for r in big_db.execute(
        "SELECT id FROM person WHERE initials LIKE 'zs%' ORDER BY value, id")]


@pytest.mark.parametrize("windowed", [False, True])
def test_reload_keeps_the_selected_record(qtbot, windowed):
    conn = make_db(3_000)
    source = WindowedSource(conn) if windowed else PersonSource(conn)
    model = LargeListModel(source, sort_key="value")
    view = QTableView()
    qtbot.addWidget(view)
    setup_table_view(view, model)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.selectRow(1234)
    chosen = model.id_at(1234)

    def selected():
        current = view.selectionModel().currentIndex()
        rows = view.selectionModel().selectedRows()
        return model.id_at(current.row()), [model.id_at(i.row()) for i in rows]

    assert selected() == (chosen, [chosen])
    conn.execute("DELETE FROM person WHERE id IN (SELECT id FROM person ORDER BY value, id LIMIT 10)")
    model.refresh()  # ten rows fewer, all before it: the same record is selected, ten rows up
    assert model.rowCount() == 2_990 and selected() == (chosen, [chosen]) and model.row_of(chosen) == 1224
    conn.execute("UPDATE person SET value = -1 WHERE id = ?", (chosen,))
    model.refresh()  # same count, new place
    assert selected() == (chosen, [chosen]) and model.row_of(chosen) == 0
    conn.execute("DELETE FROM person WHERE id = ?", (chosen,))
    model.refresh()
    assert selected()[1] == []


def test_showing_a_fitted_list_again_resizes_no_column(qtbot, model):
    """A list shown again at the same width is already fitted: lowering its stretched last column
    (which the header stretches again) would lay the list out twice on every page switch."""
    view = QTableView()
    qtbot.addWidget(view)
    setup_table_view(view, model)
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    resized = []
    view.horizontalHeader().sectionResized.connect(lambda *args: resized.append(args))
    for _ in range(3):
        view.hide()
        view.show()
        qtbot.wait(20)
    assert resized == []
    assert view.horizontalHeader().length() <= view.viewport().width()
    view.resize(420, 300)  # narrower: the columns shrink again
    qtbot.waitUntil(lambda: bool(resized), timeout=2000)
    qtbot.wait(20)
    assert view.horizontalHeader().length() <= view.viewport().width() + 1
