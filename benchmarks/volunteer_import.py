"""Volunteer import, search and hours totals at scale, each beside a baseline from the same run.

    python benchmarks/volunteer_import.py [--volunteers 100000] [--records 1000000] [--runs 3]

1. Import of an .xlsx of N realistic volunteers (valid IDs with correct check digits, mobiles,
   Excel dates, village names; strings in a shared-string table, as Excel and WPS save them):
   baseline = openpyxl read-only read of the file + raw ``sqlite3.executemany`` of the same rows
   into a plain table of a fresh database; ours = ``volunteer_import.run`` into a freshly
   initialized CivDesk database (validation, numbering, backup, change log, audit).  Median of
   ``--runs``.  Goal: within 1.0x (issue 17).
2. Name / initials search over the imported volunteers, median of 50 queries
   (``volunteers.matching_ids``) beside a raw sqlite3 query doing the same indexed lookup.
   Goal: under 20 ms.
3. Total approved hours of one volunteer among 1,000,000 service records
   (``hours.total_half_hours``), median over 50 volunteers, beside the raw SQL.  Goal: under 5 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from common import median, report

HEADERS = ["姓名", "性别", "证件号码", "出生日期", "手机号码", "民族", "政治面貌", "学历", "工作单位", "所属村（社区）",
           "居住地址", "技能特长", "服务类别", "注册日期", "备注"]
EXCEL_EPOCH = dt.date(1899, 12, 30)


# --- the file ----------------------------------------------------------------------------------


def _people(count: int, seed: int = 2024):
    from civdesk.core import validation
    from civdesk.demo.names import VILLAGES, mobile, person_name
    from civdesk.demo.volunteers import CATEGORIES, EDUCATION, ETHNICITIES, POLITICS, SKILLS

    rng = random.Random(seed)
    regions = ["510114", "510113", "510112", "510115", "510121"]
    seen: set[str] = set()
    employers = ["", "", "", "清溪镇人民政府", "清溪镇中心小学", "桂花村村委会", "新都区人民医院", "个体"]
    for _ in range(count):
        sex = rng.choice("男女")
        while True:
            birth = dt.date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
            seq = rng.randrange(0, 500) * 2 + (1 if sex == "男" else 0)
            body = f"{rng.choice(regions)}{birth:%Y%m%d}{seq:03d}"
            if body not in seen:
                seen.add(body)
                break
        village = rng.choice(VILLAGES)
        yield [person_name(rng, sex), sex, body + validation.id_check_digit(body), birth, mobile(rng),
               rng.choice(ETHNICITIES), rng.choice(POLITICS), rng.choice(EDUCATION), rng.choice(employers), village,
               f"清溪镇{village}{rng.randint(1, 12)}组{rng.randint(1, 60)}号", rng.choice(SKILLS),
               rng.choice(CATEGORIES), dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1500)), ""]


def _col(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="志愿者" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def write_roster(path: Path, count: int) -> None:
    """The file Excel would save: shared strings, dates as serial numbers, IDs and phones as text.
    Written directly (openpyxl's write-only mode stores inline strings, which Excel never does)."""
    strings: dict[str, int] = {}
    rows = []
    for number, person in enumerate([HEADERS, *_people(count)], start=1):
        cells = []
        for i, value in enumerate(person):
            ref = f"{_col(i)}{number}"
            if isinstance(value, dt.date):
                cells.append(f'<c r="{ref}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>')
            elif value:
                index = strings.setdefault(value, len(strings))
                style = ' s="2"' if i in (2, 4) and number > 1 else ""
                cells.append(f'<c r="{ref}" t="s"{style}><v>{index}</v></c>')
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:{_col(len(HEADERS) - 1)}{count + 1}"/><sheetData>{"".join(rows)}</sheetData>'
             '</worksheet>')
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
              f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr("xl/sharedStrings.xml", shared)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)


# --- 1. import -------------------------------------------------------------------------------


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(path.parent / "backups", ignore_errors=True)


def baseline_import(xlsx: Path, work: Path) -> float:
    from openpyxl import load_workbook

    target = work / "baseline.sqlite3"
    _fresh(target)
    start, cpu = time.perf_counter(), time.process_time()
    with xlsx.open("rb") as fh:
        wb = load_workbook(fh, read_only=True, data_only=True)
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows)
        data = list(rows)
        wb.close()
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute(f"CREATE TABLE volunteer ({', '.join(f'c{i}' for i in range(len(header)))})")
    with conn:
        conn.executemany(f"INSERT INTO volunteer VALUES ({', '.join('?' * len(header))})", data)
    conn.close()
    return time.perf_counter() - start, time.process_time() - cpu


