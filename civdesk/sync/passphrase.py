"""Changing the office's sync passphrase on this PC.

The passphrase key (``setup.derive_sync_key``: scrypt with the fixed salt) is replaced by the new
passphrase's; the office salt stays (every PC of the office shares it), so the new package key is
the new passphrase key stretched with the same salt. An office set up before salts gets one now
(the township's own, a village's provisional until its township's first package).

Every PC of the office changes to the same new passphrase, one after the other, so packages made
with the old one are still on their way for a while. The old passphrase keys are therefore kept
(the newest few, inside the encrypted database like the current one) and tried when a package
does not open with the current key (``peers.package_key``). Packages are always written with
the current key; a PC still on the old passphrase is told by its refusal to change too.
"""

from __future__ import annotations

import hmac
import json
import os

from civdesk.core import changes, db
from civdesk.core.actor import Actor, require
from civdesk.core.meta import LocalMeta
from civdesk.core.validation import ValidationError
from civdesk.office import offices, setup

KEPT = 3  # old passphrase keys kept to read packages made before every PC changed


def previous_keys() -> list[bytes]:
    """The passphrase keys this PC used before, newest first."""
    try:
        values = json.loads(LocalMeta.get_value("sync_keys_previous") or "[]")
    except ValueError:
        return []
    return [bytes.fromhex(v) for v in values if isinstance(v, str)]


def change(actor: Actor, old: str, new: str, *, admin_password: str = "") -> None:
    """Replace this PC's sync passphrase; audited (never the passphrases themselves)."""
    require(actor, "change_sync_passphrase")
    db.ensure_writable()
    current = LocalMeta.get_value("sync_key") or ""
    errors = {}
    if not hmac.compare_digest(setup.derive_sync_key(old or "").hex(), current):
        errors["old"] = "原同步口令不对"
    problem = setup.passphrase_problem(new or "", admin_password)
    if problem:
        errors["new"] = problem
    elif new == old:
        errors["new"] = "新同步口令与原口令相同"
    if errors:
        raise ValidationError(errors)
    new_key = setup.derive_sync_key(new).hex()
    kept = [current, *[k.hex() for k in previous_keys() if k.hex() not in (current, new_key)]][:KEPT]
    with db.database.atomic():
        LocalMeta.set_value("sync_key", new_key)
        LocalMeta.set_value("sync_keys_previous", json.dumps(kept))
        note = "修改了本机的同步口令（旧口令加密的数据包仍可导入；本单位其他电脑须改成同一个新口令）"
        if not LocalMeta.get_value("sync_salt"):
            own = offices.own_office_or_none()
            kind = "office" if own is not None and own.kind == "township" else "provisional"
            LocalMeta.set_value("sync_salt", os.urandom(16).hex())
            LocalMeta.set_value("sync_salt_kind", kind)
            note += "；同时启用了本单位的同步密钥盐"
        changes.write_audit(actor, "update", tbl="local_meta", record_id="sync_key", record_label="同步口令", note=note)
