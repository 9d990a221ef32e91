"""civdesk.core.changes_bulk: a large insert into a small table builds the indexes after the rows;
the rows, the log and the schema come out as they would row by row."""

from __future__ import annotations

import json

import pytest

from civdesk.core import changes, changes_bulk
from civdesk.core.db import database
from civdesk.core.meta import ChangeLog
from civdesk.office.models import Office


def index_sql(table: str) -> list[tuple[str, str]]:
    return database.execute_sql("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? "
                                "ORDER BY name", (table,)).fetchall()


def statements_seen(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = database.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", spy)
    return seen


def test_a_large_import_into_an_empty_table_builds_its_indexes_after(admin, monkeypatch):
    monkeypatch.setattr(changes_bulk, "DEFER_INDEXES_FROM", 50)
    before = index_sql("office")
    assert any(sql for _name, sql in before), "the office table has secondary indexes to defer"
    seen = statements_seen(monkeypatch)
    ids = changes.create_many(Office, admin, [{"name": f"第{i}组", "kind": "village"} for i in range(120)])
    assert any(s.startswith("DROP INDEX") for s in seen) and any(s.startswith("CREATE INDEX") for s in seen)
    assert index_sql("office") == before
    assert database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
    # The indexes answer for the new rows, and the log holds one whole-record entry each.
    assert Office.select().where(Office.name == "第7组").count() == 1
    assert ChangeLog.select().where((ChangeLog.tbl == "office") & (ChangeLog.record_id << ids)).count() == 120
    assert ids == sorted(ids), "ids are handed out in order, so the id index takes them in order"


def test_a_small_import_or_a_large_table_keeps_the_indexes(admin, monkeypatch):
    monkeypatch.setattr(changes_bulk, "DEFER_INDEXES_FROM", 50)
    changes.create_many(Office, admin, [{"name": f"甲{i}组", "kind": "village"} for i in range(120)])
    seen = statements_seen(monkeypatch)
    changes.create_many(Office, admin, [{"name": f"乙{i}组", "kind": "village"} for i in range(60)])  # 60 < 120+
    changes.create_many(Office, admin, [{"name": f"丙{i}组", "kind": "village"} for i in range(10)])
    assert not any(s.startswith(("DROP INDEX", "CREATE INDEX")) for s in seen)


def test_a_failed_import_leaves_rows_and_indexes_as_they_were(admin, monkeypatch):
    monkeypatch.setattr(changes_bulk, "DEFER_INDEXES_FROM", 50)
    before, count = index_sql("office"), Office.select().count()
    rows = [{"name": f"第{i}组", "kind": "village"} for i in range(100)] + [{"name": None, "kind": "village"}]
    with pytest.raises(Exception, match="NOT NULL"):
        changes.create_many(Office, admin, rows)
    assert index_sql("office") == before and Office.select().count() == count


def test_outside_a_transaction_it_refuses(admin):
    with pytest.raises(RuntimeError), changes_bulk.indexes_built_after(database, "office", 10_000):
        pass


def test_ordered_payloads_are_the_text_of_dumps():
    payload = {"a": 3, "b": None, "name": "张三\"丰", "note": "行\n二", "ok": True, "x": 1.5}
    assert changes_bulk.dumps_ordered(payload) == changes.dumps(payload) == json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_a_table_a_trigger_names_keeps_its_indexes(admin, monkeypatch):
    """service_record's triggers (the pending flag) read tables row by row: no index goes missing."""
    monkeypatch.setattr(changes_bulk, "DEFER_INDEXES_FROM", 50)
    database.execute_sql("CREATE TRIGGER office_seen AFTER INSERT ON office BEGIN SELECT 1; END")
    seen = statements_seen(monkeypatch)
    changes.create_many(Office, admin, [{"name": f"丁{i}组", "kind": "village"} for i in range(120)])
    assert not any(s.startswith(("DROP INDEX", "CREATE INDEX")) for s in seen)


def test_payload_text_is_that_of_dumps_for_awkward_values():
    import datetime as dt

    from civdesk.volunteers.models import Volunteer

    shape = changes_bulk.BulkShape(Volunteer)
    data = {**shape.static, "id": "x", "scope": None, "clock": "c", "created_at": "t", "updated_at": "t",
            "created_by": "u", "updated_by": "u", "name": '张"三\\%s', "note": "行\n二\t%", "number": 7,
            "birth_date": dt.date(1990, 3, 5), "join_date": None, "address": "\u2028 \x00"}
    row, text = shape.build(data, "t", "u")
    expected = {name: changes.encode(data.get(name)) for name in Volunteer.data_fields()}
    expected.update(created_at="t", created_by="u", number="7")  # a CharField stores text
    assert text == changes.dumps(expected)
    assert json.loads(text)["note"] == "行\n二\t%"
