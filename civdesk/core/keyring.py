"""The keys of an encrypted CivDesk database, kept in the side file ``NAME.keys``.

* One random 32-byte **database key** (DK) encrypts the database, its -wal and every backup.
* ``NAME.keys`` (JSON, written atomically) holds DK wrapped with AES-256-GCM in slots:
  ``account:<username>`` under a key derived from that account's password with scrypt, and
  ``recovery`` under the **recovery key** (160 random bits, shown once at setup for printing).
  A slot ``legacy:<username>`` is made when a plain database is converted: its key comes from
  the account's existing password hash, and it is replaced by a normal slot at that account's
  next login. DK never appears in the file.
* A wrong password fails on the GCM tag, before the database is touched.
* A rekey writes the new generation as ``pending`` first; opening tries it first.

The database and its ``.keys`` always travel together (backups carry a copy).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from civdesk.core import paths
from civdesk.core.errors import CivDeskError

FORMAT = "civdesk-keyring"
VERSION = 1
# scrypt N=2**17, r=8: 128 MiB and ~0.4 s; stored per slot, so it can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 17, 8, 1
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I L O U: readable aloud and on paper
WRONG_LOGIN = "用户名或密码不正确。"


class KeyringError(CivDeskError):
    pass


class WrongSecret(KeyringError):
    """Wrong password or recovery key (the GCM tag did not verify). Nothing was touched."""


def _scrypt_n() -> int:
    # Tests (and only tests) make new slots cheaper; existing slots keep their stored cost.
    return max(2 ** 10, int(os.environ.get("CIVDESK_TEST_SCRYPT_N", SCRYPT_N)))


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"))


def new_database_key() -> bytes:
    return secrets.token_bytes(32)


def key_id(dk: bytes) -> str:
    """Names a database key without revealing it."""
    return hmac.new(dk, b"civdesk database key id", hashlib.sha256).hexdigest()[:16]


def _aad(slot: str, generation: int) -> bytes:
    # Binds a wrap to its slot name and key generation: a slot copied under another name fails.
    return f"{FORMAT}/{VERSION}/{slot}/{generation}".encode()


def _scrypt(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 * 1024 * 1024)


# cryptography is imported where it is used: a start-up on a plain database, and the login dialog
# of an encrypted one, need none of it (the unlock runs in the background).


def _hkdf(secret: bytes, salt: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def _kek(entry: dict, *, password: str | None, recovery_raw: bytes | None) -> bytes:
    salt = _unb64(entry["salt"])
    kdf = entry["kdf"]
    if kdf == "scrypt" and password is not None:
        return _scrypt(unicodedata.normalize("NFC", password).encode("utf-8"), salt,
                       entry["n"], entry["r"], entry["p"])
    if kdf == "account-hash" and password is not None:
        # The legacy hash of accounts.hash_password (not NFC-normalised, as it was written).
        digest = _scrypt(password.encode("utf-8"), _unb64(entry["hash_salt"]), entry["n"], entry["r"], entry["p"])
        return _hkdf(digest, salt, b"civdesk legacy account kek")
    if kdf == "hkdf-sha256" and recovery_raw is not None:
        return _hkdf(recovery_raw, salt, b"civdesk recovery kek")
    raise WrongSecret(WRONG_LOGIN)


def _seal(dk: bytes, kek: bytes, slot: str, generation: int, entry: dict) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    ct = AESGCM(kek).encrypt(nonce, dk, _aad(slot, generation))
    return {**entry, "nonce": _b64(nonce), "wrapped": _b64(ct), "generation": generation}


def wrap_with_password(dk: bytes, password: str, slot: str, generation: int) -> dict:
    entry = {"kdf": "scrypt", "n": _scrypt_n(), "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(secrets.token_bytes(16))}
    return _seal(dk, _kek(entry, password=password, recovery_raw=None), slot, generation, entry)


def wrap_with_password_hash(dk: bytes, stored_hash: str, slot: str, generation: int) -> dict:
    """A slot opened by the password behind an existing ``scrypt$n$r$p$salt$digest`` hash
    (conversion of a plain database, whose accounts' passwords are not known)."""
    _scheme, n, r, p, hash_salt, digest = stored_hash.split("$")
    entry = {"kdf": "account-hash", "n": int(n), "r": int(r), "p": int(p), "hash_salt": hash_salt,
             "salt": _b64(secrets.token_bytes(16))}
    kek = _hkdf(_unb64(digest), _unb64(entry["salt"]), b"civdesk legacy account kek")
    return _seal(dk, kek, slot, generation, entry)


def wrap_with_recovery(dk: bytes, raw: bytes, generation: int) -> dict:
    entry = {"kdf": "hkdf-sha256", "salt": _b64(secrets.token_bytes(16))}
    return _seal(dk, _kek(entry, password=None, recovery_raw=raw), "recovery", generation, entry)


def unwrap(entry: dict, slot: str, *, password: str | None = None, recovery_raw: bytes | None = None) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = _kek(entry, password=password, recovery_raw=recovery_raw)
    try:
        return AESGCM(kek).decrypt(_unb64(entry["nonce"]), _unb64(entry["wrapped"]),
                                   _aad(slot, entry["generation"]))
    except InvalidTag:
        raise WrongSecret(WRONG_LOGIN) from None


# --- recovery key: 32 Crockford base32 characters, then 4 check characters, in 9 groups of 4 --


def _b32(data: bytes) -> str:
    bits = int.from_bytes(data, "big")
    n = len(data) * 8 // 5
    return "".join(CROCKFORD[(bits >> (5 * (n - 1 - i))) & 31] for i in range(n))


def new_recovery_key() -> tuple[str, bytes]:
    raw = secrets.token_bytes(20)  # 160 bits -> 32 characters
    text = _b32(raw) + _b32(hashlib.sha256(raw).digest()[:5])[:4]
    return " ".join(text[i:i + 4] for i in range(0, 36, 4)), raw


def parse_recovery_key(text: str) -> bytes:
    """Accepts lower case, spaces, dashes and the usual misreadings (O->0, I/L->1)."""
    s = (text or "").upper().replace(" ", "").replace("-", "").translate(str.maketrans("OIL", "011"))
    if len(s) != 36 or any(c not in CROCKFORD for c in s):
        raise WrongSecret("恢复密钥应为 9 组、每组 4 个字符（共 36 个）。")
    bits = 0
    for c in s[:32]:
        bits = (bits << 5) | CROCKFORD.index(c)
    raw = bits.to_bytes(20, "big")
    if _b32(hashlib.sha256(raw).digest()[:5])[:4] != s[32:]:
        raise WrongSecret("恢复密钥有输错的字符（最后一组校验位不符），请逐个核对。")
    return raw


# --- the keyring file -------------------------------------------------------------------------


def missing_message(path: Path) -> str:
    """What to do when the keyring beside a database is missing (a copy taken without it)."""
    return (f"找不到数据库的密钥文件 {path.name}（应在 {path.parent} 中）：加密的数据库必须和它旁边的同名 .keys "
            "文件放在一起，没有它谁也打不开。请从原来的电脑把这个 .keys 文件一起复制过来；或者用备份文件夹"
            "（backups）里的备份恢复，每个备份旁边都带着它自己的 .keys 文件。")


def keyring_path(db_path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".keys")


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside, fsync, rename over, fsync the folder: a reader sees the old or the new file."""
    path = Path(path)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    paths.replace(tmp, path)  # waits briefly while a virus scanner holds the file (Windows)
    if os.name == "posix":
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _account(username: str) -> str:
    return f"account:{username}"


@dataclass
class Keyring:
    """slots: name -> wrap entry (``account:<user>``, ``legacy:<user>``, ``recovery``)."""

    key_id: str
    generation: int = 1
    slots: dict[str, dict] = field(default_factory=dict)
    pending: dict | None = None  # {"key_id":..., "generation":..., "slots": {...}} during a rekey

    def to_json(self) -> bytes:
        doc = {"format": FORMAT, "version": VERSION, "key_id": self.key_id, "generation": self.generation,
               "slots": self.slots}
        if self.pending:
            doc["pending"] = self.pending
        return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Keyring:
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KeyringError(f"密钥文件已损坏：{exc}") from exc
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise KeyringError("这不是 CivDesk 的密钥文件（.keys）。")
        if doc.get("version") != VERSION:
            raise KeyringError("密钥文件由更新版本的 CivDesk 写入，请先升级 CivDesk。")
        return cls(doc["key_id"], doc["generation"], doc["slots"], doc.get("pending"))

    def save(self, path) -> None:
        atomic_write(Path(path), self.to_json())

    @classmethod
    def load(cls, path) -> Keyring:
        path = Path(path)
        if not path.exists():
            raise KeyringError(missing_message(path))
        return cls.from_json(path.read_bytes())

    @classmethod
    def for_key(cls, dk: bytes) -> Keyring:
        return cls(key_id(dk))

    # --- changes (the caller holds DK: an open session) ---------------------------------------

    def set_account(self, dk: bytes, username: str, password: str) -> None:
        """Wraps DK for this account; every other slot stays byte for byte."""
        self.check(dk)
        self.slots.pop(f"legacy:{username}", None)
        self.slots[_account(username)] = wrap_with_password(dk, password, _account(username), self.generation)

    def set_legacy_account(self, dk: bytes, username: str, stored_hash: str) -> None:
        self.check(dk)
        slot = f"legacy:{username}"
        self.slots[slot] = wrap_with_password_hash(dk, stored_hash, slot, self.generation)

    def remove_account(self, username: str) -> None:
        self.slots.pop(_account(username), None)
        self.slots.pop(f"legacy:{username}", None)

    def has_account(self, username: str) -> bool:
        return _account(username) in self.slots or f"legacy:{username}" in self.slots

    def new_recovery_key(self, dk: bytes) -> str:
        self.check(dk)
        text, raw = new_recovery_key()
        self.slots["recovery"] = wrap_with_recovery(dk, raw, self.generation)
        return text

    @property
    def has_recovery(self) -> bool:
        return "recovery" in self.slots

    # --- unlocking ----------------------------------------------------------------------------

    def unlock(self, username: str, password: str) -> bytes:
        """DK for this account's password; WrongSecret (one message for a wrong name or
        password, after the same work) otherwise."""
        for slot in (_account(username), f"legacy:{username}"):
            entry = self.slots.get(slot)
            if entry is not None:
                dk = unwrap(entry, slot, password=password)
                self.check(dk)
                return dk
        cost = next((e for e in self.slots.values() if e["kdf"] == "scrypt"),
                    {"n": _scrypt_n(), "r": SCRYPT_R, "p": SCRYPT_P})
        _scrypt(b"x", b"\0" * 16, cost["n"], cost["r"], cost["p"])  # same time as a wrong password
        raise WrongSecret(WRONG_LOGIN)

    def is_legacy(self, username: str) -> bool:
        return _account(username) not in self.slots and f"legacy:{username}" in self.slots

    def unlock_with_recovery(self, text: str) -> bytes:
        raw = parse_recovery_key(text)
        if "recovery" not in self.slots:
            raise WrongSecret("这个数据库还没有恢复密钥。")
        dk = unwrap(self.slots["recovery"], "recovery", recovery_raw=raw)
        self.check(dk)
        return dk

    def candidates(self, username: str, password: str) -> list[bytes]:
        """Keys to try on the database, newest first (two only while a rekey is unfinished)."""
        keys = []
        if self.pending:
            slot = _account(username)
            entry = self.pending["slots"].get(slot)
            if entry:
                try:
                    keys.append(unwrap(entry, slot, password=password))
                except WrongSecret:
                    pass
        try:
            keys.append(self.unlock(username, password))
        except WrongSecret:
            if not keys:
                raise
        return keys

    def settle(self, dk: bytes) -> bool:
        """After *dk* opened the database: finish or drop an interrupted rekey. True if changed."""
        if not self.pending:
            return False
        if key_id(dk) == self.pending["key_id"]:
            self.key_id, self.generation, self.slots = (self.pending["key_id"], self.pending["generation"],
                                                        self.pending["slots"])
        self.pending = None
        return True

    def check(self, dk: bytes) -> None:
        if key_id(dk) != self.key_id:
            raise KeyringError("这个密钥不属于这个数据库。")

    def begin_rekey(self, new_dk: bytes, username: str, password: str) -> str:
        """The new generation as ``pending`` (the caller's slot and a new recovery key); the
        caller saves, runs PRAGMA rekey, then ``settle(new_dk)`` and saves again."""
        gen = self.generation + 1
        text, raw = new_recovery_key()
        self.pending = {"key_id": key_id(new_dk), "generation": gen, "slots": {
            _account(username): wrap_with_password(new_dk, password, _account(username), gen),
            "recovery": wrap_with_recovery(new_dk, raw, gen)}}
        return text
