"""The package file: one zip holding a signed manifest and the encrypted, compressed changes.

Layout (all entries stored, not deflated; the payload is compressed before encryption):

- ``manifest.json``  what the package is: format and schema version, source PC and its public
  key, intended receiver, counts, the SHA-256 and sizes of ``changes.bin``, the cipher's nonce
  and a key check bound to the package id with a key id that is not (a wrong passphrase
  matches neither; a manifest given a new package id and re-signed matches only the key id);
- ``signature.bin``  Ed25519 signature of ``manifest.json`` by the sending PC's own key;
- ``changes.bin``    AES-256-GCM of zlib(JSON lines); the key is HKDF(office sync key, package id).

Reading checks the container before anything is trusted: entry names and sizes, compression
ratios, then the signature, the checksum, the key, and only then decrypts, with every size
bounded. Nothing here touches the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from civdesk.core.errors import SyncRefused
from civdesk.core.files import save_atomically

FORMAT = "civdesk-sync"
FORMAT_VERSION = 1
SUFFIX = ".civsync"
MANIFEST, SIGNATURE, CHANGES = "manifest.json", "signature.bin", "changes.bin"
ENTRY_NAMES = (MANIFEST, SIGNATURE, CHANGES)

MAX_MANIFEST = 1 << 20
MAX_SIGNATURE = 1024
MAX_CHANGES = 1 << 30  # encrypted payload on the stick
MAX_PLAIN = 1 << 30  # changes once decompressed (about two million changed records)
MAX_RATIO = 200  # decompressed / compressed: JSON lines stay far below; a bomb does not

KDF_DEFAULT = {"n": 2**17, "r": 8, "p": 1}  # setup.OFFICE_KDF; kept here so packages need no setup import
_KDF_BOUNDS = {"n": (2**14, 2**20), "r": (1, 16), "p": (1, 4)}

_UNSAFE_NAME = re.compile(r"(^[/\\])|(^[A-Za-z]:)|(\\)|(^|/)\.\.(/|$)")


def refused(message: str, code: str) -> SyncRefused:
    return SyncRefused(message, code)


def _package_key(sync_key: bytes, package_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=package_id.encode(),
                info=b"civdesk sync package v1").derive(sync_key)


def key_check(sync_key: bytes, package_id: str) -> str:
    return hmac.new(sync_key, b"key-check:" + package_id.encode(), hashlib.sha256).hexdigest()[:32]


def key_id(sync_key: bytes) -> str:
    """Names the office key without the package id: when it matches but the package's key check
    does not, the passphrase is right and the manifest was changed (a new package id) — tampering,
    not a wrong passphrase. Testing a passphrase against it costs the key derivation, as the key
    check does."""
    return hmac.new(sync_key, b"key-id", hashlib.sha256).hexdigest()[:16]


def public_key_text(signing_pem: str) -> str:
    key = serialization.load_pem_private_key(signing_pem.encode(), password=None)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _kdf_text(salt: bytes | None, kdf: dict) -> str:
    first = "scrypt(N=2^15,r=8,p=1)"
    if salt is None:
        return first + " + HKDF-SHA256"
    return f"{first} + scrypt(N=2^{kdf['n'].bit_length() - 1},r={kdf['r']},p={kdf['p']}, office salt) + HKDF-SHA256"


def write(path: Path, manifest: dict, lines: bytes, *, signing_pem: str, sync_key: bytes,
          salt: bytes | None = None, kdf: dict | None = None) -> int:
    """Compress, encrypt, sign and write the package; returns its size in bytes.

    *manifest* gets the file and cipher fields added here. The file is synced to the stick
    under a temporary name and renamed at the end.
    """
    package_id = manifest["package_id"]
    compressed = zlib.compress(lines, 6)
    nonce = os.urandom(12)
    cipher = AESGCM(_package_key(sync_key, package_id)).encrypt(nonce, compressed, package_id.encode())
    manifest = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION, "compression": "zlib",
                "files": {CHANGES: {"sha256": hashlib.sha256(cipher).hexdigest(), "size": len(cipher),
                                    "compressed_size": len(compressed), "plain_size": len(lines),
                                    "plain_sha256": hashlib.sha256(lines).hexdigest()}},
                "encryption": {"cipher": "AES-256-GCM", "kdf": _kdf_text(salt, kdf or KDF_DEFAULT),
                               "nonce": base64.b64encode(nonce).decode(),
                               "key_check": key_check(sync_key, package_id), "key_id": key_id(sync_key)}}
    if salt is not None:
        manifest["encryption"].update({"salt": salt.hex(), "kdf_params": dict(kdf or KDF_DEFAULT)})
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
    signer = serialization.load_pem_private_key(signing_pem.encode(), password=None)
    assert isinstance(signer, Ed25519PrivateKey)
    signature = signer.sign(manifest_bytes)

    def produce(tmp: str) -> int:
        with open(tmp, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr(MANIFEST, manifest_bytes)
            zf.writestr(SIGNATURE, signature)
            zf.writestr(CHANGES, cipher)
        with open(tmp, "rb+") as done:  # on a USB stick the bytes must be there before the rename
            os.fsync(done.fileno())
        return os.path.getsize(tmp)

    return save_atomically(path, produce, suffix=SUFFIX + ".part", opened_in="其他程序")


@dataclass
class OpenedPackage:
    """A package whose container, signature and checksum are verified; not yet decrypted."""

    path: Path
    manifest: dict
    cipher: bytes

    @property
    def package_id(self) -> str:
        return self.manifest["package_id"]

    @property
    def source(self) -> dict:
        return self.manifest["source"]

    @property
    def salt(self) -> bytes | None:
        """The office salt the key was derived with; None for a package of an office set up before salts."""
        value = self.manifest["encryption"].get("salt")
        return bytes.fromhex(value) if value else None

    @property
    def kdf_params(self) -> dict:
        return dict(self.manifest["encryption"].get("kdf_params") or KDF_DEFAULT)

    def key_matches(self, sync_key: bytes) -> bool:
        return hmac.compare_digest(str(self.manifest["encryption"].get("key_check", "")),
                                   key_check(sync_key, self.package_id))

    def same_office_key(self, sync_key: bytes) -> bool:
        """The manifest names this office's key (packages from before key_id existed do not)."""
        return hmac.compare_digest(str(self.manifest["encryption"].get("key_id", "")), key_id(sync_key))

    def decrypt(self, sync_key: bytes) -> bytes:
        info = self.manifest["files"][CHANGES]
        try:
            nonce = base64.b64decode(self.manifest["encryption"]["nonce"], validate=True)
            compressed = AESGCM(_package_key(sync_key, self.package_id)).decrypt(
                nonce, self.cipher, self.package_id.encode())
        except (InvalidTag, ValueError) as exc:
            raise refused("数据包内容已被改动或损坏，无法解密。未作任何更改。", "altered") from exc
        plain_size = int(info["plain_size"])
        if plain_size > MAX_PLAIN:
            raise refused(f"数据包解压后有 {plain_size / (1 << 20):.0f} MB，超过上限 {MAX_PLAIN >> 20} MB"
                          "（疑似压缩炸弹），已拒绝。未作任何更改。", "oversized")
        # Never inflate more than the (signed) manifest declared: a bomb stops at that size.
        inflater = zlib.decompressobj()
        try:
            plain = inflater.decompress(compressed, plain_size + 1)
        except zlib.error as exc:
            raise refused("数据包内容无法解压，文件已损坏。未作任何更改。", "altered") from exc
        if len(plain) != plain_size or inflater.unconsumed_tail or not inflater.eof:
            raise refused("数据包内容的大小与清单不符，文件已被改动或损坏。未作任何更改。", "altered")
        if hashlib.sha256(plain).hexdigest() != info.get("plain_sha256"):
            raise refused("数据包内容的校验值与清单不符，文件已被改动。未作任何更改。", "altered")
        return plain


