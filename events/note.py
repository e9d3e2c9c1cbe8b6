"""C2SP signed notes, tlog checkpoints and Ed25519 cosignatures, byte for byte.

Specs: c2sp.org/signed-note, c2sp.org/tlog-checkpoint, c2sp.org/tlog-cosignature (v1, type
0x04). A note is `body + "\\n" + lines`, each line "— name base64(key id || signature)\\n".
Ed25519 lines use type 0x01 and sign the body. SM2 lines use the reserved type 0xff with the
identifier `events.keys.NOTE_SM2` (0xff || "minerehab/sm2-sm3/v1" || 0x00): key id =
SHA-256(name || 0x0A || that identifier || 65-byte 04||x||y point)[:4], signature = DER r||s by
SM2 with SM3 and user id 1234567812345678 over the body. Standard verifiers, not knowing that
(name, key id), skip such lines, as the spec says they must.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Iterable, Protocol

from events.errors import Malformed
from events.keys import (
    PrivateKey,
    PublicKey,
    Verifier,
    key_id,
    note_type,
    parse_verifier_key,
    valid_name,
    verifier,
    verifier_key,
)

__all__ = ["NoteError", "Note", "Signature", "Checkpoint", "checkpoint_body", "parse_checkpoint", "key_id",
           "verifier_key", "parse_verifier_key", "parse_signer_key", "signature_line",
           "cosignature_line", "sign_note", "cosign", "add_signature", "parse_note", "verify_note",
           "cosignature_timestamp", "MAX_NOTE_BYTES", "MAX_SIGNATURES"]

MAX_NOTE_BYTES = 1_000_000
MAX_SIGNATURES = 100
DASH = "\u2014 "
COSIGNATURE_HEADER = "cosignature/v1\n"
MAX_TIMESTAMP = 2**63 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class NoteError(Malformed):
    """A note, checkpoint or signature that is malformed or does not verify (one line)."""


class Signer(Protocol):
    algorithm: str
    public: PublicKey

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    payload: bytes  # what follows the key id: the signature, or timestamp || signature for 0x04


@dataclass(frozen=True)
class Note:
    body: str
    signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_WHAT = {"the checkpoint root": "检查点的根", "the signer key": "签名私钥", "a signature": "签名",
         "the extra data": "附加数据", "an inclusion path hash": "包含路径中的哈希"}
"""What `_unb64` names, in Chinese."""


def _unb64(text: str, what: str) -> bytes:
    """Strict standard base64: valid alphabet and padding, and the one canonical spelling."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what} is not base64", f"{_WHAT.get(what, what)}不是 base64") from None
    if _b64(data) != text:
        raise NoteError(f"{what} is not canonical base64", f"{_WHAT.get(what, what)}不是规范的 base64")
    return data


# -- checkpoints ---------------------------------------------------------------------------

def checkpoint_body(origin: str, size: int, root: bytes, extensions: Iterable[str] = ()) -> str:
    """The tlog-checkpoint note text: origin, decimal size, base64 root, extension lines."""
    lines = [origin, str(size), _b64(root), *extensions]
    if not origin or any(ch < " " for line in lines for ch in line) or not all(lines):
        raise NoteError("checkpoint lines must be non-empty and free of control characters", "检查点各行不得为空，不得含控制字符")
    if not 0 <= size <= MAX_TIMESTAMP or len(root) != 32:
        raise NoteError("a checkpoint needs a size in 0..2^63-1 and a 32-byte root", "检查点的大小须在 0..2^63-1 之间，根须为 32 字节")
    return "\n".join(lines) + "\n"


def parse_checkpoint(body: str) -> Checkpoint:
    if not body.endswith("\n"):
        raise NoteError("a checkpoint body ends with a newline", "检查点正文须以换行结尾")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("a checkpoint has an origin, a size and a root hash line", "检查点须有来源、大小和根哈希三行")
    origin, size, root, *extensions = lines
    if not origin:
        raise NoteError("the checkpoint origin is empty", "检查点的来源为空")
    if not _DECIMAL.fullmatch(size) or int(size) > MAX_TIMESTAMP:
        raise NoteError("the checkpoint size is not a decimal without leading zeros", "检查点的大小不是无前导零的十进制数")
    raw_root = _unb64(root, "the checkpoint root")
    if len(raw_root) != 32:
        raise NoteError("the checkpoint root is not 32 bytes", "检查点的根不是 32 字节")
    if not all(extensions):
        raise NoteError("a checkpoint extension line is empty", "检查点的扩展行为空")
    return Checkpoint(origin, int(size), raw_root, tuple(extensions))


