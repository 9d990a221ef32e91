"""Who this PC is in sync, and the other PCs it has met (their keys and whether they are trusted)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from civdesk.core import changes
from civdesk.core.actor import Actor, require
from civdesk.core.errors import CivDeskError, NotFound
from civdesk.core.meta import LocalMeta
from civdesk.office import offices, setup
from civdesk.sync import package, passphrase
from civdesk.sync.models import SyncPeer


@dataclass(frozen=True)
class Identity:
    node_id: str
    node_name: str
    office_id: str
    office_name: str
    office_kind: str
    township_id: str
    township_name: str
    public_key: str
    fingerprint: str

    def as_manifest(self) -> dict:
        return {"node_id": self.node_id, "node_name": self.node_name, "office_id": self.office_id,
                "office_name": self.office_name, "office_kind": self.office_kind, "township_id": self.township_id,
                "township_name": self.township_name, "public_key": self.public_key}


def identity() -> Identity:
    office = offices.own_office_or_none()
    if office is None:
        raise CivDeskError("本机尚未初始化（找不到本单位），请先完成初始设置。")
    township = office if office.kind == "township" else offices.get(office.parent_id)
    pem = LocalMeta.get_value("signing_key") or ""
    return Identity(node_id=changes.node_id(), node_name=LocalMeta.get_value("node_name") or "",
                    office_id=office.id, office_name=office.name, office_kind=office.kind,
                    township_id=township.id if township else office.parent_id or "",
                    township_name=township.name if township else "",
                    public_key=package.public_key_text(pem), fingerprint=setup.own_fingerprint())


def epoch() -> str:
    """Names this database's change-log numbering; a restore starts a new one (seqs repeat)."""
    return LocalMeta.get_value("log_epoch") or f"first-{changes.node_id()}"


def new_epoch() -> None:
    LocalMeta.set_value("log_epoch", uuid.uuid4().hex)


def sync_key() -> bytes:
    value = LocalMeta.get_value("sync_key")
    if not value:
        raise CivDeskError("本机没有同步口令，请先完成初始设置。")
    return bytes.fromhex(value)


def office_salt() -> bytes | None:
    """This office's sync salt; None for an office set up before salts (its packages stay v1)."""
    value = LocalMeta.get_value("sync_salt")
    return bytes.fromhex(value) if value else None


_derived: dict[tuple, bytes] = {}


def key_for(salt: bytes | None, kdf: dict | None = None, base: bytes | None = None) -> bytes:
    """The package key for a salt of this office (the passphrase key itself for packages without
    one), from the current passphrase key or *base*. Derived once per salt in this process (about
    300 ms) and kept only in memory: reading a package, even a refused one, writes nothing."""
    base = base if base is not None else sync_key()
    if salt is None:
        return base
    params = {**package.KDF_DEFAULT, **(kdf or {})}
    name = (base, salt, params["n"], params["r"], params["p"])
    if name not in _derived:
        _derived[name] = setup.derive_office_key(base, salt, **params)
    return _derived[name]


def package_key(opened: package.OpenedPackage) -> bytes:
    """The key that opens *opened*: the current passphrase's, or an earlier one's of this PC
    (packages made before every PC of the office changed the passphrase); the current one when
    none matches, so that the refusal says why."""
    current = key_for(opened.salt, opened.kdf_params)
    if opened.key_matches(current):
        return current
    for base in passphrase.previous_keys():
        key = key_for(opened.salt, opened.kdf_params, base)
        if opened.key_matches(key):
            return key
    return current


def adopt_office_salt(opened: package.OpenedPackage) -> bool:
    """A village set up with a provisional salt takes its township's from the first township
    package it accepts; later packages of this PC then use the office's salt."""
    salt, source = opened.salt, opened.source
    if salt is None or source.get("office_kind") != "township" or LocalMeta.get_value("sync_salt_kind") != "provisional":
        return False
    LocalMeta.set_value("sync_salt", salt.hex())
    LocalMeta.set_value("sync_salt_kind", "office")
    return True


def all_peers() -> list[SyncPeer]:
    return list(SyncPeer.select().order_by(SyncPeer.office_kind.desc(), SyncPeer.office_name, SyncPeer.node_name))


def find(text: str) -> SyncPeer:
    """A known PC by its node id or its name (as shown in the peers list)."""
    text = (text or "").strip()
    peer = SyncPeer.get_or_none(SyncPeer.node_id == text)
    if peer is not None:
        return peer
    named = list(SyncPeer.select().where(SyncPeer.node_name == text))
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise CivDeskError(f"有 {len(named)} 台电脑都叫「{text}」，请改用节点编号：{'、'.join(p.node_id for p in named)}")
    raise NotFound(f"还不认识电脑「{text}」：先导入一个它导出的数据包，本机才知道它。")


def record_source(source: dict, *, trusted_by: Actor | None, now: str) -> SyncPeer:
    """Create or refresh the peer row for a package's source; trusts it if *trusted_by* is given."""
    peer = SyncPeer.get_or_none(SyncPeer.node_id == source["node_id"])
    fields = {"node_name": source["node_name"], "office_id": source["office_id"],
              "office_name": source["office_name"], "office_kind": source["office_kind"],
              "township_id": source.get("township_id") or "", "public_key": source["public_key"],
              "fingerprint": package.fingerprint_of(source["public_key"])}
    if peer is None:
        peer = SyncPeer.create(node_id=source["node_id"], first_seen=now, **fields)
    else:
        for key, value in fields.items():
            setattr(peer, key, value)
    if trusted_by is not None and not peer.trusted:
        require(trusted_by, "trust_peers")
        peer.trusted, peer.trusted_at, peer.trusted_by = True, now, trusted_by.username
    peer.save()
    return peer


def set_trusted(actor: Actor, node_id: str, trusted: bool) -> SyncPeer:
    """Trust a PC already known, or withdraw trust (its packages are then refused)."""
    require(actor, "trust_peers")
    peer = SyncPeer.get_or_none(SyncPeer.node_id == node_id)
    if peer is None:
        raise NotFound("找不到这台电脑的记录。")
    now = changes.now_text()
    peer.trusted = trusted
    peer.trusted_at, peer.trusted_by = (now, actor.username) if trusted else (None, None)
    peer.save()
    changes.write_audit(actor, "trust_peer" if trusted else "distrust_peer", tbl="sync_peer", record_id=node_id,
                        record_label=f"{peer.office_name}「{peer.node_name}」",
                        note=f"{'信任' if trusted else '取消信任'}电脑「{peer.node_name}」，密钥指纹 {peer.fingerprint}")
    return peer
