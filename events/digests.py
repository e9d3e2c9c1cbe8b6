"""SHA-256 and SM3 (GB/T 32905) digests, of bytes and of files read once for both.

SM3 comes from OpenSSL through hashlib where the linked OpenSSL provides it (OpenSSL 1.1.1+
default builds do); otherwise from GmSSL through gmssl-pyx, whose SM3 is one-shot, so that
fallback keeps a file's bytes in memory until the end.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 20


class _BufferedSM3:
    """hashlib-like SM3 over gmssl-pyx's one-shot function."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def update(self, data: bytes) -> None:
        self._parts.append(bytes(data))

    def hexdigest(self) -> str:
        from gmssl_pyx import sm3_hash

        return sm3_hash(b"".join(self._parts)).hex()


def _openssl_has_sm3() -> bool:
    try:
        hashlib.new("sm3")
    except ValueError:
        return False
    return True


HASHLIB_SM3 = _openssl_has_sm3()


def _sm3():
    return hashlib.new("sm3") if HASHLIB_SM3 else _BufferedSM3()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sm3_hex(data: bytes) -> str:
    h = _sm3()
    h.update(data)
    return h.hexdigest()


def file_digests(path: str | Path) -> tuple[str, str]:
    """(sha256 hex, sm3 hex) of a file's bytes, reading it once in 1 MiB chunks."""
    sha, sm3 = hashlib.sha256(), _sm3()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
            sm3.update(chunk)
    return sha.hexdigest(), sm3.hexdigest()