# -- key strings ---------------------------------------------------------------------------

def parse_signer_key(skey: str):
    """(name, PrivateKey) from a Go signer key string (golang.org/x/mod/sumdb/note's
    "PRIVATE+KEY+name+hex(key id)+base64(0x01 || seed)"); the key id must match the key."""

    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not valid_name(parts[2]):
        raise NoteError("not a signer key (PRIVATE+KEY+name+hash+base64)", "不是签名私钥（PRIVATE+KEY+名称+哈希+base64）")
    blob = _unb64(parts[4], "the signer key")
    if blob[:1] != b"\x01" or len(blob) != 33:
        raise NoteError("only Ed25519 (type 0x01) signer keys are supported", "只支持 Ed25519（类型 0x01）签名私钥")
    key = PrivateKey("ed25519", blob[1:])
    if verifier(parts[2], key.public).key_id.hex() != parts[3]:
        raise NoteError("the signer key's id does not match its key", "签名私钥的标识与密钥不符")
    return parts[2], key


# -- signing -------------------------------------------------------------------------------

def _check_body(body: str) -> bytes:
    if not body.endswith("\n"):
        raise NoteError("a note body ends with a newline", "签名文本的正文须以换行结尾")
    data = body.encode("utf-8")
    if len(data) > MAX_NOTE_BYTES or any(ch < " " and ch != "\n" for ch in body):
        raise NoteError("a note body is at most 1 MB without control characters", "签名文本的正文至多 1 MB，不得含控制字符")
    return data


def _line(name: str, kid: bytes, payload: bytes) -> str:
    if not valid_name(name):
        raise NoteError(f"{name!r} is not a key name (non-empty, no spaces, no '+')", f"{name!r} 不能作密钥名称（不得为空，不得含空格或 +）")
    return f"{DASH}{name} {_b64(kid + payload)}\n"


def signature_line(body: str, name: str, key: Signer) -> str:
    """The signature line by key over body (Ed25519 type 0x01, or SM2 under 0xff)."""
    data = _check_body(body)
    return _line(name, key_id(name, note_type(key.public), key.public.raw), key.sign(data))


def cosignature_message(body: str, timestamp: int) -> bytes:
    return (f"{COSIGNATURE_HEADER}time {timestamp}\n").encode() + _check_body(body)


def cosignature_line(body: str, name: str, key: Signer, timestamp: int) -> str:
    """A tlog-cosignature/v1 line: type 0x04, payload key id || u64 timestamp || Ed25519 sig."""
    if key.public.algorithm != "ed25519":
        raise NoteError("cosignature/v1 is defined for Ed25519 keys only", "cosignature/v1 仅适用于 Ed25519 密钥")
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError("a cosignature timestamp is in 0..2^63-1", "联署时间戳须在 0..2^63-1 之间")
    parse_checkpoint(body)
    kid = key_id(name, note_type(key.public, cosignature=True), key.public.raw)
    return _line(name, kid, timestamp.to_bytes(8, "big") + key.sign(cosignature_message(body, timestamp)))


def sign_note(body: str, name: str, key: Signer) -> str:
    return body + "\n" + signature_line(body, name, key)


def cosign(body: str, name: str, key: Signer, timestamp: int) -> str:
    return body + "\n" + cosignature_line(body, name, key, timestamp)


def add_signature(note_text: str, line: str) -> str:
    """A signed note with one more signature line (made over the same body)."""
    note = parse_note(note_text)
    parse_note(note.body + "\n" + line)
    return note_text + line


# -- reading -------------------------------------------------------------------------------

