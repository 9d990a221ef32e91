"""The demo pair (``civdesk demo-pair``): a township and a village database that synced once, with
one pending edit on each side of the same field, so the next exchange shows exactly one conflict."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civdesk.core import db
from civdesk.demo import sync_pair
from civdesk.demo.foundation import DEMO_PASSPHRASE, DEMO_PASSWORD
from civdesk.office import accounts, setup
from civdesk.office import offices as office_service
from civdesk.sync import conflicts, exchange
from tests.support.databases import open_db, run_cli, sql


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Built once through the command line; the tests read it, or work on copies."""
    folder = tmp_path_factory.mktemp("pair") / "演示"
    done = run_cli("demo-pair", "--out", str(folder), timeout=300)
    assert done.returncode == 0, done.stderr
    return folder, done.stdout


def _paths(folder: Path) -> tuple[Path, Path]:
    return folder / sync_pair.TOWNSHIP_FILE, folder / sync_pair.VILLAGE_FILE


def _meta(path: Path) -> dict:
    return dict(sql(path, "SELECT key, value FROM local_meta"))


def _employers(path: Path) -> dict[str, str]:
    return dict(sql(path, "SELECT id, employer FROM volunteer"))


def test_writes_both_databases_and_says_how_to_open_them(pair):
    folder, out = pair
    township, village = _paths(folder)
    assert township.is_file() and village.is_file()
    assert township.parent != village.parent  # backups/ beside each must not mix
    for text in (f"--db {township}", f"--db {village}", DEMO_PASSPHRASE, DEMO_PASSWORD, "sync export", "sync import",
                 "sync conflicts", "sync resolve", sync_pair.TOWNSHIP_NODE, sync_pair.VILLAGE_NODE):
        assert text in out
    assert "[6/6]" in out
    assert not list((folder / sync_pair.CARRY_FOLDER).iterdir())  # the built-in packages are not left behind
    assert not (township.parent / "backups").exists() and not (village.parent / "backups").exists()


def test_same_passphrase_different_pcs(pair):
    township, village = _paths(pair[0])
    t, v = _meta(township), _meta(village)
    assert t["sync_key"] == v["sync_key"] == setup.derive_sync_key(DEMO_PASSPHRASE).hex()
    assert t["node_id"] != v["node_id"] and t["signing_key"] != v["signing_key"]
    assert (t["node_name"], v["node_name"]) == (sync_pair.TOWNSHIP_NODE, sync_pair.VILLAGE_NODE)
    assert t["office_id"] == office_service.office_id_for("清溪镇")
    assert v["office_id"] == office_service.office_id_for(sync_pair.VILLAGE, "清溪镇")
    for path, other in ((township, v), (village, t)):  # each knows and trusts the other PC
        assert sql(path, "SELECT node_name, trusted FROM sync_peer") == [(other["node_name"], 1)]


def test_each_holds_the_others_records(pair):
    township, village = _paths(pair[0])
    t_node, v_node, village_id = _meta(township)["node_id"], _meta(village)["node_id"], _meta(village)["office_id"]
    made = ("SELECT record_id FROM change_log WHERE tbl = ? AND field = '*' AND node_id = ? "
            "AND record_id IN (SELECT id FROM {table} WHERE deleted = 0)")
    village_made = {r for (r,) in sql(village, made.format(table="volunteer"), ("volunteer", v_node))}
    assert len(village_made) == sync_pair.VILLAGE_VOLUNTEERS
    assert village_made <= {r for (r,) in sql(township, "SELECT id FROM volunteer")}
    village_hours = {r for (r,) in sql(village, made.format(table="service_record"), ("service_record", v_node))}
    assert village_hours and village_hours <= {r for (r,) in sql(township, "SELECT id FROM service_record")}

    # The village received the township's records of this village, and none of other villages.
    of_village = {r for (r,) in sql(township, made.format(table="volunteer") + " AND scope = ?",
                                    ("volunteer", t_node, village_id))}
    assert of_village and of_village <= {r for (r,) in sql(village, "SELECT id FROM volunteer")}
    assert sql(village, "SELECT DISTINCT scope FROM volunteer") == [(village_id,)]
    assert sql(township, "SELECT COUNT(DISTINCT scope) FROM volunteer")[0][0] == 10
    # Each office's details, filled in on its own PC, reached the other one.
    for path in (township, village):
        assert sql(path, "SELECT contact_person FROM office WHERE kind = 'township'") == [("王建国",)]
        assert sql(path, "SELECT contact_person FROM office WHERE id = ?", (village_id,)) == [("赵桂兰",)]


