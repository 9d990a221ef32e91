"""``python -m civdesk sync …`` end to end: two databases exchange packages through a folder,
a conflict is listed and resolved from the command line."""

from __future__ import annotations

import json

import pytest

from civdesk.core import changes, db
from civdesk.volunteers.models import Team
from tests.support.databases import ADMIN, ADMIN_PASSWORD, run_cli
from tests.support.sync import ADMIN_ACTOR, copy_pcs

ENV = {"CIVDESK_PASSWORD": ADMIN_PASSWORD}


@pytest.fixture
def templates(sync_templates):
    return sync_templates


def cli(pc, *args, check=True):
    db.close_database()
    result = run_cli("--db", str(pc.path), "--user", ADMIN, "sync", *args, env=ENV)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def latest(folder):
    return max(folder.glob("*.civsync"), key=lambda p: p.stat().st_mtime_ns)


def test_exchange_conflict_and_resolution_from_the_command_line(templates, tmp_path):
    t, a = copy_pcs(templates, ["T1", "A1"], tmp_path / "pcs")
    usb = tmp_path / "usb"
    usb.mkdir()
    a.open()
    tid = changes.create(Team, ADMIN_ACTOR, {"name": "桂花村环保队", "village_id": a.office_id}, scope=a.office_id).id
    exported = json.loads(cli(a, "export", "--out", str(usb), "--json").stdout)
    assert exported["counts"]["team"] == {"entries": 1, "records": 1}

    untrusted = cli(t, "import", exported["file"], "--json", check=False)
    assert untrusted.returncode == 1 and "尚未信任" in untrusted.stderr
    assert json.loads(untrusted.stdout)["refused"] == "untrusted"
    preview = json.loads(cli(t, "import", exported["file"], "--dry-run", "--json", "--trust-new").stdout)
    assert set(preview) >= {"package", "source", "new", "updated", "unchanged", "conflicts"}
    assert preview["new"]["team"] == 1 and not preview["applied"]
    done = json.loads(cli(t, "import", exported["file"], "--json", "--trust-new").stdout)
    assert done["applied"] and done["source"]["node_name"] == "桂花村1"
    again = cli(t, "import", exported["file"], check=False)
    assert again.returncode == 1 and "已于" in again.stderr and "导入过" in again.stderr

    cli(t, "export", "--out", str(usb), "--to", "桂花村1")
    cli(a, "import", str(latest(usb)), "--trust-new")
    # Both edit the same field before they meet again.
    a.open()
    changes.update(Team.get_by_id(tid), ADMIN_ACTOR, {"note": "村里写的"})
    t.open()
    changes.update(Team.get_by_id(tid), ADMIN_ACTOR, {"note": "镇里写的"})
    cli(a, "export", "--out", str(usb), "--to", "文明办1")
    cli(t, "import", str(latest(usb)))
    listed = json.loads(cli(t, "conflicts", "--json").stdout)
    assert len(listed) == 1 and listed[0]["field"] == "note"
    values = {v["value"]: v for v in listed[0]["values"]}
    assert set(values) == {"村里写的", "镇里写的"}
    assert sum(v["provisional_winner"] for v in values.values()) == 1
    usage = run_cli("--db", str(t.path), "--user", ADMIN, "sync", "resolve", listed[0]["id"], env=ENV)
    assert usage.returncode == 2
    cli(t, "resolve", listed[0]["id"], "--keep", values["村里写的"]["value_id"])
    assert json.loads(cli(t, "conflicts", "--json").stdout) == []
    cli(t, "export", "--out", str(usb), "--to", "桂花村1")
    cli(a, "import", str(latest(usb)))
    assert json.loads(cli(a, "conflicts", "--json").stdout) == []
    dumps = [json.loads(run_cli("--db", str(pc.path), "--user", ADMIN, "dump", "--json", env={"CIVDESK_PASSWORD": ADMIN_PASSWORD}).stdout)["team"] for pc in (a, t)]
    assert dumps[0] == dumps[1] and dumps[0][0]["note"] == "村里写的"
    peers = json.loads(cli(a, "peers", "--json").stdout)
    assert [p["node_name"] for p in peers["peers"]] == ["文明办1"] and peers["peers"][0]["trusted"]
