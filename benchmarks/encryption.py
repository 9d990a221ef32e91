"""Encryption at rest (issue 13): CivDesk on an encrypted database (SQLite3 Multiple Ciphers,
AEGIS-256, raw key) beside the same CivDesk on a plain one, in the same run.

   open    open_database + the first read, median of 9 (the key is given: the scrypt unwrap at
           login, ~0.4 s once per login, is not part of it)
   import  volunteer_import.run of an N-row roster into a freshly set-up database
   search  volunteers.matching_ids for a set of names, ID-number and phone fragments (warm cache)
   sync    exchange.import_package of a full package of that roster into another PC of the
           same township

    python benchmarks/encryption.py [--volunteers 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import common
from common import median, report
from volunteer_import import QUERIES, write_roster

PASSWORD, PASSPHRASE = "Bench#2024x", "bench-passphrase"


def _setup(path: Path, node: str, plain: bool):
    from civdesk.core import db
    from civdesk.demo.names import VILLAGES
    from civdesk.office import offices as office
    from civdesk.office import setup
    from civdesk.office.setup import SetupRequest

    if plain:
        common.make_plain_file(path)
    db.open_database(path)
    key = db.state.key
    actor = setup.initialize(SetupRequest(office_name="清溪镇", kind="township", node_name=node,
                                          admin_username="admin", admin_password=PASSWORD,
                                          sync_passphrase=PASSPHRASE, admin_display_name="王主任"))
    if node == "A":
        for village in VILLAGES:
            office.add_village(actor, village)
    db.close_database()
    return actor, key


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _timed_cpu(out: dict, name: str, fn) -> None:
    """Wall clock and this process's CPU time: on a shared machine the CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    out[name], out[f"{name}_cpu"] = time.perf_counter() - wall, time.process_time() - cpu


def one_run(kind: str, work: Path, xlsx: Path) -> dict[str, float]:
    from civdesk.core import changes, db
    from civdesk.sync import exchange
    from civdesk.volunteers import roster as volunteers
    from civdesk.volunteers import roster_import

    plain = kind == "plain"
    folder = work / kind
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    a, b = folder / "a.sqlite3", folder / "b.sqlite3"
    actor, key_b = _setup(b, "B", plain)
    db.open_database(b, key=key_b)
    node_b = changes.node_id()
    hello = exchange.export_package(actor, folder / "hello").path
    db.close_database()
    actor, key_a = _setup(a, "A", plain)
    out = {}

    db.open_database(a, key=key_a)
    exchange.import_package(actor, hello, trust_new=True)
    _timed_cpu(out, "import", lambda: roster_import.run(xlsx, actor))
    package = exchange.export_package(actor, folder / "usb", to=node_b).path
    db.close_database()

    opens = []
    for _ in range(9):
        opens.append(_timed(lambda: (db.open_database(a, key=key_a), db.database.get_tables())))
        db.close_database()
    out["open"] = median(opens)

    db.open_database(a, key=key_a)
    searches = []
    for text in QUERIES:
        volunteers.matching_ids(volunteers.VolunteerFilter(text=text))  # warm the page cache
        searches.append(_timed(lambda t=text: volunteers.matching_ids(volunteers.VolunteerFilter(text=t))))
    out["search"] = sum(searches)
    db.close_database()

    db.open_database(b, key=key_b)
    _timed_cpu(out, "sync", lambda: exchange.import_package(actor, package, trust_new=True))
    assert db.state.encrypted != plain
    db.close_database()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    common.PLAIN_FILES["on"] = False  # new files are encrypted here, plain ones made on purpose
    results: dict[str, dict[str, list[float]]] = {"plain": {}, "encrypted": {}}
    with tempfile.TemporaryDirectory(prefix="civdesk-bench-enc-") as tmp:
        work = Path(tmp)
        xlsx = work / "roster.xlsx"
        write_roster(xlsx, args.volunteers)
        for _ in range(args.runs):
            for kind in ("plain", "encrypted"):  # interleaved: the machine's load hits both
                for name, value in one_run(kind, work, xlsx).items():
                    results[kind].setdefault(name, []).append(value)
    n = args.volunteers
    rows = []
    for name, label, unit, scale in (("open", "open database", "ms", 1000), ("import", f"import {n} volunteers", " s", 1),
                                     ("import_cpu", f"import {n} volunteers, CPU", " s", 1),
                                     ("search", f"search, {len(QUERIES)} queries", "ms", 1000),
                                     ("sync", f"sync import of {n} volunteers", " s", 1),
                                     ("sync_cpu", f"sync import of {n} volunteers, CPU", " s", 1)):
        rows.append((label, median(results["encrypted"][name]) * scale, unit,
                     median(results["plain"][name]) * scale, "same CivDesk on a plain file"))
    print(f"encryption: {n} volunteers, median of {args.runs} runs (plain and encrypted interleaved)")
    report(rows)


if __name__ == "__main__":
    main()
