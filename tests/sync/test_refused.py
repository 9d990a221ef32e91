"""Packages that must be refused, each with its own Chinese message, the database untouched;
and an import killed half-way leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from civdesk.core import changes, db
from civdesk.core.errors import AlreadyApplied, SyncRefused, UntrustedSigner
from civdesk.core.meta import LocalMeta
from civdesk.sync import exchange, package, peers
from civdesk.volunteers.models import Team
from tests.support.databases import REPO_ROOT, initialize, key_for, setup_request, sql
from tests.support.sync import ADMIN_ACTOR, Pc, copy_pcs


@pytest.fixture(scope="module")
def templates(sync_templates, tmp_path_factory):
    """The usual PCs, and two that must be refused: another passphrase, another township."""
    folder = tmp_path_factory.mktemp("pcs")
    made = dict(sync_templates)
    other = folder / "other-pass.sqlite3"
    initialize(other, setup_request(node_name="口令不同的电脑", sync_passphrase="another-passphrase-9"))
    db.close_database()
    made["X1"] = other
    far = folder / "far.sqlite3"
    initialize(far, setup_request(office_name="远山镇", node_name="远山镇电脑"))
    db.close_database()
    made["F1"] = far
    return made


@pytest.fixture
def pcs(templates, tmp_path):
    made = copy_pcs(templates, list(templates), tmp_path / "pcs")
    yield {pc.name: pc for pc in made}
    db.close_database()


def snapshot(pc: Pc) -> str:
    """The whole database as SQL text, read beside the open connection (without the query
    planner's statistics, which closing a database refreshes)."""
    lines = [repr(r) for r in sql(pc.path, "SELECT type, name, sql FROM sqlite_master "
                                             "WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name")]
    for (name,) in sql(pc.path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"):
        lines += [repr(r) for r in sql(pc.path, f'SELECT * FROM "{name}" ORDER BY rowid')]
    return "\n".join(lines)


def village_package(pcs, usb, name="桂花队") -> Path:
    a = pcs["A1"].open()
    changes.create(Team, ADMIN_ACTOR, {"name": name, "village_id": a.office_id}, scope=a.office_id)
    return a.export(usb)


def refused(pc: Pc, path: Path, code: str, *, trust_new: bool = True, match: str = "") -> SyncRefused:
    before = snapshot(pc)
    pc.open()
    with pytest.raises(SyncRefused) as info:
        exchange.import_package(ADMIN_ACTOR, path, trust_new=trust_new)
    assert info.value.code == code, str(info.value)
    assert "未作任何更改" in str(info.value) or code == "already_applied"
    if match:
        assert match in str(info.value)
    db.close_database()
    assert snapshot(pc) == before
    return info.value


def rezip(source: Path, dest: Path, *, replace: dict | None = None, extra: dict | None = None,
          deflate: bool = False) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = (replace or {}).get(info.filename, zin.read(info))
            zout.writestr(info.filename, data, zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED)
        for name, data in (extra or {}).items():
            zout.writestr(name, data, zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED)
    return dest


def resign(source: Path, sender: Pc, dest: Path, *, manifest: dict | None = None, lines=None,
           signing_pem: str | None = None) -> Path:
    """What a different CivDesk (or someone holding the keys) would write: a valid package with
    the given changes to its manifest or its lines."""
    sender.open()
    opened = package.open_package(source)
    plain = opened.decrypt(peers.package_key(opened))
    fields = {k: v for k, v in opened.manifest.items()
              if k not in ("files", "encryption", "format", "format_version", "compression")}
    fields.update(manifest or {})
    if lines is not None:
        plain = lines(plain)
    package.write(dest, fields, plain, signing_pem=signing_pem or LocalMeta.get_value("signing_key"),
                  sync_key=peers.package_key(opened), salt=opened.salt,
                  kdf=opened.kdf_params if opened.salt else None)
    return dest


def test_a_good_package_applies(pcs, usb):
    path = village_package(pcs, usb)
    incoming = pcs["T1"].import_(path)
    assert incoming.applied and incoming.report()["new"]["team"] == 1


def test_truncated_file(pcs, usb, tmp_path):
    path = village_package(pcs, usb)
    cut = tmp_path / "cut.civsync"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    refused(pcs["T1"], cut, "truncated", match="不完整")


def test_a_byte_changed_inside(pcs, usb, tmp_path):
    path = village_package(pcs, usb)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = tmp_path / "flip.civsync"
    bad.write_bytes(bytes(data))
    refused(pcs["T1"], bad, "altered", match="改动")


def test_changes_replaced_with_a_consistent_zip(pcs, usb, tmp_path):
    path = village_package(pcs, usb)
    with zipfile.ZipFile(path) as zf:
        cipher = bytearray(zf.read(package.CHANGES))
    cipher[-1] ^= 0xFF
    refused(pcs["T1"], rezip(path, tmp_path / "c.civsync", replace={package.CHANGES: bytes(cipher)}), "altered",
            match="SHA-256")


def test_manifest_edited_after_signing(pcs, usb, tmp_path):
    path = village_package(pcs, usb)
    with zipfile.ZipFile(path) as zf:
        text = zf.read(package.MANIFEST).decode()
    edited = text.replace('"schema_version": ', '"schema_version": 1', 1)
    refused(pcs["T1"], rezip(path, tmp_path / "m.civsync", replace={package.MANIFEST: edited.encode()}), "altered",
            match="签名")


def test_wrong_passphrase(pcs, usb):
    refused(pcs["X1"], village_package(pcs, usb), "wrong_passphrase", match="同步口令")


def test_untrusted_signer_names_the_pc_and_its_fingerprint(pcs, usb):
    path = village_package(pcs, usb)
    error = refused(pcs["T1"], path, "untrusted", trust_new=False)
    assert isinstance(error, UntrustedSigner)
    assert error.node_name == "桂花村1" and error.fingerprint in str(error) and "桂花村1" in str(error)
    pcs["A1"].open()
    from civdesk.office import setup

    assert error.fingerprint == setup.own_fingerprint()  # what the village PC shows in 设置
    # A clerk may not trust a new PC; an administrator may.
    from civdesk.core.actor import Actor
    from civdesk.core.errors import PermissionDenied

    pcs["T1"].open()
    with pytest.raises(PermissionDenied):
        exchange.import_package(Actor("zhang", "张丽", "clerk"), path, trust_new=True)
    assert pcs["T1"].import_(path).applied


def test_a_different_key_for_a_known_pc(pcs, usb, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    first = village_package(pcs, usb)
    pcs["T1"].import_(first)
    second = village_package(pcs, usb, "第二个队")
    forged_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    pcs["A1"].open()
    source = {**package.open_package(second).source, "public_key": package.public_key_text(forged_key)}
    forged = resign(second, pcs["A1"], tmp_path / "forged.civsync", manifest={"source": source},
                    signing_pem=forged_key)
    refused(pcs["T1"], forged, "key_changed", match="伪造")


def test_a_manifest_resigned_with_a_new_package_id_is_tampering(pcs, usb, tmp_path):
    """Finding 8 of issue 13: a manifest given a new package id and re-signed by another key (all
    one can do without the passphrase) was reported as 同步口令不对."""
    import json
    import uuid

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = village_package(pcs, usb)
    opened = package.open_package(path)
    forged_key = Ed25519PrivateKey.generate()
    pem = forged_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()).decode()
    manifest = {**opened.manifest, "package_id": str(uuid.uuid4()),
                "source": {**opened.source, "node_id": uuid.uuid4().hex, "public_key": package.public_key_text(pem)}}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
    forged = rezip(path, tmp_path / "forged.civsync",
                   replace={"manifest.json": manifest_bytes, "signature.bin": forged_key.sign(manifest_bytes)})
    error = refused(pcs["T1"], forged, "altered", match="篡改")
    assert "同步口令不对" not in str(error)
    refused(pcs["X1"], path, "wrong_passphrase", match="同步口令")


def test_package_meant_for_another_office(pcs, usb):
    t, a, b = pcs["T1"], pcs["A1"], pcs["B1"]
    t.import_(a.export(usb))
    for_a = t.export(usb, a)
    refused(b, for_a, "other_office", match="桂花村")


def test_package_from_another_township(pcs, usb):
    refused(pcs["F1"], village_package(pcs, usb), "other_office", match="不属于本乡镇")


def test_newer_schema_is_refused_older_is_upgraded(pcs, usb, tmp_path):
    from civdesk.core.schema import SCHEMA_VERSION

    path = village_package(pcs, usb)
    newer = resign(path, pcs["A1"], tmp_path / "new.civsync", manifest={"schema_version": SCHEMA_VERSION + 1})
    refused(pcs["T1"], newer, "newer_schema", match="升级")
    older = resign(path, pcs["A1"], tmp_path / "old.civsync", manifest={"schema_version": 3})
    assert pcs["T1"].import_(older).report()["new"]["team"] == 1


def test_unknown_field_from_a_newer_version_is_refused(pcs, usb, tmp_path):
    path = village_package(pcs, usb)
    bad = resign(path, pcs["A1"], tmp_path / "f.civsync",
                 lines=lambda plain: plain.replace(b'"name\\":', b'"colour\\":\\"red\\",\\"name\\":', 1))
    refused(pcs["T1"], bad, "newer_schema", match="不认识的字段")


def test_malformed_line_is_reported_by_number(pcs, usb, tmp_path):
    path = village_package(pcs, usb)
    pcs["A1"].open()
    opened = package.open_package(path)
    entries = len(opened.decrypt(peers.package_key(opened)).splitlines()) + 1
    bad = resign(path, pcs["A1"], tmp_path / "l2.civsync", lines=lambda plain: plain + b"[1,2,3]\n",
                 manifest={"entries": entries})
    refused(pcs["T1"], bad, "malformed", match=f"第 {entries} 条")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "sub/../../x", "C:/x", "a\\..\\b"])