def test_no_open_conflict_yet_but_one_pending_edit_on_each_side(pair):
    township, village = _paths(pair[0])
    for path in (township, village):
        assert sql(path, "SELECT COUNT(*) FROM sync_conflict") == [(0,)]
    t, v = _employers(township), _employers(village)
    differ = {vid for vid in set(t) & set(v) if t[vid] != v[vid]}
    assert len(differ) == 1
    (vid,) = differ
    assert (t[vid], v[vid]) == (sync_pair.TOWNSHIP_VALUE, sync_pair.VILLAGE_VALUE)


def _copy(folder: Path, dest: Path) -> tuple[Path, Path]:
    for name in (sync_pair.TOWNSHIP_FILE, sync_pair.VILLAGE_FILE):
        (dest / name).parent.mkdir(parents=True)
        for suffix in ("", "-wal", ".keys"):
            if Path(f"{folder / name}{suffix}").exists():
                shutil.copyfile(f"{folder / name}{suffix}", f"{dest / name}{suffix}")
    return _paths(dest)


def _send(source: Path, target: Path, to: str, carry: Path) -> dict:
    db.close_database()
    open_db(source)
    package = exchange.export_package(accounts.authenticate("admin", DEMO_PASSWORD), carry, to=to).path
    db.close_database()
    open_db(target)
    return exchange.import_package(accounts.authenticate("admin", DEMO_PASSWORD), package).report()


def test_the_next_exchange_shows_exactly_one_conflict_both_ways(pair, tmp_path):
    township, village = _copy(pair[0], tmp_path)
    vid = next(k for k, value in _employers(township).items() if value == sync_pair.TOWNSHIP_VALUE)

    report = _send(village, township, sync_pair.TOWNSHIP_NODE, tmp_path)  # already trusted: no --trust-new
    assert {t: n for t, n in report["conflicts"].items() if n} == {"volunteer": 1}
    (found,) = conflicts.open_conflicts()
    assert (found.table, found.record_id, found.field) == ("volunteer", vid, sync_pair.CONFLICT_FIELD)
    assert sorted(c.value for c in found.choices) == sorted([sync_pair.TOWNSHIP_VALUE, sync_pair.VILLAGE_VALUE])

    report = _send(township, village, sync_pair.VILLAGE_NODE, tmp_path)
    assert {t: n for t, n in report["conflicts"].items() if n} == {"volunteer": 1}
    assert [c.id for c in conflicts.open_conflicts()] == [found.id]  # the same conflict on both PCs


def test_refuses_to_overwrite_an_existing_pair(pair):
    folder = pair[0]
    before = _paths(folder)[0].stat().st_mtime_ns
    done = run_cli("demo-pair", "--out", str(folder))
    assert done.returncode == 1 and "已经存在" in done.stderr
    assert _paths(folder)[0].stat().st_mtime_ns == before


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(actor, rng, progress):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(sync_pair.foundation, "fill", broken)
    with pytest.raises(RuntimeError):
        sync_pair.create_demo_pair(tmp_path)
    township, village = _paths(tmp_path)
    assert not township.exists() and not village.exists()
    assert not (township.parent / "backups").exists()
    assert db.database.is_closed()
