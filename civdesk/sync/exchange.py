"""Exporting and importing sync packages: what goes in, what is checked, what is written.

Export: the change-log entries the receiving PC has not acknowledged, limited to what its
office may see (a village: its own records and township-wide ones), plus our acknowledgements
of what we hold of every other PC's log.

Import: every check first (container, signature, checksum, office, passphrase, trust, schema,
already applied), then a plan (merge.py) that is the preview, then backup and one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from civdesk import __version__
from civdesk.core import changes, db
from civdesk.core.actor import Actor, require
from civdesk.core.db import database
from civdesk.core.errors import AlreadyApplied, CivDeskError, SyncRefused, UntrustedSigner
from civdesk.core.history import DELETED, WHOLE_RECORD
from civdesk.core.meta import LocalMeta
from civdesk.core.models import model_for_table, synced_models
from civdesk.core.schema import SCHEMA_VERSION
from civdesk.sync import merge, package, peers
from civdesk.sync.models import SyncPackage, SyncPeer

_SELECT = ("SELECT seq, hlc, tbl, record_id, field, value, base, node_id, scope, username, at "
           "FROM change_log WHERE seq > ? AND seq <= ? ORDER BY seq")


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def default_file_name(me: peers.Identity, receiver: SyncPeer | None) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = f"给{receiver.office_name}-{receiver.node_name}" if receiver else "完整"
    return _safe(f"{me.office_name}-{me.node_name}-{target}-{stamp}{package.SUFFIX}")


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


# What default_file_name writes: "<office>-<PC>-给<office>-<PC>-<yyyymmdd-hhmmss>.civsync", or
# "-完整-" in the middle for a package for any PC.
_FILE_NAME = re.compile(r"^(?P<source>.+?)-(?:给(?P<receiver>.+)|完整)-(?P<stamp>\d{8}-\d{6})$")


@dataclass(frozen=True)
class PackageName:
    """Who made a package, for whom and when, as its file name says (see :func:`parse_file_name`)."""

    source: str  # "<office>-<PC>" of the sender
    receiver: str  # "<office>-<PC>" it is for; "" for a full package (any PC)
    made: dt.datetime


def parse_file_name(name: str) -> PackageName | None:
    """The inverse of :func:`default_file_name`; None for a file renamed by hand. Only for labels:
    what a package really is comes from its signed manifest."""
    match = _FILE_NAME.match(Path(name).stem)
    if match is None:
        return None
    try:
        made = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return PackageName(match["source"], match["receiver"] or "", made)


def table_label(table: str) -> str:
    """What a synced table is called on screen (its name when it is unknown here)."""
    try:
        return model_for_table(table).label or table
    except KeyError:
        return table


@dataclass
class ExportResult:
    path: Path
    package_id: str
    entries: int
    counts: dict[str, dict[str, int]]
    size: int
    receiver: str

    def as_json(self) -> dict:
        return {"package": self.package_id, "file": str(self.path), "entries": self.entries,
                "size": self.size, "receiver": self.receiver, "counts": self.counts}


def _scope_filter(me: peers.Identity, receiver: SyncPeer | None):
    """Which scopes the package may carry, and whether it covers all the receiver may have."""
    if receiver is not None:
        if receiver.office_kind == "village":
            allowed = {None, receiver.office_id}
            return (lambda scope: scope in allowed), True
        return (lambda scope: True), True
    if me.office_kind == "village":
        return (lambda scope: True), True  # a village holds only what any PC of the township may see
    # A township package for "any PC" may reach any village: only township-wide records.
    return (lambda scope: scope is None), False


def _entries(start: int, end: int, allowed, receiver: SyncPeer | None, progress) -> tuple[list, Counter, dict]:
    """The log entries (as wire lines) of seq start < seq <= end that the package carries, with
    the count of entries and the set of records per table."""
    own_max = receiver.own_max if receiver is not None else None
    lines, counts, records = [], Counter(), {}
    dumps = json.dumps
    for _seq, *wire in database.execute_sql(_SELECT, (start, end)):
        hlc, tbl, record_id, _f, _v, _b, node, scope = wire[:8]
        if not allowed(scope):
            continue
        if receiver is not None and node == receiver.node_id and own_max and hlc <= own_max:
            continue  # the receiver made it and still holds it
        lines.append(dumps(wire, ensure_ascii=False, separators=(",", ":")))
        counts[tbl] += 1
        records.setdefault(tbl, set()).add(record_id)
        if progress and len(lines) % 20000 == 0:
            progress(len(lines), 0, f"已读取 {len(lines)} 条变更…")
    return lines, counts, records


def _record_export(actor: Actor, manifest: dict, out: Path, receiver: SyncPeer | None) -> None:
    """The package in this PC's list of packages, the receiver's last-sent time, the audit entry."""
    entries = manifest["entries"]
    with database.atomic():
        SyncPackage.create(package_id=manifest["package_id"], direction="out",
                           peer_node_id=receiver.node_id if receiver else None,
                           peer_name=f"{receiver.office_name}「{receiver.node_name}」" if receiver else "任何电脑",
                           created_at=manifest["created_at"], done_at=_now(), username=actor.username,
                           file_name=out.name, entries=entries, summary=json.dumps(manifest["counts"]))
        if receiver is not None:
            receiver.last_sent = _now()
            receiver.save()
        changes.write_audit(actor, "sync_export", tbl="sync_package", record_id=manifest["package_id"],
                            record_label=out.name, note=f"导出同步数据包（{entries} 条变更）给"
                            f"{receiver.office_name + '「' + receiver.node_name + '」' if receiver else '任何电脑'}")


def export_package(actor: Actor, out, *, to: str | None = None, full: bool = False, progress=None) -> ExportResult:
    """Write a package to *out* (a file, or a folder to put a named file in)."""
    require(actor, "sync_data")
    db.ensure_writable()
    me = peers.identity()
    receiver = peers.find(to) if to else None
    if receiver is not None and receiver.township_id != me.township_id:
        raise CivDeskError(f"电脑「{receiver.node_name}」属于其他乡镇，不能向它导出。")
    out = Path(out)
    if out.is_dir():
        out = out / default_file_name(me, receiver)
    epoch = peers.epoch()
    start = 0
    if receiver is not None and not full and receiver.acked_epoch == epoch:
        start = receiver.acked_seq
    end = merge.log_seq()
    allowed, covers = _scope_filter(me, receiver)
    lines, counts, records = _entries(start, end, allowed, receiver, progress)
    acks = {p.node_id: {"epoch": p.their_epoch, "seq": p.covered_seq}
            for p in SyncPeer.select() if p.their_epoch}
    own = database.execute_sql("SELECT MAX(hlc) FROM change_log WHERE node_id = ?", (me.node_id,)).fetchone()[0]
    package_id = str(uuid.uuid4())
    created_clock = changes.clock().now()
    manifest = {
        "package_id": package_id, "schema_version": SCHEMA_VERSION, "app_version": __version__,
        "created_at": _now(), "created_clock": created_clock, "source": me.as_manifest(),
        "receiver": ({"node_id": receiver.node_id, "node_name": receiver.node_name,
                      "office_id": receiver.office_id, "office_name": receiver.office_name} if receiver else None),
        "full": bool(full or start == 0),
        "range": {"epoch": epoch, "from": start, "to": end} if covers else None,
        "acks": acks, "own_max": own,
        "counts": {tbl: {"entries": n, "records": len(records[tbl])} for tbl, n in sorted(counts.items())},
        "entries": len(lines),
    }
    if progress:
        progress(len(lines), len(lines), "正在加密并写入数据包…")
    payload = ("\n".join(lines) + "\n").encode() if lines else b""
    salt = peers.office_salt()
    size = package.write(out, manifest, payload, signing_pem=LocalMeta.get_value("signing_key") or "",
                         sync_key=peers.key_for(salt), salt=salt, kdf=package.KDF_DEFAULT)
    _record_export(actor, manifest, out, receiver)
    return ExportResult(out, package_id, len(lines), manifest["counts"], size,
                        receiver.node_name if receiver else "")


# --- import ----------------------------------------------------------------------------------


@dataclass
class Incoming:
    """A verified, decrypted package and the plan of what it would change here."""

    opened: package.OpenedPackage
    wire: list[tuple]
    plan: merge.Plan
    peer_known: bool
    trust_new: bool
    skipped_scope: int = 0
    applied: bool = False
    backup: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def manifest(self) -> dict:
        return self.opened.manifest

    @property
    def source(self) -> dict:
        return self.manifest["source"]

    def table_label(self, table: str) -> str:
        return table_label(table)

    def report(self) -> dict:
        counts = self.plan.counts
        return {
            "package": self.opened.package_id,
            "source": {"node_id": self.source["node_id"], "node_name": self.source["node_name"],
                       "office_name": self.source["office_name"],
                       "fingerprint": package.fingerprint_of(self.source["public_key"])},
            "created_at": self.manifest.get("created_at"),
            "new": {t: c.new for t, c in counts.items()},
            "updated": {t: c.updated for t, c in counts.items()},
            "unchanged": {t: c.unchanged for t, c in counts.items()},
            "conflicts": {t: c.conflicts for t, c in counts.items()},
            "pending": {t: c.pending for t, c in counts.items() if c.pending},
            "skipped_other_scope": self.skipped_scope,
            "notes": self.notes,
            "applied": self.applied,
            "backup": str(self.backup) if self.backup else None,
        }


def _check_source(opened: package.OpenedPackage, me: peers.Identity) -> None:
    source, receiver = opened.source, opened.manifest.get("receiver")
    if source.get("node_id") == me.node_id:
        raise SyncRefused("这是本机自己导出的数据包，不需要导入。未作任何更改。", "own_package")
    if source.get("township_id") != me.township_id:
        raise SyncRefused(f"这个数据包来自「{source.get('township_name') or source.get('office_name')}」，"
                          f"不属于本乡镇（{me.township_name}），不能导入。未作任何更改。", "other_office")
    if receiver and receiver.get("office_id") != me.office_id:
        raise SyncRefused(f"这个数据包是发给「{receiver.get('office_name')}」的电脑「{receiver.get('node_name')}」的，"
                          f"不是发给本单位（{me.office_name}）的。未作任何更改。", "other_office")


def _check_known_key(opened: package.OpenedPackage) -> SyncPeer | None:
    """A PC this one knows signing with another key is a forgery, whatever else the package says."""
    source = opened.source
    peer = SyncPeer.get_or_none(SyncPeer.node_id == source["node_id"])
    if peer is not None and peer.public_key != source["public_key"]:
        raise SyncRefused(
            f"电脑「{source['node_name']}」的签名密钥与本机记录的不同（记录的指纹 {peer.fingerprint}，"
            f"数据包的指纹 {package.fingerprint_of(source['public_key'])}）。数据包可能是伪造的，已拒绝。"
            "未作任何更改。", "key_changed")
    return peer


def _check_passphrase(opened: package.OpenedPackage) -> None:
    key = peers.package_key(opened)
    if opened.key_matches(key):
        return
    if opened.same_office_key(key):
        raise SyncRefused("数据包已被篡改：清单中的包编号或签名与加密内容不符（同步口令是对的），"
                          "数据包可能是伪造的，已拒绝。未作任何更改。", "altered")
    raise SyncRefused("同步口令不对：这个数据包是用另一个口令加密的。请确认两台电脑设置的同步口令相同"
                      "（某台电脑改过同步口令时，本单位每台电脑都要在「设置 → 同步口令」改成同一个新口令）。未作任何更改。",
                      "wrong_passphrase")


def _check_trust(opened: package.OpenedPackage, trust_new: bool) -> bool:
    source = opened.source
    peer = _check_known_key(opened)
    fingerprint = package.fingerprint_of(source["public_key"])
    if peer is not None and peer.trusted:
        return True
    if not trust_new:
        raise UntrustedSigner(
            f"数据包由尚未信任的电脑签名：{source['office_name']}「{source['node_name']}」，密钥指纹 {fingerprint}。"
            "请与对方电脑「数据同步」页（或「设置 → 本单位」）上显示的指纹核对一致后再信任。未作任何更改。",
            node_id=source["node_id"], node_name=source["node_name"], office_name=source["office_name"],
            fingerprint=fingerprint)
    return False


def _check_schema(manifest: dict) -> None:
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise SyncRefused("数据包的数据库版本无法识别。未作任何更改。", "malformed")
    if version > SCHEMA_VERSION:
        raise SyncRefused(f"这个数据包来自更新版本的 CivDesk（数据库版本 {version}，本机为 {SCHEMA_VERSION}）。"
                          "请先把本机的 CivDesk 升级到最新版本再导入。未作任何更改。", "newer_schema")


def _check_not_applied(package_id: str) -> None:
    done = SyncPackage.get_or_none((SyncPackage.package_id == package_id) & (SyncPackage.direction == "in"))
    if done is not None:
        raise AlreadyApplied(f"这个数据包已于 {done.done_at} 导入过（操作人 {done.username}），本次未作任何更改。")


def _upgrade_entries(wire: list[tuple], version: int, decoded: dict | None = None) -> list[tuple]:
    """Bring entries written by an older schema to this one.

    The schema steps so far only added tables and columns, so older entries apply as they are
    (a create lacking a newer column gets its default). What must hold is that every table and
    field they name exists here; anything else is refused rather than half applied.
    """
    tables = {m._meta.table_name: m for m in synced_models()}
    fields = {name: set(model.data_fields()) for name, model in tables.items()}
    decoded = decoded or {}
    for number, (hlc, tbl, _rid, fld, value, *_rest) in enumerate(wire, 1):
        model = tables.get(tbl)
        known = fields.get(tbl, set())
        if model is None or (fld not in known and fld not in (WHOLE_RECORD, DELETED)):
            raise SyncRefused(f"数据包第 {number} 条变更涉及本版本不认识的数据（{tbl}.{fld}）。"
                              "请把 CivDesk 升级到最新版本后再导入。未作任何更改。", "newer_schema")
        if fld == WHOLE_RECORD:
            payload = decoded[hlc] if hlc in decoded else json.loads(value)
            extra = set(payload) - known - {"created_at", "created_by"} if isinstance(payload, dict) else {"?"}
            if extra:
                raise SyncRefused(f"数据包第 {number} 条变更含有本版本不认识的字段（{'、'.join(sorted(extra))}）。"
                                  "请把 CivDesk 升级到最新版本后再导入。未作任何更改。", "newer_schema")
        elif model.append_only:
            raise SyncRefused(f"数据包第 {number} 条变更修改了只能新增的记录（{model.label}），文件已被改动。"
                              "未作任何更改。", "malformed")
    return wire


def _steps(progress, total: int):
    def step(done: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)
    return step


def read_package(path, *, trust_new: bool = False, progress=None) -> Incoming:
    """Every check and the plan; nothing is written."""
    step = _steps(progress, 4)
    me = peers.identity()
    step(0, "正在检查数据包的完整性和签名…")
    opened = package.open_package(path)
    _check_source(opened, me)
    _check_known_key(opened)
    _check_passphrase(opened)
    known = _check_trust(opened, trust_new)
    _check_schema(opened.manifest)
    _check_not_applied(opened.package_id)
    step(1, "正在解密…")
    plain = opened.decrypt(peers.package_key(opened))
    step(2, f"正在核对 {opened.manifest.get('entries', 0)} 条变更…")
    decoded: dict[str, object] = {}
    wire = [merge.decode_line(n, line, decoded) for n, line in enumerate(plain.splitlines(), 1) if line]
    if len(wire) != opened.manifest.get("entries"):
        raise SyncRefused("数据包中的变更条数与清单不符，文件已被改动。未作任何更改。", "altered")
    wire = _upgrade_entries(wire, opened.manifest["schema_version"], decoded)
    before = len(wire)
    if me.office_kind == "village":  # a village keeps its own and township-wide records only
        wire = [w for w in wire if w[7] is None or w[7] == me.office_id]
    if opened.source.get("office_kind") == "village":  # and a village can only vouch for those
        source_office = opened.source.get("office_id")
        wire = [w for w in wire if w[7] is None or w[7] == source_office]
    skipped = before - len(wire)
    step(3, "正在与本机数据比较…")
    incoming = Incoming(opened=opened, wire=wire, plan=merge.plan(wire, decoded), peer_known=known, trust_new=trust_new,
                        skipped_scope=skipped)
    incoming.notes.extend(_clock_notes(incoming))
    step(4, "检查完毕")
    return incoming


def _clock_notes(incoming: Incoming) -> list[str]:
    """A PC whose date is set far ahead makes its edits win every provisional choice: say so."""
    newest = incoming.plan.max_hlc
    if not newest:
        return []
    ahead_ms = int(newest[:16]) - int(dt.datetime.now().timestamp() * 1000)
    if ahead_ms < 24 * 3600 * 1000:
        return []
    days = ahead_ms // (24 * 3600 * 1000)
    return [f"注意：这个数据包里有时间比本机晚 {days} 天的修改。请检查「{incoming.source['node_name']}」"
            "和本机的日期、时间设置是否正确；日期错误的电脑，其修改会在冲突中被暂定为最新。"]


def _update_peer(incoming: Incoming, me: peers.Identity, actor: Actor) -> None:
    manifest, now = incoming.manifest, _now()
    peer = peers.record_source(incoming.source, trusted_by=actor if incoming.trust_new else None, now=now)
    if not peer.trusted:
        raise CivDeskError("数据包的来源电脑尚未被信任。")
    peers.adopt_office_salt(incoming.opened)
    rng = manifest.get("range")
    receiver = manifest.get("receiver")
    if rng and (receiver is None or receiver.get("node_id") == me.node_id):
        if peer.their_epoch != rng["epoch"]:
            peer.their_epoch, peer.covered_seq = rng["epoch"], (rng["to"] if rng["from"] == 0 else 0)
        elif rng["from"] <= peer.covered_seq:
            peer.covered_seq = max(peer.covered_seq, rng["to"])
    clock = manifest.get("created_clock") or ""
    if clock > (peer.last_package_clock or ""):
        # No acknowledgement for us means that PC holds nothing of ours (new, or restored
        # from a backup older than our first package): start again from the beginning.
        ack = (manifest.get("acks") or {}).get(me.node_id) or {}
        peer.acked_epoch, peer.acked_seq = ack.get("epoch"), int(ack.get("seq") or 0)
        peer.own_max = manifest.get("own_max")
        peer.last_package_clock = clock
    peer.last_received = now
    peer.save()


def apply_package(actor: Actor, incoming: Incoming, *, progress=None) -> Incoming:
    """Back up, then apply the package in one transaction."""
    step = _steps(progress, 3)
    require(actor, "sync_data")
    if incoming.trust_new and not incoming.peer_known:
        require(actor, "trust_peers")
    db.ensure_writable()
    me = peers.identity()
    _check_not_applied(incoming.opened.package_id)
    if merge.log_seq() != incoming.plan.log_seq:  # something was written since the preview
        incoming.plan = merge.plan(incoming.wire)
    step(0, "正在备份数据库…")
    incoming.backup = db.make_backup("before-sync")
    step(1, f"正在写入 {len(incoming.plan.log_rows)} 条变更…")
    with database.atomic():
        merge.apply(incoming.plan)
        _update_peer(incoming, me, actor)
        totals = {k: sum(v.values()) for k, v in incoming.report().items()
                  if k in ("new", "updated", "unchanged", "conflicts")}
        SyncPackage.create(package_id=incoming.opened.package_id, direction="in", peer_node_id=incoming.source["node_id"],
                           peer_name=f"{incoming.source['office_name']}「{incoming.source['node_name']}」",
                           created_at=incoming.manifest.get("created_at") or "", done_at=_now(),
                           username=actor.username, file_name=incoming.opened.path.name,
                           entries=len(incoming.wire), summary=json.dumps(totals, ensure_ascii=False))
        changes.write_audit(actor, "sync_import", tbl="sync_package", record_id=incoming.opened.package_id,
                            record_label=incoming.opened.path.name,
                            note=(f"导入来自{incoming.source['office_name']}「{incoming.source['node_name']}」的数据包："
                                  f"新增 {totals['new']}，更新 {totals['updated']}，未变 {totals['unchanged']}，"
                                  f"新冲突 {totals['conflicts']}"))
    if incoming.plan.max_hlc:
        changes.clock().observe(incoming.plan.max_hlc)
    if len(incoming.plan.log_rows) >= 1000:
        db.optimize()
    incoming.applied = True
    step(3, "导入完成")
    return incoming


def import_package(actor: Actor, path, *, dry_run: bool = False, trust_new: bool = False,
                   progress=None) -> Incoming:
    require(actor, "sync_data")
    if trust_new:
        require(actor, "trust_peers")
    incoming = read_package(path, trust_new=trust_new, progress=progress)
    if dry_run:
        return incoming
    return apply_package(actor, incoming, progress=progress)


def history(limit: int = 200) -> list[SyncPackage]:
    return list(SyncPackage.select().order_by(SyncPackage.done_at.desc()).limit(limit))


def pending_for(peer: SyncPeer) -> int:
    """How many log entries that PC has not acknowledged (before scope filtering)."""
    start = peer.acked_seq if peer.acked_epoch == peers.epoch() else 0
    return database.execute_sql("SELECT COUNT(*) FROM change_log WHERE seq > ?", (start,)).fetchone()[0]