def _check_entries(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    found: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        name = info.filename
        if _UNSAFE_NAME.search(name) or "\x00" in name:
            raise refused(f"数据包中含有路径不安全的文件「{name}」（绝对路径或 ../），已拒绝。未作任何更改。",
                          "unsafe_path")
        if name not in ENTRY_NAMES:
            raise refused(f"数据包中含有不认识的文件「{name}」，这不是 CivDesk 的同步数据包。未作任何更改。",
                          "malformed")
        if name in found:
            raise refused(f"数据包中「{name}」出现了两次，文件已被改动。未作任何更改。", "altered")
        limit = {MANIFEST: MAX_MANIFEST, SIGNATURE: MAX_SIGNATURE, CHANGES: MAX_CHANGES}[name]
        if info.file_size > limit:
            raise refused(f"数据包中「{name}」过大（{info.file_size} 字节），已拒绝。未作任何更改。", "oversized")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refused(f"数据包中「{name}」的压缩方式不受支持。未作任何更改。", "malformed")
        if info.file_size > max(info.compress_size, 1) * MAX_RATIO:
            raise refused(f"数据包中「{name}」的压缩比异常（疑似压缩炸弹），已拒绝。未作任何更改。", "oversized")
        found[name] = info
    missing = [n for n in ENTRY_NAMES if n not in found]
    if missing:
        raise refused(f"数据包不完整，缺少「{'、'.join(missing)}」。未作任何更改。", "truncated")
    return found


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise refused(f"数据包中「{info.filename}」的大小与目录不符，文件已被改动。未作任何更改。", "altered")
    return data


def open_package(path) -> OpenedPackage:
    path = Path(path)
    if not path.is_file():
        raise refused(f"找不到数据包文件：{path}", "missing")
    try:
        if path.stat().st_size > MAX_CHANGES + MAX_MANIFEST * 2:
            raise refused("数据包文件过大，已拒绝。未作任何更改。", "oversized")
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, EOFError) as exc:
            raise refused(f"数据包文件不完整或已损坏（可能是复制时U盘被拔出）：{path.name}。未作任何更改。",
                          "truncated") from exc
        with zf:
            entries = _check_entries(zf)
            manifest_bytes = _read(zf, entries[MANIFEST])
            signature = _read(zf, entries[SIGNATURE])
            cipher = _read(zf, entries[CHANGES])
    except SyncRefused:
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise refused(f"数据包文件已被改动或损坏（内容与校验值不符）：{path.name}。未作任何更改。",
                      "altered") from exc
    except OSError as exc:
        raise refused(f"无法读取数据包「{path.name}」：{exc.strerror or exc}", "unreadable") from exc
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        source = manifest["source"]
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(source["public_key"], validate=True))
        str(manifest["package_id"])
        info = manifest["files"][CHANGES]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise refused("数据包清单无法识别，这不是有效的 CivDesk 同步数据包。未作任何更改。", "malformed") from exc
    _check_encryption(manifest)
    if manifest.get("format") != FORMAT:
        raise refused("这不是 CivDesk 的同步数据包。未作任何更改。", "malformed")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise refused(f"数据包格式版本为 {manifest.get('format_version')}，本程序只认识版本 {FORMAT_VERSION}；"
                      "请把两台电脑的 CivDesk 升级到同一版本。未作任何更改。", "newer_format")
    try:
        public.verify(signature, manifest_bytes)
    except InvalidSignature as exc:
        raise refused("数据包签名不符：清单在签名后被改动过。未作任何更改。", "altered") from exc
    if hashlib.sha256(cipher).hexdigest() != info.get("sha256"):
        raise refused("数据包内容的校验值（SHA-256）与清单不符，文件已被改动或损坏。未作任何更改。", "altered")
    return OpenedPackage(path=path, manifest=manifest, cipher=cipher)


def _check_encryption(manifest: dict) -> None:
    """The salt and key-derivation cost a package names are bounded (a huge cost would hang the
    import); a wrong one only makes a key that does not match."""
    try:
        encryption = manifest["encryption"]
        if "salt" in encryption:
            if len(bytes.fromhex(encryption["salt"])) not in range(8, 65):
                raise ValueError("salt")
            params = encryption.get("kdf_params") or KDF_DEFAULT
            for name, (low, high) in _KDF_BOUNDS.items():
                value = params[name]
                if not isinstance(value, int) or not low <= value <= high or name == "n" and value & (value - 1):
                    raise ValueError(name)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise refused("数据包清单中的加密参数无法识别，这不是有效的 CivDesk 同步数据包。未作任何更改。",
                      "malformed") from exc


def fingerprint_of(public_key_b64: str) -> str:
    from civdesk.office.setup import key_fingerprint

    return key_fingerprint(base64.b64decode(public_key_b64))
