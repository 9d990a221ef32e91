"""Fixtures for core tests: fresh databases set up the way a first run sets them up.

Setting up derives keys with scrypt, so one database of each kind is initialized per session and
copied for each test; ``initialize`` makes a truly independent one (its own node id) when a
test needs that.

The files are encrypted: ``open_db`` opens one with its key (remembered when this test run
created it, else unwrapped with the administrator's password), ``copy_db`` copies a database
together with its keyring, ``sql`` reads through the keyed driver. New slots use a cheap scrypt
cost (CIVDESK_TEST_SCRYPT_N, also passed to the CLI), so that logins stay fast.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from civdesk.core import changes, db, encrypted_db, keyring, schema
from civdesk.core.actor import Actor
from civdesk.office import accounts, setup
from civdesk.office.models import Office
from civdesk.office.setup import SetupRequest

REPO_ROOT = Path(__file__).resolve().parents[2]
DB_NAME = "civdesk.sqlite3"

TOWNSHIP = "清溪镇"
VILLAGE = "桂花村"
ADMIN = "admin"
ADMIN_NAME = "王主任"
ADMIN_PASSWORD = "Qingxi#2024"
PASSPHRASE = "tongbu-kouling-88"


def setup_request(**overrides) -> SetupRequest:
    values = dict(office_name=TOWNSHIP, kind="township", node_name="文明办电脑", admin_username=ADMIN,
                  admin_password=ADMIN_PASSWORD, sync_passphrase=PASSPHRASE, admin_display_name=ADMIN_NAME)
    values.update(overrides)
    return SetupRequest(**values)


def village_request(**overrides) -> SetupRequest:
    return setup_request(**{"office_name": VILLAGE, "kind": "village", "township_name": TOWNSHIP,
                            "node_name": "桂花村电脑", **overrides})


os.environ.setdefault("CIVDESK_TEST_SCRYPT_N", "1024")
KEYS: dict[str, bytes] = {}  # key id -> database key of every database this run created


def remember_key() -> None:
    if db.state.key is not None:
        KEYS[keyring.key_id(db.state.key)] = db.state.key


def key_for(path) -> bytes | None:
    """The key of the database file *path* (None for a plain file)."""
    path = Path(path)
    if not db.is_encrypted(path) or not keyring.keyring_path(path).exists():
        return None
    ring = keyring.Keyring.load(keyring.keyring_path(path))
    if ring.key_id in KEYS:
        return KEYS[ring.key_id]
    try:
        return ring.unlock(ADMIN, ADMIN_PASSWORD)
    except keyring.WrongSecret:
        return ring.unlock(ADMIN, "demo1234")  # the demo databases' administrator


def open_db(path, **kwargs):
    """``db.open_database`` with the file's key, as a login would give it."""
    state = db.open_database(path, key=key_for(path), **kwargs)
    remember_key()
    return state


class RawConnection:
    """A keyed apsw connection with the few sqlite3 habits tests use (commit is a no-op: apsw
    commits each statement outside BEGIN)."""

    def __init__(self, path):
        self.conn = encrypted_db.connect(path, key_for(path))

    def execute(self, query, params=()):
        return self.conn.execute(query, params)

    def executemany(self, query, rows):
        return self.conn.executemany(query, rows)

    def commit(self):
        pass

    def close(self):
        self.conn.close()


def raw(path) -> RawConnection:
    """Write to a database file directly (keyed), bypassing the core."""
    return RawConnection(path)


def copy_db(source, dest) -> Path:
    """Copy a closed database file together with its keyring (they always travel together)."""
    shutil.copyfile(source, dest)
    keys = keyring.keyring_path(source)
    if keys.exists():
        shutil.copyfile(keys, keyring.keyring_path(dest))
    return Path(dest)


def initialize(path: Path, request: SetupRequest | None = None) -> Actor:
    """Open a new database at *path* and run first-run setup; the database stays open."""
    db.open_database(path)
    remember_key()
    return setup.initialize(request or setup_request())


def admin_actor() -> Actor:
    return Actor(ADMIN, ADMIN_NAME, "admin")


def sql(path: Path, query: str, params=()) -> list[tuple]:
    """Read a database file directly through the keyed driver, bypassing the core."""
    import apsw

    conn = encrypted_db.connect(path, key_for(path), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return [tuple(r) for r in conn.execute(query, params).fetchall()]
    finally:
        conn.close()


def run_cli(*args: str, env: dict | None = None, input: str | None = None, timeout: float = 120):
    """``python -m civdesk ARGS`` in a subprocess; passwords come from *env* (never from args)."""
    # No passwords leak in from the caller (the test run's own demo cache does, see conftest);
    # PYTHONIOENCODING is not forced: the CLI itself writes UTF-8, whatever the console's code page.
    full_env = {k: v for k, v in os.environ.items()
                if (not k.startswith("CIVDESK_") or k == "CIVDESK_DEMO_CACHE") and k != "PYTHONIOENCODING"}
    full_env["CIVDESK_TEST_SCRYPT_N"] = os.environ["CIVDESK_TEST_SCRYPT_N"]
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "civdesk", *args], cwd=REPO_ROOT, env=full_env,
                          input=input if input is not None else "", capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


V1_NODE = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
V1_OFFICE = "6a1d8f1e-0000-4000-8000-000000000001"
V1_STAMP = f"0001700000000000-00000-{V1_NODE}"


