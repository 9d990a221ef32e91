"""First-run setup: this PC's identity and keys, its office, and the first administrator."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass

from civdesk import __version__
from civdesk.core import changes, db, validation
from civdesk.core.actor import Actor
from civdesk.core.db import database
from civdesk.core.errors import CivDeskError
from civdesk.core.meta import LocalMeta
from civdesk.office import accounts, keyslots
from civdesk.office import offices as office_service
from civdesk.office.models import Office

# Sync keys, in two steps. (1) The passphrase key: scrypt with this fixed salt, stored as
# local_meta "sync_key" — what every office set up before per-office salts used for its packages,
# so those offices keep syncing (a database with no "sync_salt" is such an office and writes
# packages as before, until its passphrase is changed). (2) The office key: scrypt of the
# passphrase key with the office's random salt ("sync_salt", 16 bytes) at OFFICE_KDF — about
# 300 ms on an office PC — so a passphrase guessed against a package costs both steps, and a
# table computed once for the fixed salt is no use without the office's own salt. The township's
# setup creates the salt; a village's setup makes a provisional one and takes the township's from
# the first township package it accepts (every package names its salt, and a PC derives the key
# for any salt of its office from the passphrase key, so packages made before that still open).
SYNC_KEY_SALT = b"civdesk/sync-key/v1"
OFFICE_KEY_SALT_PREFIX = b"civdesk/office-key/v2:"
OFFICE_KDF = {"n": 2**17, "r": 8, "p": 1}
MIN_PASSPHRASE = 10
# Passphrases an attacker tries first (lower case, without spaces); the rule also refuses one
# repeated character and plain digit runs.
COMMON_PASSPHRASES = frozenset({
    "1234567890", "12345678910", "123456789a", "a123456789", "abc1234567", "abcd123456", "qwertyuiop",
    "1qaz2wsx3edc", "qwer123456", "password123", "password1234", "passw0rd123", "p@ssw0rd123", "admin12345",
    "admin123456", "administrator", "woaini1314", "woaini520", "iloveyou123", "zhongguo123", "china123456",
    "wenming123", "wenmingban", "wenmingban123", "wenmingchuangjian", "tongbukouling", "tongbu123456",
    "civdesk123", "civdesk2024", "civdesk2025", "civdesk2026", "12345678900", "0123456789", "9876543210",
    "1111111111", "aaaaaaaaaa", "qazwsxedcr", "asdfghjkl1", "zxcvbnm123", "同步口令同步口令同步口令",
})


def passphrase_problem(phrase: str, admin_password: str = "") -> str | None:
    """The sync passphrase rule, in the words shown beside the field."""
    phrase = phrase or ""
    if len(phrase) < MIN_PASSPHRASE:
        return (f"同步口令至少 {MIN_PASSPHRASE} 位（本乡镇所有电脑须使用同一个口令，请记录并妥善保管），"
                f"当前只有 {len(phrase)} 位")
    folded = "".join(phrase.lower().split())
    if folded in COMMON_PASSPHRASES or len(set(folded)) <= 2 or folded.isdigit() and folded in "01234567890123456789" \
            or folded.isdigit() and folded in "98765432109876543210":
        return "这个同步口令太常见，很容易被猜中，请换一个（例如几个词加上数字，如「桂花镇-文明-2031」）"
    if admin_password and phrase == admin_password:
        return "同步口令不能与管理员密码相同"
    return None


@dataclass(frozen=True)
class SetupRequest:
    office_name: str
    kind: str  # "township" | "village"
    node_name: str
    admin_username: str
    admin_password: str
    sync_passphrase: str
    township_name: str = ""
    admin_display_name: str = ""
    pc_code: str = ""  # this PC's code in numbers (A, B …), unique within the office; see offices.pc_code


def is_initialized() -> bool:
    return database.table_exists("local_meta") and LocalMeta.get_value("office_id") is not None


def derive_sync_key(passphrase: str) -> bytes:
    """Step 1: the passphrase key (fixed salt); see the note at the top."""
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=SYNC_KEY_SALT, n=2**15, r=8, p=1, dklen=32,
                          maxmem=64 * 1024 * 1024)


def derive_office_key(passphrase_key: bytes, salt: bytes, *, n: int = OFFICE_KDF["n"], r: int = OFFICE_KDF["r"],
                      p: int = OFFICE_KDF["p"]) -> bytes:
    """Step 2: the key packages are encrypted with, from the passphrase key and the office salt."""
    return hashlib.scrypt(passphrase_key, salt=OFFICE_KEY_SALT_PREFIX + salt, n=n, r=r, p=p, dklen=32,
                          maxmem=129 * r * n * p + (32 << 20))


def key_fingerprint(public_raw: bytes) -> str:
    digest = hashlib.sha256(public_raw).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def own_fingerprint() -> str:
    pem = LocalMeta.get_value("signing_key")
    if not pem:
        return ""
    from cryptography.hazmat.primitives import serialization  # here: not on every start's path

    key = serialization.load_pem_private_key(pem.encode(), password=None)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key_fingerprint(raw)


def validate(request: SetupRequest) -> dict:
    errors = {}
    checks = {"office_name": validation.required(request.office_name, "单位名称"),
              "node_name": validation.required(request.node_name, "本机名称")}
    for field, checked in checks.items():
        if not checked.ok:
            errors[field] = checked.error
    if request.kind not in ("township", "village"):
        errors["kind"] = "单位类型只能是「乡镇/街道」或「村/社区」"
    if request.kind == "village" and not (request.township_name or "").strip():
        errors["township_name"] = "村/社区必须填写所属乡镇（街道）"
    if not request.admin_username or not accounts._USERNAME.match(request.admin_username.strip()):
        errors["admin_username"] = "用户名应为 2–32 个字母、数字、汉字或下划线，不能有空格"
    problem = accounts.password_problem(request.admin_password or "", request.admin_username or "")
    if problem:
        errors["admin_password"] = problem
    phrase_problem = passphrase_problem(request.sync_passphrase, request.admin_password)
    if phrase_problem:
        errors["sync_passphrase"] = phrase_problem
    if (request.pc_code or "").strip():
        try:
            office_service.clean_pc_code(request.pc_code)
        except validation.ValidationError as exc:
            errors.update(exc.errors)
    return errors


def initialize(request: SetupRequest) -> Actor:
    """Create this PC's identity, its office records and the administrator, in one transaction
    (the recovery key is not kept: for tests and the demo; people use ``initialize_with_recovery``)."""
    return initialize_with_recovery(request)[0]


def initialize_with_recovery(request: SetupRequest) -> tuple[Actor, str | None]:
    """``initialize``, returning the recovery key too: shown once, for the administrator to print
    and keep. The keyring (``NAME.keys``: the administrator's slot and the recovery slot) is
    written before the setup transaction; None for a plain database."""
    db.ensure_writable()
    if is_initialized():
        raise CivDeskError("这个数据库已经初始化过了，不能重复初始化。")
    errors = validate(request)
    if errors:
        raise validation.ValidationError(errors)
    name = request.office_name.strip()
    township = (request.township_name or "").strip() if request.kind == "village" else name
    username = request.admin_username.strip()
    actor = Actor(username, (request.admin_display_name or "").strip() or username, "admin")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signing = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    recovery = keyslots.create(username, request.admin_password) if keyslots.active() else None
    with database.atomic():
        for key, value in {"node_id": uuid.uuid4().hex, "node_name": request.node_name.strip(),
                           "sync_key": derive_sync_key(request.sync_passphrase).hex(),
                           "sync_salt": os.urandom(16).hex(),
                           "sync_salt_kind": "office" if request.kind == "township" else "provisional",
                           "signing_key": signing.decode(), "created_at": changes.now_text(),
                           "created_with": __version__}.items():
            LocalMeta.set_value(key, value)
        if (request.pc_code or "").strip():
            LocalMeta.set_value("pc_code", office_service.clean_pc_code(request.pc_code))
        township_id = office_service.office_id_for(township)
        if Office.get_or_none(Office.id == township_id) is None:
            changes.create(Office, actor, {"name": township, "kind": "township"}, id=township_id, seed=True)
        office_id = township_id
        if request.kind == "village":
            office_id = office_service.office_id_for(name, township)
            changes.create(Office, actor, {"name": name, "kind": "village", "parent_id": township_id},
                           id=office_id, scope=office_id, seed=True)
        LocalMeta.set_value("office_id", office_id)
        accounts.create_user_record(username, actor.display_name, "admin", request.admin_password)
        changes.write_audit(actor, "setup", tbl="office", record_id=office_id, record_label=name,
                            note=f"初始化本机「{request.node_name.strip()}」，创建系统管理员 {username}")
    return actor, recovery