def make_template(work: Path) -> Path:
    """An initialized CivDesk database with the roster's villages, copied for every run."""
    from civdesk.core import db
    from civdesk.demo.names import VILLAGES
    from civdesk.office import offices as office
    from civdesk.office import setup
    from civdesk.office.setup import SetupRequest

    path = work / "template.sqlite3"
    db.open_database(path)
    actor = setup.initialize(SetupRequest(office_name="清溪镇", kind="township", node_name="文明办电脑",
                                          admin_username="admin", admin_password="Bench#2024x",
                                          sync_passphrase="bench-passphrase", admin_display_name="王主任"))
    for village in VILLAGES:
        office.add_village(actor, village)
    db.close_database()
    return path


def our_import(xlsx: Path, template: Path, work: Path, profile: bool = False) -> tuple[float, float, Path]:
    from civdesk.core import db
    from civdesk.core.actor import Actor
    from civdesk.volunteers import roster_import as volunteer_import

    target = work / "civdesk.sqlite3"
    _fresh(target)
    shutil.copyfile(template, target)
    db.open_database(target)
    actor = Actor("admin", "王主任", "admin")
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, cpu = time.perf_counter(), time.process_time()
    result = volunteer_import.run(xlsx, actor)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    assert not result.errors and result.written, result.errors[:5]
    db.close_database()
    return elapsed, cpu, target


# --- 2. search -------------------------------------------------------------------------------

QUERIES = ["zs", "wjg", "lxy", "zh", "w", "cx", "lm", "yzq", "hy", "zwb", "lgy", "xjy", "ch", "zy", "ly",
           "wf", "lj", "gj", "hmr", "sh", "tj", "mq", "dq", "lq", "zm",
           "张", "王建", "李秀英", "刘", "陈", "杨洋", "黄", "赵敏", "吴", "周杰", "徐", "孙", "马", "朱丽", "胡",
           "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐",
           # full pinyin typed without spaces, and mixes of initials and full syllables (issue 19)
           "zhangwei", "wangfang", "liuyang", "chenjing", "zhangs", "zwei", "lixy", "wjianguo", "zhaom", "yangy"]
FULL_PINYIN = QUERIES[-10:]


def measure_search(db_path: Path) -> tuple[float, float]:
    from civdesk.core import db
    from civdesk.volunteers import roster as volunteers

    db.open_database(db_path)
    flt = volunteers.VolunteerFilter()
    ours, counts = [], []
    for text in QUERIES:
        volunteers.matching_ids(volunteers.VolunteerFilter(text=text))  # warm the page cache
        start = time.perf_counter()
        ids = volunteers.matching_ids(volunteers.VolunteerFilter(text=text, status=flt.status))
        ours.append(time.perf_counter() - start)
        counts.append(len(ids))
    db.close_database()
    typed = [ours[QUERIES.index(q)] for q in FULL_PINYIN]
    print(f"search: full pinyin and mixes, median {median(typed) * 1000:.1f} ms, slowest {max(typed) * 1000:.1f} ms "
          f"({len(typed)} queries)")
    slowest = max(range(len(QUERIES)), key=lambda i: ours[i])
    print(f"search: slowest query {QUERIES[slowest]!r} {ours[slowest] * 1000:.1f} ms ({counts[slowest]} found)")

    conn = sqlite3.connect(db_path)
    base = []
    for text in QUERIES:
        if text.isascii():
            sql = ("SELECT id FROM volunteer WHERE deleted = 0 AND name_initials >= ? AND name_initials < ? "
                   "AND status = 'active' ORDER BY name_pinyin, id")
            params = (text, text + "\uffff")
        else:
            sql = ("SELECT id FROM volunteer WHERE deleted = 0 AND name >= ? AND name < ? AND status = 'active' "
                   "ORDER BY name_pinyin, id")
            params = (text, text + "\uffff")
        conn.execute(sql, params).fetchall()
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        base.append(time.perf_counter() - start)
    conn.close()
    return median(ours) * 1000, median(base) * 1000


# --- 3. hours ----------------------------------------------------------------------------------


def add_service_records(db_path: Path, count: int) -> list[str]:
    """One million records and their approvals, written with executemany (speed, not realism
    of the write path: the measure is the read)."""
    conn = sqlite3.connect(db_path)
    ids = [r[0] for r in conn.execute("SELECT id FROM volunteer ORDER BY number")]
    rng = random.Random(5)
    now = "2025-01-01 09:00:00"
    node = "bench"
    records, approvals = [], []
    with conn:
        for n in range(count):
            rid = str(uuid.UUID(int=rng.getrandbits(128)))
            vid = ids[n % len(ids)]
            day = (dt.date(2023, 1, 1) + dt.timedelta(days=n % 700)).isoformat()
            records.append((rid, None, 0, f"{n:016d}-00000-{node}", now, "zhangli", now, "zhangli", vid, None, day,
                            1 + n % 8, "清洁家园", None))
            if n % 5:
                approvals.append((str(uuid.UUID(int=rng.getrandbits(128))), None, 0, f"{n:016d}-00001-{node}", now,
                                  "lixiuying", now, "lixiuying", rid, "approved", ""))
            if len(records) >= 50000:
                _flush(conn, records, approvals)
        _flush(conn, records, approvals)
    conn.close()
    return ids


def _flush(conn, records: list, approvals: list) -> None:
    conn.executemany("INSERT INTO service_record (id, scope, deleted, clock, created_at, created_by, updated_at, "
                     "updated_by, volunteer_id, activity_id, service_date, half_hours, content, corrects_id) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
    conn.executemany("INSERT INTO service_approval (id, scope, deleted, clock, created_at, created_by, updated_at, "
                     "updated_by, record_id, decision, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", approvals)
    records.clear()
    approvals.clear()


def measure_totals(db_path: Path, ids: list[str]) -> tuple[float, float]:
    from civdesk.core import db
    from civdesk.volunteers import hours

    sample = random.Random(9).sample(ids, 50)
    db.open_database(db_path)
    ours = []
    for vid in sample:
        hours.total_half_hours(vid)
        start = time.perf_counter()
        hours.total_half_hours(vid)
        ours.append(time.perf_counter() - start)
    db.close_database()
    conn = sqlite3.connect(db_path)
    sql = ("SELECT COALESCE(SUM(r.half_hours), 0) FROM service_record r JOIN service_approval a "
           "ON a.record_id = r.id WHERE r.volunteer_id = ? AND a.decision = 'approved'")
    base = []
    for vid in sample:
        conn.execute(sql, (vid,)).fetchone()
        start = time.perf_counter()
        conn.execute(sql, (vid,)).fetchone()
        base.append(time.perf_counter() - start)
    conn.close()
    return median(ours) * 1000, median(base) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile one run of our import")
    parser.add_argument("--import-only", action="store_true", help="measure the import only (skip 2. and 3.)")
    parser.add_argument("--keep", help="folder to keep the files in (default: a temporary one)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="civdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        xlsx = work / "volunteers.xlsx"
        start = time.perf_counter()
        write_roster(xlsx, args.volunteers)
        print(f"generated {xlsx.name}: {args.volunteers:,} volunteers, {xlsx.stat().st_size / 1e6:.1f} MB "
              f"in {time.perf_counter() - start:.1f} s", flush=True)
        template = make_template(work)
        base_runs, our_runs, base_cpu, our_cpu = [], [], [], []
        imported = None
        for run in range(args.runs):
            seconds, cpu = baseline_import(xlsx, work)
            base_runs.append(seconds)
            base_cpu.append(cpu)
            seconds, cpu, imported = our_import(xlsx, template, work, profile=args.profile and run == 0)
            our_runs.append(seconds)
            our_cpu.append(cpu)
            print(f"run {run + 1}: baseline {base_runs[-1]:.2f} s ({base_cpu[-1]:.2f} s CPU), "
                  f"ours {our_runs[-1]:.2f} s ({our_cpu[-1]:.2f} s CPU)", flush=True)
        # CPU time too: on a shared machine the wall clock mostly measures the other users.
        rows = [(f"import {args.volunteers:,} volunteers", median(our_runs), " s", median(base_runs),
                 "openpyxl read-only read + sqlite3.executemany"),
                (f"import {args.volunteers:,} volunteers, CPU", median(our_cpu), " s", median(base_cpu),
                 "the same, process CPU time")]

        if args.import_only:
            report(rows)
            print(f"goal: import within 1.0x of baseline ({median(our_runs) / median(base_runs):.2f}x)")
            return
        search, search_base = measure_search(imported)
        rows.append((f"name/pinyin search (median of {len(QUERIES)})", search, "ms", search_base,
                     "raw indexed prefix query, same filter and order"))
        ids = add_service_records(imported, args.records)
        total, total_base = measure_totals(imported, ids)
        rows.append((f"total hours, {args.records:,} records", total, "ms", total_base,
                     "raw SQL sum over the same join"))
        print()
        report(rows)
        print()
        print(f"goals: import within 1.0x of baseline ({median(our_runs) / median(base_runs):.2f}x); "
              f"search < 20 ms ({search:.1f}); total hours < 5 ms ({total:.2f})")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
