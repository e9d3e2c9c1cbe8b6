"""Signed checkpoints (Ed25519 over the RFC 6962 root of the log) and the keys that sign them.

An auditor keeps checkpoints outside the store; any later store must still contain the
history each one covers, unchanged, or `verify` says so.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from events.errors import BadInput

FIELDS = ("origin", "tree_size", "root", "timestamp")


class KeyError_(BadInput):
    """A key file that is missing or not an Ed25519 key of the expected kind."""


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise KeyError_(f"{path}: not a readable private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyError_(f"{path}: not an Ed25519 private key")
    return key


def load_public(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (OSError, ValueError) as error:
        raise KeyError_(f"{path}: not a readable public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyError_(f"{path}: not an Ed25519 public key")
    return key


def signed_bytes(checkpoint: dict) -> bytes:
    return json.dumps({k: checkpoint[k] for k in FIELDS}, sort_keys=True, separators=(",", ":")).encode()


def make(origin: str, tree_size: int, root: bytes, key: Ed25519PrivateKey, now: datetime | None = None) -> dict:
    checkpoint = {"origin": origin, "tree_size": tree_size, "root": root.hex(),
                  "timestamp": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")}
    checkpoint["signature"] = base64.b64encode(key.sign(signed_bytes(checkpoint))).decode()
    return checkpoint


def signature_ok(checkpoint: dict, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(base64.b64decode(checkpoint["signature"]), signed_bytes(checkpoint))
        return True
    except (InvalidSignature, ValueError, KeyError):
        return False


MAX_TREE_SIZE = 2**63 - 1
HEX64 = re.compile(r"[0-9a-f]{64}")


def read(path: Path) -> dict:
    from events import jsontext

    checkpoint = jsontext.read_file(path, "checkpoint", KeyError_)
    if not isinstance(checkpoint, dict):
        raise KeyError_(f"{path}: a checkpoint is a JSON object, not {type(checkpoint).__name__}")
    missing = {*FIELDS, "signature"} - set(checkpoint)
    if missing:
        raise KeyError_(f"{path}: a checkpoint needs {', '.join(sorted(missing))}")
    problem = malformed(checkpoint)
    if problem:
        raise KeyError_(f"{path}: {problem}")
    return checkpoint


def malformed(checkpoint) -> str | None:
    """What is wrong with a checkpoint's shape (types and ranges), or None."""
    if not isinstance(checkpoint, dict):
        return "the checkpoint is not a JSON object"
    size = checkpoint.get("tree_size")
    if type(size) is not int or not 0 <= size <= MAX_TREE_SIZE:
        return f"tree_size {str(size)[:40]!r} is not a whole number of events from 0 to {MAX_TREE_SIZE}"
    root = checkpoint.get("root")
    if not isinstance(root, str) or not HEX64.fullmatch(root):
        return f"root {str(root)[:80]!r} is not 64 lowercase hexadecimal digits"
    for name in ("origin", "timestamp", "signature"):
        if not isinstance(checkpoint.get(name), str):
            return f"{name} is not text"
    return None


def sign_log(log, key: Ed25519PrivateKey, keep=None) -> dict:
    """Sign the log's current Merkle root, hand it to `keep` (e.g. write the file; a refusal there
    records nothing), then remember the checkpoint in the store."""
    from events import merkle

    leaves = log.leaf_hashes()
    signed = make(log.origin(), len(leaves), merkle.root(leaves), key)
    if keep is not None:
        keep(signed)
    log.record_checkpoint(signed)
    return signed
