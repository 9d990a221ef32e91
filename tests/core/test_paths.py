"""Windows readiness of civdesk.core.paths, tested here: SQLite URIs of awkward paths (Windows
paths read with the function Windows uses), the portable folder beside the bundle's program and
its write check, renames retried while a scanner holds the file, and the resources as package data."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from civdesk.core import db, paths

AWKWARD = ["a#b", "p%20c", "100%", "with space", "文明办 资料", "#"]
if os.name != "nt":  # "?" cannot be in a Windows file name
    AWKWARD += ["q?x", "x?mode=rw#frag"]


def _make_db(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.execute("INSERT INTO t VALUES ('甲')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("folder", AWKWARD)
def test_read_only_uri_opens_the_very_file(tmp_path, folder):
    path = tmp_path / folder / "civdesk.sqlite3"
    _make_db(path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    conn = sqlite3.connect(paths.sqlite_uri(path), uri=True)
    try:
        assert conn.execute("SELECT v FROM t").fetchall() == [("甲",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("INSERT INTO t VALUES ('乙')")
    finally:
        conn.close()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "no file made at a cut path"


def test_the_core_opens_a_database_read_only_under_a_hash_folder(tmp_path):
    path = tmp_path / "第#1 办" / "civdesk.sqlite3"
    path.parent.mkdir()
    db.open_database(path)
    db.close_database()
    state = db.open_database(path, read_only=True)
    try:
        assert state.read_only and db.database.execute_sql("PRAGMA user_version").fetchone()[0] > 0
    finally:
        db.close_database()


@pytest.mark.parametrize(("windows_path", "uri"), [
    (r"C:\Users\张三\AppData\Local\CivDesk\civdesk.sqlite3",
     "file:///C:/Users/%E5%BC%A0%E4%B8%89/AppData/Local/CivDesk/civdesk.sqlite3?mode=ro"),
    (r"D:\文明办 #2\100% ?.sqlite3", "file:///D:/%E6%96%87%E6%98%8E%E5%8A%9E%20%232/100%25%20%3F.sqlite3?mode=ro"),
    (r"\\server\share\镇文明办\a#b.sqlite3",
     "file:////server/share/%E9%95%87%E6%96%87%E6%98%8E%E5%8A%9E/a%23b.sqlite3?mode=ro"),
    ("//server/share/x.sqlite3", "file:////server/share/x.sqlite3?mode=ro"),
])
def test_windows_paths_become_uris_sqlite_accepts(windows_path, uri):
    assert paths.sqlite_uri(windows_path, windows=True) == uri


def test_a_unc_uri_has_an_empty_authority():
    """The old form file://server/share/… is refused by SQLite as an "invalid uri authority"
    (and was then reported as a damaged database); the new form reaches the file system."""
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect("file://server/share/x.sqlite3?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        sqlite3.connect(paths.sqlite_uri(r"\\no-such-host.invalid\share\x.sqlite3", windows=True), uri=True)
    assert "authority" not in str(refused.value)


def _frozen(monkeypatch, exe: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))


def test_in_the_bundle_the_portable_folder_is_beside_the_program(tmp_path, monkeypatch):
    exe = tmp_path / "U盘" / "CivDesk" / "CivDesk.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    _frozen(monkeypatch, exe)
    assert paths.program_dir() == exe.parent and paths.program_name() == "civdesk"
    assert paths.portable_data_dir() is None and paths.data_dir() == paths.user_data_dir()
    (exe.parent / "data").mkdir()
    assert paths.portable_data_dir() == exe.parent / "data"
    assert paths.default_db_path() == exe.parent / "data" / paths.DB_FILENAME
    assert paths.portable_problem() == ""


def test_a_portable_folder_that_cannot_be_written_is_said_and_not_used(tmp_path, monkeypatch):
    exe = tmp_path / "CivDesk" / "CivDesk.exe"
    (exe.parent / "data").mkdir(parents=True)
    _frozen(monkeypatch, exe)
    real_mkstemp = paths.tempfile.mkstemp

    def read_only_stick(*args, dir=None, **kwargs):
        if Path(dir) == exe.parent / "data":
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(paths.tempfile, "mkstemp", read_only_stick)
    assert paths.portable_data_dir() is None and paths.data_dir() == paths.user_data_dir()
    problem = paths.portable_problem()
    assert str(exe.parent / "data") in problem and "无法写入" in problem and str(paths.user_data_dir()) in problem


def test_writable_asks_the_file_system(tmp_path):
    assert paths.writable(tmp_path) and not list(tmp_path.iterdir()), "the probe file is removed"
    assert not paths.writable(tmp_path / "missing")
    assert not paths.writable(Path("/proc"))  # refused even to root


def test_a_rename_is_retried_while_the_file_is_held(tmp_path, monkeypatch):
    source, target = tmp_path / "a.part", tmp_path / "a.pdf"
    source.write_text("x")
    calls = []
    real_replace = os.replace

    def held_twice(src, dst):
        calls.append(src)
        if len(calls) <= 2:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        real_replace(src, dst)

    monkeypatch.setattr(paths.os, "replace", held_twice)
    monkeypatch.setattr(paths.time, "sleep", lambda s: None)
    paths.replace(source, target)
    assert len(calls) == 3 and target.read_text() == "x" and not source.exists()

    calls.clear()

    def always_held(src, dst):
        calls.append(src)
        raise PermissionError(13, "held")

    monkeypatch.setattr(paths.os, "replace", always_held)
    with pytest.raises(PermissionError):
        paths.replace(target, source)
    assert len(calls) == 5


def test_resources_are_package_data():
    """Read through importlib.resources, as an installed package and the bundle read them."""
    assert Path(paths.__file__).parents[1] / "resources" == paths.RESOURCES
    assert json.loads(paths.resource_text("fonts.json"))["roles"]["fangsong"]
    assert (paths.RESOURCES / "style.qss").is_file() and (paths.RESOURCES / "icons" / "civdesk.png").is_file()
    setup_cfg = (Path(paths.__file__).parents[2] / "setup.cfg").read_text(encoding="utf-8")
    assert "civdesk = resources/*.json, resources/*.qss, resources/icons/*" in setup_cfg