def build_v1(path: Path) -> None:
    """A database as CivDesk 1 left it: step 1 only, with an office, a user and its '*' entry."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = wal")
        conn.execute("BEGIN")
        for statement in schema.statements(schema.STEP_1):
            conn.execute(statement)
        conn.executemany("INSERT INTO local_meta (key, value) VALUES (?, ?)",
                         [("node_id", V1_NODE), ("office_id", V1_OFFICE), ("node_name", "老电脑")])
        conn.execute("INSERT INTO office (id, scope, deleted, clock, created_at, created_by, updated_at, "
                     "updated_by, name, kind, name_pinyin, name_initials, phone) "
                     "VALUES (?, NULL, 0, ?, '2023-11-15 08:00:00', 'admin', '2023-11-15 08:00:00', 'admin', "
                     "'清溪镇', 'township', 'qing xi zhen', 'qxz', '028-83951234')", (V1_OFFICE, V1_STAMP))
        conn.execute("INSERT INTO change_log (hlc, tbl, record_id, field, value, base, node_id, scope, username, at) "
                     "VALUES (?, 'office', ?, '*', '{\"name\":\"清溪镇\"}', NULL, ?, NULL, 'admin', "
                     "'2023-11-15 08:00:00')", (V1_STAMP, V1_OFFICE, V1_NODE))
        conn.execute("INSERT INTO user (username, display_name, role, password_hash, created_at) "
                     "VALUES (?, '王主任', 'admin', ?, '2023-11-15 08:00:00')",
                     (ADMIN, accounts.hash_password(ADMIN_PASSWORD)))
        conn.execute("PRAGMA user_version = 1")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def corrupt_pages(source: Path, dest: Path, *, first_page: int) -> Path:
    """A copy of *source* with junk written into every fifth page from *first_page* on (or from
    past the tables' and indexes' root pages, which grow with each domain's schema step)."""
    roots = sql(source, "SELECT MAX(rootpage) FROM sqlite_master")[0][0] or 0
    first_page = max(first_page, roots + 5)
    copy_db(source, dest)
    data = bytearray(dest.read_bytes())
    page = 4096
    assert len(data) > (first_page + 20) * page
    for offset in range(first_page * page, len(data) - page, page * 5):
        data[offset + 8:offset + 1500] = os.urandom(1492)
    dest.write_bytes(bytes(data))
    return dest


@pytest.fixture(autouse=True)
def _close_database():
    yield
    db.close_database()


def _template(factory, name: str, request: SetupRequest) -> Path:
    path = factory.mktemp(name) / DB_NAME
    initialize(path, request)
    db.close_database()
    return path


@pytest.fixture(scope="session")
def township_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory, "township", setup_request())


@pytest.fixture(scope="session")
def village_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory, "village", village_request())


def run_folder(tmp_path_factory) -> Path:
    """The folder of the whole test run: under pytest-xdist each worker has a folder of its own
    inside it (``popen-gw0`` …), without xdist it is the run's own basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def run_lock(tmp_path_factory, name: str):
    """Held by one process of the test run at a time (xdist workers wait for each other)."""
    from civdesk.core.errors import DatabaseBusy
    from civdesk.core.writer_lock import WriterLock

    lock = WriterLock(run_folder(tmp_path_factory) / name)
    while True:
        try:
            lock.acquire()
            break
        except DatabaseBusy:
            time.sleep(0.2)
    try:
        yield
    finally:
        lock.release()


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory):
    """The demo database cache of this test run (CIVDESK_DEMO_CACHE, passed on to run_cli): the
    whole demo township is built once per run, never from the user's own cache. xdist workers
    share it: the first to need the demo builds it, the others copy it."""
    folder = run_folder(tmp_path_factory) / "demo-cache"
    folder.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CIVDESK_DEMO_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def demo_template(demo_cache, tmp_path_factory) -> Path:
    """The whole demo township (login admin / demo1234), built once per test run the way the
    program builds it (civdesk.demo.cache) and closed; tests copy it (``demo_copy``)."""
    from civdesk import demo
    from civdesk.demo import cache
    from civdesk.office import maintenance

    path = tmp_path_factory.mktemp("demo") / DB_NAME
    with run_lock(tmp_path_factory, "demo-build"):  # one worker builds, the others copy its cache
        cache.create(path)
    maintenance.login(path, "admin", demo.DEMO_PASSWORD)  # unlocks its key as a login does
    remember_key()
    db.close_database()
    return path


@pytest.fixture
def demo_copy(demo_template, db_path) -> Path:
    """A fresh copy of the demo township (with its keyring) at ``db_path``, not opened."""
    copy_db(demo_template, db_path)
    return db_path


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / DB_NAME


@pytest.fixture
def admin(township_template, db_path) -> Actor:
    """A freshly initialized township database, open; returns its administrator."""
    copy_db(township_template, db_path)
    open_db(db_path)
    return admin_actor()


@pytest.fixture
def village_admin(village_template, db_path) -> Actor:
    """A freshly initialized village database (桂花村 of 清溪镇), open; returns its administrator."""
    copy_db(village_template, db_path)
    open_db(db_path)
    return admin_actor()


@pytest.fixture
def big_database(admin, db_path) -> Path:
    """A database of a few thousand rows, closed, so pages can be damaged in copies of it."""
    changes.create_many(Office, admin, [{"name": f"第{i}村民小组", "kind": "village",
                                         "address": "清溪镇" + "长" * 60} for i in range(3000)])
    assert db.integrity_problems() == []
    db.close_database()
    return db_path


@pytest.fixture(scope="session")
def sync_templates(tmp_path_factory):
    """Five PCs set up once per session (two township PCs, two of 桂花村, one of 荷塘村); tests
    copy them (sync_helpers.copy_pcs) so that each starts from fresh, independent PCs."""
    from tests.support.sync import make_templates

    made = make_templates(tmp_path_factory.mktemp("sync-pcs"))
    yield made
    db.close_database()


@pytest.fixture
def usb(tmp_path):
    """A folder standing for the USB stick."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder
