"""Files opened from the database: one app-owned folder, cleaned names, emptied at start."""

from __future__ import annotations

import pytest

from civdesk.core import opened_files


@pytest.fixture(autouse=True)
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVDESK_OPEN_DIR", str(tmp_path / "opened"))
    return tmp_path / "opened"


@pytest.mark.parametrize(("name", "expected"), [
    ("公示栏.jpg", "公示栏.jpg"),
    ("C:\\Windows\\System32\\evil.jpg", "evil.jpg"),
    ("/etc/cron.d/evil.jpg", "evil.jpg"),
    ("../../up.pdf", "up.pdf"),
    ("a.jpg:stream", "a.jpg_stream"),
    ("C:evil.jpg", "C_evil.jpg"),
    ("NUL.pdf", "_NUL.pdf"),
    ("..", "附件"),
    ("", "附件"),
    ("名单.pdf. . ", "名单.pdf"),
    ("a\x00b<>|?*.png", "a_b_____.png"),
])
def test_clean_names(name, expected):
    assert opened_files.clean_name(name) == expected


def test_long_names_keep_their_suffix():
    cleaned = opened_files.clean_name("长" * 300 + ".pdf")
    assert len(cleaned) <= opened_files.MAX_NAME and cleaned.endswith(".pdf")


def test_places_stay_in_the_folder_and_do_not_overwrite(folder):
    first = opened_files.place_for("x/../照片.jpg")
    first.write_bytes(b"1")
    second = opened_files.place_for("照片.jpg")
    assert first.parent == second.parent == folder and second.name == "照片 (2).jpg"


def test_emptied_at_start(folder):
    opened_files.place_for("a.pdf").write_bytes(b"1")
    (folder / "sub").mkdir()
    assert opened_files.empty_folder() == 2 and not any(folder.iterdir())