def parse_note(text: str | bytes) -> Note:
    """Split and check a signed note: at most 1 MB of UTF-8 without control characters other
    than newline, a body ending in a newline, a blank line, then 1..100 signature lines."""
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            raise NoteError("a note is not valid UTF-8", "签名文本不是有效的 UTF-8") from None
    else:
        data = bytes(text)
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError(f"a note is at most {MAX_NOTE_BYTES} bytes", f"签名文本至多 {MAX_NOTE_BYTES} 字节")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("a note is not valid UTF-8", "签名文本不是有效的 UTF-8") from None
    if any(ch < " " and ch != "\n" for ch in text):
        raise NoteError("a note holds a control character", "签名文本含控制字符")
    split = text.rfind("\n\n")
    if split < 0:
        raise NoteError("a note has no blank line before its signatures", "签名文本在签名行之前没有空行")
    body, block = text[:split + 1], text[split + 2:]
    if not block or not block.endswith("\n"):
        raise NoteError("a note ends with signature lines, each ending in a newline", "签名文本须以签名行结尾，每行以换行结尾")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"a note has more than {MAX_SIGNATURES} signatures", f"签名文本的签名多于 {MAX_SIGNATURES} 个")
    signatures = []
    for line in lines:
        if not line.startswith(DASH):
            raise NoteError("a signature line starts with an em dash and a space", "签名行须以破折号（—）和空格开头")
        name, sep, b64 = line[len(DASH):].partition(" ")
        if not sep or not valid_name(name):
            raise NoteError("a signature line has no valid key name", "签名行没有有效的密钥名称")
        raw = _unb64(b64, "a signature")
        if len(raw) < 5:
            raise NoteError("a signature is shorter than a key id and one byte", "签名短于密钥标识加一个字节")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    return Note(body, tuple(signatures))


def _verifiers(keys: Iterable[Verifier | str]) -> dict[tuple[str, bytes], Verifier]:
    table: dict[tuple[str, bytes], Verifier] = {}
    for item in keys:
        v = parse_verifier_key(item) if isinstance(item, str) else item
        if (v.name, v.key_id) in table and table[(v.name, v.key_id)] != v:
            raise NoteError(f"two verifier keys share the name {v.name} and id {v.key_id.hex()}",
                            f"两个验证公钥的名称 {v.name} 和标识 {v.key_id.hex()} 相同")
        table[(v.name, v.key_id)] = v
    return table


def _verify_one(v: Verifier, body: bytes, payload: bytes) -> bool:
    if v.kind == "cosignature/v1":
        if len(payload) != 72:
            return False
        timestamp = int.from_bytes(payload[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        message = (f"{COSIGNATURE_HEADER}time {timestamp}\n").encode() + body
        return v.public.verify(message, payload[8:])
    return v.public.verify(body, payload)


def signers(note: Note, table: dict[tuple[str, bytes], Verifier], failed) -> list[str]:
    """The names, once each in line order, of the keys in `table` (by name and key id) whose signatures on the
    note verify; lines of other keys are skipped; a known key's line that fails raises `failed(signature)`."""
    body = note.body.encode("utf-8")
    names: list[str] = []
    for sig in note.signatures:
        v = table.get((sig.name, sig.key_id))
        if v is None:
            continue
        if not _verify_one(v, body, sig.payload):
            raise failed(sig)
        if sig.name not in names:
            names.append(sig.name)
    return names


def verify_note(note: Note | str, verifier_keys: Iterable[Verifier | str]) -> list[str]:
    """Names whose signatures verify. Lines from unknown (name, key id) are ignored; a known
    key whose signature fails, or a note that no known key signed, raises NoteError."""
    if not isinstance(note, Note):
        note = parse_note(note)
    names = signers(note, _verifiers(verifier_keys), lambda sig: NoteError(
        f"the signature of {sig.name} ({sig.key_id.hex()}) does not verify",
        f"{sig.name}（{sig.key_id.hex()}）的签名核验不通过"))
    if not names:
        raise NoteError("no signature by a known key", "没有已知密钥的签名")
    return names


def cosignature_timestamp(signature: Signature) -> int:
    """The time a cosignature/v1 line claims (it is authenticated only once verified)."""
    if len(signature.payload) != 72:
        raise NoteError("not a cosignature/v1 signature", "不是 cosignature/v1 联署")
    return int.from_bytes(signature.payload[:8], "big")
