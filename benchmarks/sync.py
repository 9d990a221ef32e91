"""USB sync at scale: a village package of N new volunteers, exported and imported at the township,
each figure beside a baseline measured in the same run.

    python benchmarks/sync.py [--records 100000] [--runs 3] [--profile] [--keep FOLDER]

Set-up (once, not timed): a township database and a village database (桂花村 of 清溪镇, same
passphrase) are initialized; the township sends the village one small package so the village
knows it (trusted); the village then registers N realistic volunteers with
``changes.create_many`` (valid ID numbers, mobiles, dates, as benchmarks/volunteer_import.py
makes them): N rows and N change-log entries.

Each run (fresh copies of both databases):

1. Export: ``exchange.export_package(to=township)`` on the village database.  Baseline: raw
   ``sqlite3`` SELECT of the same change-log rows, ``json.dumps`` of each as one line (the wire
   format) and writing the lines to a file, uncompressed and unencrypted.  Goal: under 5 s.
2. Import into a fresh township database: ``exchange.read_package`` (every check, decrypt,
   decode, plan) and ``exchange.apply_package`` (backup, one transaction, peer bookkeeping),
   timed separately and together.  Baseline: a copy of the same empty township database (same
   schema and indexes, same pragmas) and raw ``sqlite3.executemany`` in one transaction of the
   same volunteer rows (every column, as stored in the village) plus the same change-log
   entries (every entry of the package the township does not hold yet).  The package's handful of audit-entry and office rows
   are not in the baseline.  Goal: import within 5x.
3. Size: the package file beside the raw JSON lines of its changes (the baseline file of 1).
   Goal: under 30 %.

Medians of ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from common import median, report

PASSPHRASE = "bench-sync-passphrase"
PASSWORD = "Bench#2024x"
TOWNSHIP, VILLAGE = "清溪镇", "桂花村"


def _files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]


def _remove(path: Path) -> None:
    for file in _files(path):
        file.unlink(missing_ok=True)
    shutil.rmtree(path.parent / "backups", ignore_errors=True)


def _copy(source: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove(dest)
    for src, dst in zip(_files(source), _files(dest), strict=True):
        if src.exists():
            shutil.copyfile(src, dst)
    return dest


def _admin():
    from civdesk.core.actor import Actor

    return Actor("admin", "王主任", "admin")


# --- set-up ------------------------------------------------------------------------------------


def _volunteer_rows(count: int, village_id: str) -> list[dict]:
    from volunteer_import import _people

    rows = []
    for n, person in enumerate(_people(count, seed=4), start=1):
        name, sex, id_number, birth, phone, ethnicity, politics, education, employer, _village, address, skills, \
            category, joined, note = person
        rows.append({"number": f"GHC{n:06d}", "name": name, "sex": sex, "birth_date": birth, "id_number": id_number,
                     "phone": phone, "ethnicity": ethnicity, "political_status": politics, "education": education,
                     "employer": employer, "village_id": village_id,
                     "address": re.sub(r"^清溪镇.*?(村|社区)", f"清溪镇{VILLAGE}", address), "skills": skills,
                     "service_category": category, "join_date": joined, "note": note, "scope": village_id})
    return rows


def build(work: Path, records: int) -> tuple[Path, Path, str]:
    """(village database with the volunteers, empty township database, township node id)."""
    from civdesk.core import changes, db
    from civdesk.office import setup
    from civdesk.office.setup import SetupRequest
    from civdesk.sync import exchange
    from civdesk.volunteers.models import Volunteer

    township = work / "template-township" / "township.sqlite3"
    village = work / "template-village" / "village.sqlite3"
    for path in (township, village):
        _remove(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    db.open_database(township)
    setup.initialize(SetupRequest(office_name=TOWNSHIP, kind="township", node_name="文明办电脑", admin_username="admin",
                                  admin_password=PASSWORD, sync_passphrase=PASSPHRASE, admin_display_name="王主任"))
    township_node = changes.node_id()
    hello = exchange.export_package(_admin(), work / "hello.civsync").path
    db.close_database()

    db.open_database(village)
    actor = setup.initialize(SetupRequest(
        office_name=VILLAGE, kind="village", township_name=TOWNSHIP, node_name="桂花村电脑", admin_username="admin",
        admin_password=PASSWORD, sync_passphrase=PASSPHRASE, admin_display_name="王主任"))
    exchange.import_package(actor, hello, trust_new=True)
    shutil.rmtree(village.parent / "backups", ignore_errors=True)
    from civdesk.office import offices as office

    village_id = office.own_office().id
    start = time.perf_counter()
    rows = _volunteer_rows(records, village_id)
    changes.create_many(Volunteer, actor, rows, note=f"基准测试：{records} 名志愿者")
    print(f"village database: {records:,} volunteers in {time.perf_counter() - start:.1f} s", flush=True)
    db.close_database()
    return village, township, township_node


# --- 1. export -----------------------------------------------------------------------------------


def our_export(village: Path, run_dir: Path, to: str, profiler=None) -> tuple[float, Path, dict]:
    from civdesk.core import db
    from civdesk.sync import exchange

    copy = _copy(village, run_dir / "village" / "village.sqlite3")
    out = run_dir / "package.civsync"
    out.unlink(missing_ok=True)
    db.open_database(copy)
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    result = exchange.export_package(_admin(), out, to=to)
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()
    db.close_database()
    return elapsed, result.path, {"entries": result.entries, "size": result.size}


# What the package carries: everything in the village's log but the township's own entries.
_SELECT = ("SELECT hlc, tbl, record_id, field, value, base, node_id, scope, username, at FROM change_log "
           "WHERE node_id != ? ORDER BY seq")


def baseline_export(village: Path, out: Path, township_node: str) -> tuple[float, int, int]:
    """Raw SELECT of the change-log entries the package carries, one JSON line each, written to
    a file.  Returns (seconds, lines, bytes)."""
    start = time.perf_counter()
    conn = sqlite3.connect(village)
    dumps = json.dumps
    lines = [dumps(row, ensure_ascii=False, separators=(",", ":")) for row in conn.execute(_SELECT, (township_node,))]
    conn.close()
    data = ("\n".join(lines) + "\n").encode()
    out.write_bytes(data)
    return time.perf_counter() - start, len(lines), len(data)


# --- 2. import -----------------------------------------------------------------------------------


def our_import(package: Path, township: Path, run_dir: Path, profiler=None) -> tuple[float, float, dict]:
    from civdesk.core import db
    from civdesk.sync import exchange

    copy = _copy(township, run_dir / "township" / "township.sqlite3")
    db.open_database(copy)
    actor = _admin()
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    incoming = exchange.read_package(package, trust_new=True)
    read = time.perf_counter() - start
    start = time.perf_counter()
    exchange.apply_package(actor, incoming)
    apply = time.perf_counter() - start
    if profiler:
        profiler.disable()
    report_ = incoming.report()
    db.close_database()
    return read, apply, report_


def baseline_rows(village: Path, township: Path, township_node: str) -> tuple[str, list[tuple], list[tuple]]:
    """The volunteer rows as the village stores them, and the package's change-log entries that
    the township does not hold yet (the offices' seeded creates are alike on every PC)."""
    conn = sqlite3.connect(township)
    held = {hlc for (hlc,) in conn.execute("SELECT hlc FROM change_log")}
    conn.close()
    conn = sqlite3.connect(village)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(volunteer)")]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM volunteer").fetchall()
    log = [row for row in conn.execute(_SELECT, (township_node,)) if row[0] not in held]
    conn.close()
    sql = f"INSERT INTO volunteer ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    return sql, rows, log


def baseline_import(township: Path, run_dir: Path, sql: str, rows: list[tuple], log: list[tuple]) -> float:
    from civdesk.core.db import PRAGMAS

    copy = _copy(township, run_dir / "baseline" / "township.sqlite3")
    start = time.perf_counter()
    conn = sqlite3.connect(copy, isolation_level=None)
    for name in ("journal_mode", "synchronous", "cache_size"):
        conn.execute(f"PRAGMA {name} = {PRAGMAS[name]}")
    conn.execute("BEGIN")
    conn.executemany(sql, rows)
    conn.executemany("INSERT INTO change_log (hlc, tbl, record_id, field, value, base, node_id, scope, username, "
                     "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", log)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


def _print_profile(profiler, title: str) -> None:
    import pstats

    print(f"\n--- profile: {title} (cumulative) ---")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    print(f"--- profile: {title} (own time) ---")
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000, help="volunteers in the package")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile the export and the import of the first run")
    parser.add_argument("--keep", help="folder to keep the files in (default: a temporary one)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="civdesk-bench-sync-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        village, township, township_node = build(work, args.records)
        sql, rows, log = baseline_rows(village, township, township_node)
        exports, raw_exports, reads, applies, totals, raw_imports = [], [], [], [], [], []
        package_size = raw_size = 0
        for run in range(args.runs):
            run_dir = work / f"run{run + 1}"
            profiler = None
            if args.profile and run == 0:
                import cProfile

                profiler = cProfile.Profile()
            seconds, package, info = our_export(village, run_dir, township_node, profiler)
            if profiler:
                _print_profile(profiler, "export_package")
                profiler = cProfile.Profile()
            exports.append(seconds)
            raw_seconds, lines, raw_size = baseline_export(village, run_dir / "changes.jsonl", township_node)
            raw_exports.append(raw_seconds)
            assert lines == info["entries"], (lines, info)
            package_size = info["size"]
            read, apply, result = our_import(package, township, run_dir, profiler)
            if profiler:
                _print_profile(profiler, "read_package + apply_package")
            assert result["new"].get("volunteer") == args.records, result
            assert sum(result["conflicts"].values()) == 0, result
            reads.append(read)
            applies.append(apply)
            totals.append(read + apply)
            raw_imports.append(baseline_import(township, run_dir, sql, rows, log))
            print(f"run {run + 1}: export {seconds:.2f} s (raw {raw_seconds:.2f} s); import read {read:.2f} s + "
                  f"apply {apply:.2f} s = {read + apply:.2f} s (raw executemany {raw_imports[-1]:.2f} s); "
                  f"package {package_size / 1e6:.2f} MB, raw JSON {raw_size / 1e6:.2f} MB", flush=True)
            shutil.rmtree(run_dir, ignore_errors=True)
        n = f"{args.records:,}"
        raw_what = "sqlite3.executemany rows + log entries"
        rows_out = [
            (f"import {n} (read + apply)", median(totals), " s", median(raw_imports), raw_what),
            ("  read_package (checks, decrypt, plan)", median(reads), " s", median(raw_imports), raw_what),
            ("  apply_package (backup, write)", median(applies), " s", median(raw_imports), raw_what),
            (f"export {n}", median(exports), " s", median(raw_exports), "sqlite3 SELECT + json.dumps lines + write"),
            ("package size", package_size / 1e6, "MB", raw_size / 1e6, "raw JSON lines of the same changes"),
        ]
        print()
        report(rows_out)
        print()
        ratio = median(totals) / median(raw_imports)
        print(f"goals: import within 5x of baseline ({ratio:.2f}x); export < 5 s ({median(exports):.2f} s); "
              f"package < 30 % of raw JSON ({100 * package_size / raw_size:.1f} %)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
