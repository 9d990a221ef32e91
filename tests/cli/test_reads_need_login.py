"""Issue 13: every command that reads personal data logs in (the database is encrypted, so it
cannot be read otherwise); without --user it is refused before anything is read, with a wrong
password it is refused and nothing is printed."""

from __future__ import annotations

import pytest

READS = [
    ("volunteer", "list", "--json"),
    ("nomination", "list", "--session", "2026", "--json"),
    ("sync", "conflicts", "--json"),
    ("unit", "list", "--json"),
    ("supervision", "notices"),
    ("hotline", "list"),
    ("hours", "list", "--json"),
    ("dump", "--json"),
]


@pytest.mark.parametrize("command", READS, ids=[" ".join(c[:2]) for c in READS])
def test_a_read_without_an_account_is_refused(admin, civ, command):
    ran = civ(*command, user=None)
    assert ran.returncode == 2 and "--user" in ran.stderr and ran.stdout == ""


@pytest.mark.parametrize("command", READS[:6], ids=[" ".join(c[:2]) for c in READS[:6]])
def test_a_read_with_a_wrong_password_prints_nothing(admin, civ, command):
    civ.passwords["admin"] = "Wrong#password1"
    ran = civ(*command)
    assert ran.returncode == 1 and "用户名或密码不正确" in ran.stderr and ran.stdout == ""


def test_a_read_logs_in(admin, civ):
    ran = civ("volunteer", "list", "--json")
    assert ran.returncode == 0, ran.stderr
