"""Several PCs in one test process: databases made once per session, copied per test.

Only one database is open at a time (civdesk.core.db.database), so a ``Pc`` opens its file when it
acts. Setting up runs scrypt; templates keep that to once per PC kind per session.
"""

from __future__ import annotations

from pathlib import Path

from civdesk.core import db, dump
from civdesk.core.actor import Actor
from civdesk.core.meta import LocalMeta
from civdesk.sync import exchange
from tests.support.databases import (
    ADMIN,
    ADMIN_NAME,
    copy_db,
    initialize,
    open_db,
    setup_request,
    village_request,
)

ADMIN_ACTOR = Actor(ADMIN, ADMIN_NAME, "admin")

# name -> setup request; two township PCs, two PCs of one village, one of another village.
PC_KINDS = {
    "T1": lambda: setup_request(node_name="文明办1"),
    "A1": lambda: village_request(node_name="桂花村1"),
    "T2": lambda: setup_request(node_name="文明办2"),
    "A2": lambda: village_request(node_name="桂花村2"),
    "B1": lambda: village_request(office_name="荷塘村", node_name="荷塘村1"),
}


def make_templates(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, request in PC_KINDS.items():
        path = folder / f"{name}.sqlite3"
        initialize(path, request())
        db.close_database()
        made[name] = path
    return made


class Pc:
    def __init__(self, name: str, path: Path):
        self.name, self.path = name, path
        self.open()
        self.node_id = LocalMeta.get_value("node_id")
        self.office_id = LocalMeta.get_value("office_id")
        self.node_name = LocalMeta.get_value("node_name")
        self.is_township = name.startswith("T")

    def open(self) -> Pc:
        if db.state.path != self.path or db.database.is_closed():
            db.close_database()
            open_db(self.path)
        return self

    def sees(self, scope) -> bool:
        return self.is_township or scope in (None, self.office_id)

    def export(self, out: Path, to: Pc | None = None, *, full: bool = False) -> Path:
        self.open()
        return exchange.export_package(ADMIN_ACTOR, out, to=to.node_id if to else None, full=full).path

    def import_(self, path: Path, **kw):
        self.open()
        return exchange.import_package(ADMIN_ACTOR, path, trust_new=True, **kw)

    def dump(self) -> dict:
        self.open()
        return dump.dump_records(full=True)


def copy_pcs(templates: dict[str, Path], names: list[str], folder: Path) -> list[Pc]:
    folder.mkdir(parents=True, exist_ok=True)
    pcs = []
    for name in names:
        path = folder / f"{name}.sqlite3"
        copy_db(templates[name], path)
        pcs.append(Pc(name, path))
    return pcs


def comparable(rows: dict, a: Pc, b: Pc) -> dict:
    """The records both PCs may hold, without the audit lines that sync itself writes
    (each import and export adds one, so they always trail the last package)."""
    result = {}
    for table, items in rows.items():
        kept = [r for r in items if a.sees(r.get("scope")) and b.sees(r.get("scope"))]
        if table == "audit_entry":
            kept = [r for r in kept if not r["action"].startswith(("sync_", "trust_"))]
        result[table] = kept
    return result
