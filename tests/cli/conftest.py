"""Running ``python -m civdesk`` in the test's own process: the same ``main(argv)`` a subprocess
runs, without starting Python and importing everything again for each command. A few tests in
test_cli.py still run real subprocesses (exit codes, stdin, --help)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from civdesk.cli.main import main
from civdesk.core import db
from tests.support.databases import ADMIN, ADMIN_PASSWORD, open_db

PASSWORDS = {ADMIN: ADMIN_PASSWORD}


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def civ(db_path, capsys, monkeypatch):
    """``civ(*args, user=ADMIN)`` runs a command on the test's database and returns (returncode,
    stdout, stderr). With *user* it acts as that account (password from PASSWORDS, or set
    ``civ.passwords[name]``). The database is open again afterwards so the test can look."""
    passwords = dict(PASSWORDS)

    def run(*args: str, user: str | None = ADMIN) -> Ran:
        # The database is encrypted: every command logs in, as the administrator unless told;
        # user=None runs a command without --user.
        for name in [k for k in os.environ if k.startswith("CIVDESK_") and k != "CIVDESK_TEST_SCRYPT_N"]:
            monkeypatch.delenv(name)
        argv = ["--db", str(db_path)]
        if user:
            monkeypatch.setenv("CIVDESK_PASSWORD", passwords[user])
            argv += ["--user", user]
        db.close_database()
        capsys.readouterr()
        try:
            code = main([*argv, *args])
        except SystemExit as exc:  # argparse: usage errors and --help
            code = exc.code
        out = capsys.readouterr()
        if db_path.exists() and (db.is_plain(db_path) or Path(f"{db_path}.keys").exists()):
            open_db(db_path)
        return Ran(code, out.out, out.err)

    run.passwords = passwords
    return run