def test_unsafe_paths_in_the_zip(pcs, usb, tmp_path, name):
    path = village_package(pcs, usb)
    refused(pcs["T1"], rezip(path, tmp_path / "p.civsync", extra={name: b"x"}), "unsafe_path", match="路径")


def test_compression_bomb_entry(pcs, usb, tmp_path):
    path = village_package(pcs, usb)
    bomb = rezip(path, tmp_path / "b.civsync", replace={package.SIGNATURE: b"\0" * (1 << 20)}, deflate=True)
    refused(pcs["T1"], bomb, "oversized")
    huge = rezip(path, tmp_path / "h.civsync", replace={package.CHANGES: b"\0" * (8 << 20)}, deflate=True)
    refused(pcs["T1"], huge, "oversized", match="压缩")


def test_payload_over_the_size_limit(pcs, usb, monkeypatch):
    path = village_package(pcs, usb)
    monkeypatch.setattr(package, "MAX_PLAIN", 100)
    refused(pcs["T1"], path, "oversized", match="上限")


def test_not_a_package_at_all(pcs, usb, tmp_path):
    zip_file = tmp_path / "photos.civsync"
    with zipfile.ZipFile(zip_file, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8")
    refused(pcs["T1"], zip_file, "malformed")
    text = tmp_path / "notes.civsync"
    text.write_text("hello")
    refused(pcs["T1"], text, "truncated")


def test_already_applied_changes_nothing(pcs, usb):
    path = village_package(pcs, usb)
    pcs["T1"].import_(path)
    error = refused(pcs["T1"], path, "already_applied", match="已于")
    assert isinstance(error, AlreadyApplied)


def test_own_package(pcs, usb):
    refused(pcs["A1"], village_package(pcs, usb), "own_package")


def test_dry_run_writes_nothing(pcs, usb):
    path = village_package(pcs, usb)
    before = snapshot(pcs["T1"])
    pcs["T1"].open()
    incoming = exchange.import_package(ADMIN_ACTOR, path, dry_run=True, trust_new=True)
    assert incoming.report()["new"]["team"] == 1 and not incoming.applied
    db.close_database()
    assert snapshot(pcs["T1"]) == before


def test_failure_half_way_rolls_back(pcs, usb, monkeypatch):
    path = village_package(pcs, usb)
    t = pcs["T1"]
    before = snapshot(t)
    real = exchange._update_peer

    def explode(*args, **kwargs):
        real(*args, **kwargs)  # rows, log and peer written; the transaction is still open
        raise OSError("磁盘已满")

    monkeypatch.setattr(exchange, "_update_peer", explode)
    t.open()
    with pytest.raises(OSError):
        exchange.import_package(ADMIN_ACTOR, path, trust_new=True)
    db.close_database()
    after = snapshot(t)
    assert after == before


KILLER = """
import os, signal, sys
sys.path.insert(0, {root!r})
from civdesk.domains import register_all
register_all()
from civdesk.core import db
from civdesk.core.actor import Actor
from civdesk.sync import exchange
db.open_database({db!r}, key=bytes.fromhex({key!r}))
real = exchange._update_peer
def killed(*a, **k):
    real(*a, **k)
    os.kill(os.getpid(), signal.SIGKILL)  # rows, log and peer written, not yet committed
exchange._update_peer = killed
incoming = exchange.read_package({pkg!r}, trust_new=True)
exchange.apply_package(Actor("admin", "王主任", "admin"), incoming)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_import_killed_mid_way_leaves_the_database_as_it_was(pcs, usb):
    path = village_package(pcs, usb)
    t = pcs["T1"]
    t.open()
    db.close_database()
    before = snapshot(t)
    script = KILLER.format(root=str(REPO_ROOT), db=str(t.path), pkg=str(path), key=key_for(t.path).hex())
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert snapshot(t) == before  # the open transaction died with the process
    assert t.import_(path).applied  # and the package still applies afterwards


def test_export_never_leaves_a_half_file_under_the_final_name(pcs, usb, monkeypatch):
    a = pcs["A1"].open()
    changes.create(Team, ADMIN_ACTOR, {"name": "队", "village_id": a.office_id}, scope=a.office_id)
    target = usb / "out.civsync"
    real_fsync = os.fsync

    def pulled_out(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", pulled_out)
    with pytest.raises(Exception, match="U 盘"):
        exchange.export_package(ADMIN_ACTOR, target)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert not target.exists() and list(usb.iterdir()) == []
